using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The multiplier of <c>mul</c>, <c>mulh</c>, <c>mulhsu</c> and <c>mulhu</c>, pipelined so that every path starts
/// and ends at a register: four 16 x 16 products (one DSP block each on the iCE40) of the registered operands, then
/// two additions, and the result registered. <see cref="Start"/> takes the operands; <see cref="Done"/> is 1 for one cycle, <see cref="Latency"/>
/// cycles later, with the result.
/// </summary>
/// <remarks>
/// The cycles: (1) the operands are registered, with the signed correction of the high word (see below); (2) the
/// partial products <c>ll</c>, <c>lh</c> and <c>hl</c> (with <see cref="Cells"/>: kept in their blocks) are registered;
/// (3) the middle sum
/// <c>lh + hl</c> and the high product <c>hh</c> plus the correction are registered; (4) the 64-bit product
/// <c>{hh', ll} + (mid &lt;&lt; 16)</c> is formed, as its low word and its carry, then its high word, and the one asked
/// for registered; (5) <see cref="Result"/> is that register, so the product's carry chains end at a register, not in
/// the execute stage's result select. Nothing but a register is
/// fed from the operands, and nothing but the products reads the registered operands, so that synthesis for the
/// iCE40 puts them in the DSP blocks' input registers (no logic cell): the correction is registered beside them,
/// chosen by the operands' signs as they arrive, and added to the high product by its block's adder. Each
/// addition to a product is written as <c>product + x</c> into a register, so that synthesis for the iCE40 does it
/// in the DSP block's own adder and output register (not in LUTs).
/// <para>One unsigned product serves every instruction: a signed operand's weight of -2^32 on its sign bit is taken
/// out of the high word, mulh(a, b) = mulhu(a, b) - (a &lt; 0 ? b : 0) - (b &lt; 0 ? a : 0). The subtraction is an
/// addition: -x = ~x + 1 with x = b, a or, for <c>mulh</c> with both operands negative, a + b, which the ALU forms from
/// the same operands in the start's cycle (<see cref="Sum"/>): the ~x is the correction, added to <c>hh</c>, the 1 is
/// added to <c>lh</c> at its bit 16, which is bit 32 of the product (it cannot overflow: a 16 x 16 product is at most
/// 2^32 - 2^17 + 1). No adder of the two terms.</para>
/// <para>With <see cref="Cells"/> (iCE40 UltraPlus) the middle sum is formed in the DSP block of <c>hl</c>, as an
/// <c>SB_MAC16</c> instance (<see cref="MiddleOptions"/>): its input registers take the operands' halves at
/// <see cref="Start"/> and hold them, its two adders add <c>lh</c> (on C and D, from the block of <c>lh</c>) to the
/// product, and its output registers load the sum in the middle sum's cycle, the adder's carry out (<c>CO</c>) into one
/// flip-flop beside them: no carry chain and no register in logic cells for the 33 bits. The product's low word,
/// <c>ll + (mid &lt;&lt; 16)</c> mod 2^32, is formed in the block of <c>ll</c> (<see cref="LowOptions"/>): its top adder adds
/// the middle sum's low half to the product's high half, unregistered, its carry out the carry into the high word, so that
/// the fabric adds only the high word, <c>hh' + mid[32:16]</c> + that carry. Without <see cref="Cells"/> the same sums in
/// generic Verilog, which simulates alike (the <see cref="Ice40Models"/> model the blocks).</para>
/// </remarks>
public sealed class Multiplier : Module
{
    /// <summary>A multiplier whose middle sum is formed in a DSP block instance when <paramref name="cells"/> (see the remarks), else generic.</summary>
    public Multiplier(bool cells = false)
    {
        Cells = cells;
        if (cells)
        {
            middleCarry = Reg(1);
        }
        else
        {
            ll = Reg(32);
            hl = Reg(32);
            mid = Reg(33);
        }
    }

