using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using HwGen.Designs.Soc;

namespace HwGen.Designs.Boards;

/// <summary>A board file that cannot be read or does not describe a board that HwGen can build for.</summary>
public sealed class BoardException(string message) : Exception(message);

/// <summary>How the AP's RAM is built on a board.</summary>
public enum RamKind
{
    /// <summary>iCE40 UltraPlus single-port RAM blocks (<c>SB_SPRAM256KA</c>, 16K x 16 each): two blocks give 64 KiB.</summary>
    Spram,

    /// <summary>Generic single-port block RAM (<c>SB_RAM40_4K</c>), for devices without SPRAM.</summary>
    BlockRam,
}

/// <summary>The LEDs or the buttons of a board: how many the SoC drives or reads, and their polarity.</summary>
/// <param name="Count">How many; the top port (<c>LED</c> or <c>BTN</c>) has this many bits.</param>
/// <param name="ActiveLow">True when a pin at 0 lights the LED or means the button is pressed.</param>
public sealed record PinGroup(int Count, bool ActiveLow);

/// <summary>The board's SPI configuration flash.</summary>
/// <param name="Bytes">Its size.</param>
/// <param name="FirmwareOffset">Where the boot ROM looks for the firmware image (its header first); the bitstream is at 0.</param>
public sealed record FlashLayout(uint Bytes, uint FirmwareOffset);

/// <summary>How <c>openFPGALoader</c> reaches the board's flash: by board name (<c>-b</c>) or by cable (<c>-c</c>).</summary>
/// <param name="Board">The <c>openFPGALoader -b</c> board name, or null.</param>
/// <param name="Cable">The <c>openFPGALoader -c</c> cable name, or null.</param>
public sealed record Programmer(string? Board = null, string? Cable = null)
{
    /// <summary>The arguments that select the programmer: <c>-b BOARD</c> or <c>-c CABLE</c>.</summary>
    public IReadOnlyList<string> Arguments => Board is { Length: > 0 } ? ["-b", Board] : ["-c", Cable!];
}

/// <summary>
/// An FPGA board, read from a board file (<c>constraints/NAME.json</c>, beside its pin constraints
/// <c>constraints/NAME.pcf</c>): the device and package, the oscillator, the memories, the UART speed, the
/// LEDs and buttons, the flash layout and the programmer. The board SoC takes its parts from here, so a new
/// board of a supported device needs a board file and a pcf, no code.
/// </summary>
/// <remarks>
/// The board SoC's top has these ports, which the pcf must place (and nothing else):
/// <c>CLK</c> (the oscillator), <c>UART_RX</c>, <c>UART_TX</c>, <c>LED</c>, <c>BTN</c> (when the board has buttons),
/// <c>FLASH_SCK</c>, <c>FLASH_SS</c>, <c>FLASH_MOSI</c>, <c>FLASH_MISO</c>. A port of several bits is placed bit by bit
/// (<c>LED[0]</c>, <c>LED[1]</c>); a one-bit port by its plain name (<c>BTN</c> on a board with one button).
/// </remarks>
public sealed record Board
{
    /// <summary>The board's name: the file name of its board file, and what <c>--board</c> takes.</summary>
    public required string Name { get; init; }

    /// <summary>One line for people: maker, model, device.</summary>
    public required string Title { get; init; }

    /// <summary>The iCE40 device as nextpnr-ice40 names it (<c>up5k</c>, <c>hx8k</c>, …).</summary>
    public required string Device { get; init; }

    /// <summary>The package as nextpnr-ice40 names it (<c>sg48</c>, <c>ct256</c>, …).</summary>
    public required string Package { get; init; }

    /// <summary>The pin constraints file, relative to the board file.</summary>
    public required string Pcf { get; init; }

    /// <summary>The oscillator on the <c>CLK</c> pin, in MHz.</summary>
    public required double OscillatorMHz { get; init; }

    /// <summary>
    /// True when the <c>CLK</c> pin is the PLL's own input pad (pin 35 of the UP5K-SG48): the PLL is
    /// <c>SB_PLL40_PAD</c> on it. False (the default): <c>SB_PLL40_CORE</c>, fed from the pin through the fabric.
    /// </summary>
    public bool ClockPinIsPllPad { get; init; }

    /// <summary>The core clock asked for when <c>--freq</c> is not given, in MHz.</summary>
    public required double FrequencyMHz { get; init; }

    public required RamKind Ram { get; init; }

    /// <summary>The AP's RAM in bytes, a power of two.</summary>
    public required uint RamBytes { get; init; }

    /// <summary>The boot ROM in bytes (block RAM, a power of two).</summary>
    public required uint BootRomBytes { get; init; }

    public required int UartBaud { get; init; }

    public required PinGroup Leds { get; init; }

    public required PinGroup Buttons { get; init; }

    public required FlashLayout Flash { get; init; }

    public required Programmer Programmer { get; init; }

    /// <summary>The folder of the board file, or null for a board built into HwGen (its pcf is a resource).</summary>
    [JsonIgnore]
    public string? Directory { get; init; }

    /// <summary>The AP memory map on this board: RAM and boot ROM sizes from here, addresses from <see cref="MemoryMap"/>.</summary>
    public MemoryMap MemoryMap => new(RamBase: 0x8000_0000, RamSize: RamBytes) { BootRomSize = BootRomBytes };

