using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The whole tagged system in Verilator with a generated PEX firmware that programs an opgroup table of its own (the
/// policy programs under their policies, in lockstep with the golden model, are <c>Tags.TaggedSimTests</c>): the
/// program ends as on the golden model given the same table, with a miss at least per rule the engine evaluated.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexFirmwareTaggedSocTests
{
    private const long MaxInstructions = 100_000;

    private static readonly MemoryMap s_map = MemoryMap.Ice40Up5k;
    private static readonly string s_scratch = Path.Combine(Path.GetTempPath(), "hwgen-pex-firmware-soc-" + Environment.ProcessId);

    /// <summary>
    /// The firmware programs an opgroup table of its own: with every <c>sw</c> an Alu instruction, the store to code is
    /// no store to nxd-nwc, and runs, on the golden model given the same table and on the tagged system alike.
    /// </summary>
    [Test]
    public void AnOpgroupTableTheFirmwareProgramsReachesTheTagUnit()
    {
        var elf = ElfImage.Load(Build("nwc_store_to_code", forbidden: true), s_map);
        Assert.That(elf.TryGetSymbol("forbidden", out uint forbidden));
        var iss = new Rv32Iss(s_map);
        iss.Load(elf);
        int index = Opgroups.IndexOf(iss.ReadWord(forbidden));
        Assert.That(Opgroups.Classify(index), Is.EqualTo(Opgroup.Store), "the forbidden instruction is a store");
        var table = Opgroups.DefaultTable.ToArray();
        table[index] = (byte)Opgroup.Alu;

        var engine = RunBoth("nwc_store_to_code", forbidden: true, "nxd-nwc", table);
        Assert.That(engine.Violations, Is.Empty, "no store: no write to code");
    }

    /// <summary>
    /// Runs the program on the golden model with its tag engine and on the tagged system with the generated firmware
    /// (both with <paramref name="opgroupTable"/> when given), and asserts that they end alike; the engine.
    /// </summary>
    private static TagEngine RunBoth(string file, bool forbidden, string spec, byte[]? opgroupTable)
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
        var composite = Composite.Parse(spec);
        var elfPath = Build(file, forbidden);
        var elf = ElfImage.Load(elfPath, s_map);

        var iss = new Rv32Iss(s_map);
        iss.Load(elf);
        var engine = TagEngine.Attach(iss, elf, composite);
        for (int i = 0; opgroupTable is not null && i < opgroupTable.Length; i++)
            engine[i] = (Opgroup)opgroupTable[i];
        var golden = iss.Run(MaxInstructions);
        Assert.That(golden.Status, Is.Not.EqualTo(IssStatus.Timeout), "the golden model's run ends");

        var (firmware, image) = PexFirmwareBuilder.BuildForProgram(elf, composite, s_map, PexMemoryMap.Default,
            new HwGen.Firmware.Pex.PexFirmwareOptions { CacheDirectory = PexFirmwareEquivalenceTests.TestCache, OpgroupTable = opgroupTable });
        var result = SimRunner.Run(new SimOptions(elfPath)
        {
            Map = s_map,
            Core = CoreConfig.ForMemoryMap(s_map) with { Tags = TagConfig.ForMemoryMap(s_map) },
            PexImage = firmware.LoadElf(PexMemoryMap.Default),
            TagImage = [.. image.Words.Select(w => (w.Key, (uint)w.Value))],
            MaxCycles = 20 * MaxInstructions,
        });

        Assert.That(result.RuleCache, Is.Not.Null, "a tagged run");
        var cache = result.RuleCache!;
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(golden.ExitCode), $"the exit code ({result.Status}); the golden model's violations: {string.Join("; ", engine.Violations)}");
            Assert.That(cache.Misses, Is.GreaterThanOrEqualTo((ulong)engine.DistinctRules), "a miss at least per rule evaluated");
            Assert.That(cache.Misses, Is.LessThanOrEqualTo((ulong)engine.DistinctRules + cache.Evictions), "and again only after an eviction");
        });
        return engine;
    }

    [OneTimeTearDown]
    public void DeleteBuilds()
    {
        if (Directory.Exists(s_scratch))
            Directory.Delete(s_scratch, recursive: true);
    }

    /// <summary>tests/policies/<paramref name="file"/>.S for the board's map (the tagged system's), forbidden variant or not.</summary>
    private static string Build(string file, bool forbidden)
    {
        var folder = FirmwareTestSupport.InRepository("tests/policies");
        var output = Path.Combine(s_scratch, $"{file}{(forbidden ? "-forbidden" : "")}", "program.elf");
        if (File.Exists(output))
            return output;
        return FirmwareTestSupport.Toolchain.Build(new BuildRequest([Path.Combine(folder, file + ".S")], output)
        {
            MemoryMap = s_map,
            IncludeRuntime = false,
            IncludeDirectories = [folder],
            Defines = forbidden ? new Dictionary<string, string?> { ["FORBIDDEN"] = null } : new Dictionary<string, string?>(),
        }).ElfPath;
    }
}
