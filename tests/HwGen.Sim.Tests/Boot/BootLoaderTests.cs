using System.Buffers.Binary;
using HwGen.Designs.Boards;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Boot;

/// <summary>
/// The boot loader (firmware/boot) built for a board's ROM, and run on the golden model with a flash
/// model in C (flash_model.c) in place of the SPI driver.
/// </summary>
/// <remarks>
/// The golden model fetches only from RAM, so these runs put the "boot ROM" inside the 4 MiB simulation
/// RAM, above everything a program uses; the flash model's bytes and state lie in RAM too.
/// </remarks>
[TestFixture]
public sealed class BootLoaderTests
{
    private const uint RomBase = 0x8030_0000;
    private const uint FlashModelBase = 0x8020_0000;
    private const uint FlashModelBytes = 0x0008_0000;
    private const uint FlashModelState = 0x8038_0000;
    private const uint FirmwareOffset = 0x10_0000;

    /// <summary>The simulation map with a 2 KiB boot ROM inside its RAM, where the golden model can fetch from it.</summary>
    private static readonly MemoryMap s_map = MemoryMap.Simulation with { BootRomBase = RomBase, BootRomSize = 2048 };

    private static readonly Lazy<BootRomImage> s_bootLoader = new(() => BootRom.Compile(
        new BootLoaderOptions(s_map, FirmwareOffset)
        {
            ClockMHz = 1,
            SpiDriver = FirmwareTestSupport.InRepository("tests/HwGen.Sim.Tests/Boot/flash_model.c"),
            Defines = new Dictionary<string, string?>
            {
                ["FLASH_MODEL_BASE"] = $"0x{FlashModelBase:x8}u",
                ["FLASH_MODEL_BYTES"] = $"0x{FlashModelBytes:x8}u",
                ["FLASH_MODEL_STATE"] = $"0x{FlashModelState:x8}u",
            },
        },
        Scratch("model-boot")));

    private static readonly Lazy<string> s_hello = new(() => FirmwareTestSupport.Toolchain.Build(
        new BuildRequest([FirmwareTestSupport.InRepository("tests/programs/hello.c")], Path.Combine(Scratch("hello"), "hello.elf"))).ElfPath);

