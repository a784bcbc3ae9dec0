using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// IF: chooses the address of the next instruction and requests it on the instruction bus (<see cref="Bus"/>). Its
/// word arrives with the response, at the earliest in the next cycle, when the instruction is in the decode stage;
/// without wait states one request goes out every cycle. While fetch is told to hold, the last address is requested
/// again, so the memory needs no hold behaviour.
/// </summary>
/// <remarks>
/// The next address is, in this order of priority: the memory stage's redirect, from the register that keeps it
/// (requested in the cycle after the redirect, and later while the bus is busy); the reset pc; the last address again (a hold: the instruction in decode while execute is busy, or the successor
/// of the one decode presents again); the branch predictor's
/// target when it predicts the instruction in decode taken; otherwise that instruction's pc + 4. So the address
/// requested after an instruction is always its predicted successor, and while the instruction is in execute, the
/// pc in decode (<see cref="ToDecode"/>) is that prediction, which the execute stage checks.
/// <para>The bus: a new request goes out when none is waiting for its response, or in the cycle the response
/// arrives. A request the bus does not take (<see cref="SystemBus.Ready"/> 0) is presented again unchanged, even
/// after a redirect. A redirect marks the response of the request that goes out in its cycle, or of the one
/// outstanding, stale (it is dropped, not delivered to decode), and is remembered until its own request can go out. A response with
/// <see cref="SystemBus.Error"/> delivers the instruction with <see cref="FetchToDecode.Fault"/>: an instruction
/// access fault, taken when the instruction reaches the commit point.</para>
/// <para>The predictor (<see cref="CoreConfig.BranchPredictor"/>): none (static not-taken), a
/// <see cref="StaticBranchPredictor"/> that reads the fetched word, or a
/// <see cref="BranchTargetBuffer"/> that the memory stage trains (<see cref="Resolved"/>), read with the address
/// on the bus, which stays on it until the response arrives. The ports a configuration does not use are null.</para>
/// </remarks>
public sealed class FetchStage : Module
{
    public FetchStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ResetPc = config.ResetPc;
        target = Reg(32, reset: config.ResetPc);
        BranchPredictor = config.BranchPredictor;
        switch (config.BranchPredictor)
        {
            case BranchPredictorKind.StaticBackwardTaken:
                staticPredictor = new StaticBranchPredictor();
                break;
            case BranchPredictorKind.Btb:
                Resolved = In(new BranchResolution());
                btb = new BranchTargetBuffer(config.BtbEntries, config.CodeBase, config.CodeSize);
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
    /// <summary>Where fetch goes on a redirect (a misprediction, trap, interrupt, mret or refetch in the memory stage).</summary>
    public readonly Signal RedirectPc = In(32);
    /// <summary>The outcome of the instruction committing in the memory stage; branch target buffer only.</summary>
    public readonly BranchResolution? Resolved;

    /// <summary>The instruction bus.</summary>
    public readonly SystemBus Bus = Out(new SystemBus());
    /// <summary>The word of the instruction in decode (the response's read data).</summary>
    public readonly Signal Word = Out(32);
    /// <summary>The instruction in decode: its pc (the address of the response that arrives now) and its prediction.</summary>
    public readonly FetchToDecode ToDecode = Out(new FetchToDecode());

    private readonly StaticBranchPredictor? staticPredictor;
    private readonly BranchTargetBuffer? btb;
    /// <summary>The address of the last request presented.</summary>
    private readonly Signal pc = Reg(32);
    /// <summary>The request of <see cref="pc"/> was not taken: it is presented again.</summary>
    private readonly Signal pending = Reg(1, reset: 0);
    /// <summary>The request of <see cref="pc"/> was taken and its response has not arrived before this cycle.</summary>
    private readonly Signal waiting = Reg(1, reset: 0);
    /// <summary>The response to the request of <see cref="pc"/> is on a path a redirect has left: it is dropped.</summary>
    private readonly Signal stale = Reg(1, reset: 0);
    /// <summary>
    /// A redirect came while the bus was busy: <see cref="target"/> is requested next. Reset is such a jump, to
    /// <see cref="ResetPc"/>: the first request needs no choice of its own.
    /// </summary>
    private readonly Signal jump = Reg(1, reset: 1);
    private readonly Signal target;

    protected override void Build()
    {
        var arrives = (waiting & Bus.ResponseValid).Named("arrives");
        // A new address may go out: nothing is outstanding, or its response arrives now.
        var free = (~pending & (~waiting | Bus.ResponseValid)).Named("free");
        var current = (arrives & ~stale).Named("current");
        var address = Wire(32).Named("address");
        Expr? predictTaken = null;
        Expr? predictTarget = null;
        if (staticPredictor is not null)
        {
            staticPredictor.Pc.Set(pc);
            staticPredictor.Instruction.Set(Bus.ReadData);
            predictTaken = staticPredictor.Taken;
            predictTarget = staticPredictor.Target;
        }
        if (btb is not null && Resolved is not null)
        {
            btb.FetchPc.Set(address);
            btb.Pc.Set(pc);
            btb.Update.Set(Resolved);
            predictTaken = btb.Taken;
            predictTarget = btb.Target;
        }

        // The request stays unchanged until taken, and the address until its response (the predictor's entry with
        // it): while the bus is not free no word is current, and pc is requested again. A word arrives current
        // whenever the bus is free after reset, but for a stale one, which a redirect always follows.
        // A redirect is requested from its register, in the cycle after: the address does not wait for the memory
        // stage's decision.
        // The hold (a busy unit, decode presenting an instruction again: both registered) chooses last, in one LUT level with pc.
        var unheld = Wire(32).Named("unheld");
        var choice = When(free & jump, () => unheld.Set(target))
            .ElseWhen(~current, () => unheld.Set(pc));
        if (predictTaken is not null && predictTarget is not null)
            choice = choice.ElseWhen(predictTaken, () => unheld.Set(predictTarget));
        choice.Otherwise(() => unheld.Set(pc + 4));
        var keep = (Control.Hold & ~(free & jump)).Named("keep");
        address.Set(Mux(keep, pc, unheld));

        var request = (pending | free).Named("request");
        Bus.Valid.Set(request);
        Bus.Address.Set(address);
        Bus.Write.Set(0);
        Bus.ByteEnable.Set(0b1111);
        Bus.WriteData.Set(0);

        pc.Set(address);
        pending.Set(request & ~Bus.Ready);
        waiting.Set((request & Bus.Ready) | (waiting & ~Bus.ResponseValid));
        // A redirect leaves the request that goes out now, or the one outstanding; a new request without one is
        // on the path fetch takes.
        stale.Set(Control.Flush | (~free & stale));
        When(Control.Flush, () =>
            {
                jump.Set(1);
                target.Set(RedirectPc);
            })
            .ElseWhen(free, () => jump.Set(0));

        Word.Set(Bus.ReadData);
        ToDecode.Valid.Set(current);
        ToDecode.Pc.Set(pc);
        ToDecode.Fault.Set(Bus.Error);
        // When the instruction in decode moves on, nothing overrides the prediction: this is what fetch did.
        ToDecode.Prediction.Taken.Set(predictTaken ?? U(0, 1));
        ToDecode.Prediction.Hit.Set(btb?.Hit ?? U(0, 1));
        ToDecode.Prediction.Counter.Set(btb?.Counter ?? U(0, 2));
    }
}
