using System.Text.RegularExpressions;
using HwGen.Cli.Commands;
using HwGen.Designs.Boards;
using HwGen.Designs.Tags;
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
    [Test]
    public void TheTaggedIcebreakerSocHasItsTagsInAThirdSpramAndThePexFirmwareInItsRam()
    {
        var top = BoardDesign.CreateTagged(Board.Load("icebreaker"), null, "nxd-nwc");
        var soc = (BoardSoc)top.Top;
        Assert.That(soc.Tags, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(soc.Tags!.Memory, Is.EqualTo(TagMemoryKind.Spram));
            Assert.That(soc.Tags.Statistics, Is.False, "the board drops the rule cache's statistics");
            Assert.That(soc.Tags.TaggedSize, Is.EqualTo(64u << 10), "the tags of the AP's 64 KiB");
        });

        var emitted = VerilogEmitter.Emit(top.Top);
        var verilog = string.Join("\n", emitted.VerilogFiles.Select(f => f.Content));
        Assert.That(Regex.Matches(verilog, @"^\s*SB_SPRAM256KA\b", RegexOptions.Multiline), Has.Count.EqualTo(3), "two blocks of AP RAM, one of tags");
        var spramTags = emitted.VerilogFiles.Single(f => f.RelativePath.EndsWith("SpramTagMemory.v", StringComparison.Ordinal)).Content;
        Assert.That(spramTags, Does.Contain("SB_SPRAM256KA"));
        var pex = emitted.VerilogFiles.Single(f => f.RelativePath.EndsWith("PexSoc.v", StringComparison.Ordinal)).Content;
        Assert.That(pex, Does.Not.Contain("SB_SPRAM256KA"), "the PEX's RAM is block RAM, initialised with its firmware");
    }

    [Test]
    public void AnUnknownPolicyIsABadOption()
    {
        var error = Assert.Throws<UsageException>(() => BoardDesign.CreateTagged(Board.Load("icebreaker"), null, "nxd-nwc+bogus"));
        Assert.That(error!.Message, Does.StartWith("--policy nxd-nwc+bogus: "));
    }

    [Test]
    public void ABoardWithMoreRamThanOneSpramOfTagsIsRefused()
    {
        var board = Board.Load("icebreaker") with { RamBytes = 128u << 10 };
        var error = Assert.Throws<UsageException>(() => BoardDesign.CreateTagged(board, null, "nxd-nwc"));
        Assert.That(error!.Message, Does.Contain("a tagged board SoC keeps its tags in one SPRAM: its RAM must be SPRAM of at most 64 KiB, not Spram of 128 KiB"));
    }
}
