using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// An <c>mret</c> fetched on the wrong path (right behind a taken jump or branch that fetch did not predict, or at the
/// target of a branch predicted taken that is not) is dropped: it neither returns to mepc nor changes mstatus. With
/// each branch predictor, in lockstep, and checked by the program itself.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class WrongPathMretTests
{
    /// <summary>
    /// mepc points at code that records the return; mstatus has MPIE set and MIE clear, so a real mret would set MIE.
    /// Each case adds one to s9 when it goes on where it should. s10 is mstatus at the end, s11 the number of returns.
    /// Without prediction the mret after each taken jump or branch is fetched (the loop's at every pass); the static
    /// predictor fetches the one after a forward branch or a jalr, and the one at the target of the backward branch
    /// that is not taken; a branch target buffer fetches the one after each jump or taken branch the first time
    /// (it has no entry for it yet).
    /// </summary>
    private const string Body = """
            li s9, 0
            li s11, 0
            la t3, wrong_return
            csrw mepc, t3
            li t3, 0x80
            csrw mstatus, t3

            /* behind a jal */
            j 1f
            mret
        1:  addi s9, s9, 1

            /* behind a taken forward branch */
            li t4, 3
            bnez t4, 1f
            mret
        1:  addi s9, s9, 1

            /* behind a jalr */
            la t3, 1f
            jalr zero, 0(t3)
            mret
        1:  addi s9, s9, 1

            /* at the target of a backward branch that is not taken */
            j 2f
        1:  mret
        2:  beqz t4, 1b
            addi s9, s9, 1

            /* behind the jump back of a loop */
            li t5, 4
        3:  addi t5, t5, -1
            beqz t5, 4f
            j 3b
            mret
        4:  addi s9, s9, 1
            csrr s10, mstatus
            j wrong_path_done

        wrong_return:
            addi s11, s11, 1
        wrong_path_done:
        """;

    [TestCase(BranchPredictorKind.None)]
    [TestCase(BranchPredictorKind.StaticBackwardTaken)]
    [TestCase(BranchPredictorKind.Btb)]
    public void AnMretOnTheWrongPathDoesNothing(BranchPredictorKind kind)
    {
        var config = CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { BranchPredictor = kind, BtbEntries = 64 };

        var run = MeasuringProgram.Run(Body, ["s9", "s10", "s11"], config);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.That(run.Values, Is.EqualTo(new uint[] { 5, 0x1880, 0 }),
            "cases passed, mstatus (MPP, MPIE, no MIE), returns to mepc\n" + run.Describe());
    }
}
