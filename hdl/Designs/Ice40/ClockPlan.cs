using System.Globalization;

namespace HwGen.Designs.Ice40;

/// <summary>Where the clock of a <see cref="ClockPlan"/> comes from.</summary>
public enum ClockSource
{
    /// <summary>The oscillator itself.</summary>
    Oscillator,

    /// <summary>The oscillator divided by an integer (<see cref="ClockPlan.Divider"/>).</summary>
    Divider,

    /// <summary>The PLL (<c>SB_PLL40_PAD</c>, SIMPLE feedback) with <see cref="ClockPlan.Pll"/>.</summary>
    Pll,
}

/// <summary>
/// How to make a requested clock frequency from a board's oscillator on an iCE40.
/// <para>
/// From 16 to 275 MHz (the PLL's output range) the PLL is used, the oscillator coming in on its pad
/// (<see cref="Pll40Pad"/>), with the SIMPLE feedback path. Its settings are searched as <c>icepll</c> searches
/// them (DIVR 0-15, DIVF 0-127, DIVQ 1-6, with f_PFD = f_osc / (DIVR + 1) in 10-133 MHz and
/// f_VCO = f_PFD * (DIVF + 1) in 533-1066 MHz, f_out = f_VCO / 2^DIVQ), and <c>FILTER_RANGE</c> follows
/// from f_PFD as <c>icepll</c> computes it. Unlike <c>icepll</c>, which takes the nearest frequency above or
/// below, the plan takes the highest frequency <em>not above</em> the request: the request is normally the
/// fastest clock the design meets timing at, so a clock above it would be a clock the design may fail at.
/// Among settings giving the same frequency the first in <c>icepll</c>'s search order wins, so when
/// <c>icepll</c>'s answer is not above the request the two agree exactly.
/// </para>
/// <para>
/// Below 16 MHz the oscillator is divided by the integer N = ceil(f_osc / f_requested), which gives the
/// highest frequency not above the request that a divider can make (N = 1 is the oscillator itself).
/// </para>
/// </summary>
public sealed record ClockPlan
{
    /// <summary>Lowest PLL output frequency, MHz.</summary>
    public const double PllMinMHz = 16;

    /// <summary>Highest PLL output frequency, MHz.</summary>
    public const double PllMaxMHz = 275;

    /// <summary>The largest divider of the oscillator a plan uses (a 16-bit counter).</summary>
    public const int MaxDivider = 65536;

    private ClockPlan(ClockSource source, int divider, PllSettings? pll, double achievedMHz, double requestedMHz, double oscillatorMHz)
    {
        Source = source;
        Divider = divider;
        Pll = pll;
        AchievedMHz = achievedMHz;
        RequestedMHz = requestedMHz;
        OscillatorMHz = oscillatorMHz;
    }

    /// <summary>Where the clock comes from.</summary>
    public ClockSource Source { get; }

    /// <summary>The integer the oscillator is divided by: 1 for <see cref="ClockSource.Oscillator"/> and <see cref="ClockSource.Pll"/>.</summary>
    public int Divider { get; }

    /// <summary>The PLL settings for <see cref="ClockSource.Pll"/>; null otherwise.</summary>
    public PllSettings? Pll { get; }

    /// <summary>The frequency the plan gives, MHz (never above <see cref="RequestedMHz"/>).</summary>
    public double AchievedMHz { get; }

    /// <summary>The frequency asked for, MHz.</summary>
    public double RequestedMHz { get; }

    /// <summary>The oscillator's frequency, MHz.</summary>
    public double OscillatorMHz { get; }

