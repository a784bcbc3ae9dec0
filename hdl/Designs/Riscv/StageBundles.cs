using HwGen.Designs.Common;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

// The records that travel between the pipeline stages. Each stage owns the register of the bundle it
// produces (FetchStage holds FetchToDecode, and so on); Valid is 0 for a bubble. Fields that a later
// feature needs (tags, trace data) are added here and copied along by each stage.

/// <summary>
/// The instruction in the decode stage. Its word arrives on the instruction bus in the same cycle, and so does
/// its <see cref="Prediction"/>, read from the branch target buffer with the same address.
/// </summary>
public sealed class FetchToDecode : Bundle
{
    public readonly Signal Valid = Bool(reset: 0);
    public readonly Signal Pc = UInt(32);
    public readonly BranchPrediction Prediction = new();
    /// <summary>The instruction bus answered the fetch with an error: an instruction access fault (the word is 0).</summary>
    public readonly Signal Fault = Bool();
}

/// <summary>
/// What the branch predictor said of an instruction when it was fetched, carried to the execute stage, which
/// checks it and hands it back with the outcome (<see cref="BranchResolution"/>) to update the entry. All zero
/// without a predictor; <see cref="Hit"/> and <see cref="Counter"/> are zero without a <see cref="BranchPredictorKind.Btb"/>.
/// </summary>
public sealed class BranchPrediction : Bundle
{
    /// <summary>Fetch went to the predicted target (the pc of the next instruction in decode) rather than to pc + 4.</summary>
    public readonly Signal Taken = Bool();
    /// <summary>The branch target buffer had an entry for the instruction's address.</summary>
    public readonly Signal Hit = Bool();
    /// <summary>The entry's 2-bit saturating counter (taken when bit 1 is set); 0 without a hit.</summary>
    public readonly Signal Counter = UInt(2);
}

/// <summary>
/// The outcome of the instruction that commits in the memory stage, for the branch predictor: where control
/// really went, and what the predictor knew when the instruction was fetched.
/// </summary>
public sealed class BranchResolution : Bundle
{
    /// <summary>An instruction completed without a trap (a bubble, a trap or an interrupt updates nothing).</summary>
    public readonly Signal Valid = Bool();
    public readonly Signal Pc = UInt(32);
    /// <summary>The instruction is a branch, <c>jal</c> or <c>jalr</c>.</summary>
    public readonly Signal Transfer = Bool();
    /// <summary>It went to <see cref="Target"/> rather than to pc + 4.</summary>
    public readonly Signal Taken = Bool();
    /// <summary>The jump target (for a branch, pc + offset whether taken or not).</summary>
    public readonly Signal Target = UInt(32);
    /// <summary>The instruction's <see cref="BranchPrediction.Hit"/> and <see cref="BranchPrediction.Counter"/>.</summary>
    public readonly Signal Hit = Bool();
    public readonly Signal Counter = UInt(2);
}

/// <summary>The control values of one instruction word, as the <see cref="Decoder"/> table gives them.</summary>
public sealed class DecodedInstruction : Bundle
{
    public readonly Signal Rs1 = UInt(5);
    public readonly Signal Rs2 = UInt(5);
    public readonly Signal Rd = UInt(5);
    public readonly Signal Funct3 = UInt(3);
    /// <summary>The immediate, sign-extended (any value for an instruction without one, or a word that matches no row).</summary>
    public readonly Signal Immediate = UInt(32);
    /// <summary>An <see cref="Common.AluOp"/>.</summary>
    public readonly Signal AluOp = UInt(4);
    /// <summary>An <see cref="Riscv.OperandA"/>.</summary>
    public readonly Signal OperandA = UInt(2);
    /// <summary>1 when the ALU's second operand is the immediate (<see cref="OperandB.Immediate"/>).</summary>
    public readonly Signal UseImmediate = Bool();
    /// <summary>A <see cref="ResultSource"/>.</summary>
    public readonly Signal Result = UInt(3);
    /// <summary>A <see cref="ControlTransfer"/>.</summary>
    public readonly Signal Transfer = UInt(2);
    public readonly Signal Load = Bool();
    public readonly Signal Store = Bool();
    /// <summary>A <see cref="SystemOp"/>.</summary>
    public readonly Signal System = UInt(3);
    /// <summary>The instruction reads rs1 / rs2 as registers (hazards, the retirement trace).</summary>
    public readonly Signal ReadsRs1 = Bool();
    public readonly Signal ReadsRs2 = Bool();
    /// <summary>1 when the instruction writes a register other than x0.</summary>
    public readonly Signal WritesRd = Bool();
    /// <summary>The word matches no row of the table: an illegal instruction.</summary>
    public readonly Signal Illegal = Bool();
}

