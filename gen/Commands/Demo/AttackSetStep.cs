using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using HwGen.Designs.Soc;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Policy;
using HwGen.Sim.Run;
using Spectre.Console;

namespace HwGen.Cli.Commands.Demo;

/// <summary>
/// Runs the attack set (<see cref="AttackSet"/>) on the Verilated tagged SoC in lockstep with the golden model: every
/// attack with no policy (it must succeed), under each policy and under the composite of all (stopped at its attacking
/// instruction by its policy, under that policy and the composite), and the benign neighbours under each (no violation).
/// One result per run, and the attack table at the end of the demo.
/// </summary>
internal sealed class AttackSetStep : IDemoStep
{
    /// <summary>The policies every attack runs under: each one alone (<c>none</c> first), then the composite of all.</summary>
    public static IReadOnlyList<string> Policies { get; } = [.. PolicyRegistry.Names, AttackSet.AllPolicies];

    /// <summary>The benign run's name in the table.</summary>
    public const string Benign = "benign";

    public string Title => "attack set";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        if (!context.Images.TryGetValue(AttackSet.Application, out var elf))
        {
            yield return new DemoResult(AttackSet.Application, false, $"{AttackSet.Application} was not built, nothing to run");
            yield break;
        }

        var runs = AttackSet.Attacks.Select(a => a.Name).Append(Benign).SelectMany(name => Policies.Select(policy => (Name: name, Policy: policy))).ToList();
        var cells = new ConcurrentDictionary<(string, string), (bool Passed, string Cell, string Detail)>();
        int done = 0;
        context.Status($"running {runs.Count} attacks and benign runs on the tagged SoC in lockstep, {Environment.ProcessorCount} at a time");
        try
        {
            // Each run has its own instance of the one tagged model.
            Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, run =>
            {
                cells[(run.Name, run.Policy)] = run.Name == Benign ? RunBenign(elf, run.Policy) : RunAttack(AttackSet.Attacks.Single(a => a.Name == run.Name), elf, run.Policy);
                lock (cells)
                    context.Status($"attack set: {++done} of {runs.Count} runs done ({run.Name} under {run.Policy})");
            });
        }
        catch (AggregateException ex)
        {
            ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }

        var table = new Table().Title("Attack table: the tagged SoC in lockstep, each attack under each policy")
            .Caption($"all: the composite {AttackSet.AllPolicies}").AddColumn("attack");
        foreach (var policy in Policies)
            table.AddColumn(policy == AttackSet.AllPolicies ? "all" : policy);
        foreach (var name in runs.Select(r => r.Name).Distinct())
            table.AddRow([new Text(name), .. Policies.Select(p => new Text(cells[(name, p)].Cell))]);
        context.Tables.Add(table);

        int attacks = AttackSet.Attacks.Count;
        int succeededWithNone = AttackSet.Attacks.Count(a => cells[(a.Name, "none")].Passed);
        int stoppedByOwn = AttackSet.Attacks.Count(a => cells[(a.Name, a.Policy)].Passed);
        int stoppedByAll = AttackSet.Attacks.Count(a => cells[(a.Name, AttackSet.AllPolicies)].Passed);
        int benignClean = Policies.Count(p => cells[(Benign, p)].Passed);
        context.KeyFigures.Add(("attack set, tagged SoC in lockstep",
            $"{succeededWithNone} of {attacks} attacks succeed with none, {stoppedByOwn} of {attacks} stopped at their instruction by their policy, " +
            $"{stoppedByAll} of {attacks} by the composite; the benign runs clean under {benignClean} of {Policies.Count} policies"));

        foreach (var run in runs)
        {
            var (passed, _, detail) = cells[(run.Name, run.Policy)];
            yield return new DemoResult($"{run.Name} under {run.Policy}", passed, detail);
        }
    }

    /// <summary>
    /// One attack under one policy: with none it must succeed; under its own policy or the composite it must be stopped at its
    /// attacking instruction by its policy; under another policy whatever happens is reported (several stop an attack).
    /// </summary>
    private static (bool Passed, string Cell, string Detail) RunAttack(Attack attack, string elf, string policy)
    {
        var outcome = AttackSet.Run(attack, elf, policy, MemoryMap.Simulation, cosim: true);
        var cell = outcome.Stopped ? string.Create(CultureInfo.InvariantCulture, $"stopped at 0x{outcome.Pc:x8} ({outcome.StoppedBy})")
            : outcome.Succeeded ? "succeeded"
            : outcome.Describe();
        bool passed = policy == "none" ? outcome.Succeeded && !outcome.Stopped
            : policy == attack.Policy || policy == AttackSet.AllPolicies ? outcome.Stopped && outcome.AtAttackingInstruction && !outcome.Succeeded
            : outcome.Stopped || outcome.Succeeded;
        var expected = policy == "none" ? "expected to succeed"
            : policy == attack.Policy || policy == AttackSet.AllPolicies ? $"expected at {attack.StopSymbol} by {attack.Policy}"
            : $"its policy is {attack.Policy}";
        return (passed, cell, $"{outcome.Describe()}; {expected}");
    }

    /// <summary>The benign neighbours under one policy: the program passes, with no violation.</summary>
    private static (bool Passed, string Cell, string Detail) RunBenign(string elf, string policy)
    {
        var result = SimRunner.Run(AttackSet.Options(elf, policy, MemoryMap.Simulation, AttackSet.BenignCommand, cosim: true));
        if (result.Divergence is not null)
            throw new InvalidOperationException($"{Benign} under {policy}: the RTL and the golden model diverged: {result.Divergence.Describe()}");
        // The first line names the run; each neighbour then reports "NAME: ok".
        var neighbours = result.Uart.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        int ok = neighbours.Count(l => l.EndsWith(": ok", StringComparison.Ordinal));
        if (result.Violations.Count > 0)
        {
            var v = result.Violations[0];
            var cell = string.Create(CultureInfo.InvariantCulture, $"stopped at 0x{v.Pc:x8} ({v.Policy}: {v.Reason})");
            return (false, cell, cell + "; the benign runs must have no violation");
        }
        bool passed = result.Status == SimStatus.Passed && ok > 0 && ok == neighbours.Count;
        return (passed, passed ? "no violation" : $"{result.Status}, exit code {result.ExitCode}",
            $"{result.Status}, no violation, {ok} of {neighbours.Count} neighbours ok");
    }
}
