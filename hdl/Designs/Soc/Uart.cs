using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The console UART as the processor sees it, at the byte-stream level: a store to the data register sends
/// a byte (<see cref="TxValid"/> for one cycle), a load from it takes the received byte (0 if none). The
/// status register reads bit 0 = ready to send (always 1 here), bit 1 = a received byte is waiting. A
/// one-byte receive buffer takes <see cref="RxData"/> when <see cref="RxValid"/> and <see cref="RxReady"/>
/// are both 1. Register reads answer in the cycle after the access, like the RAM.
/// </summary>
public sealed class Uart : Module
{
    public Uart(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        DataOffset = map.UartDataOffset;
        StatusOffset = map.UartStatusOffset;
        OffsetBits = Shape.BitsFor(map.UartSize);
        Offset = In(OffsetBits);
    }

    [Parameter]
    public uint DataOffset { get; }

    [Parameter]
    public uint StatusOffset { get; }

    public int OffsetBits { get; }

    /// <summary>1 when the processor accesses this device in this cycle.</summary>
    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    /// <summary>The byte offset of the access within the device.</summary>
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    /// <summary>The register read, in the cycle after the access; 0 in every other cycle (a quiet device for the <see cref="Interconnect"/>).</summary>
    public readonly Signal Rdata = Out(32);

    public readonly Signal TxValid = Out(1);
    public readonly Signal TxData = Out(8);
    public readonly Signal RxValid = In(1);
    public readonly Signal RxData = In(8);
    public readonly Signal RxReady = Out(1);

    private readonly Signal rxFull = Reg(1, reset: 0);
    private readonly Signal rxByte = Reg(8, reset: 0);
    private readonly Signal readData = Reg(32, reset: 0);

    protected override void Build()
    {
        var isData = Offset.Eq(DataOffset).Named("isData");
        var isStatus = Offset.Eq(StatusOffset).Named("isStatus");
        var read = (Select & ~Write).Named("read");
        var take = (read & isData & rxFull).Named("take");

        TxValid.Set(Select & Write & isData);
        TxData.Set(Wdata[7, 0]);

        RxReady.Set(~rxFull);
        When(RxValid & ~rxFull, () =>
        {
            rxFull.Set(1);
            rxByte.Set(RxData);
        }).ElseWhen(take, () => rxFull.Set(0));

        // 0 in a cycle after no read: a quiet device for the interconnect.
        When(read & isData, () => readData.Set(Mux(rxFull, rxByte, 0)))
            .ElseWhen(read & isStatus, () => readData.Set(Cat(U(0, 30), rxFull, U(1, 1))))
            .Otherwise(() => readData.Set(0));
        Rdata.Set(readData);
    }
}
