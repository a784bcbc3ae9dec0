using System.Globalization;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.RandomPrograms;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Constrained-random RV32IM programs (<see cref="MachineCodeProgram"/>, machine code and ELF written in C#) on the
/// RTL in lockstep with the golden model, all through one model build. Seeds 1 to 5,000 by default (about 50 s on two cores);
/// <c>HWGEN_SEED=N</c> runs only seed N, <c>HWGEN_SEED_COUNT=N</c> runs seeds 1 to N.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RandomCosimTests
{
    private const int DefaultSeedCount = 5000;
    private const ulong MaxCycles = 1_000_000;

    public static IEnumerable<TestCaseData> Seeds() => SeedSelection.FromEnvironment(DefaultSeedCount)
        .Select(seed => new TestCaseData(seed).SetName(string.Create(CultureInfo.InvariantCulture, $"RandomCosim(seed {seed})")));

    [OneTimeSetUp]
    public void BuildTheModelOnce() => SimMachine.Get(MemoryMap.Simulation, progress: TestContext.Progress.WriteLine);

    [TestCaseSource(nameof(Seeds))]
    public void RunsWithoutDivergence(int seed)
    {
        var program = MachineCodeProgram.Generate(seed, MemoryMap.Simulation);

        var result = RandomRun.Cosim(program, MaxCycles);

        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RandomRun.Describe(program, result, nameof(RandomCosimTests)));
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {result.Instret} instructions in {result.Cycles} cycles, last trap: {result.Trap?.Description ?? "none"}"));
    }

    [Test]
    public void TheSameSeedGivesTheSameImageAndDifferentSeedsDifferentOnes()
    {
        var first = MachineCodeProgram.Generate(7, MemoryMap.Simulation).Image;
        var again = MachineCodeProgram.Generate(7, MemoryMap.Simulation).Image;
        var other = MachineCodeProgram.Generate(8, MemoryMap.Simulation).Image;

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(other, Is.Not.EqualTo(first));
        });
    }
}

/// <summary>
/// The random programs on the SoC with one RAM port shared by instruction fetch and data (the board's
/// arrangement, <see cref="SocRam.SinglePort"/>): every load and store takes the port from a fetch, which is
/// repeated. A thousand seeds, in lockstep; the cycle counts must differ from the dual-port SoC's.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SinglePortRamCosimTests
{
    private const int DefaultSeedCount = 1000;
    private static readonly SocParts s_singlePort = new() { Ram = SocRam.SinglePort };

    public static IEnumerable<TestCaseData> Seeds() => SeedSelection.FromEnvironment(DefaultSeedCount)
        .Select(seed => new TestCaseData(seed).SetName(string.Create(CultureInfo.InvariantCulture, $"SinglePortRamCosim(seed {seed})")));

    [OneTimeSetUp]
    public void BuildTheModelOnce() => SimMachine.Get(MemoryMap.Simulation, progress: TestContext.Progress.WriteLine, parts: s_singlePort);

    [TestCaseSource(nameof(Seeds))]
    public void RunsWithoutDivergence(int seed)
    {
        var program = MachineCodeProgram.Generate(seed, MemoryMap.Simulation);

        var result = RandomRun.Cosim(program, parts: s_singlePort);

        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RandomRun.Describe(program, result, nameof(SinglePortRamCosimTests)));
    }

    [Test]
    public void LoadsAndStoresCostAFetchEach()
    {
        // A program with memory accesses must take more cycles with one port than with two, for the same instructions
        // (no timer interrupt: it comes at a cycle, so it would land elsewhere with a different cycle count).
        var program = MachineCodeProgram.Generate(3, MemoryMap.Simulation, new MachineCodeProgramOptions { MaxTimerDelay = 0 });
        var dual = RandomRun.Cosim(program);
        var single = RandomRun.Cosim(program, parts: s_singlePort);
        Assert.Multiple(() =>
        {
            Assert.That(single.Instret, Is.EqualTo(dual.Instret));
            Assert.That(single.Cycles, Is.GreaterThan(dual.Cycles));
        });
    }
}

/// <summary>Running a <see cref="MachineCodeProgram"/> on the RTL in lockstep, and describing a failure.</summary>
internal static class RandomRun
{
    public static SimResult Cosim(MachineCodeProgram program, ulong maxCycles = 1_000_000, SocParts? parts = null, CoreConfig? core = null)
    {
        var machine = SimMachine.Get(program.Map, core, parts: parts);
        var name = string.Create(CultureInfo.InvariantCulture, $"random-{program.Seed}.elf");
        return machine.Run(program.ToElfImage(name), new SimOptions(name) { Cosim = true, MaxCycles = maxCycles, DivergenceWavePath = "" });
    }

    /// <summary>The seed, the outcome and divergence report, where the ELF and its listing were written, and how to rerun the seed alone.</summary>
    public static string Describe(MachineCodeProgram program, SimResult result, string fixture)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-random-cosim", string.Create(CultureInfo.InvariantCulture, $"seed-{program.Seed}"));
        Directory.CreateDirectory(directory);
        var elf = Path.Combine(directory, "program.elf");
        File.WriteAllBytes(elf, program.ToElf());
        File.WriteAllText(Path.Combine(directory, "program.lst"), program.Listing());
        return string.Create(CultureInfo.InvariantCulture,
            $"random program seed {program.Seed}: {result.Status}, exit code {result.ExitCode}, {result.Instret} instructions in {result.Cycles} cycles\n") +
            (result.Divergence?.Describe() ?? "") +
            $"\nELF and listing: {directory}\n" +
            string.Create(CultureInfo.InvariantCulture,
                $"rerun this seed alone: HWGEN_SEED={program.Seed} dotnet test tests/HwGen.Sim.Tests --filter \"FullyQualifiedName~{fixture}\"");
    }
}

/// <summary>The seeds a random-program fixture runs: <c>HWGEN_SEED=N</c> (only N), <c>HWGEN_SEED_COUNT=N</c> (1 to N), or 1 to the default.</summary>
internal static class SeedSelection
{
    public static IEnumerable<int> FromEnvironment(int defaultCount)
    {
        var single = Environment.GetEnvironmentVariable("HWGEN_SEED");
        if (!string.IsNullOrEmpty(single))
        {
            if (!int.TryParse(single, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
                throw new InvalidOperationException($"HWGEN_SEED={single}: not an integer seed");
            return [seed];
        }
        int count = defaultCount;
        var countText = Environment.GetEnvironmentVariable("HWGEN_SEED_COUNT");
        if (!string.IsNullOrEmpty(countText) && (!int.TryParse(countText, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < 1))
            throw new InvalidOperationException($"HWGEN_SEED_COUNT={countText}: not a positive number of seeds");
        return Enumerable.Range(1, count);
    }
}
