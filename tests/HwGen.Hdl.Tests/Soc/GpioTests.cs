using HwGen.Designs.Soc;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>The LEDs and buttons device against its bench (Benches/Gpio_tb.v) under both simulators.</summary>
[TestFixture]
public sealed class GpioTests
{
    [Test]
    public void LedsReadBackAndButtonsAreSynchronised([Values] Simulator simulator, [Values(0, 3)] int buttonCount)
    {
        var map = MemoryMap.Ice40Up5k;
        var gpio = new Gpio(map, ledCount: 5, buttonCount: buttonCount);
        DeviceBench.AssertPasses(
            "gpio", gpio, simulator,
            new Dictionary<string, int>
            {
                ["LED_COUNT"] = gpio.LedCount,
                ["BUTTON_COUNT"] = gpio.ButtonCount,
                ["LEDS_OFFSET"] = (int)map.GpioLedsOffset,
                ["BUTTONS_OFFSET"] = (int)map.GpioButtonsOffset,
            },
            models: [],
            defines: buttonCount == 0 ? ["GPIO_NO_BUTTONS"] : []);
    }

    [Test]
    public void WithoutButtonsThereIsNoButtonsPort()
    {
        var gpio = new Gpio(MemoryMap.Ice40Up5k, ledCount: 2, buttonCount: 0);
        Assert.That(gpio.Buttons, Is.Null);
        var verilog = string.Join('\n', Gen.Verilog.VerilogEmitter.Emit(gpio).VerilogFiles.Select(f => f.Content));
        Assert.That(verilog, Does.Not.Match(@"\bButtons\b"));
    }
}
