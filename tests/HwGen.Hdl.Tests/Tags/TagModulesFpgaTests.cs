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
/// memory left in flip-flops, and the rule cache alone, every port registered, is placed, routed and timed at the
/// core's 30 MHz (nextpnr seed 1). Prints LUT4, DFF, BRAM and Fmax.
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
        // The valid bits (one per entry), the set read and a valid bit per way of it, with more than one way the
        // round-robin counter and the set and valid bits the install chooses its way from, five 32-bit counters and
        // the eviction told a cycle late.
        int registers = 64 + cache.SetBits + ways + (ways > 1 ? (ways - 1) + cache.SetBits + ways : 0) + 5 * 32 + 1;
        Assert.That(FlipFlops(cells), Is.LessThanOrEqualTo(registers), "no memory bit in flip-flops\n" + Describe(cells));
        scratch.Complete();
    }

    [Test]
    public void TheOpgroupTableIsOneBlockRam()
    {
        using var scratch = new ScratchDirectory("opgroup-synth");
        var cells = Synthesize(new OpgroupTable(), scratch);
        TestContext.Out.WriteLine($"opgroup table: {Describe(cells)}");
        Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.EqualTo(1), Describe(cells));
        // The care masks, and what Yosys adds beside the block RAM so that a read in the cycle of a write gives the
        // old entry (the entry and index written, the data read: about 20).
        Assert.That(FlipFlops(cells), Is.LessThanOrEqualTo(16 * TagConfig.InputTags + 20), Describe(cells));
        scratch.Complete();
    }

    [TestCase(1)]
    [TestCase(2)]
    public void TheRuleCacheAloneMeetsTheCoreClock(int ways)
    {
        using var scratch = new ScratchDirectory($"rulecache-pnr-{ways}");
        var board = Board.Load("icebreaker");
        var top = new RegisteredWrapper(new RuleCache(Config(ways)), "cache");
        var emitted = VerilogEmitter.Emit(top);
        VerilogEmitter.WriteTo(emitted, scratch.Combine("verilog"));
        var pcf = PcfFile.KeepPorts(board.ReadPcf(), emitted.TopModule, ["CLK", "UART_RX", "UART_TX"]);
        var result = FpgaFlow.Run(new FpgaFlowRequest(scratch.Combine("verilog"), emitted.TopModule,
            new FpgaTarget(board.Device, board.Package, pcf), TargetMHz, Seed: 1, scratch.Combine("out")));
        var report = result.Report;
        TestContext.Out.WriteLine($"rule cache 64 entries, {ways} way(s), in its registered wrapper, seed 1: {Describe(report)}");
        Assert.That(report.NotFitting, Is.Null);
        Assert.That(report.MeetsTarget, Is.True, Describe(report));
        scratch.Complete();
    }
}
