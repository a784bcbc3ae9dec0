using HwGen.Designs.Riscv;
using HwGen.Hdl.Tests.Ice40;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// The execute stage's result selects synthesised for the iCE40: <see cref="OthersSelect"/> takes two LUTs a bit (the
/// logic operation and the rotation with their selects in the first, the multiplier's result, which is 0 when not
/// done, beside the divider's with its select in the second). A select on the multiplier's result would take a third.
/// </summary>
[TestFixture]
public sealed class ExecuteSelectsTests
{
    [Test]
    public void TheOtherSourcesTakeTwoLutsABit()
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new OthersSelect(), "synth-othersselect");
        Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.EqualTo(2 * 32), report);
    }
}
