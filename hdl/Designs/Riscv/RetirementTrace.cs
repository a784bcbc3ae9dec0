using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The retirement trace port: one record per retired (or trapping) instruction, in the style of the RISC-V Formal
/// Interface (RVFI). Its members are <see cref="Valid"/> and one signal per field of a <see cref="TraceTable"/>
/// (by default <see cref="RetirementFields.Table"/>), named after the field: the Verilog ports are
/// <c>Trace_Valid</c>, <c>Trace_Order</c>, <c>Trace_PcRdata</c>, …, in table order. The golden model's
/// <c>RetireRecord</c> documents the exact meaning of every field.
/// </summary>
/// <example>
/// A field added to the table is set by the stage that computes it:
/// <code>Trace[RetirementFields.PcTag].Set(pcTag);</code>
/// </example>
public sealed class RetirementTrace : Bundle
{
    private readonly Signal[] _fields;

    /// <summary>The standard trace (<see cref="RetirementFields.Table"/>).</summary>
    public RetirementTrace()
        : this(RetirementFields.Table)
    {
    }

    public RetirementTrace(TraceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        Valid = Bool(reset: 0);
        _fields = [.. table.Select(f => f.Width == 1 ? Bool(file: f.File, line: f.Line) : UInt(f.Width, file: f.File, line: f.Line))];
    }

    /// <summary>The fields this bundle carries.</summary>
    public TraceTable Table { get; }

    /// <summary>1 in the cycle a record is presented.</summary>
    public Signal Valid { get; }

    /// <summary>The signal of <paramref name="field"/>.</summary>
    /// <exception cref="ArgumentException">The field is not in this bundle's table.</exception>
    public Signal this[TraceField field] => Table.Contains(field) ? _fields[field.Index]
        : throw new ArgumentException($"the trace has no field {field.Name}: add it to the table the bundle is made from", nameof(field));

    public Signal Order => this[RetirementFields.Order];
    public Signal PcRdata => this[RetirementFields.PcRdata];
    public Signal Insn => this[RetirementFields.Insn];
    public Signal Trap => this[RetirementFields.Trap];
    public Signal Cause => this[RetirementFields.Cause];
    public Signal Intr => this[RetirementFields.Intr];
    public Signal Rs1Addr => this[RetirementFields.Rs1Addr];
    public Signal Rs2Addr => this[RetirementFields.Rs2Addr];
    public Signal Rs1Rdata => this[RetirementFields.Rs1Rdata];
    public Signal Rs2Rdata => this[RetirementFields.Rs2Rdata];
    public Signal RdAddr => this[RetirementFields.RdAddr];
    public Signal RdWdata => this[RetirementFields.RdWdata];
    public Signal PcWdata => this[RetirementFields.PcWdata];
    public Signal MemAddr => this[RetirementFields.MemAddr];
    public Signal MemRmask => this[RetirementFields.MemRmask];
    public Signal MemWmask => this[RetirementFields.MemWmask];
    public Signal MemRdata => this[RetirementFields.MemRdata];
    public Signal MemWdata => this[RetirementFields.MemWdata];

    protected override IEnumerable<(string Name, object Value)> DeclaredMembers()
    {
        yield return (nameof(Valid), Valid);
        foreach (var field in Table)
            yield return (field.Name, _fields[field.Index]);
    }
}
