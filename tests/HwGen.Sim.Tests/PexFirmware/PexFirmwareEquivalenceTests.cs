using HwGen.Designs.Pex;
using HwGen.Designs.Tags;
using HwGen.Firmware;
using HwGen.Firmware.Pex;
using HwGen.Sim.Policy;
using NUnit.Framework;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The PEX firmware generated for a composite, run on the ISS against a model of TAGCTL, answers thousands of random
/// misses and calls exactly as the C# composite does: the decision, the denial's policy and reason, the output tags
/// (so the identifiers, interned in the same order), the call results and their tags, the tags the calls write; and at
/// the end its whole interning table equals the C# interner's.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexFirmwareEquivalenceTests
{
    private const int Misses = 2000;

    /// <summary>The AP's tagged memory in these tests: small, so that calls reach past both of its ends.</summary>
    private static readonly TagConfig s_tags = new(0x8000_0000, 16u << 10);

    public static IEnumerable<string> Specs => [.. PolicyRegistry.Names, "nxd-nwc+ret+heap+cfi+taint"];

    [TestCaseSource(nameof(Specs))]
    public void FirmwareAgreesWithTheCompositeOnRandomMissesAndCalls(string spec)
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
        var composite = Composite.Parse(spec);
        var rng = new Random(spec.Aggregate(0x5EED, (h, c) => unchecked(h * 31 + c)));
        var imageSets = RandomSets(rng, 60);
        var image = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, imageSets, s_tags, new PexFirmwareOptions { CacheDirectory = TestCache });
        var pex = new PexOnIss(image);
        var reference = new ReferencePex(composite, imageSets, s_tags);

        pex.Start();
        var expectedTables = Enum.GetValues<Opgroup>().Select(o => ("CARE", ((uint)o << 8) | (uint)composite.CareMask(o)))
            .Append(("DEVICE_TAG", (uint)reference.DeviceTag));
        Assert.That(pex.Device.TableWrites, Is.EqualTo(expectedTables), "the start-up's table writes: care masks, device tag");

        ulong instructions = 0;
        var reasonsSeen = new HashSet<uint>();
        int allowed = 0, calls = 0;
        for (int i = 0; i < Misses; i++)
        {
            if (rng.Next(10) == 0)
            {
                var call = RandomCall(rng, reference);
                var expectedCall = reference.Call(call);
                Assert.That(pex.Serve(call), Is.EqualTo(expectedCall), $"{spec}: call {i}: {call}");
                calls++;
            }
            var miss = RandomMiss(rng, composite, reference);
            var expected = reference.Resolve(miss);
            var (actual, cost) = pex.Serve(miss);
            instructions += cost;
            if (expected.Resolve == PexMemoryMap.ResolveAllow)
            {
                Assert.That(actual, Is.EqualTo(expected), $"{spec}: miss {i}: {miss} (allowed)");
                allowed++;
            }
            else
            {
                Assert.That((actual.Resolve, actual.DenyInfo), Is.EqualTo((expected.Resolve, expected.DenyInfo)), $"{spec}: miss {i}: {miss} (denied)");
                reasonsSeen.Add(expected.DenyInfo);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(pex.InternedSets(), Is.EqualTo(reference.Interner.Sets), "the interning table, tag by tag");
            Assert.That(pex.Device.TagMemory, Is.EquivalentTo(reference.TagMemory), "the tags the calls wrote");
            Assert.That(allowed, Is.GreaterThan(Misses / 10), "allowed misses");
            var everyReason = composite.Policies.SelectMany((p, i) => p.Reasons.Select((_, r) => ((uint)composite.Indices[i] << 16) | (uint)(r + 1)));
            Assert.That(reasonsSeen, Is.EquivalentTo(everyReason), "every reason of every policy was given at least once");
        });
        TestContext.Progress.WriteLine(
            $"PEX firmware {spec}: {(double)instructions / Misses:F1} instructions per miss (mean of {Misses}, {allowed} allowed), {calls} calls, {reference.Interner.Count} tags");
    }

    /// <summary>The builds of these tests, kept apart from the user's cache and deleted after.</summary>
    internal static string TestCache { get; } = Path.Combine(Path.GetTempPath(), "hwgen-pex-firmware-tests-" + Environment.ProcessId);

    [OneTimeTearDown]
    public void DeleteCache()
    {
        if (Directory.Exists(TestCache))
            Directory.Delete(TestCache, recursive: true);
    }

    /// <summary>
    /// Distinct non-empty sets of random atoms: flags (Code on every other set, as most instruction tags have it) and
    /// slots drawn from small values and the freed region.
    /// </summary>
    internal static IReadOnlyList<MetaSet> RandomSets(Random rng, int count)
    {
        var sets = new List<MetaSet>();
        ushort[] values = [1, 2, 3, Heap.Freed];
        while (sets.Count < count)
        {
            var set = MetaSet.Empty;
            foreach (var flag in Enum.GetValues<Flag>())
            {
                if (rng.Next(flag == Flag.Code ? 2 : 4) == 0)
                    set = set.With(flag);
            }
            foreach (var slot in Enum.GetValues<Slot>())
            {
                if (rng.Next(3) == 0)
                    set = set.With(slot, values[rng.Next(values.Length)]);
            }
            if (!set.IsEmpty && !sets.Contains(set))
                sets.Add(set);
        }
        return sets;
    }

    /// <summary>A miss on a random opgroup, its cared-for fields random tags in use (recent ones more often), the others 0.</summary>
    private static MissInput RandomMiss(Random rng, Composite composite, ReferencePex reference)
    {
        var opgroup = (Opgroup)rng.Next(Opgroups.Count);
        int care = composite.CareMask(opgroup);
        uint Field(TagField field) => (care & (1 << (int)field)) == 0 ? 0 : RandomTag(rng, reference);
        return new MissInput((int)opgroup, Field(TagField.Pc), Field(TagField.Ci), Field(TagField.Rs1), Field(TagField.Rs2), Field(TagField.Mem),
            Pc: 0x8000_0000u + (uint)rng.Next(1 << 12) * 4, Insn: (uint)rng.Next(), Address: (uint)rng.Next());
    }

    /// <summary>A call with a random op (the three and unknown ones), caller and block, the block sometimes across an end of tagged memory.</summary>
    private static CallInput RandomCall(Random rng, ReferencePex reference)
    {
        uint op = (uint)rng.Next(5);
        uint @base = (uint)(s_tags.TaggedBase + rng.Next(-64, (int)s_tags.TaggedSize + 64)) & ~(rng.Next(2) == 0 ? 3u : 0u);
        uint size = (uint)rng.Next(0, 96);
        return new CallInput(op, @base, size, RandomTag(rng, reference));
    }

    private static uint RandomTag(Random rng, ReferencePex reference)
    {
        int count = reference.Interner.Count + 1;
        return rng.Next(3) switch
        {
            0 => 0,
            1 => (uint)Math.Max(0, count - 1 - rng.Next(Math.Min(count, 12))),
            _ => (uint)rng.Next(count),
        };
    }
}
