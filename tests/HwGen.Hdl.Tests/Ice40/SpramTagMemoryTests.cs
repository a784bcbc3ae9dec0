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
        Ice40ModuleChecks.AssertLintClean(new SpramTagMemory(s_board, primitive: true), "lint-spramtags");
    }

    /// <summary>
    /// The port's address and write data wait for no late decision but the store's commit, which chooses last: execute
    /// and decode moving on (the data and fetch reads' enables) and the PEX being served enter only the enable.
    /// </summary>
    [Test]
    public void ThePortsAddressIsChosenFromRegistersButForTheStoresCommitLast()
    {
        var result = VerilogEmitter.Emit(new SpramTagMemory(s_board, primitive: true));
        var lines = result.VerilogFiles.SelectMany(f => f.Content.Split('\n')).Select(l => l.Trim()).ToList();
        string Assignment(string name) => lines.Single(l => l.StartsWith($"assign {name} =", StringComparison.Ordinal));
        string[] late = ["DataEnable", "FetchEnable", "dataRead", "pexServe", "fetchRead", "WriteEnable", "coreOrLoaderWrites"];
        Assert.Multiple(() =>
        {
            foreach (var signal in late)
                Assert.That(Assignment("earlyAddress"), Does.Not.Contain(signal), signal);
            Assert.That(Assignment("earlyAddress"), Does.Contain("DataWanted").And.Contain("pexPending"));
            Assert.That(Assignment("portAddress"), Does.Contain("WriteEnable").And.Contain("earlyAddress").And.Not.Contain("dataRead").And.Not.Contain("pexServe"));
            Assert.That(Assignment("portWdata"), Does.Not.Contain("coreOrLoaderWrites").And.Not.Contain("pexServe"));
            Assert.That(Assignment("portAccess"), Does.Contain("dataRead").And.Contain("pexServe").And.Contain("fetchRead"));
        });
    }

    [Test]
    public void YosysMapsItToOneSpramAndNoBlockRam()
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new SpramTagMemory(s_board, primitive: true), "synth-spramtags");
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_SPRAM256KA"), Is.EqualTo(1), report);
            Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.Zero, report);
            // The arbitration and the two held tags: a few dozen LUTs and flip-flops, not a memory.
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.LessThan(200), report);
        });
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
