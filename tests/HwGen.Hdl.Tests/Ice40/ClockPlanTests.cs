using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Designs.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary><see cref="ClockPlan"/>: the oscillator dividers, and the PLL settings against <c>icepll</c> itself.</summary>
[TestFixture]
public sealed partial class ClockPlanTests
{
    [TestCase(12.0, 6.0, 2, 6.0)]
    [TestCase(12.0, 7.8, 2, 6.0)]
    [TestCase(12.0, 4.0, 3, 4.0)]
    [TestCase(12.0, 5.0, 3, 4.0)]
    [TestCase(12.0, 1.0, 12, 1.0)]
    [TestCase(48.0, 15.0, 4, 12.0)]
    public void BelowThePllRangeTheOscillatorIsDivided(double oscillator, double requested, int divider, double achieved)
    {
        var plan = ClockPlan.For(oscillator, requested);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Source, Is.EqualTo(ClockSource.Divider));
            Assert.That(plan.Divider, Is.EqualTo(divider));
            Assert.That(plan.AchievedMHz, Is.EqualTo(achieved).Within(1e-9));
            Assert.That(plan.RequestedMHz, Is.EqualTo(requested));
            Assert.That(plan.OscillatorMHz, Is.EqualTo(oscillator));
            Assert.That(plan.Pll, Is.Null);
        });
    }

    [Test]
    public void TheOscillatorItselfWhenItIsWhatIsAskedFor()
    {
        var plan = ClockPlan.For(12, 12);
        Assert.That((plan.Source, plan.Divider, plan.AchievedMHz), Is.EqualTo((ClockSource.Oscillator, 1, 12.0)));
        Assert.That(plan.Describe(), Is.EqualTo("12.000 MHz: the 12 MHz oscillator itself"));
    }

    [Test]
    public void WhereNoPllSettingFitsUnderTheRequestTheOscillatorIsUsed()
    {
        var plan = ClockPlan.For(12, 16);
        Assert.That((plan.Source, plan.AchievedMHz), Is.EqualTo((ClockSource.Oscillator, 12.0)));
    }

    [Test]
    public void DescribeSaysWhatWasChosen()
    {
        Assert.That(ClockPlan.For(12, 6).Describe(), Is.EqualTo("6.000 MHz: 12 MHz oscillator divided by 2"));
        Assert.That(ClockPlan.For(12, 30).Describe(),
            Is.EqualTo("30.000 MHz: PLL from the 12 MHz oscillator (DIVR=0 DIVF=79 DIVQ=5 FILTER_RANGE=1), 30.000 MHz requested"));
    }

    [TestCase(0.0)]
    [TestCase(-5.0)]
    [TestCase(275.5)]
    [TestCase(400.0)]
    public void RequestsOutsideWhatTheDeviceMakesAreRejectedWithTheValue(double requested)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ClockPlan.For(12, requested))!;
        Assert.That(ex.ParamName, Is.EqualTo("requestedMHz"));
        Assert.That(ex.Message, Does.Contain(requested.ToString("0.###", CultureInfo.InvariantCulture) + " MHz"));
    }

    /// <summary>Frequencies where icepll's nearest answer is not above the request, so the settings must be the same.</summary>
    [TestCase(12.0, 24.0)]
    [TestCase(12.0, 30.0)]
    [TestCase(12.0, 36.0)]
    [TestCase(12.0, 48.0)]
    [TestCase(12.0, 60.0)]
    [TestCase(12.0, 120.0)]
    [TestCase(12.0, 270.0)]
    [TestCase(25.0, 50.0)]
    [TestCase(100.0, 33.0)]
    public void PllSettingsAreIcepllsWhenIcepllIsNotAboveTheRequest(double oscillator, double requested)
    {
        var icepll = RunIcepll(oscillator, requested);
        Assume.That(icepll.AchievedMHz, Is.LessThanOrEqualTo(requested), "icepll chose a frequency above the request");
        var plan = ClockPlan.For(oscillator, requested);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Source, Is.EqualTo(ClockSource.Pll));
            Assert.That(plan.Pll, Is.EqualTo(icepll.Settings));
            Assert.That(plan.AchievedMHz, Is.EqualTo(icepll.AchievedMHz).Within(0.0005));
        });
    }

    /// <summary>Where icepll may round up, the plan stays at or below the request, with valid PFD, VCO and filter range.</summary>
    [TestCase(12.0, 50.0)]
    [TestCase(12.0, 33.0)]
    [TestCase(12.0, 85.0)]
    [TestCase(12.0, 100.0)]
    [TestCase(12.0, 200.0)]
    public void WhereIcepllRoundsUpThePlanStaysAtOrBelowTheRequest(double oscillator, double requested)
    {
        var icepll = RunIcepll(oscillator, requested);
        var plan = ClockPlan.For(oscillator, requested);
        Assert.That(plan.AchievedMHz, Is.LessThanOrEqualTo(requested));
        Assert.That(plan.AchievedMHz, Is.GreaterThan(ClockPlan.PllMinMHz - 1e-9));
        if (icepll.AchievedMHz <= requested)
            Assert.That(plan.Pll, Is.EqualTo(icepll.Settings));
        var pll = plan.Pll!;
        Assert.Multiple(() =>
        {
            Assert.That(pll.PfdMHz(oscillator), Is.InRange(10.0, 133.0));
            Assert.That(pll.VcoMHz(oscillator), Is.InRange(533.0, 1066.0));
            Assert.That(pll.FilterRange, Is.EqualTo(ClockPlan.FilterRange(pll.PfdMHz(oscillator))));
        });
    }

    private sealed record IcepllResult(PllSettings Settings, double AchievedMHz);

    private static IcepllResult RunIcepll(double oscillator, double requested)
    {
        var run = ToolRunner.Run("icepll", [
            "-i", oscillator.ToString(CultureInfo.InvariantCulture),
            "-o", requested.ToString(CultureInfo.InvariantCulture)], Path.GetTempPath(), TimeSpan.FromSeconds(30));
        Assert.That(run.Succeeded, Is.True, run.ToString());
        int Field(string name) => int.Parse(Regex.Match(run.Stdout, $@"^{name}:\s+(\d+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        var achieved = double.Parse(AchievedPattern().Match(run.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        return new IcepllResult(new PllSettings(Field("DIVR"), Field("DIVF"), Field("DIVQ"), Field("FILTER_RANGE")), achieved);
    }

    [GeneratedRegex(@"F_PLLOUT:\s+([\d.]+) MHz \(achieved\)")]
    private static partial Regex AchievedPattern();
}
