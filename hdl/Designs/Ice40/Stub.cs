using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

public enum ClockSource { Oscillator, Divider, Pll }

public sealed record PllSettings(int DivR, int DivF, int DivQ, int FilterRange);

public sealed record ClockPlan(double OscillatorMHz, double RequestedMHz, double AchievedMHz, ClockSource Source, int Divider, PllSettings? Pll)
{
    public static ClockPlan For(double oscillatorMHz, double requestedMHz)
    {
        int n = (int)Math.Ceiling(oscillatorMHz / requestedMHz - 1e-9);
        return new ClockPlan(oscillatorMHz, requestedMHz, oscillatorMHz / n, n == 1 ? ClockSource.Oscillator : ClockSource.Divider, n, null);
    }

    public string Describe() => $"{AchievedMHz:0.000} MHz: {OscillatorMHz} MHz oscillator divided by {Divider}";
}

public sealed class Pll40Pad : BlackBox
{
    public Pll40Pad(PllSettings settings) { }
    public override string ModuleName => "SB_PLL40_PAD";
    public readonly Signal PACKAGEPIN = In(1);
    public readonly Signal RESETB = In(1);
    public readonly Signal BYPASS = In(1);
    public readonly Signal PLLOUTGLOBAL = Out(1);
    public readonly Signal LOCK = Out(1);
}

public sealed class Spram256ka : BlackBox
{
    public override string ModuleName => "SB_SPRAM256KA";
    public readonly Signal ADDRESS = In(14);
    public readonly Signal DATAIN = In(16);
    public readonly Signal MASKWREN = In(4);
    public readonly Signal WREN = In(1);
    public readonly Signal CHIPSELECT = In(1);
    public readonly Signal CLOCK = In(1);
    public readonly Signal STANDBY = In(1);
    public readonly Signal SLEEP = In(1);
    public readonly Signal POWEROFF = In(1);
    public readonly Signal DATAOUT = Out(16);
}

public sealed class SpramRam : Module
{
    public SpramRam(int bytes) { }
    public readonly Signal Address = In(14);
    public readonly Signal Enable = In(1);
    public readonly Signal Write = In(1);
    public readonly Signal Mask = In(4);
    public readonly Signal Wdata = In(32);
    public readonly Signal Rdata = Out(32);
    private readonly Spram256ka low = new();
    private readonly Spram256ka high = new();

    protected override void Build()
    {
        foreach (var (ram, half) in new[] { (low, 0), (high, 1) })
        {
            ram.ADDRESS.Set(Address);
            ram.DATAIN.Set(Wdata[half * 16 + 15, half * 16]);
            ram.MASKWREN.Set(Cat(Mask[half * 2 + 1], Mask[half * 2 + 1], Mask[half * 2], Mask[half * 2]));
            ram.WREN.Set(Write);
            ram.CHIPSELECT.Set(Enable);
            ram.CLOCK.Set(Clock());
            ram.STANDBY.Set(0);
            ram.SLEEP.Set(0);
            ram.POWEROFF.Set(1);
        }
        Rdata.Set(Cat(high.DATAOUT, low.DATAOUT));
    }
}

public static class Ice40Models
{
    public static IReadOnlyList<(string FileName, string Text)> Files { get; } = [];
}