/// <summary>
/// Fields of <see cref="DecodedInstruction"/> decoded from a few bits of the word (<see cref="Decoder.CoarseMask"/>):
/// 1 for every word the full decode gives 1 for, and for some others with the same opcode and funct3.
/// </summary>
public sealed class CoarseDecode : Bundle
{
    public readonly Signal ReadsRs1 = Bool();
    public readonly Signal ReadsRs2 = Bool();
    /// <summary>A CSR instruction (<see cref="SystemOp.Csr"/>).</summary>
    public readonly Signal Csr = Bool();
}

/// <summary>
/// The instruction in the execute stage. Its operand values are not here: they come from the register file's
/// synchronous read ports, whose output registers are the rest of this pipeline register.
/// </summary>
public sealed class DecodeToExecute : Bundle
{
    public readonly Signal Valid = Bool(reset: 0);
    public readonly Signal Pc = UInt(32);
    /// <summary>The instruction word (the value of mtval for an illegal instruction).</summary>
    public readonly Signal Instruction = UInt(32);
    /// <summary>Its control values, as the decoder gave them, but for an instruction access fault, whose immediate is 0 (its target sum is its pc, its mtval).</summary>
    public readonly DecodedInstruction Decoded = new();
    /// <summary>What the branch predictor knew of the instruction when it was fetched.</summary>
    public readonly BranchPrediction Prediction = new();
    /// <summary>The ALU subtracts (<see cref="Common.Alu.Subtract"/>), decoded here so that it comes from this register.</summary>
    public readonly Signal Subtract = Bool();
    /// <summary>Where execute takes the values of rs1 and rs2 from, decided in decode (see <see cref="OperandSource"/>).</summary>
    public readonly OperandSource Rs1Source = new();
    public readonly OperandSource Rs2Source = new();
    /// <summary>The fetch of the instruction was answered with an error (<see cref="FetchToDecode.Fault"/>): an instruction access fault.</summary>
    public readonly Signal FetchFault = Bool();
    /// <summary>
    /// What the ALU's adder takes beside rs2 (an <see cref="AddendImmediateKind"/>): formed in execute from
    /// <see cref="DecodedInstruction.Immediate"/> in one LUT beside the forwarding's first, so that the immediate is
    /// registered once.
    /// </summary>
    public readonly Signal AddendImmediate = UInt(2);
    /// <summary>The ALU subtracts rs2 (<see cref="Subtract"/> without an immediate operand): rs2 is complemented.</summary>
    public readonly Signal SubtractRs2 = Bool();
    /// <summary>
    /// The target adder adds to rs1 (<c>jalr</c>, a load's or store's address), else to the pc: decoded here, so that the
    /// choice of every bit of the adder's operand comes from this register, not from two LUTs of its fields.
    /// </summary>
    public readonly Signal TargetFromRs1 = Bool();
}

/// <summary>The ALU adder's immediate operand (<see cref="DecodeToExecute.AddendImmediate"/>).</summary>
public enum AddendImmediateKind
{
    /// <summary>0: the adder takes rs2.</summary>
    None = 0,
    Immediate = 1,
    /// <summary>The immediate complemented: the ALU subtracts it (<c>slti</c>, <c>sltiu</c>).</summary>
    Complemented = 2,
    /// <summary>4: the link of <c>jal</c> and <c>jalr</c>, pc + 4.</summary>
    Four = 3,
}

/// <summary>
/// Where the execute stage takes a source register's value from: the result of the instruction then in the memory
/// stage, that of the instruction then in writeback, or (both 0) the register file, whose own bypass covers the
/// write of the cycle the register was read. Decode decides it one cycle ahead from the rd of the instructions
/// ahead, so that the forwarding multiplexer in execute has registered selects.
/// </summary>
public sealed class OperandSource : Bundle
{
    public readonly Signal Memory = Bool();
    public readonly Signal Writeback = Bool();
}

