using HwGen.Designs.Riscv;
using HwGen.Sim.Model;

namespace HwGen.Sim.Cosim;

/// <summary>
/// The trace as the harness's run loop captures it, made from a <see cref="TraceTable"/>: record slot <c>i</c> holds
/// table field <c>i</c> (read from the port <c>&lt;prefix&gt;&lt;Name&gt;</c>), and one more slot holds the cycle the
/// record retired in. Converts a captured record into the golden model's <see cref="RetireRecord"/>, and compares two
/// records field by field in table order.
/// </summary>
public sealed class TraceLayout
{
    public TraceLayout(TraceTable table, string prefix)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        Prefix = prefix;
        PortNames = [.. table.Select(f => prefix + f.Name)];
        Stride = PortNames.Count + 1;
    }

    /// <summary>The fields, in slot order.</summary>
    public TraceTable Table { get; }

    /// <summary>The trace ports in slot order (<c>Trace_Order</c>, <c>Trace_PcRdata</c>, …).</summary>
    public IReadOnlyList<string> PortNames { get; }

    public string Prefix { get; }

    /// <summary>The port that carries <paramref name="field"/>.</summary>
    public string Port(TraceField field) => Table.Contains(field) ? Prefix + field.Name
        : throw new ArgumentException($"the trace has no field {field.Name}", nameof(field));

    /// <summary>Slots per record: the fields and the retirement cycle.</summary>
    public int Stride { get; }

    public ulong Cycle(ReadOnlySpan<ulong> record) => record[Stride - 1];

    /// <summary>The record in a harness record's slots (Verilator keeps a port's bits above its width at 0, so the values are copied as they are).</summary>
    public RetireRecord ToRecord(ReadOnlySpan<ulong> slots)
    {
        var record = new RetireRecord();
        Read(slots, ref record);
        return record;
    }

    /// <summary>As <see cref="ToRecord"/>, into a record of this layout's table that is read again and again (its other slots stay 0).</summary>
    public void Read(ReadOnlySpan<ulong> slots, ref RetireRecord record) => slots[..Table.Count].CopyTo(record.Slots);

    /// <summary>The first compared field (in table order) in which two records differ, with both values; null when they agree.</summary>
    public FieldDifference? Compare(in RetireRecord rtl, in RetireRecord model) => Compare(Table, rtl, model);

    /// <summary>The first field of <paramref name="table"/> compared by co-simulation in which two records differ; null when they agree.</summary>
    public static FieldDifference? Compare(TraceTable table, in RetireRecord rtl, in RetireRecord model)
    {
        var a = rtl.Values[..table.Count];
        var b = model.Values[..table.Count];
        if (a.SequenceEqual(b))
            return null;
        bool trap = rtl.Trap && model.Trap;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
                continue;
            var field = table[i];
            if (field.Compare == TraceCompare.Never || (field.Compare == TraceCompare.OnTrap && !trap))
                continue;
            return new FieldDifference(field, a[i], b[i]);
        }
        return null;
    }
}

/// <summary>A trace field whose values differ between the RTL and the golden model.</summary>
public sealed record FieldDifference(TraceField Descriptor, ulong Rtl, ulong Model)
{
    /// <summary>The field's report name (<c>pc_rdata</c>, <c>rd_wdata</c>, …).</summary>
    public string Field => Descriptor.RvfiName;

    public override string ToString() => $"{Field}: RTL {Descriptor.Format(Rtl)}, golden model {Descriptor.Format(Model)}";
}
