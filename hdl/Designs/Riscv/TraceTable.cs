using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace HwGen.Designs.Riscv;

/// <summary>When co-simulation compares a trace field between the RTL and the golden model.</summary>
public enum TraceCompare
{
    /// <summary>On every record.</summary>
    Always,

    /// <summary>Only on records whose <c>Trap</c> is set on both sides (e.g. <c>Cause</c>, which is meaningless otherwise).</summary>
    OnTrap,

    /// <summary>Never: the field is carried, printed and kept in the divergence history, but not compared.</summary>
    Never,
}

/// <summary>How a trace field appears in the readable trace line (<c>RetireRecord.ToString</c>).</summary>
public enum TracePrint
{
    /// <summary>Part of the line's fixed layout (order, pc, instruction and disassembly, rd write, memory access, trap).</summary>
    Line,

    /// <summary>Appended as <c>name=0x…</c>, with as many hex digits as the width needs.</summary>
    Hex,

    /// <summary>Appended as <c>name=…</c> in decimal.</summary>
    Decimal,

    /// <summary>Appended as <c>[name]</c> when the field is not zero.</summary>
    Flag,

    /// <summary>Not printed.</summary>
    Hidden,
}

/// <summary>
/// One field of the retirement trace: its name (the bundle member, hence the Verilog port <c>Trace_&lt;Name&gt;</c>),
/// its width, what it means, whether co-simulation compares it, and how the trace line prints it. A field is declared
/// once, in a <see cref="TraceTable"/>; the RTL bundle (<see cref="RetirementTrace"/>), the harness's trace capture,
/// the golden model's record, the comparison and the divergence report all follow the table.
/// </summary>
public sealed class TraceField
{
    /// <param name="name">The bundle member name, in PascalCase (<c>PcRdata</c>); the reports use its RVFI spelling (<c>pc_rdata</c>).</param>
    /// <param name="width">Bits, 1 to 64 (a record slot is 64 bits).</param>
    /// <param name="meaning">One line for the documentation and the Verilog.</param>
    /// <param name="compare">When co-simulation compares it.</param>
    /// <param name="print">How the readable trace line shows it.</param>
    public TraceField(string name, int width, string meaning, TraceCompare compare = TraceCompare.Always, TracePrint print = TracePrint.Hex,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!char.IsAsciiLetterUpper(name[0]) || !name.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"trace field '{name}': a name is PascalCase letters and digits (it becomes the port Trace_{name})", nameof(name));
        if (width is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"trace field '{name}' is {width} bits; a trace field has 1 to 64");
        Name = name;
        Width = width;
        Meaning = meaning;
        Compare = compare;
        Print = print;
        RvfiName = ToSnakeCase(name);
        Mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        File = file;
        Line = line;
    }

    public string Name { get; }

    public int Width { get; }

    public string Meaning { get; }

    public TraceCompare Compare { get; }

    public TracePrint Print { get; }

    /// <summary>The RVFI-style spelling used in reports: <c>PcRdata</c> → <c>pc_rdata</c>, <c>Rs1Addr</c> → <c>rs1_addr</c>.</summary>
    public string RvfiName { get; }

    /// <summary>The bits a value of this field may have set.</summary>
    public ulong Mask { get; }

    /// <summary>The field's slot in a record: its position in the table that holds it (tables only append, so it is the same in all).</summary>
    public int Index { get; private set; } = -1;

    /// <summary>Where the field was declared (the source location of its signals in the emitted Verilog).</summary>
    public string File { get; }

    public int Line { get; }

    /// <summary>A value as a report shows it: hex with the digits the width needs (<c>0x0000002a</c> for 32 bits), or decimal.</summary>
    public string Format(ulong value) => Print == TracePrint.Decimal
        ? value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Width == 1 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : "0x" + value.ToString("x" + ((Width + 3) / 4).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"{Name} ({Width} bits)";

    internal void Place(int index)
    {
        if (Index >= 0 && Index != index)
            throw new ArgumentException($"trace field '{Name}' is already at position {Index} of another table; a field keeps its position (tables only append), so declare a new field");
        Index = index;
    }

    private static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsAsciiLetterUpper(c) && i > 0)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}

/// <summary>
/// The fields of the retirement trace, in order: the one place a trace field is declared. The standard table is
/// <see cref="RetirementFields.Table"/>; <see cref="With"/> makes a longer one (the standard fields keep their
/// positions, so code that knows them works on every table). The order is the order of the Verilog ports, of the
/// harness's record slots, and of the comparison: the first field that differs is the one reported.
/// </summary>
public sealed class TraceTable : IReadOnlyList<TraceField>
{
    /// <summary>The most fields a table holds: the golden model's record keeps one 64-bit slot per field, inline.</summary>
    public const int Capacity = 32;

    private readonly TraceField[] _fields;
    private readonly Dictionary<string, TraceField> _byName;

    private TraceTable(TraceField[] fields)
    {
        if (fields.Length > Capacity)
            throw new ArgumentException($"a trace table holds at most {Capacity} fields (the record's inline slots); this one has {fields.Length}");
        _byName = new Dictionary<string, TraceField>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            if (!_byName.TryAdd(f.Name, f))
                throw new ArgumentException($"trace field '{f.Name}' is declared twice");
        }
        for (int i = 0; i < fields.Length; i++)
            fields[i].Place(i);
        _fields = fields;
        Compared = [.. fields.Where(f => f.Compare != TraceCompare.Never)];
    }

    /// <summary>A table of the public static <see cref="TraceField"/> fields of <paramref name="declaringType"/>, in declaration order.</summary>
    public static TraceTable FromStaticFields(Type declaringType)
    {
        ArgumentNullException.ThrowIfNull(declaringType);
        var fields = declaringType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(TraceField))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (TraceField)f.GetValue(null)!)
            .ToArray();
        return new TraceTable(fields);
    }

    /// <summary>This table followed by <paramref name="extra"/> (e.g. a tag or a policy decision, or a test's own field).</summary>
    public TraceTable With(params TraceField[] extra) => new([.. _fields, .. extra]);

    public int Count => _fields.Length;

    public TraceField this[int index] => _fields[index];

    /// <summary>The field called <paramref name="name"/> (its PascalCase member name).</summary>
    public TraceField this[string name] => _byName.TryGetValue(name, out var f) ? f
        : throw new KeyNotFoundException($"the trace has no field '{name}' (fields: {string.Join(" ", _fields.Select(x => x.Name))})");

    public bool Contains(TraceField field) => (uint)field.Index < (uint)_fields.Length && ReferenceEquals(_fields[field.Index], field);

    /// <summary>The fields co-simulation compares (every one but <see cref="TraceCompare.Never"/>), in table order.</summary>
    public IReadOnlyList<TraceField> Compared { get; }

    public IEnumerator<TraceField> GetEnumerator() => ((IEnumerable<TraceField>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _fields.GetEnumerator();
}