    /// <summary>The middle sum is formed in an <c>SB_MAC16</c> instance (iCE40 UltraPlus only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>Cycles from <see cref="Start"/> to <see cref="Done"/>.</summary>
    public const int Latency = 5;

    /// <summary>
    /// The configuration of the DSP block that forms the middle sum (<see cref="Cells"/>): the A and B input registers
    /// (the operands' high and low halves), the unsigned 16 x 16 product unregistered into both adders, each adding its
    /// half of <c>lh</c> (C on top, D at the bottom, unregistered), the top one with the bottom one's carry out, and
    /// both halves of <c>O</c> from the output registers.
    /// </summary>
    public static Mac16Options MiddleOptions { get; } = new()
    {
        ARegister = true,
        BRegister = true,
        TopOutput = Mac16Output.Register,
        TopAdderLowerInput = Mac16AdderInput.Product16x16,
        TopAdderUpperInput = Mac16AdderUpper.Input,
        TopAdderCarry = Mac16Carry.Cascade,
        BottomOutput = Mac16Output.Register,
        BottomAdderLowerInput = Mac16AdderInput.Product16x16,
        BottomAdderUpperInput = Mac16AdderUpper.Input,
        BottomAdderCarry = Mac16Carry.Zero,
    };

    /// <summary>
    /// The configuration of the DSP block of <c>ll</c> (<see cref="Cells"/>): the A and B input registers (the operands'
    /// low halves), the 16 x 16 product registered (every cycle, from the held operands), the bottom adder passing its
    /// low half (D is 0), the top one adding the middle sum's low half (C) to its high half, both unregistered: the
    /// product's low word on <c>O</c>, its carry into bit 32 on <c>CO</c>.
    /// </summary>
    public static Mac16Options LowOptions { get; } = new()
    {
        ARegister = true,
        BRegister = true,
        Pipeline16x16Register2 = true,
        TopOutput = Mac16Output.AddSub,
        TopAdderLowerInput = Mac16AdderInput.Product16x16,
        TopAdderUpperInput = Mac16AdderUpper.Input,
        TopAdderCarry = Mac16Carry.Cascade,
        BottomOutput = Mac16Output.AddSub,
        BottomAdderLowerInput = Mac16AdderInput.Product16x16,
        BottomAdderUpperInput = Mac16AdderUpper.Input,
        BottomAdderCarry = Mac16Carry.Zero,
    };

    public readonly Signal Start = In(1);
    /// <summary>Abandon the multiplication in progress (the instruction was flushed); takes precedence over <see cref="Start"/>.</summary>
    public readonly Signal Abort = In(1);
    public readonly Signal A = In(32);
    public readonly Signal B = In(32);
    /// <summary>A + B (mod 2^32) in the cycle of <see cref="Start"/>: the execute stage's ALU adds the same operands.</summary>
    public readonly Signal Sum = In(32);
    /// <summary>The operation, as funct3 of the instruction: 0 <c>mul</c>, 1 <c>mulh</c>, 2 <c>mulhsu</c>, 3 <c>mulhu</c>.</summary>
    public readonly Signal Funct3 = In(3);
    /// <summary>A multiplication is in progress.</summary>
    public readonly Signal Busy = Out(1);
    /// <summary><see cref="Result"/> holds the answer (one cycle).</summary>
    public readonly Signal Done = Out(1);
    /// <summary>The answer in the cycle of <see cref="Done"/>; 0 in every other cycle.</summary>
    public readonly Signal Result = Out(32);

