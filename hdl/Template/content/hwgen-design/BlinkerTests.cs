using HwGen.Sim.Testbench;
using NUnit.Framework;

namespace MyDesign;

/// <summary>The blinker simulated by Verilator, driven from C#.</summary>
[TestFixture]
public sealed class BlinkerTests
{
    [Test]
    public void TheLedTogglesEveryHalfPeriod()
    {
        var blinker = new Blinker(width: 4);
        using var tb = Testbench.Create(blinker);
        tb.Reset();
        tb.Expect(blinker.Led, 0);
        tb.Step(7);
        tb.Expect(blinker.Led, 0);
        tb.Step();
        tb.Expect(blinker.Led, 1, "on after 8 cycles");
        tb.Step(8);
        tb.Expect(blinker.Led, 0, "off again after 8 more");
    }

    [Test]
    public void PauseHoldsTheCounter()
    {
        var blinker = new Blinker(width: 8);
        using var tb = Testbench.Create(blinker);
        tb.Reset();
        tb.Step(5);
        tb.Poke(blinker.Pause, 1);
        tb.Step(100);
        Assert.That(tb.Peek(blinker.Count), Is.EqualTo(5));
        tb.Poke(blinker.Pause, 0);
        var cycles = tb.RunUntil(blinker.Led, 1, maxCycles: 1000);
        Assert.That(cycles, Is.EqualTo(128 - 5));
    }
}
