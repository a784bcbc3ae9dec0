using HwGen.Designs.Riscv;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>Writes words into the RAM from outside (a simulator, later the boot agent) while the core is held in reset.</summary>
public sealed class LoaderPort : Bundle
{
    public readonly Signal Valid = Bool();
    /// <summary>The word index within the RAM.</summary>
    public readonly Signal Address = UInt(30);
    public readonly Signal Data = UInt(32);
}

/// <summary>
/// The application processor's system: the core, the RAM, the console UART and the timer, laid out by a
/// <see cref="MemoryMap"/>. The RAM is loaded through <see cref="Loader"/>; the retirement trace and the
/// UART byte streams are ports, for the simulator. GPIO and the PEX call port read 0 and ignore writes
/// until their units exist; an access anywhere else is an access fault, raised by the core.
/// </summary>
public sealed class ApSoc : Module
{
    public ApSoc(MemoryMap map, CoreConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.RamSize < 8 || (map.RamSize & (map.RamSize - 1)) != 0)
            throw new ArgumentException($"the RAM size {map.RamSize} is not a power of two of at least 8 bytes", nameof(map));
        Map = map;
        core = new Core(config ?? CoreConfig.ForMemoryMap(map));
        uart = new Uart(map);
        clint = new Clint(map);
        ram = Mem(32, (int)(map.RamSize / 4));
        instructionPort = ram.ReadPort();
        dataPort = ram.ReadPort();
        writePort = ram.WritePort(granularity: 8);
    }

    public MemoryMap Map { get; }

    [Parameter]
    public uint RamBase => Map.RamBase;

    [Parameter]
    public uint RamSize => Map.RamSize;

    public readonly LoaderPort Loader = In(new LoaderPort());
    public readonly RetirementTrace Trace = Out(new RetirementTrace());

    public readonly Signal UartTxValid = Out(1);
    public readonly Signal UartTxData = Out(8);
    public readonly Signal UartRxValid = In(1);
    public readonly Signal UartRxData = In(8);
    public readonly Signal UartRxReady = Out(1);

    private readonly Core core;
    private readonly Uart uart;
    private readonly Clint clint;
    private readonly Memory ram;
    private readonly MemoryReadPort instructionPort;
    private readonly MemoryReadPort dataPort;
    private readonly MemoryWritePort writePort;
    private readonly Signal readFromUart = Reg(1, reset: 0);
    private readonly Signal readFromClint = Reg(1, reset: 0);
    private readonly Signal readFromRam = Reg(1, reset: 0);

    protected override void Build()
    {
        int index = ram.AddressWidth;
        Expr InRegion(Expr address, uint regionBase, uint size) =>
            (address - regionBase) < size;

        // Instructions.
        instructionPort.Address.Set((core.InstrAddr - RamBase)[index + 1, 2]);
        instructionPort.Enable.Set(core.InstrReq);
        core.InstrRdata.Set(instructionPort.Data);

        // Data: decode the region of each access; read data comes back the next cycle.
        var address = core.DataAddr;
        var toRam = (core.DataReq & InRegion(address, Map.RamBase, Map.RamSize)).Named("toRam");
        var toUart = (core.DataReq & InRegion(address, Map.UartBase, Map.UartSize)).Named("toUart");
        var toClint = (core.DataReq & InRegion(address, Map.ClintBase, Map.ClintSize)).Named("toClint");

        dataPort.Address.Set((address - RamBase)[index + 1, 2]);
        dataPort.Enable.Set(toRam & ~core.DataWe);

        When(Loader.Valid, () =>
        {
            writePort.Address.Set(Loader.Address.Resize(index));
            writePort.Data.Set(Loader.Data);
            writePort.Mask!.Set(0b1111);
            writePort.Enable.Set(1);
        }).Otherwise(() =>
        {
            writePort.Address.Set((address - RamBase)[index + 1, 2]);
            writePort.Data.Set(core.DataWdata);
            writePort.Mask!.Set(core.DataBe);
            writePort.Enable.Set(toRam & core.DataWe);
        });

        uart.Select.Set(toUart);
        uart.Write.Set(core.DataWe);
        uart.Offset.Set((address - Map.UartBase).Resize(uart.OffsetBits));
        uart.Wdata.Set(core.DataWdata);
        uart.RxValid.Set(UartRxValid);
        uart.RxData.Set(UartRxData);
        UartRxReady.Set(uart.RxReady);
        UartTxValid.Set(uart.TxValid);
        UartTxData.Set(uart.TxData);

        clint.Select.Set(toClint);
        clint.Write.Set(core.DataWe);
        clint.Offset.Set((address - Map.ClintBase).Resize(clint.Offset.Width));
        clint.Wdata.Set(core.DataWdata);
        core.TimerInterrupt.Set(clint.TimerInterrupt);
        core.Mtime.Set(clint.Mtime);

        // Reads elsewhere (GPIO, PEX call port) give 0.
        readFromUart.Set(toUart & ~core.DataWe);
        readFromClint.Set(toClint & ~core.DataWe);
        readFromRam.Set(toRam & ~core.DataWe);
        core.DataRdata.Set(Mux(readFromUart, uart.Rdata, Mux(readFromClint, clint.Rdata, Mux(readFromRam, dataPort.Data, 0))));

        Trace.Set(core.Trace);
    }
}
