using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Designs.Boards;
using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Sim.Model.Elf;

namespace HwGen.Firmware;

/// <summary>The boot loader does not fit in the boot ROM, or the memory map has no boot ROM to build for.</summary>
public sealed class BootRomException(string message) : Exception(message);

/// <summary>What the boot loader is built for.</summary>
/// <param name="Map">The memory map: the code goes into its boot ROM, the stack at the top of its RAM.</param>
/// <param name="FirmwareOffset">Where the firmware image lies in the SPI flash (below 16 MiB: the READ command has a 24-bit address).</param>
public sealed record BootLoaderOptions(MemoryMap Map, uint FirmwareOffset)
{
    /// <summary>The core clock in MHz, which the wake-up delay and the LED blink are counted in.</summary>
    public double ClockMHz { get; init; } = 12;

    /// <summary>
    /// A C source that replaces <c>firmware/boot/spi_flash.c</c> (the <c>boot_spi.h</c> functions on the SPI
    /// master); tests link a flash model here. Null: the SoC's SPI master.
    /// </summary>
    public string? SpiDriver { get; init; }

    /// <summary>More preprocessor definitions (<c>-DNAME=VALUE</c>, or <c>-DNAME</c> for null), e.g. for <see cref="SpiDriver"/>.</summary>
    public IReadOnlyDictionary<string, string?> Defines { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// The AP RAM's base in the AP's map, for a boot agent (a <see cref="Map"/> with the APRAM window of
    /// <c>PexMemoryMap.Board</c>): the boot loader reads the tagged layout (<see cref="FlashImage"/>); null: a plain one.
    /// </summary>
    public uint? ApRamBase { get; init; }

    /// <summary>The boot loader of <paramref name="board"/>: its memory map, firmware offset and core clock.</summary>
    public static BootLoaderOptions For(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        return new BootLoaderOptions(board.MemoryMap, board.Flash.FirmwareOffset) { ClockMHz = board.FrequencyMHz };
    }
}

/// <summary>A built boot loader.</summary>
/// <param name="ElfPath">The linked boot loader (symbols included, for disassembly and traces).</param>
/// <param name="Words">The ROM contents, little-endian words from the ROM base, zero-padded to the whole ROM.</param>
/// <param name="CodeBytes">How many bytes of the ROM the code and read-only data use.</param>
/// <param name="RomBytes">The size of the ROM.</param>
public sealed record BootRomImage(string ElfPath, IReadOnlyList<uint> Words, uint CodeBytes, uint RomBytes)
{
    /// <summary>Bytes of the ROM left free.</summary>
    public uint FreeBytes => RomBytes - CodeBytes;
}

/// <summary>
/// Builds the boot loader (firmware/boot: start.S, boot.c, spi_flash.c) for a board's boot ROM: code and
/// read-only data in the ROM, linked with <c>boot.ld</c> generated from the memory map through
/// <c>firmware/Templates/boot.ld.sbn</c>, compiled with <c>-Os</c> and no C library.
/// </summary>
/// <remarks>
/// At reset it wakes the flash, reads the <see cref="FlashImage"/> at the board's firmware offset, copies
/// it into RAM, checks its CRC and jumps to it, printing one line on the UART. Its messages:
/// <list type="bullet">
/// <item><c>boot: 1234 bytes at 0x80000000, crc ok</c></item>
/// <item><c>boot: no image at flash 0x100000 (magic 0xffffffff)</c></item>
/// <item><c>boot: bad header crc: image 0x…, computed 0x…</c></item>
/// <item><c>boot: image of N bytes at 0x… does not fit in RAM</c></item>
/// <item><c>boot: entry 0x… is outside the image at 0x…</c></item>
/// <item><c>boot: bad crc: image 0x…, computed 0x…</c></item>
/// </list>
/// After a failure it blinks LED 0 forever.
/// </remarks>
public static partial class BootRom
{
    /// <summary>The name of the generated linker script, written beside the boot loader's ELF.</summary>
    public const string LinkerScriptFileName = "boot.ld";

    /// <summary>The name of the boot loader's ELF in the work directory.</summary>
    public const string ElfFileName = "boot.elf";

    /// <summary>The flash READ command takes a 24-bit address.</summary>
    public const uint MaxFirmwareOffset = 1u << 24;

    private const string SpiDriverFile = "spi_flash.c";

    private static readonly EmbeddedFiles s_sources = new("HwGen.Firmware.Boot.", "firmware/boot");

    /// <summary>The boot loader's source files (e.g. <c>boot.c</c>, <c>start.S</c>).</summary>
    public static IReadOnlyList<string> SourceFiles => s_sources.Names;

    /// <summary>Flags added to <see cref="RiscvToolchain.StandardFlags"/> (after them, so <c>-Os</c> wins over <c>-O2</c>).</summary>
    public static IReadOnlyList<string> Flags { get; } =
        ["-Os", "-Werror", "-Wextra", "-msmall-data-limit=0", "-ffunction-sections", "-fdata-sections", "-Wl,--gc-sections"];

