using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using HwGen.Designs.Soc;
using HwGen.Gen.Templates;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;

namespace HwGen.Sim.Mutation;

/// <summary>A program a mutation campaign runs: the name it is reported under and its image.</summary>
public sealed record MutationProgram(string Name, ElfImage Image);

/// <summary>A program does not pass on the design as it is, so it cannot tell a mutant from it.</summary>
public sealed class MutationProgramException(string message) : Exception(message);

/// <summary>What became of a mutant.</summary>
public enum MutantOutcome
{
    /// <summary>A program diverged from the golden model, failed, did not end, or ended in another number of cycles than on the design as it is.</summary>
    Killed,

    /// <summary>
    /// Every program passed, and Yosys found inputs for which the mutated core's outputs differ from the core's within
    /// the check's steps after reset: not equivalent, a test the programs lack.
    /// </summary>
    Survived,

    /// <summary>
    /// Every program passed and Yosys proved the mutated core equivalent to the core, point by point or by induction:
    /// no input ever tells them apart.
    /// </summary>
    Equivalent,

    /// <summary>
    /// Every program passed and Yosys neither proved the mutant equivalent nor found a difference within the check's
    /// steps (the induction did not close, or the check ran out of time): for review.
    /// </summary>
    NotProven,
}

/// <summary>One mutant's result.</summary>
/// <param name="Mutation">The mutation.</param>
/// <param name="Location">Its C# location (<c>file:line</c>), when the Verilog line carries one.</param>
/// <param name="Outcome">Killed, survived, equivalent or not proven.</param>
/// <param name="Killer">The program that killed it.</param>
/// <param name="Reason">How: the first differing trace field (<c>rd_wdata</c>, …), <c>timeout</c>, the program's failure, or its cycles (<c>cycles: M instead of N</c>); for a mutant no program killed, what the equivalence check found.</param>
/// <param name="Cycle">The killing divergence's cycle, counted from the program's first.</param>
/// <param name="WaitStates">The killing run had wait states on the core's buses.</param>
public sealed record MutantResult(Mutation Mutation, string? Location, MutantOutcome Outcome, string? Killer, string? Reason, ulong? Cycle, bool WaitStates = false);

/// <summary>A program's run on the design as it is, without or with wait states: what each mutant's run is held against.</summary>
public sealed record ProgramBaseline(string Name, ulong Cycles, ulong Instret, bool WaitStates = false);

/// <summary>The outcome of a campaign.</summary>
public sealed record MutationReport(int Seed, IReadOnlyList<ProgramBaseline> Programs, IReadOnlyList<MutantResult> Mutants, int EquivalenceCycles, TimeSpan Elapsed)
{
    public int Killed => Mutants.Count(m => m.Outcome == MutantOutcome.Killed);

    public int Survived => Mutants.Count(m => m.Outcome == MutantOutcome.Survived);

    public int Equivalent => Mutants.Count(m => m.Outcome == MutantOutcome.Equivalent);

    public int NotProven => Mutants.Count(m => m.Outcome == MutantOutcome.NotProven);

    /// <summary>Killed mutants per mutant not proven equivalent (1 when every mutant is equivalent).</summary>
    public double KillRate => Mutants.Count == Equivalent ? 1 : (double)Killed / (Mutants.Count - Equivalent);
}

/// <summary>How a campaign runs.</summary>
public sealed record MutationOptions
{
    /// <summary>Mutations Yosys lists.</summary>
    public int Count { get; init; } = 100;

    /// <summary>The seed of Yosys's choice.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Model instances running at a time (and equivalence checks at a time).</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Random wait states on both of the core's buses (<see cref="WaitStateInjector"/>) for a second run of every
    /// program, so that the logic that waits for the buses is exercised; null: every program runs once, without.
    /// </summary>
    public WaitStates? WaitStates { get; init; } = new(StallOneIn: 4, MaxResponseDelay: 3, Seed: 1);

    /// <summary>The programs' cycle limit on the design as it is.</summary>
    public ulong MaxCycles { get; init; } = 20_000_000;

    /// <summary>
    /// The longest induction Yosys tries on a survivor (<c>sat -tempinduct -maxsteps</c>): its base case compares the
    /// cores over that many cycles after reset, its step proves that outputs equal for that many cycles stay equal.
    /// </summary>
    public int EquivalenceCycles { get; init; } = 6;

