using System.Text.Json;
using HwGen.Designs.Common;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="ReadDuringWrite.Undefined"/>: the memory is emitted with Yosys's <c>no_rw_check</c>, so Yosys maps it
/// to block RAM with nothing beside it; with the default (<see cref="ReadDuringWrite.OldData"/>) Yosys adds a
/// register per data bit and a multiplexer to give the old word on a collision, which the register file, with its
/// own bypass, does not need.
/// </summary>
[TestFixture]
public sealed class ReadDuringWriteTests
{
    /// <summary>A memory with one synchronous read port and one write port, its collision behaviour as given.</summary>
    private sealed class Ram : Module
    {
        private readonly ReadDuringWrite _readDuringWrite;

        public Ram(ReadDuringWrite readDuringWrite)
        {
            _readDuringWrite = readDuringWrite;
            words = Mem(16, 32);
        }

        public override string ModuleName => "Ram" + _readDuringWrite;

        public readonly Signal ReadAddress = In(5);
        public readonly Signal WriteAddress = In(5);
        public readonly Signal WriteData = In(16);
        public readonly Signal WriteEnable = In(1);
        public readonly Signal ReadData = Out(16);
        private readonly Memory words;

        protected override void Build()
        {
            words.ReadDuringWrite = _readDuringWrite;
            var write = words.WritePort();
            write.Address.Set(WriteAddress);
            write.Data.Set(WriteData);
            write.Enable.Set(WriteEnable);
            var read = words.ReadPort();
            read.Address.Set(ReadAddress);
            ReadData.Set(read.Data);
        }
    }

    [Test]
    public void AnUndefinedCollisionIsEmittedWithNoRwCheckBeforeTheArray()
    {
        var undefined = VerilogEmitter.Emit(new Ram(ReadDuringWrite.Undefined));
        var oldData = VerilogEmitter.Emit(new Ram(ReadDuringWrite.OldData));
        Assert.Multiple(() =>
        {
            Assert.That(undefined.VerilogFiles.Single().Content, Does.Match(@"\(\* no_rw_check \*\)\n +reg \[15:0\] words \[0:31\];"));
            Assert.That(oldData.VerilogFiles.Single().Content, Does.Not.Contain("no_rw_check"));
        });
        VerilogToolChecks.AssertClean(undefined);
    }

    [Test]
    public void YosysAddsCollisionRegistersOnlyForTheOldWord()
    {
        var undefined = Synthesise(new Ram(ReadDuringWrite.Undefined));
        var oldData = Synthesise(new Ram(ReadDuringWrite.OldData));
        Assert.Multiple(() =>
        {
            Assert.That(undefined.Ram, Is.EqualTo(1), "SB_RAM40_4K");
            Assert.That(undefined.FlipFlops, Is.Zero, "flip-flops beside the block RAM, undefined collision");
            Assert.That(oldData.Ram, Is.EqualTo(1), "SB_RAM40_4K");
            Assert.That(oldData.FlipFlops, Is.GreaterThanOrEqualTo(16), "flip-flops beside the block RAM for the old word (one per data bit at least)");
        });
    }

    [Test]
    public void TheRegisterFileHasNoCollisionLogicBesideItsBlockRams()
    {
        // Its own registers: a bypass and a zero flag per read port, and the word written.
        var (ram, dff) = Synthesise(new RegisterFile(width: 32, count: 32));
        Assert.Multiple(() =>
        {
            Assert.That(ram, Is.EqualTo(4), "SB_RAM40_4K: two per read port");
            Assert.That(dff, Is.EqualTo(2 + 2 + 32), "flip-flops");
        });
    }

    /// <summary>Runs <c>synth_ice40</c> on <paramref name="module"/>; its block RAMs and flip-flops (Yosys's <c>stat -json</c>).</summary>
    private static (int Ram, int FlipFlops) Synthesise(Module module)
    {
        using var scratch = new ScratchDirectory("rdw-" + module.ModuleName);
        var design = EmittedDesign.Write(VerilogEmitter.Emit(module), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -top {design.TopModule}; tee -q -o stat.json stat -json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(2));
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "stat.json")));
        var cells = json.RootElement.GetProperty("design").GetProperty("num_cells_by_type").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32());
        scratch.Complete();
        return (cells.GetValueOrDefault("SB_RAM40_4K"), cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value));
    }
}
