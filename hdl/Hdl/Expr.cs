using System.Runtime.CompilerServices;

namespace HwGen.Hdl;

/// <summary>
/// A hardware value: a tree of operators over signals and constants. Expressions are immutable.
/// </summary>
/// <remarks>
/// Width rules (documented in the README):
/// <list type="bullet">
/// <item><c>a + b</c>, <c>a - b</c>, <c>a &amp; b</c>, <c>a | b</c>, <c>a ^ b</c>: <c>max(wa, wb)</c> bits; the narrower
/// operand is extended first (sign-extended when signed). <c>+</c> and <c>-</c> wrap; use <see cref="AddWide"/> and
/// <see cref="SubWide"/> to keep the carry.</item>
/// <item><c>a * b</c>: <c>wa + wb</c> bits (the full product).</item>
/// <item><c>a &lt;&lt; n</c>, <c>a &gt;&gt; n</c>: <c>wa</c> bits; <c>&gt;&gt;</c> is arithmetic when <c>a</c> is signed.</item>
/// <item>comparisons and reductions: 1 bit.</item>
/// <item><c>a[hi, lo]</c>: <c>hi - lo + 1</c> unsigned bits; <see cref="Cat"/>: the sum of the widths.</item>
/// <item>an assignment may widen (zero- or sign-extending by the value's signedness) but never truncates:
/// narrowing needs an explicit <see cref="Resize"/> or slice.</item>
/// </list>
/// Signed and unsigned operands do not mix; convert with <see cref="AsSigned"/> / <see cref="AsUnsigned"/>.
/// C# integer literals adapt to the other operand.
/// </remarks>
public abstract class Expr
{
    private protected Expr(Shape shape)
    {
        if (shape.Width <= 0)
            throw new HdlException($"a value must be at least 1 bit wide, not {shape.Width}");
        Shape = shape;
    }

    public Shape Shape { get; }

    /// <summary>
    /// Where the value was built: the declaration of a signal, the line of a <c>Mux</c>, <c>Cat</c>, <c>U</c>,
    /// <c>S</c>, <c>Clock</c> or <c>Reset</c>. Unknown for operators (C# operators cannot take the caller's
    /// line): their place is the statement that uses them.
    /// </summary>
    public SourceLocation Location { get; internal init; }

    public int Width => Shape.Width;

    public bool Signed => Shape.Signed;

    /// <summary>The operands of this node, in order.</summary>
    public abstract IReadOnlyList<Expr> Operands { get; }

    /// <summary>A copy of this node over other operands of the same shapes.</summary>
    public abstract Expr WithOperands(IReadOnlyList<Expr> operands);

    public static implicit operator Expr(int value) => Const.Literal(value);

    public static implicit operator Expr(long value) => Const.Literal(value);

    public static implicit operator Expr(uint value) => Const.Literal(value);

    public static implicit operator Expr(bool value) => new Const(value ? 1UL : 0UL, Shape.Bool);

    // ---- arithmetic --------------------------------------------------------------------------------

    public static Expr operator +(Expr a, Expr b) => Binary(BinaryOp.Add, a, b);

    public static Expr operator -(Expr a, Expr b) => Binary(BinaryOp.Sub, a, b);

    public static Expr operator *(Expr a, Expr b)
    {
        (a, b) = Unify(a, b, "*");
        var shape = new Shape(a.Width + b.Width, a.Signed);
        return new BinaryExpr(BinaryOp.Mul, a.Extend(shape.Width), b.Extend(shape.Width), shape);
    }

    public static Expr operator -(Expr a) => new UnaryExpr(UnaryOp.Negate, a, a.Shape);

    /// <summary><c>a + b</c> with the carry: <c>max(wa, wb) + 1</c> bits.</summary>
    public Expr AddWide(Expr other) => WideBinary(BinaryOp.Add, this, other);

    /// <summary><c>a - b</c> with the borrow: <c>max(wa, wb) + 1</c> bits.</summary>
    public Expr SubWide(Expr other) => WideBinary(BinaryOp.Sub, this, other);

    // ---- bitwise -----------------------------------------------------------------------------------

    public static Expr operator &(Expr a, Expr b) => Binary(BinaryOp.And, a, b);

