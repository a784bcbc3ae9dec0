using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Hdl.Tests.Dsl;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>The decoder table against itself and against the encodings the GNU assembler produces.</summary>
[TestFixture]
public sealed class DecoderTableTests
{
    private static readonly IReadOnlyList<DecoderRow> s_rows = [.. DecoderTable.Rv32I, .. DecoderTable.Machine, .. DecoderTable.Rv32M];

    [Test]
    public void ARowWhoseSecondOperandIsTheImmediateReadsNoRs2()
    {
        // The execute stage ORs the immediate into the second operand: rs2 must read zero there.
        var offenders = s_rows.Where(r => r.OperandB == OperandB.Immediate && r.ReadsRs2).Select(r => r.Mnemonic).ToArray();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void AnInstructionWhoseFirstOperandIsZeroReadsNoRs1()
    {
        // The execute stage takes rs1 unless the operand is the pc: for zero, rs1 must read zero there.
        var offenders = s_rows.Where(r => r.OperandA == OperandA.Zero && r.ReadsRs1).Select(r => r.Mnemonic).ToArray();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void OnlyThePcOperandHasBitZeroSet()
    {
        // The execute stage's choice of the pc is bit 0 of the registered field.
        var withBit0 = Enum.GetValues<OperandA>().Where(a => ((int)a & 1) != 0).ToArray();
        Assert.That(withBit0, Is.EqualTo(new[] { OperandA.Pc }));
    }

    [Test]
    public void RowsThatTheCoarseDecodeCannotTellApartAgreeOnItsFields()
    {
        // The interlock reads only the opcode and funct3 (Decoder.CoarseMask): two rows it cannot tell apart that
        // disagree would make one of them wait for a register it does not read.
        var disagreements = new List<string>();
        for (int a = 0; a < s_rows.Count; a++)
        {
            for (int b = a + 1; b < s_rows.Count; b++)
            {
                var (x, y) = (s_rows[a], s_rows[b]);
                bool together = ((x.Match ^ y.Match) & x.Mask & y.Mask & Decoder.CoarseMask) == 0;
                if (together && (x.ReadsRs1 != y.ReadsRs1 || x.ReadsRs2 != y.ReadsRs2
                    || (x.System == SystemOp.Csr) != (y.System == SystemOp.Csr)))
                    disagreements.Add($"{x.Mnemonic}/{y.Mnemonic}");
            }
        }
        Assert.That(disagreements, Is.Empty);
    }

    [Test]
    public void NoTwoRowsMatchTheSameWord()
    {
        var overlaps = new List<string>();
        for (int a = 0; a < s_rows.Count; a++)
        {
            for (int b = a + 1; b < s_rows.Count; b++)
            {
                var (x, y) = (s_rows[a], s_rows[b]);
                if (((x.Match ^ y.Match) & x.Mask & y.Mask) == 0)
                    overlaps.Add($"{x.Mnemonic}/{y.Mnemonic}");
            }
        }
        Assert.That(overlaps, Is.Empty);
    }

    [Test]
    public void EveryRowMatchesExactlyTheInstructionTheAssemblerEncodes()
    {
        var source = string.Join('\n', s_rows.Select(r => $"    {r.Mnemonic} {Operands(r)}"));
        using var dir = new ScratchDirectory("decoder");
        var image = RiscvTools.Assemble(".globl _start\n_start:\n" + source + "\n", MemoryMap.Simulation, dir.Path);

        Assert.Multiple(() =>
        {
            for (int i = 0; i < s_rows.Count; i++)
            {
                uint word = image.Words[i];
                var matching = s_rows.Where(r => r.Matches(word)).Select(r => r.Mnemonic).ToArray();
                Assert.That(matching, Is.EqualTo(new[] { s_rows[i].Mnemonic }), $"0x{word:x8}");
            }
        });
        dir.Complete();
    }

    [Test]
    public void TheImmediatesFormatComesFromTheOpcodeOfEveryRowThatCarriesOne()
    {
        var formats = Decoder.ImmediateFormats(s_rows).ToDictionary(f => f.Opcode, f => f.Format);

        Assert.Multiple(() =>
        {
            foreach (var row in s_rows.Where(r => r.Format is not (InstructionFormat.R or InstructionFormat.N)))
                Assert.That(formats[row.Match & Decoder.OpcodeMask], Is.EqualTo(row.Format), row.Mnemonic);
            // The CSR instructions' opcode is also that of ecall and mret (no immediate): I, as the CSR rows say.
            Assert.That(formats[0b1110011 & Decoder.OpcodeMask], Is.EqualTo(InstructionFormat.I));
        });
    }

    [Test]
    public void TwoRowsOfOneOpcodeWithImmediatesOfDifferentFormatsAreRefused()
    {
        DecoderRow[] rows =
        [
            new("one", "------- ----- ----- 000 ----- 0010011", InstructionFormat.I),
            new("two", "------- ----- ----- 001 ----- 0010011", InstructionFormat.S),
        ];

        var error = Assert.Throws<ArgumentException>(() => Decoder.ImmediateFormats(rows));
        Assert.That(error!.Message, Does.Contain("'one' (I)").And.Contain("'two' (S)").And.Contain("0b00100"));
    }

    [Test]
    public void APatternOfTheWrongLengthNamesTheRow()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new DecoderRow("bad", "0101", InstructionFormat.R));
        Assert.That(error!.Message, Does.Contain("'bad'").And.Contain("4 bits"));
    }

    [Test]
    public void ARowCopiedWithAnotherPatternMatchesByTheNewPattern()
    {
        var addi = new DecoderRow("addi", "----------------- 000 ----- 0010011", InstructionFormat.I);
        var slti = addi with { Pattern = "----------------- 010 ----- 0010011" };
        Assert.That(slti.Mask, Is.EqualTo(addi.Mask));
        Assert.That(slti.Match, Is.EqualTo(0x0000_2013u));
        Assert.That(slti.Matches(0x0010_a013u), Is.True, "slti x0, x1, 1");
        Assert.That(slti.Matches(0x0010_8013u), Is.False, "addi x0, x1, 1");
        Assert.That(slti, Is.Not.EqualTo(addi));
        Assert.Throws<ArgumentException>(() => _ = addi with { Pattern = "0101" });
    }

    /// <summary>Operands that the assembler accepts for an instruction of <paramref name="row"/>'s format.</summary>
    private static string Operands(DecoderRow row) => row switch
    {
        { Mnemonic: "fence" } => "",
        { Format: InstructionFormat.N } => "",
        { System: SystemOp.Csr, Mnemonic: [.., 'i'] } => "a0, mscratch, 5",
        { System: SystemOp.Csr } => "a0, mscratch, a1",
        { Memory: MemoryOp.Load } => "a0, 8(a1)",
        { Format: InstructionFormat.R } => "a0, a1, a2",
        { Format: InstructionFormat.I, Transfer: ControlTransfer.Jalr } => "a0, 4(a1)",
        { Mnemonic: "slli" or "srli" or "srai" } => "a0, a1, 3",
        { Format: InstructionFormat.I } => "a0, a1, -5",
        { Format: InstructionFormat.S } => "a0, 8(a1)",
        { Format: InstructionFormat.B } => "a0, a1, .",
        { Format: InstructionFormat.U } => "a0, 0x12345",
        { Format: InstructionFormat.J } => "a0, .",
        _ => throw new ArgumentOutOfRangeException(nameof(row), row.Mnemonic, "no operands known for this row"),
    };
}