    /// <summary>The time one equivalence check may take, reading the core included; a check that runs out is no proof (not proven).</summary>
    public TimeSpan EquivalenceTimeout { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>Where the Yosys runs go (scripts, logs, netlists).</summary>
    public string WorkDirectory { get; init; } = Path.Combine("out", "mutate");

    /// <summary>Hears what is going on (netlist, model build, the baseline).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Called once per mutant run through the programs, and once per equivalence check, from any thread.</summary>
    public Action? Advance { get; init; }
}

/// <summary>
/// Mutation coverage of the core, in the manner of YosysHQ's mcy: N mutations of the core's netlist in one Verilator model
/// (<see cref="MutantNetlist"/>); each mutant runs the programs in lockstep with the golden model until one kills it (a
/// divergence, a failure, no end within four times the program's cycles on the design as it is, or an end in other
/// cycles than there: the mutant changed the core's timing); the survivors'
/// cores are compared with the core by Yosys, first point by point (<c>equiv_make</c>, <c>equiv_simple</c>: the two cores
/// share all but the mutation's cone), then in a miter of the whole cores (<c>miter -equiv</c>, temporal induction,
/// <c>sat -tempinduct</c>): equivalent when either proof closes, survived when the induction's base case finds a
/// difference after reset, not proven else. Every program runs without and, on a SoC with wait-state injectors,
/// with wait states on the core's buses.
/// </summary>
public static partial class MutationCampaign
{
    private static readonly TemplateSet Templates = new(typeof(MutationCampaign).Assembly, "HwGen.Sim.Templates.Mutation/");

    /// <summary>Runs the campaign on the untagged SoC of <paramref name="map"/> with the default core.</summary>
    public static MutationReport Run(MemoryMap map, IReadOnlyList<MutationProgram> programs, MutationOptions options)
    {
        ArgumentNullException.ThrowIfNull(programs);
        ArgumentNullException.ThrowIfNull(options);
        if (programs.Count == 0)
            throw new ArgumentException("a campaign needs at least one program", nameof(programs));
        var clock = Stopwatch.StartNew();
        options.Progress?.Invoke("elaborating the SoC");
        var soc = SimRunner.Elaborate(map, core: null, options.WaitStates is { } injected ? SocParts.Simulation with { WaitStates = injected } : null);
        options.Progress?.Invoke($"listing {options.Count} mutations of the core (seed {options.Seed}) and building their netlist with Yosys");
        var netlist = MutantNetlist.Create(soc, options.Count, options.Seed, Path.GetFullPath(options.WorkDirectory));
        var machine = netlist.Build(map, options.Progress);

        // Every program without wait states, and again with them when the SoC has them.
        var runs = programs.Select(p => (Program: p, Waits: false))
            .Concat(netlist.WaitStates ? programs.Select(p => (Program: p, Waits: true)) : [])
            .ToArray();
        options.Progress?.Invoke($"running {programs.Count} program(s) on the design as it is" + (netlist.WaitStates ? ", without and with wait states" : ""));
        var designRuns = new SimResult[runs.Length];
        ForEach(runs.Length, options.Jobs, i => designRuns[i] = machine.Run(runs[i].Program.Image, RunOptions(netlist, runs[i].Program, 0, runs[i].Waits, options.MaxCycles)));
        // The first program that fails, in the order given (without wait states first).
        var baselines = new ProgramBaseline[runs.Length];
        for (int i = 0; i < runs.Length; i++)
        {
            var ((program, waits), result) = (runs[i], designRuns[i]);
            if (result.Status != SimStatus.Passed)
            {
                throw new MutationProgramException($"{program.Name} does not pass on the design as it is{(waits ? " with wait states" : "")} ({result.Status.ToString().ToLowerInvariant()}" +
                    (result.Divergence is { } d ? $", {d.Difference}" : result.Status == SimStatus.Failed ? $", exit code {result.ExitCode}" : "") +
                    "), so it cannot tell a mutant from it");
            }
            baselines[i] = new ProgramBaseline(program.Name, result.Cycles, result.Instret, waits);
        }

        // The quickest runs first: most mutants die in the first one that reaches them.
        var order = Enumerable.Range(0, runs.Length).OrderBy(i => baselines[i].Cycles).ToArray();
        var results = new MutantResult[netlist.Mutations.Count];
        ForEach(results.Length, options.Jobs, m =>
        {
            var mutation = netlist.Mutations[m];
            var location = netlist.Locate(mutation);
            results[m] = new MutantResult(mutation, location, MutantOutcome.Survived, null, null, null);
            foreach (int i in order)
            {
                var (program, waits) = runs[i];
                var result = machine.Run(program.Image, RunOptions(netlist, program, (ulong)mutation.Index, waits, baselines[i].Cycles * 4 + 10_000));
                // A mutant that retires the same instructions with the same results but at another time changes the
                // core's timing, which the programs' cycle counts show.
                if (result.Status == SimStatus.Passed && result.Cycles == baselines[i].Cycles)
                    continue;
                var reason = result.Status switch
                {
                    SimStatus.Passed => string.Create(CultureInfo.InvariantCulture, $"cycles: {result.Cycles} instead of {baselines[i].Cycles}"),
                    SimStatus.Divergence => result.Divergence!.Difference.Field,
                    SimStatus.Timeout => "timeout",
                    _ => $"{result.Status.ToString().ToLowerInvariant()}, exit code {result.ExitCode}",
                };
                results[m] = results[m] with { Outcome = MutantOutcome.Killed, Killer = program.Name, Reason = reason, Cycle = result.Divergence?.Cycle, WaitStates = waits };
                break;
            }
            options.Advance?.Invoke();
        });

        var survivors = results.Where(r => r.Outcome == MutantOutcome.Survived).Select(r => r.Mutation).ToArray();
        if (survivors.Length > 0)
            options.Progress?.Invoke($"{survivors.Length} survivor(s): checking their equivalence with Yosys (induction up to {options.EquivalenceCycles} steps)");
        // One Yosys run per survivor, each with its own time limit: a run that ends by it is no proof.
        ForEach(survivors.Length, options.Jobs, i =>
        {
            var (mutation, outcome, why) = CheckEquivalence(netlist.Directory, netlist.CoreRtlil, netlist.Width, survivors[i], options);
            int m = mutation.Index - 1;
            results[m] = results[m] with { Outcome = outcome, Reason = why };
            options.Advance?.Invoke();
        });
        return new MutationReport(options.Seed, baselines, results, options.EquivalenceCycles, clock.Elapsed);
    }

