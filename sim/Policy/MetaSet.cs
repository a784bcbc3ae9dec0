using System.Buffers.Binary;
using System.Text;

namespace HwGen.Sim.Policy;

/// <summary>
/// A metadata set: the flags (<see cref="Flag"/>, one bit each) and four 16-bit slots (<see cref="Slot"/>, 0 = none).
/// A value type with value equality; a tag is the interned identifier of one (<see cref="TagInterner"/>), tag 0 the
/// empty set. Its serialised form is 12 bytes, little-endian: the flags, then slots 0..3.
/// </summary>
public readonly record struct MetaSet
{
    /// <summary>Slots per set.</summary>
    public const int SlotCount = 4;

    /// <summary>Bytes of a set-table entry (<see cref="WriteTo"/>).</summary>
    public const int Bytes = 12;

    private readonly ulong _slots; // slot n in bits 16n+15..16n

    public MetaSet(uint flags, ushort slot0 = 0, ushort slot1 = 0, ushort slot2 = 0, ushort slot3 = 0)
    {
        Flags = flags;
        _slots = slot0 | ((ulong)slot1 << 16) | ((ulong)slot2 << 32) | ((ulong)slot3 << 48);
    }

    private MetaSet(uint flags, ulong slots)
    {
        Flags = flags;
        _slots = slots;
    }

    /// <summary>The empty set (tag 0).</summary>
    public static MetaSet Empty => default;

    /// <summary>Bit n = <see cref="Flag"/> n.</summary>
    public uint Flags { get; }

    public bool IsEmpty => Flags == 0 && _slots == 0;

    /// <summary>A set of flags.</summary>
    public static MetaSet Of(params ReadOnlySpan<Flag> flags)
    {
        uint bits = 0;
        foreach (var flag in flags)
            bits |= Bit(flag);
        return new MetaSet(bits, 0UL);
    }

    public bool Has(Flag flag) => (Flags & Bit(flag)) != 0;

    /// <summary>The number in <paramref name="slot"/> (0 = none).</summary>
    public ushort Get(Slot slot) => (ushort)(_slots >> (16 * CheckSlot(slot)));

    public MetaSet With(Flag flag) => new(Flags | Bit(flag), _slots);

    public MetaSet Without(Flag flag) => new(Flags & ~Bit(flag), _slots);

    /// <summary>The set with <paramref name="slot"/> holding <paramref name="value"/> (0 clears it).</summary>
    public MetaSet With(Slot slot, ushort value)
    {
        int shift = 16 * CheckSlot(slot);
        return new MetaSet(Flags, (_slots & ~(0xFFFFUL << shift)) | ((ulong)value << shift));
    }

    /// <summary>
    /// The union of two sets, as a composite merges its policies' outputs: flags OR'd; a slot takes this set's number
    /// when it has one, else <paramref name="other"/>'s (a slot belongs to one policy, so at most one sets it).
    /// </summary>
    public MetaSet Union(MetaSet other)
    {
        ulong slots = _slots;
        for (int s = 0; s < SlotCount; s++)
        {
            ulong mask = 0xFFFFUL << (16 * s);
            if ((slots & mask) == 0)
                slots |= other._slots & mask;
        }
        return new MetaSet(Flags | other.Flags, slots);
    }

    /// <summary>Writes the 12-byte set-table entry: flags, then slots 0..3, little-endian.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Flags);
        for (int s = 0; s < SlotCount; s++)
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(4 + 2 * s)..], (ushort)(_slots >> (16 * s)));
    }

    /// <summary>Reads a 12-byte set-table entry (<see cref="WriteTo"/>).</summary>
    public static MetaSet ReadFrom(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt32LittleEndian(source),
            BinaryPrimitives.ReadUInt16LittleEndian(source[4..]), BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[8..]), BinaryPrimitives.ReadUInt16LittleEndian(source[10..]));

    /// <summary><c>{Code, Entry, Function=3}</c>; flags by name (unnamed bits as <c>bitN</c>), then the slots set.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        for (int bit = 0; bit < 32; bit++)
        {
            if ((Flags & (1u << bit)) != 0)
                parts.Add(Enum.IsDefined((Flag)bit) ? ((Flag)bit).ToString() : $"bit{bit}");
        }
        for (int s = 0; s < SlotCount; s++)
        {
            ushort value = Get((Slot)s);
            if (value != 0)
                parts.Add($"{(Slot)s}={value}");
        }
        return new StringBuilder("{").AppendJoin(", ", parts).Append('}').ToString();
    }

    private static uint Bit(Flag flag) =>
        (uint)flag < 32 ? 1u << (int)flag : throw new ArgumentOutOfRangeException(nameof(flag), flag, "a flag is bit 0..31 of a set");

    private static int CheckSlot(Slot slot) =>
        (uint)slot < SlotCount ? (int)slot : throw new ArgumentOutOfRangeException(nameof(slot), slot, $"a set has slots 0..{SlotCount - 1}");
}
