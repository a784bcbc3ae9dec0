using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace MyDesign;

/// <summary>
/// Blinks an LED: a free-running counter whose top bit drives <see cref="Led"/>, so the LED toggles every
/// 2^(width - 1) clock cycles. <see cref="Pause"/> holds the counter.
/// </summary>
public sealed class Blinker : Module
{
    public Blinker(int width = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        Width = width;
        Count = Out(width);
        counter = Reg(width, reset: 0);
    }

    /// <summary>The counter's width: the LED toggles every 2^(Width - 1) cycles.</summary>
    [Parameter]
    public int Width { get; }

    public readonly Signal Pause = In(1);
    public readonly Signal Led = Out(1);
    public readonly Signal Count;

    private readonly Signal counter;

    protected override void Build()
    {
        When(~Pause, () => counter.Set(counter + 1));
        Count.Set(counter);
        Led.Set(counter.Msb);
    }
}
