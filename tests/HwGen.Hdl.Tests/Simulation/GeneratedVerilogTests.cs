using HwGen.Designs;
using HwGen.Gen.Tools;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>
/// The Verilog of every catalog design (default parameters) against the external tools: clean under
/// <c>verilator --lint-only -Wall</c> with no waivers, compiled by <c>iverilog -g2012</c>, and
/// accepted by Yosys' <c>hierarchy -check; proc; check -assert</c>. All three must print nothing.
/// </summary>
[TestFixture]
public sealed class GeneratedVerilogTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    private static IEnumerable<TestCaseData> CatalogDesigns() =>
        DesignCatalog.Names.Select(name => new TestCaseData(name).SetArgDisplayNames(name));

    private static IEnumerable<TestCaseData> BenchVariants() =>
        BenchDesign.All.Select(design => new TestCaseData(design).SetArgDisplayNames(design.Name));

    [TestCaseSource(nameof(CatalogDesigns))]
    public void VerilatorLintIsClean(string name) =>
        WithCatalogDesign(name, "lint", Lint);

    [TestCaseSource(nameof(BenchVariants))]
    public void VerilatorLintIsCleanWithBenchParameters(BenchDesign design)
    {
        using var scratch = new ScratchDirectory($"lint-bench-{design.Name}");
        Lint(EmittedDesign.Emit(design.Create(), scratch.Combine("rtl")), scratch);
        scratch.Complete();
    }

    [TestCaseSource(nameof(CatalogDesigns))]
    public void IcarusCompilesIt(string name) =>
        WithCatalogDesign(name, "iverilog", (design, scratch) =>
        {
            string[] arguments = ["-g2012", "-s", design.TopModule, "-o", scratch.Combine(design.TopModule + ".vvp"), .. design.VerilogFiles];
            var run = ToolRunner.Run(ExternalTools.Iverilog, arguments, design.Directory, s_timeout);
            AssertCleanRun(run, scratch);
            Assert.That(File.Exists(scratch.Combine(design.TopModule + ".vvp")), Is.True, $"iverilog wrote no output\n{run}");
        });

    [TestCaseSource(nameof(CatalogDesigns))]
    public void YosysChecksPass(string name) =>
        WithCatalogDesign(name, "yosys", (design, scratch) =>
        {
            // The files are named relative to the design folder, so the script needs no quoting.
            var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; hierarchy -check -top {design.TopModule}; proc; check -assert";
            var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, s_timeout);
            AssertCleanRun(run, scratch);
        });

    private static void Lint(EmittedDesign design, ScratchDirectory scratch)
    {
        string[] arguments = ["--lint-only", "-Wall", "--top-module", design.TopModule, .. design.VerilogFiles];
        var run = ToolRunner.Run(ExternalTools.Verilator, arguments, design.Directory, s_timeout);
        AssertCleanRun(run, scratch);
    }

    private static void WithCatalogDesign(string name, string label, Action<EmittedDesign, ScratchDirectory> check)
    {
        using var scratch = new ScratchDirectory($"{label}-{name}");
        var design = EmittedDesign.Emit(DesignCatalog.Create(name), scratch.Combine("rtl"));
        check(design, scratch);
        scratch.Complete();
    }

    private static void AssertCleanRun(ToolRun run, ScratchDirectory scratch)
    {
        var report = $"files kept in {scratch.Path}\n{run}";
        Assert.That(run.Result.TimedOut, Is.False, report);
        Assert.That(run.Result.ExitCode, Is.Zero, report);
        Assert.That(run.Output, Is.Empty, "expected no output (no warnings)\n" + report);
    }
}
