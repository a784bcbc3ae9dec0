using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Gen.Templates;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Verilator;

namespace HwGen.Firmware.Pex;

/// <summary>How <see cref="PexFirmware.Build"/> builds.</summary>
public sealed record PexFirmwareOptions
{
    /// <summary>The folder under which each firmware is kept, by the hash of its sources (default: the simulator's cache, <c>pex-firmware/</c>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Sets the interning table holds, the empty set's included (at most 2^<see cref="TagConfig.TagWidth"/>): 12 bytes each, and 4 bytes of hash index.</summary>
    public int SetCapacity { get; init; } = 1 << TagConfig.PexSetIdentifierBits;

    /// <summary>The opgroup table the PEX programs (1024 entries), or null for <see cref="Opgroups.DefaultTable"/> (which the tag unit resets to).</summary>
    public IReadOnlyList<byte>? OpgroupTable { get; init; }

    /// <summary>How long one compiler or linker run may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>A built PEX firmware: its ELF and the memory image the simulator's loader writes into the PEX's RAM.</summary>
/// <param name="Directory">The folder that holds it (in the cache).</param>
/// <param name="ElfPath">The linked program.</param>
/// <param name="HexPath">The memory image as a <c>$readmemh</c> file, one word a line from <paramref name="RamBase"/>.</param>
/// <param name="RamBase">The address of the image's first word.</param>
/// <param name="Words">The memory image: the loadable bytes from the RAM base, as little-endian words.</param>
/// <param name="SetCapacity">Sets the interning table holds, the empty set's included.</param>
/// <param name="Built">False when the cache had it.</param>
public sealed record PexFirmwareImage(string Directory, string ElfPath, string HexPath, uint RamBase, IReadOnlyList<uint> Words, int SetCapacity, bool Built)
{
    /// <summary>The ELF, with its symbols (<c>intern_table</c>, <c>intern_count</c>, <c>main</c>, ...).</summary>
    public ElfImage LoadElf(MemoryMap pexMap) => ElfImage.Load(ElfPath, pexMap);
}

/// <summary>
/// Compiles and links the PEX firmware from its runtime (firmware/Pex/runtime) and the generated sources, for the
/// PEX's memory map (its own linker script and <c>hwgen_soc.h</c>), and keeps the result in a cache folder named by the
/// hash of every input (sources, header, linker script, flags, compiler), so the same composite and image build once.
/// </summary>
internal static class PexFirmwareBuild
{
    /// <summary>The PEX core: RV32I with Zicsr, no M. A link names <c>rv32i</c> so that GCC picks that library set.</summary>
    public static IReadOnlyList<string> CompileArchitecture { get; } = ["-march=rv32i_zicsr", "-mabi=ilp32"];

    public static IReadOnlyList<string> LinkArchitecture { get; } = ["-march=rv32i", "-mabi=ilp32"];

    /// <summary>
    /// The compiler's flags. -O3 with link-time optimisation: the interning, the generated evaluators and the call
    /// dispatch are inlined into the loop, and what a composite never reads is not computed (the composite's miss on
    /// bench: 133 PEX cycles, against 193 with -O3 alone and 220 with -O2). Freestanding: the firmware links no C
    /// library (-Os would call memset). The link repeats -O3 and -flto for the link-time compilation.
    /// </summary>
    public static IReadOnlyList<string> CompileFlags { get; } = ["-O3", "-flto", "-g", "-Wall", "-Wextra", "-Werror", "-ffreestanding", "-std=gnu11", "-ffunction-sections", "-fdata-sections"];

    public static IReadOnlyList<string> LinkFlags { get; } = ["-O3", "-flto", "-static", "-nostdlib", "-nostartfiles", "-Wl,--gc-sections", "-Wl,--no-warn-rwx-segments"];

    /// <summary>
    /// The reset entry, shared with the bare runtime (firmware/runtime): <c>gp</c>, <c>sp</c>, <c>.bss</c>, <c>main</c>. The
    /// PEX's core has no CSRs (<see cref="FirmwareSources.NoCsrsDefine"/>): a trap (a firmware fault) stops it on the
    /// instruction that trapped, and the AP stays stalled on its miss or call, since a fault is never an allow.
    /// </summary>
    public static IReadOnlyList<string> StartFiles { get; } = ["crt0.S", "console.h"];

    /// <summary>The name of the products in the cache folder: <c>pex.elf</c>, <c>pex.hex</c>.</summary>
    public const string ProductName = "pex";

    private const string KeyVersion = "hwgen-pex-firmware-1";

    internal static readonly EmbeddedFiles Runtime = new("HwGen.Firmware.Pex.Runtime.", "firmware/Pex/runtime");

    internal static readonly TemplateSet Templates = new(typeof(PexFirmwareBuild).Assembly, "HwGen.Firmware.Pex.Templates.");

    /// <summary>The hash index's slots for <paramref name="capacity"/> sets: the power of two at least twice it.</summary>
    public static int IndexSlots(int capacity) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2);

