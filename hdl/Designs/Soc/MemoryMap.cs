namespace HwGen.Designs.Soc;

/// <summary>One address region of the application processor's memory map.</summary>
/// <param name="Name">Identifier used in generated headers, linker scripts and docs (e.g. <c>RAM</c>).</param>
/// <param name="Base">First byte address.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Description">One line for the generated documentation.</param>
public sealed record MemoryRegion(string Name, uint Base, uint Size, string Description)
{
    public uint End => Base + Size;

    public bool Contains(uint address) => address - Base < Size;

    public bool Contains(uint address, uint length) =>
        length <= Size && address - Base <= Size - length;
}

/// <summary>
/// The AP memory map: the single place where addresses are decided. Everything else (RTL address
/// decoders, the golden model, linker scripts, C headers, docs) is derived from an instance of this.
/// </summary>
public sealed record MemoryMap(uint RamBase, uint RamSize)
{
    /// <summary>The default simulation map: 4 MiB of RAM, large enough for the public compliance suites.</summary>
    public static MemoryMap Simulation { get; } = new(RamBase: 0x8000_0000, RamSize: 4u << 20);

    /// <summary>The iCE40 UP5K map: two SPRAM blocks, 64 KiB.</summary>
    public static MemoryMap Ice40Up5k { get; } = new(RamBase: 0x8000_0000, RamSize: 64u << 10);

    public uint ClintBase { get; init; } = 0x0200_0000;
    public uint ClintSize { get; init; } = 0x0001_0000;
    public uint MtimecmpOffset { get; init; } = 0x4000;
    public uint MtimeOffset { get; init; } = 0xBFF8;

    public uint UartBase { get; init; } = 0x1000_0000;
    public uint UartSize { get; init; } = 0x0000_1000;
    /// <summary>Write: send a byte. Read: take the received byte.</summary>
    public uint UartDataOffset { get; init; } = 0x0;
    /// <summary>Bit 0: ready to send. Bit 1: a byte has been received.</summary>
    public uint UartStatusOffset { get; init; } = 0x4;

    public uint GpioBase { get; init; } = 0x1000_1000;
    public uint GpioSize { get; init; } = 0x0000_1000;

    /// <summary>Read/write: bit i drives LED i (1 = lit, whatever the board's polarity).</summary>
    public uint GpioLedsOffset { get; init; } = 0x0;
    /// <summary>Read only: bit i is 1 while button i is pressed.</summary>
    public uint GpioButtonsOffset { get; init; } = 0x4;

    /// <summary>The SPI master wired to the board's configuration flash (the boot ROM reads programs through it).</summary>
    public uint SpiFlashBase { get; init; } = 0x1000_2000;
    public uint SpiFlashSize { get; init; } = 0x0000_1000;
    /// <summary>Write: shift the low byte out (MSB first) while a byte is shifted in. Read: the byte received by the last transfer.</summary>
    public uint SpiDataOffset { get; init; } = 0x0;
    /// <summary>Write: bit 0 = select (1 drives the flash's chip select low). Read: bit 0 = select, bit 1 = a transfer is in progress.</summary>
    public uint SpiControlOffset { get; init; } = 0x4;

    public uint PexCallBase { get; init; } = 0x2000_0000;
    public uint PexCallSize { get; init; } = 0x0000_1000;

    /// <summary>
    /// The boot ROM: block RAM initialised with the boot loader, executable and read-only. Size 0 (the default)
    /// means the SoC has none and starts at the RAM base; a board SoC sets it and starts here.
    /// </summary>
    public uint BootRomBase { get; init; } = 0x0001_0000;
    public uint BootRomSize { get; init; }

    /// <summary>True when the SoC has a boot ROM (<see cref="BootRomSize"/> is not 0).</summary>
    public bool HasBootRom => BootRomSize > 0;

    /// <summary>The reset PC of the application processor: the boot ROM when there is one, else the RAM base.</summary>
    public uint ResetVector => HasBootRom ? BootRomBase : RamBase;

    /// <summary>Where programs start: the RAM base (a boot ROM loads them there and jumps to it).</summary>
    public uint ProgramBase => RamBase;

    public uint Mtime => ClintBase + MtimeOffset;
    public uint Mtimecmp => ClintBase + MtimecmpOffset;
    public uint UartData => UartBase + UartDataOffset;
    public uint UartStatus => UartBase + UartStatusOffset;
    public uint GpioLeds => GpioBase + GpioLedsOffset;
    public uint GpioButtons => GpioBase + GpioButtonsOffset;
    public uint SpiData => SpiFlashBase + SpiDataOffset;
    public uint SpiControl => SpiFlashBase + SpiControlOffset;

    public MemoryRegion Ram => new("RAM", RamBase, RamSize, "main memory: code, data, stack, heap");
    public MemoryRegion Clint => new("CLINT", ClintBase, ClintSize, "timer: mtimecmp and mtime");
    public MemoryRegion Uart => new("UART", UartBase, UartSize, "console: data and status registers");
    public MemoryRegion Gpio => new("GPIO", GpioBase, GpioSize, "LEDs and buttons");
    public MemoryRegion SpiFlash => new("SPIFLASH", SpiFlashBase, SpiFlashSize, "SPI master to the configuration flash");
    public MemoryRegion PexCall => new("PEXCALL", PexCallBase, PexCallSize, "requests to the policy coprocessor");
    public MemoryRegion BootRom => new("BOOTROM", BootRomBase, BootRomSize, "boot loader: reads a program from the SPI flash into RAM");

    /// <summary>All regions, in address order (the boot ROM only when there is one).</summary>
    public IReadOnlyList<MemoryRegion> Regions =>
        new[] { Clint, Uart, Gpio, SpiFlash, PexCall, Ram }.Concat(HasBootRom ? [BootRom] : []).OrderBy(r => r.Base).ToArray();
}
