using System.Runtime.CompilerServices;

namespace HwGen.Hdl;

/// <summary>
/// The vocabulary of the HDL. Add <c>using static HwGen.Hdl.Hw;</c> to a design file and write
/// <c>In(8)</c>, <c>Reg(32, reset: 0)</c>, <c>When(...)</c>, <c>Mux(...)</c>, <c>Cat(...)</c>.
/// </summary>
public static class Hw
{
    // ---- declarations ---------------------------------------------------------------------------

    /// <summary>An input port.</summary>
    public static Signal In(Shape shape, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Builder.Adopt(new Signal(SignalKind.Input, shape, new SourceLocation(file, line)));

    /// <summary>An output port. With <paramref name="default"/>, paths that do not assign it give that value.</summary>
    public static Signal Out(Shape shape, Literal? @default = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        return Builder.Adopt(new Signal(SignalKind.Output, shape, location) { Default = DefaultValue(@default, shape, location) });
    }

    /// <summary>A combinational signal. With <paramref name="default"/>, paths that do not assign it give that value.</summary>
    public static Signal Wire(Shape shape, Literal? @default = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        return Builder.Adopt(new Signal(SignalKind.Wire, shape, location) { Default = DefaultValue(@default, shape, location) });
    }

    /// <summary>
    /// A register: it takes the value assigned in a cycle at the next clock edge, and keeps its value
    /// when not assigned. <paramref name="reset"/>: the value after a synchronous reset (none when null).
    /// <paramref name="enable"/>: assignments take effect only when it is 1. <paramref name="init"/>: the power-on
    /// value (an FPGA loads it with the bitstream; simulators start from it), for registers that must work before
    /// any reset, such as a reset generator.
    /// </summary>
    public static Signal Reg(Shape shape, Literal? reset = null, ClockDomain? domain = null, Expr? enable = null, Literal? init = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (enable is not null && enable.Width != 1)
            throw new HdlException($"a register enable must be 1 bit, not {enable.Width}", location);
        return Builder.Adopt(new Signal(SignalKind.Register, shape, location)
        {
            Reset = DefaultValue(reset, shape, location),
            Init = DefaultValue(init, shape, location),
            Domain = domain ?? ClockDomain.Default,
            Enable = enable,
        });
    }

    /// <summary>
    /// Makes <paramref name="bundle"/> a port that flows into the module: its members become inputs, and its
    /// flipped members outputs. The receiving end of an interface whose sender declares it <c>Out(...)</c>.
    /// </summary>
    public static T In<T>(T bundle, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        where T : Bundle
    {
        bundle.Bind(SignalKind.Input, null, false, new SourceLocation(file, line));
        return bundle;
    }

    /// <summary>
    /// Makes <paramref name="bundle"/> a port that flows out of the module: its members become outputs, and its
    /// flipped members inputs. The sending end of an interface whose receiver declares it <c>In(...)</c>.
    /// </summary>
    public static T Out<T>(T bundle, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        where T : Bundle
    {
        bundle.Bind(SignalKind.Output, null, false, new SourceLocation(file, line));
        return bundle;
    }

    /// <summary>
    /// Marks a bundle member (declared with <see cref="UInt"/>, <see cref="SInt"/> or <see cref="Bool"/>) as flowing
    /// against its bundle: in a port declared <c>Out(...)</c> it becomes an input, in one declared <c>In(...)</c> an
    /// output. For the response half of a bus: <c>public readonly Signal ReadData = Flipped(UInt(32));</c>.
    /// Flipping twice cancels out.
    /// </summary>
    public static Signal Flipped(Signal member, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (member.Kind != SignalKind.Unbound)
            throw new HdlException($"Flipped(...) marks a bundle member declared with UInt, SInt or Bool, not {(member.Kind == SignalKind.Input ? "an input" : "a " + member.Kind.ToString().ToLowerInvariant())}; a port's direction is In or Out", new SourceLocation(file, line));
        member.IsFlipped = !member.IsFlipped;
        return member;
    }

    /// <summary>
    /// Marks a bundle as flowing against its parent: as a member of another bundle, every member of it is flipped
    /// (<c>public readonly Response Resp = Flipped(new Response());</c>); as a port, <c>Out(Flipped(b))</c> is
    /// <c>In(b)</c>. Flipping twice cancels out.
    /// </summary>
    public static T Flipped<T>(T bundle, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        where T : Bundle
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.Signals.FirstOrDefault(s => s.Kind != SignalKind.Unbound) is { } bound)
            throw new HdlException($"Flipped(...) must come before the bundle {bundle.GetType().Name} is made a port, wire or register (its member '{bound.Name}' is already a {bound.Kind.ToString().ToLowerInvariant()})", new SourceLocation(file, line));
        bundle.IsFlipped = !bundle.IsFlipped;
        return bundle;
    }

    /// <summary>Makes every member of <paramref name="bundle"/> a wire.</summary>
    public static T Wire<T>(T bundle, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        where T : Bundle
    {
        bundle.Bind(SignalKind.Wire, null, false, new SourceLocation(file, line));
        return bundle;
    }

    /// <summary>Makes every member of <paramref name="bundle"/> a register; members declared with a reset keep it,
    /// and <paramref name="resetToZero"/> gives the others reset value 0. Flipped members become registers too (a
    /// register slice of a bus registers both ways); a register in one direction only is a <c>Reg</c> per member.</summary>
    public static T Reg<T>(T bundle, bool resetToZero = false, ClockDomain? domain = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        where T : Bundle
    {
        bundle.Bind(SignalKind.Register, domain, resetToZero, new SourceLocation(file, line));
        return bundle;
    }

    /// <summary>An unsigned bundle member (see <see cref="Bundle"/>); <paramref name="reset"/> applies when the bundle becomes registers.</summary>
    public static Signal UInt(int width, Literal? reset = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Member(Shape.U(width), reset, new SourceLocation(file, line));

    /// <summary>A signed bundle member.</summary>
    public static Signal SInt(int width, Literal? reset = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Member(Shape.S(width), reset, new SourceLocation(file, line));

    /// <summary>A 1-bit bundle member.</summary>
    public static Signal Bool(Literal? reset = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Member(Shape.Bool, reset, new SourceLocation(file, line));

    /// <summary>A memory of <paramref name="depth"/> words (see <see cref="Memory"/>).</summary>
    public static Memory Mem(Shape shape, int depth, IReadOnlyList<ulong>? init = null, ClockDomain? domain = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var memory = new Memory(shape, depth, init, domain ?? ClockDomain.Default, new SourceLocation(file, line));
        Builder.Adopt(memory);
        return memory;
    }

    /// <summary>A vector of <paramref name="count"/> items made by <paramref name="make"/>.</summary>
    public static Vec<T> Vector<T>(int count, Func<int, T> make)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var items = new T[count];
        for (int i = 0; i < count; i++)
            items[i] = make(i);
        return new Vec<T>(items);
    }

    /// <summary>
    /// Instantiates <paramref name="module"/> inside the module being built. Modules held in fields are
    /// instantiated automatically; use this for modules made inside <c>Build</c>.
    /// </summary>
    public static T Instance<T>(T module, string? name = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        where T : Module
    {
        var location = new SourceLocation(file, line);
        var ctx = Builder.Require("Instance(...)", location);
        ctx.Module.AddChild(module, name, location);
        return module;
    }

    // ---- statements -----------------------------------------------------------------------------

    /// <summary>Runs <paramref name="body"/>'s assignments only when <paramref name="condition"/> is 1.</summary>
    public static WhenBuilder When(Expr condition, Action body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        var statement = new WhenStmt(location);
        Builder.Append(statement);
        var builder = new WhenBuilder(statement);
        return builder.ElseWhen(condition, body, file, line);
    }

    /// <summary>Chooses among <c>Case</c> arms by the value of <paramref name="selector"/>.</summary>
    public static SwitchBuilder Switch(Expr selector, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        var statement = new SwitchStmt(selector, location);
        Builder.Append(statement);
        return new SwitchBuilder(statement);
    }

    // ---- values ---------------------------------------------------------------------------------

    /// <summary>An unsigned constant of <paramref name="width"/> bits.</summary>
    public static Expr U(ulong value, int width, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (width < 64 && value >> width != 0)
            throw new HdlException($"the constant {value} does not fit in {width} bits", location);
        return new Const(value, Shape.U(width)) { Location = location };
    }

    /// <summary>A signed constant of <paramref name="width"/> bits.</summary>
    public static Expr S(long value, int width, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (width < 64 && (value < -(1L << (width - 1)) || value >= 1L << (width - 1)))
            throw new HdlException($"the constant {value} does not fit in {width} signed bits", location);
        return new Const((ulong)value, Shape.S(width)) { Location = location };
    }

    /// <summary>
    /// <c>condition ? whenTrue : whenFalse</c>, the arms extended to the wider one. The node records the
    /// caller's line: errors point at it, and the Verilog that uses it names it.
    /// </summary>
    public static Expr Mux(Expr condition, Expr whenTrue, Expr whenFalse, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (condition.Width != 1)
            throw new HdlException($"the condition {Expr.Describe(condition)} of Mux must be 1 bit, not {condition.Width}; compare with == or test with .Any()", location);
        (whenTrue, whenFalse) = Located(location, () => Expr.Unify(whenTrue, whenFalse, "Mux"));
        int width = Math.Max(whenTrue.Width, whenFalse.Width);
        return new MuxExpr(condition, whenTrue.Extend(width), whenFalse.Extend(width), location);
    }

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0], new SourceLocation(file, line));

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, Expr part1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0, part1], new SourceLocation(file, line));

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, Expr part1, Expr part2, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0, part1, part2], new SourceLocation(file, line));

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, Expr part1, Expr part2, Expr part3, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0, part1, part2, part3], new SourceLocation(file, line));

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, Expr part1, Expr part2, Expr part3, Expr part4, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0, part1, part2, part3, part4], new SourceLocation(file, line));

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, Expr part1, Expr part2, Expr part3, Expr part4, Expr part5, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0, part1, part2, part3, part4, part5], new SourceLocation(file, line));

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, Expr part1, Expr part2, Expr part3, Expr part4, Expr part5, Expr part6, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0, part1, part2, part3, part4, part5, part6], new SourceLocation(file, line));

    /// <inheritdoc cref="Cat(IEnumerable{Expr}, string, int)"/>
    public static Expr Cat(Expr part0, Expr part1, Expr part2, Expr part3, Expr part4, Expr part5, Expr part6, Expr part7, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Concatenate([part0, part1, part2, part3, part4, part5, part6, part7], new SourceLocation(file, line));

    /// <summary>
    /// Concatenation; the first part is the most significant (as in Verilog). The node records the caller's line:
    /// errors point at it, and the Verilog that uses it names it. Pass more than eight parts as a collection,
    /// <c>Cat([a, b, …])</c>, which records the line too.
    /// </summary>
    public static Expr Cat(IEnumerable<Expr> parts, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return Concatenate([.. parts], new SourceLocation(file, line));
    }

    /// <summary>Concatenation of any number of parts; prefer <c>Cat([…])</c>, which records the caller's line.</summary>
    [OverloadResolutionPriority(-1)]
    public static Expr Cat(params Expr[] parts) => Concatenate(parts, SourceLocation.Unknown);

    private static Expr Concatenate(Expr[] parts, SourceLocation location)
    {
        if (parts.Length == 0)
            throw new HdlException("Cat needs at least one part", location);
        foreach (var p in parts)
            if (p is Const { IsLiteral: true })
                throw new HdlException($"Cat of the literal {Expr.Describe(p)} has no defined width; write U(value, width)", location);
        return parts.Length == 1 ? parts[0].AsUnsigned() : new ConcatExpr(parts.Select(p => p.AsUnsigned()).ToArray(), location);
    }

    /// <summary>The clock of <paramref name="domain"/> as a value (for black-box clock pins).</summary>
    public static Expr Clock(ClockDomain? domain = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        new ClockExpr(domain ?? ClockDomain.Default) { Location = new SourceLocation(file, line) };

    /// <summary>The reset of <paramref name="domain"/> as a value.</summary>
    public static Expr Reset(ClockDomain? domain = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        new ResetExpr(domain ?? ClockDomain.Default) { Location = new SourceLocation(file, line) };

    /// <summary>Runs <paramref name="make"/>, placing an error it raises without a location at <paramref name="location"/>.</summary>
    private static T Located<T>(SourceLocation location, Func<T> make)
    {
        try
        {
            return make();
        }
        catch (HdlException ex) when (!ex.Location.IsKnown)
        {
            throw new HdlException(ex.Message, location);
        }
    }

    private static Signal Member(Shape shape, Literal? reset, SourceLocation location) =>
        new(SignalKind.Unbound, shape, location) { Reset = DefaultValue(reset, shape, location) };

    private static ulong? DefaultValue(Literal? value, Shape shape, SourceLocation location) => value?.For(shape, location);
}

/// <summary>Continues a <c>When</c> with <c>ElseWhen</c> and <c>Otherwise</c>.</summary>
public sealed class WhenBuilder
{
    private readonly WhenStmt _statement;

    internal WhenBuilder(WhenStmt statement) => _statement = statement;

    public WhenBuilder ElseWhen(Expr condition, Action body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (_statement.Otherwise is not null)
            throw new HdlException("ElseWhen after Otherwise", location);
        if (condition.Width != 1)
            throw new HdlException($"the condition {Expr.Describe(condition)} is {condition.Width} bits wide; a condition is 1 bit (compare with == or test with .Any())", location);
        var arm = new WhenArm(condition, [], location);
        _statement.Arms.Add(arm);
        Builder.Collect(arm.Body, body, location);
        return this;
    }

    public void Otherwise(Action body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (_statement.Otherwise is not null)
            throw new HdlException("a second Otherwise", location);
        _statement.Otherwise = [];
        _statement.OtherwiseLocation = location;
        Builder.Collect(_statement.Otherwise, body, location);
    }
}

/// <summary>Adds <c>Case</c> arms and a <c>Default</c> to a <c>Switch</c>.</summary>
public sealed class SwitchBuilder
{
    private readonly SwitchStmt _statement;
    private readonly HashSet<ulong> _seen = [];

    internal SwitchBuilder(SwitchStmt statement) => _statement = statement;

    /// <summary>An arm taken when the selector equals <paramref name="value"/>.</summary>
    public SwitchBuilder Case(long value, Action body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Cases([value], body, file, line);

    /// <summary>An arm taken when the selector equals any of <paramref name="values"/>.</summary>
    public SwitchBuilder Cases(IReadOnlyList<long> values, Action body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (_statement.Default is not null)
            throw new HdlException("Case after Default", location);
        if (values.Count == 0)
            throw new HdlException("a Case needs at least one value", location);
        var width = _statement.Selector.Width;
        var patterns = new List<ulong>();
        foreach (var v in values)
        {
            bool fits = _statement.Selector.Signed
                ? width >= 64 || (v >= -(1L << (width - 1)) && v < 1L << (width - 1))
                : v >= 0 && (width >= 64 || (ulong)v >> width == 0);
            if (!fits)
                throw new HdlException($"the case value {v} does not fit the {_statement.Selector.Shape} selector {Expr.Describe(_statement.Selector)}", location);
            ulong pattern = width >= 64 ? (ulong)v : (ulong)v & ((1UL << width) - 1);
            if (!_seen.Add(pattern))
                throw new HdlException($"the case value {v} appears twice in this Switch", location);
            patterns.Add(pattern);
        }
        var arm = new SwitchCase(patterns, [], location);
        _statement.Cases.Add(arm);
        Builder.Collect(arm.Body, body, location);
        return this;
    }

    /// <summary>The arm taken when no <c>Case</c> matches.</summary>
    public void Default(Action body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (_statement.Default is not null)
            throw new HdlException("a second Default", location);
        _statement.Default = [];
        _statement.DefaultLocation = location;
        Builder.Collect(_statement.Default, body, location);
    }
}
