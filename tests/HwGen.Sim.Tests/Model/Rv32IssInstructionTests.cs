using HwGen.Sim.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>Results of every instruction group, with the specification's corner cases.</summary>
[TestFixture]
public sealed class Rv32IssInstructionTests
{
    private const int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15;

    /// <summary>Runs <c>li a0, a; li a1, b; OP a2, a0, a1</c> and returns a2.</summary>
    private static uint RegReg(string op, uint a, uint b)
    {
        var iss = TestPrograms.RunToHalt($"""
            li a0, {(int)a}
            li a1, {(int)b}
            {op} a2, a0, a1
            EXIT 0
            """);
        return iss.ReadRegister(A2);
    }

    [TestCase("add", 5u, 7u, 12u)]
    [TestCase("add", 0xFFFF_FFFFu, 1u, 0u)]
    [TestCase("sub", 5u, 7u, 0xFFFF_FFFEu)]
    [TestCase("sll", 1u, 35u, 8u)]
    [TestCase("slt", 0xFFFF_FFFFu, 0u, 1u)]
    [TestCase("slt", 0u, 0xFFFF_FFFFu, 0u)]
    [TestCase("sltu", 0xFFFF_FFFFu, 0u, 0u)]
    [TestCase("sltu", 0u, 0xFFFF_FFFFu, 1u)]
    [TestCase("xor", 0xF0F0_F0F0u, 0xFF00_FF00u, 0x0FF0_0FF0u)]
    [TestCase("srl", 0x8000_0000u, 31u, 1u)]
    [TestCase("srl", 0x8000_0000u, 32u, 0x8000_0000u)]
    [TestCase("sra", 0x8000_0000u, 31u, 0xFFFF_FFFFu)]
    [TestCase("sra", 0x4000_0000u, 30u, 1u)]
    [TestCase("or", 0xF0u, 0x0Fu, 0xFFu)]
    [TestCase("and", 0xF0u, 0x3Cu, 0x30u)]
    public void RegisterRegisterAlu(string op, uint a, uint b, uint expected) =>
        Assert.That(RegReg(op, a, b), Is.EqualTo(expected));

    [TestCase("mul", 7u, 6u, 42u)]
    [TestCase("mul", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 1u)]
    [TestCase("mulh", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0u)]
    [TestCase("mulh", 0x8000_0000u, 0x8000_0000u, 0x4000_0000u)]
    [TestCase("mulh", 0x8000_0000u, 1u, 0xFFFF_FFFFu)]
    [TestCase("mulhsu", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0xFFFF_FFFFu)]
    [TestCase("mulhsu", 2u, 0x8000_0000u, 1u)]
    [TestCase("mulhu", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0xFFFF_FFFEu)]
    [TestCase("div", 20u, 0xFFFF_FFFAu, 0xFFFF_FFFDu)]
    [TestCase("div", 0xFFFF_FFECu, 6u, 0xFFFF_FFFDu)]
    [TestCase("div", 7u, 0u, 0xFFFF_FFFFu)]
    [TestCase("div", 0x8000_0000u, 0xFFFF_FFFFu, 0x8000_0000u)]
    [TestCase("divu", 20u, 6u, 3u)]
    [TestCase("divu", 7u, 0u, 0xFFFF_FFFFu)]
    [TestCase("rem", 0xFFFF_FFECu, 6u, 0xFFFF_FFFEu)]
    [TestCase("rem", 20u, 0xFFFF_FFFAu, 2u)]
    [TestCase("rem", 7u, 0u, 7u)]
    [TestCase("rem", 0x8000_0000u, 0xFFFF_FFFFu, 0u)]
    [TestCase("remu", 20u, 6u, 2u)]
    [TestCase("remu", 7u, 0u, 7u)]
    public void MultiplyDivide(string op, uint a, uint b, uint expected) =>
        Assert.That(RegReg(op, a, b), Is.EqualTo(expected));

