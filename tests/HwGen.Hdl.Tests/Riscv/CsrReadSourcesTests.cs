using HwGen.Designs.Riscv;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// The CSR unit's read sources (<see cref="ControlStatusRegisters.ReadSources"/>): a counter's two halves, and their
/// read-only views, share one select, and the half read is told by <see cref="ControlStatusRegisters.CounterHalfBit"/>
/// of the address alone; every other register has a select of its own.
/// </summary>
[TestFixture]
public sealed class CsrReadSourcesTests
{
    private static readonly (int Low, int High)[] s_halves =
    [
        (CsrAddress.Mcycle, CsrAddress.Mcycleh),
        (CsrAddress.Cycle, CsrAddress.Cycleh),
        (CsrAddress.Minstret, CsrAddress.Minstreth),
        (CsrAddress.Instret, CsrAddress.Instreth),
        (CsrAddress.Time, CsrAddress.Timeh),
    ];

    [Test]
    public void ACountersHalvesShareASelectAndDifferInTheHalfBitAlone()
    {
        foreach (var (low, high) in s_halves)
        {
            Assert.That(ControlStatusRegisters.SelectBit(high), Is.EqualTo(ControlStatusRegisters.SelectBit(low)), $"0x{high:X3} and 0x{low:X3}");
            Assert.That(low ^ high, Is.EqualTo(1 << ControlStatusRegisters.CounterHalfBit), $"0x{high:X3} and 0x{low:X3}");
            Assert.That(high >> ControlStatusRegisters.CounterHalfBit & 1, Is.EqualTo(1), $"0x{high:X3} is a high half");
        }
    }

    [Test]
    public void TheCycleCountersAndTheRetiredCountersAndTimeAreTold()
    {
        int cycle = ControlStatusRegisters.SelectBit(CsrAddress.Mcycle);
        int instret = ControlStatusRegisters.SelectBit(CsrAddress.Minstret);
        int time = ControlStatusRegisters.SelectBit(CsrAddress.Time);
        Assert.That(new[] { cycle, instret, time }, Is.Unique);
        Assert.That(ControlStatusRegisters.SelectBit(CsrAddress.Cycle), Is.EqualTo(cycle));
        Assert.That(ControlStatusRegisters.SelectBit(CsrAddress.Instret), Is.EqualTo(instret));
    }

    [Test]
    public void EveryOtherRegisterHasASelectOfItsOwn()
    {
        var counters = s_halves.SelectMany(h => new[] { h.Low, h.High }).ToHashSet();
        foreach (var source in ControlStatusRegisters.ReadSources.Where(s => !s.Any(counters.Contains)))
            Assert.That(source, Has.Length.EqualTo(1), $"0x{source[0]:X3}");
    }
}
