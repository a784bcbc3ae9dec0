using System.Diagnostics;
using System.Globalization;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using HwGen.Sim.Tests.Programs;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>C programs built with the runtime, run on the Verilated SoC in lockstep with the golden model (<c>hwgen sim --cosim</c>).</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ProgramCosimTests
{
    /// <summary>
    /// The CRC-32 benchmark at its full size (crc32.c's defaults, passed explicitly so that the C and the C#
    /// computation agree): about 20 million instructions, some 10 seconds in lockstep.
    /// </summary>
    private const int CrcBufferWords = 4096;
    private const int CrcRounds = 19;

    [Test]
    public void HelloPrintsItsLine()
    {
        var run = Run([FirmwareTestSupport.InRepository("tests/programs/hello.c")], defines: null, maxCycles: 2_000_000);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
            Assert.That(run.Result.Uart, Is.EqualTo("Hello from HwGen!\n"), run.Describe);
        });
    }

    [Test]
    public void TheUartTakesBytesAndHalfwordsAtTheirFirstByte()
    {
        var (result, elf) = RtlRun.BuildAndCosim([FirmwareTestSupport.InRepository("tests/programs/uart_widths.c")], includeRuntime: true,
            uartInput: "AB"u8.ToArray());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), RtlRun.Describe(result, elf));
            Assert.That(result.Uart, Is.EqualTo("hi\n"), "sb and sh to data send their low byte; sb to data + 1 sends nothing");
        });
    }

    [Test]
    public void Crc32PrintsTheValueComputedInCSharp()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-rtl-tests", "crc32-" + Guid.NewGuid().ToString("N"));
        var source = FirmwareSources.WriteBenchmark("crc32.c", directory);
        var defines = new Dictionary<string, string?>
        {
            ["CRC32_BUFFER_WORDS"] = CrcBufferWords.ToString(CultureInfo.InvariantCulture),
            ["CRC32_ROUNDS"] = CrcRounds.ToString(CultureInfo.InvariantCulture),
        };
        var expected = string.Create(CultureInfo.InvariantCulture, $"crc32 0x{Crc32Tests.Reference(CrcBufferWords, CrcRounds):x8}\n");

        var run = Run([source], defines, maxCycles: 50_000_000);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
            Assert.That(run.Result.Uart, Is.EqualTo(expected), run.Describe);
        });
        Directory.Delete(directory, recursive: true);
    }

    private static ProgramRun Run(IReadOnlyList<string> sources, IReadOnlyDictionary<string, string?>? defines, ulong maxCycles)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-rtl-tests", Guid.NewGuid().ToString("N"));
        var build = FirmwareTestSupport.Toolchain.Build(new BuildRequest(sources, Path.Combine(directory, "program.elf"))
        {
            MemoryMap = MemoryMap.Simulation,
            IncludeRuntime = true,
            Defines = defines ?? new Dictionary<string, string?>(),
        });
        var clock = Stopwatch.StartNew();
        var result = SimRunner.Run(new SimOptions(build.ElfPath)
        {
            Cosim = true,
            MaxCycles = maxCycles,
            Progress = TestContext.Progress.WriteLine,
        });
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(sources[0])}: {result.Instret} instructions in {result.Cycles} cycles (CPI {result.Cpi:F2}), {clock.Elapsed.TotalSeconds:F1} s in lockstep"));
        if (result.Status is SimStatus.Passed)
            Directory.Delete(directory, recursive: true);
        return new ProgramRun(result, build.ElfPath);
    }

    private sealed record ProgramRun(SimResult Result, string Elf)
    {
        public string Describe() => RtlRun.Describe(Result, Elf);
    }
}
