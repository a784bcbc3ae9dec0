using System.Globalization;
using System.Text;
using HwGen.Gen.Tools;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>What building and running one test bench under one simulator left behind.</summary>
/// <param name="Simulator">The simulator.</param>
/// <param name="BenchModule">The bench's top module.</param>
/// <param name="Steps">The programs run, in order; the steps stop at the first that fails.</param>
/// <param name="Simulated">True when the build succeeded and the simulation itself ran (the last step).</param>
public sealed record SimulationResult(Simulator Simulator, string BenchModule, IReadOnlyList<ToolRun> Steps, bool Simulated)
{
    /// <summary>True when every step exited with 0 in time.</summary>
    public bool Succeeded => Simulated && Steps[^1].Succeeded;

    /// <summary>The exit code of the last step (the simulation when it ran, else the failed build).</summary>
    public int ExitCode => Steps[^1].Result.ExitCode;

    /// <summary>What the simulation printed on stdout, one entry per line; empty when it did not run.</summary>
    public IReadOnlyList<string> Lines => Simulated
        ? Steps[^1].Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : [];

    /// <summary>
    /// Every step with its command line, for failure messages, and the output of the last step and
    /// of any that failed (the chatter of a successful build is left out).
    /// </summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{BenchModule} under {Simulator}: ");
        text.Append(Simulated ? "simulated" : "the build failed, nothing was simulated").Append('\n');
        for (int i = 0; i < Steps.Count; i++)
            text.Append(Steps[i].Describe(withOutput: i == Steps.Count - 1 || !Steps[i].Succeeded)).Append('\n');
        return text.ToString();
    }

    public override string ToString() => Report();
}

/// <summary>
/// Builds and runs a hand-written Verilog test bench against emitted Verilog, with Verilator
/// (<c>--binary --timing</c>, the C++ compiled without optimisation to keep the build short) or with
/// Icarus Verilog (<c>iverilog -g2012</c> and <c>vvp</c>). The same bench source runs under both.
/// </summary>
public static class BenchSimulation
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Simulates <paramref name="benchFile"/> (whose top module has the file's name) with the Verilog of
    /// <paramref name="design"/>, overriding the bench's parameters with <paramref name="parameters"/>.
    /// Build products go into <paramref name="workDirectory"/>.
    /// </summary>
    public static SimulationResult Run(
        Simulator simulator,
        string benchFile,
        EmittedDesign design,
        IReadOnlyDictionary<string, int> parameters,
        string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!File.Exists(benchFile))
            throw new FileNotFoundException($"test bench {benchFile} does not exist", benchFile);
        Directory.CreateDirectory(workDirectory);
        var bench = Path.GetFileNameWithoutExtension(benchFile);
        string[] sources = [Path.GetFullPath(benchFile), .. design.VerilogPaths];
        var overrides = parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

        return simulator switch
        {
            Simulator.Verilator => RunVerilator(bench, sources, overrides, workDirectory),
            Simulator.Icarus => RunIcarus(bench, sources, overrides, workDirectory),
            _ => throw new ArgumentOutOfRangeException(nameof(simulator), simulator, "unknown simulator"),
        };
    }

    private static SimulationResult RunVerilator(string bench, string[] sources, KeyValuePair<string, int>[] overrides, string workDirectory)
    {
        ToolRunner.Locate(ToolRunner.Make);
        ToolRunner.Locate(ToolRunner.CxxCompiler);
        var objectDirectory = Path.Combine(workDirectory, "obj_dir");
        string[] arguments =
        [
            "--binary", "--timing",
            "--top-module", bench,
            "-Mdir", objectDirectory,
            "-o", bench,
            "-j", "2",
            // The model runs for a fraction of a second: compiling it without optimisation saves more than it costs.
            "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0",
            .. overrides.Select(p => string.Create(CultureInfo.InvariantCulture, $"-G{p.Key}={p.Value}")),
            .. sources,
        ];
        var build = ToolRunner.Run(ExternalTools.Verilator, arguments, workDirectory, s_buildTimeout);
        if (!build.Succeeded)
            return new SimulationResult(Simulator.Verilator, bench, [build], Simulated: false);
        var run = ToolRunner.Run(Path.Combine(objectDirectory, bench), [], workDirectory, s_runTimeout);
        return new SimulationResult(Simulator.Verilator, bench, [build, run], Simulated: true);
    }

    private static SimulationResult RunIcarus(string bench, string[] sources, KeyValuePair<string, int>[] overrides, string workDirectory)
    {
        var image = Path.Combine(workDirectory, bench + ".vvp");
        string[] arguments =
        [
            "-g2012",
            "-s", bench,
            "-o", image,
            .. overrides.Select(p => string.Create(CultureInfo.InvariantCulture, $"-P{bench}.{p.Key}={p.Value}")),
            .. sources,
        ];
        var compile = ToolRunner.Run(ExternalTools.Iverilog, arguments, workDirectory, s_buildTimeout);
        if (!compile.Succeeded)
            return new SimulationResult(Simulator.Icarus, bench, [compile], Simulated: false);
        var run = ToolRunner.Run(ExternalTools.Vvp, ["-n", image], workDirectory, s_runTimeout);
        return new SimulationResult(Simulator.Icarus, bench, [compile, run], Simulated: true);
    }
}
