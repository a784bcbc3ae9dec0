using System.Diagnostics;
using System.Text;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>Timer interrupt, tohost, UART, CLINT and the other MMIO regions; Run against Step.</summary>
[TestFixture]
public sealed class Rv32IssSystemTests
{
    /// <summary>Arms the timer <c>delay</c> ticks ahead, enables it (when <c>enable</c>), then counts in a0 forever.</summary>
    private static string TimerProgram(int delay, bool enable) => $"""
            la t0, handler
            csrw mtvec, t0
            li t0, MTIMECMP
            li t1, MTIME
            lw t2, 0(t1)
            addi t2, t2, {delay}
            sw t2, 0(t0)
            sw zero, 4(t0)
            li t0, 0x80
            csrs mie, t0
            {(enable ? "csrsi mstatus, 8" : "nop")}
        loop:
            addi a0, a0, 1
            j loop
            .balign 4
        handler:
            csrr a1, mcause
            csrr a2, mepc
            csrr a3, mstatus
            csrr a4, mip
            EXIT 0
        """;

    [Test]
    public void TimerInterruptIsTakenBetweenInstructions()
    {
        var (iss, image) = Rv32IssTrapTests.Build(TimerProgram(40, enable: true));
        uint handler = Rv32IssTrapTests.Symbol(image, "handler");
        uint loop = Rv32IssTrapTests.Symbol(image, "loop");

        var records = new List<RetireRecord>();
        while (!iss.Halted)
        {
            iss.Step(out var r);
            records.Add(r);
        }
        int first = records.FindIndex(r => r.Intr);
        Assert.That(first, Is.GreaterThan(0));
        Assert.That(records.Count(r => r.Intr), Is.EqualTo(1));
        var before = records[first - 1];
        var entry = records[first];
        Assert.That(entry.PcRdata, Is.EqualTo(handler), "the flagged record is the handler's first instruction");
        Assert.That(entry.Trap, Is.False);
        Assert.That(before.PcRdata - loop, Is.LessThanOrEqualTo(4u), "interrupted inside the loop");

        Assert.That(iss.ReadRegister(11), Is.EqualTo(TrapCause.MachineTimerInterrupt));
        Assert.That(iss.ReadRegister(12), Is.EqualTo(before.PcWdata), "mepc = the instruction not yet executed");
        Assert.That(iss.ReadRegister(13), Is.EqualTo(Csr.MstatusMpp | Csr.MstatusMpie), "MIE cleared, MPIE set");
        Assert.That(iss.ReadRegister(14), Is.EqualTo(Csr.Mti), "MTIP pending");
        Assert.That(iss.ReadCsr(Csr.Mtval), Is.Zero);
        Assert.That(iss.Mtimecmp, Is.LessThanOrEqualTo(iss.Mtime));
    }

    [Test]
    public void TimerInterruptFiresAtMtimecmp()
    {
        var (iss, _) = Rv32IssTrapTests.Build(TimerProgram(100, enable: true));
        ulong? enabledAt = null;
        while (!iss.Halted)
        {
            ulong before = iss.Mtime;
            iss.Step(out var r);
            if (r.Intr)
            {
                // Taken before the first instruction that starts with mtime >= mtimecmp.
                Assert.That(before, Is.EqualTo(iss.Mtimecmp));
                enabledAt = before;
            }
        }
        Assert.That(enabledAt, Is.Not.Null);
    }

