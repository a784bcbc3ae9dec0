using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The machine timer (CLINT style): <c>mtime</c> counts clock cycles, <c>mtimecmp</c> (all ones after configuration)
/// raises <see cref="TimerInterrupt"/> while <c>mtime &gt;= mtimecmp</c> (registered: one cycle after the
/// comparison holds, so that the 64-bit comparison is a path of its own). Both are 64-bit registers read and
/// written as two 32-bit words at the offsets of the <see cref="MemoryMap"/>; reads answer in the next cycle, a read
/// of mtime with the count of that cycle (the count the word reaches the bus in, one more than at the access).
/// </summary>
/// <remarks>
/// mtimecmp lives in block RAM, read every cycle: its low half in one memory (word 0) and its high half in another
/// (word 0), each of <see cref="CompareWords"/> words of 32 bits in two 256 x 16 blocks. The low half's memory keeps a
/// copy of the high half in word 1, which a read of mtimecmp's high half reads, so that the bus reads either half
/// from one memory's port. A write of a half reaches the read ports' data in the second cycle after it, and the word
/// after a read of the high half is not the low half, nor after a read of an offset with no register, for which the low
/// half's memory gives word <see cref="ZeroWord"/> (never written: 0): the comparisons of those cycles are dropped
/// (<see cref="TimerInterrupt"/> 0 in the cycle after them), so the interrupt rises a cycle later than it would with
/// mtimecmp in flip-flops, never falls later. A read of mtimecmp takes the read port's word in the cycle after the
/// access, which is the one written by a store just before. As block RAM mtimecmp is all ones after configuration, not
/// after each reset.
/// mtime is kept inverted (<c>~mtime</c>, counting down): <c>mtime &lt; mtimecmp</c> is then the carry out of
/// <c>mtimecmp + ~mtime</c>, a carry chain fed by the block RAM's word and the register as they are, with no LUT per
/// bit to invert an operand; the inversion moves to the write data and the reads, which share the LUTs they have anyway.
/// The chain's carry stages have no LUT of their own: with <see cref="Cells"/> the stages of the low half are built from
/// primitives with a <see cref="Lut4"/> beside each, which chooses the bus's word from the two operands it shares with
/// the carry (mtime's bit, inverted back, or the read port's): the read costs one LUT a bit after it, for mtime's high
/// half, and no register (the word is taken from the count of the cycle it is read back in).
/// <para><b>Words kept for a neighbour.</b> Word <see cref="KeptHighWord"/> of the high half's memory and word
/// <see cref="KeptLowWord"/> of the low half's hold words of another device of the AP's bus (<see cref="KeptHigh"/>,
/// <see cref="KeptLow"/>: the PEX call port's ARG1 and ARG0), which would otherwise take 32 flip-flops each: a write of
/// one stores <see cref="MemoryWdata"/> there (the bus's data, which every device sees, or the word the AP's system
/// puts in its place), and a read of one turns its half's read port to that word, which comes in the next cycle; the
/// comparison of that cycle is dropped like the others'.</para>
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

    /// <summary>The word of the low half's memory that holds the copy of mtimecmp's high half, which the bus reads.</summary>
    public const int HighCopyWord = 1;

    /// <summary>The word of the low half's memory that holds 0, never written: the read of an offset with no register.</summary>
    public const int ZeroWord = 2;

    /// <summary>The word of the high half's memory kept for another device (<see cref="KeptHigh"/>).</summary>
    public const int KeptHighWord = 1;

    /// <summary>The word of the low half's memory kept for another device (<see cref="KeptLow"/>).</summary>
    public const int KeptLowWord = 3;

    /// <param name="map">The memory map giving the register offsets and the size of the region.</param>
    /// <param name="cells">The comparison's carry chain and the bus's word beside it built from <c>SB_LUT4</c> and
    /// <c>SB_CARRY</c> instances (iCE40 only); false: generic Verilog that simulates the same.</param>
    /// <param name="earlyRead">The bus says early whether it may read (<see cref="ReadWanted"/>), and the read port's address follows
    /// that rather than <see cref="Select"/>.</param>
    public Clint(MemoryMap map, bool cells = false, bool earlyRead = false)
    {
        ArgumentNullException.ThrowIfNull(map);
        MtimeOffset = map.MtimeOffset;
        MtimecmpOffset = map.MtimecmpOffset;
        Cells = cells;
        if (earlyRead)
            ReadWanted = In(1);
        Offset = In(Shape.BitsFor(map.ClintSize));
        ulong[] ones = [.. Enumerable.Repeat((ulong)uint.MaxValue, CompareWords)];
        ulong[] lowWords = [.. ones];
        lowWords[ZeroWord] = 0;
        compareLowHalf = Mem(32, CompareWords, init: lowWords);
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

    /// <summary>Built from <c>SB_LUT4</c> and <c>SB_CARRY</c> instances (iCE40 only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>
    /// The truth table of the LUT beside the comparison's carry stage of bit i of the low half: inputs I0 = the last
    /// read was of mtime's low half, I1 = the read port's bit (the carry's first operand), I2 = ~mtime's bit (its
    /// second), I3 = the carry in (ignored): mtime's bit, or the read port's.
    /// </summary>
    public static ushort ReadTable { get; } = Lut4.Table((readsLow, word, mtimeInverted, _) => readsLow ? !mtimeInverted : word);

    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    /// <summary>
    /// Only with <c>earlyRead</c>: 1 when the bus may read the CLINT this cycle, from registers (every read has it; <see cref="Select"/> may come late).
    /// The read port's address follows it: a read of mtimecmp's high half or of an offset with no register turns the low
    /// half's port from word 0 whether the read comes or not, and the comparison of the next cycle is not mtimecmp's.
    /// </summary>
    public readonly Signal? ReadWanted;
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    /// <summary>
    /// The word the memories write: <see cref="Wdata"/> in a write of mtimecmp; in a write of a kept word the word to keep
    /// (the AP's system gives the bus's data, or in the cycle a PEX call completes its result).
    /// </summary>
    public readonly Signal MemoryWdata = In(32);
    public readonly Signal Rdata = Out(32);
    public readonly Signal TimerInterrupt = Out(1);
    /// <summary>The count, for the time CSR.</summary>
    public readonly Signal Mtime = Out(64);
    /// <summary>Word <see cref="KeptHighWord"/> of the high half's memory, for another device (see the remarks); its write and read 0 where there is none.</summary>
    public readonly KeptWordPort KeptHigh = In(new KeptWordPort());
    /// <summary>Word <see cref="KeptLowWord"/> of the low half's memory, for another device (see the remarks); its write and read 0 where there is none.</summary>
    public readonly KeptWordPort KeptLow = In(new KeptWordPort());

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
    /// <summary>The last read was of mtime's low half; else of its high half; else the low half's read port gives the word.</summary>
    private readonly Signal readsLow = Reg(1, reset: 0);
    private readonly Signal readsHigh = Reg(1, reset: 0);
    /// <summary>
    /// In the cycle before, mtimecmp was written (the read ports' words are still the old ones), or its high half or an
    /// offset with no register read (the low half's port reads another word): the comparison of this cycle is not mtimecmp's.
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
        var none = (~(timeLow | timeHigh | compareLow | compareHigh)).Named("none");

        // The written half is chosen after the decrement's carry chain: the write enables come from the bus's request,
        // late in the cycle, and fed into the chain (the half's enable added in, as one logic cell a bit would need)
        // they put the board SoC at 15.8 MHz.
        When(write & timeLow, () => mtimeInverted.Set(Cat(mtimeInverted[63, 32], ~Wdata)))
            .ElseWhen(write & timeHigh, () => mtimeInverted.Set(Cat(~Wdata, mtimeInverted[31, 0])))
            .Otherwise(() => mtimeInverted.Set(mtimeInverted - 1));

        // Word 0 of each half's memory read every cycle for the comparison, but in the cycle after a read of the high
        // half, whose copy the low half's memory gives, or of an offset with no register, for which it gives 0.
        int addressBits = lowRead.Address.Width;
        lowWrite.Address.Set(Mux(KeptLow.Write, U(KeptLowWord, addressBits), Mux(compareHigh, U(HighCopyWord, addressBits), U(0, addressBits))));
        lowWrite.Data.Set(MemoryWdata);
        lowWrite.Enable.Set((write & (compareLow | compareHigh)) | KeptLow.Write);
        highWrite.Address.Set(Mux(KeptHigh.Write, U(KeptHighWord, addressBits), U(0, addressBits)));
        highWrite.Data.Set(MemoryWdata);
        highWrite.Enable.Set((write & compareHigh) | KeptHigh.Write);
        Expr portRead = ReadWanted ?? read;
        lowRead.Address.Set(Mux(KeptLow.Read, U(KeptLowWord, addressBits),
            Mux(portRead & none, U(ZeroWord, addressBits), Mux(portRead & compareHigh, U(HighCopyWord, addressBits), U(0, addressBits)))));
        highRead.Address.Set(Mux(KeptHigh.Read, U(KeptHighWord, addressBits), U(0, addressBits)));
        KeptLow.Word.Set(lowRead.Data);
        KeptHigh.Word.Set(highRead.Data);
        var compare = Cat(highRead.Data, lowRead.Data);
        var portStale = ReadWanted is null ? (Select & (compareLow | compareHigh) & (Write | compareHigh)) | (read & none)
            : (write & (compareLow | compareHigh)) | (ReadWanted & (compareHigh | none));
        compareStale.Set(portStale | KeptLow.Read | KeptHigh.Read);

        When(read, () =>
        {
            readsLow.Set(timeLow);
            readsHigh.Set(timeHigh);
        });

        // mtime < mtimecmp: the carry out of mtimecmp + ~mtime; beside the low half's carry stages, the low half's word.
        Expr below;
        Expr lowWord;
        if (Cells)
        {
            var word = new Expr[32];
            Expr carry = U(0, 1);
            for (int i = 0; i < 64; i++)
            {
                if (i < 32)
                {
                    var lut = Instance(new Lut4(ReadTable), $"word{i}");
                    lut.I0.Set(readsLow);
                    lut.I1.Set(compare[i]);
                    lut.I2.Set(mtimeInverted[i]);
                    lut.I3.Set(carry);
                    word[31 - i] = lut.O;
                }
                var chain = Instance(new Carry(), $"compare{i}");
                chain.I0.Set(compare[i]);
                chain.I1.Set(mtimeInverted[i]);
                chain.CI.Set(carry);
                carry = chain.CO;
            }
            below = carry;
            lowWord = Cat(word);
        }
        else
        {
            below = (compare.ZeroExtend(65) + mtimeInverted.ZeroExtend(65))[64];
            lowWord = Mux(readsLow, ~mtimeInverted[31, 0], lowRead.Data);
        }
        Rdata.Set(Mux(readsHigh, ~mtimeInverted[63, 32], lowWord));
        pending.Set(~below & ~compareStale);
        TimerInterrupt.Set(pending);
        Mtime.Set(~mtimeInverted);
    }
}

/// <summary>
/// A word another device keeps in the <see cref="Clint"/>'s block RAM (<see cref="Clint.KeptHigh"/>, <see cref="Clint.KeptLow"/>), declared from
/// that device's side (<see cref="Pex.PexCallPort"/> declares it <c>Out(new KeptWordPort())</c>, the CLINT
/// <c>In(new KeptWordPort())</c>).
/// </summary>
/// <remarks>
/// A cycle with <see cref="Write"/> 1 writes the CLINT's <see cref="Clint.MemoryWdata"/> into the word; a cycle with <see cref="Read"/> 1 reads
/// it, and <see cref="Word"/> gives it in the next cycle (in other cycles <see cref="Word"/> is another word of the memory);
/// after a cycle with both the word is undefined (the memories do not say whether a read sees the write of its cycle).
/// </remarks>
public sealed class KeptWordPort : Bundle
{
    public readonly Signal Write = Bool();
    public readonly Signal Read = Bool();
    /// <summary>The word, in the cycle after <see cref="Read"/>.</summary>
    public readonly Signal Word = Flipped(UInt(32));
}
