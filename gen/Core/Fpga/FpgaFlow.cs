using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Gen.Output;
using HwGen.Gen.Tools;

namespace HwGen.Gen.Fpga;

/// <summary>The device a design is built for, as nextpnr-ice40 names it, and its pin constraints.</summary>
/// <param name="Device">nextpnr-ice40's device option without the dashes: <c>up5k</c>, <c>hx8k</c>, …</param>
/// <param name="Package">The package: <c>sg48</c>, <c>ct256</c>, …</param>
/// <param name="PcfText">The text of the pin constraints file, written beside the design as <c>pins.pcf</c>.</param>
public sealed record FpgaTarget(string Device, string Package, string PcfText);

/// <summary>What to build and where.</summary>
/// <param name="VerilogDirectory">An emitter output folder: the <c>.v</c> files (and <c>manifest.json</c>).</param>
/// <param name="Top">The top module's Verilog name.</param>
/// <param name="Target">The device and pins.</param>
/// <param name="TargetMHz">The clock frequency asked of nextpnr (<c>--freq</c>).</param>
/// <param name="Seed">nextpnr's placement seed.</param>
/// <param name="OutputDirectory">The folder that receives the results; replaced as a whole when the flow succeeds.</param>
public sealed record FpgaFlowRequest(string VerilogDirectory, string Top, FpgaTarget Target, double TargetMHz, int Seed, string OutputDirectory)
{
    /// <summary>
    /// Clocks with a frequency of their own, by net name (e.g. the oscillator pin <c>CLK</c> at 12 MHz); the others
    /// are constrained to <see cref="TargetMHz"/>. Given to nextpnr through a pre-pack script.
    /// </summary>
    public IReadOnlyDictionary<string, double> ClockMHz { get; init; } = new Dictionary<string, double>();

    /// <summary>Also synthesise the design with its hierarchy kept, for the area of each module instance (<see cref="FpgaFlowResult.Areas"/>).</summary>
    public bool Areas { get; init; }

    /// <summary>The options given to Yosys's <c>synth_ice40</c> besides <c>-dsp</c>, <c>-top</c> and its output.</summary>
    public IReadOnlyList<string> SynthesisOptions { get; init; } = FpgaFlow.DefaultSynthesisOptions;

    /// <summary>The options given to nextpnr-ice40 besides the device, pins, files, <c>--freq</c>, clocks and seed.</summary>
    public IReadOnlyList<string> PlaceAndRouteOptions { get; init; } = FpgaFlow.DefaultPlaceAndRouteOptions;

    /// <summary>
    /// Stop nextpnr after packing (<c>--pack-only</c>): the cells are counted as placement would use them, but there is
    /// no placement, no timing and no bitstream (<see cref="FpgaFlowResult.Bitstream"/> is null and nextpnr's unplaced
    /// <c>design.asc</c> is not kept).
    /// </summary>
    public bool PackOnly { get; init; }
}

/// <summary>One tool run of the flow.</summary>
/// <param name="Name">What the step does: <c>synthesis</c>, <c>place and route</c>, <c>bitstream</c>.</param>
/// <param name="CommandLine">The command as run, in the output folder.</param>
/// <param name="Log">The log file's name in the output folder.</param>
public sealed record FpgaStep(string Name, string CommandLine, string Log)
{
    /// <summary>How long the tool ran; zero until it finished.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>What a finished flow left behind.</summary>
/// <param name="Report">Cells, Fmax and the critical path.</param>
/// <param name="OutputDirectory">The full path of the output folder.</param>
/// <param name="Bitstream">The full path of the bitstream, or null when the design does not fit (then nothing is written).</param>
/// <param name="Steps">The tool runs in order, with their times.</param>
public sealed record FpgaFlowResult(FpgaReport Report, string OutputDirectory, string? Bitstream, IReadOnlyList<FpgaStep> Steps)
{
    /// <summary>Each module instance's own cells from the synthesis that keeps the hierarchy; null unless <see cref="FpgaFlowRequest.Areas"/>.</summary>
    public IReadOnlyList<ModuleArea>? Areas { get; init; }

