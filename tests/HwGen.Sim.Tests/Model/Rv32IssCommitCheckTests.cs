using System.Text;
using HwGen.Designs.Soc;
using HwGen.Sim.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>
/// The golden model computes each instruction's effect, asks its commit check, then commits: a check that denies
/// one instruction leaves registers, memory, devices and CSRs as they were, and the instruction traps with
/// <see cref="TrapCause.PolicyViolation"/>.
/// </summary>
[TestFixture]
public sealed class Rv32IssCommitCheckTests
{
    private const uint Reason = 0x5A;

    /// <summary>Sets up some state, runs the instruction at <c>target</c>, and in the handler reads the UART and mcause.</summary>
    private static string Program(string setup, string instruction) => $"""
            la t0, handler
            csrw mtvec, t0
            li t0, 0x1111
            csrw mscratch, t0
            la s0, buffer
            li s1, UART_DATA
            li s2, MTIMECMP
            li t1, 0x12345678
            li t2, 0x80
            {setup}
        target:
            {instruction}
            EXIT 3
            .balign 4
        handler:
            lw a5, 0(s1)
            csrr a6, mcause
            csrr a7, mtval
            EXIT 0
            .data
            .balign 4
        buffer: .word 0xdeadbeef
        """;

    public static IEnumerable<TestCaseData> DeniedInstructions()
    {
        yield return new TestCaseData("", "addi a0, zero, 42", "insn").SetName("a register write");
        yield return new TestCaseData("", "sw t1, 0(s0)", "buffer").SetName("a word store to RAM");
        yield return new TestCaseData("", "sb t1, 1(s0)", "buffer+1").SetName("a byte store to RAM");
        yield return new TestCaseData("", "lw a0, 0(s0)", "buffer").SetName("a load from RAM");
        yield return new TestCaseData("", "lw a0, 0(s1)", "uart").SetName("a UART read, which would take the received byte");
        yield return new TestCaseData("", "sw t1, 0(s1)", "uart").SetName("a UART write, which would send a byte");
        yield return new TestCaseData("", "sw t1, 0(s2)", "mtimecmp").SetName("a CLINT write to mtimecmp");
        yield return new TestCaseData("", "csrrw a0, mscratch, t1", "insn").SetName("a CSR swap");
        yield return new TestCaseData("", "csrs mie, t2", "insn").SetName("a CSR set");
        yield return new TestCaseData("", "jal ra, .", "insn").SetName("a jump and link");
        yield return new TestCaseData("la t3, 1f; csrw mepc, t3", "mret\n1: nop", "insn").SetName("mret");
    }

    /// <summary>mtval of a denial: the data address of a load or store, else the instruction word.</summary>
    private static uint ExpectedTval(string what, Rv32Iss iss, uint target, uint buffer) => what switch
    {
        "insn" => iss.ReadWord(target),
        "buffer" => buffer,
        "buffer+1" => buffer + 1,
        "uart" => iss.Map.UartData,
        "mtimecmp" => iss.Map.Mtimecmp,
        _ => throw new ArgumentException(what),
    };

    [TestCaseSource(nameof(DeniedInstructions))]
    public void ADeniedInstructionChangesNothingAndTraps(string setup, string instruction, string tval)
    {
        var (iss, image) = Rv32IssTrapTests.Build(Program(setup, instruction));
        uint target = Rv32IssTrapTests.Symbol(image, "target");
        uint handler = Rv32IssTrapTests.Symbol(image, "handler");
        uint buffer = Rv32IssTrapTests.Symbol(image, "buffer");
        iss.EnqueueUartInput("Z"u8);
        iss.CommitCheck = CommitChecks.From(e => e.Pc == target ? CommitDecision.Deny(Reason) : CommitDecision.Allow);
        TestPrograms.StepUntil(iss, _ => iss.Pc == target);
        var before = Snapshot(iss, buffer);
        uint expectedTval = ExpectedTval(tval, iss, target, buffer);

        iss.Step(out var record);

        Assert.Multiple(() =>
        {
            Assert.That(Snapshot(iss, buffer), Is.EqualTo(before), "registers, the buffer, mscratch, mie, mtimecmp and the UART output are unchanged");
            Assert.That(record.Trap, Is.True, record.ToString());
            Assert.That(record.Cause, Is.EqualTo(TrapCause.PolicyViolation));
            Assert.That(record.PcRdata, Is.EqualTo(target));
            Assert.That(record.PcWdata, Is.EqualTo(handler));
            Assert.That(record.RdAddr, Is.Zero);
            Assert.That(record.MemWmask | record.MemRmask, Is.Zero);
            Assert.That(record.ToString(), Does.Contain("trap: policy violation"));
            Assert.That(iss.ReadCsr(Csr.Mepc), Is.EqualTo(target));
            Assert.That(iss.Pc, Is.EqualTo(handler));
            Assert.That(iss.LastEffect.Traps, Is.True);
            Assert.That(iss.LastEffect.Cause, Is.EqualTo(TrapCause.PolicyViolation));
            Assert.That(iss.LastEffect.Tval, Is.EqualTo(expectedTval));
        });

        Assert.That(iss.Run(1000).Status, Is.EqualTo(IssStatus.Passed));
        Assert.Multiple(() =>
        {
            Assert.That(iss.ReadRegister(15), Is.EqualTo('Z'), "the UART's received byte is still there for the handler");
            Assert.That(iss.ReadRegister(16), Is.EqualTo(TrapCause.PolicyViolation), "mcause");
            Assert.That(iss.ReadRegister(17), Is.EqualTo(expectedTval), "mtval: the data address of a load or store, else the instruction word");
        });
    }