    public static Expr operator |(Expr a, Expr b) => Binary(BinaryOp.Or, a, b);

    public static Expr operator ^(Expr a, Expr b) => Binary(BinaryOp.Xor, a, b);

    public static Expr operator ~(Expr a) => new UnaryExpr(UnaryOp.Not, a, a.Shape);

    /// <summary>Logical not of a 1-bit value (same as <c>~</c> on one bit).</summary>
    public static Expr operator !(Expr a)
    {
        if (a.Width != 1)
            throw new HdlException($"'!' needs a 1-bit value, not a {a.Shape} one; use ~ for bitwise not or .Any() to test for non-zero");
        return new UnaryExpr(UnaryOp.Not, a, a.Shape);
    }

    /// <summary>1 when any bit is set (reduction or).</summary>
    public Expr Any() => new UnaryExpr(UnaryOp.ReduceOr, this, Shape.Bool);

    /// <summary>1 when every bit is set (reduction and).</summary>
    public Expr All() => new UnaryExpr(UnaryOp.ReduceAnd, this, Shape.Bool);

    /// <summary>The parity of the bits (reduction xor).</summary>
    public Expr Parity() => new UnaryExpr(UnaryOp.ReduceXor, this, Shape.Bool);

    // ---- shifts ------------------------------------------------------------------------------------

    public static Expr operator <<(Expr a, int amount) => ShiftConst(BinaryOp.Shl, a, amount);

    public static Expr operator >>(Expr a, int amount) => ShiftConst(a.Signed ? BinaryOp.Sra : BinaryOp.Shr, a, amount);

    /// <summary>Shift left by a variable amount; the result keeps <c>a</c>'s width.</summary>
    public Expr Shl(Expr amount) => Shift(BinaryOp.Shl, this, amount);

    /// <summary>Shift right by a variable amount: arithmetic when signed, logical otherwise.</summary>
    public Expr Shr(Expr amount) => Shift(Signed ? BinaryOp.Sra : BinaryOp.Shr, this, amount);

    // ---- comparisons -------------------------------------------------------------------------------

    /// <summary>
    /// Hardware equality: a 1-bit value that is 1 when <paramref name="a"/> and <paramref name="b"/> are equal
    /// (operands extended as for <c>+</c>; C# literals adapt). Like the other comparisons, and like Amaranth's
    /// <c>==</c> (Chisel's <c>===</c>), it builds hardware and never answers at generation time: the result is an
    /// <see cref="Expr"/>, which does not convert to <c>bool</c>, so <c>if (a == b)</c> does not compile.
    /// </summary>
    /// <remarks>
    /// <see cref="Equals(object)"/> stays identity (signals are dictionary keys); to ask whether two C# references
    /// are the same object write <c>ReferenceEquals(a, b)</c>, and test for null with <c>is null</c>.
    /// In C#, as in Verilog, <c>==</c> binds tighter than <c>&amp;</c>, <c>^</c> and <c>|</c>:
    /// <c>valid &amp; op == 3</c> is <c>valid &amp; (op == 3)</c>.
    /// </remarks>
    public static Expr operator ==(Expr a, Expr b) => Compare(BinaryOp.Eq, NotNull(a, "=="), NotNull(b, "=="));

    /// <summary>Hardware inequality: 1 bit, 1 when the operands differ (see <see cref="op_Equality"/>).</summary>
    public static Expr operator !=(Expr a, Expr b) => Compare(BinaryOp.Ne, NotNull(a, "!="), NotNull(b, "!="));

    /// <summary>Equality as a method (1 bit): the same as <c>this == other</c>.</summary>
    public Expr Eq(Expr other) => Compare(BinaryOp.Eq, this, other);

    /// <summary>Inequality as a method (1 bit): the same as <c>this != other</c>.</summary>
    public Expr Ne(Expr other) => Compare(BinaryOp.Ne, this, other);

    /// <summary>Identity: true only for the same object. <c>==</c> is the hardware comparison instead.</summary>
    public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <summary>The identity hash, consistent with <see cref="Equals(object)"/>.</summary>
    public sealed override int GetHashCode() => RuntimeHelpers.GetHashCode(this);

