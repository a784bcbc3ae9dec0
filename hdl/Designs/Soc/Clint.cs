using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The machine timer (CLINT style): <c>mtime</c> counts clock cycles, <c>mtimecmp</c> (all ones after reset)
/// raises <see cref="TimerInterrupt"/> while <c>mtime &gt;= mtimecmp</c> (registered: one cycle after the
/// comparison holds, so that the 64-bit comparison is a path of its own). Both are 64-bit registers read and
/// written as two 32-bit words at the offsets of the <see cref="MemoryMap"/>; reads answer in the next cycle.
/// </summary>
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
    private readonly Signal mtimecmp = Reg(64, reset: ulong.MaxValue);
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

        When(write & timeLow, () => mtime.Set(Cat(mtime[63, 32], Wdata)))
            .ElseWhen(write & timeHigh, () => mtime.Set(Cat(Wdata, mtime[31, 0])))
            .Otherwise(() => mtime.Set(mtime + 1));
        When(write & compareLow, () => mtimecmp.Set(Cat(mtimecmp[63, 32], Wdata)))
            .ElseWhen(write & compareHigh, () => mtimecmp.Set(Cat(Wdata, mtimecmp[31, 0])));

        When(read, () =>
        {
            When(timeLow, () => readData.Set(mtime[31, 0]))
                .ElseWhen(timeHigh, () => readData.Set(mtime[63, 32]))
                .ElseWhen(compareLow, () => readData.Set(mtimecmp[31, 0]))
                .ElseWhen(compareHigh, () => readData.Set(mtimecmp[63, 32]))
                .Otherwise(() => readData.Set(0));
        });
        Rdata.Set(readData);
        pending.Set(mtime >= mtimecmp);
        TimerInterrupt.Set(pending);
        Mtime.Set(mtime);
    }
}
