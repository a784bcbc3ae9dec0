using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// MEM, the commit point: takes the timer interrupt, traps, or commits the instruction here. Committing is the
/// only way anything architectural changes: the CSRs are written here, <c>mret</c> returns here, and a load or
/// store goes out on the data bus (<see cref="Bus"/>) only here, so an instruction that traps leaves memory
/// unchanged. The bus carries the word address and one enable bit per byte lane; store data is placed in its
/// lanes here. The load or store then waits in writeback for its response.
/// </summary>
/// <remarks>
/// Everything this stage acts on is registered: the execute stage's decisions (exceptions, the next pc, a
/// misprediction). Fetch is redirected from here on an interrupt, a trap, <c>mret</c>, <c>fence.i</c> and a
/// misprediction; the younger instructions in fetch, decode and execute are dropped.
/// <para>The instruction here waits (<see cref="Waits"/>; the control unit drops the younger ones, and its commit
/// then fetches them again) while the data bus does not take its load or store, while the load or store in
/// writeback waits for its response, and while it is a CSR instruction on minstret or instret and writeback holds
/// an instruction or one left it in the previous cycle (minstret counts an instruction in the cycle after it leaves
/// writeback), or a CSR instruction that reads in the cycle after a CSR write to a counter, mscratch, mtval or mtvec (the
/// CSR unit's block RAM; see <see cref="ControlStatusRegisters.CounterLoading"/>). A request the bus has not taken is
/// not withdrawn: no interrupt is taken meanwhile.</para>
/// <para>A tagged core's instruction that would commit but misses in the rule cache is fetched again (a redirect to
/// its own pc, the younger instructions dropped): the hit decides only whether it commits or is fetched again, never
/// whether it waits, so that the rule compare, late in the cycle, reaches the redirect's flip-flops and the valid bits
/// but not the holds of the stages and the read enables of their memories. Back here it waits, told by a register,
/// while the PEX resolves its miss (no interrupt from the miss on, so the first instruction here after it is the one
/// fetched again).</para>
/// <para>A data access fault is the bus's error response, in writeback: in that cycle the load or store traps
/// through this stage's CSR unit and redirect (mepc = its pc, mcause 5 or 7, mtval = its address), and the
/// instruction here, which cannot have committed (it waits for that response), is dropped with the younger ones.
/// So no instruction younger than the faulting access changes anything.</para>
/// </remarks>
public sealed class MemoryStage : Module
{
    public MemoryStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        csrs = new ControlStatusRegisters(config);
        this.config = config;
        if (csrs.StorageInRam)
            NextCsrSelect = In(ControlStatusRegisters.ReadSources.Count);
        FromExecute = In(new ExecuteToMemory(config.Tags, config.CodeBits));
        writeback = Reg(new MemoryToWriteback(config.Tags, config.CodeBits));
        ToWriteback = Out(new MemoryToWriteback(config.Tags, config.CodeBits));
        if (config.Tags is { } tags)
        {
            int t = tags.TagWidth;
            Check = In(new TagCheckPort(tags));
            PcTag = Out(t);
            CiTag = Out(t);
            pcTag = Reg(t, reset: 0);
            savedPcTag = Reg(t, reset: 0);
            resolvedAllow = Reg(1, reset: 0);
            resolvedDeny = Reg(1, reset: 0);
            missPending = Reg(1, reset: 0);
            hitHeld = Reg(1, reset: 0);
            hitSeen = Reg(1, reset: 0);
            DataRefused = In(1);
            DataIntent = Out(1);
            DataEarlyValid = Out(1);
            DataTaggedPending = Out(1);
        }
    }

    public readonly ExecuteToMemory FromExecute;
    /// <summary>The CSR select of the instruction in execute, which comes here next (the CSR unit reads its block RAM a cycle ahead; <see cref="ControlStatusRegisters.StorageInRam"/> only).</summary>
    public readonly Signal? NextCsrSelect;
    /// <summary>The timer's interrupt request and its count (for mip and the time CSR).</summary>
    public readonly Signal TimerInterrupt = In(1);
    public readonly Signal Mtime = In(64);
    /// <summary>The instruction in writeback retires this cycle and counts in minstret.</summary>
    public readonly Signal Counted = In(1);

    /// <summary>The data bus: requests from here, responses for the instruction in writeback.</summary>
    public readonly SystemBus Bus = Out(new SystemBus());

    public readonly MemoryToWriteback ToWriteback;
    /// <summary>The load or store in writeback got an error response: it traps now (see the remarks), with this mcause.</summary>
    public readonly Signal AccessFault = Out(1);
    public readonly Signal FaultCause = Out(4);
    /// <summary>The data bus's response for writeback: valid, and the word read.</summary>
    public readonly Signal Response = Out(1);
    public readonly Signal ReadData = Out(32);
    /// <summary>The instruction here stays (see the remarks).</summary>
    public readonly Signal Waits = Out(1);
    /// <summary>The registered result of the instruction here, for forwarding to execute (see <see cref="OperandSource"/>; not a load's, a CSR read's, a comparison's or a shift's, which decode's interlock keeps apart).</summary>
    public readonly Signal Result = Out(32);
    /// <summary>The instruction here will have its result in the writeback stage's register (not a load), for decode's forwarding choice.</summary>
    public readonly PendingWrite ResultInWriteback = Out(new PendingWrite());
    /// <summary>An instruction is here.</summary>
    public readonly Signal Occupied = Out(1);
    /// <summary>
    /// The load here and its rd: its value is not in a register in time (decode's interlock).
    /// </summary>
    public readonly PendingWrite PendingLoad = Out(new PendingWrite());
    /// <summary>
    /// With no instruction here, the load in writeback still waiting for its word, and its rd (decode's interlock). Apart
    /// from <see cref="PendingLoad"/>, so that decode compares each rd on its own, beside the same compare its forwarding
    /// makes, and the data bus's response enters the interlock in its last level, not through a choice of the rd.
    /// </summary>
    public readonly PendingWrite WaitingLoad = Out(new PendingWrite());
    /// <summary>An interrupt, trap, <c>mret</c>, <c>fence.i</c>, misprediction or refetch: fetch from <see cref="RedirectPc"/>, drop the younger instructions.</summary>
    public readonly Signal Redirect = Out(1);
    public readonly Signal RedirectPc = Out(32);
    /// <summary>mepc, where <c>mret</c> returns (the execute stage sends it on as <c>mret</c>'s link).</summary>
    public readonly Signal ReturnPc = Out(32);
    /// <summary>
    /// The full pc of the instruction in writeback when it trapped here in the previous cycle (the pc mepc takes now,
    /// <see cref="ControlStatusRegisters.EnteredPc"/>): an instruction access fault's may lie outside the code range,
    /// whose bits alone the retirement fields keep.
    /// </summary>
    public readonly Signal TrappedPc = Out(32);
    /// <summary>The outcome of the instruction committing here, for the branch predictor.</summary>
    public readonly BranchResolution Resolved = Out(new BranchResolution());
    /// <summary>A tagged core: the rule check of the instruction here (see the remarks), and the PC tag register.</summary>
    public readonly TagCheckPort? Check;
    /// <summary>A tagged core: the bus would refuse this stage's load or store (see <see cref="Core.DataRefused"/>); it is not checked.</summary>
    public readonly Signal? DataRefused;
    /// <summary>
    /// A tagged core: this stage holds a load or store, whose request goes out on <see cref="Bus"/> if it commits (from
    /// registers: the rule cache's hit, which decides the request, does not enter it; every request has it).
    /// </summary>
    public readonly Signal? DataIntent;
    /// <summary>
    /// A tagged core: <see cref="Bus"/>'s valid for a load or store outside tagged memory (a device's register), from
    /// registers: such an access commits on the rule cache's hit of its previous cycle here (see slowCheck). Equal to
    /// the bus's valid whenever the address lies outside tagged memory, else 0.
    /// </summary>
    public readonly Signal? DataEarlyValid;
    /// <summary>
    /// A tagged core: <see cref="Bus"/>'s valid for a load or store in tagged memory but for the rule cache's hit, from
    /// registers: the bus's valid is this and <see cref="TagCheckPort.Hit"/> whenever the address lies in tagged memory
    /// and the bus takes the access's width there.
    /// </summary>
    public readonly Signal? DataTaggedPending;
    public readonly Signal? PcTag;
    /// <summary>A tagged core: the tag of the instruction here (of a store on the data bus, its caller's tag for the PEX call port).</summary>
    public readonly Signal? CiTag;

    private readonly ControlStatusRegisters csrs;
    /// <summary>The core's configuration: the code range's addresses (<see cref="CoreConfig.CodeAddress"/>).</summary>
    private readonly CoreConfig config;
    private readonly MemoryToWriteback writeback;
    /// <summary>An interrupt was taken: the next instruction to reach this stage is the handler's first.</summary>
    private readonly Signal afterInterrupt = Reg(1, reset: 0);
    /// <summary>The request presented in the previous cycle was not taken: it is presented again.</summary>
    private readonly Signal requestPending = Reg(1, reset: 0);
    /// <summary>An instruction left writeback counted in the previous cycle: minstret counts it at the end of this one.</summary>
    private readonly Signal counting = Reg(1, reset: 0);
    /// <summary>The instruction here waited: the younger ones were dropped and are fetched again after it.</summary>
    private readonly Signal refetch = Reg(1, reset: 0);
    /// <summary>The PC tag, and the one saved on entering a trap (restored by <c>mret</c>).</summary>
    private readonly Signal? pcTag;
    private readonly Signal? savedPcTag;
    /// <summary>The PEX answered the miss of the instruction here: allowed (the rule cache then hits), or denied.</summary>
    private readonly Signal? resolvedAllow;
    private readonly Signal? resolvedDeny;
    /// <summary>The instruction here presented a miss in the previous cycle.</summary>
    private readonly Signal? missPending;
    /// <summary>The rule cache's hit in the previous cycle, and whether it was the rule's of the instruction still here (see slowCheck).</summary>
    private readonly Signal? hitHeld;
    private readonly Signal? hitSeen;

    protected override void Build()
    {
        var m = FromExecute;
        var w = writeback;
        // A load's or store's address comes from the execute stage's target adder; a jump's target is the same sum
        // with bit 0 cleared.
        var address = m.Target;
        var jumpTarget = Cat(m.Target[31, 1], U(0, 1)).Named("jumpTarget");

        // The load or store in writeback: its response, and an error in it.
        var access = (w.Valid & (w.Load | w.Store)).Named("accessInWriteback");
        var accessFault = (access & Bus.ResponseValid & Bus.Error).Named("accessFault");
        // The instruction here is also held in the cycle after a CSR write to mtvec: no trap may read the vector then.
        var blocked = ((access & ~Bus.ResponseValid) | accessFault).Named("blocked");
        AccessFault.Set(accessFault);
        Response.Set(Bus.ResponseValid);
        ReadData.Set(Bus.ReadData);

        // A tagged core: no interrupt while the instruction here waits for the PEX or holds its answer.
        var interruptible = m.Valid & csrs.InterruptPending & ~blocked & ~requestPending;
        if (missPending is not null && resolvedAllow is not null && resolvedDeny is not null)
            interruptible &= ~(missPending | resolvedAllow | resolvedDeny);
        var interrupt = interruptible.Named("interrupt");
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
        var exceptionTrap = m.Valid & (m.Exception | targetMisaligned) & ~interrupt & ~blocked;
        // A tagged core checks the instructions that would otherwise commit: the rule cache's hit (after a miss, of the
        // rule the PEX installed), or the PEX's denial.
        var memoryAccess = (m.Load | m.Store).Named("memoryAccess");
        Expr? ruleAllows = null, ruleWait = null, denied = null, missing = null, refused = null, untagged = null;
        if (Check is not null && resolvedAllow is not null && resolvedDeny is not null && missPending is not null)
        {
            // A load or store the bus refuses traps by itself in writeback (an access fault): it goes out unchecked.
            refused = ((m.Load | m.Store) & DataRefused!).Named("refusedAccess");
            var checkedHere = (m.Valid & ~(m.Exception | targetMisaligned) & ~interrupt & ~blocked & ~refused).Named("checkedHere");
            // The rule cache's hit decides only whether the instruction commits or is fetched again (a miss): never
            // whether it waits, which holds the younger stages and the memories they read. It waits, from registers
            // alone, while the memory tag of its key is not the instruction's (KeyWait), while the rule cache reads its
            // set again after an install (Rereading), and when it is a miss fetched again, until the PEX answers; the
            // miss goes to the PEX then, with the instruction held here.
            // A CSR instruction and mret, which write the CSR unit's registers when they commit, commit on the hit of
            // their previous cycle here (hitHeld, when hitSeen), waiting one cycle for it: the rule compare, late in the
            // cycle, never reaches the CSR unit's write enables (one cycle more a CSR instruction or mret).
            // So does a load or store outside tagged memory (a device's register): the devices' selects and write enables,
            // the CLINT's block RAM's among them, come from registers (DataEarlyValid).
            untagged = (memoryAccess & ~Check.MemTagged).Named("untaggedAccess");
            var slowCheck = (m.Csr | m.Mret | untagged).Named("slowCheck");
            ruleWait = (~refused & (Check.KeyWait | Check.Rereading | missPending | (slowCheck & ~hitSeen!))).Named("ruleWait");
            ruleAllows = ((slowCheck & hitHeld!) | (~slowCheck & Check.Hit) | refused).Named("ruleAllows");
            hitHeld!.Set(Check.Hit);
            denied = (checkedHere & resolvedDeny).Named("denied");
            missing = (checkedHere & missPending & ~Check.KeyWait & ~resolvedDeny).Named("missing");
            exceptionTrap |= denied;
        }
        var trap = exceptionTrap.Named("trap");
        // minstret counts an instruction in the cycle after it leaves writeback: a CSR instruction on it waits until
        // writeback is empty and the last count is in.
        // Execute registered whether the instruction is one (CounterCsr), so the wait is one LUT of registers.
        var csrAddress = m.Retire.Instruction[31, 20];
        // And a CSR instruction that reads its register (all but csrrw and csrrwi with rd x0) waits while a counter
        // takes a CSR write, a cycle after its commit, so that it reads the value written.
        var readsCsr = (m.WritesRd | m.Funct3[1]).Named("readsCsr");
        var counterWait = ((m.CounterCsr & (w.Valid | counting)) | (m.Csr & readsCsr & csrs.CounterLoading)).Named("counterWait");
        counting.Set(Counted);
        // Ready but for the rule: the instruction leaves this cycle, committed, or (a tagged core's miss) fetched again.
        var readyExpr = m.Valid & ~interrupt & ~trap & ~blocked & ~counterWait;
        if (ruleWait is not null)
            readyExpr &= ~ruleWait;
        var ready = readyExpr.Named("ready");
        var leaves = (ready & (~memoryAccess | Bus.Ready)).Named("leaves");
        // A load or store to tagged memory takes the hit as it is (see slowCheck).
        var request = (ruleAllows is null ? ready & memoryAccess : ready & memoryAccess & ruleAllows).Named("request");
        var commits = (ruleAllows is null ? leaves : leaves & ruleAllows).Named("commits");
        // A miss: the instruction goes as a bubble and is fetched again (see missPending).
        var replays = (ruleAllows is null ? U(0, 1) : leaves & ~ruleAllows).Named("replays");
        var waits = (m.Valid & ~leaves & ~trap & ~interrupt & ~accessFault).Named("waits");
        Waits.Set(waits);
        requestPending.Set(request & ~Bus.Ready);
        refetch.Set(waits);
        // The instruction stays, and its hit this cycle is its rule's (see slowCheck).
        hitSeen?.Set(waits & ~Check!.KeyWait & ~Check.Rereading);

        // The trap of the instruction here, or of the access in writeback that got an error.
        var cause = Wire(ControlStatusRegisters.CauseBits(Check is not null)).Named("cause");
        var causes = When(accessFault, () => cause.Set(Mux(w.Store, U((int)TrapCause.StoreAccessFault, 4), U((int)TrapCause.LoadAccessFault, 4)).ZeroExtend(cause.Width)))
            .ElseWhen(m.Exception, () => cause.Set(m.Cause.ZeroExtend(cause.Width)));
        if (denied is not null)
            causes = causes.ElseWhen(denied, () => cause.Set((int)TrapCause.PolicyViolation));
        causes.Otherwise(() => cause.Set((int)TrapCause.InstructionAddressMisaligned));
        FaultCause.Set(cause.Resize(FaultCause.Width));
        // mtval: one AND-OR of its sources, the access's address in writeback (an access fault), the target adder's sum
        // (a misaligned target, and ebreak's and a faulted fetch's pc, bit 0 cleared; a misaligned or denied load's or
        // store's address) and the word (an illegal or denied instruction's), with selects formed once. Execute's
        // exception is told by its registered cause (0, a misaligned target's, when there is none), not by the trap's
        // cause, which waits for the data bus's response: only the access fault's value comes after that response.
        // An interrupt records 0 itself, and a trap without a value (ecall) selects none of them.
        var word = m.WordInRetire ? m.Retire.Instruction : m.StoreData;
        var causeJump = m.Cause.Eq((int)TrapCause.InstructionAddressMisaligned) | m.Cause.Eq((int)TrapCause.InstructionAccessFault) |
            m.Cause.Eq((int)TrapCause.Breakpoint);
        var causeAddress = m.Cause.Eq((int)TrapCause.LoadAddressMisaligned) | m.Cause.Eq((int)TrapCause.StoreAddressMisaligned);
        var causeWord = m.Cause.Eq((int)TrapCause.IllegalInstruction);
        Expr deniedAccess = U(0, 1), deniedOther = U(0, 1), fromExecute = U(1, 1);
        if (denied is not null)
        {
            deniedAccess = denied & memoryAccess;
            deniedOther = denied & ~memoryAccess;
            fromExecute = ~denied;
        }
        var takesAddress = (~accessFault & ((fromExecute & causeAddress) | deniedAccess)).Named("trapTakesAddress");
        var takesTarget = (takesAddress | (~accessFault & fromExecute & causeJump)).Named("trapTakesTarget");
        var takesWord = (~accessFault & ((fromExecute & causeWord) | deniedOther)).Named("trapTakesWord");
        var trapValue = (Mux(accessFault, w.Result, 0) | Mux(takesTarget, Cat(address[31, 1], address[0] & takesAddress), 0) | Mux(takesWord, word, 0))
            .Named("trapValue");

        // A CSR instruction and mret raise no exception here (execute cleared them if they had one), so they commit
        // unless interrupted or made to wait: their CSR writes do not wait for the trap decision.
        var returns = m.Valid & m.Mret & ~interrupt & ~blocked;
        var csrAccess = m.Valid & m.Csr & ~interrupt & ~blocked & ~counterWait;
        if (ruleAllows is not null)
        {
            returns &= ~ruleWait! & hitHeld!;
            csrAccess &= ~ruleWait! & hitHeld!;
        }
        var trapReturn = returns.Named("trapReturn");
        csrs.Access.Set(csrAccess);
        csrs.Address.Set(csrAddress);
        csrs.Select.Set(m.CsrSelect);
        csrs.NextSelect?.Set(NextCsrSelect!);
        csrs.Stays?.Set(waits);
        csrs.Op.Set(m.Funct3[1, 0]);
        csrs.Operand.Set(m.StoreData);
        csrs.Write.Set(m.CsrWrite);
        csrs.Trap.Set(trap | accessFault);
        csrs.TrapCause.Set(cause);
        // mepc is written a cycle after the trap, from the writeback register: the instruction that trapped here or was
        // interrupted has moved there, and the faulting access stays there (see below).
        csrs.TrapPc.Set(config.CodeAddress(w.Retire.Pc));
        csrs.TrapValue.Set(trapValue);
        csrs.Return.Set(trapReturn);
        csrs.Interrupt.Set(interrupt);
        csrs.Retired.Set(Counted);
        csrs.TimerPending.Set(TimerInterrupt);
        csrs.Mtime.Set(Mtime);

        // mret's return address (mepc) came with it as its link: it is no transfer, so it goes there.
        var nextPc = Wire(32).Named("nextPc");
        When(interrupt | trap | accessFault, () => nextPc.Set(csrs.TrapVector))
            .ElseWhen(taken, () => nextPc.Set(jumpTarget))
            .Otherwise(() => nextPc.Set(m.Link));
        // A hit in a rule-cache way other than way 0, with other outputs than way 0's, forwarded the wrong tags to execute: the younger ones are fetched again.
        var restarts = m.Mret | m.FenceI | mispredicted | refetch;
        if (Check is not null)
            restarts |= Check.ForwardedWrong;
        Redirect.Set(interrupt | trap | accessFault | (commits & restarts) | replays);
        // A miss is fetched again from its own pc.
        RedirectPc.Set(ruleAllows is null ? nextPc : Mux(replays, config.CodeAddress(m.Retire.Pc), nextPc));
        ReturnPc.Set(csrs.ReturnPc);
        TrappedPc.Set(csrs.EnteredPc);

        Resolved.Valid.Set(commits);
        Resolved.Pc.Set(config.CodeAddress(m.Retire.Pc));
        Resolved.Transfer.Set(m.TransferKind.Ne((int)ControlTransfer.None));
        Resolved.Taken.Set(taken);
        Resolved.Target.Set(jumpTarget);
        Resolved.Hit.Set(m.Hit);
        Resolved.Counter.Set(m.Counter);

        When(interrupt, () => afterInterrupt.Set(1))
            .ElseWhen(m.Valid & ~waits & ~replays, () => afterInterrupt.Set(0));

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

        Bus.Valid.Set(request);
        DataIntent?.Set(m.Valid & memoryAccess);
        DataEarlyValid?.Set(ready & untagged! & (hitHeld! | refused!));
        DataTaggedPending?.Set(ready & memoryAccess & Check!.MemTagged & ~refused!);
        Bus.Write.Set(m.Store);
        Bus.Address.Set(Cat(address[31, 2], U(0, 2)));
        Bus.ByteEnable.Set(lanes);
        Bus.WriteData.Set(data);

        Result.Set(m.Result);
        Occupied.Set(m.Valid);
        ResultInWriteback.Enable.Set(m.Valid & m.WritesRd & ~m.Load);
        ResultInWriteback.Address.Set(m.Rd);
        PendingLoad.Enable.Set(m.Valid & m.Load & m.WritesRd);
        PendingLoad.Address.Set(m.Rd);
        WaitingLoad.Enable.Set(~m.Valid & w.Load & w.WritesRd & access & ~Bus.ResponseValid);
        WaitingLoad.Address.Set(w.Rd);

        // An instruction that leaves goes to writeback: committed, or trapping (doing nothing, to retire with its
        // trap). One that waits, or is interrupted, does not; while the access in writeback waits, that one stays.
        var load = (commits & m.Load).Named("load");
        var store = (commits & m.Store).Named("store");
        When(~(access & ~Bus.ResponseValid), () =>
        {
            writeback.Valid.Set(m.Valid & (commits | trap));
            writeback.Rd.Set(m.Rd);
            writeback.WritesRd.Set(m.WritesRd & ~trap);
            var compared = Mux(m.Funct3[0], m.LessUnsigned, m.Less).ZeroExtend(32);
            // The execute stage's result is 0 for a CSR instruction, a comparison, a load and a store (no source of its
            // result select is chosen), so their values are ORed in; a shift's result replaces the rotated operand.
            writeback.Result.Set(Mux(m.Csr, csrs.ReadData, 0) | Mux(m.Compare, compared, 0) | Mux(m.Load | m.Store, address, 0) |
                ExecuteStage.CompleteShift(m));
            writeback.Load.Set(load);
            writeback.Store.Set(store);
            writeback.Counted.Set(~trap & ~(m.CounterCsr & m.CsrWrite));
            writeback.Funct3.Set(m.Funct3);
            var laneBits = Cat(lanes[3].Replicate(8), lanes[2].Replicate(8), lanes[1].Replicate(8), lanes[0].Replicate(8));
            writeback.ReadMask.Set(Mux(load, lanes, 0));
            writeback.WriteMask.Set(Mux(store, lanes, 0));
            writeback.WriteData.Set(Mux(store, data & laneBits, 0));
            writeback.Retire.Set(m.Retire);
            // A faulting access keeps its pc here for a cycle more: mepc takes it from here (TrapPcLate).
            When(accessFault, () => writeback.Retire.Pc.Set(w.Retire.Pc));
            writeback.NextPc.Set(nextPc);
            writeback.Trap.Set(trap);
            writeback.Cause.Set(Mux(trap, cause, 0).ZeroExtend(5));
            writeback.Intr.Set(afterInterrupt);
        });
        if (Check is not null)
            BuildTags(m, w, interrupt, trap, denied!, missing!, refused!, leaves, commits, replays, waits, accessFault, memoryAccess, address);
        ToWriteback.Set(writeback);
    }

    /// <summary>
    /// A tagged core's commit point: the full key and the miss, the PEX's answer, the PC tag (its output at commit,
    /// saved and cleared on a trap, restored by <c>mret</c>), the store's new word tag, and the tags the instruction
    /// leaves for writeback and the trace.
    /// </summary>
    private void BuildTags(ExecuteToMemory m, MemoryToWriteback w, Expr interrupt, Expr trap, Expr denied, Expr missing, Expr refused,
        Expr leaves, Expr commits, Expr replays, Expr waits, Expr accessFault, Expr memoryAccess, Expr address)
    {
        var check = Check!;
        var tags = m.Tags!;
        check.MatchKey.Set(Cat(check.MemKey, tags.Key));
        check.MissValid.Set(missing);
        check.MissPc.Set(config.CodeAddress(m.Retire.Pc));
        check.MissInsn.Set(m.Retire.Instruction);
        check.MissAddress.Set(Mux(memoryAccess, address, 0));

        // The PEX's answer is kept until the instruction leaves (its bus request may still wait). An allowed rule is in
        // the rule cache, which hits from the second cycle after: the outputs come from there.
        When(missing & check.Resolve, () =>
        {
            resolvedAllow!.Set(check.Allow);
            resolvedDeny!.Set(~check.Allow);
        }).ElseWhen(~waits, () =>
        {
            resolvedAllow!.Set(0);
            resolvedDeny!.Set(0);
        });
        // A miss found: the instruction is fetched again and waits here for the PEX's answer (no interrupt meanwhile:
        // the first instruction to come here is the one fetched again).
        When(replays, () => missPending!.Set(1))
            .ElseWhen(check.Resolve | accessFault, () => missPending!.Set(0));
        var pcTagOut = check.PcTag;
        var resultTag = check.ResultTag;
        var checkedCommits = (commits & ~refused).Named("checkedCommits");
        check.CountLookup.Set(checkedCommits | denied);
        check.CountHit.Set(checkedCommits & ~resolvedAllow!);
        check.Address.Set(address);
        check.StoreWrite.Set(leaves & m.Store & check.MemTagged & ~refused & check.Hit);
        check.StoreTag.Set(resultTag);

        // Taking any trap saves the PC tag the instruction found and clears it; mret restores it.
        When(accessFault, () =>
        {
            savedPcTag!.Set(w.Tags!.PcTagFound);
            pcTag!.Set(0);
        }).ElseWhen(interrupt | trap, () =>
        {
            savedPcTag!.Set(pcTag!);
            pcTag!.Set(0);
        }).ElseWhen(commits, () => pcTag!.Set(Mux(m.Mret, savedPcTag!, pcTagOut)));
        PcTag!.Set(pcTag!);
        CiTag!.Set(tags.CiTag);

        When(~(w.Valid & (w.Load | w.Store) & ~Bus.ResponseValid), () =>
        {
            var next = writeback.Tags!;
            next.RdTag.Set(resultTag);
            next.PcTag.Set(Mux(trap, pcTag!, Mux(m.Mret, savedPcTag!, pcTagOut)));
            next.PcTagFound.Set(pcTag!);
            next.MemTag.Set(Mux(commits & memoryAccess & check.MemTagged, Mux(m.Store, resultTag, check.MemTag), 0));
            next.Denied.Set(denied);
        });
    }
}
