using System.Text;
using System.Text.Json;
using System.Xml.Linq;
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
    private string Assemble(string name, string body, string data = "")
    {
        var source = _temp.WriteFile(name + ".S", $$"""
            .section .text.init
            .globl _start
            _start:
            {{body}}
            .data
            {{data}}
            .section .tohost, "aw", @progbits
            .align 3
            .globl tohost
            tohost: .dword 0
            .globl fromhost
            fromhost: .dword 0
            """);
        return RiscvToolchain.Find().Build(new BuildRequest([source], _temp.Combine(name, name + ".elf")) { IncludeRuntime = false }).ElfPath;
    }

    /// <summary>Builds an assembly source with the RISC-V GCC and the given flags, for ELFs the firmware builder would not make.</summary>
    private string Gcc(string name, string assembly, params string[] flags)
    {
        var source = _temp.WriteFile(name + ".S", assembly);
        var output = _temp.Combine(name + ".elf");
        var build = HwGen.Gen.Tools.ProcessRunner.Run(HwGen.Gen.Tools.ExternalTools.RiscvGcc.Locate()!, [.. flags, "-o", output, source]);
        Assert.That(build.Succeeded, Is.True, build.Output);
        return output;
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
    public void AUnikernelApplicationIsBuiltByTheFirmwareBuilderAndRunByName()
    {
        var run = Cli.Run("sim", "hello", "--cosim");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("joined: ping returned 4, pong returned 5").And.Contain("timer: ticking").And.Contain("passed"));
        Assert.That(File.Exists(Path.Combine("out", "firmware", "hello", "manifest.json")), Is.True, "the builder's manifest beside the ELF");
    }

    [Test]
    public void AnUnknownProgramNameListsTheBundledPrograms()
    {
        var run = Cli.Run("sim", "no-such-program");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("no-such-program: no such file, and not a bundled program (attacks, bench, crc32, hello)"));
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
    /// Under <c>--policy nxd-nwc</c> a store into the program's own code is denied: exit code 3, the JSON's violation
    /// names the store, its policy and reason, and the rule cache's figures are there.
    /// </summary>
    [Test]
    public void APolicyDeniesAStoreToCodeWithExitCode3()
    {
        var elf = Assemble("nwc", """
                la t0, victim
                sw zero, 0(t0)
            victim:
                nop
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            1:  j 1b
            """);
        var run = Cli.Run("sim", elf, "--policy", "nxd-nwc", "--max-cycles", "20000", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        var json = Json(run);
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("violation"));
        var violation = json.GetProperty("violations")[0];
        Assert.Multiple(() =>
        {
            Assert.That(violation.GetProperty("policy").GetString(), Is.EqualTo("nxd-nwc"));
            Assert.That(violation.GetProperty("reason").GetString(), Is.EqualTo("write to code"));
            Assert.That(Convert.ToUInt32(violation.GetProperty("insn").GetString(), 16) & 0x7F, Is.EqualTo(0b0100011u), "a store");
            var cache = json.GetProperty("ruleCache");
            Assert.That(cache.GetProperty("lookups").GetUInt64(), Is.EqualTo(cache.GetProperty("hits").GetUInt64() + cache.GetProperty("misses").GetUInt64()));
            Assert.That(cache.GetProperty("misses").GetUInt64(), Is.GreaterThan(0UL));
        });
    }

    [TestCase(new[] { "--policy", "no-such-policy" }, "--policy no-such-policy")]
    [TestCase(new[] { "--policy", "ret", "--rule-cache-entries", "512", "--rule-cache-ways", "1" }, "--rule-cache-entries 512: the rule cache has at most 256 sets")]
    [TestCase(new[] { "--policy", "ret", "--rule-cache-ways", "3" }, "--rule-cache-ways 3")]
    [TestCase(new[] { "--rule-cache-entries", "16" }, "--rule-cache-entries: the rule cache is built only with --policy")]
    public void BadPolicyOptionsAreUsageErrors(string[] options, string message)
    {
        var elf = Assemble("pass", """
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            1:  j 1b
            """);
        var run = Cli.Run(["sim", elf, .. options]);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(message), run.ToString());
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
        var output = Gcc("rv64", ".globl _start\n_start: j _start\n", "-march=rv64i", "-mabi=lp64", "-nostdlib", "-static", "-Wl,-Ttext=0x80000000");
        var run = Cli.Run("sim", output);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("rv64.elf").And.Contain("ELFCLASS32"));
    }

    [Test]
    public void AnElfOutsideRamIsRejected()
    {
        var output = Gcc("low", ".globl _start\n_start: j _start\n", "-march=rv32i", "-mabi=ilp32", "-nostdlib", "-static", "-Wl,-N", "-Wl,-Ttext=0x1000");
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

    [Test]
    public void ConsoleOutputLongerThanTheHarnessBufferArrivesWhole()
    {
        var chatty = _temp.WriteFile("chatty.c", """
            #include "console.h"
            int main(void)
            {
                for (int line = 0; line < 700; line++)
                {
                    for (int digit = 1000; digit > 0; digit /= 10)
                        putchar('0' + line / digit % 10);
                    puts(" abcd");
                }
                return 0;
            }
            """);
        var expected = new StringBuilder();
        for (int line = 0; line < 700; line++)
            expected.Append($"{line:D4} abcd\n");
        Assert.That(expected.Length, Is.GreaterThan(5_000));

        var json = Json(Cli.Run("sim", chatty, "--json"));
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("passed"));
        Assert.That(json.GetProperty("uart").GetString(), Is.EqualTo(expected.ToString()), "every byte, in order");

        var text = Cli.Run("sim", chatty);
        Assert.That(text.ExitCode, Is.EqualTo(0), text.ToString());
        Assert.That(text.Stdout, Does.StartWith(expected.ToString()), "the echoed console loses nothing either");
    }

    /// <summary>
    /// A store rewrites the instruction right behind it with no <c>fence.i</c>: the pipeline has already fetched the old
    /// word and runs it, the golden model runs the new one. The run reports the state at that instruction, counted from
    /// the program's first cycle (the 8 KiB of data loaded before it do not count).
    /// </summary>
    [Test]
    public void ADivergenceReportsTheStateAtTheDivergingInstruction()
    {
        var elf = Assemble("diverge", StaleInstruction, ".fill 2048, 4, 0x12345678");
        var run = Cli.Run("sim", elf, "--cosim", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        var json = Json(run);
        var divergence = json.GetProperty("divergence");
        long cycles = json.GetProperty("cycles").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("divergence"));
            Assert.That(divergence.GetProperty("order").GetInt64(), Is.EqualTo(StaleOrder), "the instructions before the stale one");
            Assert.That(json.GetProperty("instret").GetInt64(), Is.EqualTo(StaleOrder + 1), "the stale one retired");
            Assert.That(divergence.GetProperty("field").GetString(), Is.EqualTo("insn"));
            Assert.That(divergence.GetProperty("rtl").GetString(), Is.EqualTo("0x00100593"), "addi a1, zero, 1: the word fetched before the store");
            Assert.That(divergence.GetProperty("model").GetString(), Is.EqualTo("0x00200593"), "addi a1, zero, 2: the word stored");
            Assert.That(divergence.GetProperty("cycle").GetInt64(), Is.EqualTo(cycles), "one cycle count, the diverging instruction's");
            Assert.That(cycles, Is.InRange(StaleOrder + 2, StaleOrder + 40), "from the first instruction, without the loading cycles");
            Assert.That(json.GetProperty("trap").ValueKind, Is.EqualTo(JsonValueKind.Null), "nothing trapped");
        });
        var wave = divergence.GetProperty("wave").GetString()!;
        Assert.That(Path.GetFullPath(wave), Does.StartWith(Path.GetFullPath(Path.Combine("out", "sim", "diverge"))), "the output folder, not the ELF's");
        Assert.That(File.ReadAllText(wave), Does.Contain("$enddefinitions"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(elf)!, "*.vcd"), Is.Empty);

        var text = Cli.Run("sim", elf, "--cosim");
        Assert.That(text.Stdout, Does.Contain($"{StaleOrder + 1} instructions in {cycles} cycles")
            .And.Contain($"divergence at instruction #{StaleOrder} (cycle {cycles}): insn: RTL 0x00100593, golden model 0x00200593")
            .And.Contain("waveform around the divergence: " + wave));
    }

    /// <summary>
    /// Rewrites the instruction right behind a store without <c>fence.i</c> (<c>addi a1, zero, 1</c> becomes
    /// <c>addi a1, zero, 2</c>), after 207 instructions (<see cref="StaleOrder"/>), then passes.
    /// </summary>
    private const string StaleInstruction = """
            li a0, 6
            li t0, 100
        1:  addi t0, t0, -1
            bnez t0, 1b
            la t0, 2f
            li t1, 0x00200593
            sw t1, 0(t0)
        2:  addi a1, x0, 1
            la t0, tohost
            li t1, 1
            sw t1, 0(t0)
        3:  j 3b
        """;

    /// <summary>The order of the stale instruction of <see cref="StaleInstruction"/>: 2 + 2 × 100 + 2 + 2 + 1.</summary>
    private const long StaleOrder = 207;

    [Test]
    public void AnElfWithCompressedInstructionsIsRefused()
    {
        var output = Gcc("rvc", ".globl _start\n_start: c.addi a0, 1\n j _start\n", "-march=rv32imc", "-mabi=ilp32", "-nostdlib", "-static", "-Wl,-Ttext=0x80000000");
        var run = Cli.Run("sim", output);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("rvc.elf").And.Contain("no C extension").And.Contain("-march=rv32im_zicsr"));
        Assert.That(run.Stdout, Is.Empty);
    }

    [Test]
    public void AnElfWithoutTohostIsNamedAtTheStartWithWhatEndsTheRun()
    {
        var output = Gcc("notohost", ".globl _start\n_start: j _start\n", "-march=rv32i", "-mabi=ilp32", "-nostdlib", "-static", "-Wl,-N", "-Wl,-Ttext=0x80000000");
        var run = Cli.Run("sim", output, "--max-cycles", "3000");
        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("notohost.elf").And.Contain("no 'tohost' symbol").And.Contain("3000 cycles, --max-cycles"));
        Assert.That(run.Stdout, Does.Contain("stopped at the cycle limit"));
    }

    /// <summary>Three bare programs in a folder (beside a file that is not an ELF): one passes, one fails case 3, one never ends.</summary>
    private string MixedSuite()
    {
        var folder = _temp.Combine("suite");
        Directory.CreateDirectory(folder);
        var programs = new Dictionary<string, string>
        {
            ["a_pass"] = """
                    la t0, tohost
                    li t1, 1
                    sw t1, 0(t0)
                1:  j 1b
                """,
            ["b_fail"] = """
                    la t0, tohost
                    li t1, (3 << 1) | 1
                    sw t1, 0(t0)
                1:  j 1b
                """,
            ["c_forever"] = "1:  j 1b",
        };
        foreach (var (name, body) in programs)
            File.Copy(Assemble(name, body), Path.Combine(folder, name));
        File.WriteAllText(Path.Combine(folder, "README.txt"), "not a program\n");
        return folder;
    }

    [Test]
    public void AFolderOfProgramsRunsInOneCallWithAnArrayOfResultsAndTheWorstExitCode()
    {
        var folder = MixedSuite();
        var run = Cli.Run("sim", folder, "--max-cycles", "5000", "--jobs", "2", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(5), "the worst of passed, failed and timeout: the cycle limit\n" + run);
        var results = Json(run).EnumerateArray().ToArray();
        Assert.That(results.Select(r => Path.GetFileName(r.GetProperty("program").GetString())), Is.EqualTo(new[] { "a_pass", "b_fail", "c_forever" }));
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "passed", "failed", "timeout" }));
            Assert.That(results.Select(r => r.GetProperty("exitCode").GetInt32()), Is.EqualTo(new[] { 0, 3, 0 }));
            Assert.That(results[1].GetProperty("failingTest").GetInt32(), Is.EqualTo(3));
            Assert.That(results[0].GetProperty("failingTest").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(results[0].GetProperty("instret").GetInt64(), Is.EqualTo(4), "la (2), li, sw");
            Assert.That(results[2].GetProperty("cycles").GetInt64(), Is.EqualTo(5000));
        });

        var passing = Cli.Run("sim", Path.Combine(folder, "a_pass"), Path.Combine(folder, "a_pass"), "--json");
        Assert.That(passing.ExitCode, Is.EqualTo(0), passing.ToString());
        Assert.That(Json(passing).GetArrayLength(), Is.EqualTo(2), "two programs named give an array");
    }

    [Test]
    public void ManyProgramsPrintATableAndASummaryLine()
    {
        var folder = MixedSuite();
        var run = Cli.Run("sim", Path.Combine(folder, "b_fail"), folder, "--max-cycles", "5000");
        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        var rows = run.Stdout.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain("program").And.Contain("failing test").And.Contain("CPI"));
            Assert.That(rows.Count(l => l.Contains("b_fail", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal)), Is.EqualTo(2));
            Assert.That(rows.Single(l => l.Contains("a_pass", StringComparison.Ordinal)), Does.Match(@"passed\s*│\s*0\s*│\s*\d+\s*│\s*4\s*│"));
            Assert.That(rows.Single(l => l.Contains("c_forever", StringComparison.Ordinal)), Does.Match(@"timeout\s*│\s*0\s*│\s*5000\s*│"));
            Assert.That(rows.First(l => l.Contains("b_fail", StringComparison.Ordinal)), Does.Match(@"failed\s*│\s*3\s*│.*│\s*3\s*│$"));
            Assert.That(run.Stdout, Does.Match(@"hwgen: 4 programs: 1 passed, 2 failed, 1 timeout in \d+\.\d s"));
        });
    }

    [Test]
    public void JunitXmlHasACasePerProgramAndTheFailures()
    {
        var folder = MixedSuite();
        var report = _temp.Combine("reports", "sim.xml");
        var run = Cli.Run("sim", folder, "--max-cycles", "5000", "--junit", report, "--json");
        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        var suite = XDocument.Load(report).Root!.Element("testsuite")!;
        var cases = suite.Elements("testcase").ToDictionary(c => Path.GetFileName((string)c.Attribute("name")!));
        Assert.Multiple(() =>
        {
            Assert.That((int)suite.Attribute("tests")!, Is.EqualTo(3));
            Assert.That((int)suite.Attribute("failures")!, Is.EqualTo(1));
            Assert.That((int)suite.Attribute("errors")!, Is.EqualTo(1));
            Assert.That(cases.Keys, Is.EquivalentTo(new[] { "a_pass", "b_fail", "c_forever" }));
            Assert.That(cases["a_pass"].Elements().Where(e => e.Name != "system-out"), Is.Empty);
            Assert.That((string)cases["b_fail"].Element("failure")!.Attribute("type")!, Is.EqualTo("failed"));
            Assert.That((string)cases["b_fail"].Element("failure")!.Attribute("message")!, Does.Contain("exit code 3").And.Contain("first failing test 3"));
            Assert.That((string)cases["c_forever"].Element("error")!.Attribute("type")!, Is.EqualTo("timeout"));
            Assert.That(cases.Values.Select(c => (double)c.Attribute("time")!), Is.All.GreaterThan(0));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(report)!), Is.EqualTo(new[] { report }), "no temporary file is left");
        });
    }

    /// <summary>Squares 6 with <c>mul</c> (a trap on a core without M) and passes.</summary>
    private const string SquareAndPass = """
            li a0, 6
            mul a1, a0, a0
            la t0, tohost
            li t1, 1
            sw t1, 0(t0)
        1:  j 1b
        """;

    /// <summary>A divergence outranks a program stopped at the cycle limit, though its exit code (4) is the smaller number.</summary>
    [Test]
    public void ADivergenceIsTheWorstOutcomeOfABatch()
    {
        var folder = _temp.Combine("worst");
        Directory.CreateDirectory(folder);
        File.Copy(Assemble("forever", "1:  j 1b"), Path.Combine(folder, "forever"));
        File.Copy(Assemble("stale", StaleInstruction), Path.Combine(folder, "stale"));

        var run = Cli.Run("sim", folder, "--cosim", "--max-cycles", "3000", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        Assert.That(Json(run).EnumerateArray().Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "timeout", "divergence" }));
    }

    /// <summary>
    /// A second process finds what the first one's elaboration gave beside the cached model and runs the program without
    /// elaborating, with the same result; a core built otherwise is not taken for it.
    /// </summary>
    [Test]
    public void ALaterProcessRunsWithoutElaboratingAgain()
    {
        var elf = Assemble("again", SquareAndPass);
        HwGen.Gen.Tools.ProcessResult Hwgen(params string[] args) =>
            HwGen.Gen.Tools.ProcessRunner.Run("dotnet", [typeof(Program).Assembly.Location, "sim", elf, .. args], _temp.Path);

        var first = Hwgen("--json");
        var second = Hwgen("--json");
        var other = Hwgen("--no-m", "--max-cycles", "5000", "--json");

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.EqualTo(0), first.Output);
            Assert.That(second.ExitCode, Is.EqualTo(0), second.Output);
            Assert.That(Strip(second.Stdout), Is.EqualTo(Strip(first.Stdout)), "the same result");
            Assert.That(other.ExitCode, Is.EqualTo(5), "the core without M traps on mul and never reaches tohost: " + other.Output);
        });

        var text = Hwgen();
        Assert.That(text.Stderr, Does.Contain("elaborated by an earlier run"), text.Output);

        // The run's time differs from run to run; the rest does not.
        static string Strip(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"seconds\":[0-9.]+", "");
    }

    [Test]
    public void NoJobsIsAUsageError()
    {
        var run = Cli.Run("sim", MixedSuite(), "--jobs", "0");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("--jobs 0").And.Contain("at least 1"));
    }

    [Test]
    public void AWaveformOfManyProgramsIsAUsageError()
    {
        var folder = MixedSuite();
        var run = Cli.Run("sim", folder, "--wave", _temp.Combine("all.vcd"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("--wave").And.Contain("one program").And.Contain("3 programs"));
    }

    /// <summary>
    /// A program stores two words and a byte into a signature that starts with known words: the signature is the
    /// image's words with the stores applied, one lower-case hex word per line; a dump of its first 8 bytes is those bytes.
    /// </summary>
    [Test]
    public void TheSignatureAndADumpHoldTheMemoryAtTheEnd()
    {
        var elf = Assemble("signed", """
                la t0, begin_signature
                li t1, 0x11223344
                sw t1, 0(t0)
                li t1, 0xdeadbeef
                sw t1, 4(t0)
                li t1, 0xab
                sb t1, 9(t0)
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            1:  j 1b
            """, """
            .align 4
            .globl begin_signature
            begin_signature:
                .word 0x01010101, 0x02020202, 0x0c0c0c0c, 0x0d0d0d0d
            .globl end_signature
            end_signature:
                .word 0x99999999
            """);
        HwGen.Sim.Model.Elf.ElfImage.Load(elf, MemoryMap.Simulation).TryGetSymbol("begin_signature", out uint begin);
        var signature = _temp.Combine("out", "signed.signature");
        var dump = _temp.Combine("out", "signed.bin");

        var run = Cli.Run("sim", elf, "--signature", signature, "--dump", $"0x{begin:x}:8", dump);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllText(signature), Is.EqualTo("11223344\ndeadbeef\n0c0cab0c\n0d0d0d0d\n"));
        Assert.That(File.ReadAllBytes(dump), Is.EqualTo(new byte[] { 0x44, 0x33, 0x22, 0x11, 0xef, 0xbe, 0xad, 0xde }));
        Assert.That(Directory.GetFiles(_temp.Combine("out")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "signed.signature", "signed.bin" }));

        var decimalDump = Cli.Run("sim", elf, "--dump", $"{begin + 8}:2", dump);
        Assert.That(decimalDump.ExitCode, Is.EqualTo(0), decimalDump.ToString());
        Assert.That(File.ReadAllBytes(dump), Is.EqualTo(new byte[] { 0x0c, 0xab }));
    }

    [TestCase("80001000", "ADDR:LEN")]
    [TestCase("0x80001000:", "ADDR:LEN")]
    [TestCase("0x80001000:0", "LEN at least 1")]
    [TestCase("0xzz:4", "ADDR:LEN")]
    [TestCase("0x10000000:4", "not inside RAM")]
    [TestCase("0x803ffffc:8", "not inside RAM")]
    public void ABadDumpRegionIsAUsageErrorNamingTheOption(string region, string hint)
    {
        var elf = Assemble("plain", """
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            1:  j 1b
            """);
        var run = Cli.Run("sim", elf, "--dump", region, _temp.Combine("dump.bin"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("--dump " + region).And.Contain(hint));
        Assert.That(File.Exists(_temp.Combine("dump.bin")), Is.False);
    }

    [Test]
    public void ASignatureOfAProgramWithoutTheSymbolsIsAUsageError()
    {
        var elf = Assemble("unsigned", """
                la t0, tohost
                li t1, 1
                sw t1, 0(t0)
            1:  j 1b
            """);
        var run = Cli.Run("sim", elf, "--signature", _temp.Combine("s.txt"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("--signature").And.Contain("begin_signature"));
        Assert.That(File.Exists(_temp.Combine("s.txt")), Is.False);
    }
}