    private static Expr NotNull(Expr? operand, string op) => operand ?? throw new HdlException(
        $"'{op}' compares hardware values and got null; to test a C# reference for null write 'is null' or 'is not null'");


    public static Expr operator <(Expr a, Expr b) => Compare(BinaryOp.Lt, a, b);

    public static Expr operator >(Expr a, Expr b) => Compare(BinaryOp.Gt, a, b);

    public static Expr operator <=(Expr a, Expr b) => Compare(BinaryOp.Le, a, b);

    public static Expr operator >=(Expr a, Expr b) => Compare(BinaryOp.Ge, a, b);

    // ---- bits ----------------------------------------------------------------------------------------

    /// <summary>Bits <paramref name="hi"/> down to <paramref name="lo"/>, inclusive (Verilog order).</summary>
    public Expr this[int hi, int lo]
    {
        get
        {
            if (hi < lo)
                throw new HdlException($"slice [{hi}:{lo}] is reversed: the high bit comes first");
            if (lo < 0 || hi >= Width)
                throw new HdlException($"slice [{hi}:{lo}] is outside the {Width}-bit value {Describe(this)}");
            if (lo == 0 && hi == Width - 1 && !Signed)
                return this;
            return new SliceExpr(this, hi, lo);
        }
    }

    /// <summary>Bit <paramref name="index"/>.</summary>
    public Expr this[int index] => this[index, index];

    /// <summary>The low <paramref name="count"/> bits.</summary>
    public Expr Low(int count) => this[count - 1, 0];

    /// <summary>The high <paramref name="count"/> bits.</summary>
    public Expr High(int count) => this[Width - 1, Width - count];

    /// <summary>The most significant bit.</summary>
    public Expr Msb => this[Width - 1];

    /// <summary>Zero-extends to <paramref name="width"/> bits (must not be narrower).</summary>
    public Expr ZeroExtend(int width)
    {
        if (width < Width)
            throw new HdlException($"ZeroExtend({width}) would narrow the {Width}-bit value {Describe(this)}; use Resize or a slice");
        return width == Width && !Signed ? this : new ExtendExpr(AsUnsigned(), Shape.U(width));
    }

    /// <summary>Sign-extends to <paramref name="width"/> bits (must not be narrower); the result is signed.</summary>
    public Expr SignExtend(int width)
    {
        if (width < Width)
            throw new HdlException($"SignExtend({width}) would narrow the {Width}-bit value {Describe(this)}; use Resize or a slice");
        var s = AsSigned();
        return width == Width ? s : new ExtendExpr(s, Shape.S(width));
    }

    /// <summary>Explicitly changes the width: truncates the high bits or extends (by signedness).</summary>
    public Expr Resize(int width)
    {
        if (width == Width)
            return this;
        if (width > Width)
            return new ExtendExpr(this, new Shape(width, Signed));
        var low = this[width - 1, 0];
        return Signed ? low.AsSigned() : low;
    }

    /// <summary>The same bits, read as two's complement.</summary>
    public Expr AsSigned() => Signed ? this : new CastExpr(this, Shape.S(Width));

    /// <summary>The same bits, read as unsigned.</summary>
    public Expr AsUnsigned() => Signed ? new CastExpr(this, Shape.U(Width)) : this;

    /// <summary>Repeats this value <paramref name="count"/> times.</summary>
    public Expr Replicate(int count)
    {
        if (count <= 0)
            throw new HdlException($"Replicate({count}): the count must be positive");
        return count == 1 ? AsUnsigned() : new ReplicateExpr(AsUnsigned(), count);
    }

