using HwGen.Designs.Common;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// EX: forwards the operands, computes the ALU, multiplier or divider result and the link address, compares for
/// branches, computes jump targets and the address of a load or store (one adder), and finds the instruction's exceptions. It
/// changes nothing architectural: all it decides goes into the <see cref="ExecuteToMemory"/> register, and the
/// memory stage, the commit point, acts on it.
/// </summary>
/// <remarks>
/// Forwarding: an operand is taken from the memory stage's result when that stage writes the register and has
/// the value (not a load or CSR read, which decode's interlock keeps apart), otherwise from the writeback stage's
/// registered result (not a load's), otherwise from the register file. Decode chose the source a cycle earlier
/// (<see cref="OperandSource"/>), and every forwarded value comes from a register.
/// <para>Exceptions found here, in the order of priority of the privileged specification: an instruction access
/// fault (the instruction bus answered the fetch with an error), an illegal instruction (including an unimplemented CSR), <c>ecall</c>, <c>ebreak</c>, a misaligned load or
/// store address. The memory stage adds a misaligned jump target (from the registered outcome of a taken branch or
/// jump); a data access fault comes from the data bus's response, in writeback.</para>
/// <para>Branch prediction: fetch requested the predicted successor of the instruction here right after it, so
/// that successor is the instruction in decode, whose pc is <see cref="PredictedPc"/>. Every instruction checks
/// its prediction: it records the comparison and whether fetch went to the jump target, and the memory stage
/// decides from the registered bits whether fetch must be redirected.</para>
/// </remarks>
public sealed class ExecuteStage : Module
{
    public ExecuteStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.WithM)
        {
            Abandon = In(1);
            multiplier = new Multiplier(config.Ice40Cells);
            divider = new Divider(config.Ice40Cells);
            heldRs1 = Reg(32);
            heldRs2 = Reg(32);
        }
        if (config.BranchPredictor == BranchPredictorKind.Btb)
            PredictedPc = In(32);
        codeBits = config.CodeBits;
        memory = Reg(new ExecuteToMemory(config.Tags, codeBits));
        ToMemory = Out(new ExecuteToMemory(config.Tags, codeBits));
        linkSelect = new LinkSelect(config.Ice40Cells);
        operands = new OperandSelect(config.Ice40Cells);
        if (config.Tags is { } tags)
        {
            int t = tags.TagWidth;
            Lookup = In(new TagLookupPort(tags));
            Rs1Tag = In(t);
            Rs2Tag = In(t);
            PcTag = In(t);
            WritebackRdTag = In(t);
        }
    }

    public readonly DecodeToExecute FromDecode = In(new DecodeToExecute());
    /// <summary>The register file's value of rs1 and rs2 (zero when decode chose another source, or the register is not read).</summary>
    public readonly Signal Rs1Value = In(32);
    public readonly Signal Rs2Value = In(32);
    /// <summary>The registered result of the instruction in the memory stage (forwarded as <see cref="OperandSource.Memory"/> says).</summary>
    public readonly Signal MemoryResult = In(32);
    /// <summary>The registered result of the instruction in the writeback stage (forwarded as <see cref="OperandSource.Writeback"/> says).</summary>
    public readonly Signal WritebackResult = In(32);
    /// <summary>
    /// The pc of the instruction in decode: where fetch went after the instruction here. Only a branch target
    /// buffer can predict a wrong target (a <c>jalr</c>'s, or a stale entry's), so only with one is this port
    /// present; the other predictors' targets are pc + offset, as here.
    /// </summary>
    public readonly Signal? PredictedPc;
    /// <summary>
    /// The memory stage redirects fetch: the instruction here is on the wrong path, and a multiplication or division in
    /// progress is abandoned. Present with the M extension only.
    /// </summary>
    public readonly Signal? Abandon;
    /// <summary>
    /// mepc, where <c>mret</c> returns: it goes to the memory stage as the instruction's <see cref="ExecuteToMemory.Link"/>.
    /// An <c>mret</c> here waits (<see cref="Busy"/>) while a CSR write to mepc is in the memory stage.
    /// </summary>
    public readonly Signal ReturnPc = In(32);
    /// <summary>From the control unit: the <see cref="ExecuteToMemory"/> register takes a bubble (a redirect, or the unit here is busy).</summary>
    public readonly StageControl Control = In(new StageControl());

    public readonly ExecuteToMemory ToMemory;
    /// <summary>The instruction here needs more cycles (a multiplication or division, or an <c>mret</c> waiting for mepc): the stages before keep theirs.</summary>
    public readonly Signal Busy = Out(1);
    /// <summary><see cref="ControlStatusRegisters.ReadSelect"/> of the instruction here: the CSR unit reads its block RAM a cycle ahead.</summary>
    public readonly Signal CsrSelect = Out(ControlStatusRegisters.ReadSources.Count);

    /// <summary>
    /// A tagged core: the rule lookup (<see cref="TagLookupPort"/>); the tags of rs1 and rs2 from the tag register
    /// file (zero when forwarded, as the values); the PC tag register; the result tag of the instruction in writeback.
    /// </summary>
    public readonly TagLookupPort? Lookup;
    public readonly Signal? Rs1Tag;
    public readonly Signal? Rs2Tag;
    public readonly Signal? PcTag;
    public readonly Signal? WritebackRdTag;

    private readonly Multiplier? multiplier;
    private readonly Divider? divider;
    private readonly Alu alu = new(32, compareResult: false, addendInput: true, shifts: false);

    /// <summary>
    /// The rotation stages of a shift done here (by 1, 2); the memory stage does the rest (by 4, 8, 16) and the
    /// mask, from registered values (<see cref="CompleteShift"/>). A 32-bit shift after the forwarding logic does not
    /// fit in one cycle beside the adder's carry chain.
    /// </summary>
    public const int ShiftStagesHere = 2;

    /// <summary>
    /// The memory stage's result from what execute registered: a shift's (<see cref="ExecuteToMemory.Shift"/>)
    /// completed, any other instruction's <see cref="ExecuteToMemory.Result"/> as it is. That one's rotation is 0 and
    /// its mask all ones, so the shift's own logic passes it (no multiplexer after the shift).
    /// </summary>
    public static Expr CompleteShift(ExecuteToMemory m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var rotated = Alu.Rotate(m.Result, m.ShiftRotation, ShiftStagesHere, m.ShiftRotation.Width - ShiftStagesHere);
        int width = rotated.Width;
        var ones = U(ulong.MaxValue >> (64 - width), width);
        var keep = (Mux(m.ShiftLeft, ones.Shl(m.ShiftAmount), ones.Shr(m.ShiftAmount)) | (~m.Shift).Replicate(width)).Named("shiftKeep");
        return (rotated & keep) | (~keep & m.ShiftFill.Replicate(width));
    }
    /// <summary>
    /// <see cref="Alu.ShiftRotation"/> without a carry chain: the negation of the amount for a left shift as bit k
    /// XOR the OR of the bits below it, so that the rotation stages here take their bits from LUTs, not from the end
    /// of a chain (the memory stage's stages take theirs from the register).
    /// </summary>
    private static Expr Rotation(Expr amount, Expr left)
    {
        var bits = new Expr[amount.Width];
        Expr below = U(0, 1);
        for (int k = 0; k < amount.Width; k++)
        {
            bits[amount.Width - 1 - k] = amount[k] ^ (left & below);
            below |= amount[k];
        }
        return Cat(bits);
    }

    private readonly ExecuteToMemory memory;
    /// <summary>The pc bits the retirement fields keep (<see cref="CoreConfig.CodeBits"/>).</summary>
    private readonly int codeBits;
    private readonly LinkSelect linkSelect;
    private readonly OperandSelect operands;
    private readonly OthersSelect othersSelect = new();
    private readonly ResultSelect resultSelect = new();
    /// <summary>The operands of a multiplication or division, kept from its first cycle for the retirement record (with M only).</summary>
    private readonly Signal? heldRs1;
    private readonly Signal? heldRs2;

    protected override void Build()
    {
        var e = FromDecode;
        // The operands (OperandSelect): two LUT levels from the register file. The ALU's first operand is the pc
        // (auipc, and jal and jalr, whose link the ALU forms: OperandA.Pc is 0b01, one register bit) or rs1, zero when
        // not read (lui). The target adder adds to the pc for branches and jal, to rs1 for jalr and for the address
        // of a load or store.
        // An instruction whose fetch faulted adds 0 (decode cleared its immediate) to the pc: its sum is its pc (mtval);
        // decode chose the adder's operand (TargetFromRs1).
        var fromRs1 = e.TargetFromRs1;
        operands.Rs1Value.Set(Rs1Value);
        operands.Rs2Value.Set(Rs2Value);
        operands.MemoryResult.Set(MemoryResult);
        operands.WritebackResult.Set(WritebackResult);
        operands.Rs1Source.Set(e.Rs1Source);
        operands.Rs2Source.Set(e.Rs2Source);
        operands.Pc.Set(e.Pc);
        operands.PcOperand.Set(e.Decoded.OperandA[0]);
        operands.TargetFromRs1.Set(fromRs1);
        operands.Immediate.Set(e.Decoded.Immediate);
        operands.UseImmediate.Set(e.Decoded.UseImmediate);
        operands.AddendImmediate.Set(e.AddendImmediate);
        operands.SubtractRs2.Set(e.SubtractRs2);
        var operandA = operands.OperandA;
        var operandB = operands.OperandB;
        // The units, the shift, a CSR's operand, a store's data and the address check take rs1 and rs2 from the ALU's
        // operands: for every instruction that reads them there, A is rs1 (only auipc, jal and jalr take the pc) and B
        // is rs2 (only instructions without rs2 take the immediate). The values for the retirement record are formed
        // apart (tracedRs1, tracedRs2), so that their logic goes with the record where it is left out (the board).
        var rs1 = operandA;
        var rs2 = operandB;
        var tracedRs1 = OperandSelect.Forwarded(Rs1Value, e.Rs1Source, MemoryResult, WritebackResult).Named("tracedRs1");
        var tracedRs2 = OperandSelect.Forwarded(Rs2Value, e.Rs2Source, MemoryResult, WritebackResult).Named("tracedRs2");
        var addend = operands.Addend;
        alu.A.Set(operandA);
        alu.B.Set(operandB);
        alu.Addend!.Set(addend);
        alu.Op.Set(e.Decoded.AluOp);
        alu.Subtract.Set(e.Subtract);

        // Branches and jumps: a branch's condition comes from the ALU, which subtracts rs2 from rs1; whether it
        // is taken is decided in the memory stage from the registered comparison. The target adder's sum goes to
        // the memory stage as it is (Target), not through the result's multiplexer. It is also the mtval of ebreak
        // (pc + 1, its immediate, bit 0 cleared) and of an instruction whose fetch faulted (pc + 0).
        var target = (operands.TargetBase + e.Decoded.Immediate).Named("target");
        var jumpTarget = Cat(target[31, 1], U(0, 1)).Named("jumpTarget");

        // M extension: the multiplier and the divider take several cycles here; their operands are taken in the first.
        Expr multiplyBusy = U(0, 1);
        Expr divisionBusy = U(0, 1);
        Expr multiplyStart = U(0, 1);
        Expr divisionStart = U(0, 1);
        var isMultiply = e.Decoded.Result.Eq((int)ResultSource.Multiplier);
        var isDivision = e.Decoded.Result.Eq((int)ResultSource.Divider);
        var abandon = Abandon ?? U(0, 1);
        if (multiplier is not null)
        {
            // A start does not wait for the redirect decision of the memory stage (a long path into the DSP blocks'
            // input registers): the abort that comes with it takes precedence in the unit.
            multiplyStart = (e.Valid & isMultiply & ~multiplier.Busy).Named("multiplyStart");
            multiplier.Start.Set(multiplyStart);
            multiplier.Abort.Set(abandon);
            multiplier.A.Set(rs1);
            multiplier.B.Set(rs2);
            // A multiplication is an R-type instruction whose ALU operation is an addition: the sum is rs1 + rs2.
            multiplier.Sum.Set(alu.Sum);
            multiplier.Funct3.Set(e.Decoded.Funct3);
            multiplyBusy = e.Valid & isMultiply & ~multiplier.Done;
        }
        if (divider is not null)
        {
            divisionStart = (e.Valid & isDivision & ~divider.Busy & ~divider.Done).Named("divisionStart");
            divider.Start.Set(divisionStart);
            divider.Abort.Set(abandon);
            divider.Dividend.Set(rs1);
            divider.Divisor.Set(rs2);
            divider.Funct3.Set(e.Decoded.Funct3);
            divisionBusy = e.Valid & isDivision & ~divider.Done;
        }
        // Busy comes from registers only: it holds fetch's address and decode, so it must not wait for the memory
        // stage's commit decision. In the cycle the unit is abandoned it may still say busy: a redirect and a waiting
        // memory stage flush decode and hold or flush execute's register whatever busy says, and what fetch requests
        // then is dropped (a redirect) or fetched again (the waiting instruction's refetch).
        // mret takes mepc here (its Link): it waits while the instruction in the memory stage may still write mepc,
        // a CSR write to it (a trap or an interrupt there drops the mret).
        var isMret = e.Decoded.System.Eq((int)SystemOp.Mret);
        var mepcWriteAhead = (memory.Valid & memory.Csr & memory.CsrWrite &
            memory.CsrSelect[ControlStatusRegisters.SelectBit(CsrAddress.Mepc)]).Named("mepcWriteAhead");
        var returnWait = (e.Valid & isMret & mepcWriteAhead).Named("returnWait");
        var busy = (multiplyBusy | divisionBusy | returnWait).Named("busy");
        // The link: pc + 4, or mret's mepc, chosen in the increment's own cells on the board (LinkSelect).
        linkSelect.Pc.Set(e.Pc);
        linkSelect.Other.Set(ReturnPc);
        linkSelect.TakeOther.Set(isMret);
        Busy.Set(busy);

        // Exceptions, in the order of priority of the privileged specification.
        var isCsr = e.Decoded.System.Eq((int)SystemOp.Csr);
        var csrWrite = (e.Decoded.Funct3[1, 0].Eq(0b01) | e.Decoded.Rs1.Any()).Named("csrWrite");
        var size = e.Decoded.Funct3[1, 0];
        // The address's two low bits from their own 2-bit adder: the check does not wait for the ALU's result mux.
        var offset = (rs1[1, 0] + e.Decoded.Immediate[1, 0]).Named("offset");
        var dataMisaligned = (size.Eq(1) & offset[0]) | (size.Eq(2) & offset[1, 0].Any());
        var fetchFault = e.FetchFault;
        var illegal = (~fetchFault & (e.Decoded.Illegal | (isCsr & ControlStatusRegisters.IsIllegal(e.Decoded.Immediate[11, 0], csrWrite)))).Named("illegal");
        var ecall = e.Decoded.System.Eq((int)SystemOp.Ecall);
        var ebreak = e.Decoded.System.Eq((int)SystemOp.Ebreak);
        var loadMisaligned = e.Decoded.Load & dataMisaligned;
        var storeMisaligned = e.Decoded.Store & dataMisaligned;
        // A misaligned jump target traps only when the jump is taken; the memory stage decides it from the registered outcome.
        var exception = (fetchFault | illegal | ecall | ebreak | loadMisaligned | storeMisaligned).Named("exception");
        var cause = Wire(4, @default: 0).Named("cause");
        When(fetchFault, () => cause.Set((int)TrapCause.InstructionAccessFault))
            .ElseWhen(illegal, () => cause.Set((int)TrapCause.IllegalInstruction))
            .ElseWhen(ecall, () => cause.Set((int)TrapCause.MachineEcall))
            .ElseWhen(ebreak, () => cause.Set((int)TrapCause.Breakpoint))
            .ElseWhen(loadMisaligned, () => cause.Set((int)TrapCause.LoadAddressMisaligned))
            .ElseWhen(storeMisaligned, () => cause.Set((int)TrapCause.StoreAddressMisaligned));

        // The target comparison does not wait for the branch condition, which only selects the outcome. Each bit
        // compares two bits of the target (one LUT after the adder); the memory stage ORs them.
        Expr wrongTarget = PredictedPc is null ? U(0, 16) : Cat(Enumerable.Range(0, 16).Reverse()
            .Select(i => (Expr)(jumpTarget[2 * i + 1, 2 * i] ^ PredictedPc[2 * i + 1, 2 * i]).Any()).ToArray()).Named("wrongTarget");

        // A shift: the first rotation stages (see ShiftStagesHere).
        var shiftAmount = operandB[4, 0].Named("shiftAmount");
        var shiftLeft = e.Decoded.AluOp.Eq((int)AluOp.Sll).Named("shiftLeft");
        var shiftFill = (e.Decoded.AluOp.Eq((int)AluOp.Sra) & rs1.Msb).Named("shiftFill");
        var rotation = Rotation(shiftAmount, shiftLeft).Named("rotation");
        var rotated = Alu.Rotate(rs1, rotation, 0, ShiftStagesHere).Named("rotated");

        // The result: the adder's sum ORed in the last LUT level (ResultSelect), after one AND-OR of the other
        // sources (OthersSelect), whose selects depend on registered fields only. A CSR instruction's operand travels as the store
        // data, off the result.
        var source = e.Decoded.Result;
        var fromAlu = (source.Eq((int)ResultSource.Alu) | source.Eq((int)ResultSource.Link)).Named("fromAlu");
        othersSelect.Logic.Set(alu.Logic);
        othersSelect.LogicSelect.Set(fromAlu & Alu.IsLogic(e.Decoded.AluOp));
        othersSelect.Rotated.Set(rotated);
        othersSelect.RotatedSelect.Set(source.Eq((int)ResultSource.Shift));
        // An illegal instruction's word travels there too (its mtval) unless the memory stage has the word anyway
        // (ExecuteToMemory.WordInRetire): the choices are of registered fields.
        var csrImmediate = (isCsr & e.Decoded.Funct3[2]).Named("csrImmediate");
        Expr storeData = Mux(isCsr, Mux(csrImmediate, e.Decoded.Rs1.ZeroExtend(32), rs1), rs2);
        if (!memory.WordInRetire)
            storeData = Mux(illegal, e.Instruction, storeData);
        storeData = storeData.Named("storeData");
        othersSelect.Multiplier.Set(multiplier?.Result ?? U(0, 32));
        othersSelect.Divider.Set(divider?.Result ?? U(0, 32));
        othersSelect.DividerSelect.Set(divider is null ? U(0, 1) : source.Eq((int)ResultSource.Divider));
        resultSelect.Sum.Set(alu.Sum);
        resultSelect.SumSelect.Set(fromAlu & Alu.IsAddition(e.Decoded.AluOp));
        resultSelect.Others.Set(othersSelect.Result);
        var result = resultSelect.Result;

        // During a multiplication or division the operand values here change (see DecodeStage, and the stages
        // ahead move on); the record takes them from its first cycle.
        Expr value1 = tracedRs1;
        Expr value2 = tracedRs2;
        Expr operandsHeld = U(0, 1);
        if (heldRs1 is not null && heldRs2 is not null)
        {
            var start = (multiplyStart | divisionStart).Named("unitStart");
            When(start, () =>
            {
                heldRs1.Set(tracedRs1);
                heldRs2.Set(tracedRs2);
            });
            operandsHeld = ((isMultiply | isDivision) & ~start).Named("operandsHeld");
            value1 = Mux(operandsHeld, heldRs1, tracedRs1);
            value2 = Mux(operandsHeld, heldRs2, tracedRs2);
        }
        Expr? lookupKey = null, lookupEnable = null;
        if (Lookup is not null)
        {
            // A tagged core: the operands' tags, forwarded as the values are (from the memory stage, the rule cache's
            // outputs before its compare: a miss there makes the instruction here start again anyway).
            var tag1 = OperandSelect.Forwarded(Rs1Tag!, e.Rs1Source, Lookup.SpeculativeResultTag, WritebackRdTag!).Named("rs1Tag");
            var tag2 = OperandSelect.Forwarded(Rs2Tag!, e.Rs2Source, Lookup.SpeculativeResultTag, WritebackRdTag!).Named("rs2Tag");
            // The rule's input, masked by its opgroup's care mask. The PC tag is the one the instruction in the memory
            // stage leaves (assuming it hits; when it does not, it waits and this instruction starts again), else the register.
            var care = Lookup.Care;
            var pcTag = Mux(memory.Valid, Lookup.SpeculativePcTag, PcTag!).Named("pcTagNow");
            Expr Cared(TagField field, Expr tag) => Mux(care[(int)field], tag, 0);
            // A CSR instruction's immediate is no register: its rs1 tag is 0.
            var readsRs1 = ~(isCsr & e.Decoded.Funct3[2]);
            lookupKey = RuleCache.LookupKey(Lookup.Opgroup, Cared(TagField.Pc, pcTag), Cared(TagField.Ci, Lookup.CiTag),
                Mux(readsRs1, Cared(TagField.Rs1, tag1), 0), Cared(TagField.Rs2, tag2)).Named("lookupKey");
            Lookup.Key.Set(lookupKey);
            Lookup.UsesResultTag.Set(e.Valid & (e.Rs1Source.Memory | e.Rs2Source.Memory));
            // A multiplication or division looks its rule up in its first cycle, when its operands' tags are those it
            // read (they change after, as the values do), and the memory stage's tag payload keeps that key: the
            // stage holds bubbles until the unit is done (or the instruction here starts again: one that meets a
            // hold in its first cycle is behind an instruction that waits, and is fetched again after it). A bubble
            // looks up as every other instruction does, whatever its fields say: its lookup moves the tag unit's
            // flags of the load or store before it on (the single-port tag memory keeps its port for a store there).
            lookupEnable = (~Control.Hold & ~(e.Valid & operandsHeld)).Named("lookupEnable");
            Lookup.Enable.Set(lookupEnable);
            Lookup.Address.Set(target);
            Lookup.Load.Set(e.Valid & e.Decoded.Load);
            Lookup.Store.Set(e.Valid & e.Decoded.Store);
        }
        var traced1 = (e.Decoded.ReadsRs1 & ~(isCsr & e.Decoded.Funct3[2]) & ~illegal & ~fetchFault).Named("traced1");
        var traced2 = (e.Decoded.ReadsRs2 & ~illegal & ~fetchFault).Named("traced2");

        // A trapping instruction still goes on, doing nothing, so that it commits with its trap.
        var doesIt = ~exception;
        var csrSelect = ControlStatusRegisters.ReadSelect(e.Decoded.Immediate[11, 0]).Named("csrSelect");
        CsrSelect.Set(csrSelect);
        When(~Control.Hold, () =>
        {
            memory.Valid.Set(e.Valid & ~Control.Flush);
            memory.Rd.Set(e.Decoded.Rd);
            memory.WritesRd.Set(e.Decoded.WritesRd & doesIt);
            memory.Result.Set(result);
            memory.Load.Set(e.Decoded.Load & doesIt);
            memory.Store.Set(e.Decoded.Store & doesIt);
            memory.Funct3.Set(e.Decoded.Funct3);
            memory.StoreData.Set(storeData);
            memory.Csr.Set(isCsr & doesIt);
            memory.Compare.Set(e.Decoded.Result.Eq((int)ResultSource.Compare));
            memory.CsrWrite.Set(csrWrite);
            memory.CsrSelect.Set(csrSelect);
            memory.CounterCsr.Set(isCsr & doesIt & (csrSelect[ControlStatusRegisters.SelectBit(CsrAddress.Minstret)] |
                csrSelect[ControlStatusRegisters.SelectBit(CsrAddress.Minstreth)]));
            memory.Mret.Set(isMret & doesIt);
            memory.FenceI.Set(e.Decoded.System.Eq((int)SystemOp.FenceI) & doesIt);
            memory.Exception.Set(exception);
            memory.Cause.Set(cause);
            memory.Link.Set(linkSelect.Link);
            memory.TransferKind.Set(e.Decoded.Transfer);
            memory.Less.Set(alu.Less);
            memory.LessUnsigned.Set(alu.LessUnsigned);
            memory.Equal.Set(alu.Equal);
            memory.PredictedTaken.Set(e.Prediction.Taken);
            memory.WrongTarget.Set(wrongTarget);
            memory.Target.Set(target);
            memory.MisalignedTarget.Set(jumpTarget[1]);
            memory.Hit.Set(e.Prediction.Hit);
            memory.Counter.Set(e.Prediction.Counter);
            memory.Shift.Set(source.Eq((int)ResultSource.Shift));
            memory.ShiftAmount.Set(shiftAmount);
            memory.ShiftLeft.Set(shiftLeft);
            memory.ShiftRotation.Set(Mux(source.Eq((int)ResultSource.Shift), rotation, 0));
            memory.ShiftFill.Set(shiftFill);

            var retire = memory.Retire;
            // The pc inside the code range: one outside it is an instruction access fault's, whose target sum is its pc.
            retire.Pc.Set(e.Pc[codeBits - 1, 2]);
            // As it came (a faulted fetch's word is anything; the record clears it): its rd and funct3 bits are then
            // the flip-flops of Rd and Funct3 above, merged by synthesis.
            retire.Instruction.Set(e.Instruction);
            retire.Rs1.Set(Mux(traced1, e.Decoded.Rs1, 0));
            retire.Rs2.Set(Mux(traced2, e.Decoded.Rs2, 0));
            retire.Rs1Value.Set(Mux(traced1 & e.Decoded.Rs1.Any(), value1, 0));
            retire.Rs2Value.Set(Mux(traced2 & e.Decoded.Rs2.Any(), value2, 0));
        });
        if (memory.Tags is not null && Lookup is not null)
        {
            When(lookupEnable!, () =>
            {
                memory.Tags.Key.Set(lookupKey!);
                memory.Tags.CiTag.Set(Lookup.CiTag);
            });
        }
        ToMemory.Set(memory);
    }
}
