using System.Text.Json;
using HwGen.Designs;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>
/// The memories of the catalog designs become iCE40 block RAM (SB_RAM40_4K) under
/// <c>yosys synth_ice40</c>, with no memory left over and no memory built from flip-flops.
/// </summary>
[TestFixture]
public sealed class MemoryInferenceTests
{
    /// <summary>Bits in one iCE40 SB_RAM40_4K block.</summary>
    private const int BlockRamBits = 4096;

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    [TestCase("fifo")]
    [TestCase("regfile")]
    public void MemoriesMapToBlockRam(string name)
    {
        using var scratch = new ScratchDirectory($"synth-{name}");
        var ir = Elaborator.Elaborate(DesignCatalog.Create(name));
        var memories = ir.Modules.SelectMany(m => m.Memories).ToArray();
        Assert.That(memories, Is.Not.Empty, $"design '{name}' has no memory to map");
        int memoryBits = memories.Sum(m => m.Width * m.Depth);
        var design = EmittedDesign.Write(VerilogEmitter.Emit(ir), scratch.Combine("rtl"));

        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -top {design.TopModule}; tee -q -o stat.json stat -json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, s_timeout);
        var report = $"files kept in {scratch.Path}\n{run}";
        Assert.That(run.Succeeded, Is.True, report);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "stat.json")));
        var totals = json.RootElement.GetProperty("design");
        var cells = totals.GetProperty("num_cells_by_type").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        report = $"cells: {string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"))}\n{report}";
        int blockRams = cells.GetValueOrDefault("SB_RAM40_4K");
        int flipFlops = cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value);

        Assert.That(blockRams, Is.GreaterThanOrEqualTo(1), report);
        Assert.That(blockRams, Is.GreaterThanOrEqualTo(memories.Length), "every memory needs a block of its own\n" + report);
        Assert.That(blockRams * BlockRamBits, Is.GreaterThanOrEqualTo(memoryBits), report);
        Assert.That(totals.GetProperty("num_memories").GetInt32(), Is.Zero, "a memory was left unmapped\n" + report);
        Assert.That(flipFlops, Is.LessThan(memoryBits), $"{memoryBits} memory bits: some were built from flip-flops\n" + report);
        scratch.Complete();
    }
}