    /// <summary>
    /// Gives this value a name in the module being built: a wire that appears in the Verilog, in
    /// waveforms and in error messages.
    /// </summary>
    public Signal Named(string name, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Builder.NameExpression(this, name, new SourceLocation(file, line));

    /// <summary>Extends to <paramref name="width"/> by this value's signedness (no-op when equal).</summary>
    internal Expr Extend(int width) =>
        width == Width ? this : width > Width ? new ExtendExpr(this, new Shape(width, Signed))
        : throw new InvalidOperationException($"cannot extend {Width} bits to {width}");

    public override string ToString() => Describe(this);

    // ---- construction helpers -----------------------------------------------------------------------

    private static Expr Binary(BinaryOp op, Expr a, Expr b)
    {
        (a, b) = Unify(a, b, OpToken(op));
        int width = Math.Max(a.Width, b.Width);
        return new BinaryExpr(op, a.Extend(width), b.Extend(width), new Shape(width, a.Signed));
    }

    private static Expr WideBinary(BinaryOp op, Expr a, Expr b)
    {
        (a, b) = Unify(a, b, OpToken(op));
        int width = Math.Max(a.Width, b.Width) + 1;
        return new BinaryExpr(op, a.Extend(width), b.Extend(width), new Shape(width, a.Signed));
    }

    private static Expr Compare(BinaryOp op, Expr a, Expr b)
    {
        (a, b) = Unify(a, b, OpToken(op));
        int width = Math.Max(a.Width, b.Width);
        return new BinaryExpr(op, a.Extend(width), b.Extend(width), Shape.Bool);
    }

    private static Expr ShiftConst(BinaryOp op, Expr a, int amount)
    {
        if (amount < 0)
            throw new HdlException($"shift by a negative amount ({amount})");
        if (amount == 0)
            return a;
        return new BinaryExpr(op, a, new Const((ulong)amount, Shape.U(Shape.BitsFor((ulong)amount + 1))), a.Shape);
    }

    private static Expr Shift(BinaryOp op, Expr a, Expr amount)
    {
        if (amount.Signed)
            throw new HdlException($"the shift amount {Describe(amount)} must be unsigned");
        return new BinaryExpr(op, a, amount, a.Shape);
    }

    /// <summary>Makes two operands agree in signedness; C# literals adapt to the other side.</summary>
    internal static (Expr A, Expr B) Unify(Expr a, Expr b, string op)
    {
        if (a is Const { IsLiteral: true } ca && b is not Const { IsLiteral: true })
            return (ca.Adapt(b.Shape), b);
        if (b is Const { IsLiteral: true } cb && a is not Const { IsLiteral: true })
            return (a, cb.Adapt(a.Shape));
        if (a.Signed != b.Signed)
            throw new HdlException(
                $"'{op}' mixes the {a.Shape} value {Describe(a)} with the {b.Shape} value {Describe(b)}; convert one with AsSigned() or AsUnsigned()");
        return (a, b);
    }

    internal static string OpToken(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+", BinaryOp.Sub => "-", BinaryOp.Mul => "*",
        BinaryOp.And => "&", BinaryOp.Or => "|", BinaryOp.Xor => "^",
        BinaryOp.Shl => "<<", BinaryOp.Shr => ">>", BinaryOp.Sra => ">>",
        BinaryOp.Eq => "==", BinaryOp.Ne => "!=", BinaryOp.Lt => "<", BinaryOp.Le => "<=",
        BinaryOp.Gt => ">", BinaryOp.Ge => ">=",
        _ => op.ToString(),
    };

    /// <summary>A short C#-like rendering of an expression for messages.</summary>
    public static string Describe(Expr e, int depth = 0)
    {
        if (depth > 3)
            return "…";
        return e switch
        {
            Signal s => $"'{s.DisplayName}'",
            Const c => c.Signed && c.Width < 64 && ((c.Value >> (c.Width - 1)) & 1) != 0
                ? ((long)(c.Value | (~0UL << c.Width))).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            BinaryExpr b => $"({Describe(b.Left, depth + 1)} {OpToken(b.Op)} {Describe(b.Right, depth + 1)})",
            UnaryExpr u => u.Op switch
            {
                UnaryOp.Not => "~" + Describe(u.Operand, depth + 1),
                UnaryOp.Negate => "-" + Describe(u.Operand, depth + 1),
                UnaryOp.ReduceOr => Describe(u.Operand, depth + 1) + ".Any()",
                UnaryOp.ReduceAnd => Describe(u.Operand, depth + 1) + ".All()",
                _ => Describe(u.Operand, depth + 1) + ".Parity()",
            },
            SliceExpr s => s.Hi == s.Lo ? $"{Describe(s.Value, depth + 1)}[{s.Hi}]" : $"{Describe(s.Value, depth + 1)}[{s.Hi}, {s.Lo}]",
            ExtendExpr x => $"{Describe(x.Value, depth + 1)}.{(x.Value.Signed ? "SignExtend" : "ZeroExtend")}({x.Width})",
            CastExpr x => $"{Describe(x.Value, depth + 1)}.{(x.Signed ? "AsSigned" : "AsUnsigned")}()",
            ConcatExpr c => "Cat(" + string.Join(", ", c.Parts.Select(p => Describe(p, depth + 1))) + ")",
            ReplicateExpr r => $"{Describe(r.Value, depth + 1)}.Replicate({r.Count})",
            MuxExpr m => $"Mux({Describe(m.Condition, depth + 1)}, {Describe(m.WhenTrue, depth + 1)}, {Describe(m.WhenFalse, depth + 1)})",
            ArrayReadExpr a => $"{a.ArrayName}.At({Describe(a.Index, depth + 1)})",
            ClockExpr c => $"Clock({c.Domain.Name})",
            ResetExpr r => $"Reset({r.Domain.Name})",
            _ => e.GetType().Name,
        };
    }
}

public enum UnaryOp
{
    Not,
    Negate,
    ReduceOr,
    ReduceAnd,
    ReduceXor,
}

public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Shl,
    Shr,
    Sra,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// <summary>A constant. C# integer literals become constants of the smallest width that holds them.</summary>
public sealed class Const : Expr
{
    public Const(ulong value, Shape shape, bool isLiteral = false)
        : base(shape)
    {
        if (shape.Width > 64)
            throw new HdlException($"constants are at most 64 bits wide, not {shape.Width}; build wider values with Cat");
        Value = shape.Width == 64 ? value : value & ((1UL << shape.Width) - 1);
        IsLiteral = isLiteral;
    }

