using System.Numerics;
using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Tags;

/// <summary>
/// The rule cache of the tag unit: rules already evaluated by the PEX, (opgroup, PC tag, CI tag, rs1 tag, rs2 tag,
/// mem tag) → (PC tag, result tag), in block RAM. <see cref="TagConfig.RuleCacheEntries"/> entries in
/// <see cref="TagConfig.RuleCacheSets"/> sets of <see cref="TagConfig.RuleCacheWays"/> ways; a hit is an exact match of
/// every bit of the key (an entry keeps the key but for the bits its set index gives back: <see cref="StoredKeyBits"/>).
/// </summary>
/// <remarks>
/// <para><b>Key.</b> <see cref="Key(Expr, Expr, Expr, Expr, Expr, Expr)"/>: the opgroup in the low
/// <see cref="TagConfig.OpgroupBits"/> bits, then the tags in <see cref="TagField"/> order (PC tag just above the
/// opgroup, the mem tag at the top). The lookup key (<see cref="LookupKey"/>) is the key without its mem tag: the low
/// <see cref="LookupKeyWidth"/> bits, which are known before the mem tag is read.</para>
/// <para><b>Set index</b> (<see cref="SetOf"/>): an H3 hash of the lookup key. Bit b of the set is key bit b XOR the
/// parity of the key's other bits (from bit log2(sets) up) under a fixed random mask <see cref="SetMasks"/>[b]: the
/// opgroup's and each tag's low <see cref="MixedTagBits"/> bits in about half the masks, each tag's other bits up to
/// <see cref="HashedTagBits"/> in one. So flipping any one of those bits moves the key to another set, and the low
/// log2(sets) bits follow from the set and the others (an entry does not store them). Tags are small identifiers,
/// so the fields' low bits carry nearly all the information: the masks mix them into every set bit, where an XOR of the
/// key's chunks would lay the fields' low bits over one another. The mem tag does not take part (it arrives a stage
/// later), nor do a tag's bits above <see cref="HashedTagBits"/> (0 for every tag the PEX's interning table gives out,
/// 1,024 sets by default): keys that differ only in them share a set and are told apart by the compare. Leaving them
/// out spares the hash their XOR inputs, and lets the key's bits the hash does not read take their own logic cell with
/// their flip-flop where the execute stage registers the key.</para>
/// <para><b>Lookup.</b> In the cycle <see cref="ReadEnable"/> is 1 the set of <see cref="ReadKey"/> is read from the
/// RAM, valid bits and all (the set held); from the next cycle on <see cref="Hit"/>, <see cref="PcTagOut"/> and
/// <see cref="ResultTagOut"/> compare that set with <see cref="MatchKey"/> and give the matching way's outputs
/// (meaningful only with <see cref="Hit"/>). <see cref="MatchKey"/> must be a key of the set held: its lookup part the
/// <see cref="ReadKey"/> of the read, with any mem tag (the caller registers the key as it reads; the set is not
/// compared again). The set read holds while <see cref="ReadEnable"/> and <see cref="Reread"/> are 0, so the caller
/// may wait any number of cycles before it matches. <see cref="Reread"/> reads the set held again, whatever
/// <see cref="ReadKey"/> says: its installs since are then in the words read (the tag unit installs a miss's rule,
/// reads the set again and matches the rule from the next cycle, rather than keeping the outputs beside the cache).
/// <see cref="SpeculativePcTag"/> and <see cref="SpeculativeResultTag"/> are way 0's outputs straight from the RAM, whatever the compare says: the value to forward before the hit is known (with one way they
/// are the hit outputs).</para>
/// <para><b>Install.</b> In the cycle <see cref="InstallValid"/> is 1 the rule <see cref="MatchKey"/> →
/// (<see cref="InstallPcTag"/>, <see cref="InstallResultTag"/>) is written into the set held (the tag unit installs
/// the key of the miss it holds): into the lowest-numbered way of it that is invalid now (as read, with the installs
/// into it since), or when every way is valid into the way a round-robin counter names (one counter for the whole
/// cache, advanced by every replacement of a valid entry). <see cref="Evicted"/> is 1 in the cycle after an install
/// that replaced a valid entry. The install does not look for the key in the set: installing a key already present
/// makes a second copy (with the same outputs) until one of them is replaced.</para>
/// <para><b>Read during write.</b> A lookup sees every install of an earlier cycle: an install followed at once by a
/// lookup of the same key hits. A lookup reads a snapshot of its set: an install into that set in the same cycle as
/// the read or in a later cycle, while the read holds, is not seen by it. The way written in the same cycle as the
/// read counts as invalid for that read (its RAM word is then undefined: no bypass logic beside the block RAM), so
/// the read can only miss where it would have hit, never hit with wrong outputs; a later read sees the new entry.</para>
/// <para><b>Flush</b> (and reset). The valid bits are in the RAM words: <see cref="Flush"/> clears them a set a cycle,
/// every way at once, over the next <see cref="TagConfig.RuleCacheSets"/> cycles (<see cref="Flushing"/>). From the
/// cycle of <see cref="Flush"/> until the last set is cleared every lookup misses (including the set being held for a
/// match) and every install is dropped. Reset starts the same walk.</para>
/// <para><b>Statistics</b> (with <see cref="TagConfig.Statistics"/>, else 0): the caller pulses
/// <see cref="CountLookup"/>, <see cref="CountHit"/>, <see cref="CountMiss"/> and <see cref="CountMissCycle"/>; the
/// cache counts evictions itself (with <see cref="Evicted"/>). 32-bit counters, wrapping, cleared by reset only.</para>
/// </remarks>
public sealed class RuleCache : Module
{
    /// <param name="config">The tag unit's parameters.</param>
    /// <param name="cells">Build the key compare from iCE40 <c>SB_LUT4</c> instances (<see cref="LutCompare"/>); false: generic Verilog.</param>
    public RuleCache(TagConfig config, bool cells = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        int t = config.TagWidth;
        SetBits = BitOperations.Log2((uint)config.RuleCacheSets);
        Entries = config.RuleCacheEntries;
        Ways = config.RuleCacheWays;
        TagWidth = t;
        Cells = cells;

        ReadKey = In(LookupKeyWidth);
        MatchKey = In(config.KeyWidth);
        PcTagOut = Out(t);
        ResultTagOut = Out(t);
        SpeculativePcTag = Out(t);
        SpeculativeResultTag = Out(t);
        InstallPcTag = In(t);
        InstallResultTag = In(t);

        // A memory needs two words: a cache of one set uses word 0 of two.
        int depth = Math.Max(config.RuleCacheSets, 2);
        ways = new Memory[Ways];
        for (int w = 0; w < Ways; w++)
        {
            ways[w] = Mem(EntryBits, depth);
            // The way written in the cycle of a read is marked invalid for that read (see the remarks): no logic
            // beside the block RAM to define the word read.
            ways[w].ReadDuringWrite = ReadDuringWrite.Undefined;
        }
        heldSet = SetBits > 0 ? Reg(SetBits, reset: 0) : null;
        heldReadable = new Signal[Ways];
        heldWritten = new Signal[Ways];
        for (int w = 0; w < Ways; w++)
        {
            heldReadable[w] = Reg(1, reset: 0);
            heldWritten[w] = Reg(1, reset: 0);
        }
        roundRobin = Ways > 1 ? Reg(BitOperations.Log2((uint)Ways), reset: 0) : null;
        flushing = Reg(1, reset: 1);
        flushSet = SetBits > 0 ? Reg(SetBits, reset: 0) : null;
    }

