using System.Globalization;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Sim.Policy;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.RandomPrograms;
using HwGen.Sim.Tests.Rtl;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The constrained-random programs (<see cref="MachineCodeProgram"/>, with code and data in separate sections) on the
/// tagged SoC under each policy and the full composite, in lockstep with the golden model and its tag engine: every
/// retired instruction's fields, its PC tag, rd tag, memory tag and decision agree. A policy may deny random
/// instructions (the program's trap handler skips them); RTL and golden model must deny the same ones. Seeds 1 to 12
/// per policy by default; <c>HWGEN_SEED</c> and <c>HWGEN_SEED_COUNT</c> as for <see cref="RandomCosimTests"/>.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class TaggedRandomCosimTests
{
    private const int DefaultSeedCount = 12;

    internal const string FullComposite = "nxd-nwc+ret+heap+cfi+taint";

    internal static readonly string[] Policies = ["nxd-nwc", "taint", "heap", "ret", "cfi", FullComposite];

    public static IEnumerable<TestCaseData> Cases() =>
        from policy in Policies
        from seed in SeedSelection.FromEnvironment(DefaultSeedCount)
        select new TestCaseData(policy, seed).SetName(string.Create(CultureInfo.InvariantCulture, $"TaggedRandomCosim({policy}, seed {seed})"));

    [OneTimeSetUp]
    public void BuildTheModelOnce() => TaggedRandomRun.Machine(TaggedRandomRun.Tags);

    [TestCaseSource(nameof(Cases))]
    public void RunsWithoutDivergence(string policy, int seed)
    {
        var program = TaggedRandomRun.Generate(seed);

        var result = TaggedRandomRun.Cosim(program, policy, TaggedRandomRun.Tags);

        Assert.That(result.Divergence, Is.Null, () => RandomRun.Describe(program, result, nameof(TaggedRandomCosimTests)));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.AnyOf(SimStatus.Passed, SimStatus.Violation), () => RandomRun.Describe(program, result, nameof(TaggedRandomCosimTests)));
            Assert.That(result.ExitCode, Is.Zero, "the program reaches its end through tohost with code 0");
            Assert.That(result.RuleCache!.Lookups, Is.EqualTo(result.RuleCache.Hits + result.RuleCache.Misses));
            Assert.That(result.RuleCache.Misses, Is.GreaterThan(0));
        });
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{policy} seed {seed}: {result.Instret} instructions in {result.Cycles} cycles, {result.Violations.Count} denied, {result.RuleCache!.Misses} misses"));
    }

    [Test]
    public void TheCompositeDeniesSomeRandomInstructionsAndAllowsMost()
    {
        // Random jalr through ra and random indirect calls must trip ret and cfi somewhere in a few seeds, while the
        // data window (not code) is written freely: a policy that denied nothing, or everything, would not show here.
        int denied = 0;
        ulong instructions = 0;
        foreach (int seed in Enumerable.Range(1, 4))
        {
            var result = TaggedRandomRun.Cosim(TaggedRandomRun.Generate(seed), FullComposite, TaggedRandomRun.Tags);
            Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
            denied += result.Violations.Count;
            instructions += result.Instret;
        }
        Assert.Multiple(() =>
        {
            Assert.That(denied, Is.GreaterThan(0));
            Assert.That((ulong)denied * 20, Is.LessThan(instructions));
        });
    }
}

/// <summary>Running a <see cref="MachineCodeProgram"/> on the tagged SoC under a policy.</summary>
internal static class TaggedRandomRun
{
    public static MemoryMap Map => MemoryMap.Simulation;

    /// <summary>The default tag unit of the map.</summary>
    public static TagConfig Tags { get; } = TagConfig.ForMemoryMap(Map);

    /// <summary>The program of <paramref name="seed"/> with a data section; without the timer, whose interrupt lands at a cycle, when <paramref name="timer"/> is false.</summary>
    public static MachineCodeProgram Generate(int seed, bool timer = true) => MachineCodeProgram.Generate(seed, Map,
        new MachineCodeProgramOptions { DataSection = true, MaxTimerDelay = timer ? new MachineCodeProgramOptions().MaxTimerDelay : 0 });

    public static CoreConfig Core(TagConfig tags) => CoreConfig.ForMemoryMap(Map) with { Tags = tags };

    public static SimMachine Machine(TagConfig tags) => SimMachine.Get(Map, Core(tags), progress: TestContext.Progress.WriteLine);

    /// <summary>The options of a run under <paramref name="spec"/>, with the PEX firmware built for the program's initial tags.</summary>
    public static SimOptions Options(string name, string spec, TagConfig tags, bool cosim = true)
    {
        var composite = Composite.Parse(spec);
        return new SimOptions(name)
        {
            Map = Map,
            Core = Core(tags),
            Cosim = cosim,
            MaxCycles = 2_000_000,
            DivergenceWavePath = "",
            Policy = HwGen.Firmware.Pex.PexFirmware.SimPolicy(composite, tags),
        };
    }

    public static SimResult Cosim(MachineCodeProgram program, string spec, TagConfig tags, string? tracePath = null)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"random-{program.Seed}.elf");
        return Machine(tags).Run(program.ToElfImage(name), Options(name, spec, tags) with { TracePath = tracePath });
    }
}
