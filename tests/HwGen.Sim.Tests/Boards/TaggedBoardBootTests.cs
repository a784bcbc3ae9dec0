using System.Globalization;
using HwGen.Designs.Boards;
using HwGen.Designs.Ice40;
using HwGen.Firmware;
using HwGen.Firmware.Pex;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Boards;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Boards;

/// <summary>
/// The tagged iCEBreaker SoC booting from its flash, in Verilator (the board simulation: the board top, the iCE40
/// models, the SPI flash model, the UART monitor). The PEX, the boot agent, reads the tagged flash image: its policy
/// firmware into its SPRAM, the AP's program into the AP's RAM, the program's initial tags into tag memory; the firmware
/// releases the AP, whose program runs under the policy: its output comes back over the serial line, and its write to
/// its own code is denied (mcause 24, mtval the word's address).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TaggedBoardBootTests
{
    private const ulong BootCycles = 12_000_000;
    private static readonly Board Icebreaker = Board.Load("icebreaker");

    private string _work = "";
    private BoardSimulation _simulation = null!;
    private MemoryMapPair _maps = null!;

    private sealed record MemoryMapPair(HwGen.Designs.Soc.MemoryMap Ap, HwGen.Designs.Soc.MemoryMap Pex);

    [OneTimeSetUp]
    public void BuildTheBoardOnce()
    {
        _work = Path.Combine(Path.GetTempPath(), "hwgen-tagged-board-boot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_work);
        var plan = ClockPlan.For(Icebreaker.OscillatorMHz, Icebreaker.FrequencyMHz);
        var (pexMap, boot) = BootRom.CompileBootAgent(Icebreaker, BootLoaderOptions.For(Icebreaker) with { ClockMHz = plan.AchievedMHz }, Path.Combine(_work, "boot"));
        var top = new BoardSoc(Icebreaker, plan, boot.Words.Select(w => (ulong)w).ToArray(), pex: new BoardPex(pexMap));
        _maps = new MemoryMapPair(Icebreaker.TaggedMemoryMap, pexMap);
        _simulation = BoardSimulation.Build(top, TestContext.Progress.WriteLine);
    }

    [OneTimeTearDown]
    public void RemoveTheWorkFolder()
    {
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }

    /// <summary>The flash with <paramref name="program"/>'s tagged image under <paramref name="policy"/> at the firmware offset.</summary>
    private (byte[] Flash, TaggedFlashImage Image, ElfImage Elf) Flash(string program, string policy)
    {
        var directory = Path.Combine(_work, program);
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, program + ".c");
        File.WriteAllText(source, Programs[program]);
        var elfPath = RiscvToolchain.Find().Build(new BuildRequest([source], Path.ChangeExtension(source, ".elf")) { MemoryMap = _maps.Ap }).ElfPath;
        var elf = ElfImage.Load(elfPath, _maps.Ap);
        var (firmware, tags) = HwGen.Firmware.Pex.PexFirmware.BuildForProgram(elf, Composite.Parse(policy), _maps.Ap, _maps.Pex,
            new PexFirmwareOptions { CacheDirectory = Path.Combine(_work, "pex-cache") });
        var image = TaggedFlashImage.Create(FlashImage.FromElf(elfPath, _maps.Ap), tags.Words, FlashImage.FromElf(firmware.ElfPath, _maps.Pex), _maps.Ap);
        var bytes = image.ToBytes();
        var flash = new byte[Icebreaker.Flash.FirmwareOffset + bytes.Length];
        Array.Fill(flash, (byte)0xFF);
        bytes.CopyTo(flash, (int)Icebreaker.Flash.FirmwareOffset);
        return (flash, image, elf);
    }

    private static readonly Dictionary<string, string> Programs = new()
    {
        ["write_code"] = """
            #include <stdint.h>
            #include "console.h"

            static volatile uint32_t counter;

            int victim(int x)
            {
                return x * 3 + 1;
            }

            /* Never called: its words are where a corruption changes nothing the program does. */
            __attribute__((used, noinline)) int spare(int x)
            {
                return (x ^ 0x5a) * 7 + x / 3;
            }

            int main(void)
            {
                uint32_t sum = 0;
                for (int i = 1; i <= 10; i++)
                {
                    sum += (uint32_t)victim(i);
                    counter = sum;
                }
                print_str("tagged sum ");
                print_udec(sum);
                putchar('\n');
                print_str("writing code at ");
                print_hex((uint32_t)(uintptr_t)&victim);
                putchar('\n');
                *(volatile uint32_t *)(uintptr_t)&victim = 0x00000013u;
                puts("the write to code went through");
                return 0;
            }
            """,
    };

    [Test]
    public void ThePexBootsATaggedProgramFromFlashAndTheWriteToCodeIsDenied()
    {
        var (flash, image, elf) = Flash("write_code", "nxd-nwc");
        var run = _simulation.Run(flash, BootCycles, Path.Combine(_work, "run-write-code"));

        uint victim = elf.FindSymbol("victim")!.Value;
        var victimHex = string.Create(CultureInfo.InvariantCulture, $"0x{victim:x8}");
        TestContext.Out.WriteLine($"flash: PEX firmware {image.PexFirmware.PayloadLength} bytes, program {image.Program.PayloadLength}, tags {image.Tags.PayloadLength}");
        Assert.That(run.Uart, Does.StartWith("tagged sum 175\nwriting code at " + victimHex + "\n"), run.Uart);
        Assert.That(run.Uart, Does.Contain("*** unexpected trap: mcause 0x00000018").And.Contain("mtval " + victimHex), run.Uart);
        Assert.That(run.Uart, Does.Not.Contain("went through"), run.Uart);
    }

    /// <summary>
    /// The unikernel's <c>hello</c> built through the firmware builder under the composite of every policy for the
    /// tagged board's map, in the tagged layout (as <c>hwgen fpga flash --app hello --policy P</c> writes it): its
    /// threads, its timer and its allocator's calls to the PEX run with no violation.
    /// </summary>
    [Test]
    public void TheUnikernelsHelloRunsUnderTheCompositeFromTheFlash()
    {
        var clockHz = (uint)Math.Round(BoardApps.ClockMHz(Icebreaker) * 1e6);
        var build = UnikernelBuilder.Build(new UnikernelBuildOptions("hello", Path.Combine(_work, "hello"))
        {
            MemoryMap = _maps.Ap,
            Board = Icebreaker.Name,
            Defines = new Dictionary<string, string?> { ["HWGEN_BOARD_CLOCK_HZ"] = clockHz.ToString(CultureInfo.InvariantCulture) + "u" },
            Policy = Composite.Parse("nxd-nwc+ret+heap+cfi+taint"),
        });
        var image = TaggedFlashImage.Create(build, _maps.Ap).ToBytes();
        var flash = new byte[Icebreaker.Flash.FirmwareOffset + image.Length];
        Array.Fill(flash, (byte)0xFF);
        image.CopyTo(flash, (int)Icebreaker.Flash.FirmwareOffset);
        // Three pauses of 200,000 cycles a thread, the misses of a new program under five policies served from the
        // PEX's SPRAM, at 6 MHz from the 12 MHz oscillator.
        var run = _simulation.Run(flash, 30_000_000, Path.Combine(_work, "run-hello"));

        Assert.That(run.Uart, Does.StartWith("Hello from the HwGen unikernel!\n"), run.Uart);
        Assert.That(run.Uart, Does.Contain("ping: line 3 of 3").And.Contain("pong!: line 3 of 3"), run.Uart);
        Assert.That(run.Uart, Does.Contain("joined: ping returned 4, pong returned 5\ntimer: ticking\n"), run.Uart);
        Assert.That(run.Uart, Does.Not.Contain("violation").And.Not.Contain("trap"), run.Uart);
    }

    [Test]
    public void WithoutThePolicyTheSameWriteGoesThrough()
    {
        var (flash, _, _) = Flash("write_code", "none");
        var run = _simulation.Run(flash, BootCycles, Path.Combine(_work, "run-none"));

        Assert.That(run.Uart, Does.StartWith("tagged sum 175\n"), run.Uart);
        Assert.That(run.Uart, Does.Contain("the write to code went through"), run.Uart);
    }

    /// <summary>
    /// A byte of one image's payload changed: the PEX's boot loader stops before it enters the firmware, the AP held.
    /// The program's and the tags' change is in a function the program never calls (its first code byte; its first
    /// word's tag set to 0), so only the CRC tells it: without the check the program would run and print.
    /// </summary>
    [TestCase(0, TestName = "A corrupted PEX firmware is refused and the AP stays held")]
    [TestCase(1, TestName = "A corrupted program is refused and the AP stays held")]
    [TestCase(2, TestName = "A corrupted tag image is refused and the AP stays held")]
    public void ACorruptedImageIsRefusedAndTheApStaysHeld(int which)
    {
        var (flash, image, elf) = Flash("write_code", "nxd-nwc");
        FlashImage[] images = [image.PexFirmware, image.Program, image.Tags];
        int payload = (int)Icebreaker.Flash.FirmwareOffset + images.Take(which).Sum(i => i.TotalBytes) + FlashImage.HeaderBytes;
        uint spare = elf.FindSymbol("spare")!.Value - _maps.Ap.RamBase;
        Assert.That(image.TagWords()[_maps.Ap.RamBase + spare], Is.Not.Zero, "the spare function's first word has a tag");
        switch (which)
        {
            case 0:
                flash[payload + (int)images[0].PayloadLength - 1] ^= 0x01;
                break;
            case 1:
                flash[payload + (int)spare] ^= 0x01;
                break;
            default:
                flash[payload + (int)(spare / 2)] = 0;
                flash[payload + (int)(spare / 2) + 1] = 0;
                break;
        }
        var run = _simulation.Run(flash, BootCycles, Path.Combine(_work, $"run-corrupt-{which}"));

        Assert.That(run.Uart, Is.Empty, "the AP never runs");
    }
}
