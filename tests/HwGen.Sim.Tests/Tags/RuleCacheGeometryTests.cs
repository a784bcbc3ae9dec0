using System.Globalization;
using HwGen.Designs.Tags;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Policy;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The rule cache's geometry changes nothing architectural: the same programs (the policy programs and a program
/// that thrashes the cache under the full composite; random ones without the timer under the policies that deny none
/// of their instructions) give the same retirement trace, tags and denials included, with caches of 1 entry, 4
/// entries in 4 ways, 64 in 1 or 2 ways and 256 in 4 ways; only the cycle counts and the statistics differ. Every run
/// is in lockstep with the golden model too.
/// </summary>
/// <remarks>
/// A random program that a policy denies computes wild addresses from the registers the denied instructions did not
/// write; its loads from the timer then read a time that depends on the cycle count, so its path may rightly differ
/// between geometries. Under <see cref="RandomSpec"/> it is denied nothing, which the test checks.
/// </remarks>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RuleCacheGeometryTests
{
    private static readonly (int Entries, int Ways)[] s_geometries = [(64, 1), (1, 1), (4, 4), (64, 2), (256, 4)];

    private const string Spec = TaggedRandomCosimTests.FullComposite;

    /// <summary>The policies of the composite that the random programs do not trip (no device input, no call, no code write).</summary>
    private const string RandomSpec = "nxd-nwc+heap+taint";

    public static IEnumerable<TestCaseData> Programs()
    {
        foreach (int seed in Enumerable.Range(1, 3))
            yield return new TestCaseData("random", seed, false).SetName(string.Create(CultureInfo.InvariantCulture, $"SameTraceEveryGeometry(random seed {seed})"));
        string[] files = ["nwc_store_to_code", "nxd_execute_data", "taint_address", "taint_jump", "heap_overflow",
            "heap_use_after_free", "ret_overwritten", "cfi_call_non_entry", "cfi_jump_out"];
        foreach (var file in files)
        {
            foreach (bool forbidden in new[] { false, true })
                yield return new TestCaseData(file, 0, forbidden).SetName($"SameTraceEveryGeometry({file}{(forbidden ? ", forbidden" : "")})");
        }
        yield return new TestCaseData("heap_refused", 0, false).SetName("SameTraceEveryGeometry(heap_refused)");
        yield return new TestCaseData(ThrashProgram, 0, false).SetName("SameTraceEveryGeometry(rule_cache_thrash)");
    }

    private const string ThrashProgram = "rule_cache_thrash";

    [TestCaseSource(nameof(Programs))]
    public void SameTraceEveryGeometry(string program, int seed, bool forbidden)
    {
        var image = program == "random" ? TaggedRandomRun.Generate(seed, timer: false).ToElfImage()
            : program == ThrashProgram ? Thrash() : PolicyPrograms.Build(program, forbidden);

        var spec = program == "random" ? RandomSpec : Spec;
        var runs = s_geometries.Select(g => Run(image, spec, g.Entries, g.Ways)).ToArray();

        var (reference, referenceTrace) = runs[0];
        Assert.That(reference.Divergence, Is.Null, () => reference.Divergence!.Describe());
        Assert.That(referenceTrace, Is.Not.Empty);
        if (program == "random")
            Assert.That(reference.Status, Is.EqualTo(SimStatus.Passed), () => string.Join("; ", reference.Violations));
        for (int i = 1; i < runs.Length; i++)
        {
            var (result, trace) = runs[i];
            var geometry = string.Create(CultureInfo.InvariantCulture, $"{s_geometries[i].Entries} entries in {s_geometries[i].Ways} ways");
            Assert.That(result.Divergence, Is.Null, () => $"{geometry}: {result.Divergence!.Describe()}");
            Assert.Multiple(() =>
            {
                Assert.That(result.Status, Is.EqualTo(reference.Status), geometry);
                Assert.That(result.ExitCode, Is.EqualTo(reference.ExitCode), geometry);
                Assert.That(result.Instret, Is.EqualTo(reference.Instret), geometry);
                Assert.That(result.Violations.Select(v => (v.Pc, v.Insn)), Is.EqualTo(reference.Violations.Select(v => (v.Pc, v.Insn))), geometry);
                Assert.That(result.RuleCache!.Lookups, Is.EqualTo(reference.RuleCache!.Lookups), $"{geometry}: one lookup per instruction checked");
                Assert.That(result.RuleCache.Hits + result.RuleCache.Misses, Is.EqualTo(result.RuleCache.Lookups), geometry);
            });
            int differs = FirstDifference(referenceTrace, trace);
            Assert.That(differs, Is.EqualTo(-1), () => $"{geometry}: the trace differs at record {differs}:\n  64/1: {Line(referenceTrace, differs)}\n  here: {Line(trace, differs)}");
        }
        if (program == ThrashProgram)
        {
            Assert.Multiple(() =>
            {
                Assert.That(reference.Status, Is.EqualTo(SimStatus.Passed), () => string.Join("; ", reference.Violations));
                Assert.That(reference.RuleCache!.Evictions, Is.GreaterThan(100), "the 64-entry cache holds fewer rules than the program lives on");
                Assert.That(runs[1].Result.RuleCache!.Misses, Is.GreaterThan(reference.RuleCache.Misses), "one entry misses more than 64");
                Assert.That(runs[4].Result.RuleCache!.Misses, Is.LessThan(reference.RuleCache.Misses), "256 entries in 4 ways miss less than 64 in 1");
                Assert.That(runs[1].Result.Cycles, Is.GreaterThan(runs[4].Result.Cycles), "misses cost cycles");
            });
        }
    }

    private static (SimResult Result, string[] Trace) Run(ElfImage image, string spec, int entries, int ways)
    {
        var tags = TaggedRandomRun.Tags with { RuleCacheEntries = entries, RuleCacheWays = ways };
        var path = Path.Combine(Path.GetTempPath(), $"hwgen-geometry-{Guid.NewGuid():N}.trace");
        try
        {
            var result = TaggedRandomRun.Machine(tags).Run(image, TaggedRandomRun.Options(image.Path, spec, tags) with { TracePath = path });
            return (result, File.ReadAllLines(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int FirstDifference(string[] a, string[] b)
    {
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length || i >= b.Length || a[i] != b[i])
                return i;
        }
        return -1;
    }

    private static string Line(string[] trace, int index) => index < trace.Length ? trace[index] : "(ended)";

    /// <summary>The program with more live rules under cfi than a 64-entry cache holds (Tags/Programs/rule_cache_thrash.S).</summary>
    internal static ElfImage Thrash() => TagPrograms.Build("rule_cache_thrash");
}
