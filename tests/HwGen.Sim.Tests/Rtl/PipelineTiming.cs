namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The cycle costs of the core's pipeline (hdl/Designs/Riscv/Core.cs) that the exact cycle-count tests derive
/// their expectations from. A change to the pipeline that changes one of these costs changes it here, and only here.
/// </summary>
/// <remarks>
/// Every instruction takes one cycle in execute; the costs below are the cycles added to that.
/// An expectation is written as a formula over these names, e.g.
/// <c>instructions + mispredictions * MispredictionPenalty + loadUses * LoadUseBubble</c>.
/// </remarks>
internal static class PipelineTiming
{
    /// <summary>
    /// Cycles lost when the memory stage redirects fetch: a branch or jump whose real next pc is not the one fetch
    /// predicted (taken but predicted not taken, not taken but predicted taken, a wrong target), a trap, <c>mret</c>,
    /// <c>fence.i</c>. The instructions in decode and execute are dropped, and fetch requests the new address in the
    /// cycle after the redirect (from a register, so that its address does not wait for the redirect decision).
    /// </summary>
    public const int MispredictionPenalty = 3;

    /// <summary>Cycles lost by a taken branch or jump that fetch predicted taken, to the right target.</summary>
    public const int PredictedTakenBubble = 0;

    /// <summary>
    /// Cycles lost when an instruction reads the register that the load right before it loads (the load's word
    /// arrives in writeback and is not forwarded from the bus; one instruction between them costs one cycle less).
    /// </summary>
    public const int LoadUseBubble = 2;

    /// <summary>
    /// Cycles lost when an instruction uses the result of the shift right before it: the memory stage completes a
    /// shift (the execute stage does the first rotation stages), so its value is forwarded from writeback, one cycle
    /// later than an ALU result, as for a CSR read or a comparison.
    /// </summary>
    public const int ShiftUseBubble = 1;

    /// <summary>
    /// Cycles a CSR instruction on minstret or instret waits in decode right after another instruction: it goes on
    /// only when execute and memory are empty (so that every older instruction has been counted when it reads).
    /// </summary>
    public const int InstretReadDrain = 2;

    /// <summary>
    /// Cycles a CSR instruction that reads its register waits in the memory stage right after a CSR write to a counter:
    /// the write is applied a cycle after its commit, from registers. The instructions behind the one that waited are
    /// dropped and fetched again (<see cref="MispredictionPenalty"/> more cycles before the next commits).
    /// </summary>
    public const int CounterWriteWait = 1;

    /// <summary>
    /// Cycles a division (<c>div</c>, <c>divu</c>, <c>rem</c>, <c>remu</c>) holds execute beyond the first: one that takes the
    /// operands' magnitudes (registered first, so that no negation hangs on the forwarded operands), 32 quotient bits, the
    /// remainder's correction, one more.
    /// </summary>
    public const int DivisionStall = 35;

    /// <summary>
    /// Cycles a multiplication (<c>mul</c>, <c>mulh</c>, <c>mulhsu</c>, <c>mulhu</c>) holds execute beyond the first: the
    /// operands registered, the four partial products, the middle sum and the corrected high product, the product's
    /// word registered. Its result is then forwarded like any other.
    /// </summary>
    public const int MultiplicationStall = 4;

    /// <summary>
    /// The harness's cycle count (<see cref="HwGen.Sim.Run.SimResult.Cycles"/>, from the end of reset) minus the value of
    /// mcycle that an instruction in execute reads, when the instructions after it up to the store to <c>tohost</c>
    /// are straight-line code without stalls: the harness stops this many cycles after the store's execute cycle.
    /// </summary>
    public const int HaltAfterExecute = 2;
}
