using System.Buffers.Binary;
using System.Text.RegularExpressions;
using HwGen.Designs.Boards;
using HwGen.Designs.Pex;
using HwGen.Firmware;
using HwGen.Firmware.Unikernel;
using HwGen.Gen.Tools;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary><c>hwgen fpga flash</c>: the composed flash image, its layout, and the errors before and at the programmer.</summary>
[TestFixture]
public sealed class FpgaFlashTests
{
    private const uint FirmwareOffset = 0x10_0000;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>CRC-32 bit by bit from its definition, independent of the code under test.</summary>
    private static uint Crc(ReadOnlySpan<byte> data)
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

    private string FakeBitstream(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        bytes[^1] = 0x00; // so the 0xFF fill is not mistaken for the bitstream's own end
        var path = _temp.Combine("top.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A C program built for the iCEBreaker's memory map.</summary>
    private string BoardElf(string name, string source)
    {
        var path = _temp.WriteFile(name + ".c", source);
        return RiscvToolchain.Find().Build(new BuildRequest([path], _temp.Combine("elf", name, name + ".elf")) { MemoryMap = Board.Load("icebreaker").MemoryMap }).ElfPath;
    }

    /// <summary>The iCEBreaker's board description under a name of its own, so its default build folder is empty.</summary>
    private string BoardFile(out string name, uint flashBytes = 16_777_216, uint firmwareOffset = FirmwareOffset)
    {
        name = "flashtest_" + Guid.NewGuid().ToString("N")[..8];
        return _temp.WriteFile(name + ".json", $$"""
            {
              "name": "{{name}}",
              "title": "iCEBreaker for a test",
              "device": "up5k",
              "package": "sg48",
              "pcf": "icebreaker.pcf",
              "oscillatorMHz": 12,
              "frequencyMHz": 6,
              "ram": "spram",
              "ramBytes": 65536,
              "bootRomBytes": 2048,
              "uartBaud": 115200,
              "leds": { "count": 2, "activeLow": true },
              "buttons": { "count": 1, "activeLow": true },
              "flash": { "bytes": {{flashBytes}}, "firmwareOffset": {{firmwareOffset}} },
              "programmer": { "board": "ice40_generic" }
            }
            """);
    }

    [Test]
    public void DryRunWritesTheImageAndPrintsItsLayoutAndTheCommand()
    {
        var bitstream = FakeBitstream(104_090);
        var bitstreamBytes = File.ReadAllBytes(bitstream);
        var output = _temp.Combine("out");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--bitstream", bitstream, "--dry-run", "--out", output);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());

        var imagePath = Path.Combine(output, "hello.bin");
        Assert.That(File.Exists(imagePath), Is.True, run.ToString());
        var image = File.ReadAllBytes(imagePath);
        var firmware = FlashImage.Parse(image.AsSpan((int)FirmwareOffset), "image");
        firmware.Validate(Board.Load("icebreaker").MemoryMap, "image");
        var payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)FirmwareOffset + 16));
        var firmwareLength = 24 + (int)firmware.PayloadLength;
        Assert.Multiple(() =>
        {
            Assert.That(image[..bitstreamBytes.Length], Is.EqualTo(bitstreamBytes), "the bitstream at 0");
            Assert.That(image[bitstreamBytes.Length..(int)FirmwareOffset], Is.All.EqualTo((byte)0xFF), "0xFF up to the firmware");
            Assert.That(image, Has.Length.EqualTo(FirmwareOffset + firmwareLength), "the image ends with the firmware");
            Assert.That(payloadCrc, Is.EqualTo(Crc(image.AsSpan((int)FirmwareOffset + 24, (int)firmware.PayloadLength))));

            Assert.That(run.Stdout, Does.Contain($"openFPGALoader -b ice40_generic -f --offset 0 {Path.GetFullPath(imagePath)}\n"));
            Assert.That(run.Stdout, Does.Match($@"\nbitstream +0x00000000 +104090 0x{Crc(bitstreamBytes):x8}\n"));
            Assert.That(run.Stdout, Does.Match($@"\nfirmware +0x00100000 +{firmwareLength} 0x{Crc(image.AsSpan((int)FirmwareOffset)):x8}\n"));
            Assert.That(run.Stdout, Does.Match($@"\n  payload +0x00100018 +{firmware.PayloadLength} 0x{payloadCrc:x8}\n"));
            Assert.That(run.Stdout, Does.Match($@"\nimage +0x00000000 +{image.Length} 0x{Crc(image):x8}\n"));
            Assert.That(_temp.Listing().Where(p => p.Contains(".tmp", StringComparison.Ordinal)), Is.Empty, "no temporary file left");
        });
    }

    [Test]
    public void AnElfPathIsFlashedAsItIs()
    {
        var elf = BoardElf("counter", """
            #include "console.h"
            int main(void) { for (int i = 0; i < 3; i++) { print_dec(i); putchar('\n'); } return 0; }
            """);
        var output = _temp.Combine("out");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", elf, "--bitstream", FakeBitstream(1000), "--dry-run", "--out", output);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var image = File.ReadAllBytes(Path.Combine(output, "counter.bin"));
        var expected = FlashImage.FromElf(elf, Board.Load("icebreaker").MemoryMap).ToBytes();
        Assert.That(image[(int)FirmwareOffset..], Is.EqualTo(expected));
    }

    [Test]
    public void ACSourceIsBuiltForTheBoardAndFlashed()
    {
        const string program = """
            #include "console.h"
            int main(void) { puts("from a source file"); return 0; }
            """;
        var source = _temp.WriteFile("greet.c", program);
        var output = _temp.Combine("out");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", source, "--bitstream", FakeBitstream(1000), "--dry-run", "--out", output);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());

        var expected = FlashImage.FromElf(BoardElf("greet_reference", program), Board.Load("icebreaker").MemoryMap).ToBytes();
        var image = File.ReadAllBytes(Path.Combine(output, "greet.bin"));
        Assert.That(image[(int)FirmwareOffset..], Is.EqualTo(expected), "the same program as one linked for the board's RAM by hand");
    }

    [Test]
    public void ASourceThatDoesNotCompileExits2WithTheCompilersLine()
    {
        var source = _temp.WriteFile("broken.c", "int main(void) { return missing; }\n");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", source, "--bitstream", FakeBitstream(1000), "--dry-run", "--out", _temp.Combine("out"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("broken.c:1").And.Contain("'missing' undeclared"));
        Assert.That(run.ErrorLines[^1], Does.StartWith("hwgen: ").And.Contain("does not build for board 'icebreaker'"));
    }

    [Test]
    public void FreqBuildsTheProgramForTheClockTheBitstreamWasBuiltFor()
    {
        var board = Board.Load("icebreaker");
        var output = _temp.Combine("out12");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--freq", "12", "--bitstream", FakeBitstream(1000), "--dry-run", "--out", output);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());

        var image = File.ReadAllBytes(Path.Combine(output, "hello.bin"))[(int)FirmwareOffset..];
        Assert.That(image, Is.EqualTo(BoardApps.Image("hello", board, _temp.Combine("ref12"), 12).ToBytes()));
        Assert.That(image, Is.Not.EqualTo(BoardApps.Image("hello", board, _temp.Combine("ref6")).ToBytes()), "hello at 12 MHz differs from hello at the board's 6 MHz");
    }

    [TestCase("0")]
    [TestCase("300")]
    public void ABadFreqExits2(string freq)
    {
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--freq", freq, "--bitstream", FakeBitstream(1000), "--dry-run", "--out", _temp.Combine("out"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.StartWith("hwgen: --freq " + freq));
    }

    [Test]
    public void TheDefaultBitstreamIsTheOneFpgaBuildLeft()
    {
        var boardFile = BoardFile(out var name);
        var buildFolder = Path.Combine("out", "fpga", name);
        Directory.CreateDirectory(buildFolder);
        try
        {
            File.Copy(FakeBitstream(2000), Path.Combine(buildFolder, "soc.bin"));
            var run = Cli.Run("fpga", "flash", "--board", boardFile, "--dry-run", "--out", _temp.Combine("out"));
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stdout, Does.Contain($"bitstream {Path.Combine(buildFolder, "soc.bin")}"));
            Assert.That(File.ReadAllBytes(_temp.Combine("out", "hello.bin"))[..2000], Is.EqualTo(File.ReadAllBytes(_temp.Combine("top.bin"))));
        }
        finally
        {
            Directory.Delete(buildFolder, recursive: true);
            foreach (var parent in new[] { Path.Combine("out", "fpga"), "out" })
            {
                if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
                    Directory.Delete(parent);
            }
        }
    }

    [Test]
    public void AMissingBitstreamExits2WithTheHintToBuildIt()
    {
        var boardFile = BoardFile(out var name);
        var run = Cli.Run("fpga", "flash", "--board", boardFile, "--dry-run", "--out", _temp.Combine("out"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.ErrorLines, Is.EqualTo(new[]
            {
                $"hwgen: no bitstream for board '{name}' in {Path.Combine("out", "fpga", name)}: run 'hwgen fpga build --board {boardFile}' first, or give --bitstream FILE",
            }));
            Assert.That(Directory.Exists(_temp.Combine("out")), Is.False, "nothing written");
        });
    }

    [Test]
    public void ABitstreamReachingTheFirmwareOffsetExits2()
    {
        var bitstream = FakeBitstream((int)FirmwareOffset + 1);
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--bitstream", bitstream, "--dry-run", "--out", _temp.Combine("out"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.ErrorLines, Is.EqualTo(new[]
            {
                $"hwgen: {bitstream}: the bitstream (1048577 bytes) runs past flash offset 0x100000, where board 'icebreaker' keeps the firmware",
            }));
        });
    }

    [Test]
    public void FirmwareRunningPastTheEndOfTheFlashExits2()
    {
        // A 2 MiB flash with the firmware in its last 4 KiB, and a program of more than 4 KiB.
        var boardFile = BoardFile(out var name, flashBytes: 2_097_152, firmwareOffset: 2_093_056);
        var elf = BoardElf("big", """
            #include "console.h"
            __attribute__((used)) static const char table[6000] = { 1 };
            int main(void) { return table[0]; }
            """);
        var run = Cli.Run("fpga", "flash", "--board", boardFile, "--app", elf, "--bitstream", FakeBitstream(1000), "--dry-run", "--out", _temp.Combine("out"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Stderr, Does.Match($@"^hwgen: .*big\.elf: the firmware image \(\d+ bytes at flash offset 0x1FF000\) does not fit in the 2097152-byte flash of board '{name}'\n$"));
        });
    }

    [Test]
    public void WithAPolicyTheApplicationIsBuiltUnderItAndTheTaggedLayoutFollowsTheBitstream()
    {
        var bitstream = FakeBitstream(2000);
        var output = _temp.Combine("out");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", "hello", "--policy", "nxd-nwc", "--bitstream", bitstream, "--dry-run", "--out", output);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());

        var board = Board.Load("icebreaker");
        var imagePath = Path.Combine(output, "hello.bin");
        var image = File.ReadAllBytes(imagePath);
        var tagged = TaggedFlashImage.Parse(image.AsSpan((int)FirmwareOffset), "image");
        var build = Path.Combine(output, "build", "hello");
        var program = FlashImage.FromElf(Path.Combine(build, "hello.elf"), board.TaggedMemoryMap);
        var pex = FlashImage.FromElf(Path.Combine(build, "hello.pex.elf"), PexMemoryMap.Default);
        var tags = TagImageFile.ParseWords(File.ReadAllText(Path.Combine(build, "hello.tags")));
        var imageTags = tagged.TagWords();
        int pexBytes = tagged.PexFirmware.TotalBytes, programBytes = tagged.Program.TotalBytes, tagBytes = tagged.Tags.TotalBytes;
        Assert.Multiple(() =>
        {
            Assert.That(image, Has.Length.EqualTo(FirmwareOffset + pexBytes + programBytes + tagBytes), "the three images end the flash image");
            Assert.That(tagged.PexFirmware.ToBytes(), Is.EqualTo(pex.ToBytes()), "first the PEX firmware the firmware builder made for the policy");
            Assert.That(tagged.PexFirmware.LoadAddress, Is.EqualTo(PexMemoryMap.RamBase));
            Assert.That(tagged.Program.ToBytes(), Is.EqualTo(program.ToBytes()), "then the program");
            Assert.That(tagged.Program.LoadAddress, Is.EqualTo(board.MemoryMap.RamBase));
            Assert.That(tagged.Tags.LoadAddress, Is.EqualTo(board.MemoryMap.RamBase), "then the tags, from the AP RAM's base");
            Assert.That(tags, Is.Not.Empty, "code words carry Code under nxd-nwc");
            Assert.That(imageTags.Where(t => t.Value != 0), Is.EqualTo(tags), "the tag image file's words, and no other");
            Assert.That(tagged.Tags.PayloadLength, Is.EqualTo(Math.Max(program.PayloadLength / 2, (tags.Keys.Max() - board.MemoryMap.RamBase) / 2 + 2)));

            Assert.That(run.Stdout, Does.Contain($"openFPGALoader -b ice40_generic -f --offset 0 {Path.GetFullPath(imagePath)}\n"));
            Assert.That(run.Stdout, Does.Contain("firmware hello under nxd-nwc"));
            Assert.That(run.Stdout, Does.Match($@"\npex +0x00100000 +{pexBytes} 0x{Crc(image.AsSpan((int)FirmwareOffset, pexBytes)):x8}\n"));
            Assert.That(run.Stdout, Does.Match($@"\nprogram +0x{FirmwareOffset + pexBytes:x8} +{programBytes} 0x{Crc(image.AsSpan((int)FirmwareOffset + pexBytes, programBytes)):x8}\n"));
            Assert.That(run.Stdout, Does.Match($@"\ntags +0x{FirmwareOffset + pexBytes + programBytes:x8} +{tagBytes} 0x{Crc(image.AsSpan((int)FirmwareOffset + pexBytes + programBytes)):x8}\n"));
            Assert.That(run.Stdout, Does.Contain($"program: load 0x80000000, entry 0x{program.EntryAddress:x8}, {program.PayloadLength} bytes\n"));
        });
    }

    [Test]
    public void AnUnknownPolicyExits2BeforeAnythingIsWritten()
    {
        var output = _temp.Combine("out");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", "hello", "--policy", "nxd-nwc+bogus", "--bitstream", FakeBitstream(1000), "--dry-run", "--out", output);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.ErrorLines[0], Does.StartWith("hwgen: --policy nxd-nwc+bogus: "));
            Assert.That(Directory.Exists(output), Is.False, "nothing written");
        });
    }

    [Test]
    public void AnUnknownAppExits2()
    {
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", "nosuchapp", "--bitstream", FakeBitstream(1000), "--dry-run", "--out", _temp.Combine("out"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.ErrorLines, Is.EqualTo(new[] { "hwgen: nosuchapp: no such file, and not a bundled board application (hello)" }));
        });
    }

    [Test]
    public void WithoutABoardAttachedTheProgrammerIsNotFoundAndItExits2()
    {
        Assume.That(ExternalTools.OpenFpgaLoader.IsInstalled, "openFPGALoader is not installed");
        var run = Cli.Run("fpga", "flash", "--board", "icebreaker", "--bitstream", FakeBitstream(1000), "--out", _temp.Combine("out"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.ErrorLines[0], Does.Match(@"^hwgen: programmer not found: openFPGALoader -b ice40_generic reports '.+'; is the 1BitSquared iCEBreaker \(iCE40UP5K-SG48\) plugged in over USB\?$"));
        });
    }

    [Test]
    [NonParallelizable]
    public void WithoutOpenFpgaLoaderItExits2ButADryRunStillWorks()
    {
        var elf = BoardElf("hello", """
            #include "console.h"
            int main(void) { puts("hi"); return 0; }
            """);
        var bitstream = FakeBitstream(1000);
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", _temp.Combine("empty"));
        CliRun real, dry;
        try
        {
            real = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", elf, "--bitstream", bitstream, "--out", _temp.Combine("out"));
            dry = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", elf, "--bitstream", bitstream, "--dry-run", "--out", _temp.Combine("out"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
        Assert.Multiple(() =>
        {
            Assert.That(real.ExitCode, Is.EqualTo(2), real.ToString());
            Assert.That(real.ErrorLines, Is.EqualTo(new[]
            {
                "hwgen: openFPGALoader is not installed; it programs the board's SPI flash over its USB programmer. " +
                "Install it with: apt-get update && apt-get install -y openfpgaloader (or use --dry-run to only write the image)",
            }));
            Assert.That(dry.ExitCode, Is.Zero, dry.ToString());
            Assert.That(Regex.IsMatch(dry.Stdout, @"\nopenFPGALoader -b ice40_generic -f --offset 0 \S+hello\.bin\n"), Is.True, dry.ToString());
        });
    }
}
