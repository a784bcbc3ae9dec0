using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware.Pex;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;

namespace HwGen.Firmware.Unikernel;

/// <summary>
/// The products of a linked unikernel, made in memory from its ELF before any is written: the memory image as a
/// <c>$readmemh</c> file and as raw bytes, the boot loader's flash image, and the manifest.
/// </summary>
/// <remarks>
/// The memory image is the ELF's loadable bytes laid out from the RAM base, as the flash image's payload
/// (<see cref="FlashImage.FromElf"/>): gaps zero-filled, the zero tail (<c>.bss</c>) left out, rounded up to whole
/// words. The hex file has one little-endian 32-bit word per line, eight lower-case hex digits, the first at the RAM
/// base, after one <c>//</c> comment line. Under a policy the initial tag image (<see cref="TagImageFile"/>) and the
/// PEX firmware are written beside the memory image; the manifest names the policy and the tag image (<c>tagImage</c>,
/// null without a policy).
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
    public IReadOnlyDictionary<string, string> Write(string directory, TagProducts? tags)
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
        if (tags is not null)
        {
            files["tags"] = Path.Combine(directory, app + ".tags");
            files["pex-elf"] = Path.Combine(directory, app + ".pex.elf");
            files["pex-hex"] = Path.Combine(directory, app + ".pex.hex");
            contents["tags"] = Encoding.ASCII.GetBytes(TagImageFile.Format(app, tags.Policy, tags.Image, tags.TagWidth));
            contents["pex-elf"] = File.ReadAllBytes(tags.Pex.ElfPath);
            contents["pex-hex"] = File.ReadAllBytes(tags.Pex.HexPath);
        }
        else
        {
            // A build without a policy leaves no tag products of an earlier one behind.
            foreach (var name in (string[])[app + ".tags", app + ".pex.elf", app + ".pex.hex"])
                File.Delete(Path.Combine(directory, name));
        }
        contents["manifest"] = Encoding.UTF8.GetBytes(ManifestJson(files, tags) + "\n");
        foreach (var kind in files.Keys.Where(k => k != "manifest").Append("manifest"))
            FileWriter.WriteAtomically(files[kind], contents[kind]);
        return files;
    }

    private string ManifestJson(IReadOnlyDictionary<string, string> files, TagProducts? tags)
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
            Policy: tags?.Policy.Name,
            TagImage: tags is null ? null : Path.GetFileName(files["tags"]));
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
        string? Policy,
        string? TagImage);

    /// <param name="ProgramBytes">From the RAM base to <c>_end</c>.</param>
    /// <param name="StackReserveBytes">The stack's minimum, kept free at the top of RAM.</param>
    /// <param name="ImageBytes">The memory image's length (the loaded bytes).</param>
    private sealed record RamModel(string Base, uint Size, uint ProgramBytes, uint StackReserveBytes, uint ImageBytes);

    private sealed record SectionModel(string Name, string Address, uint Size, bool Loaded);
}

/// <summary>What a build under a policy adds: the initial tag image and the PEX firmware built for the policy and that image.</summary>
internal sealed record TagProducts(Composite Policy, InitialTagImage Image, PexFirmwareImage Pex, int TagWidth)
{
    /// <exception cref="FirmwareConfigException">The image's tags do not fit the PEX, or a code word lies outside tagged memory.</exception>
    public static TagProducts Create(Composite policy, ElfImage elf, MemoryMap map)
    {
        var config = TagConfig.ForMemoryMap(map);
        InitialTagImage image;
        try
        {
            image = InitialTagImage.Build(elf, policy, config);
        }
        catch (ArgumentException ex)
        {
            throw new FirmwareConfigException($"the initial tag image under {policy.Name}: {ex.Message}");
        }
        var pex = PexFirmware.Build(policy, PexMemoryMap.Default, image.Interner.Sets, config);
        return new TagProducts(policy, image, pex, config.TagWidth);
    }
}
