using HwGen.Designs;
using HwGen.Gen.Verilog;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>
/// Each example design, emitted from C#, against its hand-written self-checking bench
/// (tests/HwGen.Hdl.Tests/Benches) under Icarus Verilog: a second simulator reading the Verilog itself. Under
/// Verilator the examples are driven from C# testbenches (tests/HwGen.Sim.Tests/Testbench/ExampleDesignTests.cs).
/// </summary>
[TestFixture]
public sealed class TestBenchTests
{
    private static IEnumerable<TestCaseData> Cases() =>
        from design in BenchDesign.All
        select new TestCaseData(design, Simulator.Icarus).SetArgDisplayNames(design.Name, Simulator.Icarus.ToString());

    [TestCaseSource(nameof(Cases))]
    public void BenchPasses(BenchDesign design, Simulator simulator)
    {
        using var scratch = new ScratchDirectory($"bench-{design.Name}-{simulator.ToString().ToLowerInvariant()}");
        var module = design.Create();
        var emitted = EmittedDesign.Emit(module, scratch.Combine("rtl"));

        var result = BenchSimulation.Run(
            simulator, BenchSources.PathFor(emitted.TopModule), emitted, design.BenchParameters(module), scratch.Combine("build"));

        var report = $"files kept in {scratch.Path}\n{result.Report()}";
        Assert.That(result.Simulated, Is.True, report);
        Assert.That(result.Lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)), Is.Empty, report);
        Assert.That(result.ExitCode, Is.Zero, report);
        Assert.That(result.Lines, Does.Contain($"PASS {design.Name}"), report);
        scratch.Complete();
    }

    /// <summary>
    /// The processor designs are verified by running programs on them in lockstep with the golden model
    /// (tests/HwGen.Sim.Tests/Rtl), or against a C# testbench (the PEX's, tests/HwGen.Sim.Tests/Pex), not by a
    /// Verilog bench.
    /// </summary>
    private static readonly string[] CoSimulated = ["core", "soc", "pex", "tagged-soc"];

    [Test]
    public void EveryCatalogDesignHasABench()
    {
        Assert.That(BenchDesign.All.Select(d => d.Name), Is.EquivalentTo(DesignCatalog.Names.Except(CoSimulated)));
        foreach (var design in BenchDesign.All)
        {
            var module = design.Create();
            Assert.That(module.GetType(), Is.EqualTo(DesignCatalog.Create(design.Name).GetType()), design.Name);
            Assert.That(BenchSources.PathFor(VerilogEmitter.Emit(module).TopModule), Does.Exist, design.Name);
        }
    }
}