    /// <summary>
    /// The boot ROM contents for <paramref name="board"/>: <see cref="Board.BootRomBytes"/> / 4 little-endian words.
    /// Intermediate files go into <paramref name="workDirectory"/>.
    /// </summary>
    /// <exception cref="BootRomException">The code does not fit in the ROM (the message says by how many bytes).</exception>
    /// <exception cref="FirmwareBuildException">The compiler failed.</exception>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler is not installed.</exception>
    public static IReadOnlyList<uint> Build(Board board, string workDirectory) =>
        Compile(BootLoaderOptions.For(board), workDirectory).Words;

    /// <summary>The largest boot ROM a boot agent's loader is built for, before its ROM is cut to the code's size.</summary>
    public const uint MaxBootAgentRomBytes = 4096;

    /// <summary>The smallest ROM: one block RAM.</summary>
    public const uint MinRomBytes = 512;

    /// <summary>
    /// The boot loader of the PEX of a tagged <paramref name="board"/> (the boot agent: <see cref="PexMemoryMap.Board"/>)
    /// for <paramref name="options"/>' clock and defines, and the PEX's map with a boot ROM of the smallest power of two
    /// (at least <see cref="MinRomBytes"/>) that holds its code: the ROM is block RAM, 512 bytes a block.
    /// </summary>
    public static (MemoryMap PexMap, BootRomImage Image) CompileBootAgent(Board board, BootLoaderOptions options, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(options);
        var built = Compile(options with
        {
            Map = PexMemoryMap.Board(MaxBootAgentRomBytes, board.RamBytes),
            FirmwareOffset = board.Flash.FirmwareOffset,
            ApRamBase = board.MemoryMap.RamBase,
            // The PEX's core has no CSRs (PexSoc.CoreConfig): no trap vector.
            Defines = new Dictionary<string, string?>(options.Defines) { [FirmwareSources.NoCsrsDefine] = null },
        }, workDirectory);
        uint rom = Math.Max(MinRomBytes, System.Numerics.BitOperations.RoundUpToPowerOf2(built.CodeBytes));
        var image = built with { Words = built.Words.Take((int)(rom / 4)).ToArray(), RomBytes = rom };
        return (PexMemoryMap.Board(rom, board.RamBytes), image);
    }

    /// <summary>The linker script for the boot loader of <paramref name="map"/>.</summary>
    public static string RenderLinkerScript(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckMap(map);
        return FirmwareTemplates.Render("boot.ld.sbn", new
        {
            FileName = LinkerScriptFileName,
            Rom = map.BootRom.Name,
            RomAttributes = LinkerScript.Attributes(map.BootRom),
            RomBase = Hex.Word(map.BootRomBase),
            RomSize = Hex.Word(map.BootRomSize),
            Ram = map.Ram.Name,
            RamBase = Hex.Word(map.RamBase),
            RamSize = Hex.Word(map.RamSize),
            StackReserve = FlashImage.BootStackReserve,
        });
    }

    /// <summary>Builds the boot loader for <paramref name="options"/> in <paramref name="workDirectory"/>.</summary>
    /// <exception cref="BootRomException">The code does not fit in the ROM, or the options cannot be built for.</exception>
    /// <exception cref="FirmwareBuildException">The compiler failed.</exception>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler is not installed.</exception>
    public static BootRomImage Compile(BootLoaderOptions options, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        var map = options.Map;
        CheckMap(map);
        if (options.FirmwareOffset >= MaxFirmwareOffset)
            throw new BootRomException($"boot loader: the firmware offset 0x{options.FirmwareOffset:X} is beyond the 16 MiB the flash READ command addresses");
        if (!(options.ClockMHz > 0))
            throw new BootRomException($"boot loader: clock of {options.ClockMHz.ToString(CultureInfo.InvariantCulture)} MHz");

        var toolchain = RiscvToolchain.Find();
        var directory = Path.GetFullPath(workDirectory);
        s_sources.WriteAll(directory);
        var linkerScript = Path.Combine(directory, LinkerScriptFileName);
        FileWriter.WriteIfChanged(linkerScript, RenderLinkerScript(map));
        FileWriter.WriteIfChanged(Path.Combine(directory, SocHeader.FileName), SocHeader.Render(map));

        var defines = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BOOT_FIRMWARE_OFFSET"] = Hex.Word(options.FirmwareOffset) + "u",
            ["BOOT_IMAGE_MAGIC"] = Hex.Word(FlashImage.Magic) + "u",
            ["BOOT_STACK_RESERVE"] = FlashImage.BootStackReserve.ToString(CultureInfo.InvariantCulture) + "u",
            // 10 us of one-cycle loops: at least the flash's 3 us wake-up time even on a clock three times faster.
            ["BOOT_WAKE_LOOPS"] = ((uint)Math.Ceiling(options.ClockMHz * 10)).ToString(CultureInfo.InvariantCulture) + "u",
            // About a quarter of a second between toggles (a loop takes several cycles).
            ["BOOT_BLINK_LOOPS"] = ((uint)Math.Ceiling(options.ClockMHz * 1e6 / 8)).ToString(CultureInfo.InvariantCulture) + "u",
        };
        if (options.ApRamBase is { } apRamBase)
        {
            if (map.Find(PexMemoryMap.ApRamName) is null)
                throw new BootRomException($"boot loader: a boot agent's map needs the {PexMemoryMap.ApRamName} window onto the AP's RAM");
            defines["BOOT_AP_RAM_BASE"] = Hex.Word(apRamBase) + "u";
        }
        foreach (var (name, value) in options.Defines)
            defines[name] = value;

