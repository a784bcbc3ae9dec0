using System.Text.RegularExpressions;
using HwGen.Cli.Commands;
using HwGen.Designs.Boards;
using HwGen.Designs.Pex;
using HwGen.Designs.Tags;
using HwGen.Designs.Ice40;
using HwGen.Firmware;
using HwGen.Gen.Fpga;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using NUnit.Framework;

namespace HwGen.Cli.Tests.Fpga;

/// <summary>
/// The tagged board SoC (<c>hwgen fpga build --design tagged</c>) as it is emitted, without place and route: its
/// SPRAM blocks (the AP's RAM and its tags), the PEX's firmware in its RAM, and the board parts it refuses.
/// </summary>
[TestFixture]
public sealed class TaggedBoardTests
{
    /// <summary>The tagged SoC must shrink to fit the UP5K: it alone is synthesised with the options that give fewer LUTs.</summary>
    [Test]
    public void OnlyTheTaggedSocIsSynthesisedForArea()
    {
        var board = Board.Load("icebreaker");
        Assert.That(BoardDesign.CreateTagged(board, null).SynthesisOptions, Is.EqualTo(FpgaFlow.AreaSynthesisOptions));
        Assert.That(BoardDesign.Create(board, null).SynthesisOptions, Is.EqualTo(FpgaFlow.DefaultSynthesisOptions));
        Assert.That(BoardDesign.CreateCore(board, null).SynthesisOptions, Is.EqualTo(FpgaFlow.DefaultSynthesisOptions));
        Assert.That(FpgaFlow.AreaSynthesisOptions, Is.Not.EqualTo(FpgaFlow.DefaultSynthesisOptions));
    }

    [Test]
    public void TheTaggedIcebreakerSocHasItsTagsInAThirdSpramAndThePexRamInTheFourthBootedFromASmallRom()
    {
        var top = BoardDesign.CreateTagged(Board.Load("icebreaker"), null);
        var soc = (BoardSoc)top.Top;
        Assert.That(soc.Tags, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(soc.Tags!.Memory, Is.EqualTo(TagMemoryKind.Spram));
            Assert.That(soc.Tags.Statistics, Is.False, "the board drops the rule cache's statistics");
            Assert.That(soc.Tags.TaggedSize, Is.EqualTo(64u << 10), "the tags of the AP's 64 KiB");
            // Tags as wide as the identifiers the PEX firmware gives out, and no narrower: every tag of its interning
            // table fits.
            Assert.That(soc.Tags.TagWidth, Is.EqualTo(TagConfig.PexSetIdentifierBits));
            Assert.That(soc.Tags.RuleCacheWays, Is.EqualTo(1), "the board's rule cache has one way");
            Assert.That(soc.Tags.RuleCacheSets, Is.EqualTo(TagConfig.MaxRuleCacheSets), "of a block RAM's depth in sets");
            Assert.That(new HwGen.Firmware.Pex.PexFirmwareOptions().SetCapacity, Is.EqualTo(1 << soc.Tags.TagWidth), "the interning table's tags, 0 included");
        });

        var emitted = VerilogEmitter.Emit(top.Top);
        var verilog = string.Join("\n", emitted.VerilogFiles.Select(f => f.Content));
        Assert.That(Regex.Matches(verilog, @"^\s*SB_SPRAM256KA\b", RegexOptions.Multiline), Has.Count.EqualTo(4), "two blocks of AP RAM, one of tags, one of PEX RAM");
        var spramTags = emitted.VerilogFiles.Single(f => f.RelativePath.EndsWith("SpramTagMemory.v", StringComparison.Ordinal)).Content;
        Assert.That(spramTags, Does.Contain("SB_SPRAM256KA"));
        var pexRam = emitted.VerilogFiles.Single(f => f.RelativePath.EndsWith("SpramWordRam.v", StringComparison.Ordinal)).Content;
        Assert.That(pexRam, Does.Contain("SB_SPRAM256KA"), "the PEX's RAM is one SPRAM block");

