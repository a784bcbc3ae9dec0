namespace HwGen.Designs.Riscv;

/// <summary>
/// The retirement trace's fields, one line each: the RTL bundle (<see cref="RetirementTrace"/>, ports
/// <c>Trace_&lt;Name&gt;</c>), the harness's record slots, the golden model's <c>RetireRecord</c>, the lockstep
/// comparison and the divergence report are all made from <see cref="Table"/>. The order of the lines is the order of
/// the ports and of the comparison (the first field that differs is the one reported).
/// </summary>
/// <remarks>
/// A new field (a tag, a policy decision) is one line here, plus the code that computes it: the RTL stage that sets
/// <c>Trace[RetirementFields.X]</c> and the golden model that sets <c>record[RetirementFields.X]</c>. The exact rules
/// every field follows are on <c>RetireRecord</c> (sim/Model/IssTypes.cs).
/// </remarks>
public static class RetirementFields
{
    public static readonly TraceField Order = new(nameof(Order), 64, "the record's number, counting from 0 (trapping instructions included)", print: TracePrint.Line);
    public static readonly TraceField PcRdata = new(nameof(PcRdata), 32, "the instruction's address", print: TracePrint.Line);
    public static readonly TraceField Insn = new(nameof(Insn), 32, "the instruction word (0 when it could not be fetched)", print: TracePrint.Line);
    public static readonly TraceField Trap = new(nameof(Trap), 1, "1 when the instruction trapped instead of completing", print: TracePrint.Line);
    public static readonly TraceField Cause = new(nameof(Cause), 32, "the mcause a trapping instruction wrote; 0 on a record without a trap", TraceCompare.Always, TracePrint.Line);
    public static readonly TraceField Intr = new(nameof(Intr), 1, "1 on the first instruction of a handler entered through an interrupt", print: TracePrint.Line);
    public static readonly TraceField Rs1Addr = new(nameof(Rs1Addr), 5, "rs1 when the instruction reads it, else 0", print: TracePrint.Hidden);
    public static readonly TraceField Rs2Addr = new(nameof(Rs2Addr), 5, "rs2 when the instruction reads it, else 0", print: TracePrint.Hidden);
    public static readonly TraceField Rs1Rdata = new(nameof(Rs1Rdata), 32, "the value read from rs1 (0 when Rs1Addr is 0)", print: TracePrint.Hidden);
    public static readonly TraceField Rs2Rdata = new(nameof(Rs2Rdata), 32, "the value read from rs2 (0 when Rs2Addr is 0)", print: TracePrint.Hidden);
    public static readonly TraceField RdAddr = new(nameof(RdAddr), 5, "the register written, 0 when none (writes to x0 included)", print: TracePrint.Line);
    public static readonly TraceField RdWdata = new(nameof(RdWdata), 32, "the value written to rd (0 when RdAddr is 0)", print: TracePrint.Line);
    public static readonly TraceField PcWdata = new(nameof(PcWdata), 32, "the next instruction's address (target, pc + 4, mepc after mret, mtvec after a trap)", print: TracePrint.Line);
    public static readonly TraceField MemAddr = new(nameof(MemAddr), 32, "the word-aligned address of a load or store, else 0", print: TracePrint.Line);
    public static readonly TraceField MemRmask = new(nameof(MemRmask), 4, "the byte lanes a load read (bit n = byte n of the word)", print: TracePrint.Line);
    public static readonly TraceField MemWmask = new(nameof(MemWmask), 4, "the byte lanes a store wrote", print: TracePrint.Line);
    public static readonly TraceField MemRdata = new(nameof(MemRdata), 32, "the loaded bytes at their lanes, before extension (other lanes 0)", print: TracePrint.Line);
    public static readonly TraceField MemWdata = new(nameof(MemWdata), 32, "the stored bytes at their lanes (other lanes 0)", print: TracePrint.Line);

    /// <summary>The standard trace: every field above, in declaration order.</summary>
    public static TraceTable Table { get; } = TraceTable.FromStaticFields(typeof(RetirementFields));
}
