using System.Collections.Concurrent;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Gen.Verilog;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Every branch predictor setting (<see cref="CoreConfig.BranchPredictor"/>) runs programs that stress prediction
/// in lockstep with the golden model, the ISA suite included; and a predictor saves the bubbles of a loop.
/// </summary>
[TestFixture]
public sealed class BranchPredictorTests
{
    private const ulong MaxCycles = 2_000_000;

    /// <summary>The settings: each kind, and a two-entry buffer in which the branches of a program evict each other.</summary>
    private static readonly (string Name, CoreConfig Config)[] Settings =
    [
        ("None", Ap with { BranchPredictor = BranchPredictorKind.None }),
        ("StaticBackwardTaken", Ap with { BranchPredictor = BranchPredictorKind.StaticBackwardTaken }),
        ("Btb64", Ap with { BranchPredictor = BranchPredictorKind.Btb, BtbEntries = 64 }),
        ("Btb2", Ap with { BranchPredictor = BranchPredictorKind.Btb, BtbEntries = 2 }),
    ];

    private static CoreConfig Ap => CoreConfig.ForMemoryMap(MemoryMap.Simulation);

    /// <summary>The programs, each a body between the frame of tests/isa/test_macros.h (a failed check ends it).</summary>
    private static readonly Dictionary<string, string> Programs = new()
    {
        ["TightLoops"] = """
            /* two-instruction loops: the branch reads the register written right before it */
            TEST_NUM(1)
            li a2, 300
            1: addi a2, a2, -1
            bnez a2, 1b
            TEST_CHECK(a2, 0)

            TEST_NUM(2)
            li a1, 0
            li a2, 200
            1: addi a1, a1, 3
            blt a1, a2, 1b
            TEST_CHECK(a1, 201)

            /* a loop whose back edge is a jal, left by a forward branch */
            TEST_NUM(3)
            li a2, 100
            li a4, 0
            1: addi a2, a2, -1
            addi a4, a4, 2
            beqz a2, 2f
            j 1b
            2: TEST_CHECK(a4, 200)
            """,
        ["NestedLoops"] = """
            TEST_NUM(1)
            li a4, 0
            li a1, 9
            1:  li a2, 7
            2:  li a3, 5
            3:  addi a4, a4, 1
                addi a3, a3, -1
                bnez a3, 3b
                addi a2, a2, -1
                bnez a2, 2b
                addi a1, a1, -1
                bnez a1, 1b
            TEST_CHECK(a4, 315)

            /* the inner loop's trip count changes with the outer one */
            TEST_NUM(2)
            li a4, 0
            li a1, 12
            1:  mv a2, a1
            2:  add a4, a4, a2
                addi a2, a2, -1
                bgtz a2, 2b
                addi a1, a1, -1
                bnez a1, 1b
            TEST_CHECK(a4, 364)
            """,
        ["AlternatingBranches"] = """
            /* a forward branch taken every other iteration, and one taken every third */
            TEST_NUM(1)
            li a1, 0
            li a2, 120
            li a4, 0
            li a5, 0
            li a6, 0
            1:  andi t0, a1, 1
                beqz t0, 2f
                addi a4, a4, 1
            2:  addi a6, a6, 1
                li t1, 3
                bne a6, t1, 3f
                li a6, 0
                addi a5, a5, 1
            3:  addi a1, a1, 1
                bne a1, a2, 1b
            TEST_CHECK(a4, 60)
            TEST_CHECK(a5, 40)

            /* a backward branch whose direction alternates: taken, not taken, taken, ... */
            TEST_NUM(2)
            li a1, 0
            li a4, 0
            1:  addi a1, a1, 1
                andi t0, a1, 1
            2:  addi a4, a4, 1
                xori t0, t0, 1
                bnez t0, 2b
                li t1, 50
                bne a1, t1, 1b
            TEST_CHECK(a4, 75)
            """,
        ["JumpChains"] = """
            /* a chain of jal, one of them to the next instruction */
            TEST_NUM(1)
            li a4, 0
            li a5, 20
            1:  j 2f
                TEST_FAIL_HERE
            3:  addi a4, a4, 4
                j 4f
            2:  addi a4, a4, 1
                jal x0, 5f
            5:  j 3b
            4:  addi a5, a5, -1
                bnez a5, 1b
            TEST_CHECK(a4, 100)

            /* one function called from three places: its return goes to a different one each time */
            TEST_NUM(2)
            li a4, 0
            li a5, 10
            1:  jal ra, add_one
                jal ra, add_one
                addi a4, a4, 10
                jal ra, add_one
                addi a5, a5, -1
                bnez a5, 1b
            TEST_CHECK(a4, 130)

            /* jalr through a table of functions, the target register loaded right before the jump */
            TEST_NUM(3)
            li a4, 0
            li a5, 0
            la a1, function_table
            1:  andi t0, a5, 3
                slli t0, t0, 2
                add t0, a1, t0
                lw t1, 0(t0)
                jalr ra, 0(t1)
                addi a5, a5, 1
                li t2, 24
                bne a5, t2, 1b
            TEST_CHECK(a4, 666)

            /* jalr whose target register is written by the instruction right before it */
            TEST_NUM(4)
            li a4, 0
            li a5, 8
            1:  la t1, add_one
                jalr ra, 0(t1)
                la t1, add_ten
                jalr ra, 0(t1)
                addi a5, a5, -1
                bnez a5, 1b
            TEST_CHECK(a4, 88)
            """,
        ["BranchAfterLoad"] = """
            /* the branch compares a value loaded by the instruction right before it (load-use interlock) */
            TEST_NUM(1)
            la a1, values
            li a2, 16
            li a4, 0
            li a5, 0
            1:  lw t0, 0(a1)
                beqz t0, 2f
                addi a4, a4, 1
            2:  lbu t1, 0(a1)
                bltu t1, a2, 3f
                addi a5, a5, 1
            3:  addi a1, a1, 4
                la t2, values_end
                bne a1, t2, 1b
            TEST_CHECK(a4, 9)
            TEST_CHECK(a5, 4)

            /* a loop whose back edge depends on a load */
            TEST_NUM(2)
            la a1, values + 4
            li a4, 0
            1:  lw t0, 4(a1)
                addi a1, a1, 4
                addi a4, a4, 1
                bnez t0, 1b
            TEST_CHECK(a4, 3)
            """,
        ["TrapInTheShadow"] = """
            /* taken branches and jumps followed by words that would trap if they were executed:
               a correct prediction never fetches them, a wrong one must drop them */
            TEST_NUM(1)
            li a2, 40
            1:  addi a2, a2, -1
                beqz a2, 2f
                bnez a2, 1b
                ecall
                .word 0
                ebreak
            2:  TEST_CHECK(a2, 0)

            TEST_NUM(2)
            li a2, 40
            1:  addi a2, a2, -1
                beqz a2, 2f
                j 1b
                .word 0
                lw t0, 1(x0)
            2:  TEST_CHECK(a2, 0)

            /* a loop around a jalr and a jal, each followed by a word that would trap */
            TEST_NUM(3)
            li a4, 0
            la a1, 3f
            li a5, 30
            1:  addi a4, a4, 1
                addi a5, a5, -1
                beqz a5, 2f
                jalr x0, 0(a1)
                ecall
            3:  j 1b
                .word 0
            2:  TEST_CHECK(a4, 30)
            """,
        ["RewrittenBranch"] = """
            /* the branch in patch_slot is taken ten times, then replaced by an addi: the predictor's
               entry for that address is stale and must not make the core skip the new instruction */
            TEST_NUM(1)
            li a4, 0
            li a5, 10
            1:  jal ra, patch_slot
                addi a5, a5, -1
                bnez a5, 1b
            TEST_CHECK(a4, 0)

            TEST_NUM(2)
            la a1, patch_slot
            la a2, patch_template
            lw a3, 0(a2)
            sw a3, 0(a1)
            fence.i
            li a5, 3
            1:  jal ra, patch_slot
                addi a5, a5, -1
                bnez a5, 1b
            TEST_CHECK(a4, 6)
            """,
    };

