namespace HwGen.Sim.Policy;

/// <summary>
/// The table of interned metadata sets: tag 0 is the empty set, and every other set gets the next identifier (1, 2,
/// 3, ...) the first time it is interned, so identifiers depend only on the order of the intern calls. The golden model
/// and the PEX firmware intern in the same order (the initial image, the device set, then per rule evaluated the PC
/// output and the result), so their tags agree.
/// </summary>
public sealed class TagInterner
{
    private readonly List<MetaSet> _sets = [MetaSet.Empty];
    private readonly Dictionary<MetaSet, ushort> _tags = new() { [MetaSet.Empty] = 0 };

    /// <param name="tagWidth">Bits of a tag (<c>TagConfig.TagWidth</c>): at most 2^width - 1 sets besides the empty one.</param>
    public TagInterner(int tagWidth = 16)
    {
        if (tagWidth is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(tagWidth), tagWidth, "a tag is 1 to 16 bits");
        TagWidth = tagWidth;
    }

    public int TagWidth { get; }

    /// <summary>Sets interned besides the empty one (the largest tag in use).</summary>
    public int Count => _sets.Count - 1;

    /// <summary>The sets of tags 1..<see cref="Count"/>, in order.</summary>
    public IReadOnlyList<MetaSet> Sets => _sets.GetRange(1, Count);

    /// <summary>The tag of <paramref name="set"/>, interning it when it is new.</summary>
    /// <exception cref="InvalidOperationException">Every tag of <see cref="TagWidth"/> bits is taken.</exception>
    public ushort Intern(MetaSet set)
    {
        if (_tags.TryGetValue(set, out ushort tag))
            return tag;
        if (_sets.Count >= 1 << TagWidth)
            throw new InvalidOperationException($"tag overflow: {Count} metadata sets already use every {TagWidth}-bit tag; {set} needs another");
        tag = (ushort)_sets.Count;
        _sets.Add(set);
        _tags.Add(set, tag);
        return tag;
    }

    /// <summary>The set of <paramref name="tag"/>.</summary>
    public MetaSet this[ushort tag] =>
        tag < _sets.Count ? _sets[tag] : throw new ArgumentOutOfRangeException(nameof(tag), tag, $"tag {tag} is not interned (tags 0..{Count})");

    /// <summary>The tag of <paramref name="set"/> if it is interned, without interning it.</summary>
    public bool TryGetTag(MetaSet set, out ushort tag) => _tags.TryGetValue(set, out tag);

    /// <summary>An independent copy (the engine's table starts as a copy of the initial image's).</summary>
    public TagInterner Clone()
    {
        var copy = new TagInterner(TagWidth);
        foreach (var set in Sets)
            copy.Intern(set);
        return copy;
    }

    /// <summary>
    /// The set table as the PEX holds it: the sets of tags 1..<see cref="Count"/> in order, 12 bytes each
    /// (<see cref="MetaSet.WriteTo"/>: flags, then slots 0..3 as uint16, little-endian).
    /// </summary>
    public byte[] Snapshot()
    {
        var bytes = new byte[Count * MetaSet.Bytes];
        for (int t = 1; t <= Count; t++)
            _sets[t].WriteTo(bytes.AsSpan((t - 1) * MetaSet.Bytes, MetaSet.Bytes));
        return bytes;
    }

    /// <summary>The table of a <see cref="Snapshot"/>.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of 12, or a set appears twice or is empty.</exception>
    public static TagInterner FromSnapshot(ReadOnlySpan<byte> snapshot, int tagWidth = 16)
    {
        if (snapshot.Length % MetaSet.Bytes != 0)
            throw new ArgumentException($"a set table is 12 bytes per set, not {snapshot.Length} bytes", nameof(snapshot));
        var interner = new TagInterner(tagWidth);
        for (int o = 0; o < snapshot.Length; o += MetaSet.Bytes)
        {
            var set = MetaSet.ReadFrom(snapshot.Slice(o, MetaSet.Bytes));
            if (set.IsEmpty || interner.TryGetTag(set, out _))
                throw new ArgumentException($"set table entry {o / MetaSet.Bytes + 1} ({set}) is empty or repeats an earlier one", nameof(snapshot));
            interner.Intern(set);
        }
        return interner;
    }
}
