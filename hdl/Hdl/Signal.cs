using System.Runtime.CompilerServices;

namespace HwGen.Hdl;

public enum SignalKind
{
    /// <summary>A member of a bundle that has not been made into a port, wire or register yet.</summary>
    Unbound,
    Input,
    Output,
    Wire,
    Register,
    /// <summary>The data of a memory read port (registered for synchronous ports).</summary>
    MemoryData,
}

/// <summary>
/// A named value in a module: a port, a wire, a register or a memory read port's data. Reading a signal
/// anywhere gives its final value for the cycle (registers: the value held since the last clock edge).
/// </summary>
public sealed class Signal : Expr
{
    private string? _name;

    internal Signal(SignalKind kind, Shape shape, SourceLocation location)
        : base(shape)
    {
        Kind = kind;
        Location = location;
    }

    public SignalKind Kind { get; internal set; }

    /// <summary>The name in the generated Verilog; set by <see cref="Named"/> or taken from the C# field.</summary>
    public string? Name
    {
        get => _name;
        internal set => _name = value;
    }

    /// <summary>True when the name came from <c>Named(...)</c> rather than from a field.</summary>
    public bool HasExplicitName { get; private set; }

    /// <summary>The module that owns the signal (null until elaboration reaches it).</summary>
    public Module? Owner { get; internal set; }

    /// <summary>Reset value of a register; null for a register without reset.</summary>
    public ulong? Reset { get; internal set; }

    /// <summary>
    /// Power-on value of a register (what an FPGA's configuration loads, a Verilog <c>initial</c> value); null when
    /// it has none. For the few registers that run before any reset exists: a reset generator, a clock divider.
    /// </summary>
    public ulong? Init { get; internal set; }

    /// <summary>
    /// Value of a wire or output in every path that does not assign it. Without one, a combinational
    /// signal must be assigned on every path (otherwise it would be a latch).
    /// </summary>
    public ulong? Default { get; internal set; }

    /// <summary>Clock domain of a register.</summary>
    public ClockDomain? Domain { get; internal set; }

    /// <summary>Clock enable of a register: assignments take effect only when it is 1.</summary>
    public Expr? Enable { get; internal set; }

    /// <summary>The memory read port whose data this is (for <see cref="SignalKind.MemoryData"/> and port wires).</summary>
    public object? Port { get; internal set; }

    public bool IsPort => Kind is SignalKind.Input or SignalKind.Output;

    /// <summary>True for a bundle member declared <c>Flipped(...)</c>: it flows against its bundle.</summary>
    public bool IsFlipped { get; internal set; }

    /// <summary>The bundle this signal is a member of (as it was made hardware), its path in it, and whether it flows against it.</summary>
    internal (Bundle Bundle, string Path, bool Flipped)? Member { get; set; }

    /// <summary>
    /// For a member of a bundle port, why it has its direction: <c>flipped member ReadData of a DataBus declared
    /// In(...) at Ram.cs(12)</c>; null otherwise.
    /// </summary>
    internal string? DirectionNote
    {
        get
        {
            if (Member is not { } m || m.Bundle.BoundAs is not (SignalKind.Input or SignalKind.Output) || !IsPort)
                return null;
            var declared = m.Bundle.BoundAs == SignalKind.Input ? "In" : "Out";
            var flips = m.Flipped ^ m.Bundle.IsFlipped;
            var rule = declared == "In"
                ? "In(...) makes a bundle's members inputs and its flipped members outputs"
                : "Out(...) makes a bundle's members outputs and its flipped members inputs";
            return $"{(flips ? "flipped member" : "member")} {m.Path} of a {m.Bundle.GetType().Name} declared {declared}(...) at {m.Bundle.BoundAt.Short}: {rule}";
        }
    }

    /// <summary>A name for messages: <c>alu.Y</c> when owned by a named instance.</summary>
    public string DisplayName =>
        (_name ?? "<unnamed>") is var n && Owner?.InstanceName is { } inst && Owner.Parent is not null ? $"{inst}.{n}" : n;

    /// <summary>Gives this signal its Verilog name (instead of the field name).</summary>
    public Signal Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        HasExplicitName = true;
        return this;
    }

    /// <summary>
    /// Assigns <paramref name="value"/>. For a wire or an output: its value in this cycle, in the
    /// current branch; the last assignment on a path wins. For a register: its value after the next
    /// clock edge. For an input of a submodule: the connection.
    /// </summary>
    public void Set(Expr value, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Builder.Assign(this, value, new SourceLocation(file, line));

    public override IReadOnlyList<Expr> Operands => [];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => this;

    public override string ToString() => $"'{DisplayName}' ({Shape} {Kind.ToString().ToLowerInvariant()})";
}
