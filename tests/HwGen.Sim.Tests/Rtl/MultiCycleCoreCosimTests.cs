using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using HwGen.Sim.Tests.RandomPrograms;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The multi-cycle core (<see cref="CoreMicroarchitecture.MultiCycle"/>, RV32I) on the simulation SoC, in lockstep with
/// the golden model configured as an RV32I hart: the ISA suite's RV32I programs, the hazard program without M, random
/// RV32I programs, each also with wait states on both buses and with the single-port RAM; and the cycles each kind of
/// instruction takes, which lockstep does not see.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class MultiCycleCoreCosimTests
{
    private const int DefaultSeedCount = 300;

    /// <summary>The ISA and hazard programs that need the M extension (csr_machine.S checks that misa has it).</summary>
    private static readonly string[] s_needM = ["csr_machine.S", "div.S", "mul.S", "mul_signs.S", "x0_and_loops.S", "divide.S", "forwarding.S", "interrupt_in_stall.S", "load_use.S", "load_use_every_reader.S"];

    internal static CoreConfig Small { get; } = CoreConfig.ForMemoryMap(MemoryMap.Simulation) with
    {
        Microarchitecture = CoreMicroarchitecture.MultiCycle,
        WithM = false,
    };

    /// <summary>The PEX's configuration: no counters either.</summary>
    internal static CoreConfig SmallWithoutCounters { get; } = Small with { Counters = false };

    /// <summary>The PEX's configuration: the trap CSRs alone.</summary>
    internal static CoreConfig SmallTrapOnly { get; } = SmallWithoutCounters with { Csrs = CsrSet.TrapOnly };

    /// <summary>The PEX's configuration: no CSRs (a trap stops the core on the instruction).</summary>
    internal static CoreConfig SmallWithoutCsrs { get; } = SmallWithoutCounters with { Csrs = CsrSet.None };

    /// <summary>The SoC the core without CSRs runs on: wait states on both buses.</summary>
    private static readonly SocParts s_withoutCsrsParts = WaitStateCosimTests.Waits(99);

    /// <summary>A CSR instruction, mret, ecall, ebreak, wfi, or a case that expects a trap.</summary>
    private static readonly Regex s_usesCsrs = new(@"\b(csr\w*|mret|ecall|ebreak|wfi)\b|TEST_TRAP", RegexOptions.Compiled);

    /// <summary>The settings the ISA programs run on (some read the counters): a name and the SoC's parts.</summary>
    private static readonly (string Name, CoreConfig Core, SocParts Parts)[] Settings =
    [
        ("no wait states", Small, SocParts.Simulation),
        ("wait states", Small, WaitStateCosimTests.Waits(55)),
        ("single-port RAM with wait states", Small, WaitStateCosimTests.Waits(66) with { Ram = SocRam.SinglePort }),
    ];

    /// <summary>
    /// The settings the random programs run on: these, the core without counters (their reads trap in both models) and
    /// the core with the trap CSRs alone (mscratch, mstatus, mie, misa and the counters trap in both; so the timer, never enabled, never interrupts).
    /// </summary>
    private static readonly (string Name, CoreConfig Core, SocParts Parts)[] RandomSettings =
    [
        .. Settings,
        ("no counters, wait states", SmallWithoutCounters, WaitStateCosimTests.Waits(77)),
        ("trap CSRs only, wait states", SmallTrapOnly, WaitStateCosimTests.Waits(88)),
    ];

    public static IEnumerable<TestCaseData> Rv32IPrograms() =>
        IsaSuiteTests.SuitePrograms().Select(c => ("tests/isa/", (string)c.Arguments[0]!))
            .Concat(HazardCosimTests.HazardPrograms().Select(c => ("tests/hazards/", (string)c.Arguments[0]!)))
            .Where(p => !s_needM.Contains(p.Item2))
            .Select(p => new TestCaseData(p.Item1 + p.Item2).SetName("MultiCycleIsa(" + Path.GetFileNameWithoutExtension(p.Item2) + ")"));

    /// <summary>The RV32I programs that neither use a CSR nor expect a trap: they run on the core without CSRs.</summary>
    public static IEnumerable<TestCaseData> ProgramsWithoutCsrs() =>
        Rv32IPrograms().Select(c => (string)c.Arguments[0]!)
            .Where(p => !s_usesCsrs.IsMatch(File.ReadAllText(FirmwareTestSupport.InRepository(p))))
            .Select(p => new TestCaseData(p).SetName("MultiCycleWithoutCsrs(" + Path.GetFileNameWithoutExtension(p) + ")"));

    public static IEnumerable<TestCaseData> Seeds() => SeedSelection.FromEnvironment(DefaultSeedCount)
        .Select(seed => new TestCaseData(seed).SetName(string.Create(CultureInfo.InvariantCulture, $"MultiCycleRandomCosim(seed {seed})")));

    [OneTimeSetUp]
    public void BuildTheModels()
    {
        foreach (var (_, core, parts) in RandomSettings)
            SimMachine.Get(MemoryMap.Simulation, core, progress: TestContext.Progress.WriteLine, parts: parts);
        SimMachine.Get(MemoryMap.Simulation, SmallWithoutCsrs, progress: TestContext.Progress.WriteLine, parts: s_withoutCsrsParts);
    }

    [Test]
    public void TheSuiteLeavesOutOnlyTheProgramsThatNeedM()
    {
        var paths = Rv32IPrograms().Select(c => (string)c.Arguments[0]!).ToArray();
        var names = paths.Select(Path.GetFileName).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(names, Has.Length.GreaterThanOrEqualTo(25));
            Assert.That(names, Does.Contain("loads.S").And.Contain("stores.S").And.Contain("csr_and_traps.S").And.Contain("timer_interrupt.S"));
            foreach (var path in paths)
            {
                var text = File.ReadAllText(FirmwareTestSupport.InRepository(path));
                Assert.That(text, Does.Not.Match(@"\b(mul|mulh|mulhu|mulhsu|div|divu|rem|remu)\s"), path);
            }
        });
    }

    [TestCaseSource(nameof(Rv32IPrograms))]
    public void PassesInLockstep(string path)
    {
        foreach (var (name, core, parts) in Settings)
        {
            var (result, elf) = RtlRun.BuildAndCosim([FirmwareTestSupport.InRepository(path)], includeRuntime: false,
                includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")], core: core, parts: parts);
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => name + ": " + RtlRun.Describe(result, elf));
        }
    }

    [Test]
    public void MostOfTheSuiteRunsWithoutCsrs()
    {
        var names = ProgramsWithoutCsrs().Select(c => Path.GetFileName((string)c.Arguments[0]!)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(names, Has.Length.GreaterThanOrEqualTo(14));
            Assert.That(names, Does.Contain("loads.S").And.Contain("stores.S").And.Contain("branches.S").And.Contain("jalr.S")
                .And.Contain("rr_shift.S").And.Contain("imm_shift.S"));
            Assert.That(names, Does.Not.Contain("trap_illegal.S").And.Not.Contain("csr_ops.S"));
        });
    }

    [TestCaseSource(nameof(ProgramsWithoutCsrs))]
    public void PassesInLockstepWithoutCsrs(string path)
    {
        var (result, elf) = RtlRun.BuildAndCosim([FirmwareTestSupport.InRepository(path)], includeRuntime: false,
            includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")], core: SmallWithoutCsrs, parts: s_withoutCsrsParts,
            defines: new Dictionary<string, string?> { [FirmwareSources.NoCsrsDefine] = null });
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(result, elf));
    }

    /// <summary>
    /// On the core without CSRs a trap stops the core on the instruction: it traps again and again at its pc, in
    /// lockstep with the golden model configured the same, until the cycle limit; had it gone on, the program would
    /// have passed, and had it gone elsewhere, the last trap's pc or cause would differ.
    /// </summary>
    [TestCase("csrr a0, mscratch", 2u)]
    [TestCase("csrw mtvec, a0", 2u)]
    [TestCase("mret", 2u)]
    [TestCase("ecall", 11u)]
    [TestCase("ebreak", 3u)]
    [TestCase("lw a0, 2(sp)", 4u)]
    [TestCase("sh a0, 1(sp)", 6u)]
    [TestCase("sw a0, 0(zero)", 7u)]
    [TestCase("jalr ra, 2(s0)", 0u)]
    public void ATrapStopsTheCoreWithoutCsrsOnTheInstruction(string instruction, uint cause)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-rtl-tests", "no-csrs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, "stop.S");
        File.WriteAllText(source, $$"""
            #include "hwgen_soc.h"
                .section .text.init, "ax", @progbits
                .globl _start
            _start:
                la sp, __stack_top
                addi sp, sp, -16
                la s0, _start
                li a0, 5
            1:  addi a0, a0, -1
                bnez a0, 1b
                .globl stop
            stop:
                {{instruction}}
                li a0, 1
                la t0, tohost
                sw zero, 4(t0)
                sw a0, 0(t0)
            2:  j 2b
            """);
        var (result, elf) = RtlRun.BuildAndCosim([source], includeRuntime: false, maxCycles: 3_000, core: SmallWithoutCsrs,
            parts: s_withoutCsrsParts);
        var stop = HwGen.Sim.Model.Elf.ElfImage.Load(elf, MemoryMap.Simulation).FindSymbol("stop")!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Timeout), () => RtlRun.Describe(result, elf));
            Assert.That(result.Trap?.Cause, Is.EqualTo(cause), "the last trap's cause");
            Assert.That(result.Trap?.Pc, Is.EqualTo(stop), "the last trap's pc");
            // la (2) + addi + la (2) + li, then five times addi and bnez.
            Assert.That(result.Instret, Is.EqualTo(16ul), "instructions retired before the trap");
        });
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>
    /// The core without CSRs keeps in its pc only the word index within its code range (the RAM): a jump to a target
    /// outside it (no region's address, a device's), or running off the RAM's end, stops the core on the target with an
    /// instruction access fault in lockstep with the golden model, whose fetch there faults; had the narrow pc wrapped
    /// into the RAM instead, the core would have run the program again and diverged.
    /// </summary>
    [TestCase("unmapped")]
    [TestCase("device")]
    [TestCase("end of RAM")]
    public void LeavingTheCodeRangeStopsTheCoreWithoutCsrsOnTheTarget(string where)
    {
        var map = MemoryMap.Simulation;
        uint lastWord = map.RamBase + map.RamSize - 4;
        var (setup, target) = where switch
        {
            "unmapped" => ("li t0, 0x" + SocHeader.UnmappedAddress(map).ToString("X8", CultureInfo.InvariantCulture), SocHeader.UnmappedAddress(map)),
            "device" => ("li t0, 0x" + map.Uart.Base.ToString("X8", CultureInfo.InvariantCulture), map.Uart.Base),
            // A nop in the RAM's last word, then pc + 4 leaves the RAM.
            _ => ("li t0, 0x" + lastWord.ToString("X8", CultureInfo.InvariantCulture) + "\n    li t1, 0x00000013\n    sw t1, 0(t0)", lastWord + 4),
        };
        Assert.That(MultiCycleCore.CodeBitsFor(SmallWithoutCsrs), Is.EqualTo(22), "the pc keeps the 4 MiB RAM's address bits");
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-rtl-tests", "code-range-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, "leave.S");
        File.WriteAllText(source, $$"""
            #include "hwgen_soc.h"
                .section .text.init, "ax", @progbits
                .globl _start
            _start:
                {{setup}}
                jr t0
                li a0, 1
                la t0, tohost
                sw zero, 4(t0)
                sw a0, 0(t0)
            2:  j 2b
            """);
        var (result, elf) = RtlRun.BuildAndCosim([source], includeRuntime: false, maxCycles: 2_000, core: SmallWithoutCsrs,
            parts: s_withoutCsrsParts);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Timeout), () => RtlRun.Describe(result, elf));
            Assert.That(result.Trap?.Cause, Is.EqualTo(1u), "the last trap's cause: an instruction access fault");
            Assert.That(result.Trap?.Pc, Is.EqualTo(target), "the last trap's pc");
        });
        Directory.Delete(directory, recursive: true);
    }

    [TestCaseSource(nameof(Seeds))]
    public void RandomProgramsRunWithoutDivergence(int seed)
    {
        var program = MachineCodeProgram.Generate(seed, MemoryMap.Simulation, new MachineCodeProgramOptions { WithM = false });
        foreach (var (name, core, parts) in RandomSettings)
        {
            var result = RandomRun.Cosim(program, parts: parts, core: core);
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => name + ": " + RandomRun.Describe(program, result, nameof(MultiCycleCoreCosimTests)));
        }
    }

    [Test]
    public void RandomRv32IProgramsHaveNoMInstructions()
    {
        var program = MachineCodeProgram.Generate(1, MemoryMap.Simulation, new MachineCodeProgramOptions { WithM = false });
        var listing = program.Listing();
        Assert.Multiple(() =>
        {
            Assert.That(listing, Does.Not.Match(@"\b(mul|mulh|mulhu|mulhsu|div|divu|rem|remu)\b"));
            Assert.That(listing, Does.Match(@"\b(add|sub|sll|slt|sltu|xor|srl|sra|or|and)\b"));
        });
    }
}
