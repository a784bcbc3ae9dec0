using System.Globalization;
using HwGen.Sim.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Isa;

/// <summary>
/// The ISA test suite (tests/isa/*.S): each program is built bare (its own _start) with the RISC-V
/// toolchain and run on the golden model, which must report success through tohost.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class IsaSuiteTests
{
    /// <summary>More than any program of the suite needs, by two orders of magnitude.</summary>
    private const long MaxInstructions = 5_000_000;

    public static IEnumerable<TestCaseData> SuitePrograms()
    {
        var folder = FirmwareTestSupport.InRepository("tests/isa");
        var files = Directory.GetFiles(folder, "*.S").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new InvalidOperationException($"{folder}: no .S programs");
        return files.Select(f => new TestCaseData(Path.GetFileName(f)).SetName($"Isa({Path.GetFileNameWithoutExtension(f)})"));
    }

    [TestCaseSource(nameof(SuitePrograms))]
    public void PassesOnTheGoldenModel(string fileName)
    {
        var run = FirmwareTestSupport.BuildAndRun(
            [FirmwareTestSupport.InRepository("tests/isa/" + fileName)], includeRuntime: false, MaxInstructions);

        var reason = run.Result.Status switch
        {
            IssStatus.Failed when run.Result.ExitCode == 1023 => "failed outside any numbered case",
            IssStatus.Failed => string.Create(CultureInfo.InvariantCulture, $"failed case {run.Result.ExitCode}"),
            IssStatus.Timeout => string.Create(CultureInfo.InvariantCulture, $"did not end within {MaxInstructions} instructions"),
            _ => "passed",
        };
        Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), () => $"{fileName} {reason}\n{run.Describe()}");
    }

    /// <summary>The frame reports a wrong result with the number of the failing case and what it got.</summary>
    [Test]
    public void AFailingCheckReportsItsCaseNumber()
    {
        var run = RunSnippet("wrong_result.S", """
            TEST_RR_OP(1, add, 3, 1, 2)
            TEST_RR_OP(2, sub, 1, 3, 2)
            TEST_RR_OP(3, add, 5, 2, 2)
            TEST_RR_OP(4, add, 4, 2, 2)
            """);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Failed), run.Describe);
            Assert.That(run.Result.ExitCode, Is.EqualTo(3), run.Describe);
            Assert.That(run.Result.UartOutput, Does.Contain("got 0x00000004 expected 0x00000005"), run.Describe);
            Assert.That(FirmwareTestSupport.FailingPc(run.Result.UartOutput), Is.Not.Null, run.Describe);
        });
    }

    /// <summary>A trap that no case expected ends the program with the running case's number and mcause.</summary>
    [Test]
    public void AnUnexpectedTrapReportsItsCaseNumberAndCause()
    {
        var run = RunSnippet("unexpected_trap.S", """
            TEST_RR_OP(1, add, 3, 1, 2)
            TEST_NUM(7)
            ecall
            TEST_RR_OP(8, add, 4, 2, 2)
            """);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Failed), run.Describe);
            Assert.That(run.Result.ExitCode, Is.EqualTo(7), run.Describe);
            Assert.That(run.Result.UartOutput, Does.Contain("unexpected trap: mcause 0x0000000b"), run.Describe);
        });
    }

    /// <summary>An expected trap that does not happen fails the case.</summary>
    [Test]
    public void AMissingTrapFailsTheCase()
    {
        var run = RunSnippet("missing_trap.S", """
            TEST_TRAP(5, CAUSE_MACHINE_ECALL, x0, nop)
            """);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Failed), run.Describe);
            Assert.That(run.Result.ExitCode, Is.EqualTo(5), run.Describe);
        });
    }

    private string? _snippetDirectory;

    /// <summary>The snippets fail on purpose; their build folders are removed here.</summary>
    [TearDown]
    public void DeleteSnippetBuild()
    {
        if (_snippetDirectory is not null && Directory.Exists(_snippetDirectory))
            Directory.Delete(_snippetDirectory, recursive: true);
    }

    private FirmwareRun RunSnippet(string fileName, string body)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-firmware-tests", "snippet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        _snippetDirectory = directory;
        var source = Path.Combine(directory, fileName);
        File.WriteAllText(source, $"""
            #include "test_macros.h"
            TEST_CODE_BEGIN
            {body}
            TEST_CODE_END
            TEST_DATA_BEGIN
            TEST_DATA_END

            """);
        return FirmwareTestSupport.BuildAndRun(
            [source], includeRuntime: false, MaxInstructions,
            includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")],
            workDirectory: directory);
    }
}
