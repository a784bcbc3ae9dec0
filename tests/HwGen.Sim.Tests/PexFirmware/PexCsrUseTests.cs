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
/// The PEX's core has no CSRs (<see cref="CsrSet.None"/>): the code it runs (the policy firmware, and on a board the
/// boot agent's ROM) has no CSR instruction and no <c>mret</c>, which would stop that core; the same code built for
/// a core with CSRs (without <see cref="FirmwareSources.NoCsrsDefine"/>) has them, so the search finds them.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexCsrUseTests
{
    private static readonly CoreConfig s_pexCore = new PexSoc(PexFirmwareEquivalenceTests.s_tags).CoreConfig;

    [SetUp]
    public void NeedsTheCompiler()
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
    }

    [Test]
    public void ThePexCoreHasNoCsrs() =>
        Assert.Multiple(() =>
        {
            Assert.That(s_pexCore.Csrs, Is.EqualTo(CsrSet.None));
            Assert.That(ControlStatusRegisters.ImplementedBy(s_pexCore), Is.Empty);
        });

    [Test]
    public void ThePolicyFirmwareHasNoCsrInstruction()
    {
        var image = PexFirmwareBuilder.Build(Composite.Parse("nxd-nwc+ret+heap+cfi+taint"), PexMemoryMap.Default, [],
            PexFirmwareEquivalenceTests.s_tags, new PexFirmwareOptions { CacheDirectory = PexFirmwareEquivalenceTests.TestCache });
        Assert.That(CsrInstructions(image.ElfPath, PexMemoryMap.Default, image.RamBase, image.Words), Is.Empty);
    }

    [Test]
    public void TheBootAgentHasNoCsrInstructionAndTheBootLoaderOfACoreWithCsrsHas()
    {
        var board = Board.Load("icebreaker");
        var work = Path.Combine(Path.GetTempPath(), "hwgen-pex-csr-use-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (map, boot) = BootRom.CompileBootAgent(board, BootLoaderOptions.For(board), Path.Combine(work, "agent"));
            // The loader places an ELF's segments in RAM: a map whose RAM is where the ROM is reads the ROM's ELF.
            var rom = new HwGen.Designs.Soc.MemoryMap(RamBase: map.BootRomBase, RamSize: boot.RomBytes);
            var plain = BootRom.Compile(BootLoaderOptions.For(board), Path.Combine(work, "plain"));
            var plainRom = new HwGen.Designs.Soc.MemoryMap(RamBase: board.MemoryMap.BootRomBase, RamSize: plain.RomBytes);
            Assert.Multiple(() =>
            {
                Assert.That(CsrInstructions(boot.ElfPath, rom, map.BootRomBase, boot.Words), Is.Empty);
                Assert.That(CsrInstructions(plain.ElfPath, plainRom, board.MemoryMap.BootRomBase, plain.Words), Is.Not.Empty);
            });
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// SYSTEM with funct3 1-3 or 5-7 (<c>csrrw</c>, <c>csrrs</c>, <c>csrrc</c> and their immediate forms), or <c>mret</c>.
    /// </summary>
    private static bool IsCsrInstruction(uint word) => ((word & 0x7F) == 0x73 && ((word >> 12) & 3) != 0) || word == 0x30200073;

    /// <summary>
    /// The CSR instructions and <c>mret</c>s among the <paramref name="words"/> (from <paramref name="baseAddress"/> on)
    /// that lie in an executable section of the ELF, each as its CSR's name (mret as "mret").
    /// </summary>
    private static string[] CsrInstructions(string elfPath, HwGen.Designs.Soc.MemoryMap map, uint baseAddress, IReadOnlyList<uint> words)
    {
        var code = ElfImage.Load(elfPath, map).Sections.Where(s => s.IsExec && s.Size > 0).ToArray();
        Assert.That(code, Is.Not.Empty, "executable sections");
        return words.Where((_, i) => code.Any(s => baseAddress + 4u * (uint)i - s.Address < s.Size))
            .Where(IsCsrInstruction)
            .Select(w => w == 0x30200073 ? "mret" : Csr.Format(w >> 20))
            .ToArray();
    }
}
