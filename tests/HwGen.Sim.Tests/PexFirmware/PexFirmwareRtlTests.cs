using HwGen.Designs.Pex;
using HwGen.Firmware;
using HwGen.Sim.Policy;
using NUnit.Framework;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The PEX firmware on the PEX's RTL (<see cref="PexOnRtl"/>): random misses and calls answered as the C# composite
/// answers them, its interning table the composite's at the end, and the PEX cycles per miss (from the miss raised to
/// ALLOW or DENY).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexFirmwareRtlTests
{
    private const int Misses = 400;

    [TestCase("none")]
    [TestCase("nxd-nwc+ret+heap+cfi+taint")]
    public void FirmwareOnThePexRtlAnswersAsTheComposite(string spec)
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
        var composite = Composite.Parse(spec);
        var tags = PexFirmwareEquivalenceTests.s_tags;
        var rng = new Random(11);
        var imageSets = PexFirmwareEquivalenceTests.RandomSets(rng, 60);
        var firmware = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, imageSets, tags,
            new HwGen.Firmware.Pex.PexFirmwareOptions { CacheDirectory = PexFirmwareEquivalenceTests.TestCache });
        using var pex = new PexOnRtl(firmware, tags);

        var run = PexFirmwareEquivalenceTests.RandomRun(pex, composite, imageSets, rng, Misses);
        Assert.That(run.Mismatch, Is.Null);
        TestContext.Progress.WriteLine($"PEX firmware {spec} on the PEX RTL: {run.CostPerMiss:F1} cycles per miss (mean of {Misses} random misses, from the miss raised to ALLOW or DENY)");
    }
}