    /// <summary>The flip-flops that take a logic cell without logic, from the flattened netlist; null unless <see cref="FpgaFlowRequest.Areas"/>.</summary>
    public LoneFlipFlopReport? LoneFlipFlops { get; init; }
}

/// <summary>A tool of the flow failed for a reason other than a design too big for the device or a missed target.</summary>
public sealed class FpgaToolException(string message, string logTail) : Exception(message)
{
    /// <summary>The last lines the tool printed.</summary>
    public string LogTail { get; } = logTail;
}

/// <summary>
/// Synthesis, place and route and bitstream packing for iCE40 devices: Yosys (<c>synth_ice40</c>),
/// nextpnr-ice40 and icepack. Every step runs in a temporary folder beside the output folder, which replaces the
/// output folder when the bitstream is written; on a failure, or a design that does not fit, the output folder
/// is left as it was.
/// </summary>
/// <remarks>
/// The output folder holds <c>verilog/</c> (the input), <c>pins.pcf</c>, <c>design.json</c> (the netlist),
/// <c>stat.json</c> (Yosys cell counts), <c>clocks.py</c> (per-clock constraints, when there are any),
/// <c>design.asc</c>, <c>report.json</c> (nextpnr's report),
/// <c>TOP.bin</c> and one log per step: <c>synth.log</c>, <c>pnr.log</c>, <c>pack.log</c>; with
/// <see cref="FpgaFlowRequest.Areas"/> also <c>modules.json</c> (the netlist with its hierarchy) and <c>synth-modules.log</c>.
/// nextpnr 0.4 exits with 1 when a clock misses its target (a non-fatal "Max frequency … FAIL" error), after it has
/// written the routed design and the report; the flow accepts that exit when it is the only error and reports the
/// miss, so a missed target still gives a bitstream.
/// </remarks>
public static partial class FpgaFlow
{
    /// <summary>The tools the flow runs.</summary>
    public static IReadOnlyList<ExternalTool> Tools { get; } = [ExternalTools.Yosys, ExternalTools.NextpnrIce40, ExternalTools.Icepack];

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(30);

    /// <summary>The <c>synth_ice40</c> options of <see cref="FpgaFlowRequest.SynthesisOptions"/> unless a request gives others: none.</summary>
    public static IReadOnlyList<string> DefaultSynthesisOptions { get; } = [];

    /// <summary>
    /// The <c>synth_ice40</c> options for a design that must shrink to fit its device: <c>-abc2</c>, a second pass of ABC
    /// before the LUT mapping. It takes 68 LUT4 (1.5 %) from the tagged board SoC, but nothing from the core alone
    /// (6 LUT4 more) and its placements come out a little slower there, so it is not the default.
    /// </summary>
    public static IReadOnlyList<string> AreaSynthesisOptions { get; } = ["-abc2"];

    /// <summary>The nextpnr-ice40 options of <see cref="FpgaFlowRequest.PlaceAndRouteOptions"/> unless a request gives others.</summary>
    public static IReadOnlyList<string> DefaultPlaceAndRouteOptions { get; } = [];

    /// <summary>The file every output folder of the flow holds (the synthesis log): what marks a folder as one.</summary>
    public const string MarkerFile = "synth.log";

