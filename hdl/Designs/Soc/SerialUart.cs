using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The console UART on real serial lines: 8 data bits, no parity, one stop bit (8N1), at
/// <see cref="ClocksPerBit"/> clock cycles per bit. <see cref="Tx"/> idles high; <see cref="Rx"/> is
/// asynchronous and goes through a two-flop synchroniser. The registers are those of <see cref="Uart"/>, at the
/// offsets of the <see cref="MemoryMap"/>; reads answer in the cycle after the access, like the RAM.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>register</term><description>access</description></listheader>
/// <item><term><c>UartDataOffset</c> write</term><description>queue the low byte of the word for sending. The
/// queue is the transmit shifter plus a one-byte holding register; a write while status bit 0 is 0 is
/// dropped.</description></item>
/// <item><term><c>UartDataOffset</c> read</term><description>take the oldest received byte from the receive FIFO
/// (bits 7:0; the word is 0 when the FIFO is empty).</description></item>
/// <item><term><c>UartStatusOffset</c> read</term><description>bit 0: ready to send (the holding register is free);
/// bit 1: a received byte is waiting; bit 2: a framing error was seen since the last read of the status
/// register (reading clears it). Other bits read 0.</description></item>
/// </list>
/// The receiver detects a start bit on the falling edge of the idle line, checks it again at the middle of the
/// bit (a low pulse shorter than half a bit starts nothing), and samples every bit by a majority of three
/// samples around its middle. A byte whose stop bit is 0 is dropped (framing error); a byte that arrives while
/// the receive FIFO (<see cref="RxFifoDepth"/> bytes) is full is dropped (overrun). The receiver is ready for
/// the next start bit from the middle of the stop bit, so a sender a few percent fast is received too.
/// </remarks>
public sealed class SerialUart : Module
{
    /// <summary>The smallest divisor: the receiver samples three times around the middle of a bit.</summary>
    public const int MinClocksPerBit = 8;

    /// <summary>The largest baud rate error <see cref="ClocksPerBitFor"/> accepts, as a fraction.</summary>
    public const double MaxBaudError = 0.02;