    public TagConfig Config { get; }

    [Parameter]
    public int Entries { get; }

    [Parameter]
    public int Ways { get; }

    [Parameter]
    public int TagWidth { get; }

    /// <summary>The key compare is built from <c>SB_LUT4</c> instances (<see cref="LutCompare"/>): for the iCE40 only.</summary>
    [Parameter]
    public bool Cells { get; }

    /// <summary>Bits of the set index: log2(sets), 0 for a cache of one set.</summary>
    public int SetBits { get; }

    /// <summary>Bits of the lookup key: the key without its mem tag (opgroup and four tags).</summary>
    public int LookupKeyWidth => Config.KeyWidth - Config.TagWidth;

    /// <summary>
    /// Bits of the key a RAM word keeps: all but the low <see cref="SetBits"/>, which follow from the set index and
    /// the other bits (set bit b is key bit b XOR the others' parity under a mask: <see cref="SetOf"/>).
    /// </summary>
    public int StoredKeyBits => Config.KeyWidth - SetBits;

    /// <summary>Bits of a RAM word: the valid bit, the stored key, the PC tag out, the result tag.</summary>
    public int EntryBits => 1 + StoredKeyBits + 2 * Config.TagWidth;

    // ---- lookup ---------------------------------------------------------------------------------

    /// <summary>1: read the set of <see cref="ReadKey"/> in this cycle; 0: the set read last holds.</summary>
    public readonly Signal ReadEnable = In(1);
    /// <summary>1: read the set held again in this cycle, whatever <see cref="ReadEnable"/> says.</summary>
    public readonly Signal Reread = In(1);
    /// <summary>The lookup key (<see cref="LookupKey"/>): opgroup and the PC, CI, rs1, rs2 tags, masked by the caller.</summary>
    public readonly Signal ReadKey;
    /// <summary>
    /// The full key (<see cref="Key(Expr, Expr, Expr, Expr, Expr, Expr)"/>) matched against the set read and installed
    /// into it: the <see cref="ReadKey"/> of that read with a mem tag.
    /// </summary>
    public readonly Signal MatchKey;
    /// <summary>A valid way of the set read holds <see cref="MatchKey"/>.</summary>
    public readonly Signal Hit = Out(1);
    /// <summary>
    /// <see cref="Hit"/> in a way other than way 0 whose PC tag out (result tag) differs from way 0's: the speculative
    /// output was not the hit's, so whatever was forwarded from it must be computed again (always 0 with one way).
    /// </summary>
    public readonly Signal PcSpeculationWrong = Out(1);
    public readonly Signal ResultSpeculationWrong = Out(1);
    /// <summary>The PC tag out of the matching way (meaningful with <see cref="Hit"/>).</summary>
    public readonly Signal PcTagOut;
    /// <summary>The result tag of the matching way (meaningful with <see cref="Hit"/>).</summary>
    public readonly Signal ResultTagOut;
    /// <summary>Way 0's PC tag out as read, before the compare.</summary>
    public readonly Signal SpeculativePcTag;
    /// <summary>Way 0's result tag as read, before the compare.</summary>
    public readonly Signal SpeculativeResultTag;

