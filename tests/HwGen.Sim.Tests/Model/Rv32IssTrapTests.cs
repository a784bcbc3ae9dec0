using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>Every exception cause with its mepc, mcause and mtval; trap entry and mret.</summary>
[TestFixture]
public sealed class Rv32IssTrapTests
{
    internal static (Rv32Iss Iss, ElfImage Image) Build(string body, IssOptions? options = null)
    {
        var image = ElfImage.Load(TestPrograms.Assemble(body), TestPrograms.Map);
        var iss = new Rv32Iss(TestPrograms.Map, options);
        iss.Load(image);
        return (iss, image);
    }

    internal static uint Symbol(ElfImage image, string name)
    {
        Assert.That(image.TryGetSymbol(name, out uint address), Is.True, $"symbol {name}");
        return address;
    }

    /// <summary>
    /// A program whose instruction at <c>fault</c> traps into <c>handler</c>. <c>setup</c> runs first;
    /// t0 is free, s0 holds 0x11 and must survive.
    /// </summary>
    private static string TrapProgram(string setup, string instruction) => $"""
            la t0, handler
            csrrw zero, mtvec, t0
            li s0, 0x11
            li a0, 0x5a5a
            {setup}
        fault:
            {instruction}
            EXIT 1
            .balign 4
        handler:
            EXIT 0
        """;

    private static void CheckTrap(string setup, string instruction, uint cause, Func<ElfImage, Rv32Iss, uint> mtval, Func<ElfImage, uint>? faultPc = null)
    {
        var (iss, image) = Build(TrapProgram(setup, instruction));
        var record = TestPrograms.StepUntil(iss, r => r.Trap);
        uint pc = faultPc?.Invoke(image) ?? Symbol(image, "fault");
        uint handler = Symbol(image, "handler");

        Assert.That(record.Cause, Is.EqualTo(cause), TrapCause.Describe(record.Cause));
        Assert.That(record.PcRdata, Is.EqualTo(pc));
        Assert.That(record.PcWdata, Is.EqualTo(handler));
        Assert.That(record.RdAddr, Is.Zero);
        Assert.That(record.RdWdata, Is.Zero);
        Assert.That((record.MemRmask, record.MemWmask), Is.EqualTo((0, 0)));
        Assert.That(iss.Pc, Is.EqualTo(handler));
        Assert.That(iss.ReadCsr(Csr.Mepc), Is.EqualTo(pc));
        Assert.That(iss.ReadCsr(Csr.Mcause), Is.EqualTo(cause));
        Assert.That(iss.ReadCsr(Csr.Mtval), Is.EqualTo(mtval(image, iss)));
        Assert.That(iss.ReadRegister(8), Is.EqualTo(0x11), "s0 untouched");
        Assert.That(iss.ReadRegister(10), Is.EqualTo(0x5a5a), "a0 (the destination of the faulting instruction) untouched");
        Assert.That(iss.Run(1000).Status, Is.EqualTo(IssStatus.Passed), "the handler runs");
    }

    [Test]
    public void JalToMisalignedTarget() =>
        CheckTrap("", "jal a0, . + 6", TrapCause.InstructionAddressMisaligned, (image, _) => Symbol(image, "fault") + 6);

    [Test]
    public void JalrToMisalignedTarget() =>
        CheckTrap("la t0, fault + 10", "jalr a0, 1(t0)", TrapCause.InstructionAddressMisaligned, (image, _) => Symbol(image, "fault") + 10);

    [Test]
    public void TakenBranchToMisalignedTarget() =>
        CheckTrap("li t0, 4", "bgeu t0, zero, . + 2", TrapCause.InstructionAddressMisaligned, (image, _) => Symbol(image, "fault") + 2);

    [Test]
    public void UntakenBranchToMisalignedTargetDoesNotTrap()
    {
        var (iss, _) = Build("""
            la t0, handler
            csrw mtvec, t0
            bne zero, zero, . + 2
            EXIT 0
            .balign 4
            handler:
            EXIT 1
            """);
        Assert.That(iss.Run(1000).Status, Is.EqualTo(IssStatus.Passed));
    }

    [Test]
    public void FetchOutsideRam()
    {
        var (iss, image) = Build(TrapProgram("li t0, GPIO_BASE", "jalr zero, 0(t0)"));
        var jump = TestPrograms.StepUntil(iss, r => r.PcRdata == Symbol(image, "fault"));
        Assert.That(jump.Trap, Is.False);
        Assert.That(jump.PcWdata, Is.EqualTo(TestPrograms.Map.GpioBase));

        iss.Step(out var record);
        Assert.That(record.Trap, Is.True);
        Assert.That(record.Cause, Is.EqualTo(TrapCause.InstructionAccessFault));
        Assert.That(record.Insn, Is.Zero, "nothing was fetched");
        Assert.That(record.PcRdata, Is.EqualTo(TestPrograms.Map.GpioBase));
        Assert.That(iss.ReadCsr(Csr.Mepc), Is.EqualTo(TestPrograms.Map.GpioBase));
        Assert.That(iss.ReadCsr(Csr.Mtval), Is.EqualTo(TestPrograms.Map.GpioBase));
    }

    [Test]
    public void MisalignedPcSetFromOutside()
    {
        var (iss, image) = Build(TrapProgram("", "nop"));
        iss.Pc = Symbol(image, "fault") + 2;
        iss.Step(out var record);
        Assert.That((record.Trap, record.Cause), Is.EqualTo((true, TrapCause.InstructionAddressMisaligned)));
        Assert.That(iss.ReadCsr(Csr.Mtval), Is.EqualTo(Symbol(image, "fault") + 2));
    }

