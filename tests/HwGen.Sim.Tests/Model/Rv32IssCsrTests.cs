using HwGen.Sim.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>The CSR file: values, WARL behaviour, counters and the illegal-access rules.</summary>
[TestFixture]
public sealed class Rv32IssCsrTests
{
    private const int A0 = 10;

    /// <summary>Runs <paramref name="body"/>, whose last value of interest is in a0.</summary>
    private static uint A0After(string body) => TestPrograms.RunToHalt(body + "\nEXIT 0").ReadRegister(A0);

    [TestCase("misa", Csr.MisaValue)]
    [TestCase("mstatus", Csr.MstatusMpp)]
    [TestCase("mhartid", 0u)]
    [TestCase("mvendorid", 0u)]
    [TestCase("marchid", 0u)]
    [TestCase("mimpid", 0u)]
    [TestCase("mconfigptr", 0u)]
    [TestCase("mstatush", 0u)]
    [TestCase("menvcfg", 0u)]
    [TestCase("menvcfgh", 0u)]
    [TestCase("mcountinhibit", 0u)]
    [TestCase("mie", 0u)]
    [TestCase("mip", 0u)]
    [TestCase("mtvec", 0x8000_0000u)] // WARL to the code range (the simulator's 4 MiB of RAM): its legal value of 0, the base
    public void ResetValues(string csr, uint expected) =>
        Assert.That(A0After($"csrr a0, {csr}"), Is.EqualTo(expected));

    [Test]
    public void MisaIsRv32IM()
    {
        Assert.That(Csr.MisaValue >> 30, Is.EqualTo(1), "MXL = 32-bit");
        Assert.That(Csr.MisaValue & 0x3FF_FFFF, Is.EqualTo((1u << 8) | (1u << 12)), "I and M only");
    }

    [TestCase("mstatus", 0xFFFF_FFFFu, Csr.MstatusMpp | Csr.MstatusMie | Csr.MstatusMpie)]
    [TestCase("misa", 0u, Csr.MisaValue)]
    [TestCase("mie", 0xFFFF_FFFFu, Csr.Msi | Csr.Mti | Csr.Mei)]
    [TestCase("mip", 0xFFFF_FFFFu, 0u)]
    [TestCase("mtvec", 0x8000_0103u, 0x8000_0100u)]
    [TestCase("mtvec", 0xFFFF_FFFFu, 0x803F_FFFCu)] // WARL: the bits that vary inside the code range, the range's above
    [TestCase("mtvec", 0x1234_5679u, 0x8034_5678u)]
    [TestCase("mepc", 0x8000_0007u, 0x8000_0004u)]
    [TestCase("mepc", 0x8000_0006u, 0x8000_0004u)]
    [TestCase("mcause", 0xFFFF_FFFFu, 0x8000_001Fu)] // WLRL: bit 31 and a 5-bit exception code
    [TestCase("mtval", 0x1234_5678u, 0x1234_5678u)]
    [TestCase("mscratch", 0xDEAD_BEEFu, 0xDEAD_BEEFu)]
    [TestCase("mstatush", 0xFFFF_FFFFu, 0u)]
    [TestCase("menvcfg", 0xFFFF_FFFFu, 0u)]
    [TestCase("menvcfgh", 0xFFFF_FFFFu, 0u)]
    [TestCase("mcountinhibit", 0xFFFF_FFFFu, 0u)]
    public void WriteThenRead(string csr, uint written, uint expected)
    {
        Assert.That(A0After($"""
            li t0, {(int)written}
            csrw {csr}, t0
            csrr a0, {csr}
            """), Is.EqualTo(expected));
    }

    /// <summary>A core whose code is not confined to a range (<see cref="HwGen.Designs.Riscv.CoreConfig.CodeConfined"/> false) keeps every bit of mtvec but the mode's, from 0.</summary>
    [Test]
    public void MtvecKeepsEveryBitForACoreWhoseCodeIsNotConfined()
    {
        var core = HwGen.Designs.Riscv.CoreConfig.ForMemoryMap(TestPrograms.Map) with { CodeConfined = false };
        var iss = TestPrograms.Load("""
            csrr a1, mtvec
            li t0, 0x12345679
            csrw mtvec, t0
            csrr a0, mtvec
            EXIT 0
            """, new IssOptions { Core = core });
        TestPrograms.StepUntil(iss, r => r.Insn == 0x30502573); // csrr a0, mtvec
        Assert.Multiple(() =>
        {
            Assert.That(iss.ReadRegister(11), Is.EqualTo(0u));
            Assert.That(iss.ReadRegister(A0), Is.EqualTo(0x1234_5678u));
        });
    }

