namespace HwGen.Gen.Verilog;

// The data the Verilog templates render. Names are final here: templates do no naming and build no
// identifiers; they only lay out text. Members are exposed to Scriban in snake_case.

/// <summary>One value in an expression tree, tagged by <see cref="Kind"/>.</summary>
public sealed class ExprView
{
    /// <summary>ref, const, slice, unary, binary, concat, repeat, mux, zext, sext.</summary>
    public required string Kind { get; init; }

    /// <summary>The signal name (ref, slice).</summary>
    public string? Name { get; init; }

    public int Width { get; init; }

    /// <summary>The constant's bits (const).</summary>
    public ulong Value { get; init; }

    /// <summary>The constant in upper-case hexadecimal digits.</summary>
    public string Hex => Value.ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The constant in decimal digits.</summary>
    public string Decimal => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public int Hi { get; init; }

    public int Lo { get; init; }

    /// <summary>Operator name (unary: not, neg, or, and, xor; binary: add, sub, mul, and, or, xor, shl, shr, sra, eq, ne, lt, le, gt, ge).</summary>
    public string? Op { get; init; }

    /// <summary>True when a binary operator compares or shifts as two's complement.</summary>
    public bool Signed { get; init; }

    public IReadOnlyList<ExprView> Args { get; init; } = [];

    /// <summary>Number of copies (repeat) or of padding bits (zext, sext).</summary>
    public int Count { get; init; }
}

/// <summary>A procedural statement: assign, if, case.</summary>
public sealed class StmtView
{
    public required string Kind { get; init; }

    public string? Target { get; init; }

    public ExprView? Value { get; init; }

    /// <summary>True for a nonblocking assignment (registers).</summary>
    public bool Nonblocking { get; init; }

    public string? Location { get; init; }

    public IReadOnlyList<ArmView> Arms { get; init; } = [];

    public IReadOnlyList<StmtView>? Else { get; init; }

    public ExprView? Selector { get; init; }
}

/// <summary>An arm of an if chain (Condition) or a case (Labels).</summary>
public sealed class ArmView
{
    public ExprView? Condition { get; init; }

    public IReadOnlyList<ExprView> Labels { get; init; } = [];

    public required IReadOnlyList<StmtView> Body { get; init; }
}

public sealed record PortView(string Direction, bool IsReg, int Width, string Name, string? Location);

public sealed record DeclarationView(bool IsReg, int Width, string Name, string? Location, string? Note, ExprView? Init = null);

public sealed record AssignView(string Target, ExprView Value, string? Location);

public sealed record CombBlockView(string Target, IReadOnlyList<StmtView> Body);

public sealed record SeqBlockView(string Clock, string? Reset, ExprView? Enable, IReadOnlyList<StmtView> ResetBody, IReadOnlyList<StmtView> Body);

public sealed record MemoryInitView(int Index, ExprView Value);

public sealed record LaneView(int Bit, int Hi, int Lo);

public sealed record MemoryWriteView(string Clock, string Enable, string Address, string Data, string? Mask, IReadOnlyList<LaneView> Lanes, string? Location);

public sealed record MemoryReadView(bool Synchronous, string Clock, string Enable, string Address, string Data, string? Location);

public sealed record MemoryView(string Name, int Width, int Depth, string? Location, IReadOnlyList<MemoryInitView> Init,
    IReadOnlyList<MemoryWriteView> Writes, IReadOnlyList<MemoryReadView> Reads, bool NoReadWriteCheck);

public sealed record ConnectionView(string Port, string Signal);

public sealed record ParameterView(string Name, string Value, bool IsString);

public sealed record InstanceView(string Module, string Name, IReadOnlyList<ParameterView> Parameters, IReadOnlyList<ConnectionView> Connections, string? Location);

public sealed record KeyValueView(string Name, string Value);

public sealed class ModuleView
{
    public required string Name { get; init; }

    public required string Generator { get; init; }

    public required string SourceClass { get; init; }

    public required string SourceLocation { get; init; }

    /// <summary>Emitted with <c>(* keep_hierarchy *)</c> (<see cref="HwGen.Hdl.Module.KeepHierarchy"/>).</summary>
    public bool KeepHierarchy { get; init; }

    public required IReadOnlyList<KeyValueView> Parameters { get; init; }

    public required IReadOnlyList<PortView> Ports { get; init; }

    public required IReadOnlyList<DeclarationView> Declarations { get; init; }

    public required IReadOnlyList<MemoryView> Memories { get; init; }

    public required IReadOnlyList<AssignView> Assigns { get; init; }

    public required IReadOnlyList<CombBlockView> CombBlocks { get; init; }

    public required IReadOnlyList<SeqBlockView> SeqBlocks { get; init; }

    public required IReadOnlyList<InstanceView> Instances { get; init; }

    /// <summary>Signals or bit ranges never read, collected into one sink so that lint stays clean.</summary>
    public required IReadOnlyList<ExprView> Unused { get; init; }
}
