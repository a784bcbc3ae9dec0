using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The cycles each kind of instruction takes on the multi-cycle core (see <see cref="Designs.Riscv.MultiCycleCore"/>),
/// measured with mcycle and asserted exactly: lockstep compares what instructions do, not when, so a state the
/// sequencer passes through once too often (a fetch repeated, a shift taking a cycle too many, a load waiting a cycle
/// too long) would pass every other test. The hazards of one instruction at a time run here too: loads and stores
/// back to back, a store then a load of the same word, a register read right after it is written, writes to x0.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class MultiCycleCoreTimingTests
{
    /// <summary>Execute (presenting the next fetch), the word's arrival.</summary>
    private const int Alu = 2;

    /// <summary>Execute, Memory, the response (presenting the next fetch), the word's arrival.</summary>
    private const int LoadOrStore = 4;

    /// <summary>Execute, Branch (presenting the next fetch), the word's arrival.</summary>
    private const int NotTakenBranch = 3;

    /// <summary>jal or jalr: Execute (the target held), Jump (the link written, presenting the fetch of the target), the word's arrival.</summary>
    private const int Jump = 3;

    /// <summary>Execute, Branch (the target held), Jump, the word's arrival.</summary>
    private const int TakenBranch = 4;

    private const string Tail = """
            .data
            .balign 4
        words: .word 0x80402010, 0x11223344, 0
        """;

    [Test]
    public void EachKindOfInstructionTakesItsCycles()
    {
        const string body = """
                la s1, 4f
                csrr s2, mcycle
                addi a1, zero, 5
                addi a7, a1, 2
                add a2, a1, a7
                sub a3, a2, a1
                csrr s3, mcycle
                la s6, words
                csrr s4, mcycle
                lw a4, 0(s6)
                lw a5, 4(s6)
                sw a4, 8(s6)
                lb a6, 8(s6)
                csrr s5, mcycle
                slli s7, a1, 0
                csrr s8, mcycle
                slli s7, a7, 31
                csrr s9, mcycle
                srai s10, a4, 5
                csrr s11, mcycle
                beq zero, zero, 1f
            1:  bne zero, zero, 2f
            2:  jal zero, 3f
            3:  csrr a7, mcycle
                jalr zero, 0(s1)
            4:  csrr a4, mcycle
                sub s2, s3, s2
                sub s3, s5, s4
                sub s4, s8, s5
                sub s5, s9, s8
                sub s8, s11, s9
                sub s11, a7, s11
                sub a4, a4, a7
            """;
        var run = MeasuringProgram.Run(body, ["s2", "s3", "s4", "s5", "s8", "a6", "s7", "s10", "a3", "s11", "a4"], MultiCycleCoreCosimTests.Small, Tail);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.Multiple(() =>
        {
            Assert.That(run.Values[0], Is.EqualTo(5 * Alu), "four ALU instructions and a CSR read\n" + run.Describe());
            Assert.That(run.Values[1], Is.EqualTo(4 * LoadOrStore + Alu), "three loads, a store and a CSR read\n" + run.Describe());
            Assert.That(run.Values[2], Is.EqualTo(Alu + 1 + Alu), "a shift by 0: one cycle in Shift\n" + run.Describe());
            Assert.That(run.Values[3], Is.EqualTo(Alu + (31 + 1) + Alu), "a shift by 31: 31 by 1, done\n" + run.Describe());
            Assert.That(run.Values[4], Is.EqualTo(Alu + (5 + 1) + Alu), "a shift by 5: 5 by 1, done\n" + run.Describe());
            Assert.That(run.Values[5], Is.EqualTo(0x10u), "the store's byte read back at once");
            Assert.That(run.Values[6], Is.EqualTo(0x8000_0000u));
            Assert.That(run.Values[7], Is.EqualTo(0xFC02_0100u), "an arithmetic shift fills with the sign");
            Assert.That(run.Values[8], Is.EqualTo(7u), "each result read by the next instruction");
            Assert.That(run.Values[9], Is.EqualTo(Alu + TakenBranch + NotTakenBranch + Jump), "a taken branch, one not taken, jal\n" + run.Describe());
            Assert.That(run.Values[10], Is.EqualTo(Alu + Jump), "jalr\n" + run.Describe());
        });
    }

    /// <summary>A trap and mret: both fetch their target from Fetch, after the pc is loaded from mtvec or mepc.</summary>
    private const int TrapOrMret = 3;

    [Test]
    public void TrapsAndMretTakeTheirCycles()
    {
        const string body = """
                la s1, 2f
                csrw mtvec, s1
                la s1, 3f
                csrw mepc, s1
                csrr s2, mcycle
                mret
            3:  csrr s3, mcycle
                ecall
            1:  j 1b
            2:  csrr s4, mcycle
                csrr s5, mepc
                csrr s6, mcause
                la s7, 1b
                sub s7, s5, s7
                sub s2, s3, s2
                sub s3, s4, s3
            """;
        var run = MeasuringProgram.Run(body, ["s2", "s3", "s6", "s7"], MultiCycleCoreCosimTests.Small, Tail);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.Multiple(() =>
        {
            Assert.That(run.Values[0], Is.EqualTo(Alu + TrapOrMret), "mret: Execute, Fetch (from mepc), the word's arrival\n" + run.Describe());
            Assert.That(run.Values[1], Is.EqualTo(Alu + TrapOrMret), "ecall: Execute, Fetch (from mtvec), the word's arrival\n" + run.Describe());
            Assert.That(run.Values[2], Is.EqualTo(11u), "mcause: an ecall from machine mode");
            Assert.That(run.Values[3], Is.EqualTo(0xFFFF_FFFCu), "mepc: the ecall, the word before the loop");
        });
    }

    [Test]
    public void WritesToX0LeaveItZero()
    {
        const string body = """
                la s6, words
                addi zero, zero, 5
                lw zero, 0(s6)
                jal zero, 1f
            1:  slli zero, s6, 3
                csrrw zero, mscratch, s6
                add s2, zero, zero
                sw zero, 8(s6)
                lw s3, 8(s6)
                ori s4, zero, 0x7f
            """;
        var run = MeasuringProgram.Run(body, ["s2", "s3", "s4"], MultiCycleCoreCosimTests.Small, Tail);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.That(run.Values, Is.EqualTo(new uint[] { 0, 0, 0x7f }), run.Describe);
    }
}
