using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// An iterative 32-bit divider for <c>div</c>, <c>divu</c>, <c>rem</c> and <c>remu</c>: one quotient bit per
/// cycle (restoring division of the magnitudes, signs applied at the end). <see cref="Start"/> takes the
/// operands when the divider is idle; <see cref="Done"/> is 1 for one cycle, 34 cycles later, with the result
/// (one cycle takes the operands' magnitudes, 32 find a quotient bit each, one more registers the answer).
/// </summary>
/// <remarks>
/// The special cases come out as the RISC-V specification defines them without extra logic: division by
/// zero gives a quotient of all ones and the dividend as remainder; -2^31 / -1 gives -2^31 remainder 0.
/// <para>Two carry chains in all: one negation serves the dividend's magnitude (while preparing) and the answer's
/// sign (at the end); the divisor is never negated but kept as <c>d</c> (negative) or <c>~d</c> (otherwise), so
/// that one 33-bit addition with a carry in gives the partial remainder minus the divisor's magnitude.</para>
/// </remarks>
public sealed class Divider : Module
{
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

    private readonly Signal preparing = Reg(1, reset: 0);
    private readonly Signal running = Reg(1, reset: 0);
    private readonly Signal finished = Reg(1, reset: 0);
    private readonly Signal step = Reg(5, reset: 0);
    /// <summary>The dividend's magnitude, shifted out from the top while the quotient shifts in.</summary>
    private readonly Signal quotient = Reg(32);
    private readonly Signal remainder = Reg(32);
    /// <summary>While running: the divisor's magnitude negated, less the carry in <c>~divisorNegative</c> (d if negative, ~d otherwise).</summary>
    private readonly Signal divisor = Reg(32);
    private readonly Signal divisorNegative = Reg(1);
    private readonly Signal negateQuotient = Reg(1);
    private readonly Signal negateRemainder = Reg(1);
    private readonly Signal wantRemainder = Reg(1);

    protected override void Build()
    {
        var signed = (~Funct3[0]).Named("signed");

        var shifted = Cat(remainder, quotient.Msb).Named("shifted");
        // shifted - |divisor| as shifted + 2^33 - |divisor|: the carry in rides on a constant 1 below both operands,
        // and the carry out of the top is 1 when the divisor fits.
        var sum = Cat(shifted, U(1, 1)).AddWide(Cat(U(1, 1), divisor, ~divisorNegative)).Named("sum");
        var difference = sum[32, 1].Named("difference");
        var fits = sum.Msb.Named("fits");

        // One negation serves both ends: the dividend's magnitude while preparing (the dividend is in quotient),
        // then the answer's sign: the magnitude chosen, then negated if its sign says so.
        var magnitude = Mux(wantRemainder & ~preparing, remainder, quotient).Named("magnitude");
        var negate = Mux(wantRemainder | preparing, negateRemainder, negateQuotient).Named("negate");
        var signedMagnitude = Mux(negate, -magnitude, magnitude).Named("signed_magnitude");

        // Start registers the operands as they are; the next cycle (preparing) takes their magnitudes, so that no
        // negation hangs on the operands' forwarding logic.
        finished.Set(0);
        preparing.Set(0);
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
            remainder.Set(Mux(fits, difference, shifted[31, 0]));
            quotient.Set(Cat(quotient[30, 0], fits));
            step.Set(step + 1);
            When(step.All() | Abort, () => running.Set(0));
            finished.Set(step.All() & ~Abort);
        });

        Busy.Set(preparing | running);
        Done.Set(finished);
        Result.Set(signedMagnitude);
    }
}
