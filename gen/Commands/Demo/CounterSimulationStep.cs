using System.Globalization;
using System.Text.Json;
using HwGen.Gen.Tools;

namespace HwGen.Cli.Commands.Demo;

/// <summary>
/// Simulates the emitted <c>counter</c> design in Verilator and compares every cycle with a reference
/// model of the counter: counting with <c>Enable</c>, holding without it, <c>Clear</c> taking priority,
/// and <c>Wrap</c> pulsing when the count rolls over.
/// </summary>
internal sealed class CounterSimulationStep : IDemoStep
{
    private const string DesignName = "counter";
    private static readonly string Clock = HwGen.Hdl.ClockDomain.Default.ClockName;
    private static readonly string Reset = HwGen.Hdl.ClockDomain.Default.ResetName;
    private const string TestbenchName = "hwgen_counter_tb";

    // The wrap check runs the counter through its whole range; above this width that takes too long.
    private const int MaxWidthForWrap = 12;

    public string Title => "verilator simulation";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        var design = context.Designs.FirstOrDefault(d => d.Name == DesignName);
        if (design is null)
        {
            yield return new DemoResult(DesignName, false, $"design '{DesignName}' was not emitted, nothing to simulate");
            yield break;
        }

        context.Status($"Simulating {DesignName} in Verilator");
        yield return Simulate(context, design);
    }

    private static DemoResult Simulate(DemoContext context, DemoDesign design)
    {
        var top = design.Emitted.Top;
        var ports = TopPorts(design);
        foreach (var required in new[] { Clock, Reset, "Enable", "Clear", "Count", "Wrap" })
        {
            if (!ports.ContainsKey(required))
                return new DemoResult(design.Name, false, $"top module {top} has no port '{required}' (ports: {string.Join(", ", ports.Keys)})");
        }
        int width = ports["Count"];

        var stimulus = Stimulus(width);
        var directory = Path.Combine(context.OutputRoot, "sim", design.Name);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        var testbench = Path.Combine(directory, TestbenchName + ".v");
        File.WriteAllText(testbench, Testbench(top, width, stimulus));

        string[] arguments =
        [
            "--binary", "-Wno-fatal", "--top-module", TestbenchName,
            "-Mdir", Path.GetFullPath(Path.Combine(directory, "obj")), "-o", "sim",
            Path.GetFullPath(testbench),
            .. design.Emitted.VerilogFiles.Select(f => Path.GetFullPath(Path.Combine(design.Directory, f))),
        ];
        var build = ProcessRunner.Run(ExternalTools.Verilator.Command, arguments, directory, TimeSpan.FromMinutes(5));
        if (!build.Succeeded)
            return new DemoResult(design.Name, false, "Verilator build failed: " + ToolOutput.FirstProblem(build, "%Error", "make:", "g++:"), build.Output);

        var run = ProcessRunner.Run(Path.Combine(directory, "obj", "sim"), [], directory, TimeSpan.FromMinutes(1));
        if (!run.Succeeded)
            return new DemoResult(design.Name, false, "simulation failed: " + ToolOutput.FirstProblem(run), run.Output);

        return Compare(design.Name, width, stimulus, run.Stdout);
    }

    /// <summary>The inputs for each cycle after reset: (Enable, Clear).</summary>
    private static List<(bool Enable, bool Clear)> Stimulus(int width)
    {
        var cycles = new List<(bool, bool)>();
        void Add(int count, bool enable, bool clear) => cycles.AddRange(Enumerable.Repeat((enable, clear), count));
        Add(2, false, false);   // idle after reset
        Add(6, true, false);    // count
        Add(3, false, false);   // hold
        Add(1, true, true);     // clear wins over enable
        Add(4, true, false);
        Add(1, false, true);    // clear
        if (width <= MaxWidthForWrap)
            Add((1 << width) + 3, true, false); // all the way round
        return cycles;
    }

    private static string Testbench(string top, int width, List<(bool Enable, bool Clear)> stimulus) =>
        HwGen.Gen.Templates.Benches.Render("counter_demo.v.sbn", new
        {
            Top = top,
            Bench = TestbenchName,
            Clock,
            Reset,
            Width = width,
            Stimulus = stimulus.Select(s => new { s.Enable, s.Clear }).ToList(),
        });

    private static DemoResult Compare(string name, int width, List<(bool Enable, bool Clear)> stimulus, string output)
    {
        ulong mask = width >= 64 ? ulong.MaxValue : (1UL << width) - 1;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Length > 0 && char.IsAsciiDigit(l[0]))
            .ToArray();
        if (lines.Length != stimulus.Count)
            return new DemoResult(name, false, $"expected {stimulus.Count} cycles of output from the simulation, got {lines.Length}", output);

        ulong value = 0;
        int wraps = 0;
        for (int cycle = 0; cycle < stimulus.Count; cycle++)
        {
            var (enable, clear) = stimulus[cycle];
            bool wrap = enable && !clear && value == mask;
            var fields = lines[cycle].Split(' ');
            if (fields.Length != 5
                || !ulong.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || (fields[4] != "0" && fields[4] != "1"))
            {
                return new DemoResult(name, false, $"cannot read simulation output line '{lines[cycle]}'", output);
            }
            bool gotWrap = fields[4] == "1";
            if (count != value || gotWrap != wrap)
            {
                return new DemoResult(
                    name,
                    false,
                    $"cycle {cycle} (enable={(enable ? 1 : 0)}, clear={(clear ? 1 : 0)}): Verilator gives count={count} wrap={fields[4]}, " +
                    $"the reference model count={value} wrap={(wrap ? 1 : 0)}",
                    output);
            }
            wraps += wrap ? 1 : 0;
            value = clear ? 0 : enable ? (value + 1) & mask : value;
        }

        var wrapText = wraps > 0 ? $", wrapped {wraps} time(s) at {mask}" : "";
        return new DemoResult(name, true, $"{stimulus.Count} cycles match the reference model: counted, held, cleared{wrapText}");
    }

    /// <summary>The ports of the top module and their widths, from <c>manifest.json</c>.</summary>
    private static Dictionary<string, int> TopPorts(DemoDesign design)
    {
        var manifest = design.Emitted.Result.Files.Single(f => f.RelativePath == "manifest.json");
        using var document = JsonDocument.Parse(manifest.Content);
        var root = document.RootElement;
        var top = root.GetProperty("top").GetString();
        var module = root.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("name").GetString() == top);
        return module.GetProperty("ports").EnumerateArray().ToDictionary(
            p => p.GetProperty("name").GetString()!,
            p => p.GetProperty("width").GetInt32(),
            StringComparer.Ordinal);
    }
}