    [TestCase(".word 0xffffffff", 0xFFFF_FFFFu)]
    [TestCase(".word 0x00000000", 0u)]
    [TestCase(".word 0x02051513", 0x0205_1513u)] // slli with shamt[5] set (RV64 only)
    [TestCase(".word 0x10200073", 0x1020_0073u)] // sret: no supervisor mode
    [TestCase(".word 0x00003003", 0x0000_3003u)] // ld
    public void IllegalInstruction(string instruction, uint bits) =>
        CheckTrap("", instruction, TrapCause.IllegalInstruction, (_, _) => bits);

    [Test]
    public void Breakpoint() =>
        CheckTrap("", "ebreak", TrapCause.Breakpoint, (image, _) => Symbol(image, "fault"));

    [Test]
    public void EnvironmentCall() =>
        CheckTrap("", "ecall", TrapCause.EcallFromM, (_, _) => 0);

    [TestCase("lw a0, 1(t0)", 1)]
    [TestCase("lw a0, 2(t0)", 2)]
    [TestCase("lh a0, 3(t0)", 3)]
    [TestCase("lhu a0, 1(t0)", 1)]
    public void LoadAddressMisaligned(string instruction, int offset) =>
        CheckTrap("la t0, handler", instruction, TrapCause.LoadAddressMisaligned, (image, _) => Symbol(image, "handler") + (uint)offset);

    [TestCase("sw a0, 3(t0)", 3)]
    [TestCase("sh a0, 1(t0)", 1)]
    public void StoreAddressMisaligned(string instruction, int offset) =>
        CheckTrap("la t0, handler", instruction, TrapCause.StoreAddressMisaligned, (image, _) => Symbol(image, "handler") + (uint)offset);

    [TestCase("li t0, 0", "lb a0, 4(t0)", 4)]
    [TestCase("li t0, 0x40000000", "lw a0, 0(t0)", 0)]
    [TestCase("li t0, -4", "lw a0, 0(t0)", 0)]
    [TestCase("li t0, MTIME", "lbu a0, 1(t0)", 1)]       // byte access to the CLINT
    [TestCase("li t0, MTIME", "lhu a0, 0(t0)", 0)]       // halfword access to the CLINT
    public void LoadAccessFault(string setup, string instruction, int offset) =>
        CheckTrap(setup, instruction, TrapCause.LoadAccessFault, (_, iss) => iss.ReadRegister(5) + (uint)offset);

    [TestCase("li t0, 0", "sb a0, 0(t0)")]
    [TestCase("li t0, 0x7ffffffc", "sw a0, 0(t0)")]
    [TestCase("li t0, MTIME", "sb a0, 0(t0)")]
    [TestCase("li t0, MTIMECMP", "sh a0, 0(t0)")]
    public void StoreAccessFault(string setup, string instruction) =>
        CheckTrap(setup, instruction, TrapCause.StoreAccessFault, (_, iss) => iss.ReadRegister(5));

    [Test]
    public void StoreJustPastRamFaults()
    {
        var end = TestPrograms.Map.RamBase + TestPrograms.Map.RamSize;
        CheckTrap($"li t0, 0x{end:x}", "sb a0, 0(t0)", TrapCause.StoreAccessFault, (_, _) => end);
    }

    [Test]
    public void TrapEntryAndMretMoveTheInterruptEnable()
    {
        var iss = TestPrograms.RunToHalt("""
            la t0, handler
            csrw mtvec, t0
            csrsi mstatus, 8
            csrr s1, mstatus
            ecall
            csrr s3, mstatus
            csrr s4, mcause
            EXIT 0
            .balign 4
            handler:
            csrr s2, mstatus
            csrr t0, mepc
            addi t0, t0, 4
            csrw mepc, t0
            mret
            """);
        Assert.That(iss.ReadRegister(9), Is.EqualTo(Csr.MstatusMpp | Csr.MstatusMie), "before: MIE");
        Assert.That(iss.ReadRegister(18), Is.EqualTo(Csr.MstatusMpp | Csr.MstatusMpie), "in the handler: MIE 0, MPIE 1");
        Assert.That(iss.ReadRegister(19), Is.EqualTo(Csr.MstatusMpp | Csr.MstatusMpie | Csr.MstatusMie), "after mret: MIE from MPIE, MPIE 1");
        Assert.That(iss.ReadRegister(20), Is.EqualTo(TrapCause.EcallFromM));
    }

    [Test]
    public void MretWithInterruptsOffBeforeTheTrap()
    {
        var iss = TestPrograms.RunToHalt("""
            la t0, handler
            csrw mtvec, t0
            ebreak
            csrr s3, mstatus
            EXIT 0
            .balign 4
            handler:
            csrr s2, mstatus
            csrr t0, mepc
            addi t0, t0, 4
            csrw mepc, t0
            mret
            """);
        Assert.That(iss.ReadRegister(18), Is.EqualTo(Csr.MstatusMpp), "in the handler: MIE 0, MPIE 0");
        Assert.That(iss.ReadRegister(19), Is.EqualTo(Csr.MstatusMpp | Csr.MstatusMpie), "after mret: MIE 0, MPIE 1");
    }

    [Test]
    public void TrappingInstructionsDoNotRetire()
    {
        var (iss, _) = Build("""
            la t0, handler
            csrw mtvec, t0
            ecall
            .balign 4
            handler:
            csrr a0, minstret
            EXIT 0
            """);
        Assert.That(iss.Run(1000).Status, Is.EqualTo(IssStatus.Passed));
        // la (2 instructions) and csrw retired; ecall did not.
        Assert.That(iss.ReadRegister(10), Is.EqualTo(3));
    }
}