    // ---- install and flush ----------------------------------------------------------------------

    /// <summary>Install the rule <see cref="MatchKey"/> → (<see cref="InstallPcTag"/>, <see cref="InstallResultTag"/>) into the set read.</summary>
    public readonly Signal InstallValid = In(1);
    public readonly Signal InstallPcTag;
    public readonly Signal InstallResultTag;
    /// <summary>1 in the cycle after an install that replaced a valid entry.</summary>
    public readonly Signal Evicted = Out(1);
    /// <summary>Invalidate every entry (a set a cycle: see <see cref="Flushing"/>).</summary>
    public readonly Signal Flush = In(1);
    /// <summary>The valid bits are being cleared (after <see cref="Flush"/> or reset): lookups miss, installs are dropped.</summary>
    public readonly Signal Flushing = Out(1);

    // ---- statistics -----------------------------------------------------------------------------

    /// <summary>A lookup was made (pulse, one per instruction checked).</summary>
    public readonly Signal CountLookup = In(1);
    public readonly Signal CountHit = In(1);
    public readonly Signal CountMiss = In(1);
    /// <summary>A cycle the core waited on a miss.</summary>
    public readonly Signal CountMissCycle = In(1);
    public readonly Signal Lookups = Out(32);
    public readonly Signal Hits = Out(32);
    public readonly Signal Misses = Out(32);
    public readonly Signal Evictions = Out(32);
    public readonly Signal MissCycles = Out(32);

    private readonly Memory[] ways;
    /// <summary>The set read, and per way: its word may hit (not written in the cycle of the read, no flush since).</summary>
    private readonly Signal? heldSet;
    private readonly Signal[] heldReadable;
    /// <summary>Per way of the set read: an install wrote it since (or in the cycle of) the read: it is valid now.</summary>
    private readonly Signal[] heldWritten;
    private readonly Signal? roundRobin;
    /// <summary>The flush's walk and the set it clears.</summary>
    private readonly Signal flushing;
    private readonly Signal? flushSet;

    /// <summary>The full key: <c>{mem, rs2, rs1, ci, pc, opgroup}</c> (opgroup in the low bits).</summary>
    public static Expr Key(Expr opgroup, Expr pcTag, Expr ciTag, Expr rs1Tag, Expr rs2Tag, Expr memTag) =>
        Cat(memTag, rs2Tag, rs1Tag, ciTag, pcTag, opgroup);

