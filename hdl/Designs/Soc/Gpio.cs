using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// LEDs and buttons. Registers at the offsets of the <see cref="MemoryMap"/>; reads answer in the cycle after
/// the access, like the RAM. Only the low bits of a word matter, so byte and word accesses both work.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>register</term><description>access</description></listheader>
/// <item><term><c>GpioLedsOffset</c> read/write</term><description>bit i = 1 lights LED i (<see cref="Leds"/>;
/// the board's top level applies the pins' polarity). Bits above <see cref="LedCount"/> are ignored and read 0.
/// Reset: all off.</description></item>
/// <item><term><c>GpioButtonsOffset</c> read</term><description>bit i = 1 while button i is pressed, through a
/// two-flop synchroniser. Reads 0 when there are no buttons; writes are ignored.</description></item>
/// </list>
/// </remarks>
public sealed class Gpio : Module
{
    /// <param name="map">The memory map giving the register offsets and the size of the device's region.</param>
    /// <param name="ledCount">Number of LEDs, 1 to 32.</param>
    /// <param name="buttonCount">Number of buttons, 0 to 32; with 0 there is no <see cref="Buttons"/> port.</param>
    public Gpio(MemoryMap map, int ledCount, int buttonCount)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(ledCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ledCount, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(buttonCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buttonCount, 32);
        LedsOffset = map.GpioLedsOffset;
        ButtonsOffset = map.GpioButtonsOffset;
        LedCount = ledCount;
        ButtonCount = buttonCount;
        Offset = In(Shape.BitsFor(map.GpioSize));
        Leds = Out(ledCount);
        leds = Reg(ledCount, reset: 0);
        if (buttonCount > 0)
        {
            Buttons = In(buttonCount);
            buttonsMeta = Reg(buttonCount, reset: 0);
            buttonsSync = Reg(buttonCount, reset: 0);
        }
        readData = Reg(Math.Max(ledCount, buttonCount), reset: 0);
    }

    [Parameter]
    public uint LedsOffset { get; }

    [Parameter]
    public uint ButtonsOffset { get; }

    [Parameter]
    public int LedCount { get; }

    [Parameter]
    public int ButtonCount { get; }

    /// <summary>1 when the processor accesses this device in this cycle.</summary>
    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    /// <summary>The byte offset of the access within the device.</summary>
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    /// <summary>The register read, in the cycle after the access; 0 in every other cycle (a quiet device for the <see cref="Interconnect"/>).</summary>
    public readonly Signal Rdata = Out(32);

    /// <summary>Bit i = 1: LED i is lit.</summary>
    public readonly Signal Leds;
    /// <summary>Bit i = 1: button i is pressed (asynchronous). Null when <see cref="ButtonCount"/> is 0.</summary>
    public readonly Signal? Buttons;

    private readonly Signal leds;
    private readonly Signal? buttonsMeta;
    private readonly Signal? buttonsSync;
    private readonly Signal readData;

    protected override void Build()
    {
        var isLeds = Offset.Eq(LedsOffset).Named("isLeds");
        var isButtons = Offset.Eq(ButtonsOffset).Named("isButtons");
        var read = (Select & ~Write).Named("read");

        When(Select & Write & isLeds, () => leds.Set(Wdata[LedCount - 1, 0]));
        Leds.Set(leds);

        Expr buttons = U(0, 1);
        if (Buttons is not null && buttonsMeta is not null && buttonsSync is not null)
        {
            buttonsMeta.Set(Buttons);
            buttonsSync.Set(buttonsMeta);
            buttons = buttonsSync;
        }

        int width = readData.Width;
        When(read & isLeds, () => readData.Set(leds.ZeroExtend(width)))
            .ElseWhen(read & isButtons, () => readData.Set(buttons.ZeroExtend(width)))
            .Otherwise(() => readData.Set(U(0, width)));
        Rdata.Set(readData.ZeroExtend(32));
    }
}
