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
    internal const int Misses = 2000;

    /// <summary>The AP's tagged memory in these tests: small, so that calls reach past both of its ends.</summary>
    internal static readonly TagConfig s_tags = new(0x8000_0000, 16u << 10);

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
        var run = RandomRun(new PexOnIss(image), composite, imageSets, rng, Misses);

        Assert.Multiple(() =>
        {
            Assert.That(run.Mismatch, Is.Null);
            Assert.That(run.Allowed, Is.GreaterThan(Misses / 10), "allowed misses");
            var everyReason = composite.Policies.SelectMany((p, i) => p.Reasons.Select((_, r) => ((uint)composite.Indices[i] << 16) | (uint)(r + 1)));
            Assert.That(run.Reasons, Is.EquivalentTo(everyReason), "every reason of every policy was given at least once");
        });
        TestContext.Progress.WriteLine(
            $"PEX firmware {spec}: {run.CostPerMiss:F1} instructions per miss (mean of {Misses}, {run.Allowed} allowed), {run.Calls} calls, {run.Tags} tags");
    }

    /// <summary>
    /// The PEX's table writes at start-up: every entry of <paramref name="table"/> in order, with its opgroup's care mask
    /// under <paramref name="composite"/> (OPGROUP's word), then the device tag.
    /// </summary>
    internal static (string, uint)[] ExpectedTableWrites(Composite composite, IReadOnlyList<byte> table, uint deviceTag) =>
        [.. Enumerable.Range(0, Opgroups.TableSize).Select(i => ("OPGROUP",
                (uint)composite.CareMask((Opgroup)table[i]) << PexMemoryMap.OpgroupCareShift | (uint)i << TagConfig.OpgroupBits | table[i])),
            ("DEVICE_TAG", deviceTag)];

    /// <summary>What <see cref="RandomRun"/> saw: the first difference from the reference (null: none), and counts.</summary>
    internal sealed record RunResult(string? Mismatch, int Allowed, int Calls, IReadOnlySet<uint> Reasons, double CostPerMiss, int Tags);

    /// <summary>
    /// Runs <paramref name="pex"/> for <paramref name="misses"/> misses with random calls among them, and compares
    /// every answer, then the interning table and the tags the calls wrote, with <see cref="ReferencePex"/>. The first
    /// misses are one per opgroup with every input tag 0, the last opgroup first (so that a call's PC and result outputs
    /// are both new at once, before a jal interns the result alone); the others are random.
    /// </summary>
    internal static RunResult RandomRun(IPexUnderTest pex, Composite composite, IReadOnlyList<MetaSet> imageSets, Random rng, int misses)
    {
        var reference = new ReferencePex(composite, imageSets, s_tags);
        RunResult Result(string? mismatch, int allowed, int calls, HashSet<uint> reasons, ulong instructions) =>
            new(mismatch, allowed, calls, reasons, (double)instructions / misses, reference.Interner.Count);

        pex.Start();
        var expectedTables = ExpectedTableWrites(composite, Opgroups.DefaultTable, (uint)reference.DeviceTag);
        if (!pex.TableWrites.SequenceEqual(expectedTables))
            return Result($"start-up: table writes {string.Join(", ", pex.TableWrites)}, expected {string.Join(", ", expectedTables)}", 0, 0, [], 0);

        ulong instructions = 0;
        var reasons = new HashSet<uint>();
        int allowed = 0, calls = 0;
        for (int i = 0; i < misses; i++)
        {
            if (rng.Next(10) == 0)
            {
                var call = RandomCall(rng, reference);
                var expectedCall = reference.Call(call);
                var actualCall = pex.Serve(call);
                if (actualCall != expectedCall)
                    return Result($"call {calls}: {call}: the firmware answered {actualCall}, the reference {expectedCall}", allowed, calls, reasons, instructions);
                calls++;
            }
            var miss = i < Opgroups.Count ? new MissInput(Opgroups.Count - 1 - i, 0, 0, 0, 0, 0) : RandomMiss(rng, composite, reference);
            var expected = reference.Resolve(miss);
            var (actual, cost) = pex.Serve(miss);
            instructions += cost;
            bool same = expected.Allow
                ? actual == expected
                : (actual.Allow, actual.DenyInfo) == (expected.Allow, expected.DenyInfo);
            if (!same)
                return Result($"miss {i}: {miss}: the firmware answered {actual}, the reference {expected}", allowed, calls, reasons, instructions);
            if (expected.Allow)
                allowed++;
            else
                reasons.Add(expected.DenyInfo);
        }
        var sets = pex.InternedSets();
        if (!sets.SequenceEqual(reference.Interner.Sets))
            return Result($"the interning tables differ: the firmware's has {sets.Count} sets, the reference's {reference.Interner.Count}", allowed, calls, reasons, instructions);
        if (pex.TagMemory.Count != reference.TagMemory.Count || pex.TagMemory.Except(reference.TagMemory).Any())
            return Result("the tags the calls wrote differ", allowed, calls, reasons, instructions);
        return Result(null, allowed, calls, reasons, instructions);
    }

    /// <summary>The firmware builds of the tests of this folder, kept apart from the user's cache (deleted by <see cref="PexFirmwareBuildsCleanup"/>).</summary>
    internal static string TestCache { get; } = Path.Combine(Path.GetTempPath(), "hwgen-pex-firmware-tests-" + Environment.ProcessId);

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

/// <summary>Deletes the firmware builds, and the unikernel images the program tests built, once the tests of this folder are done.</summary>
[SetUpFixture]
public sealed class PexFirmwareBuildsCleanup
{
    [OneTimeTearDown]
    public void DeleteBuilds()
    {
        if (Directory.Exists(PexFirmwareEquivalenceTests.TestCache))
            Directory.Delete(PexFirmwareEquivalenceTests.TestCache, recursive: true);
        Firmware.UnikernelTestSupport.DeleteBuilds();
    }
}