    /// <summary>The lookup key: the full key without its mem tag, <c>{rs2, rs1, ci, pc, opgroup}</c>.</summary>
    public static Expr LookupKey(Expr opgroup, Expr pcTag, Expr ciTag, Expr rs1Tag, Expr rs2Tag) =>
        Cat(rs2Tag, rs1Tag, ciTag, pcTag, opgroup);

    /// <summary>The full key as a number, laid out as <see cref="Key(Expr, Expr, Expr, Expr, Expr, Expr)"/>.</summary>
    public static UInt128 Key(TagConfig config, int opgroup, uint pcTag, uint ciTag, uint rs1Tag, uint rs2Tag, uint memTag)
    {
        ArgumentNullException.ThrowIfNull(config);
        int t = config.TagWidth;
        UInt128 key = (uint)opgroup & ((1u << TagConfig.OpgroupBits) - 1);
        int at = TagConfig.OpgroupBits;
        foreach (var tag in new[] { pcTag, ciTag, rs1Tag, rs2Tag, memTag })
        {
            if (tag >> t != 0)
                throw new ArgumentOutOfRangeException(nameof(memTag), tag, $"a tag is {t} bits");
            key |= (UInt128)tag << at;
            at += t;
        }
        return key;
    }

    /// <summary>
    /// The set of a key (full or lookup: the mem tag is left out): bit b is key bit b XOR the parity of the key's bits
    /// from log2(sets) up to the lookup key's top under <see cref="SetMasks"/>[b]. The reference the RTL's
    /// <see cref="SetIndex"/> follows.
    /// </summary>
    public static int SetOf(TagConfig config, UInt128 key)
    {
        ArgumentNullException.ThrowIfNull(config);
        var masks = SetMasks(config);
        int lookupWidth = config.KeyWidth - config.TagWidth;
        key &= (UInt128.One << lookupWidth) - 1;
        int set = 0;
        for (int b = 0; b < masks.Count; b++)
            set |= (int)((uint)(key >> b) & 1 ^ Parity(key & masks[b])) << b;
        return set;
    }

    /// <summary>
    /// The H3 masks of the set index (<see cref="SetOf"/>), one per set bit, over the lookup key's bits from log2(sets)
    /// up: the opgroup's and the tags' low <see cref="MixedTagBits"/> bits at random (a fixed seed, so every build and
    /// the reference agree), each of the other bits the index reads (<see cref="Hashed"/>) in at least one mask.
    /// None for a cache of one set.
    /// </summary>
    public static IReadOnlyList<UInt128> SetMasks(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int bits = BitOperations.Log2((uint)config.RuleCacheSets);
        int lookupWidth = config.KeyWidth - config.TagWidth;
        var masks = new UInt128[bits];
        if (bits == 0)
            return masks;
        // SplitMix64 from a fixed seed: the masks are part of the design, not of a run.
        ulong state = 0x9E37_79B9_7F4A_7C15UL ^ (ulong)(bits << 8 | lookupWidth);
        ulong Next()
        {
            ulong z = state += 0x9E37_79B9_7F4A_7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
            return z ^ (z >> 31);
        }
        // The bits that vary most (the opgroup and each tag's low bits) in about half the masks; every other bit hashed
        // in one mask, so that flipping it still moves its key to another set, at the cost of one XOR input.
        UInt128 mixed = (1u << TagConfig.OpgroupBits) - 1;
        for (int field = 0; field < TagConfig.InputTags - 1; field++)
            mixed |= (UInt128)((1u << Math.Min(MixedTagBits, config.TagWidth)) - 1) << (TagConfig.OpgroupBits + field * config.TagWidth);
        mixed &= ((UInt128.One << lookupWidth) - 1) & ~((UInt128.One << bits) - 1);
        for (int b = 0; b < bits; b++)
            masks[b] = (((UInt128)Next() << 64) | Next()) & mixed;
        for (int at = bits; at < lookupWidth; at++)
        {
            if (!Hashed(config, at))
                continue;
            var bit = UInt128.One << at;
            if (masks.All(m => (m & bit) == 0))
                masks[(int)(Next() % (ulong)bits)] |= bit;
        }
        return masks;
    }

    /// <summary>The low bits of each tag that <see cref="SetMasks"/> mixes into about half the set bits.</summary>
    public const int MixedTagBits = 6;

