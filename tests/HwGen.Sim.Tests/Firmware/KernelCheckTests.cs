using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Firmware;

/// <summary>
/// The library OS's promises, checked by tests/firmware/apps/kernel-check (one scenario per run, chosen by the
/// first byte on the UART) on the golden model, and the trap report and the timer in lockstep with the RTL.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed partial class KernelCheckTests
{
    // kernel.h's exit codes.
    private const int ExitTrap = 0x100;
    private const int ExitStackOverflow = 0x300;
    private const int ExitDeadlock = 0x301;
    private const int ExitHeap = 0x302;

    [Test]
    public void HeapIsFirstFitAndCoalescesWithBothNeighbours()
    {
        var result = Run("h");

        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
        var lines = result.UartOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(13), result.UartOutput);
        Assert.That(lines, Has.All.EndsWith(": ok"), result.UartOutput);
    }

    [Test]
    public void DoubleFreeEndsTheProgram()
    {
        var result = Run("d");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitHeap), result.UartOutput);
            Assert.That(result.UartOutput, Does.Match(@"^freeing again\n\n\*\*\* heap: free\(0x8[0-9a-f]{7}\): not a block that malloc handed out \(or freed twice\)\n$"));
        });
    }

    [Test]
    public void ThreadsYieldRoundRobinAndJoinReturnsTheirResults()
    {
        var result = Run("y");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
            Assert.That(result.UartOutput, Is.EqualTo("ids 1 2 3\na1 b1 c1 a2 b2 c2 a3 b3 c3 \nresults a b c\n\nreused id 1\nd1 d2 d3 \n"));
        });
    }

    [Test]
    public void SleepersWakeInTheOrderOfTheirDeadlines()
    {
        var result = Run("s");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
            Assert.That(result.UartOutput, Is.EqualTo("woke after 10000\nwoke after 20000\nwoke after 30000\ntimer_sleep waits at least its ticks: ok\n"));
        });
    }

    [Test]
    public void OverwrittenGuardWordsEndTheProgram()
    {
        var result = Run("o");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitStackOverflow), result.UartOutput);
            Assert.That(result.UartOutput, Does.Match(@"\n\*\*\* thread 1: stack overflow: guard word at 0x8[0-9a-f]{7} is 0x[0-9a-f]{8}\n$"));
            Assert.That(result.UartOutput, Does.Not.Contain("joined"));
        });
    }

    [Test]
    public void EveryThreadWaitingIsADeadlock()
    {
        var result = Run("x");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitDeadlock), result.UartOutput);
            Assert.That(result.UartOutput, Is.EqualTo("\n*** thread 1: deadlock: every thread waits for another\n"));
        });
    }

    [Test]
    public void ExitFromAThreadEndsTheProgramWithItsCode()
    {
        var result = Run("e");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Failed));
            Assert.That(result.ExitCode, Is.EqualTo(42));
            Assert.That(result.UartOutput, Is.EqualTo("exiting with 42\n"));
        });
    }

    [Test]
    public void ReadlineEndsLinesAtCrOrLfAndHonoursBackspace()
    {
        var result = Run("rhello\r\nwor\bld\n\r\nabcdefghij\nquit\n");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
            // "\r\n" ends one line, not two: after "wold\n", "\r\n" is one empty line; a line longer than the buffer is cut.
            Assert.That(result.UartOutput, Is.EqualTo("[hello] 5\n[wold] 4\n[] 0\n[abcdefg] 7\n"));
        });
    }

    [TestCase("i", 0)]
    [TestCase("I", 1)]
    public void IllegalInstructionIsReportedWithItsPcWordAndThread(string scenario, int thread)
    {
        var build = UnikernelTestSupport.Built("kernel-check");
        var elf = ElfImage.Load(build.ElfPath, MemoryMap.Simulation);
        Assert.That(elf.TryGetSymbol("check_illegal", out uint pc), Is.True);

        var result = Run(scenario);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitTrap | 2), result.UartOutput);
            Assert.That(result.UartOutput, Does.Contain(string.Create(CultureInfo.InvariantCulture,
                $"*** trap: mcause 0x00000002 (illegal instruction) at pc 0x{pc:x8}, mtval 0x00000000, instruction 0x00000000\n")));
            Assert.That(result.UartOutput, Does.Match(@"\n    ra 0x[0-9a-f]{8} sp 0x[0-9a-f]{8} gp 0x[0-9a-f]{8} tp 0x[0-9a-f]{8} in thread " + thread + "\n$"));
        });
    }

    [Test]
    public void LoadAccessFaultIsReportedWithTheAddressAndTheLoadInstruction()
    {
        var build = UnikernelTestSupport.Built("kernel-check");
        var elf = ElfImage.Load(build.ElfPath, MemoryMap.Simulation);

        var result = Run("l");

        Assert.That(result.ExitCode, Is.EqualTo(ExitTrap | 5), result.UartOutput);
        var match = TrapLine().Match(result.UartOutput);
        Assert.That(match.Success, Is.True, result.UartOutput);
        uint pc = uint.Parse(match.Groups["pc"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        uint word = uint.Parse(match.Groups["insn"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(match.Groups["cause"].Value, Is.EqualTo("00000005 (load access fault)"));
            Assert.That(uint.Parse(match.Groups["mtval"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), Is.EqualTo(SocHeader.UnmappedAddress(MemoryMap.Simulation)));
            Assert.That(word, Is.EqualTo(WordAt(elf, pc)), "the instruction word printed is the one at pc");
            Assert.That(word & 0x7f, Is.EqualTo(0x03u), "a load");
        });
    }

    [Test]
    public void ErrnoLivesInTheThreadLocalBlockThatTpPointsAt()
    {
        var result = Run("t");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
            Assert.That(result.UartOutput, Is.EqualTo(
                "tp points at the thread-local block: ok\nerrno starts at 0: ok\nstrtol sets errno to ERANGE: ok\nerrno lies in .tbss: ok\n"));
        });
    }

    [Test]
    public void UnknownScenarioFailsWithExitCodeOne()
    {
        var result = Run("?");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.UartOutput, Is.EqualTo("unknown scenario '?'\n"));
        });
    }

    /// <summary>
    /// The trap handler's report, the sleeping threads (timer reads and a busy sleep), the context switches of yields
    /// and joins, and line input in lockstep with the RTL, with the golden model's output.
    /// </summary>
    [TestCase("i", 0x102)]
    [TestCase("s", 0)]
    [TestCase("y", 0)]
    [TestCase("rone\r\ntw\bo\nquit\n", 0)]
    public void ScenarioRunsInLockstep(string scenario, int exitCode)
    {
        var build = UnikernelTestSupport.Built("kernel-check");
        var golden = Run(scenario);

        var result = SimRunner.Run(new SimOptions(build.ElfPath)
        {
            Cosim = true,
            MaxCycles = 2_000_000,
            UartInput = System.Text.Encoding.Latin1.GetBytes(scenario),
            Progress = TestContext.Progress.WriteLine,
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.Divergence, Is.Null, result.Uart);
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Uart);
            Assert.That(result.Uart, Is.EqualTo(golden.UartOutput));
        });
    }

    private static IssRunResult Run(string uartInput) => UnikernelTestSupport.RunOnGoldenModel(UnikernelTestSupport.Built("kernel-check"), uartInput);

    private static uint WordAt(ElfImage elf, uint address)
    {
        var segment = elf.Segments.Single(s => address - s.Address < s.FileSize);
        return BinaryPrimitives.ReadUInt32LittleEndian(segment.Data.AsSpan((int)(address - segment.Address)));
    }

    [GeneratedRegex(@"\*\*\* trap: mcause 0x(?<cause>[0-9a-f]{8} \([a-z ]+\)) at pc 0x(?<pc>[0-9a-f]{8}), mtval 0x(?<mtval>[0-9a-f]{8}), instruction 0x(?<insn>[0-9a-f]{8})\n")]
    private static partial Regex TrapLine();
}