    /// <summary>Builds (or finds in the cache) the firmware from the generated <paramref name="generated"/> sources (file name → text).</summary>
    public static PexFirmwareImage Build(IReadOnlyDictionary<string, string> generated, MemoryMap pexMap, PexFirmwareOptions options, TagConfig tags)
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Runtime.Names)
            sources[name] = Runtime.Read(name);
        foreach (var name in StartFiles)
            sources[name] = FirmwareSources.ReadRuntime(name);
        foreach (var (name, text) in generated)
            sources[name] = text;
        sources[SocHeader.FileName] = SocHeader.Render(pexMap);
        sources[LinkerScript.FileName] = LinkerScript.Render(pexMap);

        var toolchain = RiscvToolchain.Find();
        List<string> compile =
        [
            .. CompileArchitecture, .. CompileFlags,
            $"-DPEX_SET_CAPACITY={options.SetCapacity.ToString(CultureInfo.InvariantCulture)}",
            $"-DPEX_INDEX_SLOTS={IndexSlots(options.SetCapacity).ToString(CultureInfo.InvariantCulture)}",
            $"-DPEX_TAGGED_BASE={Hex.Word(tags.TaggedBase)}u",
            $"-DPEX_TAGGED_SIZE={Hex.Word(tags.TaggedSize)}u",
            // The PEX's core has no CSRs (PexSoc.CoreConfig): no trap vector; a fault stops the PEX.
            "-D" + FirmwareSources.NoCsrsDefine,
        ];
        List<string> link = [.. LinkArchitecture, .. LinkFlags, "-T", LinkerScript.FileName];
        var key = Key(toolchain, compile, link, sources);

        var root = Path.GetFullPath(options.CacheDirectory ?? Path.Combine(VerilatorBuild.CacheRoot, "pex-firmware"));
        var folder = Path.Combine(root, key[..20]);
        var elf = Path.Combine(folder, ProductName + ".elf");
        var hex = Path.Combine(folder, ProductName + ".hex");
        bool built = false;
        if (!File.Exists(hex))
        {
            var scratch = Path.Combine(root, $".{key[..20]}.{Guid.NewGuid():N}");
            try
            {
                BuildInto(scratch, toolchain, sources, compile, link, pexMap, options.Timeout);
                try
                {
                    Directory.Move(scratch, folder);
                }
                catch (IOException) when (File.Exists(hex))
                {
                    // Another build of the same sources got there first: its products are the same.
                }
                built = true;
            }
            finally
            {
                if (Directory.Exists(scratch))
                    Directory.Delete(scratch, recursive: true);
            }
        }
        var payload = File.ReadAllBytes(Path.Combine(folder, ProductName + ".bin"));
        var words = new uint[payload.Length / 4];
        for (int i = 0; i < words.Length; i++)
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(4 * i));
        return new PexFirmwareImage(folder, elf, hex, pexMap.RamBase, words, options.SetCapacity, built);
    }

    private static void BuildInto(string folder, RiscvToolchain toolchain, IReadOnlyDictionary<string, string> sources,
        IReadOnlyList<string> compile, IReadOnlyList<string> link, MemoryMap pexMap, TimeSpan timeout)
    {
        var src = Path.Combine(folder, "src");
        Directory.CreateDirectory(src);
        foreach (var (name, text) in sources)
            File.WriteAllText(Path.Combine(src, name), text);
        var objects = new List<string>();
        foreach (var name in sources.Keys.Where(n => n.EndsWith(".c", StringComparison.Ordinal) || n.EndsWith(".S", StringComparison.Ordinal)))
        {
            var objectPath = Path.Combine(folder, "obj", name + ".o");
            toolchain.Compile(Path.Combine(src, name), objectPath, objectPath + ".d", [.. compile, "-I" + src], timeout);
            objects.Add(objectPath);
        }
        var elf = Path.Combine(folder, ProductName + ".elf");
        toolchain.Link(objects, elf, [.. link.Select(f => f == LinkerScript.FileName ? Path.Combine(src, f) : f), "-lgcc"], timeout);

        FlashImage image;
        try
        {
            image = FlashImage.FromElf(elf, pexMap);
        }
        catch (FlashImageException ex)
        {
            throw new FirmwareBuildException($"the PEX firmware does not fit the PEX's RAM: {ex.Message}", [], "");
        }
        File.WriteAllBytes(Path.Combine(folder, ProductName + ".bin"), image.Payload.ToArray());
        File.WriteAllText(Path.Combine(folder, ProductName + ".hex"), Hex.Readmemh("PEX firmware", pexMap.RamBase, image.Payload));
    }

    private static string Key(RiscvToolchain toolchain, IReadOnlyList<string> compile, IReadOnlyList<string> link, IReadOnlyDictionary<string, string> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\0', [KeyVersion, toolchain.GccPath, .. compile, "\0", .. link])));
        foreach (var (name, text) in sources)
        {
            hash.AppendData(Encoding.UTF8.GetBytes("\0" + name + "\0"));
            hash.AppendData(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
