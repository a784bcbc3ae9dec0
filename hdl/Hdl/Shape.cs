namespace HwGen.Hdl;

/// <summary>The type of a value: a bit width and whether it is read as two's complement.</summary>
public readonly record struct Shape(int Width, bool Signed)
{
    /// <summary>An unsigned shape of <paramref name="width"/> bits.</summary>
    public static Shape U(int width) => new(width, false);

    /// <summary>A signed (two's complement) shape of <paramref name="width"/> bits.</summary>
    public static Shape S(int width) => new(width, true);

    /// <summary>One unsigned bit.</summary>
    public static Shape Bool => new(1, false);

    public static implicit operator Shape(int width) => U(width);

    /// <summary>The number of bits needed to hold every value in <c>0 .. count - 1</c> (at least 1).</summary>
    public static int BitsFor(ulong count)
    {
        if (count <= 2)
            return 1;
        return 64 - System.Numerics.BitOperations.LeadingZeroCount(count - 1);
    }

    public override string ToString() => (Signed ? "signed " : "") + $"{Width}-bit";
}
