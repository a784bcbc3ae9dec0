using HwGen.Designs.Ice40;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Tags;
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
/// UART, GPIO, SPI flash master). The core's two buses go through an <see cref="Interconnect"/> generated from the
/// map, which decodes every access and answers the ones no region takes with an error (the core's access faults).
/// Each region's unit sits on its device port; a region whose unit is absent (GPIO, SPI flash, the PEX call port of an untagged core)
/// reads 0 and ignores writes. The RAM is loaded through <see cref="Loader"/>; the retirement trace and, in
/// simulation, the UART byte streams are ports.
/// </summary>
/// <remarks>
/// With a single-port RAM (and always for the boot ROM) a data access takes the memory's port from the
/// instruction fetch of that cycle (the interconnect's arbitration): the fetch waits a cycle. A dual-port RAM has a
/// separate fetch port. The loader takes the RAM before both. With <see cref="SocParts.WaitStates"/> a
/// <see cref="WaitStateInjector"/> sits on each of the core's buses.
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
        core = RiscvCore.Create(config ?? CoreConfig.ForMemoryMap(map));
        Trace = Out(new RetirementTrace(core.Config.Tags is null ? RetirementFields.Table : TagTraceFields.Table));
        if (core.Config.Tags is { } tags)
        {
            Pex = Out(new PexPort(tags));
            TagLoader = In(new TagLoaderPort(tags));
            CallerTag = Out(tags.TagWidth);

            // The PEX's side of the AP: the call port (a call waits for the PEX) and the hold on fetch.
            callPort = new PexCallPort(map.PexCall, tags);
            PexCall = Out(new PexCallLink(tags));
            Hold = In(1);
            fetchHold = new BusHold();
        }
        // Every device but the CLINT reads 0 but in the cycle after its read (Uart, SerialUart, Gpio, SpiMaster,
        // PexCallPort; a region without its unit always): the interconnect ORs their read data without read selects. The
        // CLINT's word is mtime's or a read port's in every cycle, which the interconnect masks: keeping a word that
        // reads 0 but after a read put its read register's reset on the core's late store decision, beside mtime's
        // write enables, and cost the board SoC 1.6 MHz (26.14 against 27.56 MHz).
        // A tagged core presents its loads and stores outside tagged memory from registers too (Core.DataEarlyValid):
        // those regions' selects follow that, so no device's write enable waits for the rule compare. Wait states
        // between the core and the interconnect would gate the one valid and not the other: there the selects follow
        // the bus's valid.
        var tagged = core.Config.Tags;
        string[] early = tagged is null || core.DataEarlyValid is null || Parts.WaitStates is not null ? []
            : [.. map.Regions.Where(r => r.End64 <= tagged.TaggedBase || r.Base >= (ulong)tagged.TaggedBase + tagged.TaggedSize).Select(r => r.Name)];
        interconnect = new Interconnect(map, Parts.Ram == SocRam.DualPort ? [MemoryMap.RamName] : [],
            callPort is null ? [] : [MemoryMap.PexCallName],
            quietRegions: map.Regions.Where(r => !r.Executable && r.Name != MemoryMap.ClintName).Select(r => r.Name),
            dataIntent: core.DataIntent is not null, earlyRegions: early);
        if (Parts.WaitStates is { } waits)
        {
            dataWaits = new WaitStateInjector(waits.StallOneIn, waits.MaxResponseDelay);
            instrWaits = new WaitStateInjector(waits.StallOneIn, waits.MaxResponseDelay);
        }
        clint = new Clint(map, core.Config.Ice40Cells, earlyRead: core.DataIntent is not null);
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

    /// <summary>The width of a RAM word index.</summary>
    public int RamIndexBits { get; }

    public readonly LoaderPort Loader = In(new LoaderPort());
    public readonly RetirementTrace Trace;

    /// <summary>
    /// A tagged core: its link to the PEX, the loader of tag memory (used while the core is held in reset), and the tag
    /// of the instruction whose load or store is on the data bus (the caller's tag of a PEX call port request).
    /// </summary>
    public readonly PexPort? Pex;
    public readonly TagLoaderPort? TagLoader;
    public readonly Signal? CallerTag;

    /// <summary>A tagged core: the calls of the PEX call port (region PEXCALL), towards the PEX.</summary>
    public readonly PexCallLink? PexCall;

    /// <summary>
    /// A tagged core: 1 holds the core at its reset pc with nothing fetched (the PEX's AP_CONTROL bit 0, 1 from reset
    /// until the PEX has programmed the tag unit); set again later, it stops fetching until released.
    /// </summary>
    public readonly Signal? Hold;

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

    private readonly IRiscvCore core;
    private readonly Interconnect interconnect;
    private readonly WaitStateInjector? dataWaits;
    private readonly WaitStateInjector? instrWaits;
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
    private readonly PexCallPort? callPort;
    private readonly BusHold? fetchHold;

    /// <summary>
    /// The RAM's write enable: the loader's, or the data master's write of the RAM's port. A tagged core's store into
    /// the tagged memory (the RAM) goes out when the rule cache's hit allows it, late in the cycle: the write enable then
    /// takes the hit last, beside the store's part from registers (<see cref="Core.DataTaggedPending"/>), in one LUT
    /// of its own with the core's iCE40 cells. That part needs no hold of the interconnect: the core presents a load or
    /// store only when none of its is outstanding, so a waiting device never holds a response then.
    /// </summary>
    private Expr RamWrite(DevicePort port)
    {
        if (core.DataTaggedPending is not { } pending || core.DataHit is not { } hit || interconnect.EarlyRegions.Count == 0)
            return (Loader.Valid | (port.Select & port.Write)).Named("ramWrite");
        var tags = core.Config.Tags!;
        Expr early = pending & core.Data.Write;
        if (tags.TaggedBase != Map.RamBase || tags.TaggedSize != Map.RamSize)
            early &= AddressDecode.Contains(core.Data.Address, Map.Find(MemoryMap.RamName)!);
        var writeEarly = early.Named("ramWriteEarly");
        if (!core.Config.Ice40Cells)
            return (Loader.Valid | (writeEarly & hit)).Named("ramWrite");
        var lut = Instance(new Lut4(Lut4.Table((loader, store, allowed, _) => loader | (store & allowed))), "ramWriteLut");
        lut.I0.Set(Loader.Valid);
        lut.I1.Set(writeEarly);
        lut.I2.Set(hit);
        lut.I3.Set(0);
        return lut.O;
    }

    protected override void Build()
    {
        // The core's buses, through the wait-state injectors when there are any (fetch through its hold, tagged).
        var instr = core.Instr;
        if (fetchHold is not null)
        {
            fetchHold.Master.Connect(core.Instr);
            fetchHold.Hold.Set(Hold!);
            instr = fetchHold.Slave;
        }
        if (dataWaits is not null && instrWaits is not null && Parts.WaitStates is { } waits)
        {
            dataWaits.Master.Connect(core.Data);
            instrWaits.Master.Connect(instr);
            interconnect.Data.Connect(dataWaits.Slave);
            interconnect.Instr.Connect(instrWaits.Slave);
            dataWaits.Enable.Set(1);
            instrWaits.Enable.Set(1);
            dataWaits.Seed.Set(waits.Seed);
            instrWaits.Seed.Set(waits.Seed ^ 0x9E37_79B9u);
        }
        else
        {
            interconnect.Data.Connect(core.Data);
            interconnect.Instr.Connect(instr);
        }
        interconnect.DataIntent?.Set(core.DataIntent!);
        interconnect.DataEarlyValid?.Set(core.DataEarlyValid!);

        // The RAM: the loader first, then its device port (the data bus first, then fetch, when they share it).
        int index = RamIndexBits;
        var port = interconnect.Port(MemoryMap.RamName);
        var ramWrite = RamWrite(port);
        var ramAddress = Mux(Loader.Valid, Loader.Address.Resize(index), port.Offset[index + 1, 2]).Named("ramAddress");
        // The word the PEX writes into the AP's side (the loader's, or a call's result into ARG0, kept by the CLINT) or
        // else the bus's store data: one multiplexer for the RAM and the CLINT.
        var ramWdata = (callPort is null ? Mux(Loader.Valid, Loader.Data, port.WriteData)
            : Mux(Loader.Valid, Loader.Data, Mux(callPort.Completing, PexCall!.Result, port.WriteData))).Named("storeWord");
        var ramMask = Mux(Loader.Valid, 0b1111, port.ByteEnable);
        if (spram is not null)
        {
            spram.Address.Set(ramAddress);
            spram.Enable.Set(1);
            spram.Write.Set(ramWrite);
            spram.Mask.Set(ramMask);
            spram.Wdata.Set(ramWdata);
            port.ReadData.Set(spram.Rdata);
        }
        else
        {
            dataPort!.Address.Set(ramAddress);
            dataPort.Enable.Set(~ramWrite);
            writePort!.Address.Set(ramAddress);
            writePort.Data.Set(ramWdata);
            writePort.Mask!.Set(ramMask);
            writePort.Enable.Set(ramWrite);
            port.ReadData.Set(dataPort.Data);
            if (instructionPort is not null && interconnect.FetchPort(MemoryMap.RamName) is { } fetch)
            {
                instructionPort.Address.Set(fetch.Offset[index + 1, 2]);
                instructionPort.Enable.Set(fetch.Select);
                fetch.ReadData.Set(instructionPort.Data);
            }
        }

        // The boot ROM: one port, read every cycle.
        if (bootRomPort is not null && bootRom is not null)
        {
            var rom = interconnect.Port(MemoryMap.BootRomName);
            bootRomPort.Address.Set(rom.Offset[bootRom.AddressWidth + 1, 2]);
            bootRomPort.Enable.Set(1);
            rom.ReadData.Set(bootRomPort.Data);
        }

        // The devices, each on its region's port; a region without its unit reads 0.
        Connect(MemoryMap.ClintName, clint.Select, clint.Write, clint.Offset, clint.Wdata, clint.Rdata);
        // A tagged core's load or store goes out when the rule cache's hit allows it, late in the cycle: the CLINT's read
        // port and the RAM's address follow the request's early intent instead (see Interconnect.DataIntent).
        clint.ReadWanted?.Set(core.DataIntent! & AddressDecode.Contains(core.Data.Address, Map.Find(MemoryMap.ClintName)!) & ~core.Data.Write);
        if (callPort is null)
        {
            clint.MemoryWdata.Set(interconnect.Port(MemoryMap.ClintName).WriteData);
            foreach (var kept in new[] { clint.KeptLow, clint.KeptHigh })
            {
                kept.Write.Set(0);
                kept.Read.Set(0);
            }
        }
        else
        {
            // The CLINT keeps the call port's arguments: its memories write the store word shared with the RAM.
            clint.MemoryWdata.Set(ramWdata);
        }
        core.TimerInterrupt.Set(clint.TimerInterrupt);
        core.Mtime.Set(clint.Mtime);
        if (uart is not null)
        {
            Connect(MemoryMap.UartName, uart.Select, uart.Write, uart.Offset, uart.Wdata, uart.Rdata);
            uart.RxValid.Set(UartRxValid!);
            uart.RxData.Set(UartRxData!);
            UartRxReady!.Set(uart.RxReady);
            UartTxValid!.Set(uart.TxValid);
            UartTxData!.Set(uart.TxData);
        }
        if (serialUart is not null)
        {
            Connect(MemoryMap.UartName, serialUart.Select, serialUart.Write, serialUart.Offset, serialUart.Wdata, serialUart.Rdata);
            serialUart.Rx.Set(UartRxd!);
            UartTxd!.Set(serialUart.Tx);
        }
        if (gpio is not null)
        {
            Connect(MemoryMap.GpioName, gpio.Select, gpio.Write, gpio.Offset, gpio.Wdata, gpio.Rdata);
            Leds!.Set(gpio.Leds);
            if (gpio.Buttons is not null)
                gpio.Buttons.Set(Buttons!);
        }
        if (spi is not null)
        {
            Connect(MemoryMap.SpiFlashName, spi.Select, spi.Write, spi.Offset, spi.Wdata, spi.Rdata);
            FlashSck!.Set(spi.Sck);
            FlashSs!.Set(spi.Ss);
            FlashMosi!.Set(spi.Mosi);
            spi.Miso.Set(FlashMiso!);
        }
        if (callPort is not null)
        {
            Connect(MemoryMap.PexCallName, callPort.Select, callPort.Write, callPort.Offset, callPort.Wdata, callPort.Rdata, callPort.Wait);
            callPort.CallerTag.Set(core.CommitCiTag!);
            clint.KeptLow.Connect(callPort.Arg0);
            clint.KeptHigh.Connect(callPort.Arg1);
            PexCall!.Connect(callPort.Call);
        }
        for (int i = 0; i < interconnect.Regions.Count; i++)
        {
            if (!connected.Contains(interconnect.Regions[i].Name) && interconnect.Regions[i].Name is not (MemoryMap.RamName or MemoryMap.BootRomName))
                interconnect.Ports[i].ReadData.Set(0);
        }

        Trace.Set(core.Trace);
        if (Pex is not null && TagLoader is not null && CallerTag is not null)
        {
            Pex.Connect(core.Pex!);
            TagLoader.Connect(core.TagLoader!);
            CallerTag.Set(core.CommitCiTag!);
            var width = Interconnect.Widths(core.Data.ByteEnable, "presented");
            core.DataRefused!.Set(~AddressDecode.Permits(interconnect.Regions, core.Data.Address, width, core.Data.Write));
        }
    }

    private readonly HashSet<string> connected = [];

    /// <summary>A device's register interface on the port of <paramref name="region"/> (<see cref="DevicePort.Attach"/>).</summary>
    private void Connect(string region, Signal select, Signal write, Signal offset, Signal wdata, Signal rdata, Signal? wait = null)
    {
        interconnect.Port(region).Attach(region, select, write, offset, wdata, rdata, wait);
        connected.Add(region);
    }
}