    /// <summary>Code and data every program may use; its labels do not clash with the numbered local ones.</summary>
    private const string Shared = """
        .text
        .balign 4
        add_one:
            addi a4, a4, 1
            ret
        add_ten:
            addi a4, a4, 10
            ret
        add_hundred:
            addi a4, a4, 100
            ret
        add_nothing:
            ret
        patch_slot:
            beq x0, x0, 1f
            addi a4, a4, 1
        1:  ret
        patch_template:
            addi a4, a4, 1

        TEST_DATA_BEGIN
        function_table:
            .word add_one, add_ten, add_hundred, add_nothing
        values:
            .word 7, 0, 300, 12, 0, 0, 99, 1, 0, 25, 16, 4, 0, 8
        values_end:
            .word 0
        TEST_DATA_END
        """;

    private static readonly ConcurrentDictionary<string, Lazy<string>> Elves = new();

    public static IEnumerable<TestCaseData> ProgramsOnEverySetting() =>
        from setting in Settings
        from program in Programs.Keys.Order(StringComparer.Ordinal)
        select new TestCaseData(setting.Name, program).SetName($"{program}({setting.Name})");

    public static IEnumerable<TestCaseData> IsaSuiteOnEverySetting() =>
        from setting in Settings
        from data in IsaSuiteTests.SuitePrograms()
        let file = (string)data.Arguments[0]!
        select new TestCaseData(setting.Name, file).SetName($"Isa({Path.GetFileNameWithoutExtension(file)}, {setting.Name})");

