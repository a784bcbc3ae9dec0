using System.Globalization;
using HwGen.Designs.Boards;
using HwGen.Designs.Ice40;
using HwGen.Firmware;
using HwGen.Sim.Boards;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Boards;

/// <summary>
/// The boot path of the iCEBreaker's board SoC, in Verilator: the board top with its clock divider and power-on
/// reset, the boot ROM, the SPRAM (behavioural models of the iCE40 primitives), a SPI flash model holding a flash
/// image and a UART monitor on the serial line. A good image boots <c>hello</c>, whose output comes back over the
/// serial line; a corrupted image and an erased flash are refused with their one-line reason and LED 0 blinks.
/// </summary>
/// <remarks>
/// The boot loader is the board's, built for the board's clock, with one change: its blink delay is shortened
/// (<c>BOOT_BLINK_LOOPS</c>) so that a simulated run sees the LED toggle several times.
/// </remarks>
[TestFixture]
[NonParallelizable]
public sealed class BoardBootTests
{
    private const ulong BootCycles = 2_500_000;
    private static readonly Board Icebreaker = Board.Load("icebreaker");

    private string _work = "";
    private BoardSimulation _simulation = null!;
    private FlashImage _hello = null!;
    private IReadOnlyList<uint> _bootRom = [];

    [OneTimeSetUp]
    public void BuildTheBoardOnce()
    {
        _work = Path.Combine(Path.GetTempPath(), "hwgen-board-boot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_work);
        var plan = ClockPlan.For(Icebreaker.OscillatorMHz, Icebreaker.FrequencyMHz);
        var boot = BootRom.Compile(BootLoaderOptions.For(Icebreaker) with
        {
            ClockMHz = plan.AchievedMHz,
            Defines = new Dictionary<string, string?> { ["BOOT_BLINK_LOOPS"] = "500u" },
        }, Path.Combine(_work, "boot"));
        _bootRom = boot.Words;
        var top = new BoardSoc(Icebreaker, plan, boot.Words.Select(w => (ulong)w).ToArray());
        _simulation = BoardSimulation.Build(top, TestContext.Progress.WriteLine);
        _hello = BoardApps.Image("hello", Icebreaker, Path.Combine(_work, "hello"));
    }

    [OneTimeTearDown]
    public void RemoveTheWorkFolder()
    {
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }

    private byte[] Flash(byte[]? firmware)
    {
        var flash = new byte[Icebreaker.Flash.FirmwareOffset + (firmware?.Length ?? 0)];
        Array.Fill(flash, (byte)0xFF);
        firmware?.CopyTo(flash, (int)Icebreaker.Flash.FirmwareOffset);
        return flash;
    }

    private BoardRun Run(byte[] flash, string name) =>
        _simulation.Run(flash, BootCycles, Path.Combine(_work, name));

    [Test]
    public void AGoodImageBootsHelloAndItsOutputComesBackOverTheSerialLine()
    {
        var run = Run(Flash(_hello.ToBytes()), "good");

        var expected = string.Create(CultureInfo.InvariantCulture,
            $"boot: {_hello.PayloadLength} bytes at 0x80000000, crc ok\nHello from HwGen!\nRAM: 64 KiB at 0x80000000\n");
        Assert.That(run.Uart, Does.StartWith(expected), run.Uart);
        Assert.That(run.Uart, Does.Contain("clock: 6000 kHz\nblinking LED 0\n"), run.Uart);
    }

    [Test]
    public void ACorruptedPayloadIsRefusedWithItsCrcAndTheLedBlinks()
    {
        var image = _hello.ToBytes();
        image[^5] ^= 0x40;
        var run = Run(Flash(image), "bad-crc");

        Assert.That(run.Uart, Does.Match(@"^boot: bad crc: image 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\n$"), run.Uart);
        Assert.That(run.Uart, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"image 0x{_hello.PayloadCrc:x8}")), run.Uart);
        Assert.That(run.Leds.Count(l => l.Bits.EndsWith('0')), Is.GreaterThanOrEqualTo(2), "LED 0 (active low) should blink");
    }

    [Test]
    public void TheBootRomReadsButAStoreToItIsAnAccessFault()
    {
        var source = Path.Combine(_work, "rom-store", "rom_store.c");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllText(source, """
            #include "console.h"
            #include "hwgen_soc.h"

            int main(void)
            {
                print_str("rom word 0: ");
                print_hex(HWGEN_MMIO32(HWGEN_BOOTROM_BASE));
                putchar('\n');
                HWGEN_MMIO32(HWGEN_BOOTROM_BASE) = 0;
                puts("the store went through");
                return 0;
            }
            """);
        var elf = RiscvToolchain.Find().Build(new BuildRequest([source], Path.ChangeExtension(source, ".elf")) { MemoryMap = Icebreaker.MemoryMap }).ElfPath;
        var run = Run(Flash(FlashImage.FromElf(elf, Icebreaker.MemoryMap).ToBytes()), "rom-store");

        var firstWord = string.Create(CultureInfo.InvariantCulture, $"rom word 0: 0x{_bootRom[0]:x8}\n");
        Assert.That(run.Uart, Does.Contain(firstWord), run.Uart);
        Assert.That(run.Uart, Does.Contain("*** unexpected trap: mcause 0x00000007").And.Contain("mtval 0x00010000"), run.Uart);
        Assert.That(run.Uart, Does.Not.Contain("the store went through"), run.Uart);
    }

    [Test]
    public void AnErasedFlashIsRefusedAndTheLedBlinks()
    {
        var run = Run(Flash(null), "erased");

        Assert.That(run.Uart, Is.EqualTo("boot: no image at flash 0x100000 (magic 0xffffffff)\n"));
        Assert.That(run.Leds, Has.Count.GreaterThanOrEqualTo(4), "LED 0 should blink");
    }
}
