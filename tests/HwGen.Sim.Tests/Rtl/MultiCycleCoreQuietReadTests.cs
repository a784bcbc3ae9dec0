using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Sim.Tests.PexFirmware;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The multi-cycle core's word loaded without a select of its own (<see cref="MultiCycleCore.ReadDataQuiet"/>), cycle by
/// cycle on Verilator: an instruction that completes in Execute writes its result alone while the data bus's read data
/// is 0, as a quiet bus keeps it when no response is awaited; the same word on a bus that is not quiet is ORed into the
/// result, and the default core, which selects the word loaded, ignores it.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class MultiCycleCoreQuietReadTests
{
    /// <summary><c>addi x1, x0, 5</c>.</summary>
    private const ulong AddiWord = 0x0050_0093;

    /// <summary>A word on the data bus's read data while no data access is under way: the byte 0xA0 in every lane.</summary>
    private const ulong Stray = 0xA0A0_A0A0;

    /// <summary>The stray word as the addi's funct3 (that of lb) extracts it, ORed with the sum.</summary>
    private const ulong StrayOrSum = 0xFFFF_FFA5;

    [TestCase(false, Stray, 5UL)]
    [TestCase(true, 0UL, 5UL)]
    [TestCase(true, Stray, StrayOrSum)]
    public void AnAddiWritesItsSumAndWhatAQuietBusMustNotCarry(bool readDataQuiet, ulong idleReadData, ulong written)
    {
        var core = new MultiCycleCore(MultiCycleCoreCosimTests.SmallWithoutCsrs, storeValueUnplaced: true, trapsIllegalWords: false,
            readDataQuiet: readDataQuiet);
        using var tb = Bench.Create(core);
        tb.Poke(core.Instr.Ready, 1);
        tb.Poke(core.Data.Ready, 1);
        tb.Poke(core.Instr.ResponseValid, 0);
        tb.Poke(core.Data.ResponseValid, 0);
        tb.Reset(2);
        for (int i = 0; i < 4 && tb.Peek(core.Instr.Valid) == 0; i++)
            tb.Step();
        Assert.That(tb.Peek(core.Instr.Valid), Is.EqualTo(1UL), "the first word is fetched");
        tb.Step();

        // The word arrives; in Execute the addi completes with no access under way, the stray word on the data bus.
        tb.Poke(core.Instr.ResponseValid, 1);
        tb.Poke(core.Instr.ReadData, AddiWord);
        tb.Step();
        tb.Poke(core.Instr.ResponseValid, 0);
        tb.Poke(core.Instr.ReadData, 0);
        tb.Poke(core.Data.ReadData, idleReadData);
        Assert.Multiple(() =>
        {
            Assert.That(tb.Peek(core.Trace.Valid), Is.EqualTo(1UL), "the addi retires in Execute");
            Assert.That(tb.Peek(core.Trace.RdWdata), Is.EqualTo(written));
        });
        Assert.That(core.ReadDataQuiet, Is.EqualTo(readDataQuiet));
    }

    [Test]
    public void ThePexCoreTakesTheWordLoadedWithoutASelect() =>
        Assert.That(new PexSoc(PexFirmwareEquivalenceTests.s_tags).CoreReadDataQuiet, Is.True, "its interconnect's read data is quiet");
}
