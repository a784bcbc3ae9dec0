using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>The ISA suite (tests/isa/*.S) on the RTL, every retired instruction compared with the golden model.</summary>
[TestFixture]
public sealed class IsaCosimTests
{
    [TestCaseSource(typeof(IsaSuiteTests), nameof(IsaSuiteTests.SuitePrograms))]
    public void PassesOnTheRtlInLockstep(string fileName)
    {
        var (result, elf) = RtlRun.BuildAndCosim([FirmwareTestSupport.InRepository("tests/isa/" + fileName)], includeRuntime: false);
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => RtlRun.Describe(result, elf));
    }
}