/// <summary>
/// What the retirement trace records of an instruction from the execute stage: the pc, the word and the registers
/// read. The memory stage (the commit point) adds the next pc and the trap (<see cref="MemoryToWriteback"/>); the
/// record is formed in writeback.
/// </summary>
public sealed class RetireInfo : Bundle
{
    public RetireInfo()
        : this(32)
    {
    }

    /// <param name="codeBits">The pc bits that vary inside the code range (<see cref="CoreConfig.CodeBits"/>): <see cref="Pc"/> keeps those above the byte offset.</param>
    public RetireInfo(int codeBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeBits, 3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codeBits, 32);
        Pc = UInt(codeBits - 2);
    }

    /// <summary>
    /// The instruction's word address inside the code range: bits <see cref="CoreConfig.CodeBits"/> - 1 .. 2 of its pc
    /// (<see cref="CoreConfig.CodeAddress"/> gives the address). Only an instruction access fault can lie outside the
    /// range; its full pc is its mtval, the target adder's sum (<see cref="ExecuteToMemory.Target"/>).
    /// </summary>
    public Signal Pc { get; }
    /// <summary>The instruction word; any value when it could not be fetched (the record then has 0).</summary>
    public readonly Signal Instruction = UInt(32);
    /// <summary>The registers read (0 when not read) and their values.</summary>
    public readonly Signal Rs1 = UInt(5);
    public readonly Signal Rs2 = UInt(5);
    public readonly Signal Rs1Value = UInt(32);
    public readonly Signal Rs2Value = UInt(32);
}

/// <summary>
/// The instruction in the memory stage, the commit point: everything the execute stage decided of it, so that
/// the memory stage commits it or traps from registered values alone.
/// </summary>
public sealed class ExecuteToMemory : Bundle
{
    public ExecuteToMemory()
        : this(null)
    {
    }

    /// <param name="tags">The tag unit's parameters: the record carries <see cref="Tags"/>; null: untagged.</param>
    /// <param name="codeBits">The pc bits the retirement fields keep (<see cref="CoreConfig.CodeBits"/>; 32: all).</param>
    public ExecuteToMemory(TagConfig? tags, int codeBits = 32)
    {
        Tags = tags is null ? null : new ExecuteTags(tags);
        Retire = new RetireInfo(codeBits);
    }

    /// <summary>
    /// The mtval of an illegal instruction, its word, is <see cref="RetireInfo.Instruction"/> rather than
    /// <see cref="StoreData"/>: a tagged core, whose memory stage keeps the whole word anyway (a denied instruction's
    /// mtval). Without tags only the CSR address of that word is used there, and the word travels as the store data.
    /// </summary>
    public bool WordInRetire => Tags is not null;

