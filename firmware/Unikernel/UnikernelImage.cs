using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HwGen.Sim.Model.Elf;

namespace HwGen.Firmware.Unikernel;

/// <summary>
/// The products of a linked unikernel, made in memory from its ELF before any is written: the memory image as a
/// <c>$readmemh</c> file and as raw bytes, the boot loader's flash image, and the manifest.
/// </summary>
/// <remarks>
/// The memory image is the ELF's loadable bytes laid out from the RAM base, as the flash image's payload
/// (<see cref="FlashImage.FromElf"/>): gaps zero-filled, the zero tail (<c>.bss</c>) left out, rounded up to whole
/// words. The hex file has one little-endian 32-bit word per line, eight lower-case hex digits, the first at the RAM
/// base, after one <c>//</c> comment line. The manifest's <c>tagImage</c> is null: the SoC has no tags yet, and the
/// initial tag image will be written beside the memory image and named there.
/// </remarks>
internal sealed class UnikernelImage
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly UnikernelBuildOptions _options;
    private readonly string _elfPath;
    private readonly IReadOnlyList<string> _libraries;
    private readonly FlashImage _flash;

    private UnikernelImage(UnikernelBuildOptions options, string elfPath, IReadOnlyList<string> libraries, ElfImage elf, FlashImage flash)
    {
        _options = options;
        _elfPath = elfPath;
        _libraries = libraries;
        Elf = elf;
        _flash = flash;
        Sections = elf.Sections
            .Where(s => s.IsAlloc && s.Size > 0)
            .OrderBy(s => s.Address)
            .Select(s => new ImageSection(s.Name, s.Address, s.Size, !s.IsNoBits))
            .ToArray();
        Symbols = UnikernelBuilder.ManifestSymbols
            .Where(n => elf.TryGetSymbol(n, out _))
            .ToDictionary(n => n, n => elf.FindSymbol(n)!.Value, StringComparer.Ordinal);
    }

    public ElfImage Elf { get; }

    public IReadOnlyList<ImageSection> Sections { get; }

    public IReadOnlyDictionary<string, uint> Symbols { get; }

    /// <summary>Reads the linked ELF and makes the products.</summary>
    /// <exception cref="ImageDoesNotFitException">The image is larger than the boot loader can load into RAM.</exception>
    public static UnikernelImage Create(UnikernelBuildOptions options, string elfPath, IReadOnlyList<string> libraries)
    {
        var map = options.MemoryMap;
        ElfImage elf;
        FlashImage flash;
        try
        {
            elf = ElfImage.Load(elfPath, map);
            flash = FlashImage.FromElf(elfPath, map);
        }
        catch (ElfFormatException ex)
        {
            throw new FirmwareConfigException($"{options.Application}: the linked image is not a program for this SoC: {ex.Message}");
        }
        catch (FlashImageException ex)
        {
            throw new ImageDoesNotFitException($"{options.Application}: {ex.Message}", "(image)", 0);
        }
        return new UnikernelImage(options, elfPath, libraries, elf, flash);
    }

    /// <summary>
    /// Writes the ELF, the hex and raw images, the flash image and the manifest into <paramref name="directory"/>, each
    /// through a temporary file renamed into place, the manifest last; returns their full paths by kind.
    /// </summary>
    public IReadOnlyDictionary<string, string> Write(string directory)
    {
        var app = _options.Application;
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["elf"] = Path.Combine(directory, app + ".elf"),
            ["hex"] = Path.Combine(directory, app + ".hex"),
            ["bin"] = Path.Combine(directory, app + ".bin"),
            ["flash"] = Path.Combine(directory, app + ".flash"),
            ["manifest"] = Path.Combine(directory, "manifest.json"),
        };
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["elf"] = File.ReadAllBytes(_elfPath),
            ["hex"] = Encoding.ASCII.GetBytes(Firmware.Hex.Readmemh(_options.Application, _options.MemoryMap.RamBase, _flash.Payload)),
            ["bin"] = _flash.Payload.ToArray(),
            ["flash"] = _flash.ToBytes(),
        };
        contents["manifest"] = Encoding.UTF8.GetBytes(ManifestJson(files) + "\n");
        foreach (var kind in (string[])["elf", "hex", "bin", "flash", "manifest"])
            FileWriter.WriteAtomically(files[kind], contents[kind]);
        return files;
    }

    private string ManifestJson(IReadOnlyDictionary<string, string> files)
    {
        var map = _options.MemoryMap;
        uint end = Symbols.TryGetValue("_end", out var e) ? e : map.RamBase;
        var manifest = new ManifestModel(
            Application: _options.Application,
            Board: _options.Board,
            Libraries: _libraries,
            Entry: Firmware.Hex.Word(Elf.Entry),
            Files: files.Where(f => f.Key != "manifest").ToDictionary(f => f.Key, f => Path.GetFileName(f.Value)),
            Ram: new RamModel(Firmware.Hex.Word(map.RamBase), map.RamSize, end - map.RamBase, LinkerScript.MinimumStackBytes, _flash.PayloadLength),
            Sections: [.. Sections.Select(s => new SectionModel(s.Name, Firmware.Hex.Word(s.Address), s.Size, s.Loaded))],
            Symbols: Symbols.ToDictionary(s => s.Key, s => Firmware.Hex.Word(s.Value)),
            TagImage: null);
        return JsonSerializer.Serialize(manifest, s_json);
    }

    private sealed record ManifestModel(
        string Application,
        string? Board,
        IReadOnlyList<string> Libraries,
        string Entry,
        IReadOnlyDictionary<string, string> Files,
        RamModel Ram,
        IReadOnlyList<SectionModel> Sections,
        IReadOnlyDictionary<string, string> Symbols,
        string? TagImage);

    /// <param name="ProgramBytes">From the RAM base to <c>_end</c>.</param>
    /// <param name="StackReserveBytes">The stack's minimum, kept free at the top of RAM.</param>
    /// <param name="ImageBytes">The memory image's length (the loaded bytes).</param>
    private sealed record RamModel(string Base, uint Size, uint ProgramBytes, uint StackReserveBytes, uint ImageBytes);

    private sealed record SectionModel(string Name, string Address, uint Size, bool Loaded);
}
