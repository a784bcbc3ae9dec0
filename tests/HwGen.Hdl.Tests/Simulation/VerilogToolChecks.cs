using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>The three tools every generated design must pass: Verilator's lint, Icarus and Yosys.</summary>
internal static class VerilogToolChecks
{
    /// <summary>
    /// Writes <paramref name="result"/> and asserts that <c>verilator --lint-only -Wall</c> and
    /// <c>iverilog -g2012</c> print nothing and that Yosys' <c>hierarchy -check; proc; check -assert</c> passes.
    /// </summary>
    public static void AssertClean(EmitResult result)
    {
        using var dir = new ScratchDirectory("lint-" + result.TopModule);
        VerilogEmitter.WriteTo(result, dir.Path);
        var files = result.VerilogFiles.Select(f => f.RelativePath).ToArray();
        var verilator = ProcessRunner.Run(ToolRunner.Locate(ExternalTools.Verilator), ["--lint-only", "-Wall", "--top-module", result.TopModule, .. files], dir.Path);
        Assert.That(verilator.Succeeded && verilator.Output.Length == 0, Is.True, "verilator -Wall:\n" + verilator.Output);
        var iverilog = ProcessRunner.Run(ToolRunner.Locate(ExternalTools.Iverilog), ["-g2012", "-o", "/dev/null", "-s", result.TopModule, .. files], dir.Path);
        Assert.That(iverilog.Succeeded && iverilog.Output.Length == 0, Is.True, "iverilog:\n" + iverilog.Output);
        var yosys = ProcessRunner.Run(ToolRunner.Locate(ExternalTools.Yosys), ["-q", "-p", $"read_verilog {string.Join(' ', files)}; hierarchy -check -top {result.TopModule}; proc; check -assert"], dir.Path);
        Assert.That(yosys.Succeeded, Is.True, "yosys:\n" + yosys.Output);
        dir.Complete();
    }
}
