using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>
/// Each line is assembled by GNU as and must disassemble back to the same text. A pc-relative
/// target written as <c>. + N</c> is expected as the absolute address of this line plus N.
/// </summary>
[TestFixture]
public sealed partial class DisassemblerTests
{
    private static readonly string[] s_lines =
    [
        // U-type
        "lui a5, 0x10000",
        "lui t6, 0xfffff",
        "auipc gp, 0x0",
        "auipc gp, 0x12345",
        // J-type and jalr
        "jal ra, . + 256",
        "jal zero, . - 2048",
        "jal s0, . + 1048574",
        "jalr ra, 0(a5)",
        "jalr zero, -4(t0)",
        // B-type
        "beq a0, a1, . + 16",
        "bne t0, zero, . - 4096",
        "blt s1, s2, . + 4092",
        "bge a2, a3, . - 8",
        "bltu s10, s11, . + 0",
        "bgeu t3, t4, . + 12",
        // loads and stores
        "lb a0, -1(sp)",
        "lh s3, 2046(s4)",
        "lw ra, 12(sp)",
        "lbu t5, -2048(gp)",
        "lhu a7, 0(tp)",
        "sb a0, -1(sp)",
        "sh s5, 6(s6)",
        "sw ra, 12(sp)",
        // I-type ALU
        "addi a0, a0, 1",
        "addi sp, sp, -16",
        "slti a4, a5, -2048",
        "sltiu a4, a5, 2047",
        "xori a0, a1, -1",
        "ori a6, a7, 255",
        "andi s7, s8, 15",
        "slli a0, a1, 31",
        "srli t1, t2, 1",
        "srai a0, a1, 31",
        // R-type
        "add a0, a1, a2",
        "sub s9, s10, s11",
        "sll t0, t1, t2",
        "slt a0, zero, a1",
        "sltu a0, zero, a1",
        "xor a3, a4, a5",
        "srl a3, a4, a5",
        "sra a3, a4, a5",
        "or t3, t4, t5",
        "and t6, t6, t6",
        // M extension
        "mul a0, a1, a2",
        "mulh a0, a1, a2",
        "mulhsu a0, a1, a2",
        "mulhu a0, a1, a2",
        "div a0, a1, a2",
        "divu a0, a1, a2",
        "rem a0, a1, a2",
        "remu a0, a1, a2",
        // system
        "ecall",
        "ebreak",
        "mret",
        "wfi",
        "fence",
        "fence.i",
        "fence rw, w",
        "fence i, o",
        "fence.tso",
        // Zicsr
        "csrrw t0, mstatus, t1",
        "csrrs a0, mcause, zero",
        "csrrc zero, mie, a1",
        "csrrwi zero, mtvec, 31",
        "csrrsi zero, mie, 8",
        "csrrci a0, mstatus, 0",
        "csrrs a0, 0x7c0, zero",
        "csrrw zero, 0x5c0, a0",
        // not RV32IM + Zicsr: data words
        ".word 0x00000000",
        ".word 0xffffffff",
        ".word 0x00003003",
        ".word 0x0000006b",
        ".word 0x00004073",
        ".word 0x40001033",
        ".word 0x02051513",
        ".word 0x10200073",
        ".word 0x00001067",
        ".word 0x00003023",
        ".word 0x00002063",
        ".word 0x4000f533",
        ".word 0x0000200f",
    ];

    [GeneratedRegex(@"\. ([+-]) (.+)$")]
    private static partial Regex RelativeTarget();

    [Test]
    public void EveryFormatRoundTripsThroughGnuAs()
    {
        var lines = s_lines.Concat(Csr.Implemented.Select(a => $"csrrs a0, {Csr.Name(a)}, zero")).ToArray();
        var words = AssembleLines(lines, out uint basePc);

        Assert.Multiple(() =>
        {
            for (int i = 0; i < lines.Length; i++)
            {
                uint pc = basePc + 4 * (uint)i;
                string expected = RelativeTarget().Replace(lines[i], m =>
                {
                    long offset = EvaluateSum(m.Groups[2].Value) * (m.Groups[1].Value == "-" ? -1 : 1);
                    return $"0x{(uint)(pc + offset):x}";
                });
                Assert.That(Disassembler.Disassemble(words[i], pc), Is.EqualTo(expected), $"line {i}: {lines[i]} (0x{words[i]:x8})");
            }
        });
    }

    /// <summary>The value of <c>a + b - c …</c> made of decimal numbers.</summary>
    private static long EvaluateSum(string expression)
    {
        var tokens = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long total = long.Parse(tokens[0], CultureInfo.InvariantCulture);
        for (int i = 1; i + 1 < tokens.Length; i += 2)
            total += (tokens[i] == "-" ? -1 : 1) * long.Parse(tokens[i + 1], CultureInfo.InvariantCulture);
        return total;
    }

    private static uint[] AssembleLines(IReadOnlyList<string> lines, out uint basePc)
    {
        var source = TestPrograms.Prelude + ".text\n.globl _start\n_start:\n" + string.Join('\n', lines) + "\n";
        var path = TestPrograms.Build(source, ".S", ["-march=rv32im_zicsr_zifencei"]);
        var image = ElfImage.Load(path, TestPrograms.Map);
        basePc = image.Entry;
        var text = image.Segments.Single(s => s.Address <= image.Entry && image.Entry - s.Address < s.Size);
        var words = new uint[lines.Count];
        for (int i = 0; i < words.Length; i++)
            words[i] = BitConverter.ToUInt32(text.Data, (int)(image.Entry - text.Address) + 4 * i);
        return words;
    }

    [TestCase(0x00b50863u, 0u, "beq a0, a1, 0x10")]
    [TestCase(0x00b50863u, 0x8000_0000u, "beq a0, a1, 0x80000010")]
    [TestCase(0xfe0694e3u, 0x8000_0064u, "bne a3, zero, 0x8000004c")]
    [TestCase(0xf79ff0efu, 0x8000_0088u, "jal ra, 0x80000000")]
    [TestCase(0x0000006fu, 0x8000_00a0u, "jal zero, 0x800000a0")]
    [TestCase(0xffdff06fu, 0u, "jal zero, 0xfffffffc")]
    public void BranchTargetsAreAbsolute(uint insn, uint pc, string expected) =>
        Assert.That(Disassembler.Disassemble(insn, pc), Is.EqualTo(expected));

    [Test]
    public void RegisterNamesAreTheAbiNames()
    {
        Assert.That(Enumerable.Range(0, 32).Select(Disassembler.RegisterName), Is.EqualTo(new[]
        {
            "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
            "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
        }));
        Assert.That(() => Disassembler.RegisterName(32), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void CompressedEncodingsAreWords() =>
        Assert.That(Disassembler.Disassemble(0x0000_4501), Is.EqualTo(".word 0x00004501"));
}
