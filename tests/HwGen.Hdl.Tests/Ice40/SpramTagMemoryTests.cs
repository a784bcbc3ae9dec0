using System.Text.Json;
using HwGen.Designs.Ice40;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="SpramTagMemory"/> on the board: clean Verilog with the SPRAM's model, one <c>SB_SPRAM256KA</c> and no
/// block RAM after Yosys, and the tags of more than one SPRAM refused.
/// </summary>
[TestFixture]
public sealed class SpramTagMemoryTests
{
    private static readonly TagConfig s_board = new(0x8000_0000, 64u << 10);

    [Test]
    public void TheVerilogIsLintCleanWithTheModels()
    {
        using var scratch = new ScratchDirectory("lint-spramtags");
        var design = EmittedDesign.Emit(new SpramTagMemory(s_board, primitive: true), scratch.Combine("rtl"));
        string[] files = [.. design.VerilogPaths, .. Ice40Models.WriteTo(scratch.Combine("models"))];
        var verilator = ToolRunner.Run(ExternalTools.Verilator, ["--lint-only", "-Wall", "--top-module", design.TopModule, .. files], scratch.Path, TimeSpan.FromMinutes(2));
        Assert.That(verilator.Succeeded && verilator.Output.Length == 0, Is.True, verilator.ToString());
        var iverilog = ToolRunner.Run(ExternalTools.Iverilog, ["-g2012", "-o", "/dev/null", "-s", design.TopModule, .. files], scratch.Path, TimeSpan.FromMinutes(2));
        Assert.That(iverilog.Succeeded && iverilog.Output.Length == 0, Is.True, iverilog.ToString());
        scratch.Complete();
    }

    [Test]
    public void YosysMapsItToOneSpramAndNoBlockRam()
    {
        using var scratch = new ScratchDirectory("synth-spramtags");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(new SpramTagMemory(s_board, primitive: true)), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -top {design.TopModule}; tee -q -o stat.json stat -json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(5));
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "stat.json")));
        var cells = json.RootElement.GetProperty("design").GetProperty("num_cells_by_type").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var report = "cells: " + string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"));
        TestContext.Out.WriteLine($"SpramTagMemory {report}");
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_SPRAM256KA"), Is.EqualTo(1), report);
            Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.Zero, report);
            // The arbitration and the two held tags: a few dozen LUTs and flip-flops, not a memory.
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.LessThan(200), report);
        });
        scratch.Complete();
    }

    /// <summary>The tagged core with each kind of tag memory: no unread input, lint-clean (with the SPRAM's model).</summary>
    [TestCase(TagMemoryKind.MultiPort)]
    [TestCase(TagMemoryKind.SinglePort)]
    [TestCase(TagMemoryKind.Spram)]
    public void TheTaggedCoreIsLintCleanWithEachTagMemory(TagMemoryKind kind)
    {
        var config = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k) with { Tags = TagConfig.ForMemoryMap(MemoryMap.Ice40Up5k) with { Memory = kind } };
        var result = VerilogEmitter.Emit(new Core(config));
        Assert.That(result.Warnings.Select(w => w.Message), Is.Empty);

        using var scratch = new ScratchDirectory("lint-tagged-core");
        var design = EmittedDesign.Write(result, scratch.Combine("rtl"));
        string[] files = [.. design.VerilogFiles, .. Ice40Models.WriteTo(scratch.Combine("models"))];
        var verilator = ToolRunner.Run(ExternalTools.Verilator, ["--lint-only", "-Wall", "--top-module", design.TopModule, .. files], design.Directory, TimeSpan.FromMinutes(2));
        Assert.That(verilator.Succeeded && verilator.Output.Length == 0, Is.True, verilator.ToString());
        scratch.Complete();
    }

    [Test]
    public void TheTagsOfMoreThanOneSpramAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SpramTagMemory(new TagConfig(0x8000_0000, 128u << 10), primitive: true));
        Assert.That(error!.Message, Does.Contain("do not fit in one SPRAM of 16384 tags"));
        Assert.DoesNotThrow(() => new SpramTagMemory(new TagConfig(0x8000_0000, 128u << 10), primitive: false), "a generic memory has no such limit");
    }
}
