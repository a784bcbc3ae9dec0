using HwGen.Designs.Boards;
using HwGen.Firmware;
using NUnit.Framework;

namespace HwGen.Cli.Tests.Fpga;

/// <summary>
/// <see cref="TaggedFlashImage"/>: the three images the tagged board's PEX boots from, their tag payload (one 16-bit
/// tag per word from the AP RAM's base, to the program's end or the last tagged word), and the tags it refuses.
/// </summary>
[TestFixture]
public sealed class TaggedFlashImageTests
{
    private static readonly Board Icebreaker = Board.Load("icebreaker");

    private static FlashImage Program(int words) =>
        FlashImage.Create(0x8000_0000, 0x8000_0000, Enumerable.Range(0, words * 4).Select(i => (byte)i).ToArray());

    private static FlashImage Firmware() => FlashImage.Create(0x8000_0000, 0x8000_0004, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

    [Test]
    public void TheTagsCoverTheProgramAndReachTheLastTaggedWord()
    {
        var tags = new Dictionary<uint, ushort> { [0x8000_0000] = 1, [0x8000_0008] = 0x1234, [0x8000_0040] = 2, [0x8000_0044] = 0 };
        var image = TaggedFlashImage.Create(Program(4), tags, Firmware(), Icebreaker.TaggedMemoryMap);

        Assert.Multiple(() =>
        {
            Assert.That(image.Tags.LoadAddress, Is.EqualTo(0x8000_0000u));
            Assert.That(image.Tags.PayloadLength, Is.EqualTo((0x40u / 4 + 1) * 2), "to the word at +0x40, past the program's 4 words");
            Assert.That(image.Tags.Payload[4..6].ToArray(), Is.EqualTo(new byte[] { 0x34, 0x12 }), "little-endian, word 2 at byte 4");
            var words = image.TagWords();
            Assert.That(words.Where(w => w.Value != 0), Is.EqualTo(tags.Where(t => t.Value != 0)));
            Assert.That(words.Keys.Max(), Is.EqualTo(0x8000_0040u));
        });

        var parsed = TaggedFlashImage.Parse(image.ToBytes(), "flash");
        Assert.Multiple(() =>
        {
            Assert.That(parsed.PexFirmware.ToBytes(), Is.EqualTo(Firmware().ToBytes()), "first the PEX firmware");
            Assert.That(parsed.Program.ToBytes(), Is.EqualTo(Program(4).ToBytes()), "then the program");
            Assert.That(parsed.Tags.ToBytes(), Is.EqualTo(image.Tags.ToBytes()), "then the tags");
        });
    }

    [Test]
    public void WithoutTagsPastItTheTagPayloadIsTheProgramsWords()
    {
        var image = TaggedFlashImage.Create(Program(6), new Dictionary<uint, ushort> { [0x8000_0004] = 3 }, Firmware(), Icebreaker.TaggedMemoryMap);
        Assert.That(image.Tags.PayloadLength, Is.EqualTo(12u), "6 words, 2 bytes each");
    }

    [TestCase(0x8001_0000u, TestName = "A tag just past the AP's RAM is refused")]
    [TestCase(0x7FFF_FFFCu, TestName = "A tag just below the AP's RAM is refused")]
    [TestCase(0x8000_0002u, TestName = "A tag of a misaligned address is refused")]
    public void ATagOutsideTheApsRamIsRefused(uint address)
    {
        var error = Assert.Throws<FlashImageException>(() => TaggedFlashImage.Create(Program(1), new Dictionary<uint, ushort> { [address] = 1 }, Firmware(), Icebreaker.TaggedMemoryMap));
        Assert.That(error!.Message, Is.EqualTo($"tag image: the word 0x{address:X8} is not a word of the AP's RAM 0x80000000..0x8000FFFF"));
    }

    [Test]
    public void TheLastTagOfTheRamIsTaken()
    {
        var image = TaggedFlashImage.Create(Program(1), new Dictionary<uint, ushort> { [0x8000_FFFC] = 5 }, Firmware(), Icebreaker.TaggedMemoryMap);
        Assert.That(image.Tags.PayloadLength, Is.EqualTo(0x1_0000u / 2));
    }

    [Test]
    public void ATruncatedLayoutNamesTheImageThatIsMissing()
    {
        var bytes = TaggedFlashImage.Create(Program(2), new Dictionary<uint, ushort>(), Firmware(), Icebreaker.TaggedMemoryMap).ToBytes();
        var error = Assert.Throws<FlashImageException>(() => TaggedFlashImage.Parse(bytes.AsSpan(0, bytes.Length - 2), "flash"));
        Assert.That(error!.Message, Does.StartWith("flash (tags): "));
        var second = Assert.Throws<FlashImageException>(() => TaggedFlashImage.Parse(bytes.AsSpan(0, Firmware().TotalBytes + 10), "flash"));
        Assert.That(second!.Message, Does.StartWith("flash (program): "));
    }
}
