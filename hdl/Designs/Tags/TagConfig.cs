using HwGen.Designs.Soc;
using HwGen.Hdl;

namespace HwGen.Designs.Tags;

/// <summary>
/// The parameters of the tag unit of a tagged core: the tag width, the memory that carries tags, and the rule
/// cache's geometry. The single place these numbers are decided; the RTL, the golden model, the PEX firmware's
/// header and the docs take them from here.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>parameter</term><description>meaning (default)</description></listheader>
/// <item><term><see cref="TagWidth"/></term><description>bits of a tag: the identifier of an interned metadata set, 0 = the empty set; 2 to 16 (16)</description></item>
/// <item><term><see cref="TaggedBase"/>, <see cref="TaggedSize"/></term><description>the RAM whose every 32-bit word has a tag in tag memory (no default: <see cref="ForMemoryMap"/> gives the map's RAM)</description></item>
/// <item><term><see cref="RuleCacheEntries"/></term><description>entries of the rule cache, a power of two from 1 to 4096, in at most <see cref="MaxRuleCacheSets"/> sets (64)</description></item>
/// <item><term><see cref="RuleCacheWays"/></term><description>associativity: entries per set, a power of two dividing the entries (2: rules that differ only in the memory tag, which the set index leaves out, share a set)</description></item>
/// <item><term><see cref="CallPortBase"/>, <see cref="CallPortSize"/></term><description>the PEX call port region, whose loads see the call result tag as their memory tag (none: 0, 0; <see cref="ForMemoryMap"/> gives the map's PEXCALL region)</description></item>
/// <item><term><see cref="Memory"/></term><description>how tag memory is built: a read port per reader, or one port shared by all (the board's SPRAM) (<see cref="TagMemoryKind.MultiPort"/>)</description></item>
/// <item><term><see cref="Statistics"/></term><description>the rule cache counts lookups, hits, misses, evictions and miss cycles (true; the board may drop them)</description></item>
/// </list>
/// </remarks>
public sealed record TagConfig(uint TaggedBase, uint TaggedSize)
{
    /// <summary>Bits of an opgroup (<see cref="Opgroup"/>): up to 16 groups.</summary>
    public const int OpgroupBits = 4;

    /// <summary>The tag fields of a rule's input, in key order (<see cref="TagField"/>): one care bit each.</summary>
    public const int InputTags = 5;

    /// <summary>
    /// The most sets of the rule cache (<see cref="RuleCacheEntries"/> / <see cref="RuleCacheWays"/>): a set is a word of
    /// each way's RAM, and 256 words are the depth of an iCE40 block RAM 16 bits wide.
    /// </summary>
    public const int MaxRuleCacheSets = 256;

    /// <summary>The largest <see cref="TagWidth"/>: a trace field and a PEX register hold 16 bits.</summary>
    public const int MaxTagWidth = 16;

    /// <summary>
    /// Bits of the tags the PEX firmware gives out by default: its interning table holds 1,024 sets (the empty set's
    /// included; <c>PexFirmwareBuildOptions.SetCapacity</c>), tags 0 to 1,023. A wider tag carries zeros above them;
    /// the board's <see cref="TagWidth"/>, which then loses nothing.
    /// </summary>
    public const int PexSetIdentifierBits = 10;

    /// <summary>The tag configuration for the RAM of <paramref name="map"/>.</summary>
    public static TagConfig ForMemoryMap(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var callPort = map.Find(MemoryMap.PexCallName);
        return new TagConfig(map.RamBase, map.RamSize) { CallPortBase = callPort?.Base ?? 0, CallPortSize = callPort?.Size ?? 0 };
    }

    /// <summary>
    /// The tag configuration of an iCE40 board's tagged core for the RAM of <paramref name="map"/>: tags as wide as the
    /// identifiers the PEX firmware gives out (the bits above would be zeros in every register, key, rule-cache word
    /// and pipeline copy), no statistics counters, and a rule cache of <see cref="BoardRuleCacheEntries"/> entries in
    /// one way.
    /// </summary>
    public static TagConfig ForBoard(MemoryMap map) =>
        ForMemoryMap(map) with { Statistics = false, TagWidth = PexSetIdentifierBits, RuleCacheEntries = BoardRuleCacheEntries, RuleCacheWays = 1 };