    /// <param name="map">The memory map giving the register offsets and the size of the device's region.</param>
    /// <param name="clocksPerBit">Clock cycles per bit (clock frequency / baud rate, see <see cref="ClocksPerBitFor"/>); at least 8.</param>
    /// <param name="rxFifoDepth">Bytes held by the receive FIFO: a power of two from 2 to 256. From 16 on, Yosys puts
    /// the FIFO in one iCE40 block RAM; smaller ones become flip-flops and a read multiplexer (more logic).</param>
    public SerialUart(MemoryMap map, int clocksPerBit, int rxFifoDepth = 16)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(clocksPerBit, MinClocksPerBit);
        if (rxFifoDepth < 2 || rxFifoDepth > 256 || (rxFifoDepth & (rxFifoDepth - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(rxFifoDepth), rxFifoDepth, "the receive FIFO depth must be a power of two from 2 to 256");
        DataOffset = map.UartDataOffset;
        StatusOffset = map.UartStatusOffset;
        ClocksPerBit = clocksPerBit;
        RxFifoDepth = rxFifoDepth;
        Offset = In(Shape.BitsFor(map.UartSize));

        int countBits = Shape.BitsFor((ulong)clocksPerBit);
        txCount = Reg(countBits, reset: 0);
        rxCount = Reg(countBits, reset: 0);
        int pointerBits = Shape.BitsFor((ulong)rxFifoDepth) + 1;
        rxWritePointer = Reg(pointerBits, reset: 0);
        rxReadPointer = Reg(pointerBits, reset: 0);
        rxFifo = Mem(8, rxFifoDepth);
        rxFifoRead = rxFifo.ReadPort();
        rxFifoWrite = rxFifo.WritePort();
    }

    /// <summary>
    /// The divisor for <paramref name="baud"/> at <paramref name="clockHz"/>: the rounded ratio. Throws
    /// <see cref="ArgumentException"/> when it is below <see cref="MinClocksPerBit"/> or when the baud rate it
    /// gives is more than 2% away from <paramref name="baud"/>.
    /// </summary>
    public static int ClocksPerBitFor(double clockHz, int baud)
    {
        if (!(clockHz > 0) || double.IsInfinity(clockHz))
            throw new ArgumentException($"the clock frequency must be positive, not {clockHz}", nameof(clockHz));
        if (baud <= 0)
            throw new ArgumentException($"the baud rate must be positive, not {baud}", nameof(baud));
        double ratio = clockHz / baud;
        if (ratio > int.MaxValue)
            throw new ArgumentException($"{baud} baud at {clockHz} Hz needs a divisor of {ratio:F0}, too large", nameof(baud));
        int divisor = (int)Math.Round(ratio, MidpointRounding.AwayFromZero);
        if (divisor < MinClocksPerBit)
            throw new ArgumentException(
                $"{baud} baud at {clockHz} Hz gives {divisor} clocks per bit; the UART needs at least {MinClocksPerBit}", nameof(baud));
        double error = Math.Abs(clockHz / divisor - baud) / baud;
        if (error > MaxBaudError)
            throw new ArgumentException(
                $"{baud} baud at {clockHz} Hz: {divisor} clocks per bit give {clockHz / divisor:F0} baud, {error:P1} off (at most {MaxBaudError:P0})",
                nameof(baud));
        return divisor;
    }

    [Parameter]
    public uint DataOffset { get; }

    [Parameter]
    public uint StatusOffset { get; }

    /// <summary>Clock cycles per bit: the clock frequency divided by the baud rate.</summary>
    [Parameter]
    public int ClocksPerBit { get; }

    /// <summary>Bytes the receive FIFO holds.</summary>
    [Parameter]
    public int RxFifoDepth { get; }

    /// <summary>1 when the processor accesses this device in this cycle.</summary>
    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    /// <summary>The byte offset of the access within the device.</summary>
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    /// <summary>The register read, in the cycle after the access; 0 in every other cycle (a quiet device for the <see cref="Interconnect"/>).</summary>
    public readonly Signal Rdata = Out(32);

    /// <summary>The serial output; 1 when idle.</summary>
    public readonly Signal Tx = Out(1);
    /// <summary>The serial input, asynchronous to the clock.</summary>
    public readonly Signal Rx = In(1);

    // Transmitter: a holding register in front of the shifter.
    private readonly Signal txHold = Reg(8, reset: 0);
    private readonly Signal txHoldFull = Reg(1, reset: 0);
    /// <summary>Data bits and start bit, shifted out from bit 0 with ones (the stop bit) shifted in.</summary>
    private readonly Signal txShifter = Reg(9, reset: 0x1FF, init: 0x1FF);
    /// <summary>Bits of the frame still to send (10 at the start bit, 0 when idle).</summary>
    private readonly Signal txBitsLeft = Reg(4, reset: 0);
    private readonly Signal txCount;

    // Receiver.
    private readonly Signal rxMeta = Reg(1, reset: 1);
    private readonly Signal rxSync = Reg(1, reset: 1);
    private readonly Signal rxBusy = Reg(1, reset: 0);
    /// <summary>The bit being received: 0 the start bit, 1-8 the data bits, 9 the stop bit.</summary>
    private readonly Signal rxBit = Reg(4, reset: 0);
    private readonly Signal rxCount;
    private readonly Signal rxSample0 = Reg(1, reset: 1);
    private readonly Signal rxSample1 = Reg(1, reset: 1);
    private readonly Signal rxShifter = Reg(8, reset: 0);
    private readonly Signal framingError = Reg(1, reset: 0);
    private readonly Memory rxFifo;
    private readonly MemoryReadPort rxFifoRead;
    private readonly MemoryWritePort rxFifoWrite;
    private readonly Signal rxWritePointer;
    private readonly Signal rxReadPointer;

    // Register reads.
    private readonly Signal readByte = Reg(1, reset: 0);
    private readonly Signal readStatus = Reg(3, reset: 0);

    protected override void Build()
    {
        var isData = Offset.Eq(DataOffset).Named("isData");
        var isStatus = Offset.Eq(StatusOffset).Named("isStatus");
        var read = (Select & ~Write).Named("read");
        var send = (Select & Write & isData & ~txHoldFull).Named("send");

        // ---- transmitter ----
        var txIdle = txBitsLeft.Eq(0).Named("txIdle");
        var txBitDone = txCount.Eq(ClocksPerBit - 1).Named("txBitDone");
        // The held byte follows the stop bit of the frame being sent without a gap.
        var txLoad = (txHoldFull & (txIdle | (txBitDone & txBitsLeft.Eq(1)))).Named("txLoad");
        When(txLoad, () =>
        {
            txShifter.Set(Cat(txHold, U(0, 1)));
            txBitsLeft.Set(10);
            txCount.Set(0);
            txHoldFull.Set(0);
        }).ElseWhen(~txIdle, () =>
        {
            When(txBitDone, () =>
            {
                txCount.Set(0);
                txShifter.Set(Cat(U(1, 1), txShifter[8, 1]));
                txBitsLeft.Set(txBitsLeft - 1);
            }).Otherwise(() => txCount.Set(txCount + 1));
        });
        // The holding register takes the bus's byte in every cycle it is empty, so that its enable comes from a
        // register and the write's decision, late in the cycle (the core's commit), reaches only txHoldFull: the byte
        // taken in the cycle of the send is the one kept.
        When(~txHoldFull, () => txHold.Set(Wdata[7, 0]));
        When(send, () => txHoldFull.Set(1));
        Tx.Set(txShifter[0]);

        // ---- receiver ----
        int pointerBits = rxWritePointer.Width;
        // The pointers count modulo twice the depth: equal when empty, apart by the depth (top bit) when full.
        var rxEmpty = rxWritePointer.Eq(rxReadPointer).Named("rxEmpty");
        var rxFull = (rxWritePointer ^ rxReadPointer).Eq(RxFifoDepth).Named("rxFull");
        var take = (read & isData & ~rxEmpty).Named("take");

        rxMeta.Set(Rx);
        rxSync.Set(rxMeta);
        int middle = ClocksPerBit / 2;
        var bitEnd = rxCount.Eq(ClocksPerBit - 1).Named("bitEnd");
        var decide = rxCount.Eq(middle + 1).Named("decide");
        var vote = ((rxSample0 & rxSample1) | (rxSample0 & rxSync) | (rxSample1 & rxSync)).Named("vote");
        var stopBit = rxBit.Eq(9).Named("stopBit");
        var push = (rxBusy & decide & stopBit & vote & ~rxFull).Named("push");

        When(read & isStatus, () => framingError.Set(0));
        When(~rxBusy, () =>
        {
            When(~rxSync, () =>
            {
                rxBusy.Set(1);
                rxBit.Set(0);
                // Counted from the synchronised edge, seen one cycle ago; the samples come through the same delay.
                rxCount.Set(1);
            });
        }).Otherwise(() =>
        {
            When(bitEnd, () =>
            {
                rxCount.Set(0);
                rxBit.Set(rxBit + 1);
            }).Otherwise(() => rxCount.Set(rxCount + 1));
            When(rxCount.Eq(middle - 1), () => rxSample0.Set(rxSync));
            When(rxCount.Eq(middle), () => rxSample1.Set(rxSync));
            When(decide, () =>
            {
                When(rxBit.Eq(0), () => When(vote, () => rxBusy.Set(0)))
                    .ElseWhen(stopBit, () =>
                    {
                        rxBusy.Set(0);
                        When(~vote, () => framingError.Set(1));
                    })
                    .Otherwise(() => rxShifter.Set(Cat(vote, rxShifter[7, 1])));
            });
        });

        rxFifoWrite.Address.Set(rxWritePointer.Low(pointerBits - 1));
        rxFifoWrite.Data.Set(rxShifter);
        rxFifoWrite.Enable.Set(push);
        When(push, () => rxWritePointer.Set(rxWritePointer + 1));
        rxFifoRead.Address.Set(rxReadPointer.Low(pointerBits - 1));
        rxFifoRead.Enable.Set(take);
        When(take, () => rxReadPointer.Set(rxReadPointer + 1));

        // ---- register reads ----
        readByte.Set(take);
        readStatus.Set(Mux(read & isStatus, Cat(framingError, ~rxEmpty, ~txHoldFull), U(0, 3)));
        Rdata.Set(Cat(U(0, 24), Mux(readByte, rxFifoRead.Data, U(0, 8))) | Cat(U(0, 29), readStatus));
    }
}