    /// <summary>
    /// The AP memory map of the tagged board SoC: <see cref="MemoryMap"/> without the boot ROM (the policy coprocessor
    /// boots the system; the AP starts at its RAM's base).
    /// </summary>
    [JsonIgnore]
    public MemoryMap TaggedMemoryMap => MemoryMap with { BootRomSize = 0 };

    /// <summary>The text of the pin constraints file.</summary>
    public string ReadPcf()
    {
        if (Directory is not null)
        {
            var path = Path.Combine(Directory, Pcf);
            if (!File.Exists(path))
                throw new BoardException($"board '{Name}': its pin constraints file {path} does not exist");
            return File.ReadAllText(path);
        }
        return ReadResource(Pcf) ?? throw new BoardException($"board '{Name}': its pin constraints file {Pcf} is not built in");
    }

    /// <summary>The names of the boards built into HwGen (the board files of <c>constraints/</c>).</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = typeof(Board).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// The board <paramref name="nameOrPath"/>: a built-in board's name, or the path of a board file
    /// (<c>.json</c>) whose pcf lies beside it.
    /// </summary>
    /// <exception cref="BoardException">No such board, or the file is not a valid board description.</exception>
    public static Board Load(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/') || nameOrPath.Contains('\\'))
        {
            if (!File.Exists(nameOrPath))
                throw new BoardException($"board file {nameOrPath} does not exist");
            var full = Path.GetFullPath(nameOrPath);
            return Parse(File.ReadAllText(full), full) with { Directory = Path.GetDirectoryName(full) };
        }
        var text = ReadResource(nameOrPath + ".json")
            ?? throw new BoardException($"unknown board '{nameOrPath}'; known boards: {string.Join(", ", BuiltIn)} (or give the path of a board file)");
        return Parse(text, $"constraints/{nameOrPath}.json");
    }

    /// <summary>Reads a board description from JSON text; <paramref name="origin"/> names it in errors.</summary>
    public static Board Parse(string json, string origin)
    {
        Board? board;
        try
        {
            board = JsonSerializer.Deserialize<Board>(json, s_json);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"({line + 1})" : "";
            throw new BoardException($"{origin}{where}: not a valid board description: {ex.Message.Split(" Path:")[0]}");
        }
        if (board is null)
            throw new BoardException($"{origin}: empty board description");
        board.Validate(origin);
        return board;
    }

    private void Validate(string origin)
    {
        void Require(bool ok, string what)
        {
            if (!ok)
                throw new BoardException($"{origin}: {what}");
        }
        static bool PowerOfTwo(uint v) => v != 0 && (v & (v - 1)) == 0;
        Require(Title is { Length: > 0 } && Device is { Length: > 0 } && Package is { Length: > 0 } && Pcf is { Length: > 0 },
            "title, device, package and pcf must not be empty");
        // JSON null can reach these non-nullable members.
        Require(new object?[] { Leds, Buttons, Flash, Programmer }.All(o => o is not null),
            "leds, buttons, flash and programmer must be objects, not null");
        Require(Name is { Length: > 0 } && Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), $"the name '{Name}' must be letters, digits, '-' or '_'");
        Require(OscillatorMHz > 0 && OscillatorMHz <= 300, $"oscillatorMHz {OscillatorMHz.ToString(CultureInfo.InvariantCulture)} is not a plausible frequency");
        Require(FrequencyMHz > 0 && FrequencyMHz <= Ice40.ClockPlan.PllMaxMHz,
            $"frequencyMHz {FrequencyMHz.ToString(CultureInfo.InvariantCulture)} is outside what a clock plan reaches (above 0, up to {Ice40.ClockPlan.PllMaxMHz} MHz)");
        Require(PowerOfTwo(RamBytes) && RamBytes >= 4096, $"ramBytes {RamBytes} must be a power of two of at least 4096");
        Require(Ram != RamKind.Spram || RamBytes is 64 * 1024 or 128 * 1024, $"ramBytes {RamBytes}: SPRAM RAM is 65536 (two blocks) or 131072 (all four)");
        Require(PowerOfTwo(BootRomBytes) && BootRomBytes >= 512 && BootRomBytes <= 16384, $"bootRomBytes {BootRomBytes} must be a power of two from 512 to 16384");
        Require(UartBaud is >= 1200 and <= 3_000_000, $"uartBaud {UartBaud} is not a supported speed");
        Require(Leds.Count is >= 1 and <= 32, $"leds.count {Leds.Count} must be 1 to 32");
        Require(Buttons.Count is >= 0 and <= 32, $"buttons.count {Buttons.Count} must be 0 to 32");
        Require(PowerOfTwo(Flash.Bytes), $"flash.bytes {Flash.Bytes} must be a power of two");
        Require(Flash.FirmwareOffset % 4096 == 0 && Flash.FirmwareOffset > 0 && Flash.FirmwareOffset < Flash.Bytes && Flash.FirmwareOffset < 1u << 24,
            $"flash.firmwareOffset 0x{Flash.FirmwareOffset:X} must be a non-zero multiple of 4 KiB inside the flash and below 16 MiB (the READ command's 24-bit address)");
        Require((Programmer.Board is { Length: > 0 }) != (Programmer.Cable is { Length: > 0 }), "programmer needs exactly one of board and cable");
    }

    private const string ResourcePrefix = "HwGen.Boards.";

    private static string? ReadResource(string fileName)
    {
        using var stream = typeof(Board).Assembly.GetManifestResourceStream(ResourcePrefix + fileName);
        if (stream is null)
            return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