    [Test]
    public void TimerPendingButDisabledIsOnlyVisibleInMip()
    {
        var iss = TestPrograms.Load(TimerProgram(10, enable: false));
        var result = iss.Run(2_000);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Timeout));
        Assert.That(iss.ReadCsr(Csr.Mip), Is.EqualTo(Csr.Mti));
        Assert.That(iss.ReadRegister(10), Is.GreaterThan(900u), "still counting in the loop");
    }

    [Test]
    public void WfiWaitsForTheTimer()
    {
        var iss = TestPrograms.RunToHalt(TimerProgram(30, enable: true).Replace("addi a0, a0, 1", "wfi"));
        Assert.That(iss.ReadRegister(11), Is.EqualTo(TrapCause.MachineTimerInterrupt));
    }

    [Test]
    public void CoSimulationTakesInterruptsOnlyWhenInjected()
    {
        var (iss, image) = Rv32IssTrapTests.Build(TimerProgram(10, enable: true), new IssOptions { AutonomousInterrupts = false });
        Assert.That(iss.Run(500).Status, Is.EqualTo(IssStatus.Timeout), "no interrupt of its own");
        uint pc = iss.Pc;
        iss.InjectInterrupt(7);
        Assert.That(iss.Pc, Is.EqualTo(Rv32IssTrapTests.Symbol(image, "handler")));
        iss.Step(out var record);
        Assert.That(record.Intr, Is.True);
        Assert.That(record.PcRdata, Is.EqualTo(Rv32IssTrapTests.Symbol(image, "handler")));
        Assert.That(iss.ReadCsr(Csr.Mepc), Is.EqualTo(pc));
        Assert.That(iss.ReadCsr(Csr.Mcause), Is.EqualTo(TrapCause.MachineTimerInterrupt));
        iss.Step(out var second);
        Assert.That(second.Intr, Is.False);
        Assert.That(iss.Run(100).Status, Is.EqualTo(IssStatus.Passed));
    }

    [TestCase(0, IssStatus.Passed)]
    [TestCase(1, IssStatus.Failed)]
    [TestCase(1000, IssStatus.Failed)]
    public void TohostEndsTheProgram(int code, IssStatus status)
    {
        var iss = TestPrograms.Load($"EXIT {code}");
        var result = iss.Run(1000);
        Assert.That(result, Is.EqualTo(new IssRunResult(status, code, iss.Instret, "")));
        Assert.That(iss.Halted, Is.True);
        Assert.That(iss.ExitCode, Is.EqualTo(code));
        Assert.That(iss.Run(1000), Is.EqualTo(result), "a halted machine stays halted");
    }

    [Test]
    public void EvenValueInTohostDoesNotHalt()
    {
        var iss = TestPrograms.Load("""
            la t0, tohost
            li t1, 6
            sw t1, 0(t0)
            sb t1, 0(t0)
            li t1, 5
            sw t1, 4(t0)
            li t1, 0x0b
            sb t1, 0(t0)
            j .
            """);
        var result = iss.Run(1000);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Failed), "the byte store left bit 0 set");
        Assert.That(result.ExitCode, Is.EqualTo(5));
        Assert.That(result.Instret, Is.EqualTo(9), "la is two instructions; the halting store retired");
    }

    [Test]
    public void WithoutTohostOnlyTheLimitStops()
    {
        var image = ElfImage.Load(TestPrograms.Assemble("li a0, 1\n1: addi a0, a0, 1\nj 1b", withTohost: false), TestPrograms.Map);
        var iss = new Rv32Iss(TestPrograms.Map);
        iss.Load(image);
        var result = iss.Run(1001);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Timeout));
        Assert.That(result.Instret, Is.EqualTo(1001));
        Assert.That(iss.ReadRegister(10), Is.EqualTo(501));
    }

    [Test]
    public void UartSendsLatin1Bytes()
    {
        var iss = TestPrograms.RunToHalt("""
            li t0, UART_DATA
            la t1, message
            1:  lbu t2, 0(t1)
            beqz t2, 2f
            3:  lw t3, 4(t0)
            andi t3, t3, 1
            beqz t3, 3b
            sw t2, 0(t0)
            addi t1, t1, 1
            j 1b
            2:  li t2, 0x1e9
            sw t2, 0(t0)
            EXIT 0
            .data
            message: .asciz "Hi!\n"
            """);
        Assert.That(iss.UartOutput, Is.EqualTo("Hi!\n\u00e9"), "only the low byte of the last store is sent");
    }

    [Test]
    public void UartTakesEveryWidthAtTheRegistersFirstByte()
    {
        var iss = TestPrograms.Load("""
            li t0, UART_DATA
            li t1, 0x168
            sb t1, 0(t0)
            li t1, 0x4069
            sh t1, 0(t0)
            li t1, 0x58
            sb t1, 1(t0)
            sh t1, 2(t0)
            lbu a0, 4(t0)
            lbu a1, 1(t0)
            lhu a2, 2(t0)
            lb a3, 0(t0)
            lhu a4, 0(t0)
            lbu a5, 5(t0)
            lbu a6, 4(t0)
            EXIT 0
            """);
        iss.EnqueueUartInput(Encoding.Latin1.GetBytes("\u00e9B"));
        Assert.That(iss.Run(100).Status, Is.EqualTo(IssStatus.Passed));
        Assert.Multiple(() =>
        {
            Assert.That(iss.UartOutput, Is.EqualTo("hi"), "sb and sh to data send their low byte; stores to data + 1 and + 2 send nothing");
            Assert.That(Enumerable.Range(10, 7).Select(iss.ReadRegister),
                Is.EqualTo(new uint[] { 3, 0, 0, 0xFFFF_FFE9, 'B', 0, 1 }), "status; data + 1 and + 2 read 0 and take nothing; lb sign-extends the byte taken");
        });
    }

    [Test]
    public void UartReceivesQueuedBytes()
    {
        var iss = TestPrograms.Load("""
            li t0, UART_DATA
            lw a0, 4(t0)
            lw a1, 0(t0)
            lw a2, 0(t0)
            lw a3, 4(t0)
            lw a4, 0(t0)
            EXIT 0
            """);
        iss.EnqueueUartInput(Encoding.Latin1.GetBytes("AB"));
        Assert.That(iss.Run(100).Status, Is.EqualTo(IssStatus.Passed));
        Assert.That(Enumerable.Range(10, 5).Select(iss.ReadRegister), Is.EqualTo(new uint[] { 3, 'A', 'B', 1, 0 }));
    }

    [Test]
    public void ClintRegistersAreWords()
    {
        var iss = TestPrograms.RunToHalt("""
            li t0, MTIMECMP
            lw a0, 0(t0)
            lw a1, 4(t0)
            li t1, 0x12345678
            sw t1, 0(t0)
            li t1, 0x9
            sw t1, 4(t0)
            lw a2, 0(t0)
            lw a3, 4(t0)
            li t0, MTIME
            li t1, 1000
            sw zero, 4(t0)
            sw t1, 0(t0)
            lw a4, 0(t0)
            lw a5, 4(t0)
            li t0, CLINT_BASE
            lw a6, 0(t0)
            sw t1, 0(t0)
            lw a7, 0(t0)
            EXIT 0
            """);
        Assert.That((iss.ReadRegister(10), iss.ReadRegister(11)), Is.EqualTo((0xFFFF_FFFFu, 0xFFFF_FFFFu)), "mtimecmp resets to all ones");
        Assert.That((iss.ReadRegister(12), iss.ReadRegister(13)), Is.EqualTo((0x1234_5678u, 9u)));
        Assert.That(iss.Mtimecmp, Is.EqualTo(0x9_1234_5678));
        Assert.That(iss.ReadRegister(14), Is.EqualTo(1001), "mtime ticked once after the store");
        Assert.That(iss.ReadRegister(15), Is.Zero);
        Assert.That((iss.ReadRegister(16), iss.ReadRegister(17)), Is.EqualTo((0u, 0u)), "a CLINT word that is no register reads 0 and ignores writes");
    }

    [Test]
    public void GpioAndPexCallReadZeroAndIgnoreWrites()
    {
        var iss = TestPrograms.RunToHalt("""
            li t0, GPIO_BASE
            li t1, -1
            sw t1, 0(t0)
            sb t1, 5(t0)
            sh t1, 6(t0)
            lw a0, 0(t0)
            lbu a1, 5(t0)
            lh a2, 6(t0)
            li t0, PEXCALL_BASE
            sw t1, 0(t0)
            lw a3, 0(t0)
            EXIT 0
            """);
        Assert.That(Enumerable.Range(10, 4).Select(iss.ReadRegister), Is.All.Zero);
    }

    private const string CrcProgram = """
        volatile unsigned int tohost __attribute__((aligned(8)));
        static unsigned char buf[BYTES];
        int main(void);
        __attribute__((section(".text.start"), naked)) void _start(void) {
            __asm__ volatile("la sp, stack_top\n call main\n slli a0, a0, 1\n ori a0, a0, 1\n la t0, tohost\n sw a0, 0(t0)\n 1: j 1b");
        }
        unsigned char stack[1024] __attribute__((aligned(16)));
        __asm__(".globl stack_top\n .set stack_top, stack + 1024");
        int main(void) {
            for (unsigned i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + 3);
            unsigned crc = 0xFFFFFFFFu;
            for (int rep = 0; rep < REPS; rep++)
                for (unsigned i = 0; i < sizeof buf; i++) {
                    crc ^= buf[i];
                    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
                }
            return (int)((~crc) & 0xFF);
        }
        """;

    /// <summary>The low byte of the CRC-32 (IEEE 802.3, reflected) of the buffer the C program fills, repeated.</summary>
    private static int ExpectedCrcExit(int bytes, int reps)
    {
        var buffer = new byte[bytes];
        for (int i = 0; i < bytes; i++)
            buffer[i] = (byte)(i * 7 + 3);
        uint crc = uint.MaxValue;
        for (int r = 0; r < reps; r++)
            crc = Crc32Update(crc, buffer);
        return (int)(~crc & 0xFF);
    }

    private static uint Crc32Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1;
        }
        return crc;
    }

    [Test]
    public void ReferenceCrcMatchesTheStandardCheckValue() =>
        Assert.That(~Crc32Update(uint.MaxValue, "123456789"u8), Is.EqualTo(0xCBF4_3926));

    private static ElfImage BuildCrc(int bytes, int reps) => ElfImage.Load(
        TestPrograms.Build(CrcProgram, ".c", ["-O2", $"-DBYTES={bytes}", $"-DREPS={reps}"]),
        TestPrograms.Map);

    [Test]
    public void RunAndStepAgreeOnACompiledProgram()
    {
        var image = BuildCrc(bytes: 512, reps: 2);
        var fast = new Rv32Iss(TestPrograms.Map);
        fast.Load(image);
        var result = fast.Run(10_000_000);

        var traced = new Rv32Iss(TestPrograms.Map);
        traced.Load(image);
        ulong records = 0;
        while (!traced.Halted)
        {
            traced.Step(out _);
            records++;
        }

        Assert.That(result.Status, Is.EqualTo(ExpectedCrcExit(512, 2) == 0 ? IssStatus.Passed : IssStatus.Failed));
        Assert.That(result.ExitCode, Is.EqualTo(ExpectedCrcExit(512, 2)));
        Assert.That(traced.ExitCode, Is.EqualTo(result.ExitCode));
        Assert.That(traced.Instret, Is.EqualTo(result.Instret));
        Assert.That(records, Is.EqualTo(result.Instret), "no traps in this program");
        Assert.That(Enumerable.Range(0, 32).Select(traced.ReadRegister), Is.EqualTo(Enumerable.Range(0, 32).Select(fast.ReadRegister)));
        Assert.That(traced.Pc, Is.EqualTo(fast.Pc));
        Assert.That(traced.ReadCsr(Csr.Mcycle), Is.EqualTo(fast.ReadCsr(Csr.Mcycle)));
    }
}
