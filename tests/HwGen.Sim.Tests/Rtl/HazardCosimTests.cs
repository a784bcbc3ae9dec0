using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The pipeline hazard programs (tests/hazards/*.S: forwarding, load-use, CSR and trap hazards, the divider,
/// an interrupt during a stall) on the RTL, every retired instruction compared with the golden model.
/// </summary>
[TestFixture]
public sealed class HazardCosimTests
{
    public static IEnumerable<TestCaseData> HazardPrograms()
    {
        var directory = FirmwareTestSupport.InRepository("tests/hazards");
        var files = Directory.GetFiles(directory, "*.S").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new InvalidOperationException($"{directory}: no hazard programs (*.S) found");
        return files.Select(name => new TestCaseData(name).SetArgDisplayNames(name!));
    }

    [TestCaseSource(nameof(HazardPrograms))]
    public void PassesOnTheRtlInLockstep(string fileName)
    {
        var (result, elf) = RtlRun.BuildAndCosim(
            [FirmwareTestSupport.InRepository("tests/hazards/" + fileName)],
            includeRuntime: false,
            includeDirectories: [FirmwareTestSupport.InRepository("tests/isa")]);

        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(result, elf));
    }
}
