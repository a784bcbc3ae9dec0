using System.Text.Json;
using HwGen.Designs;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// The core for the iCE40 UP5K synthesises with its multiplier in DSP blocks (SB_MAC16), its register file and
/// branch target buffer in block RAM, and fits the device's logic.
/// </summary>
[TestFixture]
public sealed class CoreSynthesisTests
{
    /// <summary>Logic cells (LUT4) of the iCE40 UP5K.</summary>
    private const int Up5kLuts = 5280;

    [Test]
    public void TheCoreMapsToDspBlocksAndBlockRamAndFitsTheUp5k()
    {
        using var scratch = new ScratchDirectory("synth-core");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(DesignCatalog.Create("core")), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -dsp -top {design.TopModule}; tee -q -o stat.json stat -json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(10));
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "stat.json")));
        var totals = json.RootElement.GetProperty("design");
        var cells = totals.GetProperty("num_cells_by_type").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var report = "cells: " + string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"));
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_MAC16"), Is.InRange(1, 8), "the 32 x 32 multiplier belongs in the DSP blocks (8 on the UP5K)\n" + report);
            Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.GreaterThanOrEqualTo(4), "register file and BTB in block RAM\n" + report);
            Assert.That(totals.GetProperty("num_memories").GetInt32(), Is.Zero, "a memory was left unmapped\n" + report);
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.LessThan(Up5kLuts), report);
        });
        scratch.Complete();
    }
}