    /// <summary>One bit per cycle of the pipeline: the operation is in that step.</summary>
    private readonly Signal step = Reg(Latency - 1, reset: 0);
    /// <summary>The operands, read by the products alone: synthesis for the iCE40 keeps them in the DSP blocks' input registers.</summary>
    private readonly Signal a = Reg(32);
    private readonly Signal b = Reg(32);
    private readonly Signal high = Reg(1);
    /// <summary>The operation takes a negative operand as signed: the correction's 1 (see the remarks).</summary>
    private readonly Signal negative = Reg(1);
    /// <summary>The signed correction of the high word, less its 1, in a module of its own (see <see cref="SignedCorrection"/>).</summary>
    private readonly SignedCorrection correction = new();
    /// <summary>Without <see cref="Cells"/>: the product <c>ll</c>; with it, ll's DSP block keeps it.</summary>
    private readonly Signal? ll;
    private readonly Signal lh = Reg(32);
    /// <summary>Without <see cref="Cells"/>: the product <c>hl</c> and the middle sum; with it they are the DSP block's.</summary>
    private readonly Signal? hl;
    private readonly Signal? mid;
    /// <summary>With <see cref="Cells"/>: bit 32 of the middle sum, the DSP block's carry out.</summary>
    private readonly Signal? middleCarry;
    private readonly Signal hhCorrected = Reg(32);
    private readonly Signal word = Reg(32);

    protected override void Build()
    {
        var f = Funct3;

        // step[0]: operands registered; step[1]: products registered; step[2]: middle sum and high word registered;
        // step[3]: the result registered.
        step.Set(Mux(Abort, U(0, Latency - 1), Cat(step[Latency - 3, 0], Start)));
        // -(a < 0 ? b : 0) - (b < 0 ? a : 0) is -b, -a, -(a + b) (the ALU's sum) or 0, each ~x + 1: the ~x is chosen
        // from the operands as they arrive, so that nothing but the products reads the operand registers; the 1 rides in
        // lh's adder (at bit 16, so at bit 32 of the product).
        var aNegativeNow = ((f.Eq(0b001) | f.Eq(0b010)) & A.Msb).Named("a_negative");
        var bNegativeNow = (f.Eq(0b001) & B.Msb).Named("b_negative");
        When(Start, () =>
        {
            a.Set(A);
            b.Set(B);
            high.Set(f.Any());
            negative.Set(aNegativeNow | bNegativeNow);
        });
        correction.Load.Set(Start);
        correction.ANegative.Set(aNegativeNow);
        correction.BNegative.Set(bNegativeNow);
        correction.A.Set(A);
        correction.B.Set(B);
        correction.Sum.Set(Sum);
        When(step[0], () =>
        {
            ll?.Set(a[15, 0] * b[15, 0]);
            lh.Set(a[15, 0] * b[31, 16] + Cat(U(0, 15), negative, U(0, 16)));
            hl?.Set(a[31, 16] * b[15, 0]);
        });
        When(step[1], () => hhCorrected.Set(a[31, 16] * b[31, 16] + correction.Correction));
        Expr middle;
        if (hl is not null && mid is not null)
        {
            When(step[1], () => mid.Set(lh.ZeroExtend(33) + hl.ZeroExtend(33)));
            middle = mid;
        }
        else
        {
            // hl + lh in hl's block: its input registers take the operands' halves as a and b do, its output registers
            // load in the cycle mid would, and its carry out is registered beside them.
            var block = HeldOperandsBlock("middleBlock", MiddleOptions, A[31, 16], B[15, 0], lh[31, 16], lh[15, 0], ~step[1]);
            When(step[1], () => middleCarry!.Set(block.CO));
            middle = Cat(middleCarry!, block.O);
        }
        // The product's low word, ll + (mid << 16) mod 2^32, and its carry into bit 32; then its high word, hh' + mid's
        // bits 32..16 + that carry (riding below the operands' lowest bit).
        Expr lowWord;
        Expr lowCarry;
        if (ll is not null)
        {
            var lowSum = (ll.ZeroExtend(33) + Cat(middle[15, 0], U(0, 16)).ZeroExtend(33)).Named("lowSum");
            lowWord = lowSum[31, 0];
            lowCarry = lowSum[32];
        }
        else
        {
            // In ll's block: its input registers take the operands' low halves, its product register reloads every
            // cycle from them (the same word from the second cycle on), its top adder adds mid's low half, unregistered.
            var block = HeldOperandsBlock("lowBlock", LowOptions, A[15, 0], B[15, 0], middle[15, 0], U(0, 16), U(0, 1));
            lowWord = block.O;
            lowCarry = block.CO;
        }
        var highWord = (Cat(hhCorrected, U(1, 1)) + Cat(U(0, 15), middle[32, 16], lowCarry))[32, 1].Named("highWord");

        // The word is 0 but in the cycle of Done (a register cleared synchronously: no logic cell), so that the execute
        // stage ORs it into its result without a select. An abort clears it as well.
        When(step[2] & ~Abort, () => word.Set(Mux(high, highWord, lowWord)))
            .Otherwise(() => word.Set(0));

        Busy.Set(step.Any());
        Done.Set(step[Latency - 2]);
        Result.Set(word);
    }

