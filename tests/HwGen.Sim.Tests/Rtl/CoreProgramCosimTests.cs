using System.Globalization;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Self-checking programs for the core, assembled with the RISC-V GCC and run on the Verilated SoC in lockstep
/// with the golden model. They end with code 0 on success or the number of the first failing check.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CoreProgramCosimTests
{
    /// <summary>The frame of a self-checking program: <c>CHECK(n, reg, value)</c> ends it with code n on a mismatch.</summary>
    private const string Frame = """
        #define CHECK(n, reg, value) li gp, n; li t6, value; bne reg, t6, fail

            .section .text.init, "ax", @progbits
            .globl _start
        _start:
            li x1, 0; li x2, 0; li x3, 0; li x4, 0; li x5, 0; li x6, 0; li x7, 0; li x8, 0; li x9, 0; li x10, 0; li x11, 0; li x12, 0; li x13, 0; li x14, 0; li x15, 0; li x16, 0; li x17, 0; li x18, 0; li x19, 0; li x20, 0; li x21, 0; li x22, 0; li x23, 0; li x24, 0; li x25, 0; li x26, 0; li x27, 0; li x28, 0; li x29, 0; li x30, 0; li x31, 0
            la s0, scratch
        #include "body"
        pass:
            li t0, 1
            la t1, tohost
            sw t0, 0(t1)
        1:  j 1b
        fail:
            slli gp, gp, 1
            ori gp, gp, 1
            la t1, tohost
            sw gp, 0(t1)
        2:  j 2b

            .data
            .balign 4
        scratch:
            .space 64
        array:
            .word 3, 1, 4, 1, 5, 9, 2, 6, 5, 3
        """;

    private const string IntegerBody = """
            /* 1-2: forwarding from the memory stage and from the writeback stage */
            li a0, 5
            addi a1, a0, 3
            add a2, a1, a0
            CHECK(1, a1, 8)
            CHECK(2, a2, 13)
            /* 3: the newer value (memory stage) wins over the older one (writeback) */
            li a0, 1
            li a0, 2
            add a3, a0, zero
            CHECK(3, a3, 2)
            /* 4: written in writeback while read in decode (register file bypass) */
            li a0, 7
            nop
            nop
            addi a4, a0, 0
            CHECK(4, a4, 7)
            /* 5-6: x0 stays zero, and a write to x0 is not forwarded */
            addi zero, zero, 5
            add a5, zero, zero
            CHECK(5, a5, 0)
            li a0, 9
            addi zero, a0, 1
            addi a5, zero, 0
            CHECK(6, a5, 0)

            /* 7-15: loads and stores, load-use, load into store data, sizes and signs */
            li a0, 0x12345678
            sw a0, 0(s0)
            lw a1, 0(s0)
            addi a2, a1, 1
            CHECK(7, a2, 0x12345679)
            lw a3, 0(s0)
            sw a3, 4(s0)
            lw a4, 4(s0)
            CHECK(8, a4, 0x12345678)
            lb a5, 1(s0)
            CHECK(9, a5, 0x56)
            li a0, 0x80
            sb a0, 2(s0)
            lb a5, 2(s0)
            CHECK(10, a5, -128)
            lbu a5, 2(s0)
            CHECK(11, a5, 0x80)
            li a0, 0xbeef
            sh a0, 2(s0)
            lh a5, 2(s0)
            CHECK(12, a5, 0xffffbeef)
            lhu a5, 2(s0)
            CHECK(13, a5, 0xbeef)
            lw a5, 0(s0)
            CHECK(14, a5, 0xbeef5678)
            lh a5, 0(s0)
            CHECK(15, a5, 0x5678)

            /* 16: every branch condition, taken and not taken */
            li gp, 16
            li a0, -1
            li a1, 1
            beq a0, a1, fail
            bge a0, a1, fail
            bltu a0, a1, fail
            blt a1, a0, fail
            bgeu a1, a0, fail
            bne a0, a0, fail
            bne a0, a1, 1f
            j fail
        1:  blt a0, a1, 1f
            j fail
        1:  bltu a1, a0, 1f
            j fail
        1:  bge a1, a0, 1f
            j fail
        1:  bgeu a0, a1, 1f
            j fail
        1:  beq a0, a0, 1f
            j fail
        1:
            /* 17: the instructions fetched behind a taken jump are dropped */
            li a5, 0
            j 1f
            addi a5, a5, 1
            addi a5, a5, 2
        1:  CHECK(17, a5, 0)
            /* 18: a branch on a value just computed, and on a value just loaded */
            li gp, 18
            li a0, 3
            addi a0, a0, -3
            bnez a0, fail
            sw zero, 8(s0)
            lw a1, 8(s0)
            bnez a1, fail

            /* 19-21: calls and returns, loops */
            la a0, array
            li a1, 10
            call sum
            CHECK(19, a0, 39)
            li a0, 20
            call fib
            CHECK(20, a0, 6765)
            li a0, 21
            la t0, double
            jalr ra, 0(t0)
            CHECK(21, a0, 42)

            /* 22-23: upper immediates */
            lui a0, 0x12345
            CHECK(22, a0, 0x12345000)
            li gp, 23
            jal a2, 1f
        1:  auipc a1, 0
            bne a1, a2, fail

            /* 24-37: the ALU */
            li a0, 0x80000000
            srai a1, a0, 4
            CHECK(24, a1, 0xf8000000)
            srli a1, a0, 4
            CHECK(25, a1, 0x08000000)
            li a2, 33
            li a3, 3
            sll a1, a3, a2
            CHECK(26, a1, 6)
            li a3, -7
            li a4, 2
            sra a1, a3, a4
            CHECK(27, a1, -2)
            srl a1, a3, a4
            CHECK(28, a1, 0x3ffffffe)
            slt a1, a3, a4
            CHECK(29, a1, 1)
            sltu a1, a3, a4
            CHECK(30, a1, 0)
            slti a1, a3, -8
            CHECK(31, a1, 0)
            sltiu a1, a4, -1
            CHECK(32, a1, 1)
            xori a1, a3, -1
            CHECK(33, a1, 6)
            li a0, 0xf0
            ori a1, a0, 0x0f
            CHECK(34, a1, 0xff)
            andi a1, a0, 0x30
            CHECK(35, a1, 0x30)
            sub a1, a4, a3
            CHECK(36, a1, 9)
            li a0, 0x0ff0
            li a1, 0x00ff
            xor a2, a0, a1
            or a3, a0, a1
            and a4, a0, a1
            slli a5, a1, 8
            CHECK(37, a2, 0x0f0f)
            CHECK(38, a3, 0x0fff)
            CHECK(39, a4, 0x00f0)
            CHECK(40, a5, 0xff00)
            fence
            j pass

        sum:                      /* a0: address, a1: count; returns the sum of the words */
            li t0, 0
        1:  lw t1, 0(a0)
            add t0, t0, t1
            addi a0, a0, 4
            addi a1, a1, -1
            bnez a1, 1b
            mv a0, t0
            ret
        fib:                      /* a0: n; returns fib(n) */
            li t0, 0
            li t1, 1
        1:  beqz a0, 2f
            add t2, t0, t1
            mv t0, t1
            mv t1, t2
            addi a0, a0, -1
            j 1b
        2:  mv a0, t0
            ret
        double:
            add a0, a0, a0
            ret
        """;

    private const string MultiplyDivideBody = """
            /* 1-8: multiplication, all four kinds */
            li a0, 7
            li a1, -3
            mul a2, a0, a1
            CHECK(1, a2, -21)
            mulh a2, a0, a1
            CHECK(2, a2, -1)
            mulhu a2, a0, a1
            CHECK(3, a2, 6)
            mulhsu a2, a1, a0
            CHECK(4, a2, -1)
            mulhsu a2, a0, a1
            CHECK(5, a2, 6)
            li a3, 0x80000000
            mulh a2, a3, a3
            CHECK(6, a2, 0x40000000)
            mulhu a2, a3, a3
            CHECK(7, a2, 0x40000000)
            li a4, 0xffffffff
            mulhu a2, a4, a4
            CHECK(8, a2, 0xfffffffe)

            /* 9-16: division and remainder, signed and unsigned, by zero */
            li a0, -20
            li a1, 3
            div a2, a0, a1
            CHECK(9, a2, -6)
            rem a2, a0, a1
            CHECK(10, a2, -2)
            divu a2, a0, a1
            CHECK(11, a2, 0x5555554e)
            remu a2, a0, a1
            CHECK(12, a2, 2)
            div a2, a0, zero
            CHECK(13, a2, -1)
            rem a2, a0, zero
            CHECK(14, a2, -20)
            divu a2, a0, zero
            CHECK(15, a2, 0xffffffff)
            remu a2, a0, zero
            CHECK(16, a2, -20)
            /* 17-20: overflow and mixed signs */
            li a3, 0x80000000
            li a4, -1
            div a2, a3, a4
            CHECK(17, a2, 0x80000000)
            rem a2, a3, a4
            CHECK(18, a2, 0)
            li a0, 20
            li a1, -3
            div a2, a0, a1
            CHECK(19, a2, -6)
            rem a2, a0, a1
            CHECK(20, a2, 2)

            /* 21-23: results forwarded between the units, a load into the divider, dependent divisions */
            li a0, 100
            li a1, 7
            div a2, a0, a1
            mul a3, a2, a1
            rem a4, a0, a1
            add a5, a3, a4
            CHECK(21, a5, 100)
            li t0, 1000
            sw t0, 0(s0)
            lw a0, 0(s0)
            divu a2, a0, a1
            divu a3, a2, a1
            CHECK(22, a2, 142)
            CHECK(23, a3, 20)

            /* 24-31: divisors with bit 31 set (unsigned and most negative), both operands negative */
            li a0, 0xffffffff
            li a1, 0x80000001
            divu a2, a0, a1
            CHECK(24, a2, 1)
            remu a2, a0, a1
            CHECK(25, a2, 0x7ffffffe)
            li a0, -20
            li a1, -3
            div a2, a0, a1
            CHECK(26, a2, 6)
            rem a2, a0, a1
            CHECK(27, a2, -2)
            li a0, 0x7fffffff
            li a1, 0x80000000
            div a2, a0, a1
            CHECK(28, a2, 0)
            rem a2, a0, a1
            CHECK(29, a2, 0x7fffffff)
            div a2, a1, a1
            CHECK(30, a2, 1)
            rem a2, a1, a1
            CHECK(31, a2, 0)

            /* 32-35: high words of extreme operands, each operand's signedness on its own */
            li a0, 0x80000000
            li a1, 0xffffffff
            mulhsu a2, a0, a1
            CHECK(32, a2, 0x80000000)
            li a1, 0x7fffffff
            mulh a2, a0, a1
            CHECK(33, a2, 0xc0000000)
            mul a2, a0, a1
            CHECK(34, a2, 0x80000000)
            mulhsu a2, a1, a0
            CHECK(35, a2, 0x3fffffff)

            /* 36-41: the largest divisor: partial remainders at the ends of their 33-bit range, a remainder that
               needs its correction (negative after the last step) and one that does not */
            li a0, 0xfffffffe
            li a1, 0xffffffff
            divu a2, a0, a1
            CHECK(36, a2, 0)
            remu a2, a0, a1
            CHECK(37, a2, 0xfffffffe)
            divu a2, a1, a1
            CHECK(38, a2, 1)
            remu a2, a1, a1
            CHECK(39, a2, 0)
            li a0, 0xfffffffd
            li a1, 0xfffffffe
            remu a2, a1, a0
            CHECK(40, a2, 1)
            li a0, 7
            li a1, -2
            rem a2, a0, a1
            CHECK(41, a2, 1)
            j pass
        """;

    private const string MachineBody = """
            /* 1: mtvec */
            la t0, handler
            csrw mtvec, t0
            csrr a0, mtvec
            li gp, 1
            bne a0, t0, fail
            /* 2-7: the six CSR instructions, on mscratch */
            li a0, 0x0f0f
            csrw mscratch, a0
            li a2, 0xf0f0
            csrrs a1, mscratch, a2
            CHECK(2, a1, 0x0f0f)
            li a2, 0x00ff
            csrrc a1, mscratch, a2
            CHECK(3, a1, 0xffff)
            csrrwi a1, mscratch, 0x15
            CHECK(4, a1, 0xff00)
            csrrsi a1, mscratch, 0x0a
            CHECK(5, a1, 0x15)
            csrrci a1, mscratch, 0x03
            CHECK(6, a1, 0x1f)
            csrr a1, mscratch
            CHECK(7, a1, 0x1c)
            /* 8: misa: MXL 1 (32 bits), I, M */
            csrr a1, misa
            CHECK(8, a1, 0x40001100)

            /* 9-12: ecall: cause, mepc, mtval, and the return after it */
            la t0, 1f
        1:  ecall
            CHECK(9, s8, 1)
            CHECK(10, s9, 11)
            li gp, 11
            bne s10, t0, fail
            CHECK(12, s11, 0)
            /* 13-14: ebreak */
            ebreak
            CHECK(13, s8, 2)
            CHECK(14, s9, 3)
            /* 15-16: an illegal instruction; mtval is its encoding */
            .word 0xffffffff
            CHECK(15, s9, 2)
            CHECK(16, s11, 0xffffffff)
            /* 17-20: an unimplemented CSR, a write to a read-only CSR, a read of one */
            li a1, 5
            csrr a1, 0x7c0
            CHECK(17, s9, 2)
            CHECK(18, a1, 5)
            csrw mhartid, zero
            CHECK(19, s8, 5)
            csrr a1, mhartid
            CHECK(20, a1, 0)

            /* 21-25: misaligned load and store: rd and memory unchanged, the older store done */
            li a1, 7
            sw a1, 0(s0)
            lw a1, 1(s0)
            CHECK(21, s9, 4)
            addi t0, s0, 1
            li gp, 22
            bne s11, t0, fail
            CHECK(23, a1, 7)
            li a2, 9
            sh a2, 3(s0)
            CHECK(24, s9, 6)
            lw a3, 0(s0)
            CHECK(25, a3, 7)
            /* 26-28: a jump to a misaligned target: mtval is the target, rd unchanged */
            la t0, 1f
            li a4, 3
            jalr a4, 2(t0)
        1:  CHECK(26, s9, 0)
            addi t0, t0, 2
            li gp, 27
            bne s11, t0, fail
            CHECK(28, a4, 3)

            /* 29-30: a trap saves MIE in MPIE and clears it, mret restores it; MPP reads machine mode */
            csrsi mstatus, 8
            ecall
            CHECK(29, s7, 0x1880)
            csrr a1, mstatus
            CHECK(30, a1, 0x1888)
            csrci mstatus, 8
            CHECK(31, s8, 9)
            j pass

            .balign 4
        handler:                  /* records mstatus, mcause, mepc, mtval and counts; returns past the trap */
            csrr s7, mstatus
            csrr s9, mcause
            csrr s10, mepc
            csrr s11, mtval
            addi s8, s8, 1
            addi t5, s10, 4
            csrw mepc, t5
            mret
        """;

    /// <summary>Ends with code 0 after a <c>mul</c>, or with the trap's mcause when the <c>mul</c> traps.</summary>
    private const string MultiplyOrTrapBody = """
            la t0, handler
            csrw mtvec, t0
            li a0, 6
            li a1, 7
            mul a2, a0, a1
            j pass
            .balign 4
        handler:
            csrr gp, mcause
            j fail
        """;

    /// <summary>Computes sum over i = 1..n of (i * i) % 7 + i * 1000 / 3, then ends with that value as the exit code.</summary>
    private const string ComputedBody = """
            li s1, 1              /* i */
            li s2, 0              /* sum */
            li s3, 7
            li s4, 1000
            li s5, 3
        1:  mul t0, s1, s1
            remu t0, t0, s3
            add s2, s2, t0
            mul t1, s1, s4
            divu t1, t1, s5
            add s2, s2, t1
            addi s1, s1, 1
            li t2, 40
            bleu s1, t2, 1b
            slli s2, s2, 1
            ori s2, s2, 1
            la t1, tohost
            sw s2, 0(t1)
        1:  j 1b
        """;

    private static string Program(string body) => Frame.Replace("#include \"body\"", body, StringComparison.Ordinal);

    [Test]
    public void IntegerProgramPassesEveryCheck()
    {
        var run = Run(Program(IntegerBody));
        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
    }

    [Test]
    public void MultiplyDivideProgramPassesEveryCheck()
    {
        var run = Run(Program(MultiplyDivideBody));
        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
    }

    [Test]
    public void MachineModeProgramPassesEveryCheck()
    {
        var run = Run(Program(MachineBody));
        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
    }

    [Test]
    public void ComputedResultMatchesTheSameComputationInCSharp()
    {
        uint expected = 0;
        for (uint i = 1; i <= 40; i++)
            expected += i * i % 7 + i * 1000 / 3;

        var run = Run(Program(ComputedBody), expectedExitCode: (int)expected);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Divergence, Is.Null, run.Describe);
            Assert.That(run.Result.ExitCode, Is.EqualTo((int)expected), run.Describe);
        });
    }

    [Test]
    public void MultiplyRunsWithM()
    {
        var run = Run(Program(MultiplyOrTrapBody));
        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
    }

    /// <summary>
    /// A core built without M raises an illegal-instruction trap on <c>mul</c>. The golden model always implements
    /// M, so this run is not in lockstep: the program's exit code (the trap's mcause) is the check.
    /// </summary>
    [Test]
    public void MultiplyIsIllegalWithoutM()
    {
        var config = CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { WithM = false };

        var run = Run(Program(MultiplyOrTrapBody), config, (int)TrapCause.IllegalInstruction);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Failed), run.Describe);
            Assert.That(run.Result.ExitCode, Is.EqualTo((int)TrapCause.IllegalInstruction), run.Describe);
        });
    }

    /// <summary>
    /// Builds <paramref name="source"/> without the runtime and runs it on the SoC: in lockstep with the golden model for
    /// the default core, alone for another <paramref name="core"/> configuration. The build folder is kept (and named in
    /// the failure message) unless the run ends with <paramref name="expectedExitCode"/> and no divergence.
    /// </summary>
    private static CoreProgramRun Run(string source, CoreConfig? core = null, int expectedExitCode = 0)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-rtl-tests", "core-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "program.S");
        File.WriteAllText(path, source);
        var build = FirmwareTestSupport.Toolchain.Build(new BuildRequest([path], Path.Combine(directory, "program.elf"))
        {
            MemoryMap = MemoryMap.Simulation,
            IncludeRuntime = false,
        });
        var result = SimRunner.Run(new SimOptions(build.ElfPath)
        {
            Core = core,
            Cosim = core is null,
            MaxCycles = 200_000,
            Progress = TestContext.Progress.WriteLine,
        });
        var run = new CoreProgramRun(result, build.ElfPath);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Instret} instructions in {result.Cycles} cycles, exit code {result.ExitCode}"));
        if (result.Divergence is null && result.Status is SimStatus.Passed or SimStatus.Failed && result.ExitCode == expectedExitCode)
            Directory.Delete(directory, recursive: true);
        return run;
    }

    private sealed record CoreProgramRun(SimResult Result, string Elf)
    {
        /// <summary>The outcome (the exit code is the number of the first failing check), the divergence report, and the ELF with its listing.</summary>
        public string Describe()
        {
            var listing = File.Exists(Elf) ? FirmwareTestSupport.Toolchain.Disassemble(Elf) : null;
            return RtlRun.Describe(Result, Elf) + (listing is null ? "" : "\n" + listing);
        }
    }
}
