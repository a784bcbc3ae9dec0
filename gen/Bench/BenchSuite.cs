using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using HwGen.Cli.Commands;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Run;
using HwGen.Sim.Testbench;
using HwGen.Sim.Verilator;

namespace HwGen.Cli.Bench;

/// <summary>What one <c>hwgen bench</c> run measures and how often.</summary>
/// <param name="Runs">Samples per figure.</param>
/// <param name="Quick">Small workloads (the testbench's cycles, the least time a speed is measured over).</param>
/// <param name="Fpga">Also build the board designs for <paramref name="Board"/> with seeds 1 to 3.</param>
internal sealed record BenchOptions(int Runs, bool Quick, bool Fpga, string Board);

/// <summary>
/// The measurements of <c>hwgen bench</c>, on the <c>bench</c> application (the CRC loop and the mix of calls, loads and
/// stores). Every timing is taken beside a baseline (a fixed C# workload, timed just before it) so that a loaded machine
/// shows in both and their ratio stays comparable between runs.
/// </summary>
internal sealed class BenchSuite
{
    /// <summary>The application every run measures.</summary>
    public const string Application = "bench";

    /// <summary>The program the simulation speeds are measured on (20 million instructions; <see cref="Application"/> with --quick).</summary>
    public const string SpeedProgram = "crc32";

    /// <summary>The small program whose run times the simulator's start-up.</summary>
    public const string StartupApplication = "hello";

    /// <summary>The composite of every policy.</summary>
    public const string Composite = "nxd-nwc+ret+heap+cfi+taint";

    /// <summary>The policies measured one by one, then the composite.</summary>
    public static IReadOnlyList<string> Policies { get; } = [.. PolicyRegistry.Names, Composite];

    /// <summary>The rule-cache sizes (entries, in the default number of ways, more where 64 sets would not hold them) the composite's hit rate is measured at.</summary>
    public static IReadOnlyList<int> RuleCacheSizes { get; } = [4, 8, 16, 32, 64, 128, 256];

    /// <summary>The placement seeds of <c>--fpga</c>.</summary>
    public static IReadOnlyList<int> Seeds { get; } = [1, 2, 3];

    private const int BaselineBytes = 32 << 20;

    private readonly BenchOptions _options;
    private readonly CliContext _context;
    private readonly Action<string> _status;
    private readonly List<BenchFigure> _figures = [];
    private readonly MemoryMap _map = MemoryMap.Simulation;

    private BenchSuite(BenchOptions options, CliContext context, Action<string> status)
    {
        _options = options;
        _context = context;
        _status = status;
    }

    /// <summary>Measures every figure, <see cref="BenchOptions.Runs"/> times each; <paramref name="status"/> hears what is going on.</summary>
    public static IReadOnlyList<BenchFigure> Measure(BenchOptions options, CliContext context, Action<string> status)
    {
        var suite = new BenchSuite(options, context, status);
        suite.MeasureAll();
        return suite._figures;
    }

    private BenchFigure Figure(string name, string unit, string description, string group)
    {
        var figure = _figures.FirstOrDefault(f => f.Name == name);
        if (figure is null)
        {
            figure = new BenchFigure(name, unit, description, group);
            _figures.Add(figure);
        }
        return figure;
    }

    /// <summary>The least time a speed is measured over: the workload runs again until this much has passed.</summary>
    private TimeSpan SpeedWindow => _options.Quick ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromSeconds(1);

