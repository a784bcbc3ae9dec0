using System.Text.Json;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary><c>hwgen sim</c>: results, exit codes and the errors for bad programs.</summary>
[TestFixture]
public sealed class SimCommandTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Builds a bare assembly program (its own _start, a tohost word) linked for the simulation RAM.</summary>
    private string Assemble(string name, string body)
    {
        var source = _temp.WriteFile(name + ".S", $$"""
            .section .text.init
            .globl _start
            _start:
            {{body}}
            .section .tohost, "aw", @progbits
            .align 3
            .globl tohost
            tohost: .dword 0
            .globl fromhost
            fromhost: .dword 0
            """);
        return RiscvToolchain.Find().Build(new BuildRequest([source], _temp.Combine(name, name + ".elf")) { IncludeRuntime = false }).ElfPath;
    }

    private static JsonElement Json(CliRun run)
    {
        Assert.That(run.Stdout.Trim().Split('\n'), Has.Length.EqualTo(1), "--json prints one object:\n" + run);
        return JsonDocument.Parse(run.Stdout).RootElement;
    }

    [Test]
    public void ACProgramPrintsThroughTheUartInLockstep()
    {
        var hello = _temp.WriteFile("hello.c", """
            #include "console.h"
            int main(void) { puts("hello, lockstep"); return 0; }
            """);
        var run = Cli.Run("sim", hello, "--cosim");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("hello, lockstep").And.Contain("passed"));
    }

    [Test]
    public void JsonReportsStatusCountsAndUart()
    {
        var hello = _temp.WriteFile("hello.c", """
            #include "console.h"
            int main(void) { puts("json"); return 0; }
            """);
        var json = Json(Cli.Run("sim", hello, "--json"));
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("passed"));
            Assert.That(json.GetProperty("exitCode").GetInt32(), Is.EqualTo(0));
            Assert.That(json.GetProperty("uart").GetString(), Is.EqualTo("json\n"));
            Assert.That(json.GetProperty("instret").GetInt64(), Is.GreaterThan(10));
            Assert.That(json.GetProperty("cycles").GetInt64(), Is.GreaterThanOrEqualTo(json.GetProperty("instret").GetInt64()));
            Assert.That(json.GetProperty("cpi").GetDouble(), Is.GreaterThanOrEqualTo(1.0));
            Assert.That(json.GetProperty("divergence").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(json.GetProperty("violations").GetArrayLength(), Is.EqualTo(0));
        });
    }

    [Test]
    public void UartInputReachesTheProgram()
    {
        var echo = _temp.WriteFile("echo.c", """
            #include "console.h"
            int main(void)
            {
                for (int i = 0; i < 3; i++)
                {
                    int c = getchar();
                    putchar(c >= 'a' && c <= 'z' ? c - 32 : c);
                }
                putchar('\n');
                return 0;
            }
            """);
        var input = _temp.WriteFile("input.txt", "abc");
        var json = Json(Cli.Run("sim", echo, "--uart-in", input, "--json", "--cosim"));
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("passed"));
        Assert.That(json.GetProperty("uart").GetString(), Is.EqualTo("ABC\n"));
    }

    [Test]
    public void TheProgramsExitCodeIsReportedAndFailsTheRun()
    {
        var elf = Assemble("fail", """
                la t0, tohost
                li t1, (3 << 1) | 1
                sw t1, 0(t0)
            1:  j 1b
            """);
        var run = Cli.Run("sim", elf, "--json");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        var json = Json(run);
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(json.GetProperty("exitCode").GetInt32(), Is.EqualTo(3));
    }

    /// <summary>
    /// A loop of 200 taken backward branches runs on a core with each predictor: without one every taken branch costs
    /// a bubble, the static predictor takes backward branches, the BTB learns the branch.
    /// </summary>
    [Test]
    public void EveryBranchPredictorRunsTheProgramAndThePredictingOnesTakeFewerCycles()
    {
        var elf = Assemble("loop", """
                li t0, 200
            1:  addi t0, t0, -1
                bnez t0, 1b
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            2:  j 2b
            """);
        var cycles = new Dictionary<string, long>();
        foreach (var predictor in new[] { "none", "static", "btb" })
        {
            var run = Cli.Run("sim", elf, "--predictor", predictor, "--json");
            Assert.That(run.ExitCode, Is.EqualTo(0), predictor + "\n" + run);
            var json = Json(run);
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("passed"), predictor);
            cycles[predictor] = json.GetProperty("cycles").GetInt64();
        }
        TestContext.Out.WriteLine(string.Join(", ", cycles.Select(c => $"{c.Key} {c.Value} cycles")));
        Assert.That(cycles["static"], Is.LessThan(cycles["none"] - 150), "the static predictor takes the backward branch");
        Assert.That(cycles["btb"], Is.LessThan(cycles["none"] - 150), "the BTB learns the branch");
    }

    [TestCase("--predictor", "gshare", "--predictor gshare", "none, static, btb")]
    [TestCase("--btb-entries", "48", "--btb-entries 48", "power of two")]
    [TestCase("--btb-entries", "8192", "--btb-entries 8192", "power of two")]
    public void ABadCoreOptionIsAUsageErrorNamingIt(string option, string value, string named, string hint)
    {
        var run = Cli.Run("sim", "crc32", option, value);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(named).And.Contain(hint));
    }

    [Test]
    public void BtbEntriesWithAnotherPredictorIsAUsageError()
    {
        var run = Cli.Run("sim", "crc32", "--predictor", "static", "--btb-entries", "16");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("--btb-entries 16").And.Contain("--predictor btb"));
    }

    [Test]
    public void AProgramThatNeverEndsStopsAtTheCycleLimit()
    {
        var elf = Assemble("forever", "1:  j 1b");
        var run = Cli.Run("sim", elf, "--max-cycles", "5000", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        var json = Json(run);
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("timeout"));
        Assert.That(json.GetProperty("cycles").GetInt64(), Is.EqualTo(5000));
    }

    [Test]
    public void AMissingFileIsAUsageError()
    {
        var run = Cli.Run("sim", _temp.Combine("nothing.elf"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(run.Stderr, Does.Contain("nothing.elf").And.Contain("no such file"));
    }

    [Test]
    public void AFileThatIsNotAnElfIsAUsageError()
    {
        var path = _temp.WriteFile("text.elf", "this is not an executable\n");
        var run = Cli.Run("sim", path);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(run.Stderr, Does.Contain("text.elf").And.Contain("not an ELF file"));
    }

    [Test]
    public void AnRv64ElfIsRejected()
    {
        var source = _temp.WriteFile("rv64.S", ".globl _start\n_start: j _start\n");
        var gcc = HwGen.Gen.Tools.ExternalTools.RiscvGcc.Locate()!;
        var output = _temp.Combine("rv64.elf");
        var build = HwGen.Gen.Tools.ProcessRunner.Run(gcc, ["-march=rv64i", "-mabi=lp64", "-nostdlib", "-static", "-Wl,-Ttext=0x80000000", "-o", output, source]);
        Assert.That(build.Succeeded, Is.True, build.Output);
        var run = Cli.Run("sim", output);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("rv64.elf").And.Contain("ELFCLASS32"));
    }

    [Test]
    public void AnElfOutsideRamIsRejected()
    {
        var source = _temp.WriteFile("low.S", ".globl _start\n_start: j _start\n");
        var gcc = HwGen.Gen.Tools.ExternalTools.RiscvGcc.Locate()!;
        var output = _temp.Combine("low.elf");
        var build = HwGen.Gen.Tools.ProcessRunner.Run(gcc, ["-march=rv32i", "-mabi=ilp32", "-nostdlib", "-static", "-Wl,-N", "-Wl,-Ttext=0x1000", "-o", output, source]);
        Assert.That(build.Succeeded, Is.True, build.Output);
        var run = Cli.Run("sim", output);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("low.elf").And.Contain("outside RAM").And.Contain($"0x{MemoryMap.Simulation.RamBase:x8}").IgnoreCase);
    }

    [Test]
    public void AProgramThatDoesNotBuildIsAUsageErrorWithTheCompilerMessage()
    {
        var broken = _temp.WriteFile("broken.c", "int main(void) { return undefined_name; }\n");
        var run = Cli.Run("sim", broken);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("broken.c:1").And.Contain("undefined_name"));
    }

    [Test]
    public void ATraceListsEveryRetiredInstructionReadably()
    {
        var elf = Assemble("traced", """
                li a0, 3
            1:  addi a0, a0, -1
                bnez a0, 1b
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            2:  j 2b
            """);
        var trace = _temp.Combine("traced.log");
        var json = Json(Cli.Run("sim", elf, "--trace", trace, "--json"));
        var lines = File.ReadAllLines(trace);
        Assert.That(lines, Has.Length.EqualTo(json.GetProperty("instret").GetInt32()));
        Assert.That(lines[0], Does.StartWith("#0 80000000: 00300513 addi a0, zero, 3").And.EndWith("a0=0x00000003"));
        Assert.That(lines.Count(l => l.Contains("bnez a0,", StringComparison.Ordinal) || l.Contains("bne a0, zero,", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(lines[^1], Does.Contain("sw t1, 0(t0)").And.Contain("wmask f <- 0x00000001"));
    }

    [Test]
    public void AWaveformIsWritten()
    {
        var elf = Assemble("short", """
                li a0, 5
            1:  addi a0, a0, -1
                bnez a0, 1b
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            2:  j 2b
            """);
        var wave = _temp.Combine("short.vcd");
        var run = Cli.Run("sim", elf, "--wave", wave);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllText(wave), Does.Contain("$enddefinitions").And.Contain("Trace_PcRdata"));
    }
}
