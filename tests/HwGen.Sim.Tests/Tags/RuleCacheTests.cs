using HwGen.Designs.Tags;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The rule cache in Verilator: lookups, installs, the full-key compare, replacement, flush and statistics, directed
/// and against <see cref="RuleCacheModel"/> with random operations, for 1, 2 and 4 ways of 1, 4 and 64 entries, and the board's 256 in one way.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RuleCacheTests
{
    /// <summary>The geometries tested: (entries, ways).</summary>
    private static readonly (int Entries, int Ways)[] s_geometries = [(1, 1), (4, 1), (4, 2), (4, 4), (64, 1), (64, 2), (64, 4), (256, 1)];

    private static IEnumerable<TestCaseData> Geometries() =>
        s_geometries.Select(g => new TestCaseData(g.Entries, g.Ways).SetArgDisplayNames($"{g.Entries}x{g.Ways}"));

    internal static TagConfig Config(int entries, int ways, int tagWidth = 16, bool statistics = true) =>
        new(0x8000_0000, 0x2_0000) { RuleCacheEntries = entries, RuleCacheWays = ways, TagWidth = tagWidth, Statistics = statistics };

    private static UInt128 Key(TagConfig c, int opgroup, uint pc, uint ci, uint rs1, uint rs2, uint mem) =>
        RuleCache.Key(c, opgroup, pc, ci, rs1, rs2, mem);

    [TestCaseSource(nameof(Geometries))]
    public void AMissInstalledHitsInTheNextCycle(int entries, int ways)
    {
        var c = Config(entries, ways);
        using var rc = new RuleCacheBench(c);
        var k = Key(c, (int)Opgroup.Store, 0x1234, 0x0042, 0x8001, 0x00FF, 0x7777);
        Assert.That(rc.Lookup(k).Hit, Is.False, "an empty cache misses");
        Assert.That(rc.Install(k, 0xABCD, 0x5A5A), Is.False, "an empty set has an invalid way");
        Assert.That(rc.Lookup(k), Is.EqualTo((true, 0xABCDu, 0x5A5Au)), "the read right after the install");

        // The set read holds while ReadEnable is 0, whatever ReadKey says.
        rc.Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = k });
        for (int i = 0; i < 5; i++)
        {
            var o = rc.Cycle(new RuleCacheInputs { ReadKey = ~k, MatchKey = k });
            Assert.That((o.Hit, o.PcTag, o.ResultTag), Is.EqualTo((true, 0xABCDu, 0x5A5Au)), $"held, cycle {i}");
            if (ways == 1)
                Assert.That((o.SpeculativePcTag, o.SpeculativeResultTag), Is.EqualTo(((uint?)0xABCD, (uint?)0x5A5A)), "one way: the speculative outputs are the hit's");
        }

        // An install into the set held is not in the words read; a re-read of the set brings it, whatever ReadKey says.
        // (k3 differs from k in its mem tag only: the same set, the one held.)
        var k3 = Key(c, (int)Opgroup.Store, 0x1234, 0x0042, 0x8001, 0x00FF, 0x0003);
        rc.Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = k });
        Assert.That(rc.Cycle(new RuleCacheInputs { MatchKey = k3 }).Hit, Is.False, "k3 is not in the cache");
        rc.Cycle(new RuleCacheInputs { InstallValid = true, MatchKey = k3, InstallPcTag = 0x33, InstallResultTag = 0x44 });
        Assert.That(rc.Cycle(new RuleCacheInputs { MatchKey = k3 }).Hit, Is.False, "installed, not yet read");
        rc.Cycle(new RuleCacheInputs { Reread = true, ReadEnable = true, ReadKey = ~k, MatchKey = k3 });
        var again = rc.Cycle(new RuleCacheInputs { MatchKey = k3, ReadKey = ~k });
        Assert.That((again.Hit, again.PcTag, again.ResultTag), Is.EqualTo((true, 0x33u, 0x44u)), "the set read again holds the install");
        rc.Flush();
        rc.Install(k, 0xABCD, 0x5A5A);

        // An install into the set read in the same cycle is not seen by that read; the next read sees it. (k2 differs
        // from k in its mem tag only: the same set, the one held.)
        var k2 = Key(c, (int)Opgroup.Store, 0x1234, 0x0042, 0x8001, 0x00FF, 0x0001);
        rc.Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = k2, InstallValid = true, MatchKey = k2, InstallPcTag = 1, InstallResultTag = 2 });
        Assert.That(rc.Cycle(new RuleCacheInputs { MatchKey = k2 }).Hit, Is.False, "installed in the cycle of the read");
        Assert.That(rc.Lookup(k2), Is.EqualTo((true, 1u, 2u)));
        if (ways > 1)
            Assert.That(rc.Lookup(k), Is.EqualTo((true, 0xABCDu, 0x5A5Au)), "k2 took the other way of the set, not k's");
    }

    [TestCase(64, 1)]
    [TestCase(64, 2)]
    [TestCase(4, 4)]
    [TestCase(1, 1)]
    public void EveryKeyBitIsCompared(int entries, int ways)
    {
        var c = Config(entries, ways);
        using var rc = new RuleCacheBench(c);
        var k = Key(c, (int)Opgroup.Alu, 0x0F0F, 0x3C3C, 0x5555, 0xAAAA, 0x9669);
        rc.Install(k, 0x1111, 0x2222);
        for (int bit = 0; bit < c.KeyWidth; bit++)
        {
            var other = SameSetNeighbour(c, k, bit);
            Assert.That((other >> bit) & 1, Is.Not.EqualTo((k >> bit) & 1), $"bit {bit} differs");
            Assert.That(RuleCache.SetOf(c, other), Is.EqualTo(RuleCache.SetOf(c, k)), $"bit {bit}: the same set");
            Assert.That(rc.Lookup(other).Hit, Is.False, $"a key that differs in bit {bit} ({Field(c, bit)}) hits");
        }
        Assert.That(rc.Lookup(k), Is.EqualTo((true, 0x1111u, 0x2222u)));

        // Matched against the set of k, held: a key of that set that differs in any one bit (and the set bits it
        // moves) misses.
        rc.Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = k });
        for (int bit = 0; bit < c.KeyWidth; bit++)
            Assert.That(rc.Cycle(new RuleCacheInputs { MatchKey = SameSetNeighbour(c, k, bit) }).Hit, Is.False, $"bit {bit} ({Field(c, bit)}) against the set held");
        Assert.That(rc.Cycle(new RuleCacheInputs { MatchKey = k }).Hit, Is.True);
    }

    /// <summary>
    /// A key of <paramref name="key"/>'s set that differs from it in <paramref name="bit"/>: a mem tag bit alone; a key
    /// bit above the set index's own bits with the set bits it moves flipped back; one of those own bits with a higher
    /// bit that moves that set bit, and the other set bits flipped back.
    /// </summary>
    internal static UInt128 SameSetNeighbour(TagConfig c, UInt128 key, int bit)
    {
        int setBits = System.Numerics.BitOperations.Log2((uint)c.RuleCacheSets), lookupWidth = c.KeyWidth - c.TagWidth;
        int set = RuleCache.SetOf(c, key);
        var other = key ^ (UInt128.One << bit);
        if (bit >= lookupWidth || setBits == 0)
            return other;
        if (bit < setBits)
        {
            int partner = Enumerable.Range(setBits, lookupWidth - setBits)
                .First(h => ((RuleCache.SetOf(c, other ^ (UInt128.One << h)) ^ set) >> bit & 1) == 0);
            other ^= UInt128.One << partner;
        }
        other ^= (UInt128)(uint)(RuleCache.SetOf(c, other) ^ set);
        return other;
    }

    private static string Field(TagConfig c, int bit) =>
        bit < TagConfig.OpgroupBits ? "opgroup" : ((TagField)((bit - TagConfig.OpgroupBits) / c.TagWidth)).ToString() + " tag";

    [Test]
    public void EveryHashedLookupKeyBitMovesTheSetAndTheMemTagAndHighTagBitsDoNot()
    {
        var c = Config(64, 1);
        using var rc = new RuleCacheBench(c);
        Assert.That(Enumerable.Range(0, rc.Dut.LookupKeyWidth).Count(b => !RuleCache.Hashed(c, b)),
            Is.EqualTo((TagConfig.InputTags - 1) * (c.TagWidth - RuleCache.HashedTagBits)), "the bits of the four lookup tags above the hashed ones");
        var k = Key(c, (int)Opgroup.Jal, 0x0001, 0x0203, 0x0405, 0x0607, 0x0809);
        for (int bit = 0; bit < c.KeyWidth; bit++)
        {
            rc.Flush();
            rc.Install(k, 1, 1);
            bool sameSet = bit >= rc.Dut.LookupKeyWidth || !RuleCache.Hashed(c, bit);
            Assert.That(rc.Install(k ^ (UInt128.One << bit), 2, 2), Is.EqualTo(sameSet),
                $"bit {bit} ({Field(c, bit)}): one way, so a key of the same set evicts");
            Assert.That(RuleCache.SetOf(c, k ^ (UInt128.One << bit)) == RuleCache.SetOf(c, k), Is.EqualTo(sameSet));
        }
    }

    /// <summary>
    /// Tags are small identifiers, and one identifier often stands in two fields of a key (a PC tag that carries the
    /// instruction tag's function, a value combined with itself): such keys spread over the sets, no set with more than
    /// twice its share and none empty. (An XOR of the key's 6-bit chunks puts the PC and rs2 tags' low bits on the same
    /// set bits, so every key with the two equal falls into the sets of its opgroup alone.)
    /// </summary>
    [TestCase(64, 1)]
    [TestCase(64, 2)]
    [TestCase(256, 4)]
    public void SmallIdentifiersSpreadOverTheSets(int entries, int ways)
    {
        var c = Config(entries, ways);
        var load = new int[c.RuleCacheSets];
        int keys = 0;
        foreach (int opgroup in new[] { (int)Opgroup.Alu, (int)Opgroup.Load, (int)Opgroup.Store, (int)Opgroup.Branch, (int)Opgroup.Jal, (int)Opgroup.Return })
            foreach (var (first, second) in new[] { (0, 1), (0, 3), (1, 2), (2, 3), (1, 3), (0, 2) })
                for (uint tag = 1; tag <= 32; tag++)
                {
                    var fields = new uint[4];
                    fields[first] = fields[second] = tag;
                    load[RuleCache.SetOf(c, Key(c, opgroup, fields[0], fields[1], fields[2], fields[3], 0))]++;
                    keys++;
                }
        double share = (double)keys / c.RuleCacheSets;
        Assert.That(load.Max(), Is.LessThanOrEqualTo(2 * share), $"the fullest set of {string.Join(",", load)}");
        Assert.That(load.Min(), Is.GreaterThan(0), "an empty set");
    }

    [Test]
    public void TheSetIndexIsTheKeysLowBitsAndTheMasksParities()
    {
        var c = Config(64, 2);
        var masks = RuleCache.SetMasks(c);
        Assert.That(masks, Has.Count.EqualTo(5));
        int lookupWidth = c.KeyWidth - c.TagWidth;
        var high = ((UInt128.One << lookupWidth) - 1) & ~(UInt128)31;
        for (int at = 5; at < lookupWidth; at++)
            if (!RuleCache.Hashed(c, at))
                high &= ~(UInt128.One << at);
        Assert.That(masks.Aggregate((a, b) => a | b), Is.EqualTo(high),
            "every hashed bit above the set's own bits in a mask, none below, above a tag's hashed bits or in the mem tag");
        Assert.That(RuleCache.SetOf(c, 0), Is.Zero);
        for (int b = 0; b < 5; b++)
            Assert.That(RuleCache.SetOf(c, UInt128.One << b), Is.EqualTo(1 << b), $"key bit {b} is set bit {b}");
        for (int at = 5; at < lookupWidth; at++)
        {
            int expected = Enumerable.Range(0, 5).Sum(b => ((masks[b] >> at) & 1) != 0 ? 1 << b : 0);
            Assert.That(RuleCache.SetOf(c, UInt128.One << at), Is.EqualTo(expected), $"key bit {at}");
        }
        Assert.That(RuleCache.SetMasks(Config(1, 1)), Is.Empty);
    }

    [Test]
    public void AFullSetEvictsRoundRobinAndCountsIt()
    {
        var c = Config(4, 4);
        using var rc = new RuleCacheBench(c);
        var keys = Enumerable.Range(0, 7).Select(i => Key(c, i, (uint)i * 3, 7, 0, 0, (uint)i)).ToArray();
        for (int i = 0; i < 4; i++)
            Assert.That(rc.Install(keys[i], (uint)i, (uint)i), Is.False, $"key {i} fills an invalid way");
        Assert.That(rc.Install(keys[4], 4, 4), Is.True, "the fifth replaces a valid entry");
        Assert.That(rc.Lookup(keys[0]).Hit, Is.False, "way 0 went first");
        Assert.That(rc.Install(keys[5], 5, 5), Is.True);
        Assert.That(rc.Lookup(keys[1]).Hit, Is.False, "then way 1");
        foreach (int i in new[] { 2, 3, 4, 5 })
            Assert.That(rc.Lookup(keys[i]), Is.EqualTo((true, (uint)i, (uint)i)), $"key {i}");
        Assert.That(rc.Peek(rc.Dut.Evictions), Is.EqualTo(2));

        // After a flush every way is invalid again: the lowest is filled first, no eviction.
        rc.Flush();
        Assert.That(rc.Install(keys[6], 6, 6), Is.False);
        Assert.That(rc.Lookup(keys[6]).Hit, Is.True);
        Assert.That(rc.Peek(rc.Dut.Evictions), Is.EqualTo(2));
    }

    [TestCase(64, 2)]
    [TestCase(1, 1)]
    public void AFlushInvalidatesEveryEntryAndTheSetHeld(int entries, int ways)
    {
        var c = Config(entries, ways);
        using var rc = new RuleCacheBench(c);
        var keys = Enumerable.Range(0, 3).Select(i => Key(c, i, (uint)i + 1, 0, 0, 0, 0)).ToArray();
        rc.Install(keys[0], 1, 1);
        rc.Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = keys[0] });
        Assert.That(rc.Cycle(new RuleCacheInputs { MatchKey = keys[0] }).Hit, Is.True);
        Assert.That(rc.Cycle(new RuleCacheInputs { Flush = true, MatchKey = keys[0] }).Flushing, Is.True);
        Assert.That(rc.Cycle(new RuleCacheInputs { MatchKey = keys[0] }).Hit, Is.False, "the set held is flushed too");
        Assert.That(rc.Lookup(keys[0]).Hit, Is.False, "a lookup while the flush goes on");

        // An install in the cycle of a flush, or while it goes on, is dropped; a lookup then misses.
        rc.Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = keys[1] });
        rc.Cycle(new RuleCacheInputs { Flush = true, InstallValid = true, MatchKey = keys[1], InstallPcTag = 9, InstallResultTag = 9 });
        Assert.That(rc.Lookup(keys[1]).Hit, Is.False);
        if (c.RuleCacheSets > 4)
        {
            rc.Install(keys[1], 9, 9);
            Assert.That(rc.Lookup(keys[1]).Hit, Is.False, "installed while the flush went on");
        }
        rc.Flush();
        Assert.That(rc.Lookup(keys[1]).Hit, Is.False);
        rc.Install(keys[2], 3, 4);
        Assert.That(rc.Lookup(keys[2]), Is.EqualTo((true, 3u, 4u)));
    }

    /// <summary>
    /// The way an install takes counts the installs into the set held since its read: two misses installed one after
    /// the other without a read between fill both ways, not one twice (which would lose the first rule unseen, with no
    /// eviction counted).
    /// </summary>
    [Test]
    public void InstallsIntoTheSetHeldTakeItsInvalidWaysInTurn()
    {
        var c = Config(64, 2);
        using var rc = new RuleCacheBench(c);
        Assert.That(rc.ResetCycles, Is.EqualTo(c.RuleCacheSets), "reset clears a set a cycle");
        var a = Key(c, (int)Opgroup.Load, 3, 4, 5, 0, 1);
        var b = a ^ (UInt128.One << (c.KeyWidth - 1));
        var d = a ^ (UInt128.One << (c.KeyWidth - 2));
        rc.Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = a });
        rc.Cycle(new RuleCacheInputs { InstallValid = true, MatchKey = a, InstallPcTag = 1, InstallResultTag = 1 });
        Assert.That(rc.Cycle(new RuleCacheInputs { InstallValid = true, MatchKey = b, InstallPcTag = 2, InstallResultTag = 2 }).Evicted, Is.False);
        Assert.That(rc.Cycle(new RuleCacheInputs()).Evicted, Is.False, "the second install took the other invalid way");
        Assert.That(rc.Lookup(a), Is.EqualTo((true, 1u, 1u)));
        Assert.That(rc.Lookup(b), Is.EqualTo((true, 2u, 2u)));
        // A third, with the set held full: round-robin from way 0, counted.
        Assert.That(rc.Install(d, 3, 3), Is.True);
        Assert.That(rc.Lookup(a).Hit, Is.False, "way 0 replaced");
        Assert.That(rc.Lookup(d), Is.EqualTo((true, 3u, 3u)));
        Assert.That(rc.Lookup(b), Is.EqualTo((true, 2u, 2u)));
    }

    /// <summary>
    /// A flush clears every set, the last one too, in one cycle a set, and not the entries installed after it: every
    /// set filled, flushed, then each key misses; filled again, each key hits.
    /// </summary>
    [TestCase(64, 2)]
    [TestCase(8, 1)]
    [TestCase(4, 4)]
    public void AFlushClearsEverySetOnceAndTakesACycleASet(int entries, int ways)
    {
        var c = Config(entries, ways);
        using var rc = new RuleCacheBench(c);
        // One key per way of every set: ways keys of each set, found by searching small identifiers.
        var keys = new List<UInt128>();
        var perSet = new int[c.RuleCacheSets];
        for (uint tag = 1; keys.Count < entries; tag++)
        {
            var k = Key(c, (int)Opgroup.Alu, tag, 0, 0, 0, 0);
            int set = RuleCache.SetOf(c, k);
            if (perSet[set] < ways)
            {
                perSet[set]++;
                keys.Add(k);
            }
        }
        for (int round = 0; round < 2; round++)
        {
            foreach (var k in keys)
                Assert.That(rc.Install(k, (uint)(k >> 4) & 0xFFFF, 7), Is.False, $"round {round}: an invalid way for every key");
            foreach (var k in keys)
                Assert.That(rc.Lookup(k).Hit, Is.True, $"round {round}: installed");
            Assert.That(rc.Flush(), Is.EqualTo(c.RuleCacheSets + 1), "the flush's cycle and one a set");
            foreach (var k in keys)
                Assert.That(rc.Lookup(k).Hit, Is.False, $"round {round}: set {RuleCache.SetOf(c, k)} flushed");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void StatisticsCountThePulsesAndTheEvictions(bool statistics)
    {
        var c = Config(4, 2, statistics: statistics);
        using var rc = new RuleCacheBench(c);
        var model = new RuleCacheModel(c);
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            var input = new RuleCacheInputs
            {
                CountLookup = random.Next(2) == 0,
                CountHit = random.Next(3) == 0,
                CountMiss = random.Next(4) == 0,
                CountMissCycle = random.Next(5) == 0,
                ReadEnable = random.Next(2) == 0,
                ReadKey = (UInt128)(uint)random.Next(64),
                InstallValid = random.Next(3) == 0,
            };
            rc.Cycle(input);
            model.Cycle(input);
        }
        var d = rc.Dut;
        var counts = new[] { d.Lookups, d.Hits, d.Misses, d.Evictions, d.MissCycles }.Select(rc.Peek).ToArray();
        Assert.That(counts, Is.EqualTo(new ulong[] { model.Lookups, model.Hits, model.Misses, model.Evictions, model.MissCycles }));
        if (statistics)
            Assert.That(counts, Has.All.GreaterThan(10UL), "every counter counted");
        else
            Assert.That(counts, Has.All.Zero);
    }

    [TestCase(64, 1)]
    [TestCase(64, 2)]
    [TestCase(4, 4)]
    public void ThrashingMoreLiveRulesThanEntriesStillGivesTheRightOutputs(int entries, int ways)
    {
        var c = Config(entries, ways);
        using var rc = new RuleCacheBench(c);
        var random = new Random(entries * 10 + ways);
        var live = Enumerable.Range(0, entries * 3 + 5)
            .Select(i => Key(c, i % 11, (uint)random.Next(1 << 16), (uint)random.Next(8), (uint)i, 0, (uint)random.Next(4)))
            .Distinct().ToArray();
        static (uint, uint) Rule(UInt128 key) => ((uint)(key % 65521), (uint)((key >> 7) % 65519));
        int hits = 0, misses = 0;
        for (int round = 0; round < 6; round++)
        {
            foreach (var key in round % 2 == 0 ? live : live.Reverse())
            {
                var (hit, pc, result) = rc.Lookup(key);
                if (hit)
                {
                    hits++;
                    Assert.That((pc, result), Is.EqualTo(Rule(key)), $"round {round}: a hit's outputs");
                }
                else
                {
                    misses++;
                    var (p, r) = Rule(key);
                    rc.Install(key, p, r);
                }
            }
        }
        Assert.That(misses, Is.GreaterThan(live.Length), "more live rules than entries keep missing");
        Assert.That(hits, Is.GreaterThan(0));
    }

    [TestCaseSource(nameof(Geometries))]
    public void MatchesTheReferenceModelOnRandomOperations(int entries, int ways) =>
        RunRandom(Config(entries, ways, tagWidth: 3), cycles: 6000, seed: entries * 8 + ways);

    [Test]
    public void MatchesTheReferenceModelWithSixteenBitTags() =>
        RunRandom(Config(64, 2), cycles: 6000, seed: 99);

    /// <summary>
    /// Random lookups (a read, then matches while it holds), installs and flushes over a small pool of keys, so sets
    /// collide, keys repeat and reads meet installs into their set; every output compared with the model's.
    /// </summary>
    private static void RunRandom(TagConfig c, int cycles, int seed)
    {
        using var rc = new RuleCacheBench(c);
        var model = new RuleCacheModel(c);
        var random = new Random(seed);
        uint tagMask = (1u << c.TagWidth) - 1;
        UInt128 NewKey() => Key(c, random.Next(16), (uint)random.Next() & tagMask, (uint)random.Next() & tagMask,
            (uint)random.Next() & tagMask, (uint)random.Next() & tagMask, (uint)random.Next() & tagMask);
        var pool = Enumerable.Range(0, c.RuleCacheEntries * 2 + 3).Select(_ => NewKey()).ToList();
        // Neighbours: keys that differ from a pool key in the mem tag only (same set), to be told apart by the compare.
        pool.AddRange(pool.Take(4).Select(k => k ^ ((UInt128)1 << (c.KeyWidth - 1))).ToList());
        UInt128 held = 0;
        int hits = 0, evictions = 0, collisions = 0, rereads = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            bool read = random.Next(3) == 0;
            // Now and then the set held read again (over a read), to see the installs into it since.
            bool reread = random.Next(6) == 0;
            // Now and then a read of the set held (another key of it), to meet the installs into that set.
            var readKey = random.Next(8) == 0 ? SameSetNeighbour(c, held, random.Next(c.KeyWidth)) : pool[random.Next(pool.Count)];
            bool install = random.Next(4) == 0;
            // The key matched and installed is one of the set held: mostly the one read, else another of its set.
            var matchKey = random.Next(4) == 0 ? SameSetNeighbour(c, held, random.Next(c.KeyWidth)) : held;
            var input = new RuleCacheInputs
            {
                ReadEnable = read,
                Reread = reread,
                ReadKey = readKey,
                MatchKey = matchKey,
                InstallValid = install,
                InstallPcTag = (uint)random.Next() & tagMask,
                InstallResultTag = (uint)random.Next() & tagMask,
                Flush = random.Next(400) == 0,
                CountLookup = read,
                CountHit = random.Next(2) == 0,
            };
            collisions += (reread || read && RuleCache.SetOf(c, readKey) == RuleCache.SetOf(c, held)) && install ? 1 : 0;
            rereads += reread && !read ? 1 : 0;
            if (read && !reread)
                held = readKey;
            var expected = model.Cycle(input);
            var actual = rc.Cycle(input);
            string where = $"cycle {cycle} of {c.RuleCacheEntries}x{c.RuleCacheWays}";
            Assert.That(actual.Hit, Is.EqualTo(expected.Hit), $"{where}: Hit");
            if (expected.Hit)
                Assert.That((actual.PcTag, actual.ResultTag), Is.EqualTo((expected.PcTag, expected.ResultTag)), $"{where}: the hit's outputs");
            Assert.That(actual.Evicted, Is.EqualTo(expected.Evicted), $"{where}: Evicted");
            Assert.That(actual.Flushing, Is.EqualTo(expected.Flushing), $"{where}: Flushing");
            if (expected.SpeculativePcTag is not null)
                Assert.That((actual.SpeculativePcTag, actual.SpeculativeResultTag), Is.EqualTo((expected.SpeculativePcTag, expected.SpeculativeResultTag)), $"{where}: way 0 as read");
            hits += expected.Hit ? 1 : 0;
            evictions += expected.Evicted ? 1 : 0;
        }
        var d = rc.Dut;
        Assert.That(new[] { d.Lookups, d.Hits, d.Evictions }.Select(rc.Peek),
            Is.EqualTo(new ulong[] { model.Lookups, model.Hits, model.Evictions }));
        Assert.That(hits, Is.GreaterThan(cycles / 50), "the sequence hits often enough to test the outputs");
        Assert.That(evictions, Is.GreaterThan(10), "and evicts");
        Assert.That(collisions, Is.GreaterThan(10), "and installs into the set being read");
        Assert.That(rereads, Is.GreaterThan(10), "and reads the set held again");
    }
}