    /// <summary>
    /// A DSP block of the multiplier built from primitives (<see cref="Cells"/>): its input registers take the operands'
    /// halves <paramref name="a"/> and <paramref name="b"/> at <see cref="Start"/> and hold them, as the inferred blocks'
    /// do; C and D are <paramref name="c"/> and <paramref name="d"/>; its output registers hold while
    /// <paramref name="outputHold"/> is 1; every other control idle.
    /// </summary>
    private Mac16 HeldOperandsBlock(string name, Mac16Options options, Expr a, Expr b, Expr c, Expr d, Expr outputHold)
    {
        var block = Instance(new Mac16(options), name);
        block.CLK.Set(Clock());
        block.CE.Set(1);
        block.A.Set(a);
        block.B.Set(b);
        block.AHOLD.Set(~Start);
        block.BHOLD.Set(~Start);
        block.C.Set(c);
        block.D.Set(d);
        block.OHOLDTOP.Set(outputHold);
        block.OHOLDBOT.Set(outputHold);
        foreach (var idle in new[] { block.CHOLD, block.DHOLD, block.IRSTTOP, block.IRSTBOT, block.ORSTTOP, block.ORSTBOT,
                     block.OLOADTOP, block.OLOADBOT, block.ADDSUBTOP, block.ADDSUBBOT, block.CI, block.ACCUMCI, block.SIGNEXTIN })
            idle.Set(0);
        return block;
    }
}

/// <summary>
/// The multiplier's signed correction of the high word, less its 1 (see <see cref="Multiplier"/>): ~b, ~a, ~(a + b) or
/// 0 by the signs of the operands that are taken as signed, registered at the start. A module that synthesis keeps
/// (<see cref="Module.KeepHierarchy"/>): the register stays a flip-flop beside its LUT, where Yosys's DSP inference would
/// take it into the high product's block as its C and D input registers, at the end of a path through the ALU's carry
/// chain (the core alone then at 29.2 MHz, short of its 30).
/// </summary>
public sealed class SignedCorrection : Module
{
    public override bool KeepHierarchy => true;

    /// <summary>Take the correction of this cycle's operands.</summary>
    public readonly Signal Load = In(1);
    /// <summary>a is taken as signed and is negative.</summary>
    public readonly Signal ANegative = In(1);
    /// <summary>b is taken as signed and is negative.</summary>
    public readonly Signal BNegative = In(1);
    public readonly Signal A = In(32);
    public readonly Signal B = In(32);
    /// <summary>A + B (mod 2^32).</summary>
    public readonly Signal Sum = In(32);
    public readonly Signal Correction = Out(32);

    private readonly Signal value = Reg(32);

    protected override void Build()
    {
        When(Load, () => value.Set(Mux(ANegative, Mux(BNegative, ~Sum, ~B), Mux(BNegative, ~A, U(0, 32)))));
        Correction.Set(value);
    }
}