    private void MeasureAll()
    {
        _status($"building {Application} and {StartupApplication}");
        var elfPath = ProgramResolver.Resolve(Application, _context);
        var startupElf = ProgramResolver.Resolve(StartupApplication, _context);
        var image = ElfImage.Load(elfPath, _map);
        var speedProgram = _options.Quick ? Application : SpeedProgram;
        var speedElf = ProgramResolver.Resolve(speedProgram, _context);
        var speedImage = ElfImage.Load(speedElf, _map);

        _status("building (or finding in the cache) the SoC models: untagged, and tagged with the default rule cache");
        var untagged = SimMachine.Get(_map, progress: _status);
        var tags = TagConfig.ForMemoryMap(_map);
        var tagged = SimMachine.Get(_map, Tagged(tags), progress: _status);

        for (int run = 1; run <= _options.Runs; run++)
        {
            string Of(string what) => $"{what} (run {run} of {_options.Runs})";
            MeasureToolTimes(Of, tags, startupElf);

            _status(Of("golden model"));
            Speed("iss.speed", $"golden model (C#), fast path, on {speedProgram}", () =>
            {
                var model = new Rv32Iss(_map);
                model.Load(speedImage);
                var result = model.Run(long.MaxValue);
                Check(result.Status == IssStatus.Passed, "the golden model", result.Status.ToString());
                return result.Instret;
            });

            _status(Of("Verilated SoC alone"));
            var plain = untagged.Run(image, new SimOptions(elfPath) { DivergenceWavePath = "" });
            Check(plain.Status == SimStatus.Passed, "the Verilated SoC", plain.Status.ToString());
            Cpi(plain);
            Speed("verilator.speed", $"Verilated SoC, no co-simulation, on {speedProgram}", () =>
                Passed(untagged.Run(speedImage, new SimOptions(speedElf) { DivergenceWavePath = "" }), "the Verilated SoC"));
            _status(Of("Verilated SoC in lockstep with the golden model"));
            Speed("verilator.cosim.speed", $"Verilated SoC in lockstep with the golden model, on {speedProgram}", () =>
                Passed(untagged.Run(speedImage, new SimOptions(speedElf) { Cosim = true, DivergenceWavePath = "" }), "the SoC in lockstep"));
            _status(Of($"tagged SoC under {Composite} in lockstep"));
            Speed("verilator.composite.cosim.speed", $"tagged SoC under {Composite}, in lockstep (tags and decisions compared), on {speedProgram}", () =>
                Passed(tagged.Run(speedImage, PolicyOptions(speedElf, Composite, tags, cosim: true)), $"the tagged SoC under {Composite} in lockstep"));

            _status(Of("C# testbench driving a counter"));
            Figure("testbench.speed", "M cycles/s", "a counter driven from a C# testbench: a poke, a step, a peek a cycle", BenchGroups.Speed)
                .Samples.Add(TestbenchSpeed.CounterCyclesPerSecond(_options.Quick ? 200_000 : 2_000_000) / 1e6);

            MeasurePolicies(Of, tagged, image, elfPath, tags);
            MeasureRuleCacheSizes(Of, image, elfPath, tags);
        }

        if (_options.Fpga)
            FpgaFigures.Measure(_options.Board, Seeds, _status, Figure);
    }

    private static CoreConfig Tagged(TagConfig tags) => CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { Tags = tags };

    private SimOptions PolicyOptions(string elfPath, string policy, TagConfig tags, bool cosim) => new(elfPath)
    {
        Map = _map,
        Core = Tagged(tags),
        Cosim = cosim,
        DivergenceWavePath = "",
        Policy = SimCommand.PolicyFor(_context, policy, tags),
    };

