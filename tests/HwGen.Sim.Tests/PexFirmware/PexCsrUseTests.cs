using HwGen.Designs.Boards;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Firmware;
using HwGen.Firmware.Pex;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using NUnit.Framework;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The PEX's core has the trap CSRs alone (<see cref="CsrSet.TrapOnly"/>): every CSR instruction of the code it runs
/// (the policy firmware, and on a board the boot agent's ROM) names one of them, so none of it traps.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexCsrUseTests
{
    private static readonly IReadOnlyList<int> s_pexCsrs = ControlStatusRegisters.ImplementedBy(new PexSoc(PexFirmwareEquivalenceTests.s_tags).CoreConfig);

    [SetUp]
    public void NeedsTheCompiler()
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
    }

    [Test]
    public void ThePexCoreIsConfiguredWithTheTrapCsrsAlone() =>
        Assert.That(s_pexCsrs, Is.EquivalentTo(ControlStatusRegisters.TrapAddresses));

    [Test]
    public void ThePolicyFirmwareUsesOnlyThePexCoresCsrs()
    {
        var image = PexFirmwareBuilder.Build(Composite.Parse("nxd-nwc+ret+heap+cfi+taint"), PexMemoryMap.Default, [],
            PexFirmwareEquivalenceTests.s_tags, new PexFirmwareOptions { CacheDirectory = PexFirmwareEquivalenceTests.TestCache });
        AssertOnlyPexCsrs(image.ElfPath, PexMemoryMap.Default, image.RamBase, image.Words, expectedAtLeast: 4);
    }

    [Test]
    public void TheBootAgentUsesOnlyThePexCoresCsrs()
    {
        var board = Board.Load("icebreaker");
        var work = Path.Combine(Path.GetTempPath(), "hwgen-pex-csr-use-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (map, boot) = BootRom.CompileBootAgent(board, BootLoaderOptions.For(board), work);
            // The loader places an ELF's segments in RAM: a map whose RAM is where the ROM is reads the ROM's ELF.
            var rom = new HwGen.Designs.Soc.MemoryMap(RamBase: map.BootRomBase, RamSize: boot.RomBytes);
            AssertOnlyPexCsrs(boot.ElfPath, rom, map.BootRomBase, boot.Words, expectedAtLeast: 1);
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>SYSTEM with funct3 1-3 or 5-7: <c>csrrw</c>, <c>csrrs</c>, <c>csrrc</c> and their immediate forms.</summary>
    private static bool IsCsrInstruction(uint word) => (word & 0x7F) == 0x73 && ((word >> 12) & 3) != 0;

    /// <summary>
    /// Every CSR instruction among the <paramref name="words"/> (from <paramref name="baseAddress"/> on) that lie in an
    /// executable section of the ELF names a CSR of the PEX's core; there are some.
    /// </summary>
    private static void AssertOnlyPexCsrs(string elfPath, HwGen.Designs.Soc.MemoryMap map, uint baseAddress, IReadOnlyList<uint> words, int expectedAtLeast)
    {
        var code = ElfImage.Load(elfPath, map).Sections.Where(s => s.IsExec && s.Size > 0).ToArray();
        Assert.That(code, Is.Not.Empty, "executable sections");
        var named = words.Where((_, i) => code.Any(s => baseAddress + 4u * (uint)i - s.Address < s.Size))
            .Where(IsCsrInstruction)
            .Select(w => (int)(w >> 20))
            .ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(named, Has.Length.GreaterThanOrEqualTo(expectedAtLeast), "the CSR instructions found");
            Assert.That(named.Where(a => !s_pexCsrs.Contains(a)).Select(a => Csr.Format((uint)a)), Is.Empty);
        });
    }
}
