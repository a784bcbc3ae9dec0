using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// IF: chooses the address of the next instruction and requests it from the instruction memory, whose word
/// arrives one cycle later, when the instruction is in the decode stage. While decode is stalled the same
/// address is requested again, so the memory needs no hold behaviour.
/// </summary>
/// <remarks>
/// The next address is, in this order of priority: the memory stage's redirect; the reset pc; the address of
/// the instruction in decode again (a stall, or a request the instruction memory did not take: <see cref="Grant"/>); the branch predictor's target when it predicts the instruction in
/// decode taken; otherwise that instruction's pc + 4. So the address requested after an instruction is always
/// its predicted successor, and while the instruction is in execute, the pc in decode
/// (<see cref="ToDecode"/>) is that prediction, which the execute stage checks.
/// <para>The predictor (<see cref="CoreConfig.BranchPredictor"/>): none (static not-taken), a
/// <see cref="StaticBranchPredictor"/> that needs the fetched word (<see cref="Instruction"/>), or a
/// <see cref="BranchTargetBuffer"/> that the memory stage trains (<see cref="Resolved"/>). The ports a
/// configuration does not use are null.</para>
/// </remarks>
public sealed class FetchStage : Module
{
    public FetchStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ResetPc = config.ResetPc;
        BranchPredictor = config.BranchPredictor;
        switch (config.BranchPredictor)
        {
            case BranchPredictorKind.StaticBackwardTaken:
                Instruction = In(32);
                staticPredictor = new StaticBranchPredictor();
                break;
            case BranchPredictorKind.Btb:
                Resolved = In(new BranchResolution());
                btb = new BranchTargetBuffer(config.BtbEntries, config.Map?.Ram);
                break;
        }
    }

    /// <summary>The address of the first instruction after reset.</summary>
    [Parameter]
    public uint ResetPc { get; }

    [Parameter]
    public BranchPredictorKind BranchPredictor { get; }

    /// <summary>From the control unit: <see cref="StageControl.Hold"/> keeps the instruction in decode (its address is requested again); <see cref="StageControl.Flush"/> redirects fetch to <see cref="RedirectPc"/>.</summary>
    public readonly StageControl Control = In(new StageControl());
    /// <summary>
    /// 1 when the instruction memory takes this cycle's request. 0 when it serves another master (a single-port
    /// RAM shared with the data bus): the word does not arrive, decode gets a bubble next cycle, and the same
    /// address is requested again.
    /// </summary>
    public readonly Signal Grant = In(1);
    /// <summary>Where fetch goes on a redirect (a misprediction, trap, interrupt, mret or refetch in the memory stage).</summary>
    public readonly Signal RedirectPc = In(32);
    /// <summary>The word of the instruction in decode (the instruction memory's read data); static prediction only.</summary>
    public readonly Signal? Instruction;
    /// <summary>The outcome of the instruction committing in the memory stage; branch target buffer only.</summary>
    public readonly BranchResolution? Resolved;

    public readonly Signal InstrReq = Out(1);
    public readonly Signal InstrAddr = Out(32);
    /// <summary>The instruction in decode: its pc (the address requested in the previous cycle) and its prediction.</summary>
    public readonly FetchToDecode ToDecode = Out(new FetchToDecode());

    private readonly StaticBranchPredictor? staticPredictor;
    private readonly BranchTargetBuffer? btb;
    private readonly Signal valid = Reg(1, reset: 0);
    private readonly Signal pc = Reg(32);
    /// <summary>The request of the previous cycle was taken: the word of <see cref="pc"/> is arriving now.</summary>
    private readonly Signal granted = Reg(1, reset: 0);

    protected override void Build()
    {
        var pcNext = Wire(32).Named("pcNext");
        Expr? predictTaken = null;
        Expr? predictTarget = null;
        if (staticPredictor is not null && Instruction is not null)
        {
            staticPredictor.Pc.Set(pc);
            staticPredictor.Instruction.Set(Instruction);
            predictTaken = staticPredictor.Taken;
            predictTarget = staticPredictor.Target;
        }
        if (btb is not null && Resolved is not null)
        {
            btb.FetchPc.Set(pcNext);
            btb.Pc.Set(pc);
            btb.Update.Set(Resolved);
            predictTaken = btb.Taken;
            predictTarget = btb.Target;
        }

        var choice = When(Control.Flush, () => pcNext.Set(RedirectPc))
            .ElseWhen(~valid, () => pcNext.Set(ResetPc))
            .ElseWhen(Control.Hold | ~granted, () => pcNext.Set(pc));
        if (predictTaken is not null && predictTarget is not null)
            choice = choice.ElseWhen(predictTaken, () => pcNext.Set(predictTarget));
        choice.Otherwise(() => pcNext.Set(pc + 4));

        InstrReq.Set(1);
        InstrAddr.Set(pcNext);
        valid.Set(1);
        pc.Set(pcNext);
        granted.Set(Grant);
        ToDecode.Valid.Set(valid & granted);
        ToDecode.Pc.Set(pc);
        // When the instruction in decode moves on, nothing overrides the prediction: this is what fetch did.
        ToDecode.Prediction.Taken.Set(predictTaken ?? U(0, 1));
        ToDecode.Prediction.Hit.Set(btb?.Hit ?? U(0, 1));
        ToDecode.Prediction.Counter.Set(btb?.Counter ?? U(0, 2));
    }
}