    /// <summary>
    /// Synthesises the Verilog of <paramref name="verilogDirectory"/> for the iCE40 (<c>synth_ice40 -dsp</c> and <paramref name="options"/>) in
    /// <paramref name="workDirectory"/> and returns Yosys's cell counts by type (<c>SB_LUT4</c>, <c>SB_SPRAM256KA</c>,
    /// <c>SB_MAC16</c>, …; <c>$mem</c> cells are memories Yosys could not map). No placement: a quick area check of a
    /// design, and the first step of <see cref="Run"/>.
    /// </summary>
    /// <param name="verilogDirectory">The folder of the <c>.v</c> files.</param>
    /// <param name="top">The top module's Verilog name.</param>
    /// <param name="workDirectory">The folder that receives the netlist, the cell counts and the log.</param>
    /// <param name="options">The <c>synth_ice40</c> options; null for <see cref="DefaultSynthesisOptions"/>.</param>
    /// <exception cref="FpgaToolException">Yosys failed; its log tail is in the exception.</exception>
    public static IReadOnlyDictionary<string, int> Synthesize(string verilogDirectory, string top, string workDirectory, IReadOnlyList<string>? options = null)
    {
        ArgumentNullException.ThrowIfNull(top);
        var verilog = Directory.EnumerateFiles(verilogDirectory, "*.v").Order(StringComparer.Ordinal).ToArray();
        if (verilog.Length == 0)
            throw new ArgumentException($"{verilogDirectory} holds no Verilog files", nameof(verilogDirectory));
        Directory.CreateDirectory(workDirectory);
        var synthesis = RunStep(workDirectory, [], null, "synthesis", "synth.log", ExternalTools.Yosys,
            ["-p", SynthesisScript(top, options ?? DefaultSynthesisOptions), .. verilog.Select(Path.GetFullPath)]);
        if (!synthesis.Succeeded)
            throw Failed("synthesis (yosys)", synthesis, Path.Combine(workDirectory, "synth.log"));
        return FpgaReport.ReadStat(File.ReadAllText(Path.Combine(workDirectory, "stat.json")));
    }

    /// <summary>
    /// Synthesises the Verilog of <paramref name="verilogDirectory"/> as <see cref="Synthesize"/> does but keeps the
    /// hierarchy (<c>synth_ice40 -dsp -noflatten</c>), in <paramref name="workDirectory"/>, and returns every module
    /// instance's own cells. Nothing is optimised across module boundaries (an output no one reads is still
    /// computed), so the sum differs a little from the flattened synthesis.
    /// </summary>
    /// <param name="verilogDirectory">The folder of the <c>.v</c> files.</param>
    /// <param name="top">The top module's Verilog name.</param>
    /// <param name="workDirectory">The folder that receives the netlist and the log.</param>
    /// <param name="options">The <c>synth_ice40</c> options; null for <see cref="DefaultSynthesisOptions"/>.</param>
    /// <exception cref="FpgaToolException">Yosys failed; its log tail is in the exception.</exception>
    public static IReadOnlyList<ModuleArea> SynthesizeAreas(string verilogDirectory, string top, string workDirectory, IReadOnlyList<string>? options = null)
    {
        ArgumentNullException.ThrowIfNull(top);
        var verilog = Directory.EnumerateFiles(verilogDirectory, "*.v").Order(StringComparer.Ordinal).ToArray();
        if (verilog.Length == 0)
            throw new ArgumentException($"{verilogDirectory} holds no Verilog files", nameof(verilogDirectory));
        Directory.CreateDirectory(workDirectory);
        return RunAreas(workDirectory, [], null, top, options ?? DefaultSynthesisOptions, verilog.Select(Path.GetFullPath));
    }

    private static IReadOnlyList<ModuleArea> RunAreas(string directory, List<FpgaStep> steps, Action<FpgaStep>? progress, string top,
        IReadOnlyList<string> options, IEnumerable<string> verilog)
    {
        var synthesis = RunStep(directory, steps, progress, "synthesis by module", AreasLog, ExternalTools.Yosys,
            ["-p", $"{SynthIce40(top, ["-noflatten", .. options], "")}; write_json {AreasNetlist}", .. verilog]);
        if (!synthesis.Succeeded)
            throw Failed("synthesis by module (yosys)", synthesis, Path.Combine(directory, AreasLog));
        return ModuleAreas.Read(File.ReadAllText(Path.Combine(directory, AreasNetlist)), top);
    }

    private const string AreasLog = "synth-modules.log";
    private const string AreasNetlist = "modules.json";

