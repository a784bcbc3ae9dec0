using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Sim.Run;
using NUnit.Framework;
using static HwGen.Sim.Tests.Policy.PolicyPrograms;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The AP cannot reach tag memory or the PEX's memory: Tags/Programs/interlock.S loads and stores at every address
/// that could alias them (the PEX map's TAGCTL and RAM, mirror images of tagged words and of the code, both ends of
/// the address space, the call port past its registers) and fills a window of every offset of the PEX's RAM, on the
/// tagged SoC in lockstep with the golden model's tag engine (a tag changed or read where the engine has none
/// diverges). Then the words it tagged still carry their tags, the code its own, and the PEX serves misses and a call.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class InterlockTests
{
    [TestCase("taint+ret")]
    [TestCase(TaggedRandomCosimTests.FullComposite)]
    public void ApAccessesReachNoTagAndNoPexMemory(string spec)
    {
        var image = TagPrograms.Build("interlock");
        var trace = Path.Combine(Path.GetTempPath(), $"hwgen-interlock-{Guid.NewGuid():N}.trace");
        try
        {
            var tags = TaggedRandomRun.Tags;
            var result = TaggedRandomRun.Machine(tags).Run(image, TaggedRandomRun.Options(image.Path, spec, tags) with { TracePath = trace });

            Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
            Assert.Multiple(() =>
            {
                Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => $"exit code {result.ExitCode}: {string.Join("; ", result.Violations)}");
                Assert.That(result.Violations, Is.Empty);
            });
            var lines = File.ReadAllLines(trace);
            Assert.Multiple(() =>
            {
                Assert.That(MemTag(lines, Symbol(image, "check_taint")), Is.Not.Zero, "the tainted word keeps its tag");
                Assert.That(MemTag(lines, Symbol(image, "check_ret")), Is.Not.Zero, "the return address keeps its tag");
                Assert.That(MemTag(lines, Symbol(image, "check_ret")), Is.Not.EqualTo(MemTag(lines, Symbol(image, "check_taint"))));
                Assert.That(MemTag(lines, Symbol(image, "check_code")), Is.Not.Zero, "the code keeps its tag");
                // The sweep's accesses outside RAM faulted (skipped by the handler) rather than reaching anything.
                Assert.That(lines.Count(l => l.Contains("access fault", StringComparison.Ordinal)), Is.GreaterThan(100));
            });
        }
        finally
        {
            File.Delete(trace);
        }
    }

    /// <summary>
    /// With a cache that keeps every rule, the RTL misses once per masked rule input the golden model's tag engine
    /// evaluates and looks up as often (a field the care mask leaves out, kept in the key, would miss more).
    /// </summary>
    [Test]
    public void EveryMissIsARuleTheGoldenModelEvaluates()
    {
        const string spec = "taint+ret";
        var image = TagPrograms.Build("interlock");
        var (iss, engine) = Load(image, spec);
        iss.Run(10_000_000);
        Assert.That(iss.Halted, Is.True);

        var tags = TaggedRandomRun.Tags with { RuleCacheEntries = 512, RuleCacheWays = 8 };
        var result = TaggedRandomRun.Machine(tags).Run(image, TaggedRandomRun.Options(image.Path, spec, tags));

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(result.RuleCache!.Evictions, Is.Zero, "every rule stays in the cache");
            Assert.That(result.RuleCache.Misses, Is.EqualTo((ulong)engine.DistinctRules));
            Assert.That(result.RuleCache.Lookups, Is.EqualTo((ulong)engine.Lookups));
        });
    }

    /// <summary>The memory tag of the one record of the instruction at <paramref name="pc"/>.</summary>
    private static uint MemTag(string[] trace, uint pc)
    {
        var prefix = pc.ToString("x8", CultureInfo.InvariantCulture) + ":";
        var line = trace.Single(l => l.TrimStart().StartsWith(prefix, StringComparison.Ordinal) || l.Contains(" " + prefix, StringComparison.Ordinal));
        var match = Regex.Match(line, "mem_tag=0x([0-9a-fA-F]+)");
        Assert.That(match.Success, Is.True, line);
        return uint.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