    public readonly Signal Valid = Bool(reset: 0);
    public readonly Signal Rd = UInt(5);
    /// <summary>The instruction writes rd (0 when it raised an exception in execute).</summary>
    public readonly Signal WritesRd = Bool();
    /// <summary>The value for rd (a load's or store's address is <see cref="Target"/>, a CSR instruction's operand <see cref="StoreData"/>).</summary>
    public readonly Signal Result = UInt(32);
    public readonly Signal Load = Bool();
    public readonly Signal Store = Bool();
    /// <summary>The access size and signedness of a load or store.</summary>
    public readonly Signal Funct3 = UInt(3);
    /// <summary>rs2 (forwarded): the value a store writes; for a CSR instruction, its operand (rs1 or the 5-bit immediate); for an illegal instruction, its word (mtval) unless <see cref="WordInRetire"/>.</summary>
    public readonly Signal StoreData = UInt(32);
    /// <summary>A CSR instruction: it reads (and when <see cref="CsrWrite"/>, writes) the CSR named by the instruction word.</summary>
    public readonly Signal Csr = Bool();
    public readonly Signal CsrWrite = Bool();
    /// <summary>Which register a CSR instruction reads (<see cref="ControlStatusRegisters.ReadSelect"/> of its address).</summary>
    public readonly Signal CsrSelect = UInt(ControlStatusRegisters.ReadSources.Count);
    /// <summary>A CSR instruction on minstret(h) or instret(h) that raised no exception (a write can only be to minstret or minstreth).</summary>
    public readonly Signal CounterCsr = Bool();
    /// <summary><c>slt</c>/<c>sltu</c> (and immediate forms): the result is <see cref="Less"/> or <see cref="LessUnsigned"/> (funct3 bit 0), put in here.</summary>
    public readonly Signal Compare = Bool();
    /// <summary><c>mret</c>; <c>fence.i</c> (the instructions after it are fetched again).</summary>
    public readonly Signal Mret = Bool();
    public readonly Signal FenceI = Bool();
    /// <summary>The instruction raised an exception in execute (every exception but a data access fault); <see cref="Cause"/> is its mcause (0 when it raised none).</summary>
    public readonly Signal Exception = Bool();
    public readonly Signal Cause = UInt(4);
    /// <summary>pc + 4: the next instruction in program order unless taken (then <see cref="Target"/>); for <c>mret</c>, mepc.</summary>
    public readonly Signal Link = UInt(32);
    /// <summary>
    /// How the instruction may change the flow of control (a <see cref="ControlTransfer"/>), and for a branch the
    /// comparison of rs1 with rs2 (from the ALU's subtraction): the memory stage decides from these registered bits
    /// whether it is taken, and whether fetch predicted it right.
    /// </summary>
    public readonly Signal TransferKind = UInt(2);
    public readonly Signal Less = Bool();
    public readonly Signal LessUnsigned = Bool();
    public readonly Signal Equal = Bool();
    /// <summary>Fetch predicted the instruction taken (<see cref="BranchPrediction.Taken"/>).</summary>
    public readonly Signal PredictedTaken = Bool();
    /// <summary>
    /// The pc fetched after the instruction is not its jump target (a wrong predicted target) when any bit is set:
    /// bit i compares bits 2i+1..2i, so that the comparison after the target adder is one LUT level here and the
    /// OR of the bits is the memory stage's.
    /// </summary>
    public readonly Signal WrongTarget = UInt(16);
    /// <summary>
    /// The target adder's sum: pc + offset, or rs1 + offset for <c>jalr</c> and for a load's or store's byte address.
    /// A jump goes there with bit 0 cleared, whether taken or not. With bit 0 cleared it is also the pc, the mtval, of
    /// <c>ebreak</c> (pc + 1) and of an instruction whose fetch faulted (pc + 0).
    /// </summary>
    public readonly Signal Target = UInt(32);
    public readonly Signal Hit = Bool();
    public readonly Signal Counter = UInt(2);
    /// <summary>Bit 1 of <see cref="Target"/>: a taken branch or jump there raises an instruction-address-misaligned exception.</summary>
    public readonly Signal MisalignedTarget = Bool();
    public readonly RetireInfo Retire;
    /// <summary>
    /// A shift (<see cref="ResultSource.Shift"/>): <see cref="Result"/> holds its operand rotated by the first
    /// stages, and the memory stage completes it (<see cref="ExecuteStage.CompleteShift"/>) from the amount, the
    /// direction and the fill (the operand's sign for <c>sra</c>, else 0).
    /// </summary>
    public readonly Signal Shift = Bool();
    public readonly Signal ShiftAmount = UInt(5);
    public readonly Signal ShiftLeft = Bool();
    /// <summary>How far the operand is rotated right (<see cref="Alu.ShiftRotation"/> of the amount and direction), so that the memory stage's rotation needs no negation; 0 for an instruction that is no shift, whose result then passes the rotation as it is.</summary>
    public readonly Signal ShiftRotation = UInt(5);
    public readonly Signal ShiftFill = Bool();
    /// <summary>The rule check's input (a tagged core only).</summary>
    public readonly ExecuteTags? Tags;
}

/// <summary>The tag payload of <see cref="ExecuteToMemory"/>: the rule's input as far as execute knows it.</summary>
public sealed class ExecuteTags : Bundle
{
    public ExecuteTags(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Key = UInt(config.KeyWidth - config.TagWidth);
        CiTag = UInt(config.TagWidth);
    }