    /// <summary>
    /// The low bits of each tag that the set index reads (<see cref="SetMasks"/>): the identifiers of up to 1,024 sets,
    /// the PEX's interning table by default (<see cref="TagConfig.PexSetIdentifierBits"/>). A tag's bits above are
    /// compared but do not move the set.
    /// </summary>
    public const int HashedTagBits = TagConfig.PexSetIdentifierBits;

    /// <summary>Whether lookup key bit <paramref name="bit"/> takes part in the set index: the opgroup's, and a tag's low <see cref="HashedTagBits"/>.</summary>
    public static bool Hashed(TagConfig config, int bit)
    {
        ArgumentNullException.ThrowIfNull(config);
        return bit < TagConfig.OpgroupBits || (bit - TagConfig.OpgroupBits) % config.TagWidth < HashedTagBits;
    }

    private static uint Parity(UInt128 x) => (uint)(BitOperations.PopCount((ulong)x) + BitOperations.PopCount((ulong)(x >> 64))) & 1;

    /// <summary>The set index of a lookup key (or of the low bits of a full key): see <see cref="SetOf"/>.</summary>
    private Expr SetIndex(Expr key)
    {
        var masks = SetMasks(Config);
        var bits = new Expr[SetBits];
        for (int b = 0; b < SetBits; b++)
        {
            var terms = new List<Expr> { key[b] };
            for (int at = SetBits; at < LookupKeyWidth; at++)
                if (((masks[b] >> at) & 1) != 0)
                    terms.Add(key[at]);
            // A balanced tree of XORs (three inputs and the carried one to a LUT4), not a chain.
            while (terms.Count > 1)
                terms = [.. terms.Chunk(4).Select(c => c.Aggregate((x, y) => x ^ y))];
            bits[b] = terms[0];
        }
        return Cat(bits.Reverse());
    }

    /// <summary>The RAM word address of a set (word 0 for a cache of one set).</summary>
    private Expr Address(Expr? set) => SetBits == 0 ? U(0, 1) : set!;