    private static string Scratch(string name) =>
        Path.Combine(Path.GetTempPath(), "hwgen-boot-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), name);

    [OneTimeTearDown]
    public void DeleteScratch()
    {
        var directory = Path.GetDirectoryName(Scratch("x"))!;
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    /// <summary>Runs the boot loader with <paramref name="flash"/> at the firmware offset; <paramref name="tohost"/> ends the run.</summary>
    private static Rv32Iss Boot(byte[] flash, uint? tohost, long maxInstructions, out IssRunResult result)
    {
        Assert.That(flash, Has.Length.LessThanOrEqualTo(FlashModelBytes));
        var iss = new Rv32Iss(s_map);
        iss.WriteWords(RomBase, s_bootLoader.Value.Words.ToArray());
        var erased = Enumerable.Repeat((byte)0xFF, (int)FlashModelBytes).ToArray();
        flash.CopyTo(erased, 0);
        iss.WriteMemory(FlashModelBase, erased);
        iss.Tohost = tohost;
        Assert.That(iss.Pc, Is.EqualTo(RomBase), "the core starts in the boot ROM");
        result = iss.Run(maxInstructions);
        return iss;
    }

    private static FlashImage Hello() => FlashImage.FromElf(s_hello.Value, s_map);

    private static uint HelloTohost() => ElfImage.Load(s_hello.Value, s_map).Tohost!.Value;

    [Test]
    public void BuildsForTheIcebreakerAndFitsItsRomWithRoomToSpare()
    {
        var board = Board.Load("icebreaker");
        var image = BootRom.Compile(BootLoaderOptions.For(board), Scratch("icebreaker"));
        TestContext.Progress.WriteLine($"boot loader: {image.CodeBytes} of {image.RomBytes} bytes");
        Assert.Multiple(() =>
        {
            Assert.That(image.Words, Has.Count.EqualTo(board.BootRomBytes / 4));
            Assert.That(image.RomBytes, Is.EqualTo(board.BootRomBytes));
            Assert.That(image.CodeBytes, Is.GreaterThan(100).And.LessThan(board.BootRomBytes * 3 / 4));
            Assert.That(image.Words.Skip((int)(image.CodeBytes + 3) / 4), Is.All.Zero, "the rest of the ROM is zero");
        });

        var elf = ElfImage.Load(image.ElfPath, new MemoryMap(board.MemoryMap.BootRomBase, board.BootRomBytes));
        Assert.Multiple(() =>
        {
            Assert.That(elf.Entry, Is.EqualTo(board.MemoryMap.BootRomBase), "_start at the reset vector");
            Assert.That(elf.FindSymbol("_start")?.Value, Is.EqualTo(board.MemoryMap.BootRomBase));
            Assert.That(elf.FindSymbol("boot_main"), Is.Not.Null);
            Assert.That(elf.FindSymbol("spi_transfer"), Is.Not.Null, "the SPI master driver is linked");
            Assert.That(elf.FindSymbol("__stack_top")?.Value, Is.EqualTo(board.MemoryMap.Ram.End));
            Assert.That(elf.Sections.Where(s => s.IsAlloc && s.Size > 0 && s.IsWrite).Select(s => s.Name), Is.Empty, "no .data or .bss");
        });
    }

    [Test]
    public void BuildIsTheRomWordsOfTheBoard()
    {
        var board = Board.Load("icebreaker");
        var words = BootRom.Build(board, Scratch("icebreaker-build"));
        var image = BootRom.Compile(BootLoaderOptions.For(board), Scratch("icebreaker-compile"));
        Assert.That(words, Is.EqualTo(image.Words));
    }

    [Test]
    public void TooSmallARomIsRefusedWithTheExcess()
    {
        var board = Board.Load("icebreaker") with { BootRomBytes = 512 };
        var ex = Assert.Throws<BootRomException>(() => BootRom.Build(board, Scratch("small")));
        Assert.That(ex!.Message, Does.Match(@"^boot loader: the code does not fit in the 512-byte boot ROM: \d+ bytes too many$"));
    }

    [Test]
    public void LoadsHelloChecksItsCrcAndJumpsToIt()
    {
        var image = Hello();
        var iss = Boot(image.ToBytes(), HelloTohost(), 2_000_000, out var result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
            Assert.That(result.UartOutput, Is.EqualTo($"boot: {image.PayloadLength} bytes at 0x80000000, crc ok\nHello from HwGen!\n"));
            Assert.That(iss.ReadWord(0x8000_0000), Is.EqualTo(BinaryPrimitives.ReadUInt32LittleEndian(image.Payload)), "the payload is in RAM");
        });
    }

    [Test]
    public void StartsTheBoardsHelloWhichGreetsAndBlinks()
    {
        var board = Board.Load("icebreaker");
        var image = BoardApps.Image("hello", board, Scratch("board-hello"));
        Boot(image.ToBytes(), tohost: null, 500_000, out var result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Timeout), "it blinks forever");
            Assert.That(result.UartOutput, Does.StartWith(
                $"boot: {image.PayloadLength} bytes at 0x80000000, crc ok\nHello from HwGen!\nRAM: 64 KiB at 0x80000000\n"));
            Assert.That(result.UartOutput, Does.EndWith("blinking LED 0\n"));
        });
    }

    [Test]
    public void ErasedFlashIsNoImage()
    {
        Boot([], tohost: null, 200_000, out var result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Timeout), "it blinks forever");
            Assert.That(result.UartOutput, Is.EqualTo("boot: no image at flash 0x100000 (magic 0xffffffff)\n"));
        });
    }

    [Test]
    public void ACorruptPayloadFailsItsCrc()
    {
        var image = Hello();
        var bytes = image.ToBytes();
        bytes[FlashImage.HeaderBytes + 40] ^= 0x10;
        var computed = Crc32.Compute(bytes.AsSpan(FlashImage.HeaderBytes, (int)image.PayloadLength));
        Boot(bytes, HelloTohost(), 2_000_000, out var result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(IssStatus.Timeout), "it never jumps");
            Assert.That(result.UartOutput, Is.EqualTo($"boot: bad crc: image 0x{image.PayloadCrc:x8}, computed 0x{computed:x8}\n"));
        });
    }

    [Test]
    public void ACorruptHeaderFailsTheHeaderCrc()
    {
        var bytes = Hello().ToBytes();
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20));
        bytes[13] ^= 0x01; // the entry address
        uint computed = Crc32.Compute(bytes.AsSpan(0, 20));
        Boot(bytes, HelloTohost(), 200_000, out var result);
        Assert.That(result.UartOutput, Is.EqualTo($"boot: bad header crc: image 0x{stored:x8}, computed 0x{computed:x8}\n"));
    }

    [Test]
    public void AnImageThatDoesNotFitInRamIsRefused()
    {
        var image = FlashImage.Create(0x8000_0000, 0x8000_0000, new byte[16]);
        var bytes = image.ToBytes();
        // A length reaching into the boot loader's stack, with a header CRC that matches it.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), s_map.RamSize - FlashImage.BootStackReserve + 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), Crc32.Compute(bytes.AsSpan(0, 20)));
        Boot(bytes, tohost: null, 200_000, out var result);
        Assert.That(result.UartOutput, Is.EqualTo($"boot: image of {s_map.RamSize - FlashImage.BootStackReserve + 4} bytes at 0x80000000 does not fit in RAM\n"));
    }

    [Test]
    public void AnEntryOutsideThePayloadIsRefused()
    {
        var bytes = FlashImage.Create(0x8000_0000, 0x8000_0010, new byte[16]).ToBytes();
        Boot(bytes, tohost: null, 200_000, out var result);
        Assert.That(result.UartOutput, Is.EqualTo("boot: entry 0x80000010 is outside the image at 0x80000000\n"));
    }
}