    /// <summary>Emission, the cold and the warm Verilator build of the tagged SoC, and the simulator's start-up, each beside the baseline.</summary>
    private void MeasureToolTimes(Func<string, string> of, TagConfig tags, string startupElf)
    {
        _status(of("baseline"));
        var baseline = Figure("baseline.time", "s", $"SHA-256 of {BaselineBytes >> 20} MiB in C#, one thread: the yardstick of the ratios", BenchGroups.Baseline);

        (EmitResult Verilog, HarnessBinding Binding) emitted = default;
        Timed("verilog.emit", "elaborate, check and emit the tagged SoC's Verilog", () =>
        {
            var clock = Stopwatch.StartNew();
            var prepared = SimRunner.Prepare(_map, Tagged(tags));
            var elapsed = clock.Elapsed;
            emitted = (prepared.Verilog, prepared.Binding);
            return elapsed;
        });

        // A fresh cache folder for the cold build, and the same folder again for the warm one.
        var cache = Path.Combine(Path.GetTempPath(), "hwgen-bench-cache-" + Guid.NewGuid().ToString("N"));
        var previous = Environment.GetEnvironmentVariable("HWGEN_CACHE");
        try
        {
            Environment.SetEnvironmentVariable("HWGEN_CACHE", cache);
            _status(of("Verilator build of the tagged SoC into an empty cache (a minute or more)"));
            Timed("verilator.build.cold", "Verilator and g++ build of the tagged SoC's model, empty cache", () => BuildTime(emitted));
            _status(of("Verilator build of the tagged SoC, found in the cache"));
            Timed("verilator.build.warm", "the same build again, found in the cache", () => BuildTime(emitted));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HWGEN_CACHE", previous);
            if (Directory.Exists(cache))
                Directory.Delete(cache, recursive: true);
        }

        _status(of($"start-up of hwgen sim {StartupApplication} with a cached model"));
        Timed("sim.startup", $"a new process: hwgen sim {StartupApplication}.elf with the model cached, to its exit", () => StartupTime(startupElf));

        void Timed(string name, string description, Func<TimeSpan> measure)
        {
            var reference = BaselineTime();
            baseline.Samples.Add(reference.TotalSeconds);
            var time = measure();
            Figure(name + ".time", "s", description, BenchGroups.Tools).Samples.Add(time.TotalSeconds);
            Figure(name + ".ratio", "x baseline", description + ", over the baseline timed just before", BenchGroups.Tools).Samples.Add(time / reference);
        }
    }

    private static TimeSpan BaselineTime()
    {
        var data = new byte[BaselineBytes];
        new Random(1).NextBytes(data);
        var clock = Stopwatch.StartNew();
        SHA256.HashData(data);
        return clock.Elapsed;
    }

    private TimeSpan BuildTime((EmitResult Verilog, HarnessBinding Binding) design)
    {
        var clock = Stopwatch.StartNew();
        VerilatorBuild.Build(design.Verilog, design.Binding, WaveFormat.None, _status);
        return clock.Elapsed;
    }

    /// <summary>Runs <c>hwgen sim ELF</c> in a new process (the model and the prepared elaboration in the cache) and times it to its exit.</summary>
    private static TimeSpan StartupTime(string elf)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var clock = Stopwatch.StartNew();
        var result = ProcessRunner.Run(dotnet, [typeof(BenchSuite).Assembly.Location, "sim", Path.GetFullPath(elf), "--json"], timeout: TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        Check(result.Succeeded, $"hwgen sim {Path.GetFileName(elf)} in a new process", result.TimedOut ? "timed out" : $"exit code {result.ExitCode}: {CliContext.OneLine(result.Stderr)}");
        return elapsed;
    }