    /// <summary>The bit pattern (two's complement for negative signed values).</summary>
    public ulong Value { get; }

    /// <summary>True for constants made from a C# literal: their width and signedness adapt to the other operand.</summary>
    public bool IsLiteral { get; }

    /// <summary>The value read with this constant's signedness.</summary>
    public long SignedValue => Signed && Width < 64 && ((Value >> (Width - 1)) & 1) != 0
        ? (long)(Value | (~0UL << Width))
        : (long)Value;

    public override IReadOnlyList<Expr> Operands => [];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => this;

    internal static Const Literal(long value)
    {
        if (value >= 0)
            return new Const((ulong)value, Shape.U(Shape.BitsFor((ulong)value + 1)), isLiteral: true);
        // The smallest two's complement width that holds the value.
        int width = 65 - System.Numerics.BitOperations.LeadingZeroCount(~(ulong)value);
        return new Const((ulong)value, Shape.S(Math.Max(width, 1)), isLiteral: true);
    }

    /// <summary>This literal, reshaped to sit beside a value of <paramref name="other"/>'s shape.</summary>
    internal Const Adapt(Shape other)
    {
        if (!other.Signed && Signed)
            throw new HdlException($"the negative literal {SignedValue} is used with an unsigned value; write the two's complement pattern or make the other operand signed");
        int width = Width + (other.Signed && !Signed ? 1 : 0);
        return new Const(Value, new Shape(width, other.Signed), isLiteral: true);
    }
}

public sealed class UnaryExpr : Expr
{
    internal UnaryExpr(UnaryOp op, Expr operand, Shape shape)
        : base(shape)
    {
        Op = op;
        Operand = operand;
    }

    public UnaryOp Op { get; }

    public Expr Operand { get; }

    public override IReadOnlyList<Expr> Operands => [Operand];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new UnaryExpr(Op, operands[0], Shape);
}

/// <summary>A binary operator. Both operands already have the operator's working width (see <see cref="Expr"/>).</summary>
public sealed class BinaryExpr : Expr
{
    internal BinaryExpr(BinaryOp op, Expr left, Expr right, Shape shape)
        : base(shape)
    {
        Op = op;
        Left = left;
        Right = right;
    }

    public BinaryOp Op { get; }

    public Expr Left { get; }

    public Expr Right { get; }

    public bool IsShift => Op is BinaryOp.Shl or BinaryOp.Shr or BinaryOp.Sra;

    public bool IsComparison => Op is BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge;

