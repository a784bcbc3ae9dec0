using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The machine timer (CLINT style): <c>mtime</c> counts clock cycles, <c>mtimecmp</c> (all ones after reset)
/// raises <see cref="TimerInterrupt"/> while <c>mtime &gt;= mtimecmp</c> (registered: one cycle after the
/// comparison holds, so that the 64-bit comparison is a path of its own). Both are 64-bit registers read and
/// written as two 32-bit words at the offsets of the <see cref="MemoryMap"/>; reads answer in the next cycle.
/// </summary>
/// <remarks>
/// mtimecmp is kept inverted: <c>mtime &gt;= mtimecmp</c> is then the carry out of <c>mtime + ~mtimecmp + 1</c>, a
/// carry chain fed by the two registers as they are, with no LUT per bit to invert an operand (97 LUT4 fewer on the
/// iCE40); the inversion moves to the write data and the read, which share the LUTs they have anyway.
/// mtime is not mcycle, although both count clock cycles from reset: each can be written by itself (a store to
/// mtime, <c>csrw mcycle</c>), after which they differ.
/// </remarks>
public sealed class Clint : Module
{
    public Clint(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        MtimeOffset = map.MtimeOffset;
        MtimecmpOffset = map.MtimecmpOffset;
        Offset = In(Shape.BitsFor(map.ClintSize));
    }

    [Parameter]
    public uint MtimeOffset { get; }

    [Parameter]
    public uint MtimecmpOffset { get; }

    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    public readonly Signal Rdata = Out(32);
    public readonly Signal TimerInterrupt = Out(1);
    /// <summary>The count, for the time CSR.</summary>
    public readonly Signal Mtime = Out(64);

    private readonly Signal mtime = Reg(64, reset: 0);
    /// <summary>~mtimecmp (see the remarks): all zeros after reset, mtimecmp all ones.</summary>
    private readonly Signal mtimecmpInverted = Reg(64, reset: 0);
    private readonly Signal readData = Reg(32, reset: 0);
    private readonly Signal pending = Reg(1, reset: 0);

    protected override void Build()
    {
        var write = (Select & Write).Named("write");
        var read = (Select & ~Write).Named("read");
        var timeLow = Offset.Eq(MtimeOffset).Named("timeLow");
        var timeHigh = Offset.Eq(MtimeOffset + 4).Named("timeHigh");
        var compareLow = Offset.Eq(MtimecmpOffset).Named("compareLow");
        var compareHigh = Offset.Eq(MtimecmpOffset + 4).Named("compareHigh");

        // The written half is chosen after the increment's carry chain: the write enables come from the bus's request,
        // late in the cycle, and fed into the chain (the half's enable added in, as one logic cell a bit would need)
        // they put the board SoC at 15.8 MHz.
        When(write & timeLow, () => mtime.Set(Cat(mtime[63, 32], Wdata)))
            .ElseWhen(write & timeHigh, () => mtime.Set(Cat(Wdata, mtime[31, 0])))
            .Otherwise(() => mtime.Set(mtime + 1));
        // Each half inverts the data with a LUT of its own (compareLow or compareHigh, 1 while it is written, is an
        // input), so that the LUT drives only the half's flip-flop and shares its logic cell: one inversion of Wdata
        // for both halves would leave the 64 flip-flops in cells of their own.
        When(write & compareLow, () => mtimecmpInverted.Set(Cat(mtimecmpInverted[63, 32], ~(Wdata & compareLow.Replicate(32)))))
            .ElseWhen(write & compareHigh, () => mtimecmpInverted.Set(Cat(~(Wdata & compareHigh.Replicate(32)), mtimecmpInverted[31, 0])));

        When(read, () =>
        {
            When(timeLow, () => readData.Set(mtime[31, 0]))
                .ElseWhen(timeHigh, () => readData.Set(mtime[63, 32]))
                .ElseWhen(compareLow, () => readData.Set(~mtimecmpInverted[31, 0]))
                .ElseWhen(compareHigh, () => readData.Set(~mtimecmpInverted[63, 32]))
                .Otherwise(() => readData.Set(0));
        });
        Rdata.Set(readData);
        var reached = (mtime.ZeroExtend(65) + mtimecmpInverted.ZeroExtend(65) + 1).Named("reached");
        pending.Set(reached[64]);
        TimerInterrupt.Set(pending);
        Mtime.Set(mtime);
    }
}