    /// <summary>The lookup key (<see cref="RuleCache.LookupKey"/>): opgroup, PC, CI, rs1 and rs2 tags, masked by the care mask.</summary>
    public Signal Key { get; }
    /// <summary>The instruction's own tag, unmasked: the caller's tag of a store to the PEX call port.</summary>
    public Signal CiTag { get; }
}

/// <summary>
/// The instruction in the writeback stage. A load or store waits here for its response on the data bus (in the
/// cycle after the request without wait states), which brings a load's word or an access fault.
/// </summary>
public sealed class MemoryToWriteback : Bundle
{
    public MemoryToWriteback()
        : this(null)
    {
    }

    /// <param name="tags">The tag unit's parameters: the record carries <see cref="Tags"/>; null: untagged.</param>
    /// <param name="codeBits">The pc bits the retirement fields keep (<see cref="CoreConfig.CodeBits"/>; 32: all).</param>
    public MemoryToWriteback(TagConfig? tags, int codeBits = 32)
    {
        Tags = tags is null ? null : new CommitTags(tags);
        Retire = new RetireInfo(codeBits);
    }

    public readonly Signal Valid = Bool(reset: 0);
    public readonly Signal Rd = UInt(5);
    public readonly Signal WritesRd = Bool();
    /// <summary>The value for rd; for a load, the byte address.</summary>
    public readonly Signal Result = UInt(32);
    public readonly Signal Load = Bool();
    /// <summary>A store went out on the data bus; like a load, the instruction stays here until its response.</summary>
    public readonly Signal Store = Bool();
    /// <summary>The instruction counts in minstret when it retires here without a trap (not one that writes minstret).</summary>
    public readonly Signal Counted = Bool();
    /// <summary>The size and signedness of a load.</summary>
    public readonly Signal Funct3 = UInt(3);
    /// <summary>The byte lanes read or written, and the store's data in its lanes (for the trace).</summary>
    public readonly Signal ReadMask = UInt(4);
    public readonly Signal WriteMask = UInt(4);
    public readonly Signal WriteData = UInt(32);
    /// <summary>The address of the next instruction in program order (a target, pc + 4, mepc, or mtvec on a trap).</summary>
    public readonly Signal NextPc = UInt(32);
    /// <summary>The instruction trapped; it writes nothing and <see cref="Cause"/> holds its mcause.</summary>
    public readonly Signal Trap = Bool();
    public readonly Signal Cause = UInt(5);
    /// <summary>The first instruction of a handler entered through an interrupt.</summary>
    public readonly Signal Intr = Bool();
    public readonly RetireInfo Retire;
    /// <summary>The tags the instruction leaves (a tagged core only).</summary>
    public readonly CommitTags? Tags;
}

/// <summary>The tag payload of <see cref="MemoryToWriteback"/>: what the rule check decided, for writeback and the trace.</summary>
public sealed class CommitTags : Bundle
{
    public CommitTags(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int t = config.TagWidth;
        RdTag = UInt(t);
        PcTag = UInt(t);
        PcTagFound = UInt(t);
        MemTag = UInt(t);
    }

    /// <summary>The result tag: written with rd (forwarded to execute as the values are).</summary>
    public Signal RdTag { get; }
    /// <summary>The PC tag the instruction leaves (the rule's output; <c>mret</c>'s restored one; a trapping one's, the one it found).</summary>
    public Signal PcTag { get; }
    /// <summary>The PC tag the instruction found: saved when its load or store traps in writeback.</summary>
    public Signal PcTagFound { get; }
    /// <summary>A store's new word tag or a load's word tag, inside the tagged memory; else 0.</summary>
    public Signal MemTag { get; }
    /// <summary>The policy denied the instruction.</summary>
    public readonly Signal Denied = Bool();
}

/// <summary>A register write, or the value a later stage is about to write (for forwarding).</summary>
public sealed class RegisterWrite : Bundle
{
    public readonly Signal Enable = Bool();
    public readonly Signal Address = UInt(5);
    public readonly Signal Data = UInt(32);
}

/// <summary>A register that an instruction will write, without the value (for interlocks).</summary>
public sealed class PendingWrite : Bundle
{
    public readonly Signal Enable = Bool();
    public readonly Signal Address = UInt(5);
}
