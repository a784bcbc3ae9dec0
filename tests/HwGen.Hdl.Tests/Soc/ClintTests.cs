using System.Text.Json;
using HwGen.Designs.Soc;
using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>
/// The machine timer's Verilog lint-clean, and the timer against its bench (Benches/Clint_tb.v) under both simulators, generic and built from iCE40
/// primitives (the comparison's carry chain with the bus's word beside it, simulated with their models); and, built
/// from primitives and synthesised as the FPGA flow does, the bus's word of the low half in the LUTs that share the
/// comparison's carry stages.
/// </summary>
[TestFixture]
public sealed class ClintTests
{
    [Test]
    public void TheComparisonHoldsFromTheCycleMtimeReachesMtimecmp([Values] Simulator simulator, [Values] bool cells)
    {
        var map = MemoryMap.Ice40Up5k;
        DeviceBench.AssertPasses(
            "clint", new Clint(map, cells, earlyRead: true), simulator,
            new Dictionary<string, int>
            {
                ["MTIME_OFFSET"] = (int)map.MtimeOffset,
                ["MTIMECMP_OFFSET"] = (int)map.MtimecmpOffset,
            },
            models: [],
            primitives: cells ? ["SB_LUT4", "SB_CARRY"] : null);
    }

    [Test]
    public void TheVerilogIsLintCleanWithTheModels([Values] bool cells, [Values] bool earlyRead) =>
        Ice40ModuleChecks.AssertLintClean(new Clint(MemoryMap.Ice40Up5k, cells, earlyRead), "lint-clint");

    [Test]
    public void TheLowHalfsWordSharesTheComparisonsCarryStages()
    {
        int generic = CarriesWithTheirLut(cells: false);
        int cells = CarriesWithTheirLut(cells: true);
        // The decrement's stages have their LUT either way; the comparison's low half only when built from primitives.
        Assert.That(cells, Is.GreaterThanOrEqualTo(generic + 32), $"carry stages beside a LUT of theirs: {cells} with primitives, {generic} generic");
    }

    /// <summary>
    /// The carry stages after synthesis that have a LUT to pack with (one whose I1, I2 and I3 are the carry's I0, I1
    /// and CI: nextpnr puts the two in one logic cell).
    /// </summary>
    private static int CarriesWithTheirLut(bool cells)
    {
        using var scratch = new ScratchDirectory("synth-clint");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(new Clint(MemoryMap.Ice40Up5k, cells)), scratch.Combine("rtl"));
        var synth = scratch.Combine("synth");
        FpgaFlow.Synthesize(design.Directory, design.TopModule, synth);
        using var netlist = JsonDocument.Parse(File.ReadAllText(Path.Combine(synth, "design.json")));
        var cellsOfTop = netlist.RootElement.GetProperty("modules").GetProperty(design.TopModule).GetProperty("cells").EnumerateObject()
            .Select(c => c.Value).ToList();
        static string Net(JsonElement cell, string port) => cell.GetProperty("connections").GetProperty(port)[0].ToString();
        var luts = cellsOfTop.Where(c => c.GetProperty("type").GetString() == "SB_LUT4")
            .Select(c => (Net(c, "I1"), Net(c, "I2"), Net(c, "I3"))).ToHashSet();
        int paired = cellsOfTop.Where(c => c.GetProperty("type").GetString() == "SB_CARRY")
            .Count(c => luts.Contains((Net(c, "I0"), Net(c, "I1"), Net(c, "CI"))));
        scratch.Complete();
        return paired;
    }
}
