using System.Text.Json;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// Units whose registers are built to share logic cells, synthesised for the iCE40 (<c>synth_ice40 -dsp</c>) and
/// packed by nextpnr (<c>--pack-only</c>): few cells hold a flip-flop and no logic. A register loaded from a net
/// that others read too (a register, a bus, a LUT with other readers) takes a cell of its own, which no functional
/// test sees: the multiplier's operands, if anything but the products read them, stay in 64 such cells beside the
/// DSP blocks' input registers; the CLINT's mtimecmp, inverted by one LUT for both halves, in 64.
/// </summary>
[TestFixture]
public sealed class UnitPackingTests
{
    private static IEnumerable<TestCaseData> Units()
    {
        yield return new TestCaseData((Func<Hdl.Module>)(() => new Multiplier()), 8).SetArgDisplayNames("multiplier");
        yield return new TestCaseData((Func<Hdl.Module>)(() => new Clint(MemoryMap.Ice40Up5k)), 4).SetArgDisplayNames("clint");
    }

    [TestCaseSource(nameof(Units))]
    public void FewFlipFlopsTakeACellOfTheirOwn(Func<Hdl.Module> create, int most)
    {
        using var scratch = new ScratchDirectory("pack-unit");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(create()), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -dsp -top {design.TopModule} -json netlist.json";
        var synthesis = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(5));
        Assert.That(synthesis.Succeeded, Is.True, $"files kept in {scratch.Path}\n{synthesis}");
        var pack = ToolRunner.Run(ExternalTools.NextpnrIce40,
            ["--up5k", "--package", "sg48", "--json", "netlist.json", "--pack-only", "--write", "packed.json"], design.Directory, TimeSpan.FromMinutes(5));
        Assert.That(pack.Succeeded, Is.True, $"files kept in {scratch.Path}\n{pack}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "packed.json")));
        var cells = json.RootElement.GetProperty("modules").EnumerateObject().Single().Value.GetProperty("cells").EnumerateObject().ToList();
        // nextpnr names a logic cell that it made for a flip-flop alone after the flip-flop, with "_DFFLC".
        var alone = cells.Where(c => c.Name.EndsWith("_DFFLC", StringComparison.Ordinal)).Select(c => c.Name).ToList();
        int logicCells = cells.Count(c => c.Value.GetProperty("type").GetString() == "ICESTORM_LC");
        Assert.That(alone, Has.Count.LessThanOrEqualTo(most),
            $"{design.TopModule}: {alone.Count} of {logicCells} logic cells hold a flip-flop alone: {string.Join(", ", alone.Take(10))}");
        scratch.Complete();
    }
}
