using System.Globalization;
using HwGen.Sim.Model;
using HwGen.Sim.Programs;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.RandomPrograms;

/// <summary>
/// Constrained-random RV32IM programs (<see cref="RandomProgram"/>) built and run on the golden model.
/// Seeds 1 to 20 by default; <c>HWGEN_SEED=N</c> runs only seed N, <c>HWGEN_SEED_COUNT=N</c> runs seeds 1 to N.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RandomProgramTests
{
    private const int DefaultSeedCount = 20;
    private const long MaxInstructions = 1_000_000;

    public static IEnumerable<TestCaseData> Seeds()
    {
        var single = Environment.GetEnvironmentVariable("HWGEN_SEED");
        if (!string.IsNullOrEmpty(single))
        {
            if (!int.TryParse(single, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
                throw new InvalidOperationException($"HWGEN_SEED={single}: not an integer seed");
            return [new TestCaseData(seed).SetName($"RandomProgram(seed {seed})")];
        }
        int count = DefaultSeedCount;
        var countText = Environment.GetEnvironmentVariable("HWGEN_SEED_COUNT");
        if (!string.IsNullOrEmpty(countText) && (!int.TryParse(countText, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < 1))
            throw new InvalidOperationException($"HWGEN_SEED_COUNT={countText}: not a positive number of seeds");
        return Enumerable.Range(1, count).Select(seed => new TestCaseData(seed).SetName($"RandomProgram(seed {seed})"));
    }

    [TestCaseSource(nameof(Seeds))]
    public void TerminatesAndPassesOnTheGoldenModel(int seed)
    {
        var program = RandomProgram.Generate(seed);
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-firmware-tests", "random-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"random_{seed}.S"));
        File.WriteAllText(source, program.Assembly);

        var run = FirmwareTestSupport.BuildAndRun([source], includeRuntime: false, MaxInstructions);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), () => Rerun(seed, source, run));
            Assert.That(run.Result.UartOutput, Does.Match(@"^checksum 0x[0-9a-f]{8}\n$"), () => Rerun(seed, source, run));
        });
        if (run.Result.Status == IssStatus.Passed)
            Directory.Delete(directory, recursive: true);
    }

    [Test]
    public void TheSameSeedGivesTheSameProgram()
    {
        var first = RandomProgram.Generate(7).Assembly;
        var second = RandomProgram.Generate(7).Assembly;

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void DifferentSeedsGiveDifferentPrograms()
    {
        var seven = RandomProgram.Generate(7).Assembly;
        var eight = RandomProgram.Generate(8).Assembly;

        Assert.That(eight, Is.Not.EqualTo(seven));
    }

    [Test]
    public void TheBodyNeverWritesTheReservedRegisters()
    {
        var body = Body(RandomProgram.Generate(11, new RandomProgramOptions { BodyItems = 2000 }).Assembly);

        // The destination of every instruction that has one (stores and branches have none); the loops
        // write their counter as s1 and nothing else names it.
        var destinations = body
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.EndsWith(':'))
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2 && parts[0] is not ("sb" or "sh" or "sw") && !parts[0].StartsWith('b'))
            .Select(parts => parts[1].Split(',')[0].Trim())
            .ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(destinations, Has.None.AnyOf("x2", "x3", "x4", "x8", "x9", "sp", "gp", "tp", "s0"));
            Assert.That(destinations.Count(d => d == "s1"), Is.EqualTo(body.Count(l => l.Contains("li s1,", StringComparison.Ordinal)) * 2));
            Assert.That(destinations, Has.Some.EqualTo("x31"));
        });
    }

    /// <summary>The lines between the prologue and the epilogue.</summary>
    private static string[] Body(string assembly)
    {
        var lines = assembly.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("    csrw mscratch", StringComparison.Ordinal)) + 1;
        int end = Array.FindIndex(lines, l => l.Contains("epilogue", StringComparison.Ordinal));
        return lines[start..end];
    }

    private static string Rerun(int seed, string source, FirmwareRun run) =>
        string.Create(CultureInfo.InvariantCulture,
            $"random program seed {seed} failed; the program is {source}. Rerun this seed alone with: " +
            $"HWGEN_SEED={seed} dotnet test tests/HwGen.Sim.Tests --filter \"FullyQualifiedName~RandomProgramTests\"\n{run.Describe()}");
}
