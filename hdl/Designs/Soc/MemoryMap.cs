using System.Globalization;
using System.Text.RegularExpressions;

namespace HwGen.Designs.Soc;

/// <summary>What lies behind a region of the memory map.</summary>
public enum RegionKind
{
    /// <summary>Read/write memory.</summary>
    Ram,

    /// <summary>Read-only memory (initialised with the bitstream, such as the boot ROM).</summary>
    Rom,

    /// <summary>Device registers.</summary>
    Device,
}

/// <summary>The access widths a region takes: a set of flags.</summary>
[Flags]
public enum AccessWidths
{
    None = 0,
    Byte = 1,
    Halfword = 2,
    Word = 4,
    Any = Byte | Halfword | Word,
}

/// <summary>One named bit (or field) of a device register.</summary>
/// <param name="Name">Identifier, upper case: the C header's macro is <c>HWGEN_&lt;PREFIX&gt;_&lt;REGISTER&gt;_&lt;NAME&gt;</c>.</param>
/// <param name="Mask">The bits it covers.</param>
/// <param name="Description">One line for the generated header and documentation.</param>
public sealed record RegisterBit(string Name, uint Mask, string Description);

/// <summary>A register of a device region, at an offset from the region's base.</summary>
/// <param name="Name">Identifier, upper case (<c>DATA</c>, <c>MTIMECMP</c>).</param>
/// <param name="Offset">Byte offset from the region's base; a multiple of 4.</param>
/// <param name="Description">One line for the generated header and documentation.</param>
public sealed record DeviceRegister(string Name, uint Offset, string Description)
{
    /// <summary>Named bits of the register (none by default).</summary>
    public IReadOnlyList<RegisterBit> Bits { get; init; } = [];

    public bool Equals(DeviceRegister? other) =>
        other is not null && Name == other.Name && Offset == other.Offset && Description == other.Description && Bits.SequenceEqual(other.Bits);

    public override int GetHashCode() => HashCode.Combine(Name, Offset, Description, Bits.Count);
}

/// <summary>
/// One address region of a memory map, with the accesses it takes. Make one with <see cref="Ram"/>,
/// <see cref="Rom"/> or <see cref="Device"/> (which set the attributes for the kind), then adjust with <c>with</c>.
/// </summary>
/// <param name="Name">Identifier used in generated headers, linker scripts and docs (e.g. <c>RAM</c>): upper-case letters, digits and underscores.</param>
/// <param name="Base">First byte address.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Description">One line for the generated documentation.</param>
/// <remarks>
/// <list type="table">
/// <listheader><term>attribute</term><description>meaning (default)</description></listheader>
/// <item><term><see cref="Kind"/></term><description>RAM, ROM or device registers (<see cref="RegionKind.Device"/>)</description></item>
/// <item><term><see cref="Executable"/></term><description>instructions may be fetched from it (false)</description></item>
/// <item><term><see cref="Readable"/>, <see cref="Writable"/></term><description>loads, stores are allowed (true, true)</description></item>
/// <item><term><see cref="Widths"/></term><description>the access widths it takes (<see cref="AccessWidths.Any"/>)</description></item>
/// <item><term><see cref="Registers"/></term><description>a device's registers, by offset (none)</description></item>
/// <item><term><see cref="RegisterPrefix"/></term><description>the prefix of its registers' names in the C header (<see cref="Name"/>)</description></item>
/// </list>
/// An access the region does not take is an access fault (the interconnect answers it with an error).
/// </remarks>
public sealed record MemoryRegion(string Name, uint Base, uint Size, string Description)
{
    public RegionKind Kind { get; init; } = RegionKind.Device;

    public bool Executable { get; init; }

    public bool Readable { get; init; } = true;

    public bool Writable { get; init; } = true;

    public AccessWidths Widths { get; init; } = AccessWidths.Any;

    public IReadOnlyList<DeviceRegister> Registers { get; init; } = [];

    /// <summary>The prefix of the register macros in the C header; null: <see cref="Name"/>.</summary>
    public string? RegisterPrefix { get; init; }

    /// <summary>First address after the region (as a 64-bit number: a region may end at 2^32).</summary>
    public ulong End64 => (ulong)Base + Size;

    public uint End => Base + Size;

