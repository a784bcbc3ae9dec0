using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// mcycle counts clock cycles, stalls included, and minstret counts instructions: their exact deltas across code
/// with known stalls (<see cref="PipelineTiming"/>), and mcycle against the harness's own cycle count. Co-simulation
/// copies the RTL's mcycle into the golden model, so only exact expectations like these can see a wrong count.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CycleCounterTests
{
    /// <summary>
    /// Three divisions (two of them dependent) and two load-use pairs between two reads of each counter. The window of
    /// mcycle (from its first read to its second) and that of minstret hold the same number of instructions.
    /// </summary>
    private const string StallingSequence = """
            li s6, 100
            li s7, 7
            la s8, counter_word
            csrr s2, mcycle
            csrr s3, minstret
            div s9, s6, s7
            divu s9, s9, s7
            rem s10, s6, s7
            lw s11, 0(s8)
            addi s11, s11, 1
            lw s11, 0(s8)
            add s9, s9, s11
            csrr s4, mcycle
            csrr s5, minstret
            sub s2, s4, s2
            sub s3, s5, s3
        """;

    private const string CounterData = """
            .data
            .balign 4
        counter_word:
            .word 41
        """;

    [Test]
    public void McycleCountsEveryStallCycleAndMinstretEveryInstruction()
    {
        const int instructions = 9;
        const int divisions = 3;
        const int loadUses = 2;

        var run = MeasuringProgram.Run(StallingSequence, ["s2", "s3", "s9", "s10"], tail: CounterData);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
            Assert.That(run.Values, Has.Count.EqualTo(4), run.Describe);
        });
        Assert.Multiple(() =>
        {
            Assert.That(run.Values[2], Is.EqualTo(100 / 7 / 7 + 41), run.Describe);
            Assert.That(run.Values[3], Is.EqualTo(100 % 7), run.Describe);
            Assert.That(run.Values[1], Is.EqualTo(instructions), "minstret delta\n" + run.Describe());
            Assert.That(run.Values[0],
                Is.EqualTo(instructions + PipelineTiming.InstretReadDrain + divisions * PipelineTiming.DivisionStall + loadUses * PipelineTiming.LoadUseBubble),
                "mcycle delta\n" + run.Describe());
        });
    }

    /// <summary>
    /// Two multiplications, the second on the first's result, and an addition on the second's: each multiplication holds
    /// execute for exactly <see cref="PipelineTiming.MultiplicationStall"/> cycles more, and each result goes on to the next
    /// instruction without a wait.
    /// </summary>
    [Test]
    public void AMultiplicationHoldsExecuteForItsStallAndForwardsItsResult()
    {
        const string body = """
                li s6, 1000
                li s7, -3
                csrr s2, mcycle
                mul s9, s6, s7
                mulhu s10, s9, s7
                add s11, s10, s6
                csrr s4, mcycle
                sub s2, s4, s2
            """;
        const int instructions = 4;
        const int multiplications = 2;

        var run = MeasuringProgram.Run(body, ["s2", "s9", "s10", "s11"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
            Assert.That(run.Values, Has.Count.EqualTo(4), run.Describe);
        });
        uint product = unchecked((uint)(1000 * -3));
        uint high = (uint)(((ulong)product * 0xffff_fffdUL) >> 32);
        Assert.Multiple(() =>
        {
            Assert.That(run.Values[1], Is.EqualTo(product), run.Describe);
            Assert.That(run.Values[2], Is.EqualTo(high), run.Describe);
            Assert.That(run.Values[3], Is.EqualTo(high + 1000), run.Describe);
            Assert.That(run.Values[0], Is.EqualTo(instructions + multiplications * PipelineTiming.MultiplicationStall),
                "mcycle delta\n" + run.Describe());
        });
    }

    /// <summary>
    /// Words whose register fields name a load's rd without reading it (the immediate of <c>addi</c> in the rs2 field,
    /// that of <c>lui</c> across the rs1 field) right after the load: the interlock, which decodes only the opcode and
    /// funct3, does not wait for them.
    /// </summary>
    [Test]
    public void AnInstructionThatReadsNoRegisterDoesNotWaitForALoad()
    {
        const string body = """
                la s8, counter_word
                csrr s2, mcycle
                lw s11, 0(s8)
                addi s9, zero, 27
                lw s11, 0(s8)
                lui s10, 0xd8
                csrr s4, mcycle
                sub s2, s4, s2
            """;
        const int instructions = 5;

        var run = MeasuringProgram.Run(body, ["s2", "s9", "s10", "s11"], tail: CounterData);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
            Assert.That(run.Values, Has.Count.EqualTo(4), run.Describe);
        });
        Assert.Multiple(() =>
        {
            Assert.That(run.Values[1], Is.EqualTo(27), run.Describe);
            Assert.That(run.Values[2], Is.EqualTo(0xd8 << 12), run.Describe);
            Assert.That(run.Values[3], Is.EqualTo(41), run.Describe);
            Assert.That(run.Values[0], Is.EqualTo(instructions), "mcycle delta\n" + run.Describe());
        });
    }

    /// <summary>
    /// The program ends with the mcycle it read three instructions before its store to tohost as exit code; the harness
    /// counts the same cycles, whatever the stalls before.
    /// </summary>
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    public void McycleFollowsTheHarnessClock(int divisions)
    {
        var body = $"""
                li s6, 1000
                li s7, 3
            {string.Concat(Enumerable.Repeat("    divu s6, s6, s7\n", divisions))}
                la t1, tohost
                sw zero, 4(t1)
                csrr a0, mcycle
                slli a0, a0, 1
                ori a0, a0, 1
                sw a0, 0(t1)
            1:  j 1b
            """;

        var run = MeasuringProgram.Run(body, []);

        Assert.That(run.Result.Divergence, Is.Null, run.Describe);
        // The ori waits for the shift's result.
        ulong mcycleAtStore = (ulong)run.Result.ExitCode + 3 + PipelineTiming.ShiftUseBubble;
        Assert.That(run.Result.Cycles - mcycleAtStore, Is.EqualTo(PipelineTiming.HaltAfterExecute),
            $"harness cycles {run.Result.Cycles}, mcycle {run.Result.ExitCode} three instructions before the store\n{run.Describe()}");
    }
}
