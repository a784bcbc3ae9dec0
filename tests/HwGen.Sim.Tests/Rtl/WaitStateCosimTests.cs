using System.Globalization;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using HwGen.Sim.Tests.RandomPrograms;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The core against a slow system: a <see cref="WaitStateInjector"/> on both buses (requests not taken at once,
/// responses delayed by up to three cycles), with each branch predictor and with the single-port RAM, running the
/// ISA suite, the hazard programs and random programs in lockstep with the golden model.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class WaitStateCosimTests
{
    private const int DefaultSeedCount = 200;

    /// <summary>The settings every program runs on: a name, the core and the SoC's parts.</summary>
    internal static readonly (string Name, CoreConfig Core, SocParts Parts)[] Settings =
    [
        ("no predictor", Ap(BranchPredictorKind.None), Waits(11)),
        ("static predictor", Ap(BranchPredictorKind.StaticBackwardTaken), Waits(22)),
        ("branch target buffer", Ap(BranchPredictorKind.Btb), Waits(33)),
        ("single-port RAM", Ap(BranchPredictorKind.Btb), Waits(44) with { Ram = SocRam.SinglePort }),
    ];

    private static CoreConfig Ap(BranchPredictorKind kind) => CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { BranchPredictor = kind };

    internal static SocParts Waits(uint seed) => new() { WaitStates = new WaitStates(StallOneIn: 4, MaxResponseDelay: 3, Seed: seed) };

    public static IEnumerable<TestCaseData> Seeds() => SeedSelection.FromEnvironment(DefaultSeedCount)
        .Select(seed => new TestCaseData(seed).SetName(string.Create(CultureInfo.InvariantCulture, $"WaitStateRandomCosim(seed {seed})")));

    [OneTimeSetUp]
    public void BuildTheModels()
    {
        foreach (var (_, core, parts) in Settings)
            SimMachine.Get(MemoryMap.Simulation, core, progress: TestContext.Progress.WriteLine, parts: parts);
    }

    [TestCaseSource(typeof(IsaSuiteTests), nameof(IsaSuiteTests.SuitePrograms))]
    public void TheIsaSuitePassesInLockstep(string fileName)
    {
        foreach (var (name, core, parts) in Settings)
        {
            var (result, elf) = RtlRun.BuildAndCosim([FirmwareTestSupport.InRepository("tests/isa/" + fileName)], includeRuntime: false, core: core, parts: parts);
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => name + ": " + RtlRun.Describe(result, elf));
        }
    }

    [TestCaseSource(typeof(HazardCosimTests), nameof(HazardCosimTests.HazardPrograms))]
    public void TheHazardProgramsPassInLockstep(string fileName)
    {
        foreach (var (name, core, parts) in Settings)
        {
            var (result, elf) = RtlRun.BuildAndCosim([FirmwareTestSupport.InRepository("tests/hazards/" + fileName)], includeRuntime: false,
                includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")], core: core, parts: parts);
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => name + ": " + RtlRun.Describe(result, elf));
        }
    }

    [TestCaseSource(nameof(Seeds))]
    public void RandomProgramsRunWithoutDivergence(int seed)
    {
        var program = MachineCodeProgram.Generate(seed, MemoryMap.Simulation);
        foreach (var (name, core, parts) in Settings)
        {
            var result = RandomRun.Cosim(program, parts: parts, core: core);
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => name + ": " + RandomRun.Describe(program, result, nameof(WaitStateCosimTests)));
        }
    }

    [Test]
    public void TheWaitStatesCostCyclesOnEveryBusAndSeedsDiffer()
    {
        // The same instructions, more cycles: the injectors are really in the way; and another seed, another timing.
        var program = MachineCodeProgram.Generate(5, MemoryMap.Simulation, new MachineCodeProgramOptions { MaxTimerDelay = 0 });
        var btb = Ap(BranchPredictorKind.Btb);
        var plain = RandomRun.Cosim(program, core: btb);
        var slow = RandomRun.Cosim(program, parts: Waits(33), core: btb);
        var other = RandomRun.Cosim(program, parts: Waits(34), core: btb);
        Assert.Multiple(() =>
        {
            Assert.That(slow.Status, Is.EqualTo(SimStatus.Passed));
            Assert.That(other.Status, Is.EqualTo(SimStatus.Passed));
            Assert.That(slow.Instret, Is.EqualTo(plain.Instret));
            Assert.That(slow.Cycles, Is.GreaterThan(plain.Cycles + plain.Instret / 4), "a quarter of the requests wait a cycle, and responses are late");
            Assert.That(other.Cycles, Is.Not.EqualTo(slow.Cycles));
        });
    }
}
