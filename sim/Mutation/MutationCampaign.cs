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

    /// <summary>Every program passed and Yosys proved the mutated core equivalent to the core by induction: no input ever tells them apart.</summary>
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
public sealed record MutantResult(Mutation Mutation, string? Location, MutantOutcome Outcome, string? Killer, string? Reason, ulong? Cycle);

/// <summary>A program's run on the design as it is: what each mutant's run is held against.</summary>
public sealed record ProgramBaseline(string Name, ulong Cycles, ulong Instret);

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
/// cores are compared with the core by Yosys (<c>miter -equiv</c>, then temporal induction, <c>sat -tempinduct</c>):
/// equivalent when the induction closes, survived when its base case finds a difference after reset, not proven else.
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
        var soc = SimRunner.Elaborate(map, core: null);
        options.Progress?.Invoke($"listing {options.Count} mutations of the core (seed {options.Seed}) and building their netlist with Yosys");
        var netlist = MutantNetlist.Create(soc, options.Count, options.Seed, Path.GetFullPath(options.WorkDirectory));
        var machine = netlist.Build(map, options.Progress);

        options.Progress?.Invoke($"running {programs.Count} program(s) on the design as it is");
        var baselines = new ProgramBaseline[programs.Count];
        ForEach(programs.Count, options.Jobs, i =>
        {
            var result = machine.Run(programs[i].Image, RunOptions(programs[i], 0, options.MaxCycles));
            if (result.Status != SimStatus.Passed)
            {
                throw new MutationProgramException($"{programs[i].Name} does not pass on the design as it is ({result.Status.ToString().ToLowerInvariant()}" +
                    (result.Divergence is { } d ? $", {d.Difference}" : result.Status == SimStatus.Failed ? $", exit code {result.ExitCode}" : "") +
                    "), so it cannot tell a mutant from it");
            }
            baselines[i] = new ProgramBaseline(programs[i].Name, result.Cycles, result.Instret);
        });

        // The quickest programs first: most mutants die in the first one that reaches them.
        var order = Enumerable.Range(0, programs.Count).OrderBy(i => baselines[i].Cycles).ToArray();
        var results = new MutantResult[netlist.Mutations.Count];
        ForEach(results.Length, options.Jobs, m =>
        {
            var mutation = netlist.Mutations[m];
            var location = netlist.Locate(mutation);
            results[m] = new MutantResult(mutation, location, MutantOutcome.Survived, null, null, null);
            foreach (int i in order)
            {
                var result = machine.Run(programs[i].Image, RunOptions(programs[i], (ulong)mutation.Index, baselines[i].Cycles * 4 + 10_000));
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
                results[m] = results[m] with { Outcome = MutantOutcome.Killed, Killer = programs[i].Name, Reason = reason, Cycle = result.Divergence?.Cycle };
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
            var (mutation, outcome, why) = CheckEquivalence(netlist, survivors[i], options);
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
    private static (Mutation Mutation, MutantOutcome Outcome, string Why) CheckEquivalence(MutantNetlist netlist, Mutation mutation, MutationOptions options)
    {
        var name = $"equivalence-{mutation.Index}";
        var script = Templates.Render("equivalence.ys.sbn", new
        {
            VerilogEmitter.Generator,
            mutation.Index,
            Steps = options.EquivalenceCycles,
            CoreRtlil = netlist.CoreRtlil,
            Core = MutantNetlist.CoreModule,
            Control = MutantNetlist.Control,
            netlist.Width,
            Reset = ClockDomain.Default.ResetName,
            Timeout = (int)Math.Ceiling(options.EquivalenceTimeout.TotalSeconds),
        });
        var result = MutantNetlist.RunYosys(netlist.Directory, name + ".ys", script, options.EquivalenceTimeout, check: false);
        var log = Path.Combine(netlist.Directory, name + ".log");
        return Verdict(mutation, File.Exists(log) ? File.ReadAllText(log) : "", options.EquivalenceCycles, result);
    }

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

    private static SimOptions RunOptions(MutationProgram program, ulong mutant, ulong maxCycles) => new(program.Image.Path)
    {
        Cosim = true,
        MaxCycles = maxCycles,
        DivergenceWavePath = "",
        HeldInputs = [(MutantNetlist.Control, mutant)],
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