        var sources = SourceFiles
            .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".S", StringComparison.Ordinal))
            .Where(f => options.SpiDriver is null || f != SpiDriverFile)
            .Select(f => Path.Combine(directory, f))
            .ToList();
        if (options.SpiDriver is { } driver)
        {
            if (!File.Exists(driver))
                throw new BootRomException($"{driver}: no such SPI driver source");
            sources.Add(Path.GetFullPath(driver));
        }

        var elfPath = Path.Combine(directory, ElfFileName);
        var temporary = FileWriter.TemporaryPathBeside(elfPath);
        var arguments = new List<string>(RiscvToolchain.StandardFlags);
        arguments.AddRange(Flags);
        arguments.AddRange(["-I", directory]);
        arguments.AddRange(defines.Select(d => d.Value is null ? $"-D{d.Key}" : $"-D{d.Key}={d.Value}"));
        arguments.AddRange(["-T", linkerScript]);
        arguments.AddRange(sources);
        arguments.AddRange(["-lgcc", "-o", temporary]);
        try
        {
            var result = ProcessRunner.Run(toolchain.GccPath, arguments, workingDirectory: directory, timeout: TimeSpan.FromMinutes(2));
            if (!result.Succeeded || !File.Exists(temporary))
            {
                if (RegionOverflow().Match(result.Output) is { Success: true } overflow && overflow.Groups["region"].Value == map.BootRom.Name)
                {
                    throw new BootRomException(
                        $"boot loader: the code does not fit in the {map.BootRomSize}-byte boot ROM: {overflow.Groups["bytes"].Value} bytes too many");
                }
                throw new FirmwareBuildException(
                    $"boot loader: the build failed (compiler exit code {result.ExitCode}):{Environment.NewLine}{result.Output}", [], result.Output);
            }
            File.Move(temporary, elfPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return Image(elfPath, map);
    }

    /// <summary>The ROM words of a linked boot loader.</summary>
    private static BootRomImage Image(string elfPath, MemoryMap map)
    {
        // The ELF reader checks segments against a map's RAM: give it the boot ROM as that RAM, so anything
        // linked outside the ROM is refused.
        var rom = new MemoryMap(RamBase: map.BootRomBase, RamSize: map.BootRomSize);
        ElfImage elf;
        try
        {
            elf = ElfImage.Load(elfPath, rom);
        }
        catch (ElfFormatException ex)
        {
            throw new BootRomException($"boot loader: {ex.Message}");
        }
        if (elf.Entry != map.BootRomBase)
            throw new BootRomException($"boot loader: {elfPath}: entry point {Hex.Word(elf.Entry)} is not the reset vector {Hex.Word(map.BootRomBase)}");
        var bytes = new byte[map.BootRomSize];
        uint used = 0;
        foreach (var segment in elf.Segments)
        {
            segment.Data.CopyTo(bytes, (int)(segment.Address - map.BootRomBase));
            used = Math.Max(used, segment.Address - map.BootRomBase + segment.Size);
        }
        var words = new uint[bytes.Length / 4];
        for (int i = 0; i < words.Length; i++)
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        return new BootRomImage(elfPath, words, used, map.BootRomSize);
    }

    private static void CheckMap(MemoryMap map)
    {
        if (!map.HasBootRom)
            throw new BootRomException("boot loader: the memory map has no boot ROM (BootRomSize is 0)");
        if (map.BootRomSize % 4 != 0 || map.BootRomBase % 4 != 0)
            throw new BootRomException($"boot loader: the boot ROM at {Hex.Word(map.BootRomBase)} of {map.BootRomSize} bytes is not word-aligned");
        if (map.RamSize <= FlashImage.BootStackReserve)
            throw new BootRomException($"boot loader: RAM of {map.RamSize} bytes leaves nothing above the {FlashImage.BootStackReserve}-byte stack");
    }

    /// <summary>GNU ld: <c>region `BOOTROM' overflowed by 123 bytes</c>.</summary>
    [GeneratedRegex(@"region [`'](?<region>[^`']+)' overflowed by (?<bytes>\d+) bytes")]
    private static partial Regex RegionOverflow();
}
