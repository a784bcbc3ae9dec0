using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>The input half of <c>SB_IO</c>'s <c>PIN_TYPE</c> (bits 1:0).</summary>
public enum IoInputMode
{
    /// <summary>0b00: <c>D_IN_0</c> is the pin registered on <c>INPUT_CLK</c>.</summary>
    Registered = 0b00,

    /// <summary>0b01: <c>D_IN_0</c> is the pin itself (<c>PIN_INPUT</c>).</summary>
    Direct = 0b01,
}

/// <summary>The output half of <c>SB_IO</c>'s <c>PIN_TYPE</c> (bits 5:2: output enable, then output data).</summary>
public enum IoOutputMode
{
    /// <summary>0b0000: the pin is never driven (an input pin).</summary>
    None = 0b0000,

    /// <summary>0b0110: the pin is <c>D_OUT_0</c> (<c>PIN_OUTPUT</c>).</summary>
    Direct = 0b0110,

    /// <summary>0b0101: the pin is <c>D_OUT_0</c> registered on <c>OUTPUT_CLK</c>.</summary>
    Registered = 0b0101,

    /// <summary>0b0111: the pin is <c>D_OUT_0</c> registered on <c>OUTPUT_CLK</c>, inverted.</summary>
    RegisteredInverted = 0b0111,

    /// <summary>0b1010: the pin is <c>D_OUT_0</c> while <c>OUTPUT_ENABLE</c> is 1, else it floats (<c>PIN_OUTPUT_TRISTATE</c>).</summary>
    Tristate = 0b1010,

    /// <summary>0b1101: registered data and registered output enable.</summary>
    TristateRegistered = 0b1101,
}

/// <summary>
/// <c>SB_IO</c>, the iCE40 I/O cell, with <c>PIN_TYPE</c> from an input and an output mode and <c>PULLUP</c>.
/// The DSL has no bidirectional ports, so <see cref="PACKAGE_PIN"/> is declared an input when the cell never
/// drives the pin (<see cref="IoOutputMode.None"/>: connect a top-level input to it) and an output otherwise
/// (connect it to a top-level output; with the tristate modes the pin floats when not driven, and
/// <c>D_IN_0</c> still reads the pad on the board). Simulate it with <see cref="Ice40Models"/>, which models these modes.
/// </summary>
public sealed class IoCell : BlackBox
{
    /// <summary>An I/O cell with <c>PIN_TYPE = (output &lt;&lt; 2) | input</c> and <c>PULLUP</c>.</summary>
    public IoCell(IoOutputMode output, IoInputMode input = IoInputMode.Direct, bool pullUp = false)
    {
        if (!Enum.IsDefined(output))
            throw new ArgumentOutOfRangeException(nameof(output), output, "not a supported output mode");
        if (!Enum.IsDefined(input))
            throw new ArgumentOutOfRangeException(nameof(input), input, "not a supported input mode");
        Output = output;
        Input = input;
        PullUp = pullUp;
        PinType = ((int)output << 2) | (int)input;
        PACKAGE_PIN = output == IoOutputMode.None ? In(1) : Out(1);
        VerilogParameters["PIN_TYPE"] = PinType;
        VerilogParameters["PULLUP"] = pullUp ? 1 : 0;
    }

    /// <inheritdoc />
    public override string ModuleName => "SB_IO";

    /// <summary>The output mode (<c>PIN_TYPE[5:2]</c>).</summary>
    public IoOutputMode Output { get; }

    /// <summary>The input mode (<c>PIN_TYPE[1:0]</c>).</summary>
    public IoInputMode Input { get; }

    /// <summary>The <c>PULLUP</c> parameter: the pin's weak pull-up resistor is on.</summary>
    public bool PullUp { get; }

    /// <summary>The 6-bit <c>PIN_TYPE</c> parameter.</summary>
    public int PinType { get; }

    /// <summary>The package pin: an input for <see cref="IoOutputMode.None"/>, an output otherwise (see the class).</summary>
    public readonly Signal PACKAGE_PIN;

    /// <summary>Holds the input value while 1, with a latched input mode (connect 0).</summary>
    public readonly Signal LATCH_INPUT_VALUE = In(1);

    /// <summary>Clock enable of the cell's registers (connect 1).</summary>
    public readonly Signal CLOCK_ENABLE = In(1);

    /// <summary>Clock of the input registers.</summary>
    public readonly Signal INPUT_CLK = In(1);

    /// <summary>Clock of the output registers.</summary>
    public readonly Signal OUTPUT_CLK = In(1);

    /// <summary>1: the pin is driven (tristate modes).</summary>
    public readonly Signal OUTPUT_ENABLE = In(1);

    /// <summary>The value to drive (on the rising edge in DDR mode).</summary>
    public readonly Signal D_OUT_0 = In(1);

    /// <summary>The value to drive on the falling edge in DDR mode (connect 0 otherwise).</summary>
    public readonly Signal D_OUT_1 = In(1);

    /// <summary>The pin's value (direct or registered, per the input mode).</summary>
    public readonly Signal D_IN_0 = Out(1);

    /// <summary>The pin registered on the falling edge of <c>INPUT_CLK</c> (DDR).</summary>
    public readonly Signal D_IN_1 = Out(1);
}