    /// <summary>
    /// The board's rule-cache entries, in one way: 256 sets, the depth of the block RAMs a way takes anyway. A second
    /// way costs about 90 logic cells (a second key compare, the output multiplexer, the forwarded tags' correction and
    /// the replacement choice) and five block RAMs. One way of 64 sets misses far more (the benchmark under
    /// <c>cfi</c>: 1,144 misses against 23 in two ways of 32, 36 % more cycles); one way of 256 misses as little as
    /// two of 32 (23 under <c>cfi</c>; under all five policies 62 against 68).
    /// </summary>
    public const int BoardRuleCacheEntries = 256;

    public int TagWidth { get; init; } = 16;

    public int RuleCacheEntries { get; init; } = 64;

    public int RuleCacheWays { get; init; } = 2;

    public bool Statistics { get; init; } = true;

    /// <summary>How tag memory is built (<see cref="TagMemoryKind"/>).</summary>
    public TagMemoryKind Memory { get; init; } = TagMemoryKind.MultiPort;

    /// <summary>The first address of the PEX call port region (see <see cref="CallPortSize"/>).</summary>
    public uint CallPortBase { get; init; }

    /// <summary>The size of the PEX call port region: a load or store there has the call result tag as its memory tag; 0: none.</summary>
    public uint CallPortSize { get; init; }

    /// <summary>Words of tagged memory: one tag each.</summary>
    public uint TaggedWords => TaggedSize / 4;

    /// <summary>Whether the byte <paramref name="address"/> lies in the tagged memory.</summary>
    public bool Contains(uint address) => address - TaggedBase < TaggedSize;

    /// <summary>
    /// The index of the word at byte <paramref name="address"/> in the tagged memory, in the bits of a word index (as
    /// the tag unit's ports take it; meaningful where the memory <see cref="Contains"/> the address).
    /// </summary>
    public uint WordIndexOf(uint address) => ((address - TaggedBase) / 4) & (uint)((1L << Shape.BitsFor(TaggedWords)) - 1);

    /// <summary>Sets of the rule cache (<see cref="RuleCacheEntries"/> / <see cref="RuleCacheWays"/>).</summary>
    public int RuleCacheSets => RuleCacheEntries / RuleCacheWays;

    /// <summary>Bits of a rule's input (its key): the opgroup and the five input tags.</summary>
    public int KeyWidth => OpgroupBits + InputTags * TagWidth;

    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter when the configuration cannot be built.</summary>
    public void Validate()
    {
        if (TagWidth is < 2 or > MaxTagWidth)
            throw new ArgumentException($"a tag is 2 to {MaxTagWidth} bits, not {TagWidth}", nameof(TagWidth));
        if (TaggedSize == 0 || TaggedSize % 4 != 0 || TaggedBase % 4 != 0)
            throw new ArgumentException($"the tagged memory at 0x{TaggedBase:X8} of {TaggedSize} bytes is not a non-empty run of words", nameof(TaggedSize));
        if (RuleCacheEntries < 1 || RuleCacheEntries > 4096 || (RuleCacheEntries & (RuleCacheEntries - 1)) != 0)
            throw new ArgumentException($"the rule cache needs a power of two from 1 to 4096 entries, not {RuleCacheEntries}", nameof(RuleCacheEntries));
        if (RuleCacheWays < 1 || (RuleCacheWays & (RuleCacheWays - 1)) != 0 || RuleCacheWays > RuleCacheEntries)
            throw new ArgumentException($"the rule cache's ways ({RuleCacheWays}) must be a power of two no larger than its entries ({RuleCacheEntries})", nameof(RuleCacheWays));
        if (RuleCacheSets > MaxRuleCacheSets)
            throw new ArgumentException($"the rule cache has at most {MaxRuleCacheSets} sets (a block RAM's depth); {RuleCacheEntries} entries need at least {RuleCacheEntries / MaxRuleCacheSets} ways, not {RuleCacheWays}", nameof(RuleCacheEntries));
    }
}

/// <summary>The tag fields of a rule's input, in key order; bit n of a care mask is field n.</summary>
public enum TagField
{
    /// <summary>The PC tag (the tag of the program counter before the instruction).</summary>
    Pc = 0,

    /// <summary>The instruction's tag: the tag of the memory word it was fetched from.</summary>
    Ci = 1,

    Rs1 = 2,

    Rs2 = 3,

    /// <summary>The tag of the memory word a load or store touches (of a device: the device tag).</summary>
    Mem = 4,
}
