using HwGen.Designs.Tags;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Programs;
using HwGen.Sim.Tests.Isa;
using HwGen.Sim.Tests.Rtl;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The ISA suite and the hazard programs on the tagged SoC, with a PEX that allows every rule with outputs mixed from
/// the whole key: the retirement trace agrees with the golden model (the untagged semantics), and every record's tags
/// and every miss's key agree with the shadow tag model (forwarding at every distance, loads, stores, the CI tag).
/// </summary>
[TestFixture]
public sealed class TagUnitProgramTests
{
    public static IEnumerable<TestCaseData> Programs() =>
        IsaSuiteTests.SuitePrograms().Select(c => new TestCaseData("tests/isa/" + c.Arguments[0]).SetArgDisplayNames("isa/" + c.Arguments[0]))
            .Concat(HazardCosimTests.HazardPrograms().Select(c => new TestCaseData("tests/hazards/" + c.Arguments[0]).SetArgDisplayNames("hazards/" + c.Arguments[0])));

    /// <summary>The programs generated from the tagged core's decoder table and CSR set (not in the suite's folders).</summary>
    public static IEnumerable<TestCaseData> GeneratedPrograms()
    {
        yield return new TestCaseData(DecoderCorners.ProgramName).SetArgDisplayNames(DecoderCorners.ProgramName);
        yield return new TestCaseData(CsrCorners.ProgramName).SetArgDisplayNames(CsrCorners.ProgramName);
    }

    [TestCaseSource(nameof(Programs))]
    public void RunsAsUntaggedWithTheTagsOfTheShadowModel(string source) => AssertRunsWithTheShadowTags(
        TagUnitRun.Build([FirmwareTestSupport.InRepository(source)]));

    [TestCaseSource(nameof(GeneratedPrograms))]
    public void AGeneratedCornerProgramRunsWithTheTagsOfTheShadowModel(string name)
    {
        var program = name == DecoderCorners.ProgramName
            ? DecoderCorners.Program(TagUnitRun.Config())
            : CsrCorners.Program(TagUnitRun.Config());
        AssertRunsWithTheShadowTags(TagUnitRun.Build([CornerProgramTests.Write(program, name)],
            [FirmwareTestSupport.InRepository("tests/isa")]));
    }

    private static void AssertRunsWithTheShadowTags(ElfImage image)
    {
        var result = TagUnitRun.Run(image, TagUnitRun.Config(), TagUnitRun.Mixing);
        Assert.That(result.Divergence, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.TagMismatch, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.ExitCode, Is.EqualTo(0), () => result.Describe(TagTraceFields.Table));
        Assert.That(result.Misses, Is.Not.Empty);
        Assert.That(result.Lookups, Is.EqualTo((ulong)result.Shadow.Keys.Count), "one lookup per instruction checked (not a load or store the bus refuses)");
        Assert.That(result.MissCount, Is.EqualTo((ulong)result.Misses.Count));
        Assert.That(result.Hits, Is.EqualTo(result.Lookups - result.MissCount));
    }
}
