using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The machine timer (CLINT style): <c>mtime</c> counts clock cycles, <c>mtimecmp</c> (all ones after configuration)
/// raises <see cref="TimerInterrupt"/> while <c>mtime &gt;= mtimecmp</c> (registered: one cycle after the
/// comparison holds, so that the 64-bit comparison is a path of its own). Both are 64-bit registers read and
/// written as two 32-bit words at the offsets of the <see cref="MemoryMap"/>; reads answer in the next cycle.
/// </summary>
/// <remarks>
/// mtimecmp lives in block RAM (<see cref="CompareWords"/> words of 64 bits, only word 0 used, in four 256 x 16 blocks),
/// read every cycle: a write of a half reaches the read port's data in the second cycle after it, so the comparison of
/// the cycle after a write, made with the old value, is dropped (<see cref="TimerInterrupt"/> 0 in the cycle after
/// that), and the interrupt rises one cycle later than it would with mtimecmp in flip-flops, never falls later. A read
/// of mtimecmp takes the read port's word in the cycle after the access, which is the one written by a store just
/// before. As block RAM mtimecmp is all ones after configuration, not after each reset.
/// mtime is kept inverted (<c>~mtime</c>, counting down): <c>mtime &lt; mtimecmp</c> is then the carry out of
/// <c>mtimecmp + ~mtime</c>, a carry chain fed by the block RAM's word and the register as they are, with no LUT per
/// bit to invert an operand; the inversion moves to the write data and the reads, which share the LUTs they have anyway.
/// mtime is not mcycle, although both count clock cycles from reset: each can be written by itself (a store to
/// mtime, <c>csrw mcycle</c>), after which they differ.
/// </remarks>
public sealed class Clint : Module
{
    /// <summary>
    /// The words of the memory that holds mtimecmp: Yosys puts a memory in block RAM only when it fills at least 2 % of
    /// the blocks (8 words of 64 bits in four 256 x 16 blocks), else it becomes flip-flops again.
    /// </summary>
    public const int CompareWords = 8;

    public Clint(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        MtimeOffset = map.MtimeOffset;
        MtimecmpOffset = map.MtimecmpOffset;
        Offset = In(Shape.BitsFor(map.ClintSize));
        mtimecmp = Mem(64, CompareWords, init: Enumerable.Repeat(ulong.MaxValue, CompareWords).ToArray());
        // The word read in the cycle of a write is not used (the comparison after a write is dropped; a read of
        // mtimecmp is an access of its own), so Yosys need not add logic to give the old word.
        mtimecmp.ReadDuringWrite = ReadDuringWrite.Undefined;
        compareRead = mtimecmp.ReadPort();
        compareWrite = mtimecmp.WritePort(granularity: 32);
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

    /// <summary>~mtime (see the remarks): all ones after reset, mtime 0.</summary>
    private readonly Signal mtimeInverted = Reg(64, reset: ulong.MaxValue);
    private readonly Memory mtimecmp;
    private readonly MemoryReadPort compareRead;
    private readonly MemoryWritePort compareWrite;
    /// <summary>The word of mtime the last read took (0 when it read another register).</summary>
    private readonly Signal readData = Reg(32, reset: 0);
    // The last read was of mtimecmp's low or high half, which the read port gives in the cycle after it.
    private readonly Signal readsCompareLow = Reg(1, reset: 0);
    private readonly Signal readsCompareHigh = Reg(1, reset: 0);
    /// <summary>mtimecmp was written in the cycle before: the read port's word is still the old one.</summary>
    private readonly Signal compareWritten = Reg(1, reset: 0);
    private readonly Signal pending = Reg(1, reset: 0);

    protected override void Build()
    {
        var write = (Select & Write).Named("write");
        var read = (Select & ~Write).Named("read");
        var timeLow = Offset.Eq(MtimeOffset).Named("timeLow");
        var timeHigh = Offset.Eq(MtimeOffset + 4).Named("timeHigh");
        var compareLow = Offset.Eq(MtimecmpOffset).Named("compareLow");
        var compareHigh = Offset.Eq(MtimecmpOffset + 4).Named("compareHigh");

        // The written half is chosen after the decrement's carry chain: the write enables come from the bus's request,
        // late in the cycle, and fed into the chain (the half's enable added in, as one logic cell a bit would need)
        // they put the board SoC at 15.8 MHz.
        When(write & timeLow, () => mtimeInverted.Set(Cat(mtimeInverted[63, 32], ~Wdata)))
            .ElseWhen(write & timeHigh, () => mtimeInverted.Set(Cat(~Wdata, mtimeInverted[31, 0])))
            .Otherwise(() => mtimeInverted.Set(mtimeInverted - 1));

        // Word 0 of the memory, a half at a time (the write mask), read every cycle.
        compareWrite.Data.Set(Cat(Wdata, Wdata));
        compareWrite.Mask!.Set(Cat(compareHigh, compareLow));
        compareWrite.Enable.Set(write & (compareLow | compareHigh));
        var compare = compareRead.Data;
        compareWritten.Set(write & (compareLow | compareHigh));

        When(read, () =>
        {
            When(timeLow, () => readData.Set(~mtimeInverted[31, 0]))
                .ElseWhen(timeHigh, () => readData.Set(~mtimeInverted[63, 32]))
                .Otherwise(() => readData.Set(0));
            readsCompareLow.Set(compareLow);
            readsCompareHigh.Set(compareHigh);
        });
        Rdata.Set(readData | Mux(readsCompareLow, compare[31, 0], 0) | Mux(readsCompareHigh, compare[63, 32], 0));

        var later = (compare.ZeroExtend(65) + mtimeInverted.ZeroExtend(65)).Named("later");
        pending.Set(~later[64] & ~compareWritten);
        TimerInterrupt.Set(pending);
        Mtime.Set(~mtimeInverted);
    }
}
