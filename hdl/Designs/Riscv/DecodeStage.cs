using HwGen.Designs.Common;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// ID: decodes the instruction word that arrives from the instruction memory, reads its source registers,
/// and detects the load-use hazard. The register file's read ports are synchronous, so the operands appear
/// in the next cycle, together with the <see cref="DecodeToExecute"/> register this stage fills.
/// </summary>
/// <remarks>
/// While the execute stage is busy (<see cref="Hold"/>) the register file goes on reading for the instruction
/// here, so the operand outputs no longer belong to the instruction in execute: a unit that takes several
/// cycles (the <see cref="Divider"/>) takes its operands in its first cycle.
/// <para>An instruction whose operand is not ready goes to execute as a bubble, with all its fields, and comes back
/// from that register in the next cycle (<see cref="Replay"/>): its registers are read again and its forwarding
/// decided again, until it moves on. So the interlock, found from the word that arrives from the instruction bus,
/// steers only decode's own register; fetch has already asked for the successor, and asks again while the
/// instruction waits.</para>
/// </remarks>
public sealed class DecodeStage : Module
{
    public DecodeStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        decoder = new Decoder(DecoderTable.For(config), immediateClear: true);
        if (config.Tags is { } tags)
        {
            tagRegisters = new Common.RegisterFile(width: tags.TagWidth, count: 32);
            RdTag = In(tags.TagWidth);
            Rs1Tag = Out(tags.TagWidth);
            Rs2Tag = Out(tags.TagWidth);
            Pc = Out(32);
            Word = Out(32);
        }
    }

    public readonly FetchToDecode FromFetch = In(new FetchToDecode());
    /// <summary>The word of the instruction in this stage (the instruction memory's read data).</summary>
    public readonly Signal Instruction = In(32);
    /// <summary>From the control unit: keep the <see cref="DecodeToExecute"/> register, or fill it with a bubble.</summary>
    public readonly StageControl Control = In(new StageControl());
    /// <summary>
    /// From the control unit: the instruction here is the one sent to execute as a bubble in the previous cycle (its
    /// operand was not ready), presented again from the <see cref="DecodeToExecute"/> register, which keeps it; the word
    /// on <see cref="Instruction"/> (its successor's) waits.
    /// </summary>
    public readonly Signal Replay = In(1);
    /// <summary>The register write of the writeback stage.</summary>
    public readonly RegisterWrite RegisterWrite = In(new RegisterWrite());
    /// <summary>The result the instruction in the memory stage will have in writeback, when it has one there (not a load's).</summary>
    public readonly PendingWrite MemoryResult = In(new PendingWrite());
    /// <summary>The memory stage holds an instruction.</summary>
    public readonly Signal MemoryValid = In(1);
    /// <summary>The load in the memory stage (its data is not in a register before the instruction here would reach execute).</summary>
    public readonly PendingWrite PendingLoad = In(new PendingWrite());
    /// <summary>With the memory stage empty, the load in writeback whose word has not arrived.</summary>
    public readonly PendingWrite WaitingLoad = In(new PendingWrite());

    public readonly DecodeToExecute ToExecute = Out(new DecodeToExecute());
    /// <summary>The value of rs1 of the instruction in the execute stage, before forwarding (see the remarks).</summary>
    public readonly Signal Rs1Value = Out(32);
    /// <summary>The value of rs2 of the instruction in the execute stage, before forwarding (see the remarks).</summary>
    public readonly Signal Rs2Value = Out(32);
    /// <summary>
    /// The instruction here needs a value that is not in a register when it would reach execute: a load's (in
    /// execute or memory: its word arrives in writeback and is written to the register file there), or a CSR
    /// instruction's, comparison's or shift's in execute (their values are formed in the memory stage); or it is a CSR
    /// instruction on minstret or instret and an older instruction is still in execute or memory.
    /// </summary>
    public readonly Signal LoadUseHazard = Out(1);
    /// <summary>A tagged core: the tag written with <see cref="RegisterWrite"/>, and the tags of rs1 and rs2 read beside their values.</summary>
    public readonly Signal? RdTag;
    public readonly Signal? Rs1Tag;
    public readonly Signal? Rs2Tag;
    /// <summary>A tagged core: the pc and word of the instruction here, also when it is presented again (<see cref="Replay"/>).</summary>
    public readonly Signal? Pc;
    public readonly Signal? Word;

    private readonly Decoder decoder;
    private readonly Common.RegisterFile registers = new(width: 32, count: 32);
    /// <summary>The tag register file (a tagged core): read and forwarded exactly as the values.</summary>
    private readonly Common.RegisterFile? tagRegisters;
    private readonly DecodeToExecute execute = Reg(new DecodeToExecute());

    protected override void Build()
    {
        decoder.Instruction.Set(Instruction);
        // An instruction whose fetch faulted has immediate 0: execute's target adder then gives its pc, its mtval.
        decoder.ClearImmediate!.Set(FromFetch.Fault);
        var d = decoder.Decoded;
        // The instruction here: the word arriving now, or, presented again, the one the execute register kept. Only
        // what the interlock, the forwarding and the register file's reads look at is chosen; the execute register
        // keeps the rest.
        var again = execute.Decoded;
        var valid = (Replay | FromFetch.Valid).Named("valid");
        var rs1 = Mux(Replay, again.Rs1, d.Rs1).Named("rs1");
        var rs2 = Mux(Replay, again.Rs2, d.Rs2).Named("rs2");
        var readsRs1 = Mux(Replay, again.ReadsRs1, d.ReadsRs1).Named("readsRs1");
        var readsRs2 = Mux(Replay, again.ReadsRs2, d.ReadsRs2).Named("readsRs2");

        var lateInExecute = (execute.Valid & execute.Decoded.WritesRd & (execute.Decoded.Load |
            execute.Decoded.Result.Eq((int)ResultSource.Csr) | execute.Decoded.Result.Eq((int)ResultSource.Compare) |
            execute.Decoded.Result.Eq((int)ResultSource.Shift))).Named("lateInExecute");
        // The interlock looks at the coarse decode of an arriving word (a wait for a word that reads no register is a
        // lost cycle, not a wrong result), at the full decode the execute register kept of one presented again.
        var coarse = decoder.Coarse;
        var coarseReads1 = Mux(Replay, again.ReadsRs1, coarse.ReadsRs1);
        var coarseReads2 = Mux(Replay, again.ReadsRs2, coarse.ReadsRs2);
        Expr Reads(Expr register) => (coarseReads1 & rs1.Eq(register)) | (coarseReads2 & rs2.Eq(register));
        // A CSR instruction on minstret or instret goes on only when no older instruction is left in execute or memory:
        // when it reaches the memory stage, every older one has committed and been counted, so it sees minstret as it is.
        static Expr OnInstret(Expr csr) => csr.Eq(CsrAddress.Minstret) | csr.Eq(CsrAddress.Minstreth) | csr.Eq(CsrAddress.Instret) |
            csr.Eq(CsrAddress.Instreth);
        var counterCsr = Mux(Replay, again.System.Eq((int)SystemOp.Csr) & OnInstret(again.Immediate[11, 0]),
            coarse.Csr & OnInstret(Instruction[31, 20])).Named("onInstret");
        var serialize = (counterCsr & (execute.Valid | MemoryValid)).Named("serialize");
        var loadUse = (valid & ((lateInExecute & Reads(execute.Decoded.Rd)) |
            (PendingLoad.Enable & Reads(PendingLoad.Address)) | (WaitingLoad.Enable & Reads(WaitingLoad.Address)) | serialize)).Named("loadUse");
        LoadUseHazard.Set(loadUse);

        registers.ReadAddress1.Set(rs1);
        registers.ReadAddress2.Set(rs2);
        registers.WriteEnable.Set(RegisterWrite.Enable);
        registers.WriteAddress.Set(RegisterWrite.Address);
        registers.WriteData.Set(RegisterWrite.Data);
        Rs1Value.Set(registers.ReadData1);
        Rs2Value.Set(registers.ReadData2);

        // Forwarding, decided for the cycle the instruction here is in execute: the instruction now in execute
        // will then be in memory, the one now in memory in writeback.
        var inExecute = (execute.Valid & execute.Decoded.WritesRd & ~execute.Decoded.Load &
            ~execute.Decoded.System.Eq((int)SystemOp.Csr)).Named("resultInExecute");
        // A register that is not read, or is forwarded, reads zero from the register file: execute ORs its sources.
        (Expr Memory, Expr Writeback) Forwarded(Expr register)
        {
            var fromMemory = inExecute & execute.Decoded.Rd.Eq(register);
            return (fromMemory, ~fromMemory & MemoryResult.Enable & MemoryResult.Address.Eq(register));
        }
        var forward1 = Forwarded(rs1);
        var forward2 = Forwarded(rs2);
        registers.Mask1.Set(~readsRs1 | forward1.Memory | forward1.Writeback);
        registers.Mask2.Set(~readsRs2 | forward2.Memory | forward2.Writeback);
        if (tagRegisters is not null)
        {
            tagRegisters.ReadAddress1.Set(rs1);
            tagRegisters.ReadAddress2.Set(rs2);
            tagRegisters.WriteEnable.Set(RegisterWrite.Enable);
            tagRegisters.WriteAddress.Set(RegisterWrite.Address);
            tagRegisters.WriteData.Set(RdTag!);
            tagRegisters.Mask1.Set(~readsRs1 | forward1.Memory | forward1.Writeback);
            tagRegisters.Mask2.Set(~readsRs2 | forward2.Memory | forward2.Writeback);
            Rs1Tag!.Set(tagRegisters.ReadData1);
            Rs2Tag!.Set(tagRegisters.ReadData2);
            Pc!.Set(Mux(Replay, execute.Pc, FromFetch.Pc));
            Word!.Set(Mux(Replay, execute.Instruction, Instruction));
        }

        // A flush clears only Valid, so that the other fields' enables do not wait for the redirect decision. An
        // instruction presented again keeps the fields it was sent with; its operands' sources are decided anew.
        When(Control.Flush, () => execute.Valid.Set(0))
        .ElseWhen(~Control.Hold, () => execute.Valid.Set(valid));
        When(~Control.Hold & ~Replay, () =>
        {
            execute.Pc.Set(FromFetch.Pc);
            execute.Instruction.Set(Instruction);
            execute.Decoded.Set(d);
            var subtract = Alu.IsSubtraction(d.AluOp);
            execute.Subtract.Set(subtract);
            // jal and jalr: the ALU forms the link, pc + 4.
            execute.AddendImmediate.Set(Mux(d.Result.Eq((int)ResultSource.Link), U((int)AddendImmediateKind.Four, 2),
                Mux(d.UseImmediate, Mux(subtract, U((int)AddendImmediateKind.Complemented, 2), U((int)AddendImmediateKind.Immediate, 2)),
                U((int)AddendImmediateKind.None, 2))));
            execute.SubtractRs2.Set(subtract & ~d.UseImmediate);
            // An instruction whose fetch faulted adds 0 (its immediate is cleared) to the pc: its sum is its pc (mtval).
            execute.TargetFromRs1.Set((d.Transfer.Eq((int)ControlTransfer.Jalr) | d.Load | d.Store) & ~FromFetch.Fault);
            execute.Prediction.Set(FromFetch.Prediction);
            execute.FetchFault.Set(FromFetch.Fault);
        });
        When(~Control.Hold, () =>
        {
            execute.Rs1Source.Memory.Set(readsRs1 & forward1.Memory);
            execute.Rs1Source.Writeback.Set(readsRs1 & forward1.Writeback);
            execute.Rs2Source.Memory.Set(readsRs2 & forward2.Memory);
            execute.Rs2Source.Writeback.Set(readsRs2 & forward2.Writeback);
        });
        ToExecute.Set(execute);
    }
}