    public override IReadOnlyList<Expr> Operands => [Left, Right];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new BinaryExpr(Op, operands[0], operands[1], Shape);
}

public sealed class SliceExpr : Expr
{
    internal SliceExpr(Expr value, int hi, int lo)
        : base(Shape.U(hi - lo + 1))
    {
        Value = value;
        Hi = hi;
        Lo = lo;
    }

    public Expr Value { get; }

    public int Hi { get; }

    public int Lo { get; }

    public override IReadOnlyList<Expr> Operands => [Value];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new SliceExpr(operands[0], Hi, Lo);
}

/// <summary>Widens a value to <see cref="Expr.Width"/> bits by its own signedness.</summary>
public sealed class ExtendExpr : Expr
{
    internal ExtendExpr(Expr value, Shape shape)
        : base(shape)
    {
        Value = value;
    }

    public Expr Value { get; }

    public override IReadOnlyList<Expr> Operands => [Value];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new ExtendExpr(operands[0], Shape);
}

/// <summary>Reinterprets the bits with another signedness.</summary>
public sealed class CastExpr : Expr
{
    internal CastExpr(Expr value, Shape shape)
        : base(shape)
    {
        Value = value;
    }

    public Expr Value { get; }

    public override IReadOnlyList<Expr> Operands => [Value];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new CastExpr(operands[0], Shape);
}

/// <summary>Concatenation, most significant part first (as in Verilog).</summary>
public sealed class ConcatExpr : Expr
{
    internal ConcatExpr(IReadOnlyList<Expr> parts, SourceLocation location)
        : base(Shape.U(parts.Sum(p => p.Width)))
    {
        Parts = parts;
        Location = location;
    }

    public IReadOnlyList<Expr> Parts { get; }

    public override IReadOnlyList<Expr> Operands => Parts;

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new ConcatExpr(operands.ToArray(), Location);
}

public sealed class ReplicateExpr : Expr
{
    internal ReplicateExpr(Expr value, int count)
        : base(Shape.U(value.Width * count))
    {
        Value = value;
        Count = count;
    }

    public Expr Value { get; }

    public int Count { get; }

    public override IReadOnlyList<Expr> Operands => [Value];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new ReplicateExpr(operands[0], Count);
}

/// <summary><c>Condition ? WhenTrue : WhenFalse</c>; both arms have the result's shape.</summary>
public sealed class MuxExpr : Expr
{
    internal MuxExpr(Expr condition, Expr whenTrue, Expr whenFalse, SourceLocation location)
        : base(whenTrue.Shape)
    {
        Location = location;
        Condition = condition;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public Expr Condition { get; }

    public Expr WhenTrue { get; }

    public Expr WhenFalse { get; }

    public override IReadOnlyList<Expr> Operands => [Condition, WhenTrue, WhenFalse];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new MuxExpr(operands[0], operands[1], operands[2], Location);
}

/// <summary>Reads element <see cref="Index"/> of a vector of same-shaped values.</summary>
public sealed class ArrayReadExpr : Expr
{
    internal ArrayReadExpr(string arrayName, IReadOnlyList<Expr> items, Expr index)
        : base(items[0].Shape)
    {
        ArrayName = arrayName;
        Items = items;
        Index = index;
    }

    public string ArrayName { get; }

    public IReadOnlyList<Expr> Items { get; }

    public Expr Index { get; }

    public override IReadOnlyList<Expr> Operands => [Index, .. Items];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => new ArrayReadExpr(ArrayName, operands.Skip(1).ToArray(), operands[0]);
}

/// <summary>The clock of a domain, as a value (for black-box clock pins).</summary>
public sealed class ClockExpr : Expr
{
    internal ClockExpr(ClockDomain domain)
        : base(Shape.Bool)
    {
        Domain = domain;
    }

    public ClockDomain Domain { get; }

    public override IReadOnlyList<Expr> Operands => [];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => this;
}

/// <summary>The reset of a domain, as a value.</summary>
public sealed class ResetExpr : Expr
{
    internal ResetExpr(ClockDomain domain)
        : base(Shape.Bool)
    {
        Domain = domain;
    }

    public ClockDomain Domain { get; }

    public override IReadOnlyList<Expr> Operands => [];

    public override Expr WithOperands(IReadOnlyList<Expr> operands) => this;
}
