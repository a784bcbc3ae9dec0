namespace HwGen.Hdl;

/// <summary>
/// A number given as a reset or default value: any C# integer, signed or unsigned, up to 64 bits
/// (<c>reset: 0</c>, <c>reset: 0x8000_0000u</c>, <c>reset: ulong.MaxValue</c>, <c>reset: -1</c> for a signed register).
/// </summary>
public readonly record struct Literal
{
    private Literal(ulong bits, bool negative)
    {
        Bits = bits;
        IsNegative = negative;
    }

    /// <summary>The two's complement bit pattern.</summary>
    public ulong Bits { get; }

    public bool IsNegative { get; }

    public static implicit operator Literal(int value) => new((ulong)(long)value, value < 0);

    public static implicit operator Literal(long value) => new((ulong)value, value < 0);

    public static implicit operator Literal(uint value) => new(value, false);

    public static implicit operator Literal(ulong value) => new(value, false);

    public static implicit operator Literal(bool value) => new(value ? 1UL : 0UL, false);

    /// <summary>The bits of this number in <paramref name="shape"/>; throws when it does not fit.</summary>
    internal ulong For(Shape shape, SourceLocation location)
    {
        bool fits = shape.Signed
            ? shape.Width >= 64
                ? IsNegative || Bits <= long.MaxValue
                : IsNegative ? (long)Bits >= -(1L << (shape.Width - 1)) : Bits < 1UL << (shape.Width - 1)
            : !IsNegative && (shape.Width >= 64 || Bits >> shape.Width == 0);
        if (!fits)
            throw new HdlException($"the value {this} does not fit in a {shape} signal", location);
        return shape.Width >= 64 ? Bits : Bits & ((1UL << shape.Width) - 1);
    }

    public override string ToString() => IsNegative
        ? ((long)Bits).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Bits.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
