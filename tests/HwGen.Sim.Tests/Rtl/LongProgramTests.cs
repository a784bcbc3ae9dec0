using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The long programs (tests/long/*.S: millions of instructions, e.g. the trace's order counting past 2^21) on the RTL,
/// every retired instruction compared with the golden model, with a cycle limit of their own.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class LongProgramTests
{
    /// <summary>Enough for each program, by a margin of about two.</summary>
    private const ulong MaxCycles = 10_000_000;

    public static IEnumerable<TestCaseData> LongPrograms()
    {
        var folder = FirmwareTestSupport.InRepository("tests/long");
        var files = Directory.GetFiles(folder, "*.S").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new InvalidOperationException($"{folder}: no .S programs");
        return files.Select(f => new TestCaseData(Path.GetFileName(f)).SetName($"Long({Path.GetFileNameWithoutExtension(f)})"));
    }

    [TestCaseSource(nameof(LongPrograms))]
    public void PassesOnTheRtlInLockstep(string fileName)
    {
        var (result, elf) = RtlRun.BuildAndCosim([FirmwareTestSupport.InRepository("tests/long/" + fileName)], includeRuntime: false,
            maxCycles: MaxCycles, includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(result, elf));
            Assert.That(result.Instret, Is.GreaterThan(1UL << 21), "the program retires more than 2^21 instructions");
        });
    }
}
