using System.Text.Json;
using HwGen.Designs.Ice40;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>The checks every module built on iCE40 primitives gets: lint with the primitives' models, and Yosys's cells.</summary>
internal static class Ice40ModuleChecks
{
    /// <summary>verilator -Wall and iverilog print nothing for <paramref name="module"/> with the models as its primitives.</summary>
    public static void AssertLintClean(Module module, string scratchName)
    {
        using var scratch = new ScratchDirectory(scratchName);
        var design = EmittedDesign.Emit(module, scratch.Combine("rtl"));
        string[] files = [.. design.VerilogPaths, .. Ice40Models.WriteTo(scratch.Combine("models"))];
        var verilator = ToolRunner.Run(ExternalTools.Verilator, ["--lint-only", "-Wall", "--top-module", design.TopModule, .. files], scratch.Path, TimeSpan.FromMinutes(2));
        Assert.That(verilator.Succeeded && verilator.Output.Length == 0, Is.True, verilator.ToString());
        var iverilog = ToolRunner.Run(ExternalTools.Iverilog, ["-g2012", "-o", "/dev/null", "-s", design.TopModule, .. files], scratch.Path, TimeSpan.FromMinutes(2));
        Assert.That(iverilog.Succeeded && iverilog.Output.Length == 0, Is.True, iverilog.ToString());
        scratch.Complete();
    }

    /// <summary>
    /// Synthesises <paramref name="module"/> with <c>synth_ice40</c> and gives its cells by type, and a one-line report
    /// of them (printed, for the test's output).
    /// </summary>
    public static (IReadOnlyDictionary<string, int> Cells, string Report) Synthesize(Module module, string scratchName)
    {
        using var scratch = new ScratchDirectory(scratchName);
        var design = EmittedDesign.Write(VerilogEmitter.Emit(module), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -top {design.TopModule}; tee -q -o stat.json stat -json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(5));
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "stat.json")));
        var cells = json.RootElement.GetProperty("design").GetProperty("num_cells_by_type").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var report = "cells: " + string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"));
        TestContext.Out.WriteLine($"{module.GetType().Name} {report}");
        scratch.Complete();
        return (cells, report);
    }

    /// <summary>
    /// The bench's random source, where a bench writes <c>XORSHIFT32_NEXT</c>: task <c>next</c> steps xorshift32 in
    /// <c>state</c> (a 32-bit reg the bench declares with its seed) and copies it to <c>bits</c>.
    /// </summary>
    private const string XorshiftTask = """
        // xorshift32: the same sequence under every simulator.
        task automatic next;
            begin
                state = state ^ (state << 13);
                state = state ^ (state >> 17);
                state = state ^ (state << 5);
                bits = state;
            end
        endtask
        """;

    /// <summary>
    /// Runs <paramref name="bench"/> (module <paramref name="benchModule"/>, whose device under test is instantiated as
    /// <c>TOP dut</c>, and which may take its random source from <c>XORSHIFT32_NEXT</c>) on <paramref name="module"/>'s
    /// Verilog under <paramref name="simulator"/>, after <paramref name="edit"/> fills its placeholders, and asserts that
    /// it succeeds and prints a line starting with <paramref name="pass"/>.
    /// </summary>
    public static void AssertBenchPasses(Simulator simulator, Module module, string benchModule, string bench, string pass, string scratchName,
        Func<string, string>? edit = null)
    {
        using var scratch = new ScratchDirectory($"{scratchName}-{simulator.ToString().ToLowerInvariant()}");
        var design = EmittedDesign.Emit(module, scratch.Combine("rtl"));
        var text = bench.Replace("TOP dut", design.TopModule + " dut", StringComparison.Ordinal)
            .Replace("XORSHIFT32_NEXT", XorshiftTask, StringComparison.Ordinal);
        var result = ModelBench.Run(simulator, benchModule, edit is null ? text : edit(text), [.. design.VerilogPaths], scratch.Combine("build"));
        var report = $"files kept in {scratch.Path}\n{result.Report()}";
        Assert.That(result.Succeeded, Is.True, report);
        Assert.That(result.Lines, Has.Some.StartsWith(pass), report);
        scratch.Complete();
    }
}
