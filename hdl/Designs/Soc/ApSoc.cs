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
/// <see cref="MemoryMap"/>, and the parts a board adds (<see cref="SocParts"/>: single-port RAM, boot ROM, serial
/// UART, GPIO, SPI flash master). The RAM is loaded through <see cref="Loader"/>; the retirement trace and, in
/// simulation, the UART byte streams are ports. A region whose unit is absent (GPIO, SPI flash, the PEX call port)
/// reads 0 and ignores writes; an access anywhere else is an access fault, raised by the core.
/// </summary>
/// <remarks>
/// With a single-port RAM (and always for the boot ROM) a data access takes the memory's port from the
/// instruction fetch of that cycle (<see cref="Core.InstrGrant"/>): the fetch is repeated, one bubble. The loader
/// takes the RAM before both.
/// </remarks>
public sealed class ApSoc : Module
{
    public ApSoc(MemoryMap map, CoreConfig? config = null, SocParts? parts = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.RamSize < 8 || (map.RamSize & (map.RamSize - 1)) != 0)
            throw new ArgumentException($"the RAM size {map.RamSize} is not a power of two of at least 8 bytes", nameof(map));
        Map = map;
        Parts = parts ?? SocParts.Simulation;
        core = new Core(config ?? CoreConfig.ForMemoryMap(map));
        uart = new Uart(map);
        clint = new Clint(map);

        int ramWords = (int)(map.RamSize / 4);
        ram = Mem(32, ramWords);
        if (Parts.Ram == SocRam.DualPort)
            instructionPort = ram.ReadPort();
        dataPort = ram.ReadPort();
        writePort = ram.WritePort(granularity: 8);