    /// <summary>
    /// Whether Yosys proves each mutated core equivalent to the core (<see cref="MutantOutcome.Equivalent"/>), finds a
    /// difference (<see cref="MutantOutcome.Survived"/>) or neither (<see cref="MutantOutcome.NotProven"/>), and in a few words what it found.
    /// </summary>
    /// <param name="directory">Where the scripts and logs go.</param>
    /// <param name="coreRtlil">The mutated core (module <see cref="MutantNetlist.CoreModule"/>, every mutation behind its value of <see cref="MutantNetlist.Control"/>) as RTLIL.</param>
    /// <param name="width">Bits of the control input.</param>
    /// <param name="mutation">The mutation to check.</param>
    /// <param name="options">The induction's steps and the time the check may take.</param>
    public static (Mutation Mutation, MutantOutcome Outcome, string Why) CheckEquivalence(string directory, string coreRtlil, int width, Mutation mutation, MutationOptions options)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var model = new
        {
            VerilogEmitter.Generator,
            mutation.Index,
            Steps = options.EquivalenceCycles,
            CoreRtlil = coreRtlil,
            Core = MutantNetlist.CoreModule,
            Control = MutantNetlist.Control,
            Width = width,
            Reset = ClockDomain.Default.ResetName,
            Timeout = (int)Math.Ceiling(options.EquivalenceTimeout.TotalSeconds),
        };
        // First the proof point by point, where the two cores share all but the mutation's cone: quick, and enough
        // when the mutation never shows at the next named wire; else the induction on the miter of the whole cores.
        var points = $"equivalence-{mutation.Index}-points";
        var pointsRun = MutantNetlist.RunYosys(directory, points + ".ys", Templates.Render("equivalence-points.ys.sbn", model), options.EquivalenceTimeout, check: false);
        var pointsLog = Path.Combine(directory, points + ".log");
        if (PointsVerdict(File.Exists(pointsLog) ? File.ReadAllText(pointsLog) : "", pointsRun) is { } proven)
            return (mutation, MutantOutcome.Equivalent, proven);

