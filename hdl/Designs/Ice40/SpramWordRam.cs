using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// 32 KiB of 32-bit words with byte write enables in one <c>SB_SPRAM256KA</c> (16K x 16): each word is two
/// half-words of the block (the low half at an even address, the high half after it), so an access takes two
/// cycles. A read or write starts in a cycle with <see cref="Select"/>, on the low half; the next cycle
/// (<see cref="Wait"/> 1) does the high half; the word read is on <see cref="Rdata"/> the cycle after that
/// (<see cref="Wait"/> 0), and stays there until the next access. A bus port that may wait drives it.
/// </summary>
/// <remarks>
/// A <see cref="Select"/> in the cycle of the high half starts the new access and drops the old one's high half: the
/// port must not start an access while <see cref="Wait"/> is 1. The high half's address, mask and write are latched in
/// the first cycle (a bus port presents the next access's address meanwhile); so is its data, unless the unit is
/// built for a master that holds its write data until the access is answered (<see cref="WriteDataHeld"/>): then the
/// high half is written from <see cref="Wdata"/> in the second cycle, and 16 flip-flops are saved. Likewise a master
/// that holds the address through the second cycle (<see cref="AddressHeld"/>) saves the address's 13 flip-flops
/// (each a logic cell of its own, loaded from the port's multiplexer) and its multiplexer.
/// <para>A quiet unit (<see cref="Quiet"/>) gives the word read in the cycle of its answer only, and 0 in every other: the
/// low half from its register cleared in the other cycles, the high half from the block gated by a flip-flop, so that
/// an interconnect ORs it in without a read select of its own.</para>
/// </remarks>
public sealed class SpramWordRam : Module
{
    /// <param name="writeDataHeld">
    /// <see cref="Wdata"/> keeps a write's word through its second cycle (the high half is written from it, not from a
    /// copy latched in the first).
    /// </param>
    /// <param name="addressHeld">
    /// <see cref="Address"/> keeps an access's word index through its second cycle (the high half is addressed from it,
    /// not from a copy latched in the first).
    /// </param>
    /// <param name="valueUnplaced">
    /// <see cref="Wdata"/> is a store's value as it is, a byte or halfword in its low bits (<see cref="ValueUnplaced"/>);
    /// needs <paramref name="writeDataHeld"/>.
    /// </param>
    /// <param name="quiet">
    /// <see cref="Rdata"/> is 0 but in the cycle after a read's second one (<see cref="Quiet"/>).
    /// </param>
    public SpramWordRam(bool writeDataHeld = false, bool addressHeld = false, bool valueUnplaced = false, bool quiet = false)
    {
        if (valueUnplaced && !writeDataHeld)
            throw new ArgumentException("a store's value is placed in the lanes of both halves from Wdata: it must be held (writeDataHeld)", nameof(valueUnplaced));
        WriteDataHeld = writeDataHeld;
        AddressHeld = addressHeld;
        ValueUnplaced = valueUnplaced;
        Quiet = quiet;
        if (quiet)
            answered = Reg(1, reset: 0);
        if (valueUnplaced)
            highWord = Reg(1);
        if (!writeDataHeld)
            highData = Reg(16);
        if (!addressHeld)
            highAddress = Reg(13);
    }

    /// <summary>The master holds <see cref="Wdata"/> through a write's second cycle (see the constructor).</summary>
    [Parameter]
    public bool WriteDataHeld { get; }

    /// <summary>The master holds <see cref="Address"/> through an access's second cycle (see the constructor).</summary>
    [Parameter]
    public bool AddressHeld { get; }

    /// <summary>
    /// <see cref="Wdata"/> is a store's value as it is (a byte in bits 7..0, a halfword in bits 15..0, or the word), not
    /// the word with the value in every lane: the unit places it in the lanes <see cref="Mask"/> writes, a multiplexer
    /// per bit of the block's 16-bit input in place of one in front of each lane and one between the halves.
    /// </summary>
    [Parameter]
    public bool ValueUnplaced { get; }

    /// <summary>
    /// <see cref="Rdata"/> is the word read in the cycle after a read's second cycle alone, and 0 in every other cycle
    /// (after a write too), not the last word read held until the next access.
    /// </summary>
    [Parameter]
    public bool Quiet { get; }

