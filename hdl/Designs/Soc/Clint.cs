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
/// mtimecmp lives in block RAM, read every cycle: its low half in one memory (word 0) and its high half in another
/// (word 0), each of <see cref="CompareWords"/> words of 32 bits in two 256 x 16 blocks. The low half's memory keeps a
/// copy of the high half in word 1, which a read of mtimecmp's high half reads, so that the bus reads either half
/// from one memory's port. A write of a half reaches the read ports' data in the second cycle after it, and the word
/// after a read of the high half is not the low half: the comparisons of those cycles are dropped
/// (<see cref="TimerInterrupt"/> 0 in the cycle after them), so the interrupt rises a cycle later than it would with
/// mtimecmp in flip-flops, never falls later. A read of mtimecmp takes the read port's word in the cycle after the
/// access, which is the one written by a store just before. As block RAM mtimecmp is all ones after configuration, not
/// after each reset.
/// mtime is kept inverted (<c>~mtime</c>, counting down): <c>mtime &lt; mtimecmp</c> is then the carry out of
/// <c>mtimecmp + ~mtime</c>, a carry chain fed by the block RAM's word and the register as they are, with no LUT per
/// bit to invert an operand; the inversion moves to the write data and the reads, which share the LUTs they have anyway.
/// mtime is not mcycle, although both count clock cycles from reset: each can be written by itself (a store to
/// mtime, <c>csrw mcycle</c>), after which they differ.
/// </remarks>
public sealed class Clint : Module
{
    /// <summary>
    /// The words of each memory that holds a half of mtimecmp: Yosys puts a memory in block RAM only when it fills at
    /// least 2 % of the blocks (8 words of 32 bits in two 256 x 16 blocks), else it becomes flip-flops again.
    /// </summary>
    public const int CompareWords = 8;

    public Clint(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        MtimeOffset = map.MtimeOffset;
        MtimecmpOffset = map.MtimecmpOffset;
        Offset = In(Shape.BitsFor(map.ClintSize));
        ulong[] ones = [.. Enumerable.Repeat((ulong)uint.MaxValue, CompareWords)];
        compareLowHalf = Mem(32, CompareWords, init: ones);
        compareHighHalf = Mem(32, CompareWords, init: ones);
        // The word read in the cycle of a write is not used (the comparison after a write is dropped; a read of
        // mtimecmp is an access of its own), so Yosys need not add logic to give the old word.
        compareLowHalf.ReadDuringWrite = ReadDuringWrite.Undefined;
        compareHighHalf.ReadDuringWrite = ReadDuringWrite.Undefined;
        lowRead = compareLowHalf.ReadPort();
        lowWrite = compareLowHalf.WritePort();
        highRead = compareHighHalf.ReadPort();
        highWrite = compareHighHalf.WritePort();
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
    /// <summary>mtimecmp's low half (word 0) and a copy of its high half (word 1, read by the bus).</summary>
    private readonly Memory compareLowHalf;
    /// <summary>mtimecmp's high half (word 0).</summary>
    private readonly Memory compareHighHalf;
    private readonly MemoryReadPort lowRead;
    private readonly MemoryWritePort lowWrite;
    private readonly MemoryReadPort highRead;
    private readonly MemoryWritePort highWrite;
    /// <summary>The word of mtime the last read took (0 when it read another register).</summary>
    private readonly Signal readData = Reg(32, reset: 0);
    /// <summary>The last read was of mtimecmp, which the low half's read port gives in the cycle after it.</summary>
    private readonly Signal readsCompare = Reg(1, reset: 0);
    /// <summary>
    /// In the cycle before, mtimecmp was written (the read ports' words are still the old ones) or its high half read
    /// (the low half's port reads the copy of the high half): the comparison of this cycle is not mtimecmp's.
    /// </summary>
    private readonly Signal compareStale = Reg(1, reset: 0);
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

        // Word 0 of each half's memory read every cycle for the comparison, but in the cycle after a read of the high
        // half, whose copy the low half's memory gives (word 1).
        lowWrite.Address.Set(compareHigh.ZeroExtend(lowWrite.Address.Width));
        lowWrite.Data.Set(Wdata);
        lowWrite.Enable.Set(write & (compareLow | compareHigh));
        highWrite.Data.Set(Wdata);
        highWrite.Enable.Set(write & compareHigh);
        lowRead.Address.Set((read & compareHigh).ZeroExtend(lowRead.Address.Width));
        var compare = Cat(highRead.Data, lowRead.Data);
        compareStale.Set(Select & (compareLow | compareHigh) & (Write | compareHigh));

        When(read, () =>
        {
            When(timeLow, () => readData.Set(~mtimeInverted[31, 0]))
                .ElseWhen(timeHigh, () => readData.Set(~mtimeInverted[63, 32]))
                .Otherwise(() => readData.Set(0));
            readsCompare.Set(compareLow | compareHigh);
        });
        Rdata.Set(readData | Mux(readsCompare, lowRead.Data, 0));

        var later = (compare.ZeroExtend(65) + mtimeInverted.ZeroExtend(65)).Named("later");
        pending.Set(~later[64] & ~compareStale);
        TimerInterrupt.Set(pending);
        Mtime.Set(~mtimeInverted);
    }
}