        // The AP has no boot ROM (it starts at its RAM); the PEX's is one or two block RAMs.
        var apSoc = emitted.VerilogFiles.Single(f => f.RelativePath.EndsWith("/ApSoc.v", StringComparison.Ordinal) || f.RelativePath == "ApSoc.v").Content;
        Assert.That(apSoc, Does.Not.Contain("bootRom"));
        var pex = emitted.VerilogFiles.Single(f => f.RelativePath.EndsWith("PexSoc.v", StringComparison.Ordinal)).Content;
        Assert.That(pex, Does.Contain("bootRom"));
        Assert.That(soc.Pex!.Map.BootRomSize, Is.InRange(512u, 1024u), "the PEX's boot loader fits two block RAMs");
        Assert.That(soc.Pex.CoreConfig.ResetPc, Is.EqualTo(soc.Pex.Map.BootRomBase), "the PEX starts in its boot ROM");
        // The PEX's memories read 0 but in the cycle of their answer: its interconnect ORs them in without read selects.
        Assert.That(soc.Pex.RomQuiet, Is.True, "the boot loader leaves the ROM's last word 0");
        Assert.That(pex, Does.Contain("romAddress"));
        var pexInterconnect = emitted.VerilogFiles.Single(f => f.Content.Contains("module Interconnect", StringComparison.Ordinal) && f.Content.Contains("TAGCTL", StringComparison.Ordinal)).Content;
        Assert.That(pexInterconnect, Does.Not.Contain("RAM_dataReads").And.Not.Contain("BOOTROM_dataReads").And.Not.Contain("TAGCTL_dataReads"));
        TestContext.Out.WriteLine($"PEX boot ROM: {soc.Pex.Map.BootRomSize} bytes");
    }

    [Test]
    public void TheTaggedBoardSocIsLintCleanWithTheIce40Models()
    {
        var verilator = ExternalTools.Verilator.Locate();
        Assume.That(verilator, Is.Not.Null, "Verilator is not installed");
        var top = BoardDesign.CreateTagged(Board.Load("icebreaker"), null);
        var emitted = VerilogEmitter.Emit(top.Top);
        var work = Path.Combine(Path.GetTempPath(), "hwgen-tagged-lint-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = new List<string>();
            foreach (var file in emitted.VerilogFiles)
            {
                var path = Path.Combine(work, "rtl", file.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Content);
                files.Add(path);
            }
            foreach (var (name, text) in Ice40Models.Files)
            {
                var path = Path.Combine(work, "models", name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
                files.Add(path);
            }
            var run = ProcessRunner.Run(verilator!, ["--lint-only", "-Wall", "--top-module", nameof(BoardSoc), .. files], work, TimeSpan.FromMinutes(5));
            Assert.That(run.Succeeded && run.Output.Trim().Length == 0, Is.True, run.Output);
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void ThePexBootLoaderIsCutToTheSmallestRomThatHoldsIt()
    {
        var board = Board.Load("icebreaker");
        var work = Path.Combine(Path.GetTempPath(), "hwgen-pex-boot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (map, image) = BootRom.CompileBootAgent(board, BootLoaderOptions.For(board), work);
            TestContext.Out.WriteLine($"PEX boot loader: {image.CodeBytes} bytes in a ROM of {image.RomBytes}");
            Assert.Multiple(() =>
            {
                Assert.That(image.RomBytes, Is.EqualTo(map.BootRomSize));
                Assert.That(image.Words, Has.Count.EqualTo(map.BootRomSize / 4));
                Assert.That(image.CodeBytes, Is.LessThanOrEqualTo(image.RomBytes).And.GreaterThan(image.RomBytes / 2), "the smallest power of two that holds the code");
                Assert.That(map.Find(PexMemoryMap.ApRamName)!.Size, Is.EqualTo(board.RamBytes), "the window covers the AP's RAM");
            });
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void ABoardWithMoreRamThanOneSpramOfTagsIsRefused()
    {
        var board = Board.Load("icebreaker") with { RamBytes = 128u << 10 };
        var error = Assert.Throws<UsageException>(() => BoardDesign.CreateTagged(board, null));
        Assert.That(error!.Message, Does.Contain("a tagged board SoC keeps its tags in one SPRAM: its RAM must be SPRAM of at most 64 KiB, not Spram of 128 KiB"));
    }
}