        var left = options.EquivalenceTimeout - clock.Elapsed;
        if (left < TimeSpan.FromSeconds(1))
            return (mutation, MutantOutcome.NotProven, "the check ran out of time");
        var name = $"equivalence-{mutation.Index}";
        var script = Templates.Render("equivalence.ys.sbn", model with { Timeout = (int)Math.Ceiling(left.TotalSeconds) });
        var result = MutantNetlist.RunYosys(directory, name + ".ys", script, left, check: false);
        var log = Path.Combine(directory, name + ".log");
        return Verdict(mutation, File.Exists(log) ? File.ReadAllText(log) : "", options.EquivalenceCycles, result);
    }

    /// <summary>
    /// What the output of one point-by-point check (<c>equiv_make</c>, <c>equiv_simple</c>, <c>equiv_status -assert</c>)
    /// says: the proof in a few words when every point was proven, else null (no verdict: the induction decides).
    /// </summary>
    public static string? PointsVerdict(string output, ProcessResult? run = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (run is { Succeeded: false } || !output.Contains("Equivalence successfully proven!", StringComparison.Ordinal))
            return null;
        var count = EquivalencePoints().Matches(output).LastOrDefault()?.Groups[1].Value ?? "?";
        return $"proven point by point ({count} equivalence points)";
    }

    [GeneratedRegex(@"Found (\d+) \$equiv cells")]
    private static partial Regex EquivalencePoints();

    /// <summary>What the output of one <c>sat -tempinduct</c> check (empty when it did not run) says of <paramref name="mutation"/>.</summary>
    public static (Mutation Mutation, MutantOutcome Outcome, string Why) Verdict(Mutation mutation, string output, int steps, ProcessResult? run = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Contains("Induction step proven: SUCCESS!", StringComparison.Ordinal))
        {
            var length = InductionLength().Matches(output).LastOrDefault()?.Groups[1].Value ?? "?";
            return (mutation, MutantOutcome.Equivalent, $"proven by induction of length {length}");
        }
        if (output.Contains("model found for base case: FAIL!", StringComparison.Ordinal))
        {
            var length = InductionLength().Matches(output).LastOrDefault()?.Groups[1].Value ?? "?";
            return (mutation, MutantOutcome.Survived, $"outputs differ from the core's within {length} cycles of reset for some inputs");
        }
        // The deepest base case proven: no input tells the cores apart over that many cycles after reset.
        var bounded = BaseCaseProven().Matches(output).LastOrDefault()?.Groups[1].Value;
        var checkedFor = bounded is null ? "" : $"no difference within {bounded} cycles of reset, ";
        if (output.Contains("Reached maximum number of time steps", StringComparison.Ordinal))
            return (mutation, MutantOutcome.NotProven, $"{checkedFor}induction not closed within {steps} steps");
        if (output.Contains("TIMEOUT", StringComparison.Ordinal) || run is { TimedOut: true })
            return (mutation, MutantOutcome.NotProven, $"{checkedFor}the check ran out of time");
        var last = run?.Output.Split('\n').LastOrDefault(l => l.Length > 0);
        return (mutation, MutantOutcome.NotProven, $"the equivalence check did not finish{(last is null ? "" : ": " + last.Trim())}");
    }

    [GeneratedRegex(@"Base case for induction length (\d+) proven")]
    private static partial Regex BaseCaseProven();

    [GeneratedRegex(@"Trying induction with length (\d+)")]
    private static partial Regex InductionLength();

    /// <summary>A run of <paramref name="program"/> on mutant <paramref name="mutant"/>; the wait states' input, when the netlist has it, is held too (a model instance keeps an input from its last run).</summary>
    private static SimOptions RunOptions(MutantNetlist netlist, MutationProgram program, ulong mutant, bool waitStates, ulong maxCycles) => new(program.Image.Path)
    {
        Cosim = true,
        MaxCycles = maxCycles,
        DivergenceWavePath = "",
        HeldInputs = netlist.WaitStates
            ? [(MutantNetlist.Control, mutant), (MutantNetlist.WaitControl, waitStates ? 1UL : 0UL)]
            : [(MutantNetlist.Control, mutant)],
    };

    private static void ForEach(int count, int jobs, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, body);
        }
        catch (AggregateException ex)
        {
            ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
    }
}
