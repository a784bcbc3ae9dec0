using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Model;
using HwGen.Sim.Programs;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Rtl;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Isa;

/// <summary>
/// The decoder's and the CSR addresses' illegal corners (<see cref="DecoderCorners"/>, <see cref="CsrCorners"/>): the
/// programs generated from the decoder table and the implemented CSRs hold every encoding one matched bit away from a
/// row that no row matches and every address one bit away from a register, follow the tables when they change, and
/// trap on each on the golden model and in lockstep on the cores.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed partial class CornerProgramTests
{
    private static CoreConfig Pipelined => CoreConfig.ForMemoryMap(MemoryMap.Simulation);

    /// <summary>The cases of a generated program: the word, and the row and bit its comment names.</summary>
    private static List<(uint Word, string Mnemonic, int Bit)> Cases(string program) =>
        [.. CasePattern().Matches(program).Select(m => (
            uint.Parse(m.Groups["word"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            m.Groups["row"].Value,
            int.Parse(m.Groups["bit"].Value, CultureInfo.InvariantCulture)))];

    [Test]
    public void TheProgramHoldsEveryIllegalCornerOfTheTable()
    {
        var rows = DecoderTable.For(Pipelined);
        var cases = Cases(DecoderCorners.Program(Pipelined));
        // Every row's own encoding, the unmatched fields as the program documents them: rd a4, rs1 = rs2 = s6, CSR 0x340;
        // each word once.
        var expected = new List<(uint Word, string, int)>();
        foreach (var row in rows)
        {
            uint fill = (row.System == SystemOp.Csr ? 0x340u << 20 : 22u << 20) | (22u << 15) | (14u << 7);
            uint word = row.Match | (fill & ~row.Mask);
            for (int bit = 0; bit < 32; bit++)
            {
                if ((row.Mask >> bit & 1) == 1 && rows.All(r => !r.Matches(word ^ (1u << bit))) && expected.All(e => e.Word != (word ^ (1u << bit))))
                    expected.Add((word ^ (1u << bit), row.Mnemonic, bit));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(cases, Is.EqualTo(expected));
            // Numbered from 1 in order, so a failing case's number names its word.
            Assert.That(CaseNumbers().Matches(DecoderCorners.Program(Pipelined)).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)),
                Is.EqualTo(Enumerable.Range(1, expected.Count)));
            // Every row that has a matched bit whose inversion is illegal has a corner: the table's every row, here.
            Assert.That(cases.Select(c => c.Mnemonic).Distinct(), Is.EquivalentTo(rows.Select(r => r.Mnemonic)));
            foreach (var (word, mnemonic, bit) in cases)
            {
                var row = rows.Single(r => r.Mnemonic == mnemonic);
                Assert.That(rows.Where(r => r.Matches(word)), Is.Empty, $"0x{word:x8} ({mnemonic}, bit {bit}) is an instruction");
                Assert.That(row.Matches(word ^ (1u << bit)), Is.True, $"0x{word:x8} is not {mnemonic} with bit {bit} inverted");
            }
            Assert.That(cases, Has.Count.GreaterThan(400));
        });
    }

    [Test]
    public void ADecoderChangeChangesTheProgram()
    {
        var rows = DecoderTable.For(Pipelined);
        var program = DecoderCorners.Program(rows);
        // srai matching funct7 bit 30 alone, a coarser row: its corners at bits 25-29 and 31 are gone.
        var coarse = rows.Select(r => r.Mnemonic == "srai"
            ? r with { Pattern = "-1----- ----- ----- 101 ----- 0010011" }
            : r).ToList();
        // Without fence.i, the fence encodings with bit 12 set are illegal corners of fence.
        var withoutFenceI = rows.Where(r => r.Mnemonic != "fence.i").ToList();
        // Without M, the corners of the M rows go, and mul's own encoding is a corner of add (bit 25 inverted).
        var withoutM = DecoderTable.For(Pipelined with { WithM = false });

        var coarseCases = Cases(DecoderCorners.Program(coarse));
        var fenceCases = Cases(DecoderCorners.Program(withoutFenceI));
        var rv32ICases = Cases(DecoderCorners.Program(withoutM));
        Assert.Multiple(() =>
        {
            Assert.That(Cases(program).Where(c => c.Mnemonic == "srai").Select(c => c.Bit), Is.SupersetOf(new[] { 25, 26, 27, 28, 29, 31 }));
            Assert.That(coarseCases.Where(c => c.Mnemonic == "srai").Select(c => c.Bit), Has.None.AnyOf(25, 26, 27, 28, 29, 31));
            Assert.That(fenceCases, Does.Contain((0x016b170fu, "fence", 12)));
            Assert.That(Cases(program).Select(c => c.Word), Does.Not.Contain(0x016b170fu));
            Assert.That(rv32ICases.Select(c => c.Mnemonic), Has.None.AnyOf("mul", "mulh", "div", "remu"));
            Assert.That(rv32ICases, Does.Contain((0x036b0733u, "add", 25)));
        });
    }

    /// <summary>The CSR program's instructions: trapping or not, the instruction's mnemonic and its address.</summary>
    private static List<(bool Traps, string Op, int Address)> CsrCases(string program) =>
        [.. CsrCasePattern().Matches(program).Select(m => (
            m.Groups["trap"].Success,
            m.Groups["op"].Value,
            int.Parse(m.Groups["address"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];

    [Test]
    public void TheCsrProgramTriesEveryAddressOneBitFromARegister()
    {
        var legal = ControlStatusRegisters.ImplementedBy(Pipelined);
        var cases = CsrCases(CsrCorners.Program(Pipelined));
        var corners = legal.SelectMany(a => Enumerable.Range(0, 12).Select(b => a ^ (1 << b))).Where(a => !legal.Contains(a)).Distinct();
        Assert.Multiple(() =>
        {
            Assert.That(cases.Where(c => !c.Traps).Select(c => (c.Op, c.Address)), Is.EqualTo(legal.Select(a => ("csrr", a))));
            Assert.That(cases.Where(c => c.Traps && c.Op == "csrr").Select(c => c.Address), Is.EquivalentTo(corners));
            Assert.That(cases.Where(c => c.Traps && c.Op == "csrw").Select(c => c.Address),
                Is.EquivalentTo(legal.Where(a => a >> 10 == 3)).And.Contains(CsrAddress.Time).And.Contains(CsrAddress.Mhartid));
            Assert.That(cases, Has.Count.EqualTo(CaseNumbers().Matches(CsrCorners.Program(Pipelined)).Count));
        });
    }

    [Test]
    public void ACsrChangeChangesTheProgram()
    {
        var legal = ControlStatusRegisters.ImplementedBy(Pipelined);
        var withoutMscratch = CsrCases(CsrCorners.Program(legal.Where(a => a != CsrAddress.Mscratch).ToList()));
        var withoutCounters = CsrCases(CsrCorners.Program(ControlStatusRegisters.ImplementedBy(Pipelined with { Counters = false })));
        Assert.Multiple(() =>
        {
            Assert.That(withoutMscratch, Does.Contain((true, "csrr", CsrAddress.Mscratch)).And.Not.Contain((false, "csrr", CsrAddress.Mscratch)));
            Assert.That(CsrCases(CsrCorners.Program(legal)), Does.Contain((false, "csrr", CsrAddress.Cycle)).And.Contain((true, "csrw", CsrAddress.Cycle)));
            Assert.That(withoutCounters, Does.Not.Contain((false, "csrr", CsrAddress.Cycle)).And.Not.Contain((true, "csrw", CsrAddress.Cycle)));
        });
    }

    [Test]
    public void EveryCsrCornerTrapsOnTheGoldenModel()
    {
        var run = FirmwareTestSupport.BuildAndRun([Write(CsrCorners.Program(Pipelined), CsrCorners.ProgramName)], includeRuntime: false, 5_000_000,
            includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")]);
        Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
    }

    [TestCaseSource(nameof(Settings))]
    public void EveryCsrCornerTrapsInLockstep(string name, CoreConfig core, SocParts parts)
    {
        var (result, elf) = RtlRun.BuildAndCosim([Write(CsrCorners.Program(core), CsrCorners.ProgramName)], includeRuntime: false,
            includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")], core: core, parts: parts);
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => name + ": " + RtlRun.Describe(result, elf));
    }

    [Test]
    public void EveryCornerTrapsOnTheGoldenModel()
    {
        var run = FirmwareTestSupport.BuildAndRun([Write(DecoderCorners.Program(Pipelined))], includeRuntime: false, 5_000_000,
            includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")]);
        Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
    }

    /// <summary>The settings the program runs on in lockstep: the pipelined core without and with wait states, and the multi-cycle core (RV32I, its own table's corners).</summary>
    public static IEnumerable<TestCaseData> Settings()
    {
        yield return new TestCaseData("pipelined", Pipelined, SocParts.Simulation).SetName("DecoderCornersInLockstep(pipelined)");
        yield return new TestCaseData("pipelined, wait states", Pipelined, WaitStateCosimTests.Waits(33)).SetName("DecoderCornersInLockstep(pipelined, wait states)");
        yield return new TestCaseData("multi-cycle", MultiCycleCoreCosimTests.Small, SocParts.Simulation).SetName("DecoderCornersInLockstep(multi-cycle)");
        yield return new TestCaseData("multi-cycle, wait states", MultiCycleCoreCosimTests.Small, WaitStateCosimTests.Waits(55)).SetName("DecoderCornersInLockstep(multi-cycle, wait states)");
    }

    [TestCaseSource(nameof(Settings))]
    public void EveryCornerTrapsInLockstep(string name, CoreConfig core, SocParts parts)
    {
        var (result, elf) = RtlRun.BuildAndCosim([Write(DecoderCorners.Program(core))], includeRuntime: false,
            includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")], core: core, parts: parts);
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => name + ": " + RtlRun.Describe(result, elf));
    }

    /// <summary>The program in a fresh temporary folder, under its own name.</summary>
    internal static string Write(string program, string name = DecoderCorners.ProgramName)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-decoder-corners", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".S");
        File.WriteAllText(path, program);
        return path;
    }

    [GeneratedRegex(@"TEST_TRAP_ILLEGAL\(\d+, \.word 0x(?<word>[0-9a-f]{8})\)\s+/\* (?<row>[a-z.]+), bit (?<bit>\d+) inverted \*/")]
    private static partial Regex CasePattern();

    [GeneratedRegex(@"TEST_(?:TRAP_ILLEGAL\(|NUM\()(\d+)[,)]")]
    private static partial Regex CaseNumbers();

    [GeneratedRegex(@"(?<trap>TEST_TRAP_ILLEGAL\(\d+, )?(?:TEST_NUM\(\d+\); )?(?<op>csrr|csrw) (?:a4, )?0x(?<address>[0-9a-f]{3})")]
    private static partial Regex CsrCasePattern();
}