    [TestCaseSource(nameof(ProgramsOnEverySetting))]
    public void ProgramPassesInLockstep(string setting, string program)
    {
        var elf = ProgramElf(program);
        var result = Cosim(elf, setting);

        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(result, elf));
    }

    [TestCaseSource(nameof(IsaSuiteOnEverySetting))]
    public void IsaProgramPassesInLockstep(string setting, string fileName)
    {
        var elf = Build("isa-" + Path.GetFileNameWithoutExtension(fileName), FirmwareTestSupport.InRepository("tests/isa/" + fileName));
        var result = Cosim(elf, setting);

        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(result, elf));
    }

    [TestCase("StaticBackwardTaken")]
    [TestCase("Btb64")]
    public void APredictorSavesTheBubblesOfALoop(string setting)
    {
        const int iterations = 300;
        var elf = ProgramElf("TightLoops");

        var none = Cosim(elf, "None");
        var predicted = Cosim(elf, setting);

        Assert.Multiple(() =>
        {
            Assert.That(none.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(none, elf));
            Assert.That(predicted.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(predicted, elf));
            Assert.That(predicted.Instret, Is.EqualTo(none.Instret));
            // Without prediction each taken back edge of the first loop alone costs a bubble; a predictor that
            // learns (or sees) that the edge is taken saves nearly all of them.
            Assert.That(predicted.Cycles, Is.LessThan(none.Cycles - iterations * 9 / 10),
                $"{setting}: {predicted.Cycles} cycles, without prediction: {none.Cycles}");
        });
    }

    [Test]
    public void EverySettingElaboratesWithoutWarnings()
    {
        foreach (var map in new[] { MemoryMap.Simulation, MemoryMap.Ice40Up5k })
        {
            foreach (var (name, config) in Settings)
            {
                var result = VerilogEmitter.Emit(new Core(config with { ResetPc = map.ResetVector, CodeBase = map.Ram.Base, CodeSize = map.Ram.Size }));
                Assert.That(result.Warnings, Is.Empty, $"{name} on {map.RamSize} bytes of RAM");
            }
        }
    }

    [Test]
    public void ABufferSizeThatIsNotAPowerOfTwoIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Core(Ap with { BtbEntries = 48 }));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(CoreConfig.BtbEntries)));
        Assert.That(error.Message, Does.Contain("48").And.Contain("power of two"));
    }

    private static SimResult Cosim(string elf, string setting) =>
        SimRunner.Run(new SimOptions(elf)
        {
            Cosim = true,
            Core = Settings.Single(s => s.Name == setting).Config,
            MaxCycles = MaxCycles,
            Progress = TestContext.Progress.WriteLine,
        });

    private static string ProgramElf(string program) =>
        Elves.GetOrAdd(program, name => new Lazy<string>(() =>
        {
            var directory = Path.Combine(Path.GetTempPath(), "hwgen-branch-prediction", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var source = Path.Combine(directory, name + ".S");
            File.WriteAllText(source, $"""
                #include "test_macros.h"
                    .option arch, +zifencei
                TEST_CODE_BEGIN
                {Programs[name]}
                TEST_CODE_END
                {Shared}
                """);
            return BuildIn(directory, name, source);
        })).Value;

    private static string Build(string name, string source) =>
        Elves.GetOrAdd(name, _ => new Lazy<string>(() =>
            BuildIn(Path.Combine(Path.GetTempPath(), "hwgen-branch-prediction", Guid.NewGuid().ToString("N")), name, source))).Value;

    private static string BuildIn(string directory, string name, string source) =>
        FirmwareTestSupport.Toolchain.Build(new BuildRequest([source], Path.Combine(directory, name + ".elf"))
        {
            MemoryMap = MemoryMap.Simulation,
            IncludeRuntime = false,
            IncludeDirectories = [FirmwareTestSupport.InRepository("tests/isa")],
        }).ElfPath;
}