    /// <summary>
    /// The plan for a clock of <paramref name="requestedMHz"/> from an oscillator of <paramref name="oscillatorMHz"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A frequency is not positive, or the request is above 275 MHz.</exception>
    public static ClockPlan For(double oscillatorMHz, double requestedMHz)
    {
        if (!(oscillatorMHz > 0) || double.IsInfinity(oscillatorMHz))
            throw new ArgumentOutOfRangeException(nameof(oscillatorMHz), oscillatorMHz, $"the oscillator frequency must be positive, not {Format(oscillatorMHz)} MHz");
        if (!(requestedMHz > 0) || requestedMHz > PllMaxMHz)
            throw new ArgumentOutOfRangeException(nameof(requestedMHz), requestedMHz,
                $"the requested clock of {Format(requestedMHz)} MHz is outside what an iCE40 makes: above 0 and at most {Format(PllMaxMHz)} MHz (the PLL's highest output)");

        if (requestedMHz >= PllMinMHz && SearchPll(oscillatorMHz, requestedMHz) is { } pll)
            return new ClockPlan(ClockSource.Pll, 1, pll, pll.OutputMHz(oscillatorMHz), requestedMHz, oscillatorMHz);

        // Below the PLL's range, or just above its bottom where no setting lands between 16 MHz and the request.
        double ratio = Math.Ceiling(oscillatorMHz / requestedMHz - 1e-9);
        if (ratio > MaxDivider)
            throw new ArgumentOutOfRangeException(nameof(requestedMHz), requestedMHz,
                $"the requested clock of {Format(requestedMHz)} MHz would divide the {Format(oscillatorMHz)} MHz oscillator by more than {MaxDivider}");
        int n = Math.Max(1, (int)ratio);
        return new ClockPlan(n == 1 ? ClockSource.Oscillator : ClockSource.Divider, n, null, oscillatorMHz / n, requestedMHz, oscillatorMHz);
    }

    /// <summary>
    /// <c>icepll</c>'s search (SIMPLE feedback) restricted to outputs not above the request: the highest such
    /// output, the first found on ties.
    /// </summary>
    private static PllSettings? SearchPll(double inputMHz, double requestedMHz)
    {
        PllSettings? best = null;
        double bestMHz = 0;
        for (int divr = 0; divr <= 15; divr++)
        {
            double pfd = inputMHz / (divr + 1);
            if (pfd < 10 || pfd > 133)
                continue;
            for (int divf = 0; divf <= 127; divf++)
            {
                double vco = pfd * (divf + 1);
                if (vco < 533 || vco > 1066)
                    continue;
                for (int divq = 1; divq <= 6; divq++)
                {
                    double output = vco / (1 << divq);
                    if (output < PllMinMHz || output > PllMaxMHz || output > requestedMHz + 1e-9)
                        continue;
                    if (best is null || output > bestMHz + 1e-9)
                    {
                        best = new PllSettings(divr, divf, divq, FilterRange(pfd));
                        bestMHz = output;
                    }
                }
            }
        }
        return best;
    }

    /// <summary>The loop filter range for a phase detector frequency, as <c>icepll</c> sets it.</summary>
    public static int FilterRange(double pfdMHz) =>
        pfdMHz < 17 ? 1 : pfdMHz < 26 ? 2 : pfdMHz < 44 ? 3 : pfdMHz < 66 ? 4 : pfdMHz < 101 ? 5 : 6;

    /// <summary>One line for reports, e.g. <c>6.000 MHz: 12 MHz oscillator divided by 2</c>.</summary>
    public string Describe() => Source switch
    {
        ClockSource.Oscillator => $"{Format3(AchievedMHz)} MHz: the {Format(OscillatorMHz)} MHz oscillator itself",
        ClockSource.Divider => $"{Format3(AchievedMHz)} MHz: {Format(OscillatorMHz)} MHz oscillator divided by {Divider}",
        _ => $"{Format3(AchievedMHz)} MHz: PLL from the {Format(OscillatorMHz)} MHz oscillator ({Pll}), {Format3(RequestedMHz)} MHz requested",
    };

    /// <inheritdoc />
    public override string ToString() => Describe();

    private static string Format(double mhz) => mhz.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Format3(double mhz) => mhz.ToString("0.000", CultureInfo.InvariantCulture);
}
