using System.Globalization;
using HwGen.Designs.Boards;
using HwGen.Designs.Ice40;
using HwGen.Designs.Tags;
using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Tags;

/// <summary>
/// The tag unit's memories on the iCE40 UP5K: the rule cache and the opgroup table synthesise to block RAM with no
/// memory left in flip-flops. Prints LUT4, DFF and BRAM.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TagModulesFpgaTests
{
    private const double TargetMHz = 30;

    private static TagConfig Config(int ways) => TagConfig.ForMemoryMap(Board.Load("icebreaker").MemoryMap) with { RuleCacheWays = ways };

    private static IReadOnlyDictionary<string, int> Synthesize(Module module, ScratchDirectory scratch)
    {
        var emitted = VerilogEmitter.Emit(module);
        VerilogEmitter.WriteTo(emitted, scratch.Combine("verilog"));
        return FpgaFlow.Synthesize(scratch.Combine("verilog"), emitted.TopModule, scratch.Combine("synth"));
    }

    private static string Describe(IReadOnlyDictionary<string, int> cells) => string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"));

    private static int FlipFlops(IReadOnlyDictionary<string, int> cells) =>
        cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value);

    private static string Describe(FpgaReport report) =>
        string.Join(", ", report.Cells.Where(c => c.Used > 0).Select(c => $"{c.Kind} {c.Used}")) + ", " +
        string.Join(", ", report.Fmax.Select(f => $"Fmax {f.AchievedMHz.ToString("0.0", CultureInfo.InvariantCulture)} MHz ({f.Clock})")) +
        (report.CriticalPath is { } path
            ? $"; critical path {path.From} -> {path.To}, {path.DelayNs.ToString("0.0", CultureInfo.InvariantCulture)} ns, {path.LogicLevels} levels: " +
              string.Join(" ", path.Nets.Select(n => n.Location ?? n.Net))
            : "");

    [TestCase(1)]
    [TestCase(2)]
    public void TheRuleCacheIsBlockRamAndFewRegisters(int ways)
    {
        using var scratch = new ScratchDirectory($"rulecache-synth-{ways}");
        var cache = new RuleCache(Config(ways));
        var cells = Synthesize(cache, scratch);
        TestContext.Out.WriteLine($"rule cache 64 entries, {ways} way(s), {cache.EntryBits}-bit entries: {Describe(cells)}");
        // A block RAM is 16 bits wide at 256 words: a way takes one per 16 bits of its entry.
        int blockRams = ways * ((cache.EntryBits + 15) / 16);
        Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.EqualTo(blockRams), Describe(cells));
        // The valid bits are in the RAM words: the set read and two bits per way of it (readable, written since), with
        // more than one way the round-robin counter, the flush's walk (a bit and a set), five 32-bit counters and the
        // eviction told a cycle late.
        int registers = cache.SetBits + 2 * ways + (ways > 1 ? System.Numerics.BitOperations.Log2((uint)ways) : 0) + 1 + cache.SetBits + 5 * 32 + 1;
        Assert.That(FlipFlops(cells), Is.LessThanOrEqualTo(registers), "no memory bit in flip-flops\n" + Describe(cells));
        scratch.Complete();
    }

    /// <summary>
    /// The key compare from LUT4 instances (<see cref="RuleCache.Cells"/>, the board's) takes fewer LUTs than Yosys'
    /// mapping of the generic compare: the tree of <see cref="LutCompare"/>, 53 LUTs a way for 80 bits, where the
    /// mapper takes about 90.
    /// </summary>
    [Test]
    public void TheKeyCompareFromLutsTakesFewerLuts()
    {
        using var genericScratch = new ScratchDirectory("rulecache-synth-generic");
        using var cellsScratch = new ScratchDirectory("rulecache-synth-cells");
        var generic = Synthesize(new RuleCache(Config(2) with { Statistics = false }), genericScratch);
        var cells = Synthesize(new RuleCache(Config(2) with { Statistics = false }, cells: true), cellsScratch);
        TestContext.Out.WriteLine($"rule cache 64 entries, 2 ways: generic {Describe(generic)}; cells {Describe(cells)}");
        Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.EqualTo(generic.GetValueOrDefault("SB_RAM40_4K")));
        Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.LessThan(generic.GetValueOrDefault("SB_LUT4") - 40), $"generic {Describe(generic)}; cells {Describe(cells)}");
        genericScratch.Complete();
        cellsScratch.Complete();
    }

    [Test]
    public void TheOpgroupTableWithItsCareMasksIsThreeBlockRamsAndNoFlipFlop()
    {
        using var scratch = new ScratchDirectory("opgroup-synth");
        var cells = Synthesize(new OpgroupTable(), scratch);
        TestContext.Out.WriteLine($"opgroup table: {Describe(cells)}");
        // 1024 entries of 9 bits: three block RAMs of 1024 x 4; no register beside them, for the care masks or for a
        // read in the cycle of a write, and no multiplexer after the read.
        Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.EqualTo(3), Describe(cells));
        Assert.That(FlipFlops(cells), Is.Zero, Describe(cells));
        Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.Zero, Describe(cells));
        scratch.Complete();
    }
}
