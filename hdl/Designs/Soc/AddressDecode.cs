using HwGen.Hdl;

namespace HwGen.Designs.Soc;

/// <summary>
/// Address decoding for the regions of a <see cref="MemoryMap"/>: whether an address lies in a region, and its
/// offset there. A region whose size is a power of two and whose base is a multiple of it (every region of the
/// default maps) decodes with an equality on the address bits above its size and takes its offset straight from
/// the bits below: no adder, no carry chain. Any other region falls back to a subtraction and a compare.
/// </summary>
public static class AddressDecode
{
    /// <summary>True when <paramref name="region"/> is a power of two in size and aligned to it.</summary>
    public static bool IsAligned(MemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.Size != 0 && (region.Size & (region.Size - 1)) == 0 && region.Base % region.Size == 0;
    }

    /// <summary>1 when the 32-bit <paramref name="address"/> lies in <paramref name="region"/>.</summary>
    public static Expr Contains(Expr address, MemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(region);
        if (!IsAligned(region))
            return (address - region.Base) < region.Size;
        int low = System.Numerics.BitOperations.Log2(region.Size);
        if (low >= 32)
            return Hw.U(1, 1);
        return address[31, low].Eq(region.Base >> low);
    }

    /// <summary>Bits <paramref name="high"/> down to <paramref name="low"/> of the offset of <paramref name="address"/> in <paramref name="region"/>.</summary>
    public static Expr Offset(Expr address, MemoryRegion region, int high, int low)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(region);
        if (IsAligned(region) && (1UL << (high + 1)) <= region.Size)
            return address[high, low];
        return (address - region.Base)[high, low];
    }
}
