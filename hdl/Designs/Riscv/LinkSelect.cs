using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The execute stage's link: <see cref="Pc"/> + 4, or <see cref="Other"/> when <see cref="TakeOther"/> is 1
/// (<c>mret</c>'s mepc). With <see cref="Cells"/> each bit from 2 up is one iCE40 logic cell, built from the
/// primitives as <see cref="LoadableCounter"/>'s bits are: a <see cref="Lut4"/> with its table
/// (<see cref="LoadableCounter.BitTable"/>: <c>TakeOther ? Other : pc ^ carry</c>) and the <see cref="Carry"/> of the
/// increment beside it, so that the choice costs no LUT of its own and the register the link goes to packs with it.
/// Synthesis does not find this packing by itself (an adder and a multiplexer after it: two cells a bit). Without
/// <see cref="Cells"/>, the same function in generic Verilog, which simulates alike.
/// </summary>
/// <remarks>
/// <see cref="TakeOther"/> enters the carry chain (the carry out is garbage while it is 1, and no bit reads it then),
/// so it must come early in the cycle, from a register.
/// </remarks>
public sealed class LinkSelect : Module
{
    /// <summary>The link, in logic cells built from primitives when <paramref name="cells"/>, else generic.</summary>
    public LinkSelect(bool cells) => Cells = cells;

    /// <summary>Built from <c>SB_LUT4</c> and <c>SB_CARRY</c> instances (iCE40 only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>The bit the 4 is added at.</summary>
    public const int IncrementBit = 2;

    public readonly Signal Pc = In(32);
    public readonly Signal Other = In(32);
    /// <summary>1: the link is <see cref="Other"/> (from a register: it enters the carry chain).</summary>
    public readonly Signal TakeOther = In(1);
    public readonly Signal Link = Out(32);

    protected override void Build()
    {
        if (!Cells)
        {
            Link.Set(Mux(TakeOther, Other, Pc + 4));
            return;
        }
        var bits = new Expr[32];
        for (int i = 0; i < IncrementBit; i++)
            bits[31 - i] = Mux(TakeOther, Other[i], Pc[i]);
        Expr carry = U(1, 1);
        for (int i = IncrementBit; i < 32; i++)
        {
            var lut = Instance(new Lut4(LoadableCounter.BitTable), $"bit{i}");
            lut.I0.Set(Other[i]);
            lut.I1.Set(Pc[i]);
            lut.I2.Set(TakeOther);
            lut.I3.Set(carry);
            bits[31 - i] = lut.O;
            if (i == 31)
                break;
            var chain = Instance(new Carry(), $"carry{i}");
            chain.I0.Set(Pc[i]);
            chain.I1.Set(TakeOther);
            chain.CI.Set(carry);
            carry = chain.CO;
        }
        Link.Set(Cat(bits));
    }
}