    [TestCase("addi", 5u, -7, 0xFFFF_FFFEu)]
    [TestCase("slti", 0xFFFF_FFFFu, 0, 1u)]
    [TestCase("slti", 1u, -1, 0u)]
    [TestCase("sltiu", 1u, -1, 1u)]
    [TestCase("sltiu", 0u, 1, 1u)]
    [TestCase("xori", 0x0F0u, -1, 0xFFFF_FF0Fu)]
    [TestCase("ori", 0x100u, 0x0FF, 0x1FFu)]
    [TestCase("andi", 0xFFFF_FFFFu, -2048, 0xFFFF_F800u)]
    [TestCase("slli", 3u, 31, 0x8000_0000u)]
    [TestCase("srli", 0xFFFF_FFFFu, 28, 0xFu)]
    [TestCase("srai", 0x8000_0000u, 4, 0xF800_0000u)]
    public void RegisterImmediateAlu(string op, uint a, int imm, uint expected)
    {
        var iss = TestPrograms.RunToHalt($"""
            li a0, {(int)a}
            {op} a2, a0, {imm}
            EXIT 0
            """);
        Assert.That(iss.ReadRegister(A2), Is.EqualTo(expected));
    }

    [Test]
    public void UpperImmediates()
    {
        var iss = TestPrograms.RunToHalt("""
            lui a0, 0xfffff
            auipc a1, 0
            auipc a2, 1
            EXIT 0
            """);
        uint start = TestPrograms.Map.RamBase;
        Assert.That(iss.ReadRegister(A0), Is.EqualTo(0xFFFF_F000));
        Assert.That(iss.ReadRegister(A1), Is.EqualTo(start + 4));
        Assert.That(iss.ReadRegister(A2), Is.EqualTo(start + 8 + 0x1000));
    }

    [Test]
    public void X0StaysZero()
    {
        var iss = TestPrograms.RunToHalt("""
            addi zero, zero, 5
            lui zero, 0x12345
            add a0, zero, zero
            EXIT 0
            """);
        Assert.That(iss.ReadRegister(0), Is.Zero);
        Assert.That(iss.ReadRegister(A0), Is.Zero);
    }

    [Test]
    public void LoadsExtendAndStoresWriteTheirLanes()
    {
        var iss = TestPrograms.RunToHalt("""
            la t0, data
            lb a0, 3(t0)
            lbu a1, 3(t0)
            lh a2, 2(t0)
            lhu a3, 2(t0)
            lw a4, 0(t0)
            li t1, 0x55
            sb t1, 5(t0)
            li t1, 0xabcd
            sh t1, 6(t0)
            lw a5, 4(t0)
            EXIT 0
            .data
            .balign 4
            data: .word 0x8182f0f1, 0x11223344
            """);
        Assert.That(iss.ReadRegister(A0), Is.EqualTo(0xFFFF_FF81));
        Assert.That(iss.ReadRegister(A1), Is.EqualTo(0x81));
        Assert.That(iss.ReadRegister(A2), Is.EqualTo(0xFFFF_8182));
        Assert.That(iss.ReadRegister(A3), Is.EqualTo(0x8182));
        Assert.That(iss.ReadRegister(A4), Is.EqualTo(0x8182_F0F1));
        Assert.That(iss.ReadRegister(A5), Is.EqualTo(0xABCD_5544));
    }

    [TestCase("beq", 1, 1, true)]
    [TestCase("beq", 1, 2, false)]
    [TestCase("bne", 1, 2, true)]
    [TestCase("bne", 3, 3, false)]
    [TestCase("blt", -1, 0, true)]
    [TestCase("blt", 0, -1, false)]
    [TestCase("bge", 0, -1, true)]
    [TestCase("bge", -1, -1, true)]
    [TestCase("bge", -2, -1, false)]
    [TestCase("bltu", 0, -1, true)]
    [TestCase("bltu", -1, 0, false)]
    [TestCase("bgeu", -1, 0, true)]
    [TestCase("bgeu", 0, -1, false)]
    public void Branches(string op, int a, int b, bool taken)
    {
        var iss = TestPrograms.RunToHalt($"""
            li a0, {a}
            li a1, {b}
            li a2, 0
            {op} a0, a1, 1f
            li a2, 1
            EXIT 0
            1:  li a2, 2
            EXIT 0
            """);
        Assert.That(iss.ReadRegister(A2), Is.EqualTo(taken ? 2u : 1u));
    }

