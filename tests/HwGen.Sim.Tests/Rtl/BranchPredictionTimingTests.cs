using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The exact number of cycles known loops take with each branch predictor. A predictor only decides what is fetched,
/// so lockstep cannot see a predictor that guesses badly; these counts can. Each expectation is a formula over
/// <see cref="PipelineTiming"/> and the events the predictor's documented behaviour gives (BranchPredictor.cs,
/// <see cref="BranchPredictorKind"/>).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class BranchPredictionTimingTests
{
    private const int Iterations = 20;

    private static CoreConfig With(BranchPredictorKind kind) =>
        CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { BranchPredictor = kind, BtbEntries = 64 };

    /// <summary>What the measured window holds: instructions, and the events that cost cycles.</summary>
    private sealed record Events(int Instructions, int Mispredicted, int PredictedTaken, int LoadUses)
    {
        // The window opens with csrr mcycle then csrr minstret, which waits for the first to leave memory.
        public int Cycles => Instructions
            + PipelineTiming.InstretReadDrain
            + Mispredicted * PipelineTiming.MispredictionPenalty
            + PredictedTaken * PipelineTiming.PredictedTakenBubble
            + LoadUses * PipelineTiming.LoadUseBubble;
    }

    /// <summary>Reads mcycle and minstret around <paramref name="code"/>: s2 = mcycle delta, s3 = minstret delta.</summary>
    private static string Measured(string code) => $"""
            la s8, timing_word
            li s9, 0
            li s6, {Iterations}
            csrr s2, mcycle
            csrr s3, minstret
        {code}
            csrr s4, mcycle
            csrr s5, minstret
            sub s2, s4, s2
            sub s3, s5, s3
        """;

    private const string Tail = """
            .text
            .balign 4
        add_three:
            addi s9, s9, 3
            ret

            .data
            .balign 4
        timing_word:
            .word 5
        """;

    /// <summary>A counted loop of four instructions with a load-use pair; the back edge is taken every time but the last.</summary>
    private const string CountedLoop = """
        1:  lw t3, 0(s8)
            add s9, s9, t3
            addi s6, s6, -1
            bnez s6, 1b
        """;

    /// <summary>
    /// A counted loop whose back edge tests the value loaded right before it: the branch waits in decode and is
    /// presented again, with the prediction fetch made for it.
    /// </summary>
    private const string LoopWaitingBranch = """
        1:  addi s9, s9, 5
            addi s6, s6, -1
            sw s6, 0(s8)
            lw t3, 0(s8)
            bnez t3, 1b
        """;

    /// <summary>A loop that calls a function (a jal and its ret, always to the same return address) each iteration.</summary>
    private const string LoopWithCall = """
        1:  jal ra, add_three
            addi s6, s6, -1
            bnez s6, 1b
        """;

    /// <summary>
    /// The counted loop: 4 instructions per iteration and the two csrr at the start of the window, a load-use bubble
    /// per iteration. The back edge: without prediction every taken one is mispredicted; the static predictor sees
    /// a backward branch and predicts it taken, so only the exit is mispredicted; the branch target buffer has no
    /// entry the first time (mispredicted), starts the entry weakly taken, and mispredicts the exit.
    /// </summary>
    [TestCase(BranchPredictorKind.None)]
    [TestCase(BranchPredictorKind.StaticBackwardTaken)]
    [TestCase(BranchPredictorKind.Btb)]
    public void CountedLoopTakesTheCyclesItsEventsCost(BranchPredictorKind kind) =>
        AssertCycles(CountedLoop, kind, LoopWithALoadUse(kind, instructionsPerIteration: 4), result: 5 * Iterations);

    /// <summary>The events of a counted loop with one load-use pair an iteration, whose back edge is taken every time but the last.</summary>
    private static Events LoopWithALoadUse(BranchPredictorKind kind, int instructionsPerIteration)
    {
        const int n = Iterations;
        int instructions = 2 + instructionsPerIteration * n;
        return kind switch
        {
            BranchPredictorKind.None => new Events(instructions, Mispredicted: n - 1, PredictedTaken: 0, LoadUses: n),
            BranchPredictorKind.StaticBackwardTaken => new Events(instructions, Mispredicted: 1, PredictedTaken: n - 1, LoadUses: n),
            _ => new Events(instructions, Mispredicted: 2, PredictedTaken: n - 2, LoadUses: n),
        };
    }

    /// <summary>
    /// The loop whose back edge waits for its load: 5 instructions per iteration and the two csrr, a load-use bubble
    /// per iteration, and the mispredictions of the counted loop. A branch presented again that lost what fetch
    /// predicted for it would be found mispredicted every time it is taken.
    /// </summary>
    [TestCase(BranchPredictorKind.None)]
    [TestCase(BranchPredictorKind.StaticBackwardTaken)]
    [TestCase(BranchPredictorKind.Btb)]
    public void LoopWhoseBranchWaitsForItsLoadTakesTheCyclesItsEventsCost(BranchPredictorKind kind) =>
        AssertCycles(LoopWaitingBranch, kind, LoopWithALoadUse(kind, instructionsPerIteration: 5), result: 5 * Iterations);

    /// <summary>
    /// The loop with a call: 5 instructions per iteration (jal, addi, ret, addi, bnez) and the two csrr. Without
    /// prediction the jal, the ret and every taken back edge are mispredicted. The static predictor predicts the jal
    /// (pc-relative) and the backward branch, never a jalr: each ret and the exit are mispredicted. The branch target
    /// buffer mispredicts the first jal, the first ret and the first back edge (no entries yet) and the exit.
    /// </summary>
    [TestCase(BranchPredictorKind.None)]
    [TestCase(BranchPredictorKind.StaticBackwardTaken)]
    [TestCase(BranchPredictorKind.Btb)]
    public void LoopWithACallTakesTheCyclesItsEventsCost(BranchPredictorKind kind)
    {
        const int n = Iterations;
        var events = kind switch
        {
            BranchPredictorKind.None => new Events(2 + 5 * n, Mispredicted: n + n + (n - 1), PredictedTaken: 0, LoadUses: 0),
            BranchPredictorKind.StaticBackwardTaken => new Events(2 + 5 * n, Mispredicted: n + 1, PredictedTaken: n + (n - 1), LoadUses: 0),
            _ => new Events(2 + 5 * n, Mispredicted: 4, PredictedTaken: (n - 1) + (n - 1) + (n - 2), LoadUses: 0),
        };

        AssertCycles(LoopWithCall, kind, events, result: 3 * n);
    }

    private static void AssertCycles(string loop, BranchPredictorKind kind, Events events, int result)
    {
        var run = MeasuringProgram.Run(Measured(loop), ["s2", "s3", "s9"], With(kind), Tail);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
            Assert.That(run.Values, Has.Count.EqualTo(3), run.Describe);
        });
        Assert.Multiple(() =>
        {
            Assert.That(run.Values[2], Is.EqualTo(result), run.Describe);
            Assert.That(run.Values[1], Is.EqualTo(events.Instructions), $"{kind}: instructions (minstret delta)\n{run.Describe()}");
            Assert.That(run.Values[0], Is.EqualTo(events.Cycles), $"{kind}: cycles (mcycle delta) for {events}\n{run.Describe()}");
        });
    }
}