    [Test]
    public void TheSameInstructionAllowedCommits()
    {
        var (iss, image) = Rv32IssTrapTests.Build(Program("", "sw t1, 0(s0)"));
        uint buffer = Rv32IssTrapTests.Symbol(image, "buffer");
        iss.CommitCheck = CommitChecks.From(_ => CommitDecision.Allow);

        Assert.That(iss.Run(1000).ExitCode, Is.EqualTo(3), "no trap: the program ends after the instruction");
        Assert.That(iss.ReadWord(buffer), Is.EqualTo(0x12345678));
    }

    [Test]
    public void TheCheckSeesTheEffectBeforeAnythingChanges()
    {
        var (iss, image) = Rv32IssTrapTests.Build(Program("", "sh t1, 2(s0)"));
        uint target = Rv32IssTrapTests.Symbol(image, "target");
        uint buffer = Rv32IssTrapTests.Symbol(image, "buffer");
        InsnEffect? seen = null;
        uint memoryDuringCheck = 0;
        iss.CommitCheck = CommitChecks.From(e =>
        {
            if (e.Pc == target)
            {
                seen = e;
                memoryDuringCheck = iss.ReadWord(buffer);
            }
            return CommitDecision.Allow;
        });

        iss.Run(1000);

        Assert.That(seen, Is.Not.Null);
        var effect = seen!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(effect.Access, Is.EqualTo(MemoryAccessKind.Store));
            Assert.That(effect.Address, Is.EqualTo(buffer + 2));
            Assert.That(effect.Size, Is.EqualTo(2));
            Assert.That(effect.Data, Is.EqualTo(0x5678));
            Assert.That(effect.Rd, Is.Zero);
            Assert.That(effect.NextPc, Is.EqualTo(target + 4));
            Assert.That(memoryDuringCheck, Is.EqualTo(0xdeadbeef), "memory is written after the check");
            Assert.That(iss.ReadWord(buffer), Is.EqualTo(0x5678beef));
        });
    }

    [Test]
    public void TheCheckIsAskedOnceForEveryInstructionThatCompletesAndNotForTraps()
    {
        var iss = TestPrograms.Load("""
            la t0, handler
            csrw mtvec, t0
            li a0, 5
        loop:
            addi a0, a0, -1
            bnez a0, loop
            ecall
            .balign 4
        handler:
            EXIT 0
        """);
        long calls = 0;
        iss.CommitCheck = CommitChecks.From(_ =>
        {
            calls++;
            return CommitDecision.Allow;
        });

        var result = iss.Run(1000);

        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed));
        Assert.That(calls, Is.EqualTo((long)result.Instret), "one call per retired instruction; the ecall, which traps by itself, is not checked");
    }

    [Test]
    public void TheDefaultCheckAllowsEverything()
    {
        var iss = new Rv32Iss(MemoryMap.Simulation);
        Assert.That(iss.CommitCheck, Is.SameAs(CommitChecks.AllowAll));
        Assert.That(iss.CommitCheck.Check(default).Allowed, Is.True);
    }

    [Test]
    public void TheDevicesAreTheMemoryMapsRegions()
    {
        var plain = new Rv32Iss(MemoryMap.Simulation);
        var withRom = new Rv32Iss(MemoryMap.Simulation with { BootRomSize = 0x1000 });
        Assert.Multiple(() =>
        {
            Assert.That(plain.Devices.Select(d => d.Region), Is.EqualTo(MemoryMap.Simulation.Regions));
            Assert.That(withRom.Devices.Select(d => d.Region.Name), Does.Contain("BOOTROM"));
            Assert.That(withRom.Devices.Single(d => d.Region.Name == "BOOTROM").CanWrite(0x0001_0000, 4), Is.False, "the boot ROM is read-only");
        });
    }

    private static (string Registers, uint Buffer, uint Mscratch, uint Mie, ulong Mtimecmp, string Uart) Snapshot(Rv32Iss iss, uint buffer) =>
        (string.Join(",", Enumerable.Range(0, 32).Select(iss.ReadRegister)), iss.ReadWord(buffer), iss.ReadCsr(Csr.Mscratch), iss.ReadCsr(Csr.Mie), iss.Mtimecmp, iss.UartOutput);
}