        if (map.HasBootRom != Parts.BootRom is not null)
        {
            throw new ArgumentException(map.HasBootRom
                ? "the memory map has a boot ROM region; give its contents in SocParts.BootRom"
                : "SocParts.BootRom is set but the memory map has no boot ROM region (BootRomSize 0)", nameof(parts));
        }
        if (Parts.BootRom is { } romImage)
        {
            if (map.BootRomSize < 8 || (map.BootRomSize & (map.BootRomSize - 1)) != 0 || map.BootRomBase % map.BootRomSize != 0)
                throw new ArgumentException($"the boot ROM size {map.BootRomSize} is not a power of two of at least 8 bytes that aligns its base", nameof(map));
            int romWords = (int)(map.BootRomSize / 4);
            if (romImage.Count > romWords)
                throw new ArgumentException($"the boot ROM image has {romImage.Count} words but the ROM holds {romWords}", nameof(parts));
            bootRom = Mem(32, romWords, init: [.. romImage, .. new ulong[romWords - romImage.Count]]);
            bootRomPort = bootRom.ReadPort();
            fetchFromRom = Reg(1, reset: 0);
            readFromRom = Reg(1, reset: 0);
            RomSelectBit = DistinguishingBit(map.Ram, map.BootRom);
        }
    }

    public MemoryMap Map { get; }

    public SocParts Parts { get; }

    [Parameter]
    public uint RamBase => Map.RamBase;

    [Parameter]
    public uint RamSize => Map.RamSize;

    [Parameter]
    public SocRam Ram => Parts.Ram;

    /// <summary>The fetch address bit that tells the boot ROM (its value in the ROM's base) from the RAM; -1 without a ROM.</summary>
    public int RomSelectBit { get; } = -1;

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
    private readonly MemoryReadPort? instructionPort;
    private readonly MemoryReadPort dataPort;
    private readonly MemoryWritePort writePort;
    private readonly Memory? bootRom;
    private readonly MemoryReadPort? bootRomPort;
    private readonly Signal? fetchFromRom;
    private readonly Signal? readFromRom;
    private readonly Signal readFromUart = Reg(1, reset: 0);
    private readonly Signal readFromClint = Reg(1, reset: 0);
    private readonly Signal readFromRam = Reg(1, reset: 0);

    protected override void Build()
    {
        int index = ram.AddressWidth;
        Expr InRegion(Expr address, uint regionBase, uint size) =>
            (address - regionBase) < size;

        // Data: decode the region of each access; read data comes back the next cycle.
        var address = core.DataAddr;
        var toRam = (core.DataReq & InRegion(address, Map.RamBase, Map.RamSize)).Named("toRam");
        var toUart = (core.DataReq & InRegion(address, Map.UartBase, Map.UartSize)).Named("toUart");
        var toClint = (core.DataReq & InRegion(address, Map.ClintBase, Map.ClintSize)).Named("toClint");
        var dataIndex = (address - RamBase)[index + 1, 2].Named("dataIndex");
        var instrIndex = (core.InstrAddr - RamBase)[index + 1, 2].Named("instrIndex");

        // The RAM: the loader first, then the data bus, then (with one port) instruction fetch.
        Expr ramBusy;
        if (instructionPort is not null)
        {
            instructionPort.Address.Set(instrIndex);
            instructionPort.Enable.Set(core.InstrReq);
            dataPort.Address.Set(dataIndex);
            ramBusy = U(0, 1);
        }
        else
        {
            ramBusy = (Loader.Valid | toRam).Named("ramBusy");
            dataPort.Address.Set(Mux(toRam, dataIndex, instrIndex));
        }
        dataPort.Enable.Set(~Loader.Valid & ~(toRam & core.DataWe));
        When(Loader.Valid, () =>
        {
            writePort.Address.Set(Loader.Address.Resize(index));
            writePort.Data.Set(Loader.Data);
            writePort.Mask!.Set(0b1111);
            writePort.Enable.Set(1);
        }).Otherwise(() =>
        {
            writePort.Address.Set(dataIndex);
            writePort.Data.Set(core.DataWdata);
            writePort.Mask!.Set(core.DataBe);
            writePort.Enable.Set(toRam & core.DataWe);
        });
        var ramInstruction = instructionPort?.Data ?? dataPort.Data;

        // The boot ROM: one port, data reads before instruction fetch.
        Expr romBusy = U(0, 1);
        Expr romData = U(0, 32);
        Expr romRead = U(0, 1);
        if (bootRomPort is not null && bootRom is not null && fetchFromRom is not null && readFromRom is not null)
        {
            int romIndex = bootRom.AddressWidth;
            var toRom = (core.DataReq & InRegion(address, Map.BootRomBase, Map.BootRomSize)).Named("toRom");
            romBusy = toRom;
            bootRomPort.Address.Set(Mux(toRom, (address - Map.BootRomBase)[romIndex + 1, 2], (core.InstrAddr - Map.BootRomBase)[romIndex + 1, 2]));
            bootRomPort.Enable.Set(1);
            var romBit = (Map.BootRomBase >> RomSelectBit) & 1;
            fetchFromRom.Set(core.InstrAddr[RomSelectBit].Eq(romBit));
            readFromRom.Set(toRom & ~core.DataWe);
            romData = bootRomPort.Data;
            romRead = readFromRom;
            core.InstrRdata.Set(Mux(fetchFromRom, bootRomPort.Data, ramInstruction));
        }
        else
        {
            core.InstrRdata.Set(ramInstruction);
        }
        core.InstrGrant.Set(~(ramBusy | romBusy));

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
        core.DataRdata.Set(Mux(readFromUart, uart.Rdata, Mux(readFromClint, clint.Rdata,
            Mux(readFromRam, dataPort.Data, Mux(romRead, romData, 0)))));

        Trace.Set(core.Trace);
    }

    /// <summary>The highest address bit that is constant over each region and differs between them.</summary>
    private static int DistinguishingBit(MemoryRegion a, MemoryRegion b)
    {
        for (int bit = 31; bit >= 0; bit--)
        {
            uint mask = 1u << bit;
            // Over a contiguous range, bit b is constant exactly when the range's ends agree from bit b upwards.
            bool Constant(MemoryRegion r) => (r.Base >> bit) == ((r.End - 1) >> bit);
            if (Constant(a) && Constant(b) && (a.Base & mask) != (b.Base & mask))
                return bit;
        }
        throw new ArgumentException($"no address bit tells {a.Name} from {b.Name}: place them in different power-of-two-aligned halves");
    }
}