    /// <summary>Runs <paramref name="run"/> (which returns the instructions it retired) until the speed window has passed, and adds the instructions per second.</summary>
    private void Speed(string name, string description, Func<ulong> run)
    {
        ulong instructions = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            instructions += run();
        }
        while (clock.Elapsed < SpeedWindow);
        Figure(name, "MIPS", description, BenchGroups.Speed).Samples.Add(instructions / clock.Elapsed.TotalSeconds / 1e6);
    }

    private static readonly Regex s_workload = new(@"^(\w+): result 0x[0-9a-f]+, (\d+) instructions, (\d+) cycles", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The whole program's CPI, and each workload's from its own counters (the lines it prints).</summary>
    private void Cpi(SimResult run)
    {
        Figure("rtl.cpi", "cycles/instruction", $"{Application}, the whole program on the untagged SoC", BenchGroups.Cpi).Samples.Add(run.Cpi);
        var workloads = s_workload.Matches(run.Uart);
        Check(workloads.Count == 2, Application, $"it printed {workloads.Count} workload line(s), not 2: {run.Uart}");
        foreach (Match workload in workloads)
        {
            var name = workload.Groups[1].Value;
            double instructions = double.Parse(workload.Groups[2].Value, CultureInfo.InvariantCulture);
            double cycles = double.Parse(workload.Groups[3].Value, CultureInfo.InvariantCulture);
            var description = name == "crc" ? "the CRC loop (its own mcycle and minstret)" : $"the {name} workload: calls, loads and stores (its own mcycle and minstret)";
            Figure($"rtl.cpi.{name}", "cycles/instruction", description, BenchGroups.Cpi).Samples.Add(cycles / instructions);
        }
    }

    /// <summary>Per policy: the cycles, the overhead over <c>none</c>, and the rule cache's hit rate, misses and PEX cycles per miss.</summary>
    private void MeasurePolicies(Func<string, string> of, SimMachine tagged, ElfImage image, string elfPath, TagConfig tags)
    {
        double none = 0;
        foreach (var policy in Policies)
        {
            _status(of($"{Application} under {policy}"));
            var result = tagged.Run(image, PolicyOptions(elfPath, policy, tags, cosim: false));
            Check(result.Status == SimStatus.Passed, $"{Application} under {policy}", result.Status.ToString());
            var cache = result.RuleCache ?? throw new InvalidOperationException("the tagged SoC reported no rule-cache statistics");
            string Name(string what) => $"policy.{policy}.{what}";
            Figure(Name("cycles"), "cycles", $"{Application} under {policy}", BenchGroups.Policies).Samples.Add(result.Cycles);
            if (policy == "none")
                none = result.Cycles;
            else
                Figure(Name("overhead"), "%", $"cycles under {policy} over none", BenchGroups.Policies).Samples.Add((result.Cycles / none - 1) * 100);
            Figure(Name("hitRate"), Report.BenchReport.Fraction, $"rule-cache hits per lookup under {policy}", BenchGroups.Policies).Samples.Add(cache.HitRate);
            Figure(Name("misses"), "misses", $"rule-cache misses under {policy}", BenchGroups.Policies).Samples.Add(cache.Misses);
            Figure(Name("pexCyclesPerMiss"), "cycles", $"cycles the AP waited for the PEX per miss under {policy}", BenchGroups.Policies).Samples.Add(cache.PexCyclesPerMiss);
        }
    }

    /// <summary>The composite's hit rate and misses at each rule-cache size (each size its own model).</summary>
    private void MeasureRuleCacheSizes(Func<string, string> of, ElfImage image, string elfPath, TagConfig defaults)
    {
        foreach (var entries in RuleCacheSizes)
        {
            // At most 64 sets: a bigger cache has more ways.
            var tags = defaults with { RuleCacheEntries = entries, RuleCacheWays = Math.Max(defaults.RuleCacheWays, entries / TagConfig.MaxRuleCacheSets) };
            _status(of($"{Application} under the composite with a rule cache of {entries} entries (a new size builds its model first)"));
            var machine = SimMachine.Get(_map, Tagged(tags), progress: _status);
            var result = machine.Run(image, PolicyOptions(elfPath, Composite, tags, cosim: false));
            Check(result.Status == SimStatus.Passed, $"{Application} under {Composite} with {entries} rule-cache entries", result.Status.ToString());
            var cache = result.RuleCache!;
            var geometry = $"{entries} entries in {tags.RuleCacheWays} ways";
            Figure($"ruleCache.{entries}.hitRate", Report.BenchReport.Fraction, $"composite's hit rate, {geometry}", BenchGroups.RuleCache).Samples.Add(cache.HitRate);
            Figure($"ruleCache.{entries}.misses", "misses", $"composite's misses, {geometry}", BenchGroups.RuleCache).Samples.Add(cache.Misses);
        }
    }

    private static ulong Passed(SimResult result, string what)
    {
        Check(result.Status == SimStatus.Passed, what, result.Divergence?.Describe() ?? result.Status.ToString());
        return result.Instret;
    }

    private static void Check(bool passed, string what, string detail)
    {
        if (!passed)
            throw new BenchFailedException($"{what} failed ({detail}); the figures would mean nothing");
    }
}

/// <summary>A workload of <c>hwgen bench</c> did not run to success: the figures would mean nothing (exit code 1).</summary>
internal sealed class BenchFailedException(string message) : Exception(message);
