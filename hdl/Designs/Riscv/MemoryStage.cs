using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// MEM, the commit point: takes the timer interrupt, traps, or commits the instruction here. Committing is the
/// only way anything architectural changes: the CSRs and counters are written here, <c>mret</c> returns here, and a
/// load or store goes out on the data bus only here, so an instruction that traps leaves memory unchanged. The bus
/// carries the word address and one enable bit per byte lane; store data is placed in its lanes here. A load's word
/// arrives one cycle later, in writeback.
/// </summary>
/// <remarks>
/// Everything this stage acts on is registered: the execute stage's decisions (exceptions, the next pc, a
/// misprediction) and the address of a load or store, whose region is checked against the memory map here (an
/// access outside every region, a store to a read-only one, or an access of a size a device does not take is an
/// access fault). Fetch is redirected from here on an interrupt, a trap, <c>mret</c>, <c>fence.i</c> and a
/// misprediction; the younger instructions in fetch, decode and execute are dropped.
/// </remarks>
public sealed class MemoryStage : Module
{
    public MemoryStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        map = config.Map;
        csrs = new ControlStatusRegisters(config);
    }

    private readonly Soc.MemoryMap? map;

    public readonly ExecuteToMemory FromExecute = In(new ExecuteToMemory());
    /// <summary>The timer's interrupt request and its count (for mip and the time CSR).</summary>
    public readonly Signal TimerInterrupt = In(1);
    public readonly Signal Mtime = In(64);

    public readonly Signal DataReq = Out(1);
    public readonly Signal DataWe = Out(1);
    /// <summary>The address of the word, bits 1..0 zero.</summary>
    public readonly Signal DataAddr = Out(32);
    /// <summary>One bit per byte lane of the word: the bytes written by a store, read by a load.</summary>
    public readonly Signal DataBe = Out(4);
    public readonly Signal DataWdata = Out(32);

    public readonly MemoryToWriteback ToWriteback = Out(new MemoryToWriteback());
    /// <summary>The registered result of the instruction here, for forwarding to execute (see <see cref="OperandSource"/>; not a load's, a CSR read's, a comparison's or a shift's, which decode's interlock keeps apart).</summary>
    public readonly Signal Result = Out(32);
    /// <summary>The instruction here will have its result in the writeback stage's register (not a load), for decode's forwarding choice.</summary>
    public readonly PendingWrite ResultInWriteback = Out(new PendingWrite());
    /// <summary>An instruction is here.</summary>
    public readonly Signal Occupied = Out(1);
    /// <summary>The load here and its rd: its value is not in a register before two cycles (decode's interlock).</summary>
    public readonly PendingWrite PendingLoad = Out(new PendingWrite());
    /// <summary>An interrupt, trap, <c>mret</c>, <c>fence.i</c> or misprediction: fetch from <see cref="RedirectPc"/>, drop the younger instructions.</summary>
    public readonly Signal Redirect = Out(1);
    public readonly Signal RedirectPc = Out(32);
    /// <summary>The outcome of the instruction committing here, for the branch predictor.</summary>
    public readonly BranchResolution Resolved = Out(new BranchResolution());

    private readonly ControlStatusRegisters csrs;
    private readonly MemoryToWriteback writeback = Reg(new MemoryToWriteback());
    /// <summary>An interrupt was taken: the next instruction to reach this stage is the handler's first.</summary>
    private readonly Signal afterInterrupt = Reg(1, reset: 0);

    protected override void Build()
    {
        var m = FromExecute;
        // A load's or store's address comes from the execute stage's target adder; a jump's target is the same sum
        // with bit 0 cleared.
        var address = m.Target;
        var jumpTarget = Cat(m.Target[31, 1], U(0, 1)).Named("jumpTarget");
        var size = m.Funct3[1, 0];

        Expr permitted = map is null ? U(1, 1) : Soc.AddressDecode.Permits(map.Regions, address, Soc.AccessWidth.FromSize(size), m.Store);
        var dataFault = ((m.Load | m.Store) & ~permitted).Named("dataFault");
        var interrupt = (m.Valid & csrs.InterruptPending).Named("interrupt");
        // The branch outcome, from the comparison the execute stage registered.
        var condition = Wire(1).Named("condition");
        Switch(m.Funct3[2, 1])
            .Case(0b00, () => condition.Set(m.Equal))
            .Case(0b10, () => condition.Set(m.Less))
            .Case(0b11, () => condition.Set(m.LessUnsigned))
            .Default(() => condition.Set(0));
        var taken = Wire(1).Named("taken");
        Switch(m.TransferKind)
            .Case((int)ControlTransfer.Branch, () => taken.Set(condition ^ m.Funct3[0]))
            .Case((int)ControlTransfer.None, () => taken.Set(0))
            .Default(() => taken.Set(1));
        var mispredicted = Mux(taken, ~m.PredictedTaken | m.WrongTarget.Any(), m.PredictedTaken).Named("mispredicted");
        var targetMisaligned = (taken & m.MisalignedTarget).Named("targetMisaligned");
        var trap = (m.Valid & (m.Exception | targetMisaligned | dataFault) & ~interrupt).Named("trap");
        var commits = (m.Valid & ~interrupt & ~trap).Named("commits");

        var cause = Wire(4).Named("cause");
        When(m.Exception, () => cause.Set(m.Cause))
            .ElseWhen(targetMisaligned, () => cause.Set((int)TrapCause.InstructionAddressMisaligned))
            .ElseWhen(m.Store, () => cause.Set((int)TrapCause.StoreAccessFault))
            .Otherwise(() => cause.Set((int)TrapCause.LoadAccessFault));
        var trapValue = Wire(32, @default: 0).Named("trapValue");
        Switch(cause)
            .Cases([(int)TrapCause.InstructionAccessFault, (int)TrapCause.Breakpoint], () => trapValue.Set(m.Retire.Pc))
            .Case((int)TrapCause.IllegalInstruction, () => trapValue.Set(m.Retire.Instruction))
            .Case((int)TrapCause.InstructionAddressMisaligned, () => trapValue.Set(jumpTarget))
            .Cases([(int)TrapCause.LoadAddressMisaligned, (int)TrapCause.StoreAddressMisaligned,
                (int)TrapCause.LoadAccessFault, (int)TrapCause.StoreAccessFault], () => trapValue.Set(address));

        // A CSR instruction and mret raise no exception here (execute cleared them if they had one), so they commit
        // unless interrupted: their CSR writes do not wait for the trap decision.
        var trapReturn = (m.Valid & m.Mret & ~interrupt).Named("trapReturn");
        csrs.Access.Set(m.Valid & m.Csr & ~interrupt);
        csrs.Address.Set(m.Retire.Instruction[31, 20]);
        csrs.Select.Set(m.CsrSelect);
        csrs.Op.Set(m.Funct3[1, 0]);
        csrs.Operand.Set(m.StoreData);
        csrs.Write.Set(m.CsrWrite);
        csrs.Trap.Set(trap);
        csrs.TrapCause.Set(cause);
        csrs.TrapPc.Set(m.Retire.Pc);
        csrs.TrapValue.Set(trapValue);
        csrs.Return.Set(trapReturn);
        csrs.Interrupt.Set(interrupt);
        csrs.Retired.Set(commits);
        csrs.TimerPending.Set(TimerInterrupt);
        csrs.Mtime.Set(Mtime);

        var nextPc = Wire(32).Named("nextPc");
        When(interrupt | trap, () => nextPc.Set(csrs.TrapVector))
            .ElseWhen(m.Mret, () => nextPc.Set(csrs.ReturnPc))
            .ElseWhen(taken, () => nextPc.Set(jumpTarget))
            .Otherwise(() => nextPc.Set(m.Link));
        Redirect.Set(interrupt | trap | (commits & (m.Mret | m.FenceI | mispredicted)));
        RedirectPc.Set(nextPc);

        Resolved.Valid.Set(commits);
        Resolved.Pc.Set(m.Retire.Pc);
        Resolved.Transfer.Set(m.TransferKind.Ne((int)ControlTransfer.None));
        Resolved.Taken.Set(taken);
        Resolved.Target.Set(jumpTarget);
        Resolved.Hit.Set(m.Hit);
        Resolved.Counter.Set(m.Counter);

        When(interrupt, () => afterInterrupt.Set(1))
            .ElseWhen(m.Valid, () => afterInterrupt.Set(0));

        var offset = address[1, 0];
        var lanes = Wire(4).Named("lanes");
        var data = Wire(32).Named("data");
        Switch(m.Funct3[1, 0])
            .Case(0b00, () =>
            {
                lanes.Set(U(1, 4).Shl(offset));
                data.Set(m.StoreData[7, 0].Replicate(4));
            })
            .Case(0b01, () =>
            {
                lanes.Set(Mux(offset[1], U(0b1100, 4), U(0b0011, 4)));
                data.Set(m.StoreData[15, 0].Replicate(2));
            })
            .Default(() =>
            {
                lanes.Set(0b1111);
                data.Set(m.StoreData);
            });

        var load = (commits & m.Load).Named("load");
        var store = (commits & m.Store).Named("store");
        DataReq.Set(load | store);
        DataWe.Set(store);
        DataAddr.Set(Cat(address[31, 2], U(0, 2)));
        DataBe.Set(lanes);
        DataWdata.Set(data);

        Result.Set(m.Result);
        Occupied.Set(m.Valid);
        ResultInWriteback.Enable.Set(m.Valid & m.WritesRd & ~m.Load);
        ResultInWriteback.Address.Set(m.Rd);
        PendingLoad.Enable.Set(m.Valid & m.Load & m.WritesRd);
        PendingLoad.Address.Set(m.Rd);

        // An interrupted instruction goes no further; a trapping one goes on, doing nothing, to retire with its trap.
        writeback.Valid.Set(m.Valid & ~interrupt);
        writeback.Rd.Set(m.Rd);
        writeback.WritesRd.Set(m.WritesRd & ~trap);
        var compared = Mux(m.Funct3[0], m.LessUnsigned, m.Less).ZeroExtend(32);
        writeback.Result.Set(Mux(m.Csr, csrs.ReadData, Mux(m.Compare, compared, Mux(m.Load | m.Store, address,
            Mux(m.Shift, ExecuteStage.CompleteShift(m), m.Result)))));
        writeback.Load.Set(load);
        writeback.Funct3.Set(m.Funct3);
        var laneBits = Cat(lanes[3].Replicate(8), lanes[2].Replicate(8), lanes[1].Replicate(8), lanes[0].Replicate(8));
        writeback.ReadMask.Set(Mux(load, lanes, 0));
        writeback.WriteMask.Set(Mux(store, lanes, 0));
        writeback.WriteData.Set(Mux(store, data & laneBits, 0));
        writeback.Retire.Set(m.Retire);
        writeback.NextPc.Set(nextPc);
        writeback.Trap.Set(trap);
        writeback.Cause.Set(Mux(trap, cause, 0).ZeroExtend(5));
        writeback.Intr.Set(afterInterrupt);
        ToWriteback.Set(writeback);
    }
}
