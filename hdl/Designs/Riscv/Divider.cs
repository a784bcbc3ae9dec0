using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// An iterative 32-bit divider for <c>div</c>, <c>divu</c>, <c>rem</c> and <c>remu</c>: one quotient bit per
/// cycle (non-restoring division of the magnitudes, signs applied at the end). <see cref="Start"/> takes the
/// operands when the divider is idle; <see cref="Done"/> is 1 for one cycle, <see cref="Latency"/> cycles later,
/// with the result (one cycle takes the operands' magnitudes, 32 find a quotient bit each, one corrects the
/// remainder, one more registers the answer).
/// </summary>
/// <remarks>
/// The special cases come out as the RISC-V specification defines them without extra logic: division by
/// zero gives a quotient of all ones and the dividend as remainder; -2^31 / -1 gives -2^31 remainder 0.
/// <para>Non-restoring: the partial remainder R (33 bits, signed) is never restored; each step adds the divisor's
/// magnitude to 2R + the next dividend bit when R is negative and subtracts it otherwise, and the quotient bit is
/// whether the new R is not negative (the bit restoring division would find). So the step is one addition whose
/// sum goes to the register as it is: the choice between adding and subtracting is made from R's sign, a register,
/// before the carry chain, and no choice hangs on the carry out. The last cycle corrects a negative remainder
/// with the same adder (2R + 2|d|: the remainder is kept doubled from then on, and read from its bits 32..1).</para>
/// <para>Two carry chains in all: one negation serves the dividend's magnitude (while preparing) and the answer's
/// sign (at the end); the divisor is never negated but kept as <c>d</c> (negative) or <c>~d</c> (otherwise), so
/// that the addend and a carry in give -|d|, +|d| or 2|d|.</para>
/// </remarks>
public sealed class Divider : Module
{
    /// <summary>A divider whose negation is built from iCE40 logic-cell primitives when <paramref name="cells"/> (see <see cref="ConditionalNegation"/>), else generic.</summary>
    public Divider(bool cells = false)
    {
        Cells = cells;
        negation = new ConditionalNegation(32, cells);
    }

    /// <summary>The negation is built from <c>SB_LUT4</c> and <c>SB_CARRY</c> instances, one logic cell a bit (iCE40 only).</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>Cycles from <see cref="Start"/> to <see cref="Done"/>.</summary>
    public const int Latency = 35;

    public readonly Signal Start = In(1);
    /// <summary>Abandon the division in progress (the instruction was flushed); a <see cref="Start"/> in the same cycle does not go on.</summary>
    public readonly Signal Abort = In(1);
    public readonly Signal Dividend = In(32);
    public readonly Signal Divisor = In(32);
    /// <summary>The operation, as funct3 of the instruction: bit 0 unsigned, bit 1 remainder.</summary>
    public readonly Signal Funct3 = In(3);
    /// <summary>A division is in progress.</summary>
    public readonly Signal Busy = Out(1);
    /// <summary><see cref="Result"/> holds the answer (one cycle).</summary>
    public readonly Signal Done = Out(1);
    public readonly Signal Result = Out(32);

    /// <summary>The one negation (see the remarks), chosen by its sign in its own logic cells on the board.</summary>
    private readonly ConditionalNegation negation;
    private readonly Signal preparing = Reg(1, reset: 0);
    private readonly Signal running = Reg(1, reset: 0);
    /// <summary>The remainder's correction: the cycle after the 32 steps.</summary>
    private readonly Signal correcting = Reg(1, reset: 0);
    private readonly Signal finished = Reg(1, reset: 0);
    private readonly Signal step = Reg(5, reset: 0);
    /// <summary>The dividend's magnitude, shifted out from the top while the quotient shifts in.</summary>
    private readonly Signal quotient = Reg(32);
    /// <summary>The partial remainder, signed; after the correction twice the remainder (plus a bit that is not read).</summary>
    private readonly Signal remainder = Reg(33);
    /// <summary>While running: the divisor's magnitude negated, less the carry in <c>~divisorNegative</c> (d if negative, ~d otherwise).</summary>
    private readonly Signal divisor = Reg(32);
    private readonly Signal divisorNegative = Reg(1);
    private readonly Signal negateQuotient = Reg(1);
    private readonly Signal negateRemainder = Reg(1);
    private readonly Signal wantRemainder = Reg(1);

    protected override void Build()
    {
        var signed = (~Funct3[0]).Named("signed");

        // The step: 2R + the next dividend bit, minus |d| while R is not negative, plus |d| while it is. With the
        // divisor register v (d or ~d) and n its sign: -|d| = {1, v} + ~n, +|d| = {0, ~v} + n. The correction adds
        // 2|d| = {~v, n} + n to a negative R (and 0 to another), so its result is twice the restoring remainder.
        // The carry in rides on a constant 1 below both operands. Each bit of the addend is one LUT of registers.
        var subtract = (~remainder.Msb).Named("subtract");
        var shifted = Cat(remainder[31, 0], quotient.Msb).Named("shifted");
        var stepAddend = Cat(subtract, divisor ^ (~subtract).Replicate(32));
        var correction = Mux(subtract, U(0, 33), Cat(~divisor, divisorNegative));
        var addend = Mux(correcting, correction, stepAddend).Named("addend");
        var carryIn = Mux(correcting, ~subtract & divisorNegative, divisorNegative ^ subtract).Named("carryIn");
        var sum = (Cat(shifted, U(1, 1)) + Cat(addend, carryIn))[33, 1].Named("sum");
        var fits = (~sum.Msb).Named("fits");

        // One negation serves both ends: the dividend's magnitude while preparing (the dividend is in quotient),
        // then the answer's sign: the magnitude chosen, then negated if its sign says so.
        var magnitude = Mux(wantRemainder & ~preparing, remainder[32, 1], quotient).Named("magnitude");
        var negate = Mux(wantRemainder | preparing, negateRemainder, negateQuotient).Named("negate");
        negation.Value.Set(magnitude);
        negation.Negate.Set(negate);
        var signedMagnitude = negation.Result;

        // Start registers the operands as they are; the next cycle (preparing) takes their magnitudes, so that no
        // negation hangs on the operands' forwarding logic.
        finished.Set(0);
        preparing.Set(0);
        correcting.Set(0);
        // A start comes only when the divider is idle. An abort clears only the state flags, so that the data
        // registers' enables do not wait for it (what they hold after an abort is not used).
        When(Start, () =>
        {
            preparing.Set(~Abort);
            quotient.Set(Dividend);
            divisor.Set(Divisor);
            // The dividend's sign is the remainder's.
            negateRemainder.Set(signed & Dividend.Msb);
            divisorNegative.Set(signed & Divisor.Msb);
            wantRemainder.Set(Funct3[1]);
        })
        .ElseWhen(preparing, () =>
        {
            running.Set(~Abort);
            step.Set(0);
            remainder.Set(0);
            quotient.Set(signedMagnitude);
            divisor.Set(divisor ^ (~divisorNegative).Replicate(32));
            negateQuotient.Set((negateRemainder ^ divisorNegative) & divisor.Any());
        })
        .ElseWhen(running, () =>
        {
            remainder.Set(sum);
            quotient.Set(Cat(quotient[30, 0], fits));
            step.Set(step + 1);
            When(step.All() | Abort, () => running.Set(0));
            correcting.Set(step.All() & ~Abort);
        })
        .ElseWhen(correcting, () =>
        {
            remainder.Set(sum);
            finished.Set(~Abort);
        });

        Busy.Set(preparing | running | correcting);
        Done.Set(finished);
        Result.Set(signedMagnitude);
    }
}
