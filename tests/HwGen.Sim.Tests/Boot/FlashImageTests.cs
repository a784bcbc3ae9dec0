using System.Buffers.Binary;
using System.Text;
using HwGen.Designs.Boards;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;
using HwGen.Sim.Tests.RandomPrograms;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Boot;

/// <summary>The firmware image format (<see cref="FlashImage"/>) and its CRC-32.</summary>
[TestFixture]
public sealed class FlashImageTests
{
    private static readonly MemoryMap s_board = Board.Load("icebreaker").MemoryMap;

    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "hwgen-flash-image-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    /// <summary>CRC-32 bit by bit, straight from the definition (reflected 0x04C11DB7, init and final xor all ones).</summary>
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1;
        }
        return ~crc;
    }

    private static uint Word(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));

    private string WriteElf(string name, uint address, byte[] image, uint entry, Action<byte[]>? patch = null)
    {
        var bytes = MinimalElfWriter.Write(address, image, entry, []);
        patch?.Invoke(bytes);
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [TestCase("", 0x0000_0000u)]
    [TestCase("a", 0xE8B7_BE43u)]
    [TestCase("123456789", 0xCBF4_3926u)]
    [TestCase("The quick brown fox jumps over the lazy dog", 0x414F_A339u)]
    public void Crc32MatchesTheKnownVectors(string text, uint expected)
    {
        Assert.That(Crc32.Compute(Encoding.ASCII.GetBytes(text)), Is.EqualTo(expected));
    }

    [Test]
    public void Crc32MatchesTheBitwiseDefinitionOnRandomData()
    {
        var random = new System.Random(7);
        for (int length = 0; length < 300; length += 37)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.That(Crc32.Compute(data), Is.EqualTo(ReferenceCrc(data)), $"{length} bytes");
        }
    }

    [Test]
    public void TheHeaderIsSixLittleEndianWordsBeforeThePayload()
    {
        byte[] payload = [1, 2, 3, 4, 5, 6, 7, 8];
        var bytes = FlashImage.Create(0x8000_0000, 0x8000_0004, payload).ToBytes();
        Assert.Multiple(() =>
        {
            Assert.That(bytes, Has.Length.EqualTo(24 + 8));
            Assert.That(Encoding.ASCII.GetString(bytes, 0, 4), Is.EqualTo("HWG1"));
            Assert.That(Word(bytes, 0), Is.EqualTo(0x3147_5748u));
            Assert.That(Word(bytes, 4), Is.EqualTo(8u), "length");
            Assert.That(Word(bytes, 8), Is.EqualTo(0x8000_0000u), "load address");
            Assert.That(Word(bytes, 12), Is.EqualTo(0x8000_0004u), "entry");
            Assert.That(Word(bytes, 16), Is.EqualTo(ReferenceCrc(payload)), "payload crc");
            Assert.That(Word(bytes, 20), Is.EqualTo(ReferenceCrc(bytes.AsSpan(0, 20))), "header crc");
            Assert.That(bytes[24..], Is.EqualTo(payload));
        });
    }

    [Test]
    public void ParseGivesBackWhatWasWritten()
    {
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var image = FlashImage.Create(0x8000_0100, 0x8000_0200, payload);
        var flash = image.ToBytes().Concat(Enumerable.Repeat((byte)0xFF, 100)).ToArray();
        var parsed = FlashImage.Parse(flash, "flash");
        Assert.Multiple(() =>
        {
            Assert.That(parsed.LoadAddress, Is.EqualTo(0x8000_0100u));
            Assert.That(parsed.EntryAddress, Is.EqualTo(0x8000_0200u));
            Assert.That(parsed.Payload.ToArray(), Is.EqualTo(payload));
            Assert.That(parsed.PayloadCrc, Is.EqualTo(image.PayloadCrc));
            Assert.That(parsed.HeaderCrc, Is.EqualTo(image.HeaderCrc));
            Assert.That(parsed.ToBytes(), Is.EqualTo(image.ToBytes()));
        });
        Assert.DoesNotThrow(() => parsed.Validate(s_board, "flash"));
    }

    [Test]
    public void ParseRefusesDamagedImages()
    {
        var good = FlashImage.Create(0x8000_0000, 0x8000_0000, new byte[64]).ToBytes();
        byte[] Damaged(int offset)
        {
            var copy = good.ToArray();
            copy[offset] ^= 0x40;
            return copy;
        }
        Assert.Multiple(() =>
        {
            Assert.That(() => FlashImage.Parse(good.AsSpan(0, 20), "f.bin"),
                Throws.TypeOf<FlashImageException>().With.Message.EqualTo("f.bin: 20 bytes, shorter than the 24-byte image header"));
            Assert.That(() => FlashImage.Parse(Enumerable.Repeat((byte)0xFF, 64).ToArray(), "f.bin"),
                Throws.TypeOf<FlashImageException>().With.Message.EqualTo("f.bin: no firmware image (magic 0xFFFFFFFF, expected 0x31475748 \"HWG1\")"));
            Assert.That(() => FlashImage.Parse(Damaged(9), "f.bin"),
                Throws.TypeOf<FlashImageException>().With.Message.StartWith("f.bin: bad header crc: image "));
            Assert.That(() => FlashImage.Parse(Damaged(24 + 63), "f.bin"),
                Throws.TypeOf<FlashImageException>().With.Message.StartWith("f.bin: bad crc: image "));
            Assert.That(() => FlashImage.Parse(good.AsSpan(0, 24 + 63), "f.bin"),
                Throws.TypeOf<FlashImageException>().With.Message.EqualTo("f.bin: the header announces 64 payload bytes, but only 63 follow it"));
        });
    }

    [Test]
    public void ValidateAppliesTheBootLoadersRules()
    {
        uint room = s_board.RamSize - FlashImage.BootStackReserve;
        Assert.Multiple(() =>
        {
            Assert.DoesNotThrow(() => FlashImage.Create(0x8000_0000, 0x8000_0000, new byte[room]).Validate(s_board, "x"));
            Assert.That(() => FlashImage.Create(0x8000_0000, 0x8000_0000, new byte[room + 4]).Validate(s_board, "x"),
                Throws.TypeOf<FlashImageException>().With.Message.Contains("reach into the last 1024 bytes of RAM"));
            Assert.That(() => FlashImage.Create(0x4000_0000, 0x4000_0000, new byte[4]).Validate(s_board, "x"),
                Throws.TypeOf<FlashImageException>().With.Message.EqualTo("x: load address 0x40000000 is outside RAM 0x80000000..0x8000FFFF"));
            Assert.That(() => FlashImage.Create(0x8000_0000, 0x8000_0004, new byte[4]).Validate(s_board, "x"),
                Throws.TypeOf<FlashImageException>().With.Message.EqualTo("x: entry point 0x80000004 is not inside the payload at 0x80000000 (4 bytes)"));
        });
    }

    [Test]
    public void FromElfLaysTheLoadedBytesOutFromTheRamBase()
    {
        var elfPath = FirmwareTestSupport.Toolchain.Build(new BuildRequest(
            [FirmwareTestSupport.InRepository("tests/programs/hello.c")], Path.Combine(_directory, "hello.elf")) { MemoryMap = s_board }).ElfPath;
        var elf = ElfImage.Load(elfPath, s_board);
        var image = FlashImage.FromElf(elfPath, s_board);

        var fileBacked = elf.Segments.Where(s => s.FileSize > 0).ToArray();
        uint end = fileBacked.Max(s => s.Address + s.FileSize);
        Assert.Multiple(() =>
        {
            Assert.That(image.LoadAddress, Is.EqualTo(s_board.RamBase));
            Assert.That(image.EntryAddress, Is.EqualTo(elf.Entry));
            Assert.That(image.PayloadLength, Is.EqualTo((end - s_board.RamBase + 3) & ~3u));
            Assert.That(image.PayloadCrc, Is.EqualTo(ReferenceCrc(image.Payload)));
        });
        foreach (var segment in fileBacked)
        {
            Assert.That(image.Payload.Slice((int)(segment.Address - s_board.RamBase), (int)segment.FileSize).ToArray(),
                Is.EqualTo(segment.Data[..(int)segment.FileSize]), $"segment at 0x{segment.Address:x8}");
        }
        Assert.That(elf.FindSection(".bss") is not { Size: > 0 } bss || bss.Address >= end || bss.Address + bss.Size <= end,
            "the payload does not end inside .bss");
    }

    [Test]
    public void FromElfLeavesOutTheZeroTailOfASegment()
    {
        // One segment: 8 bytes from the file and (by patching p_memsz) 4 KiB of .bss-like zeros after them.
        var path = WriteElf("bss.elf", 0x8000_0000, [0x13, 0, 0, 0, 0x6f, 0, 0, 0], 0x8000_0000, bytes =>
        {
            int ph = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ph + 20), 4096);
        });
        var image = FlashImage.FromElf(path, s_board);
        Assert.That(image.PayloadLength, Is.EqualTo(8u));
    }

    [Test]
    public void FromElfNamesTheFileInItsErrors()
    {
        uint room = s_board.RamSize - FlashImage.BootStackReserve;
        var missing = Path.Combine(_directory, "missing.elf");
        var outside = WriteElf("outside.elf", 0x9000_0000, new byte[16], 0x9000_0000);
        var tooBig = WriteElf("big.elf", 0x8000_0000, new byte[room + 8], 0x8000_0000);
        var entryOutside = WriteElf("entry.elf", 0x8000_0000, new byte[16], 0x8000_0000, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), 0x8000_8000));
        var rv64 = WriteElf("rv64.elf", 0x8000_0000, new byte[16], 0x8000_0000, b => b[4] = 2);
        var x86 = WriteElf("x86.elf", 0x8000_0000, new byte[16], 0x8000_0000, b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), 62));
        Assert.Multiple(() =>
        {
            Assert.That(() => FlashImage.FromElf(missing, s_board),
                Throws.TypeOf<FlashImageException>().With.Message.EqualTo($"{missing}: file not found"));
            Assert.That(() => FlashImage.FromElf(outside, s_board),
                Throws.TypeOf<FlashImageException>().With.Message.StartWith($"{outside}: PT_LOAD segment 0x90000000..0x9000000f").And.Message.Contains("lies outside RAM"));
            Assert.That(() => FlashImage.FromElf(tooBig, s_board),
                Throws.TypeOf<FlashImageException>().With.Message.StartWith($"{tooBig}: the program is {room + 8} bytes from the RAM base 0x80000000, 8 more than the {room} bytes"));
            Assert.That(() => FlashImage.FromElf(entryOutside, s_board),
                Throws.TypeOf<FlashImageException>().With.Message.EqualTo($"{entryOutside}: the entry point 0x80008000 is not inside the loaded bytes 0x80000000..0x8000000F"));
            Assert.That(() => FlashImage.FromElf(rv64, s_board),
                Throws.TypeOf<FlashImageException>().With.Message.StartWith($"{rv64}: 64-bit ELF file"));
            Assert.That(() => FlashImage.FromElf(x86, s_board),
                Throws.TypeOf<FlashImageException>().With.Message.StartWith($"{x86}: built for x86-64"));
        });
    }
}
