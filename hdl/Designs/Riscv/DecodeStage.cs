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
/// </remarks>
public sealed class DecodeStage : Module
{
    public DecodeStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        decoder = new Decoder(DecoderTable.For(config));
        if (config.Tags is { } tags)
        {
            tagRegisters = new Common.RegisterFile(width: tags.TagWidth, count: 32);
            RdTag = In(tags.TagWidth);
            Rs1Tag = Out(tags.TagWidth);
            Rs2Tag = Out(tags.TagWidth);
        }
    }

    public readonly FetchToDecode FromFetch = In(new FetchToDecode());
    /// <summary>The word of the instruction in this stage (the instruction memory's read data).</summary>
    public readonly Signal Instruction = In(32);
    /// <summary>From the control unit: keep the <see cref="DecodeToExecute"/> register, or fill it with a bubble.</summary>
    public readonly StageControl Control = In(new StageControl());
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

    private readonly Decoder decoder;
    private readonly Common.RegisterFile registers = new(width: 32, count: 32);
    /// <summary>The tag register file (a tagged core): read and forwarded exactly as the values.</summary>
    private readonly Common.RegisterFile? tagRegisters;
    private readonly DecodeToExecute execute = Reg(new DecodeToExecute());

    protected override void Build()
    {
        decoder.Instruction.Set(Instruction);
        var d = decoder.Decoded;

        var lateInExecute = (execute.Valid & execute.Decoded.WritesRd & (execute.Decoded.Load |
            execute.Decoded.Result.Eq((int)ResultSource.Csr) | execute.Decoded.Result.Eq((int)ResultSource.Compare) |
            execute.Decoded.Result.Eq((int)ResultSource.Shift))).Named("lateInExecute");
        // The interlock stands between the word's arrival and fetch's next address: it looks at the coarse decode
        // (a wait for a word that reads no register is a lost cycle, not a wrong result).
        var coarse = decoder.Coarse;
        Expr Reads(Expr register) => (coarse.ReadsRs1 & d.Rs1.Eq(register)) | (coarse.ReadsRs2 & d.Rs2.Eq(register));
        // A CSR instruction on minstret or instret goes on only when no older instruction is left in execute or memory:
        // when it reaches the memory stage, every older one has committed and been counted, so it sees minstret as it is.
        var csr = Instruction[31, 20];
        var onInstret = (csr.Eq(CsrAddress.Minstret) | csr.Eq(CsrAddress.Minstreth) | csr.Eq(CsrAddress.Instret) |
            csr.Eq(CsrAddress.Instreth)).Named("onInstret");
        var serialize = (coarse.Csr & onInstret & (execute.Valid | MemoryValid)).Named("serialize");
        var loadUse = (FromFetch.Valid & ((lateInExecute & Reads(execute.Decoded.Rd)) |
            (PendingLoad.Enable & Reads(PendingLoad.Address)) | (WaitingLoad.Enable & Reads(WaitingLoad.Address)) | serialize)).Named("loadUse");
        LoadUseHazard.Set(loadUse);

        registers.ReadAddress1.Set(d.Rs1);
        registers.ReadAddress2.Set(d.Rs2);
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
        var forward1 = Forwarded(d.Rs1);
        var forward2 = Forwarded(d.Rs2);
        registers.Mask1.Set(~d.ReadsRs1 | forward1.Memory | forward1.Writeback);
        registers.Mask2.Set(~d.ReadsRs2 | forward2.Memory | forward2.Writeback);
        if (tagRegisters is not null)
        {
            tagRegisters.ReadAddress1.Set(d.Rs1);
            tagRegisters.ReadAddress2.Set(d.Rs2);
            tagRegisters.WriteEnable.Set(RegisterWrite.Enable);
            tagRegisters.WriteAddress.Set(RegisterWrite.Address);
            tagRegisters.WriteData.Set(RdTag!);
            tagRegisters.Mask1.Set(~d.ReadsRs1 | forward1.Memory | forward1.Writeback);
            tagRegisters.Mask2.Set(~d.ReadsRs2 | forward2.Memory | forward2.Writeback);
            Rs1Tag!.Set(tagRegisters.ReadData1);
            Rs2Tag!.Set(tagRegisters.ReadData2);
        }

        // A flush clears only Valid, so that the other fields' enables do not wait for the redirect decision.
        When(Control.Flush, () => execute.Valid.Set(0))
        .ElseWhen(~Control.Hold, () => execute.Valid.Set(FromFetch.Valid));
        When(~Control.Hold, () =>
        {
            execute.Pc.Set(FromFetch.Pc);
            execute.Instruction.Set(Instruction);
            execute.Decoded.Set(d);
            var subtract = Alu.IsSubtraction(d.AluOp);
            execute.Subtract.Set(subtract);
            // jal and jalr: the ALU forms the link, pc + 4.
            execute.OperandImmediate.Set(Mux(d.Result.Eq((int)ResultSource.Link), U(4, 32),
                Mux(d.UseImmediate, Mux(subtract, ~d.Immediate, d.Immediate), 0)));
            execute.SubtractRs2.Set(subtract & ~d.UseImmediate);
            execute.Prediction.Set(FromFetch.Prediction);
            execute.FetchFault.Set(FromFetch.Fault);
            execute.Rs1Source.Memory.Set(d.ReadsRs1 & forward1.Memory);
            execute.Rs1Source.Writeback.Set(d.ReadsRs1 & forward1.Writeback);
            execute.Rs2Source.Memory.Set(d.ReadsRs2 & forward2.Memory);
            execute.Rs2Source.Writeback.Set(d.ReadsRs2 & forward2.Writeback);
        });
        ToExecute.Set(execute);
    }
}
