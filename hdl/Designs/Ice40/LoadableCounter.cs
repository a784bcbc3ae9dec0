using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// A counter that adds <see cref="CarryIn"/> each cycle, or takes <see cref="Data"/> when <see cref="Load"/> is 1:
/// <c>value ← Load ? Data : value + CarryIn</c>. With <see cref="Cells"/> every bit is one iCE40 logic cell, built
/// from the primitives: a <see cref="Lut4"/> that computes <c>Load ? Data : value ^ carry</c> (inputs Data, value,
/// Load and the carry in), the <see cref="Carry"/> that shares its value and Load inputs, and the bit's flip-flop.
/// Its carry out is the increment's, <c>value · carry</c>, while Load is 0; while Load is 1 it is garbage, which
/// the bits loaded ignore: a counter whose carry out feeds another must not load the lower one alone (this one
/// gives no carry out). Synthesis does not find this packing by itself (an adder and a multiplexer after it: two
/// cells a bit). Without <see cref="Cells"/>, the same register in generic Verilog, which simulates alike.
/// </summary>
/// <remarks>
/// The load and its data take the LUT's first three inputs, so they must come early in the cycle (from registers):
/// Load also enters the carry chain, which ripples through every bit of the counter.
/// </remarks>
public sealed class LoadableCounter : Module
{
    /// <summary>A <paramref name="width"/>-bit counter, in logic cells built from primitives when <paramref name="cells"/>, else generic.</summary>
    public LoadableCounter(int width, bool cells)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Width = width;
        Cells = cells;
        Load = In(1);
        Data = In(width);
        CarryIn = In(1);
        Value = Out(width);
        value = Reg(width, reset: 0);
    }

    /// <summary>The bits of the counter.</summary>
    [Parameter]
    public int Width { get; }

    /// <summary>Built from <c>SB_LUT4</c> and <c>SB_CARRY</c> instances (iCE40 only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>The truth table of a bit's LUT: inputs I0 = the data, I1 = the bit, I2 = the load, I3 = the carry in.</summary>
    public static ushort BitTable { get; } = Lut4.Table((data, bit, load, carry) => load ? data : bit ^ carry);

    /// <summary>Take <see cref="Data"/> rather than count (from a register: it enters the carry chain).</summary>
    public readonly Signal Load;
    public readonly Signal Data;
    /// <summary>1: count this cycle.</summary>
    public readonly Signal CarryIn;
    public readonly Signal Value;

    private readonly Signal value;

    protected override void Build()
    {
        Value.Set(value);
        if (!Cells)
        {
            value.Set(Mux(Load, Data, value + CarryIn.ZeroExtend(Width)));
            return;
        }
        var next = new Expr[Width];
        Expr carry = CarryIn;
        for (int i = 0; i < Width; i++)
        {
            var lut = Instance(new Lut4(BitTable), $"bit{i}");
            lut.I0.Set(Data[i]);
            lut.I1.Set(value[i]);
            lut.I2.Set(Load);
            lut.I3.Set(carry);
            next[Width - 1 - i] = lut.O;
            if (i == Width - 1)
                break;
            var chain = Instance(new Carry(), $"carry{i}");
            chain.I0.Set(value[i]);
            chain.I1.Set(Load);
            chain.CI.Set(carry);
            carry = chain.CO;
        }
        value.Set(Cat(next));
    }
}
