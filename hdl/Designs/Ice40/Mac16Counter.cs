using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// A 32-bit counter that adds its carry in every cycle or loads the value its <see cref="Data"/> had a cycle before,
/// reset to 0, in one <c>SB_MAC16</c> when <see cref="Cells"/> (iCE40 UltraPlus): the DSP block's two 16-bit
/// accumulators, the bottom one's carry out into the top one, with their output registers, which load the C and D input
/// registers instead (<c>OLOADTOP</c>, <c>OLOADBOT</c>). No logic cell is used, not even for the data's register. Without <see cref="Cells"/>, the same register in generic Verilog, which simulates alike (the
/// <see cref="Ice40Models"/> model the block for Verilator and Icarus).
/// </summary>
/// <remarks>
/// The carry in enters as the bottom adder's B input, its load as the output stage's load; both are best driven from
/// registers (the block sits at the edge of the device). The output registers reset asynchronously
/// (<c>ORSTTOP</c>, <c>ORSTBOT</c> from the domain's reset): a reset that changes with the clock, as the domain's does,
/// gives the value of the generic counter at every clock edge. Yosys's DSP inference would rewrite the block as a
/// multiplier; the FPGA flow keeps it from doing so.
/// </remarks>
public sealed class Mac16Counter : Module
{
    /// <summary>The counter's bits: those of the DSP block's output.</summary>
    public const int Width = 32;

    /// <summary>A counter in an <c>SB_MAC16</c> when <paramref name="cells"/>, else generic.</summary>
    public Mac16Counter(bool cells)
    {
        Cells = cells;
        if (!cells)
        {
            value = Reg(Width, reset: 0);
            loadData = Reg(Width);
        }
    }

    /// <summary>Built from an <c>SB_MAC16</c> instance (iCE40 UltraPlus only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>
    /// The configuration of the DSP block: both adders add their lower input (A on top, B at the bottom) to their
    /// output register, the top one with the bottom one's carry out, both halves of <c>O</c> are the registers, and C and
    /// D (the value a load takes) are registered.
    /// </summary>
    public static Mac16Options Options { get; } = new()
    {
        CRegister = true,
        DRegister = true,
        TopOutput = Mac16Output.Register,
        TopAdderLowerInput = Mac16AdderInput.Input,
        TopAdderUpperInput = Mac16AdderUpper.Accumulator,
        TopAdderCarry = Mac16Carry.Cascade,
        BottomOutput = Mac16Output.Register,
        BottomAdderLowerInput = Mac16AdderInput.Input,
        BottomAdderUpperInput = Mac16AdderUpper.Accumulator,
        BottomAdderCarry = Mac16Carry.Zero,
    };

    /// <summary>Take the value <see cref="Data"/> had in the previous cycle rather than count.</summary>
    public readonly Signal Load = In(1);
    /// <summary>The value a load in the next cycle takes (registered here: it may come late in the cycle).</summary>
    public readonly Signal Data = In(Width);
    /// <summary>1: count this cycle.</summary>
    public readonly Signal CarryIn = In(1);
    public readonly Signal Value = Out(Width);
    /// <summary>
    /// 1: this cycle's count carries out of the top bit (<see cref="Value"/> all ones and <see cref="CarryIn"/>), whether or
    /// not it loads: the block's adder carry out (<c>CO</c>, routed to the fabric). A second counter that takes it as its
    /// <see cref="CarryIn"/> counts the high half of one 64-bit count.
    /// </summary>
    public readonly Signal CarryOut = Out(1);

    /// <summary>The generic counter and the value a load takes (without <see cref="Cells"/>).</summary>
    private readonly Signal? value;
    private readonly Signal? loadData;

    protected override void Build()
    {
        if (value is not null && loadData is not null)
        {
            loadData.Set(Data);
            value.Set(Mux(Load, loadData, value + CarryIn.ZeroExtend(Width)));
            Value.Set(value);
            CarryOut.Set(value.All() & CarryIn);
            return;
        }
        var block = Instance(new Mac16(Options), "block");
        block.CLK.Set(Clock());
        block.CE.Set(1);
        block.A.Set(0);
        block.B.Set(CarryIn.ZeroExtend(16));
        block.C.Set(Data[31, 16]);
        block.D.Set(Data[15, 0]);
        block.OLOADTOP.Set(Load);
        block.OLOADBOT.Set(Load);
        block.ORSTTOP.Set(Reset());
        block.ORSTBOT.Set(Reset());
        foreach (var idle in new[] { block.AHOLD, block.BHOLD, block.CHOLD, block.DHOLD, block.IRSTTOP, block.IRSTBOT,
                     block.ADDSUBTOP, block.ADDSUBBOT, block.OHOLDTOP, block.OHOLDBOT, block.CI, block.ACCUMCI, block.SIGNEXTIN })
            idle.Set(0);
        Value.Set(block.O);
        CarryOut.Set(block.CO);
    }
}
