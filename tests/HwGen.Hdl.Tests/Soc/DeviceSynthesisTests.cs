using System.Text.Json;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>
/// The SoC devices emit Verilog that Verilator's lint, Icarus and Yosys accept, and synthesise for the iCE40
/// within their share of the peripheral budget (about 300 LUT4 for all of them together).
/// </summary>
[TestFixture]
public sealed class DeviceSynthesisTests
{
    private static readonly MemoryMap s_map = MemoryMap.Ice40Up5k;

    private static IEnumerable<TestCaseData> Devices()
    {
        yield return Case("serial-uart", () => new SerialUart(s_map, SerialUart.ClocksPerBitFor(12e6, 115_200)), maxLuts: 110);
        yield return Case("serial-uart-fifo-in-flops", () => new SerialUart(s_map, SerialUart.ClocksPerBitFor(12e6, 115_200), rxFifoDepth: 4), maxLuts: 140);
        yield return Case("serial-uart-slow", () => new SerialUart(s_map, SerialUart.ClocksPerBitFor(48e6, 9_600)), maxLuts: 135);
        yield return Case("gpio", () => new Gpio(s_map, ledCount: 5, buttonCount: 3), maxLuts: 30);
        yield return Case("gpio-no-buttons", () => new Gpio(s_map, ledCount: 3, buttonCount: 0), maxLuts: 20);
        yield return Case("spi-master", () => new SpiMaster(s_map, clocksPerHalfBit: 1), maxLuts: 45);
        yield return Case("spi-master-divided", () => new SpiMaster(s_map, clocksPerHalfBit: 3), maxLuts: 50);
    }

    private static TestCaseData Case(string name, Func<Hdl.Module> create, int maxLuts) =>
        new TestCaseData(create, maxLuts).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Devices))]
    public void LintsClean(Func<Hdl.Module> create, int maxLuts)
    {
        _ = maxLuts;
        VerilogToolChecks.AssertClean(VerilogEmitter.Emit(create()));
    }

    [TestCaseSource(nameof(Devices))]
    public void SynthesisesForTheIce40WithinBudget(Func<Hdl.Module> create, int maxLuts)
    {
        using var scratch = new ScratchDirectory("synth-device");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(create()), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -top {design.TopModule}; tee -q -o stat.json stat -json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(5));
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "stat.json")));
        var totals = json.RootElement.GetProperty("design");
        var cells = totals.GetProperty("num_cells_by_type").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        int luts = cells.GetValueOrDefault("SB_LUT4");
        int flops = cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value);
        var report = $"{design.TopModule}: {luts} SB_LUT4, {flops} flip-flops; cells: " + string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"));
        TestContext.Out.WriteLine(report);
        Assert.Multiple(() =>
        {
            Assert.That(totals.GetProperty("num_memories").GetInt32(), Is.Zero, "a memory was left unmapped\n" + report);
            Assert.That(luts, Is.InRange(1, maxLuts), report);
        });
        scratch.Complete();
    }
}
