using HwGen.Designs.Boards;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Firmware;
using HwGen.Firmware.Pex;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using NUnit.Framework;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The PEX's core does not look for illegal words (<see cref="MultiCycleCore.TrapsIllegalWords"/> false): the code it
/// runs (the policy firmware, and on a board the boot agent's ROM) has none, every word of its executable sections a
/// row of the core's decoder table; a word that is no row (a CSR instruction, which that core does not decode, or 0)
/// is found.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexLegalWordsTests
{
    private static readonly CoreConfig s_pexCore = new PexSoc(PexFirmwareEquivalenceTests.s_tags).CoreConfig;

    private static readonly IReadOnlyList<DecoderRow> s_rows = DecoderTable.For(s_pexCore);

    [SetUp]
    public void NeedsTheCompiler()
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
    }

    [Test]
    public void ThePexCoreDoesNotCheckForIllegalWordsAndItsTableFindsThem() =>
        Assert.Multiple(() =>
        {
            Assert.That(new PexSoc(PexFirmwareEquivalenceTests.s_tags).CoreTrapsIllegalWords, Is.False);
            Assert.That(IsLegal(0x0000_0013), Is.True, "nop");
            Assert.That(IsLegal(0x0000_0000), Is.False, "the word 0");
            Assert.That(IsLegal(0xC000_1073), Is.False, "unimp (csrrw x0, cycle, x0)");
        });

    [Test]
    public void ThePolicyFirmwareHasOnlyLegalWords()
    {
        var image = PexFirmwareBuilder.Build(Composite.Parse("nxd-nwc+ret+heap+cfi+taint"), PexMemoryMap.Default, [],
            PexFirmwareEquivalenceTests.s_tags, new PexFirmwareOptions { CacheDirectory = PexFirmwareEquivalenceTests.TestCache });
        Assert.That(IllegalWords(image.ElfPath, PexMemoryMap.Default, image.RamBase, image.Words), Is.Empty);
    }

    [Test]
    public void TheBootAgentHasOnlyLegalWords()
    {
        var board = Board.Load("icebreaker");
        var work = Path.Combine(Path.GetTempPath(), "hwgen-pex-legal-words-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (map, boot) = BootRom.CompileBootAgent(board, BootLoaderOptions.For(board), Path.Combine(work, "agent"));
            // The loader places an ELF's segments in RAM: a map whose RAM is where the ROM is reads the ROM's ELF.
            var rom = new HwGen.Designs.Soc.MemoryMap(RamBase: map.BootRomBase, RamSize: boot.RomBytes);
            Assert.That(IllegalWords(boot.ElfPath, rom, map.BootRomBase, boot.Words), Is.Empty);
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    private static bool IsLegal(uint word) => s_rows.Any(r => r.Matches(word));

    /// <summary>
    /// The words among <paramref name="words"/> (from <paramref name="baseAddress"/> on) that lie in an executable
    /// section of the ELF and match no row of the PEX core's decoder table, each as its address and word.
    /// </summary>
    private static string[] IllegalWords(string elfPath, HwGen.Designs.Soc.MemoryMap map, uint baseAddress, IReadOnlyList<uint> words)
    {
        var code = ElfImage.Load(elfPath, map).Sections.Where(s => s.IsExec && s.Size > 0).ToArray();
        Assert.That(code, Is.Not.Empty, "executable sections");
        return words.Select((word, i) => (Address: baseAddress + 4u * (uint)i, Word: word))
            .Where(w => code.Any(s => w.Address - s.Address < s.Size))
            .Where(w => !IsLegal(w.Word))
            .Select(w => $"0x{w.Address:X8}: 0x{w.Word:X8}")
            .ToArray();
    }
}