    public bool Contains(uint address) => address - Base < Size;

    public bool Contains(uint address, uint length) =>
        length <= Size && address - Base <= Size - length;

    /// <summary>True when the region takes an access of <paramref name="width"/> (one flag).</summary>
    public bool Allows(AccessWidths width) => (Widths & width) == width && width != AccessWidths.None;

    /// <summary>The register called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The region has no such register.</exception>
    public DeviceRegister Register(string name) =>
        Registers.FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"region {Name} has no register {name} (its registers: {(Registers.Count == 0 ? "none" : string.Join(", ", Registers.Select(r => r.Name)))})");

    /// <summary>The address of the register called <paramref name="name"/>.</summary>
    public uint AddressOf(string name) => Base + Register(name).Offset;

    /// <summary>Random-access memory: any width, read/write, executable.</summary>
    public static MemoryRegion Ram(string name, uint @base, uint size, string description) =>
        new(name, @base, size, description) { Kind = RegionKind.Ram, Executable = true };

    /// <summary>Read-only memory: any width of read, executable.</summary>
    public static MemoryRegion Rom(string name, uint @base, uint size, string description) =>
        new(name, @base, size, description) { Kind = RegionKind.Rom, Executable = true, Writable = false };

    /// <summary>Device registers: read/write, not executable, the widths given.</summary>
    public static MemoryRegion Device(string name, uint @base, uint size, string description, AccessWidths widths, params DeviceRegister[] registers) =>
        new(name, @base, size, description) { Kind = RegionKind.Device, Widths = widths, Registers = registers };

    public bool Equals(MemoryRegion? other) =>
        other is not null && Name == other.Name && Base == other.Base && Size == other.Size && Description == other.Description
        && Kind == other.Kind && Executable == other.Executable && Readable == other.Readable && Writable == other.Writable
        && Widths == other.Widths && RegisterPrefix == other.RegisterPrefix && Registers.SequenceEqual(other.Registers);

    public override int GetHashCode() => HashCode.Combine(Name, Base, Size, Kind, Executable, Readable, Writable, Widths);
}

