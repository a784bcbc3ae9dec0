using System.Text.Json;
using HwGen.Firmware;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary>
/// <c>hwgen mutate</c>: a small campaign end to end through Yosys, Verilator and the golden model (four mutants of the
/// core, two short programs; the mutated model is built once and cached), and the errors for bad options.
/// </summary>
[TestFixture]
public sealed class MutateCommandTests
{
    // Four mutations of seed 1: a program of the ISA suite and a hazard program kill them (checked below).
    private const string Count = "4";
    private const string Seed = "1";

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>A program of the repository's suites, built bare as the suites build it.</summary>
    private string Suite(string suite, string name) =>
        RiscvToolchain.Find().Build(new BuildRequest([Path.Combine(Repository.Root, "tests", suite, name + ".S")], _temp.Combine(suite + "-" + name + ".elf"))
        {
            IncludeRuntime = false,
            IncludeDirectories = [Path.Combine(Repository.Root, "tests", "isa")],
        }).ElfPath;

    [Test]
    public void ACampaignRunsTheProgramsOnTheDesignThenKillsMutantsWithThem()
    {
        // Programs of several kinds (stores, a load-use hazard, CSRs, division and remainder, immediates), so that
        // some of the four mutants Yosys picks from the core's netlist, whatever it is, change what one of them does.
        string[] programs = [Suite("isa", "stores"), Suite("hazards", "load_use"), Suite("isa", "csr_ops"), Suite("isa", "div"), Suite("isa", "imm_arith")];
        var run = Cli.Run(["mutate", "--design", "core", "--count", Count, "--seed", Seed, "--jobs", "2", "--equivalence-cycles", "2", "--json", "--programs", .. programs]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var report = JsonDocument.Parse(run.Stdout).RootElement;

        // The design as it is (mutant 0) passed every program, without and then with wait states: the baseline has
        // each run's cycles; the same instructions retire in both, in more cycles with the wait states.
        var baseline = report.GetProperty("programs").EnumerateArray().ToList();
        Assert.That(baseline.Select(p => (p.GetProperty("name").GetString(), p.GetProperty("waitStates").GetBoolean())),
            Is.EqualTo(programs.Select(p => ((string?)p, false)).Concat(programs.Select(p => ((string?)p, true)))));
        Assert.That(baseline.Select(p => p.GetProperty("instret").GetUInt64()), Has.All.GreaterThan(10UL));
        for (int i = 0; i < programs.Length; i++)
        {
            var (plain, slow) = (baseline[i], baseline[i + programs.Length]);
            Assert.That(slow.GetProperty("instret").GetUInt64(), Is.EqualTo(plain.GetProperty("instret").GetUInt64()), programs[i]);
            Assert.That(slow.GetProperty("cycles").GetUInt64(), Is.GreaterThan(plain.GetProperty("cycles").GetUInt64()), programs[i] + ": the wait states are in the way");
        }

        var mutants = report.GetProperty("mutants").EnumerateArray().ToList();
        Assert.That(mutants.Select(m => m.GetProperty("index").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(mutants.Select(m => m.GetProperty("result").GetString()), Has.All.AnyOf("killed", "survived", "equivalent", "notProven"));
        Assert.That(mutants.Select(m => m.GetProperty("source").GetString()), Has.All.Match(@"^\w+\.v:\d+\."), "Yosys's src of each mutated cell");
        Assert.That(mutants.Select(m => m.GetProperty("location").GetString()), Has.Some.StartsWith("hdl/Designs/Riscv/"), "the C# line of the mutated logic");

        var killed = mutants.Where(m => m.GetProperty("result").GetString() == "killed").ToList();
        Assert.That(killed, Is.Not.Empty, run.Stdout);
        foreach (var mutant in killed)
        {
            Assert.That(programs, Does.Contain(mutant.GetProperty("killer").GetString()));
            Assert.That(mutant.GetProperty("waitStates").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
            Assert.That(mutant.GetProperty("reason").GetString(), Does.Match(@"^([a-z0-9_]+|timeout|failed, exit code \d+|cycles: \d+ instead of \d+)$"));
        }
        int equivalent = report.GetProperty("equivalent").GetInt32();
        Assert.That(report.GetProperty("killed").GetInt32(), Is.EqualTo(killed.Count));
        Assert.That(report.GetProperty("killRate").GetDouble(), Is.EqualTo((double)killed.Count / (mutants.Count - equivalent)).Within(1e-9));
    }

    [Test]
    public void ASurvivorGoesToYosysWhichProvesItFindsADifferenceOrNeither()
    {
        // The load-use program alone leaves some mutants alive (logic it never exercises); Yosys's induction decides
        // each: proven equivalent (left out of the kill rate), a difference after reset (survived), or neither.
        var run = Cli.Run("mutate", "--design", "core", "--count", Count, "--seed", Seed, "--equivalence-cycles", "2", "--json",
            "--programs", Suite("hazards", "load_use"));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var report = JsonDocument.Parse(run.Stdout).RootElement;
        var mutants = report.GetProperty("mutants").EnumerateArray().ToList();
        var checkedByYosys = mutants.Where(m => m.GetProperty("result").GetString() != "killed").ToList();
        Assert.That(checkedByYosys, Is.Not.Empty, "a survivor of the load-use program: " + run.Stdout);
        var verdicts = new Dictionary<string, string>
        {
            ["equivalent"] = @"^(proven point by point \(\d+ equivalence points\)|proven by induction of length [12])$",
            ["survived"] = @"^outputs differ from the core's within [12] cycles of reset for some inputs$",
            ["notProven"] = @"^(no difference within [12] cycles of reset, (induction not closed within 2 steps|the check ran out of time)|the check ran out of time)$",
        };
        foreach (var mutant in checkedByYosys)
        {
            var result = mutant.GetProperty("result").GetString()!;
            Assert.That(verdicts.Keys, Does.Contain(result));
            Assert.That(mutant.GetProperty("reason").GetString(), Does.Match(verdicts[result]));
            Assert.That(mutant.GetProperty("killer").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(mutant.GetProperty("waitStates").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }
        int Tally(string result) => mutants.Count(m => m.GetProperty("result").GetString() == result);
        Assert.That((report.GetProperty("killed").GetInt32(), report.GetProperty("equivalent").GetInt32(), report.GetProperty("notProven").GetInt32(), report.GetProperty("survived").GetInt32()),
            Is.EqualTo((Tally("killed"), Tally("equivalent"), Tally("notProven"), Tally("survived"))));
        Assert.That(report.GetProperty("killRate").GetDouble(), Is.EqualTo((double)Tally("killed") / (mutants.Count - Tally("equivalent"))).Within(1e-9),
            "killed over the mutants not proven equivalent");
    }

    [Test]
    public void TheTableNamesEachMutantAndTheSummaryGivesTheKillRate()
    {
        var run = Cli.Run("mutate", "--design", "core", "--count", Count, "--seed", Seed, "--equivalence-cycles", "2",
            "--programs", Suite("isa", "trap_fetch_fault"), Suite("hazards", "load_use"));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("mutant").And.Contain("killer"));
        Assert.That(run.Stdout, Does.Match(@"hwgen: 4 mutants of the core, 2 programs \(each without and with wait states\): \d killed, \d proven equivalent, \d not proven \(review\), \d survived; kill rate \d+\.\d % of \d non-equivalent"));
    }

    [Test]
    public void AProgramThatFailsOnTheDesignAsItIsIsAUsageError()
    {
        // Ends with code 1 through tohost: it cannot tell a mutant from the design.
        var source = _temp.WriteFile("fails.S", """
            .section .text.init
            .globl _start
            _start:
                la t0, tohost
                li t1, 3
                sw t1, 0(t0)
            1:  j 1b
            .section .tohost, "aw", @progbits
            .align 3
            .globl tohost
            tohost: .dword 0
            .globl fromhost
            fromhost: .dword 0
            """);
        var elf = RiscvToolchain.Find().Build(new BuildRequest([source], _temp.Combine("fails.elf")) { IncludeRuntime = false }).ElfPath;
        var run = Cli.Run("mutate", "--design", "core", "--count", Count, "--seed", Seed, "--programs", Suite("isa", "trap_fetch_fault"), elf);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines[^1], Does.Contain(elf + " does not pass on the design as it is (failed, exit code 1)"));
        Assert.That(run.Stdout, Is.Empty);
    }

    [TestCase(new[] { "--design", "pex" }, "--design pex: no such design to mutate; the designs are core")]
    [TestCase(new[] { "--design", "core", "--count", "0" }, "--count 0: give at least 1 mutation")]
    [TestCase(new[] { "--design", "core", "--jobs", "0" }, "--jobs 0: give at least 1")]
    [TestCase(new[] { "--design", "core", "--equivalence-cycles", "0" }, "--equivalence-cycles 0: give at least 1")]
    [TestCase(new[] { "--design", "core", "--equivalence-timeout", "0" }, "--equivalence-timeout 0: give at least 1 second")]
    [TestCase(new[] { "--design", "core", "--programs", "no-such-program.elf" }, "no-such-program.elf: no such file")]
    public void BadOptionsAreUsageErrors(string[] options, string message)
    {
        var run = Cli.Run(["mutate", .. options]);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(run.ErrorLines[0], Does.StartWith("hwgen: " + message));
    }

    [Test]
    public void TheDesignIsRequired()
    {
        var run = Cli.Run("mutate", "--count", "4");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--design"));
    }
}
