using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// <see cref="Value"/> negated when <see cref="Negate"/> is 1, else as it is (two's complement). With
/// <see cref="Cells"/> every bit is one iCE40 logic cell, built from the primitives: -v is ~(v - 1), so the carry
/// chain adds <see cref="Negate"/> at every bit (-1, or 0), and each bit's <see cref="Lut4"/> gives
/// <c>v ^ carry</c>, which is that sum complemented when negating and v itself otherwise (no carry then). Synthesis
/// does not find this by itself (a negation and a multiplexer after it: two cells a bit). Without
/// <see cref="Cells"/>, the same function in generic Verilog, which simulates alike.
/// </summary>
public sealed class ConditionalNegation : Module
{
    /// <summary>A <paramref name="width"/>-bit negation, in logic cells built from primitives when <paramref name="cells"/>, else generic.</summary>
    public ConditionalNegation(int width, bool cells)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Width = width;
        Cells = cells;
        Value = In(width);
        Result = Out(width);
    }

    /// <summary>The bits of the value.</summary>
    [Parameter]
    public int Width { get; }

    /// <summary>Built from <c>SB_LUT4</c> and <c>SB_CARRY</c> instances (iCE40 only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>
    /// The truth table of a bit's LUT: inputs I0 unused, I1 = the bit, I2 = <see cref="Negate"/> (the carry's second
    /// input, which the cell shares), I3 = the carry in.
    /// </summary>
    public static ushort BitTable { get; } = Lut4.Table((_, bit, _, carry) => bit ^ carry);

    public readonly Signal Value;
    public readonly Signal Negate = In(1);
    public readonly Signal Result;

    protected override void Build()
    {
        if (!Cells)
        {
            Result.Set(Mux(Negate, -Value, Value));
            return;
        }
        var bits = new Expr[Width];
        Expr carry = U(0, 1);
        for (int i = 0; i < Width; i++)
        {
            var lut = Instance(new Lut4(BitTable), $"bit{i}");
            lut.I0.Set(0);
            lut.I1.Set(Value[i]);
            lut.I2.Set(Negate);
            lut.I3.Set(carry);
            bits[Width - 1 - i] = lut.O;
            if (i == Width - 1)
                break;
            var chain = Instance(new Carry(), $"carry{i}");
            chain.I0.Set(Value[i]);
            chain.I1.Set(Negate);
            chain.CI.Set(carry);
            carry = chain.CO;
        }
        Result.Set(Cat(bits));
    }
}