    protected override void Build()
    {
        int t = TagWidth;
        var readSet = SetBits == 0 ? null : SetIndex(ReadKey).Named("readSet");

        // Flush and reset: clear the valid bits of one set a cycle, in every way.
        var clearing = (Flush | flushing).Named("clearing");
        Flushing.Set(clearing);
        var lastSet = flushSet is null ? (Expr)U(1, 1) : flushSet.Eq(Config.RuleCacheSets - 1);
        When(Flush, () =>
        {
            flushing.Set(1);
            flushSet?.Set(0);
        }).ElseWhen(flushing, () =>
        {
            flushSet?.Set(flushSet + 1);
            When(lastSet, () => flushing.Set(0));
        });
        var install = (InstallValid & ~clearing).Named("install");

        // The set held: each way's word as read, and whether it is valid now (as read, or installed since).
        var reading = (ReadEnable | Reread).Named("reading");
        var addressSet = readSet is null ? null : Mux(Reread, heldSet!, readSet).Named("addressSet");
        var data = new Expr[Ways];
        var setValid = new Expr[Ways];
        for (int w = 0; w < Ways; w++)
        {
            var read = ways[w].ReadPort();
            read.Address.Set(Address(addressSet));
            read.Enable.Set(reading);
            data[w] = read.Data;
            setValid[w] = ((heldReadable[w] & data[w][EntryBits - 1]) | heldWritten[w]).Named($"setValid{w}");
        }

        // Install: the lowest invalid way of the set held, else the round-robin way.
        Expr[] writeWay;
        if (Ways == 1)
            writeWay = [install];
        else
        {
            var wayBits = BitOperations.Log2((uint)Ways);
            Expr firstInvalid = U((ulong)(Ways - 1), wayBits);
            for (int w = Ways - 2; w >= 0; w--)
                firstInvalid = Mux(~setValid[w], U((ulong)w, wayBits), firstInvalid);
            var anyInvalid = (~setValid.Aggregate((a, b) => a & b)).Named("anyInvalid");
            var victim = Mux(anyInvalid, firstInvalid, roundRobin!).Named("victim");
            writeWay = [.. Enumerable.Range(0, Ways).Select(w => (install & victim.Eq(w)).Named($"writeWay{w}"))];
        }
        // An install replaced a valid entry: told (and counted) in the next cycle.
        var evicted = Enumerable.Range(0, Ways).Select(w => writeWay[w] & setValid[w]).Aggregate((a, b) => a | b).Named("evicted");
        var evictedBefore = Reg(1, reset: 0).Named("evictedBefore");
        evictedBefore.Set(evicted);
        Evicted.Set(evictedBefore);
        if (roundRobin is not null)
            When(evicted, () => roundRobin.Set(roundRobin + 1));

        // The key's low bits are not stored: the match key is a key of the set read, so its other bits and the set
        // give them back. A flush writes the valid bit 0 (installs wait until it is done).
        var matchKeyHigh = MatchKey[Config.KeyWidth - 1, SetBits].Named("matchKeyHigh");
        var entry = Cat(~flushing, matchKeyHigh, InstallPcTag, InstallResultTag).Named("installEntry");
        var writeSet = flushSet is null ? null : Mux(flushing, flushSet, heldSet!).Named("writeSet");
        var sameSet = SetBits == 0 ? (Expr)U(1, 1) : Reread | readSet!.Eq(heldSet!);
        var collision = (reading & sameSet).Named("collision");
        if (heldSet is not null)
            When(reading, () => heldSet.Set(addressSet!));
        var hits = new Expr[Ways];
        for (int w = 0; w < Ways; w++)
        {
            var write = ways[w].WritePort();
            write.Address.Set(Address(writeSet));
            write.Data.Set(entry);
            write.Enable.Set(writeWay[w] | flushing);

            int way = w;
            When(clearing, () =>
            {
                heldReadable[way].Set(0);
                heldWritten[way].Set(0);
            }).ElseWhen(reading, () =>
            {
                heldReadable[way].Set(~(collision & writeWay[way]));
                heldWritten[way].Set(collision & writeWay[way]);
            }).ElseWhen(writeWay[w], () => heldWritten[way].Set(1));

            // The valid bit as read and the way's readable bit, and every stored key bit against the match key's; the
            // mem tag (the key's top field) comes late, from tag memory through the caller's choice of tag.
            hits[w] = (Cells
                ? LutCompare.Equal(data[w][EntryBits - 2, 2 * t], matchKeyHigh, [heldReadable[w], data[w][EntryBits - 1]], $"compareWay{w}", late: t)
                : heldReadable[w] & data[w][EntryBits - 1, 2 * t].Eq(Cat(U(1, 1), matchKeyHigh))).Named($"hitWay{w}");
        }

        Hit.Set(hits.Aggregate((a, b) => a | b));
        // The outputs of the hitting way (any way's without a hit): a multiplexer, not an AND-OR of every way. The
        // speculation was wrong where a way beyond way 0 hits with other outputs than way 0's, which is known from
        // the words alone, beside the compare.
        Expr chosen = data[0][2 * t - 1, 0];
        Expr pcWrong = U(0, 1), resultWrong = U(0, 1);
        for (int w = 1; w < Ways; w++)
        {
            chosen = Mux(hits[w], data[w][2 * t - 1, 0], chosen);
            var beyond = (hits[w] & ~hits[0]).Named($"hitBeyondWayZero{w}");
            pcWrong |= beyond & data[0][2 * t - 1, t].Ne(data[w][2 * t - 1, t]);
            resultWrong |= beyond & data[0][t - 1, 0].Ne(data[w][t - 1, 0]);
        }
        var outputs = chosen.Named("hitOutputs");
        PcTagOut.Set(outputs[2 * t - 1, t]);
        ResultTagOut.Set(outputs[t - 1, 0]);
        PcSpeculationWrong.Set(pcWrong);
        ResultSpeculationWrong.Set(resultWrong);
        SpeculativePcTag.Set(data[0][2 * t - 1, t]);
        SpeculativeResultTag.Set(data[0][t - 1, 0]);

        if (Config.Statistics)
        {
            Lookups.Set(Counter(CountLookup, "lookupCount"));
            Hits.Set(Counter(CountHit, "hitCount"));
            Misses.Set(Counter(CountMiss, "missCount"));
            Evictions.Set(Counter(evictedBefore, "evictionCount"));
            MissCycles.Set(Counter(CountMissCycle, "missCycleCount"));
        }
        else
        {
            foreach (var counter in new[] { Lookups, Hits, Misses, Evictions, MissCycles })
                counter.Set(U(0, 32));
        }
    }

    /// <summary>A 32-bit wrapping counter of the cycles <paramref name="pulse"/> is 1.</summary>
    private static Signal Counter(Expr pulse, string name)
    {
        var count = Reg(32, reset: 0).Named(name);
        When(pulse, () => count.Set(count + 1));
        return count;
    }
}
