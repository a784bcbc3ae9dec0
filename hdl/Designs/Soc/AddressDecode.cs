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

    /// <summary>
    /// The highest address bit that is constant over each of the two regions and differs between them, so that one
    /// bit tells an address in <paramref name="a"/> from one in <paramref name="b"/>; -1 when there is none.
    /// </summary>
    public static int DistinguishingBit(MemoryRegion a, MemoryRegion b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        for (int bit = 31; bit >= 0; bit--)
        {
            // Over a contiguous range, a bit is constant exactly when the range's ends agree from that bit upwards.
            bool Constant(MemoryRegion r) => r.Size != 0 && (r.Base >> bit) == (uint)((r.End64 - 1) >> bit);
            if (Constant(a) && Constant(b) && ((a.Base ^ b.Base) >> bit & 1) != 0)
                return bit;
        }
        return -1;
    }

    /// <summary>
    /// 1 when <paramref name="address"/> may lie in <paramref name="region"/> rather than in any of
    /// <paramref name="others"/>: one bit per other region (<see cref="DistinguishingBit"/>), or the full comparison
    /// where no bit tells them apart. An address in no region at all may give 1.
    /// </summary>
    public static Expr RatherThan(Expr address, MemoryRegion region, IEnumerable<MemoryRegion> others)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(others);
        Expr maybe = Hw.U(1, 1);
        foreach (var other in others)
        {
            int bit = DistinguishingBit(region, other);
            if (bit < 0)
                return Contains(address, region);
            maybe &= address[bit].Eq((region.Base >> bit) & 1);
        }
        return maybe;
    }

    /// <summary>
    /// 1 when one of <paramref name="regions"/> takes a data access at <paramref name="address"/> of
    /// <paramref name="width"/>: the address lies in it, it takes that width, and it is writable for a
    /// <paramref name="write"/>, readable otherwise. The rule the interconnect and the core's access faults share.
    /// </summary>
    public static Expr Permits(IEnumerable<MemoryRegion> regions, Expr address, AccessWidth width, Expr write)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(width);
        Expr any = Hw.U(0, 1);
        foreach (var region in regions)
            any |= Contains(address, region) & Hw.Mux(write, region.Writable, region.Readable) & width.Allowed(region);
        return any;
    }

    /// <summary>1 when <paramref name="address"/> lies in one of the executable <paramref name="regions"/>.</summary>
    public static Expr Executable(IEnumerable<MemoryRegion> regions, Expr address)
    {
        ArgumentNullException.ThrowIfNull(regions);
        Expr any = Hw.U(0, 1);
        foreach (var region in regions.Where(r => r.Executable))
            any |= Contains(address, region);
        return any;
    }
}

/// <summary>The width of an access as three decoded flags (one of them 1), and whether a region takes it.</summary>
public sealed record AccessWidth(Expr Byte, Expr Halfword, Expr Word)
{
    /// <summary>The flags of an access of 2^<paramref name="log2Bytes"/> bytes (funct3 bits 1..0 of a load or store).</summary>
    public static AccessWidth FromSize(Expr log2Bytes) => new(log2Bytes.Eq(0), log2Bytes.Eq(1), log2Bytes.Eq(2));

    /// <summary>1 when <paramref name="region"/> takes an access of this width.</summary>
    public Expr Allowed(MemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        Expr allowed = Hw.U(0, 1);
        if (region.Allows(AccessWidths.Byte))
            allowed |= Byte;
        if (region.Allows(AccessWidths.Halfword))
            allowed |= Halfword;
        if (region.Allows(AccessWidths.Word))
            allowed |= Word;
        return allowed;
    }
}