    /// <summary>
    /// Runs the flow. <paramref name="progress"/> hears of each step twice: when it starts (zero
    /// <see cref="FpgaStep.Elapsed"/>) and when it has finished.
    /// </summary>
    /// <exception cref="FpgaToolException">A tool failed; its log tail is in the exception.</exception>
    public static FpgaFlowResult Run(FpgaFlowRequest request, Action<FpgaStep>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!(request.TargetMHz > 0) || double.IsInfinity(request.TargetMHz))
            throw new ArgumentOutOfRangeException(nameof(request), request.TargetMHz, "the target frequency must be a positive number of MHz");
        var verilog = Directory.EnumerateFiles(request.VerilogDirectory, "*.v").Order(StringComparer.Ordinal).ToArray();
        if (verilog.Length == 0)
            throw new ArgumentException($"{request.VerilogDirectory} holds no Verilog files", nameof(request));

        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.OutputDirectory));
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("the output cannot be the root directory", nameof(request));
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.new-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var steps = new List<FpgaStep>();
        try
        {
            Directory.CreateDirectory(Path.Combine(staging, "verilog"));
            foreach (var file in Directory.EnumerateFiles(request.VerilogDirectory))
                File.Copy(file, Path.Combine(staging, "verilog", Path.GetFileName(file)));
            File.WriteAllText(Path.Combine(staging, "pins.pcf"), request.Target.PcfText);
            var sources = VerilogSourceMap.Load(Path.Combine(staging, "verilog"), request.Top);

            var synthesis = RunStep(staging, steps, progress, "synthesis", "synth.log", ExternalTools.Yosys,
                ["-p", SynthesisScript(request.Top, request.SynthesisOptions),
                 .. verilog.Select(v => "verilog/" + Path.GetFileName(v))]);
            if (!synthesis.Succeeded)
                throw Failed("synthesis (yosys)", synthesis, Path.Combine(staging, "synth.log"));
            var stat = File.ReadAllText(Path.Combine(staging, "stat.json"));
            var areas = request.Areas
                ? RunAreas(staging, steps, progress, request.Top, request.SynthesisOptions, verilog.Select(v => "verilog/" + Path.GetFileName(v)))
                : null;
            var lone = request.Areas ? LoneFlipFlops.Read(File.ReadAllText(Path.Combine(staging, "design.json")), request.Top) : null;

            var mhz = request.TargetMHz.ToString("0.###", CultureInfo.InvariantCulture);
            List<string> clockScript = [];
            if (request.ClockMHz.Count > 0)
            {
                File.WriteAllLines(Path.Combine(staging, "clocks.py"), request.ClockMHz.OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => string.Create(CultureInfo.InvariantCulture, $"ctx.addClock(\"{c.Key}\", {c.Value:0.###})")));
                clockScript = ["--pre-pack", "clocks.py"];
            }
            var pnr = RunStep(staging, steps, progress, "place and route", "pnr.log", ExternalTools.NextpnrIce40,
                ["--" + request.Target.Device, "--package", request.Target.Package, "--pcf", "pins.pcf",
                 "--json", "design.json", "--asc", "design.asc", "--freq", mhz, .. clockScript, "--seed", request.Seed.ToString(CultureInfo.InvariantCulture),
                 "--report", "report.json", "--detailed-timing-report", .. request.PlaceAndRouteOptions, .. (request.PackOnly ? new[] { PackOnlyOption } : Array.Empty<string>())]);
            if (!pnr.Succeeded)
            {
                if (FpgaReport.FromFailedPlacement(pnr.Output, stat, request.Target.Device, request.TargetMHz) is { } tooBig)
                    return new FpgaFlowResult(tooBig, target, null, steps) { Areas = areas, LoneFlipFlops = lone };
                if (!OnlyTimingFailed(pnr) || !File.Exists(Path.Combine(staging, "design.asc")) || !File.Exists(Path.Combine(staging, "report.json")))
                    throw Failed("place and route (nextpnr-ice40)", pnr, Path.Combine(staging, "pnr.log"));
            }
            var report = FpgaReport.Parse(File.ReadAllText(Path.Combine(staging, "report.json")), stat, sources, request.TargetMHz);
            if (request.PackOnly)
            {
                // What nextpnr writes after packing alone has no placement: no bitstream is made from it.
                File.Delete(Path.Combine(staging, "design.asc"));
                OutputDirectory.Publish(staging, target);
                return new FpgaFlowResult(report, target, null, steps) { Areas = areas, LoneFlipFlops = lone };
            }

            var bitstream = request.Top + ".bin";
            var pack = RunStep(staging, steps, progress, "bitstream", "pack.log", ExternalTools.Icepack, ["design.asc", bitstream]);
            if (!pack.Succeeded || !File.Exists(Path.Combine(staging, bitstream)))
                throw Failed("bitstream packing (icepack)", pack, Path.Combine(staging, "pack.log"));

            OutputDirectory.Publish(staging, target);
            return new FpgaFlowResult(report, target, Path.Combine(target, bitstream), steps) { Areas = areas, LoneFlipFlops = lone };
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>nextpnr's option that stops it after packing (<see cref="FpgaFlowRequest.PackOnly"/>).</summary>
    public const string PackOnlyOption = "--pack-only";

    /// <summary>The Yosys script of the synthesis step: the netlist into <c>design.json</c>, the cell counts into <c>stat.json</c>.</summary>
    private static string SynthesisScript(string top, IReadOnlyList<string> options) => $"{SynthIce40(top, options, "-json design.json")}; tee -q -o stat.json stat -json";

    /// <summary>
    /// <c>synth_ice40 -dsp</c> with <paramref name="options"/> (and <paramref name="output"/>, given to its last part), in
    /// three parts so that its DSP inference leaves the <c>SB_MAC16</c> blocks a design instantiates as they are: Yosys's
    /// <c>ice40_dsp</c> (in the coarse step) takes every <c>SB_MAC16</c> for a multiplier of its own making and rewrites
    /// its parameters and ports (YosysHQ/yosys#2922). For that step they take another type, a copy of the primitive's
    /// interface, and get their own back after it; the multipliers the design writes as <c>*</c> are inferred as before.
    /// </summary>
    private static string SynthIce40(string top, IReadOnlyList<string> options, string output)
    {
        var synth = string.Join(' ', ["synth_ice40", "-dsp", .. options, "-top", top]);
        var last = output.Length > 0 ? $"{synth} {output}" : synth;
        return $"{synth} -run :coarse; copy SB_MAC16 {KeptDsp}; chtype -set {KeptDsp} t:SB_MAC16; " +
            $"{synth} -run coarse:map_ram; chtype -set SB_MAC16 t:{KeptDsp}; " +
            $"{last} -run map_ram:";
    }

    /// <summary>The type the instantiated <c>SB_MAC16</c> blocks take while Yosys infers its own (see <see cref="SynthIce40"/>).</summary>
    private const string KeptDsp = "HwGenInstantiatedMac16";

    /// <summary>The command lines the flow runs for <paramref name="request"/>, in the output folder, for people.</summary>
    public static string Quote(IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:[]".Contains(c)) ? a : $"\"{a}\""));

    private static ProcessResult RunStep(string directory, List<FpgaStep> steps, Action<FpgaStep>? progress, string name, string log,
        ExternalTool tool, string[] arguments)
    {
        var step = new FpgaStep(name, tool.Command + " " + Quote(arguments), log);
        progress?.Invoke(step);
        var clock = Stopwatch.StartNew();
        var result = ProcessRunner.Run(tool.Locate() ?? tool.Command, arguments, directory, s_timeout);
        step = step with { Elapsed = clock.Elapsed };
        File.WriteAllText(Path.Combine(directory, log), $"$ {step.CommandLine}\n{result.Stdout}{result.Stderr}");
        steps.Add(step);
        progress?.Invoke(step);
        return result;
    }

    /// <summary>nextpnr's only errors are clocks that missed their target ("Max frequency for clock … FAIL at …").</summary>
    private static bool OnlyTimingFailed(ProcessResult pnr)
    {
        if (pnr.TimedOut || pnr.ExitCode != 1)
            return false;
        var errors = ErrorLine().Matches(pnr.Output).Select(m => m.Groups[1].Value).ToArray();
        return errors.Length > 0 && errors.All(e => e.StartsWith("Max frequency for clock", StringComparison.Ordinal) && e.Contains("FAIL at", StringComparison.Ordinal));
    }

    private static FpgaToolException Failed(string step, ProcessResult result, string log)
    {
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("ERROR", StringComparison.Ordinal)).ToArray();
        var reason = result.TimedOut ? $"timed out after {s_timeout.TotalMinutes:0} minutes"
            : errors.Length > 0 ? errors[0] : $"exited with code {result.ExitCode}";
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 15)));
        return new FpgaToolException($"{step} failed: {reason}", tail);
    }

    [GeneratedRegex(@"^ERROR: (.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
