using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Run;

namespace HwGen.Firmware.Pex;

/// <summary>
/// The PEX's policy firmware for a composite policy and an AP image: the runtime (firmware/Pex/runtime: start-up, the
/// interning table, the miss and call loop, the call handlers) with the C generated from the composite's rule trees
/// (<see cref="PolicyCode"/>) and the image's set table, built with the RISC-V GCC for the PEX's memory map into an ELF
/// and the memory image the simulator's loader writes into the PEX's RAM.
/// </summary>
/// <remarks>
/// Builds are cached by the hash of every source, header, linker script and flag: the same composite, image sets and
/// map build once (see <see cref="PexFirmwareOptions.CacheDirectory"/>).
/// </remarks>
public static class PexFirmware
{
    /// <summary>
    /// The policy of a simulated run on the tagged SoC under <paramref name="composite"/>: the firmware is built (or
    /// taken from the cache) for each program's initial tag image, for the PEX of <see cref="HwGen.Designs.Pex.PexMemoryMap.Default"/>.
    /// </summary>
    /// <param name="composite">The composite policy.</param>
    /// <param name="tags">The AP's tag configuration.</param>
    public static SimPolicy SimPolicy(Composite composite, TagConfig tags)
    {
        ArgumentNullException.ThrowIfNull(composite);
        ArgumentNullException.ThrowIfNull(tags);
        return new SimPolicy(composite, image => Build(composite, HwGen.Designs.Pex.PexMemoryMap.Default, image.Interner.Sets, tags).Words);
    }

    /// <summary>Builds the firmware for <paramref name="composite"/> on the PEX of <paramref name="pexMap"/>.</summary>
    /// <param name="composite">The composite policy the PEX evaluates.</param>
    /// <param name="pexMap">The PEX's memory map (RAM and TAGCTL; <see cref="HwGen.Designs.Pex.PexMemoryMap.Default"/>).</param>
    /// <param name="apImageSets">The sets of tags 1, 2, ... of the AP's initial tag image (<see cref="TagInterner.Sets"/>), interned first.</param>
    /// <param name="tags">The AP's tag configuration: the tag width and the tagged memory the call handlers retag.</param>
    /// <param name="options">Cache folder, table capacity, opgroup table, time limit.</param>
    /// <exception cref="FirmwareConfigException">The image's sets do not fit the interning table, or the composite cannot be generated.</exception>
    /// <exception cref="FirmwareBuildException">The compiler or linker failed, or the firmware does not fit the PEX's RAM.</exception>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler is not installed.</exception>
    public static PexFirmwareImage Build(Composite composite, MemoryMap pexMap, IReadOnlyList<MetaSet> apImageSets, TagConfig tags, PexFirmwareOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(composite);
        ArgumentNullException.ThrowIfNull(pexMap);
        ArgumentNullException.ThrowIfNull(apImageSets);
        ArgumentNullException.ThrowIfNull(tags);
        options ??= new PexFirmwareOptions();
        tags.Validate();
        if (options.SetCapacity < 1)
            throw new FirmwareConfigException($"the PEX's interning table needs room for at least the empty set, not {options.SetCapacity} sets (SetCapacity)");
        int capacity = Math.Min(options.SetCapacity, 1 << tags.TagWidth);
        if (apImageSets.Count + 1 > capacity)
            throw new FirmwareConfigException(
                $"the AP image has {apImageSets.Count} tags besides 0, more than the PEX's interning table of {capacity} sets holds (SetCapacity {options.SetCapacity}, {tags.TagWidth}-bit tags)");
        if (apImageSets.Any(s => s.IsEmpty) || apImageSets.Distinct().Count() != apImageSets.Count)
            throw new FirmwareConfigException("the AP image's set table repeats a set or holds the empty one (tag 0): it is not an interner's table");

        return PexFirmwareBuild.Build(GeneratedSources(composite, apImageSets, options), pexMap, options with { SetCapacity = capacity }, tags);
    }

    /// <summary>
    /// The firmware for the AP program <paramref name="apElf"/> on the SoC of <paramref name="apMap"/> (its RAM tagged):
    /// the program's initial tag image under <paramref name="composite"/> (what the simulator's loader writes into tag
    /// memory, and what the golden model starts from) and the firmware whose interning table starts with its sets.
    /// </summary>
    public static (PexFirmwareImage Firmware, InitialTagImage Tags) BuildForProgram(ElfImage apElf, Composite composite, MemoryMap apMap, MemoryMap pexMap, PexFirmwareOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(apElf);
        ArgumentNullException.ThrowIfNull(apMap);
        var tags = TagConfig.ForMemoryMap(apMap);
        var image = InitialTagImage.Build(apElf, composite, tags);
        return (Build(composite, pexMap, image.Interner.Sets, tags, options), image);
    }

    /// <summary>The generated sources of the firmware, by file name: the atoms header, the evaluator, the image's set table.</summary>
    internal static Dictionary<string, string> GeneratedSources(Composite composite, IReadOnlyList<MetaSet> apImageSets, PexFirmwareOptions options) =>
        new(StringComparer.Ordinal)
        {
            ["pex_atoms.h"] = PolicyCode.RenderAtoms(),
            ["policy.c"] = PolicyCode.RenderPolicy(composite, options.OpgroupTable),
            ["image_sets.c"] = PolicyCode.RenderImageSets(apImageSets),
        };
}
