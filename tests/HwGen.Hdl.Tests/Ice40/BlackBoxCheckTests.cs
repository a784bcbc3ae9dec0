using System.Runtime.CompilerServices;
using HwGen.Designs.Ice40;
using HwGen.Hdl;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// The elaborator's checks on the ports of the iCE40 black boxes: each wrong module calls <see cref="Mark"/> on
/// the line the diagnostic must name.
/// </summary>
[TestFixture]
public sealed class BlackBoxCheckTests
{
    private static int s_marked;

    private static void Mark([CallerLineNumber] int line = 0) => s_marked = line;

    private static Diagnostic Single(Module top, string code)
    {
        var ex = Assert.Throws<ElaborationException>(() => Elaborator.Elaborate(top))!;
        var errors = ex.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        var d = errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(d.Code, Is.EqualTo(code), d.ToString());
            Assert.That(d.Location.File, Does.EndWith("tests/HwGen.Hdl.Tests/Ice40/BlackBoxCheckTests.cs"), d.ToString());
            Assert.That(d.Location.Line, Is.EqualTo(s_marked), d.ToString());
        });
        return d;
    }

    private sealed class UnconnectedSpramInput : Module
    {
        public readonly Signal Q = Out(16);

        protected override void Build()
        {
            var ram = Instance(new Spram256ka(), "ram"); Mark();
            ram.ADDRESS.Set(0);
            ram.DATAIN.Set(0);
            ram.MASKWREN.Set(0);
            ram.WREN.Set(0);
            ram.CLOCK.Set(Clock());
            ram.PowerOn();
            Q.Set(ram.DATAOUT);
        }
    }

    [Test]
    public void AnUnconnectedBlackBoxInputIsReportedAtTheInstance()
    {
        var d = Single(new UnconnectedSpramInput(), DiagnosticCodes.UnconnectedInput);
        Assert.That(d.Message, Does.Contain("input 'CHIPSELECT' of instance 'ram' (SB_SPRAM256KA)"));
    }

    private sealed class DrivesPllOutput : Module
    {
        public readonly Signal Clk = In(1);
        public readonly Signal Locked = Out(1);

        protected override void Build()
        {
            var pll = Instance(new Pll40Core(new PllSettings(0, 79, 5, 1)), "pll");
            pll.REFERENCECLK.Set(Clk);
            pll.ConnectSimple();
            pll.LOCK.Set(1); Mark();
            Locked.Set(pll.LOCK);
        }
    }

    [Test]
    public void DrivingABlackBoxOutputIsAMultipleDriver()
    {
        var d = Single(new DrivesPllOutput(), DiagnosticCodes.MultipleDrivers);
        Assert.That(d.Message, Does.Contain("output of instance 'pll' (SB_PLL40_CORE)"));
    }

    private sealed class WideMacOperand : Module
    {
        public readonly Signal X = In(32);
        public readonly Signal Y = Out(32);

        protected override void Build()
        {
            var mac = Instance(new Mac16(Mac16Options.Multiply16x16(signed: false)), "mac");
            mac.CLK.Set(Clock());
            mac.CE.Set(1);
            mac.ConnectIdle();
            mac.A.Set(X); Mark();
            mac.B.Set(X[15, 0]);
            Y.Set(mac.O);
        }
    }

    [Test]
    public void AWidthMismatchOnABlackBoxPortIsReported()
    {
        var d = Single(new WideMacOperand(), DiagnosticCodes.WidthMismatch);
        Assert.That(d.Message, Does.Contain("16-bit").And.Contain("32-bit"));
    }
}