    /// <summary>Words: 8K (32 KiB).</summary>
    public const int Words = 8192;

    /// <summary>Word index.</summary>
    public readonly Signal Address = In(13);

    /// <summary>1: an access starts this cycle.</summary>
    public readonly Signal Select = In(1);

    /// <summary>1: the access is a write.</summary>
    public readonly Signal Write = In(1);

    /// <summary>Byte enables of a write: bit <c>i</c> writes <c>Wdata[8i+7:8i]</c>.</summary>
    public readonly Signal Mask = In(4);

    public readonly Signal Wdata = In(32);

    /// <summary>The word read, valid in the second cycle after <see cref="Select"/> (<see cref="Quiet"/>: 0 in the others).</summary>
    public readonly Signal Rdata = Out(32);

    /// <summary>1 in the cycle after <see cref="Select"/>: the high half is being accessed.</summary>
    public readonly Signal Wait = Out(1);

    // The high half's access, latched from the first cycle.
    private readonly Signal high = Reg(1, reset: 0);
    private readonly Signal? highAddress;
    private readonly Signal highWrite = Reg(1);
    private readonly Signal highMask = Reg(2);
    private readonly Signal? highData;
    private readonly Signal lowRead = Reg(16);
    /// <summary>The access writes the whole word (<see cref="ValueUnplaced"/> only): the high half takes its bytes 2 and 3.</summary>
    private readonly Signal? highWord;
    /// <summary>The read's answer is out this cycle (<see cref="Quiet"/> only): the block's high half passes.</summary>
    private readonly Signal? answered;

    protected override void Build()
    {
        var block = Instance(new Spram256ka(), "block");
        high.Set(Select);
        When(Select, () =>
        {
            highAddress?.Set(Address);
            highWrite.Set(Write);
            highMask.Set(Mask[3, 2]);
            highData?.Set(Wdata[31, 16]);
            highWord?.Set(Mask.Eq(0b1111));
        });
        // The low half read in the first cycle comes out in the second (quiet: of a read only, and 0 in every other cycle).
        if (answered is null)
        {
            When(high, () => lowRead.Set(block.DATAOUT));
        }
        else
        {
            var highRead = (high & ~highWrite).Named("highRead");
            answered.Set(highRead);
            lowRead.Set(Mux(highRead, block.DATAOUT, U(0, 16)));
        }

        var mask = Mux(Select, Mask[1, 0], highMask).Named("halfMask");
        // The half: 0 in the first cycle, 1 in the second (with no access the block is not selected).
        block.ADDRESS.Set(highAddress is null ? Cat(Address, ~Select) : Mux(Select, Cat(Address, U(0, 1)), Cat(highAddress, U(1, 1))));
        if (highWord is null)
        {
            block.DATAIN.Set(Mux(Select, Wdata[15, 0], highData ?? Wdata[31, 16]));
        }
        else
        {
            // The value placed: lanes 0 and 2 take its byte 0, but a word's high half its byte 2; lanes 1 and 3 its byte
            // 1 (a halfword, a word's low half) or byte 0 (a byte: the lane's mask alone, not its neighbour's), but a
            // word's high half its byte 3.
            var wordHigh = (~Select & highWord).Named("wordHigh");
            var secondByte = Mux(Select, Mask[0], highMask[0]).Named("secondByte");
            block.DATAIN.Set(Cat(Mux(wordHigh, Wdata[31, 24], Mux(secondByte, Wdata[15, 8], Wdata[7, 0])), Mux(wordHigh, Wdata[23, 16], Wdata[7, 0])));
        }
        block.MASKWREN.Set(Cat(mask[1], mask[1], mask[0], mask[0]));
        block.WREN.Set(Mux(Select, Write, highWrite));
        block.CHIPSELECT.Set(Select | high);
        block.CLOCK.Set(Clock());
        block.PowerOn();

        Wait.Set(high);
        Rdata.Set(Cat(answered is null ? block.DATAOUT : block.DATAOUT & answered.Replicate(16), lowRead));
    }
}
