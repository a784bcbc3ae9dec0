using HwGen.Designs.Soc;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;

namespace HwGen.Cli.Commands.Demo;

/// <summary>
/// Runs <c>hello</c> on the Verilated tagged SoC (the AP with its tag unit and rule cache, and the PEX running the
/// policy firmware) under the composite of every policy, in lockstep with the golden model and its tag engine.
/// </summary>
internal sealed class TaggedHelloStep : IDemoStep
{
    public const string Application = "hello";

    public string Title => "tagged SoC";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        if (!context.Images.TryGetValue(Application, out var elf))
        {
            yield return new DemoResult(Application, false, $"{Application} was not built, nothing to run");
            yield break;
        }
        var policy = AttackSet.AllPolicies;
        context.Status($"running {Application} on the tagged SoC under {policy} in lockstep (the first run builds the tagged SoC's model, a minute or two)");
        var options = AttackSet.Options(elf, policy, MemoryMap.Simulation, "", cosim: true) with { Progress = context.Status };
        var machine = SimMachine.Get(options.Map, SimRunner.CoreFor(options), progress: context.Status);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = machine.Run(ElfImage.Load(elf, options.Map), options);
        var seconds = clock.Elapsed.TotalSeconds;
        var subject = $"{Application} under {policy}";
        if (result.Status != SimStatus.Passed)
        {
            var why = result.Violations.Count > 0 ? $"{result.Violations[0].Policy}: {result.Violations[0].Reason} at 0x{result.Violations[0].Pc:x8}" : result.Divergence?.Describe() ?? $"exit code {result.ExitCode}";
            yield return new DemoResult(subject, false, $"{result.Status}: {CliContext.OneLine(why)}", result.Divergence?.Describe() ?? result.Uart);
            yield break;
        }
        var cache = result.RuleCache!;
        context.KeyFigures.Add(($"{Application} on the tagged SoC under {policy}, in lockstep",
            $"{result.Instret:N0} instructions, {result.Cycles:N0} cycles (CPI {result.Cpi:F3}), rule-cache hit rate {cache.HitRate:P2} ({cache.Misses} misses), {result.Instret / seconds / 1e6:F2} M instructions/s"));
        yield return new DemoResult(subject, true,
            $"{result.Instret:N0} instructions in lockstep, tags and decisions compared, no violation, rule cache {cache.Hits:N0} hits and {cache.Misses} misses; UART: {CliContext.OneLine(result.Uart)}");
    }
}
