using System.Globalization;
using System.Runtime.CompilerServices;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// The divider settings of an iCE40 PLL with the SIMPLE feedback path:
/// <c>f_PFD = f_in / (DIVR + 1)</c> (10-133 MHz), <c>f_VCO = f_PFD * (DIVF + 1)</c> (533-1066 MHz),
/// <c>f_out = f_VCO / 2^DIVQ</c> (16-275 MHz). <see cref="ClockPlan"/> finds them as <c>icepll</c> does.
/// </summary>
/// <param name="DivR">Reference divider, 0-15 (<c>DIVR</c>).</param>
/// <param name="DivF">Feedback divider, 0-127 (<c>DIVF</c>).</param>
/// <param name="DivQ">VCO divider exponent, 1-6 (<c>DIVQ</c>).</param>
/// <param name="FilterRange">Loop filter range for the PFD frequency, 1-6 (<c>FILTER_RANGE</c>).</param>
public sealed record PllSettings(int DivR, int DivF, int DivQ, int FilterRange)
{
    /// <summary>The phase detector frequency for an input of <paramref name="inputMHz"/>.</summary>
    public double PfdMHz(double inputMHz) => inputMHz / (DivR + 1);

    /// <summary>The VCO frequency for an input of <paramref name="inputMHz"/>.</summary>
    public double VcoMHz(double inputMHz) => PfdMHz(inputMHz) * (DivF + 1);

    /// <summary>The output frequency for an input of <paramref name="inputMHz"/>.</summary>
    public double OutputMHz(double inputMHz) => VcoMHz(inputMHz) / (1 << DivQ);

    internal void Validate()
    {
        if (DivR is < 0 or > 15)
            throw new ArgumentOutOfRangeException(nameof(DivR), DivR, "DIVR is 4 bits: 0-15");
        if (DivF is < 0 or > 127)
            throw new ArgumentOutOfRangeException(nameof(DivF), DivF, "DIVF is 7 bits: 0-127");
        if (DivQ is < 1 or > 6)
            throw new ArgumentOutOfRangeException(nameof(DivQ), DivQ, "DIVQ is 1-6 with the SIMPLE feedback path");
        if (FilterRange is < 0 or > 7)
            throw new ArgumentOutOfRangeException(nameof(FilterRange), FilterRange, "FILTER_RANGE is 3 bits: 0-7");
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"DIVR={DivR} DIVF={DivF} DIVQ={DivQ} FILTER_RANGE={FilterRange}");
}

/// <summary>
/// What <see cref="Pll40Core"/> and <see cref="Pll40Pad"/> share: the SIMPLE feedback path, the output
/// ports, lock, reset and bypass. Parameters: <c>FEEDBACK_PATH = "SIMPLE"</c>, <c>PLLOUT_SELECT = "GENCLK"</c>,
/// and <c>DIVR</c>, <c>DIVF</c>, <c>DIVQ</c>, <c>FILTER_RANGE</c> from <see cref="Settings"/>.
/// The simulation model (<see cref="Ice40Models"/>) passes the reference clock through: the frequency is not simulated.
/// </summary>
public abstract class Pll40 : BlackBox
{
    private protected Pll40(PllSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        VerilogParameters["FEEDBACK_PATH"] = "SIMPLE";
        VerilogParameters["PLLOUT_SELECT"] = "GENCLK";
        VerilogParameters["DIVR"] = settings.DivR;
        VerilogParameters["DIVF"] = settings.DivF;
        VerilogParameters["DIVQ"] = settings.DivQ;
        VerilogParameters["FILTER_RANGE"] = settings.FilterRange;
    }

    /// <summary>The divider settings (the <c>DIVR</c>, <c>DIVF</c>, <c>DIVQ</c>, <c>FILTER_RANGE</c> parameters).</summary>
    public PllSettings Settings { get; }

    /// <summary>The output clock, for logic on local routing.</summary>
    public readonly Signal PLLOUTCORE = Out(1);

    /// <summary>The output clock on a global buffer: use it to clock a design.</summary>
    public readonly Signal PLLOUTGLOBAL = Out(1);

    /// <summary>External feedback input (unused with the SIMPLE path: connect 0).</summary>
    public readonly Signal EXTFEEDBACK = In(1);

    /// <summary>Dynamic delay adjustment, 8 bits (unused with FIXED delay: connect 0).</summary>
    public readonly Signal DYNAMICDELAY = In(8);

    /// <summary>1 when the output is locked to the reference.</summary>
    public readonly Signal LOCK = Out(1);

    /// <summary>1: the reference clock goes straight to the outputs, the PLL is bypassed.</summary>
    public readonly Signal BYPASS = In(1);

    /// <summary>Reset, active low: 1 = running.</summary>
    public readonly Signal RESETB = In(1);

    /// <summary>Holds the outputs in low-power mode (with <c>ENABLE_ICEGATE</c>; connect 0).</summary>
    public readonly Signal LATCHINPUTVALUE = In(1);

    /// <summary>Test port serial data out (unused).</summary>
    public readonly Signal SDO = Out(1);

    /// <summary>Test port serial data in (connect 0).</summary>
    public readonly Signal SDI = In(1);

    /// <summary>Test port serial clock (connect 0).</summary>
    public readonly Signal SCLK = In(1);

    /// <summary>
    /// Connects the inputs the SIMPLE feedback path does not use to 0 (<c>EXTFEEDBACK</c>, <c>DYNAMICDELAY</c>,
    /// <c>LATCHINPUTVALUE</c>, <c>SDI</c>, <c>SCLK</c>) and runs the PLL: <c>BYPASS = 0</c>, <c>RESETB = 1</c>.
    /// Call it from the parent's <c>Build</c>.
    /// </summary>
    public void ConnectSimple([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        EXTFEEDBACK.Set(0, file, line);
        DYNAMICDELAY.Set(0, file, line);
        LATCHINPUTVALUE.Set(0, file, line);
        SDI.Set(0, file, line);
        SCLK.Set(0, file, line);
        BYPASS.Set(0, file, line);
        RESETB.Set(1, file, line);
    }
}

/// <summary><c>SB_PLL40_CORE</c>: a PLL whose reference clock comes from the fabric (<see cref="REFERENCECLK"/>).</summary>
public sealed class Pll40Core : Pll40
{
    /// <summary>A PLL with <paramref name="settings"/> (SIMPLE feedback).</summary>
    public Pll40Core(PllSettings settings) : base(settings)
    {
    }

    /// <inheritdoc />
    public override string ModuleName => "SB_PLL40_CORE";

    /// <summary>The reference clock, from the fabric.</summary>
    public readonly Signal REFERENCECLK = In(1);
}

/// <summary>
/// <c>SB_PLL40_PAD</c>: a PLL whose reference clock comes straight from its package pin
/// (<see cref="PACKAGEPIN"/>, connected to a top-level input), as the oscillator of most iCE40 boards does.
/// </summary>
public sealed class Pll40Pad : Pll40
{
    /// <summary>A PLL with <paramref name="settings"/> (SIMPLE feedback).</summary>
    public Pll40Pad(PllSettings settings) : base(settings)
    {
    }

    /// <inheritdoc />
    public override string ModuleName => "SB_PLL40_PAD";

    /// <summary>The reference clock pin: connect a top-level input directly.</summary>
    public readonly Signal PACKAGEPIN = In(1);
}