/// <summary>A memory map that cannot be built: every problem, one a line.</summary>
public sealed class MemoryMapException(IReadOnlyList<string> problems)
    : ArgumentException("memory map: " + string.Join(Environment.NewLine + "memory map: ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The AP memory map: the single place where addresses are decided, as a list of regions with attributes
/// (<see cref="Regions"/>). Everything else (the RTL address decoders and the interconnect, the golden model,
/// linker scripts, C headers, docs) is derived from an instance of this.
/// </summary>
/// <remarks>
/// <para>A map is made from its regions (<c>new MemoryMap([...])</c>, checked at once), or as the default layout
/// with a RAM (<c>new MemoryMap(RamBase, RamSize)</c>). The properties per device (<see cref="Ram"/>,
/// <see cref="UartData"/>, <see cref="ClintBase"/>, ...) are views over the list: reading one finds the region
/// (or register) by name, and setting one in an initialiser or a <c>with</c> expression replaces that region in the
/// list. Such a map is checked by <see cref="Validate"/>, which its consumers call.</para>
/// <para>Two maps are equal when their regions are.</para>
/// </remarks>
/// <example>
/// <code>
/// var map = new MemoryMap([
///     MemoryRegion.Ram("RAM", 0x8000_0000, 64u &lt;&lt; 10, "main memory"),
///     MemoryRegion.Device("UART", 0x1000_0000, 0x1000, "console", AccessWidths.Word,
///         new DeviceRegister("DATA", 0x0, "a write sends a byte"), new DeviceRegister("STATUS", 0x4, "bit 0: ready")),
/// ]);
/// uint status = map.Region("UART").AddressOf("STATUS");   // 0x1000_0004
/// </code>
/// </example>
public sealed partial record MemoryMap
{
    public const string RamName = "RAM";
    public const string BootRomName = "BOOTROM";
    public const string ClintName = "CLINT";
    public const string UartName = "UART";
    public const string GpioName = "GPIO";
    public const string SpiFlashName = "SPIFLASH";
    public const string PexCallName = "PEXCALL";

    /// <summary>The bits of a PEX call's op (the PEXCALL OP register's CODE): the ops are small numbers.</summary>
    public const uint PexCallOpMask = 0xFF;

    /// <summary>The regions, in address order.</summary>
    private IReadOnlyList<MemoryRegion> _regions;

    /// <summary>Where setting <see cref="BootRomSize"/> places a boot ROM while the map has none.</summary>
    private uint _bootRomBase = 0x0001_0000;

    /// <summary>A map of <paramref name="regions"/>, checked (<see cref="Validate"/>).</summary>
    /// <exception cref="MemoryMapException">Overlapping regions, a zero size, a duplicate name, ...</exception>
    public MemoryMap(IEnumerable<MemoryRegion> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        _regions = Sorted(regions);
        Validate();
    }

    /// <summary>The default layout (CLINT, UART, GPIO, SPI flash, PEX call port) with a RAM of <paramref name="RamSize"/> bytes at <paramref name="RamBase"/>.</summary>
    public MemoryMap(uint RamBase, uint RamSize)
    {
        _regions = Sorted(DefaultRegions(RamBase, RamSize));
    }

    /// <summary>The default simulation map: 4 MiB of RAM, large enough for the public compliance suites.</summary>
    public static MemoryMap Simulation { get; } = new(RamBase: 0x8000_0000, RamSize: 4u << 20);

    /// <summary>The iCE40 UP5K map: two SPRAM blocks, 64 KiB.</summary>
    public static MemoryMap Ice40Up5k { get; } = new(RamBase: 0x8000_0000, RamSize: 64u << 10);

    /// <summary>All regions, in address order: the single source of the map.</summary>
    public IReadOnlyList<MemoryRegion> Regions => _regions;

    /// <summary>The region called <paramref name="name"/>, or null.</summary>
    public MemoryRegion? Find(string name) => _regions.FirstOrDefault(r => r.Name == name);

    /// <summary>The region called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The map has no such region.</exception>
    public MemoryRegion Region(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"the memory map has no region {name} (its regions: {string.Join(", ", _regions.Select(r => r.Name))})");

    /// <summary>The region that contains <paramref name="address"/>, or null.</summary>
    public MemoryRegion? RegionAt(uint address) => _regions.FirstOrDefault(r => r.Contains(address));

    /// <summary>This map with <paramref name="region"/> added, or in place of the region of the same name.</summary>
    public MemoryMap With(MemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return this with { _regions = Sorted(_regions.Where(r => r.Name != region.Name).Append(region)) };
    }

    /// <summary>This map without the region called <paramref name="name"/> (unchanged when it has none).</summary>
    public MemoryMap Without(string name) => this with { _regions = Sorted(_regions.Where(r => r.Name != name)) };

    /// <summary>
    /// Throws <see cref="MemoryMapException"/> listing every problem: a region of size 0, not word-aligned, past the
    /// end of the address space, with a bad or duplicate name, that takes no access or no width, executable but not
    /// readable by words, with a register outside it or not word-aligned; two regions that overlap; no RAM region.
    /// With <paramref name="alignedForDecoder"/> every region must also be a power of two in size with its base a
    /// multiple of it, as the interconnect decodes them (<see cref="AddressDecode.IsAligned"/>).
    /// </summary>
    public void Validate(bool alignedForDecoder = false)
    {
        var problems = new List<string>();
        foreach (var r in _regions)
        {
            string at = $"region {r.Name} at {Hex(r.Base)}";
            if (!NamePattern().IsMatch(r.Name))
                problems.Add($"region name '{r.Name}' is not an identifier of upper-case letters, digits and underscores");
            if (r.Size == 0)
                problems.Add($"{at} has size 0");
            if (r.Base % 4 != 0 || r.Size % 4 != 0)
                problems.Add($"{at} of size {Hex(r.Size)} is not word-aligned: base and size must be multiples of 4");
            if (r.End64 > 1UL << 32)
                problems.Add($"{at} of size {Hex(r.Size)} runs past the end of the 32-bit address space");
            if (!r.Readable && !r.Writable)
                problems.Add($"{at} is neither readable nor writable");
            if (r.Widths == AccessWidths.None || (r.Widths & ~AccessWidths.Any) != 0)
                problems.Add($"{at} takes no access width (Widths is {r.Widths}; give Byte, Halfword and/or Word)");
            if (r.Executable && !(r.Readable && r.Allows(AccessWidths.Word)))
                problems.Add($"{at} is executable but does not take word reads (an instruction fetch reads a word)");
            if (alignedForDecoder && r.Size != 0 && !AddressDecode.IsAligned(r))
                problems.Add($"{at} of size {Hex(r.Size)} is not aligned for the decoder: its size must be a power of two and its base a multiple of it");
            foreach (var register in r.Registers)
            {
                if (register.Offset % 4 != 0 || register.Offset >= r.Size)
                    problems.Add($"{at}: register {register.Name} at offset {Hex(register.Offset)} is not a word inside the region");
            }
            foreach (var twice in r.Registers.GroupBy(x => x.Name).Where(g => g.Count() > 1))
                problems.Add($"{at}: register {twice.Key} is defined {twice.Count()} times");
        }
        foreach (var twice in _regions.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"region {twice.Key} is defined {twice.Count()} times");
        for (int i = 0; i + 1 < _regions.Count; i++)
        {
            var (a, b) = (_regions[i], _regions[i + 1]);
            if (a.End64 > b.Base && a.Size != 0 && b.Size != 0)
                problems.Add($"region {a.Name} [{Hex(a.Base)}, {Hex(a.End64)}) overlaps region {b.Name} [{Hex(b.Base)}, {Hex(b.End64)})");
        }
        if (Find(RamName) is not { Kind: RegionKind.Ram })
            problems.Add($"the map has no region of kind Ram called {RamName}: programs are loaded and run there");
        if (problems.Count > 0)
            throw new MemoryMapException(problems);
    }

    // ---- the views: one property per region and register of the default layout ----------------

    public MemoryRegion Ram => Region(RamName);
    public MemoryRegion Clint => Region(ClintName);
    public MemoryRegion Uart => Region(UartName);
    public MemoryRegion Gpio => Region(GpioName);
    public MemoryRegion SpiFlash => Region(SpiFlashName);
    public MemoryRegion PexCall => Region(PexCallName);

    /// <summary>The boot ROM region; with none (<see cref="HasBootRom"/> false), an empty region at <see cref="BootRomBase"/> that is not in the map.</summary>
    public MemoryRegion BootRom => Find(BootRomName) ?? BootRomAt(_bootRomBase, 0);

    public uint RamBase { get => Ram.Base; init => Replace(RamName, r => r with { Base = value }); }
    public uint RamSize { get => Ram.Size; init => Replace(RamName, r => r with { Size = value }); }

    public uint ClintBase { get => Clint.Base; init => Replace(ClintName, r => r with { Base = value }); }
    public uint ClintSize { get => Clint.Size; init => Replace(ClintName, r => r with { Size = value }); }

    /// <summary>The low word of <c>mtimecmp</c>; the high word follows it.</summary>
    public uint MtimecmpOffset { get => Clint.Register("MTIMECMP").Offset; init => MoveRegisters(ClintName, value, "MTIMECMP", "MTIMECMPH"); }

    /// <summary>The low word of <c>mtime</c>; the high word follows it.</summary>
    public uint MtimeOffset { get => Clint.Register("MTIME").Offset; init => MoveRegisters(ClintName, value, "MTIME", "MTIMEH"); }

    public uint UartBase { get => Uart.Base; init => Replace(UartName, r => r with { Base = value }); }
    public uint UartSize { get => Uart.Size; init => Replace(UartName, r => r with { Size = value }); }

    /// <summary>Write: send a byte. Read: take the received byte.</summary>
    public uint UartDataOffset { get => Uart.Register("DATA").Offset; init => MoveRegisters(UartName, value, "DATA"); }

    /// <summary>Bit 0: ready to send. Bit 1: a byte has been received.</summary>
    public uint UartStatusOffset { get => Uart.Register("STATUS").Offset; init => MoveRegisters(UartName, value, "STATUS"); }

    public uint GpioBase { get => Gpio.Base; init => Replace(GpioName, r => r with { Base = value }); }
    public uint GpioSize { get => Gpio.Size; init => Replace(GpioName, r => r with { Size = value }); }

    /// <summary>Read/write: bit i drives LED i (1 = lit, whatever the board's polarity).</summary>
    public uint GpioLedsOffset { get => Gpio.Register("LEDS").Offset; init => MoveRegisters(GpioName, value, "LEDS"); }

    /// <summary>Read only: bit i is 1 while button i is pressed.</summary>
    public uint GpioButtonsOffset { get => Gpio.Register("BUTTONS").Offset; init => MoveRegisters(GpioName, value, "BUTTONS"); }

    /// <summary>The SPI master wired to the board's configuration flash (the boot ROM reads programs through it).</summary>
    public uint SpiFlashBase { get => SpiFlash.Base; init => Replace(SpiFlashName, r => r with { Base = value }); }
    public uint SpiFlashSize { get => SpiFlash.Size; init => Replace(SpiFlashName, r => r with { Size = value }); }

    /// <summary>Write: shift the low byte out (MSB first) while a byte is shifted in. Read: the byte received by the last transfer.</summary>
    public uint SpiDataOffset { get => SpiFlash.Register("DATA").Offset; init => MoveRegisters(SpiFlashName, value, "DATA"); }

    /// <summary>Write: bit 0 = select (1 drives the flash's chip select low). Read: bit 0 = select, bit 1 = a transfer is in progress.</summary>
    public uint SpiControlOffset { get => SpiFlash.Register("CONTROL").Offset; init => MoveRegisters(SpiFlashName, value, "CONTROL"); }

    public uint PexCallBase { get => PexCall.Base; init => Replace(PexCallName, r => r with { Base = value }); }
    public uint PexCallSize { get => PexCall.Size; init => Replace(PexCallName, r => r with { Size = value }); }

    /// <summary>
    /// The boot ROM's base. Without a boot ROM region, where setting <see cref="BootRomSize"/> places one
    /// (0x0001_0000 by default).
    /// </summary>
    public uint BootRomBase
    {
        get => Find(BootRomName)?.Base ?? _bootRomBase;
        init
        {
            _bootRomBase = value;
            if (Find(BootRomName) is not null)
                Replace(BootRomName, r => r with { Base = value });
        }
    }

    /// <summary>
    /// The boot ROM's size: 0 when the map has none (the SoC then starts at the RAM base). Setting it adds the
    /// region (executable, read-only), resizes it, or with 0 removes it.
    /// </summary>
    public uint BootRomSize
    {
        get => Find(BootRomName)?.Size ?? 0;
        init
        {
            var rest = _regions.Where(r => r.Name != BootRomName);
            if (value != 0)
                rest = rest.Append(Find(BootRomName) is { } rom ? rom with { Size = value } : BootRomAt(_bootRomBase, value));
            _regions = Sorted(rest);
        }
    }

    /// <summary>True when the map has a boot ROM region.</summary>
    public bool HasBootRom => Find(BootRomName) is not null;

    /// <summary>The reset PC of the application processor: the boot ROM when there is one, else the RAM base.</summary>
    public uint ResetVector => HasBootRom ? BootRomBase : RamBase;

    /// <summary>Where programs start: the RAM base (a boot ROM loads them there and jumps to it).</summary>
    public uint ProgramBase => RamBase;

    public uint Mtime => Clint.AddressOf("MTIME");
    public uint Mtimecmp => Clint.AddressOf("MTIMECMP");
    public uint UartData => Uart.AddressOf("DATA");
    public uint UartStatus => Uart.AddressOf("STATUS");
    public uint GpioLeds => Gpio.AddressOf("LEDS");
    public uint GpioButtons => Gpio.AddressOf("BUTTONS");
    public uint SpiData => SpiFlash.AddressOf("DATA");
    public uint SpiControl => SpiFlash.AddressOf("CONTROL");

    public bool Equals(MemoryMap? other) =>
        other is not null && _regions.SequenceEqual(other._regions) && (HasBootRom || _bootRomBase == other._bootRomBase);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var r in _regions)
            hash.Add(r);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        "MemoryMap { " + string.Join(", ", _regions.Select(r => $"{r.Name} {Hex(r.Base)}+{Hex(r.Size)}")) + " }";

    /// <summary>The default layout around a RAM.</summary>
    public static IReadOnlyList<MemoryRegion> DefaultRegions(uint ramBase, uint ramSize) =>
    [
        MemoryRegion.Device(ClintName, 0x0200_0000, 0x0001_0000, "timer: mtimecmp and mtime", AccessWidths.Word,
            new DeviceRegister("MTIMECMP", 0x4000, "CLINT mtimecmp, low word: the timer interrupt is pending while mtime >= mtimecmp"),
            new DeviceRegister("MTIMECMPH", 0x4004, "CLINT mtimecmp, high word"),
            new DeviceRegister("MTIME", 0xBFF8, "CLINT mtime, low word of the 64-bit timer"),
            new DeviceRegister("MTIMEH", 0xBFFC, "CLINT mtime, high word")),
        MemoryRegion.Device(UartName, 0x1000_0000, 0x0000_1000, "console: data and status registers", AccessWidths.Any,
            new DeviceRegister("DATA", 0x0, "UART data: a write (sb, sh or sw) sends its low byte, a read (any width) takes the received byte"),
            new DeviceRegister("STATUS", 0x4, "UART status")
            {
                Bits = [new("TX_READY", 1u << 0, "ready to send"), new("RX_VALID", 1u << 1, "a byte has been received")],
            }),
        MemoryRegion.Device(GpioName, 0x1000_1000, 0x0000_1000, "LEDs and buttons", AccessWidths.Any,
            new DeviceRegister("LEDS", 0x0, "GPIO LEDs: bit i drives LED i, 1 = lit"),
            new DeviceRegister("BUTTONS", 0x4, "GPIO buttons (read only): bit i is 1 while button i is pressed")),
        MemoryRegion.Device(SpiFlashName, 0x1000_2000, 0x0000_1000, "SPI master to the configuration flash", AccessWidths.Word,
            new DeviceRegister("DATA", 0x0, "SPI flash data: a write shifts a byte out and one in, a read gives the byte received"),
            new DeviceRegister("CONTROL", 0x4, "SPI flash control")
            {
                Bits = [new("SELECT", 1u << 0, "chip select driven (write and read)"), new("BUSY", 1u << 1, "a transfer is in progress (read only)")],
            }) with { RegisterPrefix = "SPI" },
        MemoryRegion.Device(PexCallName, 0x2000_0000, 0x0000_1000, "requests to the policy coprocessor", AccessWidths.Any,
            new DeviceRegister("OP", 0x0, "PEX call op: a store starts the call with ARG0 and ARG1 and completes when the PEX has served it (1 colour, 2 release, 3 last violation)")
            {
                Bits = [new("CODE", PexCallOpMask, "the op (the bits above are ignored)")],
            },
            new DeviceRegister("ARG0", 0x4, "PEX call: first argument (the call's result replaces it)"),
            new DeviceRegister("ARG1", 0x8, "PEX call: second argument"),
            new DeviceRegister("RESULT", 0xC, "PEX call: the last call's result, in ARG0's register (read only), its memory tag the call result tag")),
        MemoryRegion.Ram(RamName, ramBase, ramSize, "main memory: code, data, stack, heap"),
    ];

    private static MemoryRegion BootRomAt(uint @base, uint size) =>
        MemoryRegion.Rom(BootRomName, @base, size, "boot loader: reads a program from the SPI flash into RAM");

    private static MemoryRegion[] Sorted(IEnumerable<MemoryRegion> regions)
    {
        var all = regions.ToArray();
        foreach (var r in all)
            ArgumentNullException.ThrowIfNull(r, nameof(regions));
        // Stable: regions at the same base (an error Validate reports) keep their order.
        return [.. all.OrderBy(r => r.Base)];
    }

    private void Replace(string name, Func<MemoryRegion, MemoryRegion> change)
    {
        var region = Region(name);
        _regions = Sorted(_regions.Select(r => ReferenceEquals(r, region) ? change(r) : r));
    }

    /// <summary>Places <paramref name="names"/> at <paramref name="offset"/>, <paramref name="offset"/> + 4, ...</summary>
    private void MoveRegisters(string region, uint offset, params string[] names) =>
        Replace(region, r => r with
        {
            Registers = [.. r.Registers.Select(x => Array.IndexOf(names, x.Name) is int i and >= 0 ? x with { Offset = offset + (uint)(4 * i) } : x)],
        });

    private static string Hex(ulong value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex NamePattern();
}
