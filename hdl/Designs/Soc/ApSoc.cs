using HwGen.Designs.Ice40;
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
        map.Validate();
        Map = map;
        Parts = parts ?? SocParts.Simulation;
        core = new Core(config ?? CoreConfig.ForMemoryMap(map));
        clint = new Clint(map);
        if (Parts.UartClocksPerBit is { } clocksPerBit)
        {
            serialUart = new SerialUart(map, clocksPerBit);
            UartTxd = Out(1);
            UartRxd = In(1);
        }
        else
        {
            uart = new Uart(map);
            UartTxValid = Out(1);
            UartTxData = Out(8);
            UartRxValid = In(1);
            UartRxData = In(8);
            UartRxReady = Out(1);
        }
        if (Parts.Leds > 0)
        {
            gpio = new Gpio(map, Parts.Leds, Parts.Buttons);
            Leds = Out(Parts.Leds);
            if (Parts.Buttons > 0)
                Buttons = In(Parts.Buttons);
        }
        if (Parts.SpiClocksPerHalfBit is { } halfBit)
        {
            spi = new SpiMaster(map, halfBit);
            FlashSck = Out(1);
            FlashSs = Out(1);
            FlashMosi = Out(1);
            FlashMiso = In(1);
        }

        int ramWords = (int)(map.RamSize / 4);
        RamIndexBits = Shape.BitsFor((ulong)ramWords);
        if (Parts.Ram == SocRam.Spram)
        {
            if (map.RamSize % 65536 != 0)
                throw new ArgumentException($"SPRAM comes in 64 KiB pairs of blocks; the RAM size {map.RamSize} is not a multiple of that", nameof(map));
            spram = new SpramRam((int)(map.RamSize / 1024));
        }
        else
        {
            ram = Mem(32, ramWords);
            if (Parts.Ram == SocRam.DualPort)
                instructionPort = ram.ReadPort();
            dataPort = ram.ReadPort();
            writePort = ram.WritePort(granularity: 8);
        }

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

    /// <summary>The width of a RAM word index.</summary>
    public int RamIndexBits { get; }

    public readonly LoaderPort Loader = In(new LoaderPort());
    public readonly RetirementTrace Trace = Out(new RetirementTrace());

    // The console as byte streams, for a simulator (no SocParts.UartClocksPerBit).
    public readonly Signal? UartTxValid;
    public readonly Signal? UartTxData;
    public readonly Signal? UartRxValid;
    public readonly Signal? UartRxData;
    public readonly Signal? UartRxReady;

    /// <summary>The serial console's lines (with <see cref="SocParts.UartClocksPerBit"/>).</summary>
    public readonly Signal? UartTxd;
    public readonly Signal? UartRxd;

    /// <summary>The LEDs (1 = lit) and the buttons (1 = pressed), with <see cref="SocParts.Leds"/> and <see cref="SocParts.Buttons"/>.</summary>
    public readonly Signal? Leds;
    public readonly Signal? Buttons;

    /// <summary>The SPI flash's lines (with <see cref="SocParts.SpiClocksPerHalfBit"/>); <see cref="FlashSs"/> is active low.</summary>
    public readonly Signal? FlashSck;
    public readonly Signal? FlashSs;
    public readonly Signal? FlashMosi;
    public readonly Signal? FlashMiso;

    private readonly Core core;
    private readonly Uart? uart;
    private readonly SerialUart? serialUart;
    private readonly Gpio? gpio;
    private readonly SpiMaster? spi;
    private readonly Clint clint;
    private readonly Memory? ram;
    private readonly SpramRam? spram;
    private readonly MemoryReadPort? instructionPort;
    private readonly MemoryReadPort? dataPort;
    private readonly MemoryWritePort? writePort;
    private readonly Memory? bootRom;
    private readonly MemoryReadPort? bootRomPort;
    private readonly Signal? fetchFromRom;
    private readonly Signal? readFromRom;
    private readonly Signal readFromRam = Reg(1, reset: 0);

    /// <summary>A device on the data bus: its region and the processor-side signals every device has.</summary>
    private sealed record Device(string Name, MemoryRegion Region, Signal Select, Signal Write, Signal Offset, Signal Wdata, Signal Rdata);

    protected override void Build()
    {
        int index = RamIndexBits;
        // Data: decode the region of each access; read data comes back the next cycle.
        var address = core.DataAddr;
        var toRam = (core.DataReq & AddressDecode.Contains(address, Map.Ram)).Named("toRam");
        var dataIndex = AddressDecode.Offset(address, Map.Ram, index + 1, 2).Named("dataIndex");
        var instrIndex = AddressDecode.Offset(core.InstrAddr, Map.Ram, index + 1, 2).Named("instrIndex");

        // The RAM: the loader first, then the data bus, then (with one port) instruction fetch.
        var ramWrite = (Loader.Valid | (toRam & core.DataWe)).Named("ramWrite");
        var ramIndex = (instructionPort is null ? Mux(toRam, dataIndex, instrIndex) : dataIndex).Named("ramIndex");
        var ramAddress = Mux(Loader.Valid, Loader.Address.Resize(index), ramIndex).Named("ramAddress");
        var ramWdata = Mux(Loader.Valid, Loader.Data, core.DataWdata);
        var ramMask = Mux(Loader.Valid, 0b1111, core.DataBe);
        Expr ramBusy = instructionPort is null ? (Loader.Valid | toRam).Named("ramBusy") : U(0, 1);
        Expr ramRdata;
        if (spram is not null)
        {
            spram.Address.Set(ramAddress);
            spram.Enable.Set(1);
            spram.Write.Set(ramWrite);
            spram.Mask.Set(ramMask);
            spram.Wdata.Set(ramWdata);
            ramRdata = spram.Rdata;
        }
        else
        {
            dataPort!.Address.Set(ramAddress);
            dataPort.Enable.Set(~ramWrite);
            writePort!.Address.Set(ramAddress);
            writePort.Data.Set(ramWdata);
            writePort.Mask!.Set(ramMask);
            writePort.Enable.Set(ramWrite);
            ramRdata = dataPort.Data;
            if (instructionPort is not null)
            {
                instructionPort.Address.Set(instrIndex);
                instructionPort.Enable.Set(core.InstrReq);
            }
        }
        var ramInstruction = instructionPort?.Data ?? ramRdata;

        // The boot ROM: one port, data reads before instruction fetch.
        Expr romBusy = U(0, 1);
        Expr romData = U(0, 32);
        Expr romRead = U(0, 1);
        if (bootRomPort is not null && bootRom is not null && fetchFromRom is not null && readFromRom is not null)
        {
            int romIndex = bootRom.AddressWidth;
            var toRom = (core.DataReq & AddressDecode.Contains(address, Map.BootRom)).Named("toRom");
            romBusy = toRom;
            bootRomPort.Address.Set(Mux(toRom, AddressDecode.Offset(address, Map.BootRom, romIndex + 1, 2), AddressDecode.Offset(core.InstrAddr, Map.BootRom, romIndex + 1, 2)));
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

        // The devices: each decodes its region; register reads answer in the next cycle, selected by a register.
        var devices = new List<Device> { new("clint", Map.Clint, clint.Select, clint.Write, clint.Offset, clint.Wdata, clint.Rdata) };
        if (uart is not null)
        {
            devices.Add(new("uart", Map.Uart, uart.Select, uart.Write, uart.Offset, uart.Wdata, uart.Rdata));
            uart.RxValid.Set(UartRxValid!);
            uart.RxData.Set(UartRxData!);
            UartRxReady!.Set(uart.RxReady);
            UartTxValid!.Set(uart.TxValid);
            UartTxData!.Set(uart.TxData);
        }
        if (serialUart is not null)
        {
            devices.Add(new("uart", Map.Uart, serialUart.Select, serialUart.Write, serialUart.Offset, serialUart.Wdata, serialUart.Rdata));
            serialUart.Rx.Set(UartRxd!);
            UartTxd!.Set(serialUart.Tx);
        }
        if (gpio is not null)
        {
            devices.Add(new("gpio", Map.Gpio, gpio.Select, gpio.Write, gpio.Offset, gpio.Wdata, gpio.Rdata));
            Leds!.Set(gpio.Leds);
            if (gpio.Buttons is not null)
                gpio.Buttons.Set(Buttons!);
        }
        if (spi is not null)
        {
            devices.Add(new("spi", Map.SpiFlash, spi.Select, spi.Write, spi.Offset, spi.Wdata, spi.Rdata));
            FlashSck!.Set(spi.Sck);
            FlashSs!.Set(spi.Ss);
            FlashMosi!.Set(spi.Mosi);
            spi.Miso.Set(FlashMiso!);
        }
        core.TimerInterrupt.Set(clint.TimerInterrupt);
        core.Mtime.Set(clint.Mtime);

        // Read data: one registered select per source, the sources OR-ed (at most one is selected). Reads of a
        // region without a unit (GPIO, SPI flash, the PEX call port) give 0.
        readFromRam.Set(toRam & ~core.DataWe);
        Expr readData = Mux(readFromRam, ramRdata, 0) | Mux(romRead, romData, 0);
        foreach (var device in devices)
        {
            var selected = (core.DataReq & AddressDecode.Contains(address, device.Region)).Named("to_" + device.Name);
            device.Select.Set(selected);
            device.Write.Set(core.DataWe);
            device.Offset.Set(AddressDecode.Offset(address, device.Region, device.Offset.Width - 1, 0));
            device.Wdata.Set(core.DataWdata);
            var readFrom = Reg(1, reset: 0).Named("readFrom_" + device.Name);
            readFrom.Set(selected & ~core.DataWe);
            readData |= Mux(readFrom, device.Rdata, 0);
        }
        core.DataRdata.Set(readData);

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
