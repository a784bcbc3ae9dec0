using HwGen.Sim.Model;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Programs;

/// <summary>tests/programs/hello.c, built with the runtime, on the golden model.</summary>
[TestFixture]
public sealed class HelloTests
{
    [Test]
    public void PrintsItsLineAndSucceeds()
    {
        var run = FirmwareTestSupport.BuildAndRun(
            [FirmwareTestSupport.InRepository("tests/programs/hello.c")], includeRuntime: true, maxInstructions: 100_000);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
            Assert.That(run.Result.ExitCode, Is.Zero, run.Describe);
            Assert.That(run.Result.UartOutput, Is.EqualTo("Hello from HwGen!\n"), run.Describe);
        });
    }
}