    [Test]
    public void SetAndClearBits()
    {
        var iss = TestPrograms.RunToHalt("""
            li t0, 0xff00
            csrw mscratch, t0
            li t1, 0x0ff0
            csrrs a0, mscratch, t1
            csrrc a1, mscratch, t1
            csrrsi a2, mscratch, 5
            csrrci a3, mscratch, 4
            csrrwi a4, mscratch, 31
            csrr a5, mscratch
            EXIT 0
            """);
        Assert.That(Enumerable.Range(10, 6).Select(iss.ReadRegister), Is.EqualTo(new uint[] { 0xff00, 0xfff0, 0xf000, 0xf005, 0xf001, 31 }));
    }

    [Test]
    public void ReadCsrMatchesTheProgramsView()
    {
        var iss = TestPrograms.RunToHalt("""
            li t0, 0x42
            csrw mscratch, t0
            csrsi mie, 8
            EXIT 0
            """);
        Assert.That(iss.ReadCsr(Csr.Mscratch), Is.EqualTo(0x42));
        Assert.That(iss.ReadCsr(Csr.Mie), Is.EqualTo(Csr.Msi));
        Assert.That(iss.ReadCsr(Csr.Minstret), Is.EqualTo((uint)iss.Instret));
        Assert.That(iss.ReadCsr(Csr.Instret), Is.EqualTo((uint)iss.Instret));
        Assert.That(iss.ReadCsr(Csr.Time), Is.EqualTo((uint)iss.Mtime));
        Assert.That(() => iss.ReadCsr(0x7C0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("0x7c0"));
    }

    [TestCase("csrr a0, 0x7c0", TestName = "unimplemented custom CSR read")]
    [TestCase("csrw 0x306, a0", TestName = "mcounteren (no user mode) write")]
    [TestCase("csrr a0, 0x180", TestName = "satp (no supervisor mode) read")]
    [TestCase("csrr a0, 0xb03", TestName = "mhpmcounter3 read")]
    [TestCase("csrrw zero, mhartid, zero", TestName = "csrrw to read-only mhartid")]
    [TestCase("csrw cycle, a0", TestName = "write to read-only cycle")]
    [TestCase("csrrs a0, time, a1", TestName = "csrrs with rs1 != x0 to read-only time")]
    [TestCase("csrrc a0, instret, ra", TestName = "csrrc with rs1 != x0 to read-only instret")]
    [TestCase("csrrsi a0, mvendorid, 1", TestName = "csrrsi with uimm != 0 to read-only mvendorid")]
    [TestCase("csrrci a0, marchid, 16", TestName = "csrrci with uimm != 0 to read-only marchid")]
    [TestCase("csrrwi a0, mimpid, 0", TestName = "csrrwi to read-only mimpid")]
    public void IllegalCsrAccess(string instruction)
    {
        var (iss, image) = Rv32IssTrapTests.Build($"""
            la t0, handler
            csrw mtvec, t0
            li a0, 7
            li a1, 0
            fault:
            {instruction}
            EXIT 1
            .balign 4
            handler:
            EXIT 0
            """);
        var record = TestPrograms.StepUntil(iss, r => r.Trap);
        uint fault = Rv32IssTrapTests.Symbol(image, "fault");
        Assert.That(record.Cause, Is.EqualTo(TrapCause.IllegalInstruction));
        Assert.That(record.PcRdata, Is.EqualTo(fault));
        Assert.That((record.Rs1Addr, record.Rs2Addr, record.RdAddr), Is.EqualTo((0, 0, 0)), "an illegal instruction reads and writes no register");
        Assert.That(iss.ReadCsr(Csr.Mtval), Is.EqualTo(iss.ReadWord(fault)), "mtval holds the instruction bits");
        Assert.That(iss.ReadRegister(A0), Is.EqualTo(7), "rd untouched");
    }

    [TestCase("csrrs a0, mhartid, zero")]
    [TestCase("csrrc a0, cycle, zero")]
    [TestCase("csrrsi a0, mvendorid, 0")]
    [TestCase("csrrci a0, time, 0")]
    public void ReadingReadOnlyCsrsIsLegal(string instruction) =>
        Assert.That(TestPrograms.RunToHalt(instruction + "\nEXIT 0").ExitCode, Is.Zero);

    [Test]
    public void CountersCountAndTheirAliasesAgree()
    {
        var iss = TestPrograms.RunToHalt("""
            csrr a0, minstret
            csrr a1, minstret
            csrr a2, instret
            csrr a3, mcycle
            csrr a4, cycle
            csrr a5, minstreth
            csrr a6, instreth
            csrr a7, mcycleh
            EXIT 0
            """);
        Assert.That(iss.ReadRegister(10), Is.Zero, "nothing retired before the first instruction");
        Assert.That(iss.ReadRegister(11), Is.EqualTo(1));
        Assert.That(iss.ReadRegister(12), Is.EqualTo(2));
        Assert.That(iss.ReadRegister(13), Is.EqualTo(3));
        Assert.That(iss.ReadRegister(14), Is.EqualTo(4));
        Assert.That((iss.ReadRegister(15), iss.ReadRegister(16), iss.ReadRegister(17)), Is.EqualTo((0u, 0u, 0u)));
    }

    [Test]
    public void WrittenCounterHoldsTheWrittenValueAfterTheWrite()
    {
        var iss = TestPrograms.RunToHalt("""
            li t0, 100
            csrw minstret, t0
            csrr a0, minstret
            li t0, 1000
            csrw mcycle, t0
            csrr a1, mcycle
            li t0, 5
            csrw minstreth, t0
            csrr a2, minstreth
            csrr a3, minstret
            li t0, -1
            csrw mcycle, t0
            csrr a4, mcycle
            csrr a5, mcycleh
            EXIT 0
            """);
        Assert.That(iss.ReadRegister(10), Is.EqualTo(100));
        Assert.That(iss.ReadRegister(11), Is.EqualTo(1000));
        Assert.That(iss.ReadRegister(12), Is.EqualTo(5));
        // Six instructions counted after the one that wrote 100: the write of minstreth counted none, and kept the low half.
        Assert.That(iss.ReadRegister(13), Is.EqualTo(100 + 6));
        Assert.That(iss.ReadRegister(14), Is.EqualTo(0xFFFF_FFFF));
        Assert.That(iss.ReadRegister(15), Is.EqualTo(1), "the csrr of mcycle carried into mcycleh");
    }

    /// <summary>See <see cref="CounterWriteProgram"/>.</summary>
    [TestCase("minstret")]
    [TestCase("mcycle")]
    public void AWriteOfEitherHalfReplacesTheIncrementOfTheWholeCounter(string counter)
    {
        var iss = TestPrograms.RunToHalt(CounterWriteProgram.Body(counter) + "\nEXIT 0");

        var read = CounterWriteProgram.Results.Select(r => iss.ReadRegister(RegisterNumber(r))).ToArray();
        Assert.That(read, Is.EqualTo(CounterWriteProgram.Expected), counter);
    }

    /// <summary>Right after a write of one half, the counter holds the value written there and the other half unchanged.</summary>
    [TestCase("minstret", Csr.Minstret)]
    [TestCase("mcycle", Csr.Mcycle)]
    public void AfterAWriteOfOneHalfTheOtherHalfIsUnchanged(string counter, uint low)
    {
        uint high = low + (Csr.Mcycleh - Csr.Mcycle);
        var iss = TestPrograms.Load($"""
            li t0, -1
            li t1, 9
            csrw {counter}, t0
            csrw {counter}h, t1
            csrw {counter}, t1
            EXIT 0
            """);
        iss.Step(out _);
        iss.Step(out _);
        iss.Step(out _);
        Assert.That((iss.ReadCsr(high), iss.ReadCsr(low)), Is.EqualTo((0u, 0xFFFF_FFFFu)), $"{counter} after the write of its low half");
        iss.Step(out _);
        Assert.That((iss.ReadCsr(high), iss.ReadCsr(low)), Is.EqualTo((9u, 0xFFFF_FFFFu)), $"{counter} after the write of its high half");
        iss.Step(out _);
        Assert.That((iss.ReadCsr(high), iss.ReadCsr(low)), Is.EqualTo((9u, 9u)), $"{counter} after the write of its low half with all ones in it");
    }

    private static int RegisterNumber(string name) => name switch
    {
        ['s', var digit] when digit is >= '2' and <= '9' => 18 + (digit - '2'),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "s2..s9 only"),
    };

    [Test]
    public void TimeReadsTheClintMtime()
    {
        var iss = TestPrograms.Load("""
            csrr a0, time
            csrr a1, timeh
            EXIT 0
            """);
        iss.Mtime = 0x0000_0007_FFFF_FFFF;
        iss.Step(out var first);
        iss.Step(out var second);
        Assert.That(first.RdWdata, Is.EqualTo(0xFFFF_FFFF));
        Assert.That(second.RdWdata, Is.EqualTo(8), "mtime ticked once, carrying into the high word");
    }
}
