using HwGen.Sim.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>
/// The golden model configured as a smaller hart (<see cref="IssOptions.WithM"/>, <see cref="IssOptions.Counters"/>), as
/// a core generated without M or without counters: those instructions and CSRs are illegal instructions.
/// </summary>
[TestFixture]
public sealed class Rv32IssHartOptionsTests
{
    private const int A0 = 10;

    private static RetireRecord FirstTrap(string instruction, IssOptions options)
    {
        var (iss, image) = Rv32IssTrapTests.Build($"""
            la t0, handler
            csrw mtvec, t0
            li a0, 7
            li a1, 3
            fault:
            {instruction}
            EXIT 1
            .balign 4
            handler:
            EXIT 0
            """, options);
        var record = TestPrograms.StepUntil(iss, r => r.Trap);
        Assert.Multiple(() =>
        {
            Assert.That(record.PcRdata, Is.EqualTo(Rv32IssTrapTests.Symbol(image, "fault")));
            Assert.That(iss.ReadCsr(Csr.Mtval), Is.EqualTo(record.Insn), "mtval holds the instruction bits");
            Assert.That(iss.ReadRegister(A0), Is.EqualTo(7), "rd untouched");
        });
        return record;
    }

    [TestCase("mul a0, a0, a1")]
    [TestCase("mulhu a0, a0, a1")]
    [TestCase("div a0, a0, a1")]
    [TestCase("remu a0, a0, a1")]
    public void WithoutMTheMInstructionsAreIllegal(string instruction)
    {
        var record = FirstTrap(instruction, new IssOptions { WithM = false });
        Assert.That(record.Cause, Is.EqualTo(TrapCause.IllegalInstruction));
        Assert.That((record.Rs1Addr, record.Rs2Addr, record.RdAddr), Is.EqualTo((0, 0, 0)));
    }

    [Test]
    public void WithoutMMisaHasIOnly()
    {
        var iss = TestPrograms.Load("csrr a0, misa\nmul a1, a0, a0\nEXIT 0", new IssOptions { WithM = false });
        Assert.That(iss.ReadCsr(Csr.Misa), Is.EqualTo((1u << 30) | (1u << 8)));
        Assert.That(Csr.MisaValueWithoutM, Is.EqualTo(Csr.MisaValue & ~(1u << 12)));
    }

    [TestCase("csrr a0, mcycle")]
    [TestCase("csrr a0, mcycleh")]
    [TestCase("csrr a0, minstret")]
    [TestCase("csrr a0, minstreth")]
    [TestCase("csrr a0, cycle")]
    [TestCase("csrr a0, instret")]
    [TestCase("csrr a0, time")]
    [TestCase("csrr a0, timeh")]
    [TestCase("csrw minstret, a1")]
    [TestCase("csrw mcycle, a1")]
    public void WithoutCountersTheCounterCsrsAreIllegal(string instruction)
    {
        var record = FirstTrap(instruction, new IssOptions { Counters = false });
        Assert.That(record.Cause, Is.EqualTo(TrapCause.IllegalInstruction));
    }

    [TestCase("csrr a0, mstatus")]
    [TestCase("csrr a0, misa")]
    [TestCase("csrr a0, mie")]
    [TestCase("csrr a0, mip")]
    [TestCase("csrw mscratch, a1")]
    [TestCase("csrr a0, mscratch")]
    [TestCase("csrr a0, mhartid")]
    [TestCase("csrr a0, minstret")]
    public void WithTheTrapCsrsAloneEveryOtherCsrIsIllegal(string instruction)
    {
        var record = FirstTrap(instruction, new IssOptions { Counters = false, Csrs = HwGen.Designs.Riscv.CsrSet.TrapOnly });
        Assert.That(record.Cause, Is.EqualTo(TrapCause.IllegalInstruction));
    }

    [Test]
    public void WithTheTrapCsrsAloneTheyHoldWhatIsWrittenAndMcauseItsLegalBits()
    {
        var iss = TestPrograms.Load("""
            li a0, 0x80001230
            csrw mtvec, a0
            li a1, 0x80004564
            csrw mepc, a1
            li a2, 0xFFFFFFF5
            csrw mcause, a2
            li a3, 0x12345678
            csrw mtval, a3
            EXIT 0
            """, new IssOptions { Counters = false, Csrs = HwGen.Designs.Riscv.CsrSet.TrapOnly });
        Assert.That(iss.Run(1000).Status, Is.EqualTo(IssStatus.Passed));
        Assert.Multiple(() =>
        {
            Assert.That(iss.ReadCsr(Csr.Mtvec), Is.EqualTo(0x80001230));
            Assert.That(iss.ReadCsr(Csr.Mepc), Is.EqualTo(0x80004564));
            Assert.That(iss.ReadCsr(Csr.Mcause), Is.EqualTo(0x80000005));
            Assert.That(iss.ReadCsr(Csr.Mtval), Is.EqualTo(0x12345678));
        });
    }

    /// <summary>
    /// A hart without CSRs: every CSR instruction and mret are illegal, and a trap (of any cause) leaves the pc on the
    /// instruction, which traps again at every step, changing nothing.
    /// </summary>
    [TestCase("csrr a0, mtvec", TrapCause.IllegalInstruction)]
    [TestCase("csrw mepc, a1", TrapCause.IllegalInstruction)]
    [TestCase("csrrwi a0, mscratch, 3", TrapCause.IllegalInstruction)]
    [TestCase("mret", TrapCause.IllegalInstruction)]
    [TestCase("ecall", TrapCause.EcallFromM)]
    [TestCase("ebreak", TrapCause.Breakpoint)]
    [TestCase("lw a0, 0(a1)", TrapCause.LoadAddressMisaligned)]
    public void WithoutCsrsATrapStaysOnTheInstruction(string instruction, uint cause)
    {
        var (iss, image) = Rv32IssTrapTests.Build($"""
            li a0, 7
            li a1, 3
            fault:
            {instruction}
            EXIT 0
            """, new IssOptions { Counters = false, Csrs = HwGen.Designs.Riscv.CsrSet.None });
        uint fault = Rv32IssTrapTests.Symbol(image, "fault");
        var first = TestPrograms.StepUntil(iss, r => r.Trap);
        iss.Step(out var second);
        iss.Step(out var third);
        Assert.Multiple(() =>
        {
            foreach (var record in new[] { first, second, third })
            {
                Assert.That(record.Trap, Is.True);
                Assert.That(record.Cause, Is.EqualTo(cause));
                Assert.That(record.PcRdata, Is.EqualTo(fault));
                Assert.That(record.PcWdata, Is.EqualTo(fault), "the pc stays");
            }
            Assert.That(iss.Pc, Is.EqualTo(fault));
            Assert.That(iss.ReadRegister(A0), Is.EqualTo(7), "rd untouched");
            Assert.That(iss.Halted, Is.False);
        });
    }

    [Test]
    public void TheDefaultHartHasMAndTheCounters()
    {
        var iss = TestPrograms.RunToHalt("li a0, 6\nli a1, 7\nmul a0, a0, a1\ncsrr a2, minstret\nEXIT 0");
        Assert.Multiple(() =>
        {
            Assert.That(iss.ReadRegister(A0), Is.EqualTo(42));
            Assert.That(iss.ReadRegister(12), Is.GreaterThan(2));
            Assert.That(iss.ReadCsr(Csr.Misa), Is.EqualTo(Csr.MisaValue));
        });
    }
}