    [Test]
    public void JumpsLinkTheNextPc()
    {
        var iss = TestPrograms.Load("""
                jal ra, 1f
            EXIT 0
            1:  la t0, target + 1
            jalr a5, 0(t0)
            EXIT 1
            target:
            jalr zero, 0(ra)
            """);
        var result = iss.Run(1000);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed));
        uint start = TestPrograms.Map.RamBase;
        Assert.That(iss.ReadRegister(1), Is.EqualTo(start + 4), "jal links pc + 4");
        // jalr clears bit 0 of the target, links the address after itself.
        Assert.That(iss.ReadRegister(A5) - 4, Is.EqualTo(FindJalr(iss)));
    }

    private static uint FindJalr(Rv32Iss iss)
    {
        // The jalr a5 is the first word after _start whose disassembly starts with "jalr a5".
        for (uint pc = TestPrograms.Map.RamBase; ; pc += 4)
        {
            if (Disassembler.Disassemble(iss.ReadWord(pc), pc).StartsWith("jalr a5,", StringComparison.Ordinal))
                return pc;
        }
    }

    [Test]
    public void FencesAndWfiDoNothing()
    {
        var iss = TestPrograms.RunToHalt("""
            li a0, 3
            fence
            fence rw, w
            .word 0x0000100f
            wfi
            addi a0, a0, 1
            EXIT 0
            """);
        Assert.That(iss.ReadRegister(A0), Is.EqualTo(4));
    }

    [Test]
    public void StoresOverCodeAreExecuted()
    {
        // The loop runs the patched word the second time round: the decode cache must see the store.
        var iss = TestPrograms.RunToHalt("""
            li a0, 0
            li a1, 0
            la t0, patch
            lw t1, replacement
            loop:
            patch:
            addi a0, a0, 1
            addi a1, a1, 1
            sw t1, 0(t0)
            li t2, 3
            blt a1, t2, loop
            EXIT 0
            replacement:
            addi a0, a0, 100
            """);
        Assert.That(iss.ReadRegister(A0), Is.EqualTo(1 + 100 + 100));
    }

    [Test]
    public void RegisterAndMemoryAccessorsCheckTheirArguments()
    {
        var iss = new Rv32Iss(TestPrograms.Map);
        iss.WriteRegister(0, 5);
        iss.WriteRegister(31, 7);
        Assert.That(iss.ReadRegister(0), Is.Zero);
        Assert.That(iss.ReadRegister(31), Is.EqualTo(7));
        Assert.That(() => iss.ReadRegister(32), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => iss.WriteRegister(-1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => iss.ReadWord(TestPrograms.Map.RamBase + TestPrograms.Map.RamSize - 2), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(iss.Pc, Is.EqualTo(TestPrograms.Map.ResetVector));
    }

    [Test]
    public void CodeWrittenDirectlyRuns()
    {
        // Encodings from the specification's tables, no assembler involved:
        // addi a0, zero, 5; addi a1, a0, -1; mul a2, a0, a1; ebreak.
        var iss = new Rv32Iss(TestPrograms.Map);
        uint start = TestPrograms.Map.RamBase;
        iss.WriteWords(start, [0x0050_0513, 0xFFF5_0593, 0x02B5_0633, 0x0010_0073]);
        var result = iss.Run(3);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Timeout));
        Assert.That(iss.ReadRegister(A2), Is.EqualTo(20));
        Assert.That(result.Instret, Is.EqualTo(3));
        Assert.That(iss.Pc, Is.EqualTo(start + 12));
    }
}
