using HwGen.Designs.Soc;
using HwGen.Firmware;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Programs;

/// <summary>The header, the linker scripts and the documentation are generated from the map's list of regions, registers and attributes included.</summary>
[TestFixture]
public sealed class MemoryMapOutputTests
{
    private static readonly MemoryMap s_map = MemoryMap.Simulation.With(
        MemoryRegion.Device("TIMER", 0x4000_0000, 0x100, "a second timer", AccessWidths.Word | AccessWidths.Halfword,
            new DeviceRegister("COUNT", 0x0, "the count"),
            new DeviceRegister("CONTROL", 0x8, "control") { Bits = [new("RUN", 1u << 0, "counting"), new("MODE", 0b110, "wrap mode")] }));

    [Test]
    public void TheHeaderHasEveryRegionAndRegister()
    {
        var header = SocHeader.Render(s_map);
        Assert.Multiple(() =>
        {
            Assert.That(header, Does.Contain("#define HWGEN_TIMER_BASE 0x40000000"));
            Assert.That(header, Does.Contain("#define HWGEN_TIMER_SIZE 0x00000100"));
            Assert.That(header, Does.Contain("#define HWGEN_TIMER_COUNT 0x40000000"));
            Assert.That(header, Does.Contain("#define HWGEN_TIMER_CONTROL 0x40000008"));
            Assert.That(header, Does.Contain("#define HWGEN_TIMER_CONTROL_MODE 0x00000006 /* wrap mode */"));
            Assert.That(header, Does.Contain("#define HWGEN_SPI_CONTROL_BUSY 0x00000002 /* a transfer is in progress (read only) */"), "the SPI flash's registers keep their prefix");
            Assert.That(header, Does.Contain("#define HWGEN_UART_STATUS_RX_VALID 0x00000002"));
            Assert.That(header, Does.Contain("#define HWGEN_CLINT_MTIMECMPH 0x02004004"));
        });
    }

    [Test]
    public void TheDocumentHasEveryRegionWithItsAttributesAndEveryRegister()
    {
        var document = MemoryMapDocument.Render(s_map with { BootRomSize = 2048 });
        Assert.Multiple(() =>
        {
            Assert.That(document, Does.Contain("| `0x0001_0000` | `0x0001_07FF` | BOOTROM | Rom | `r-x` | any | boot loader"));
            Assert.That(document, Does.Contain("| `0x4000_0000` | `0x4000_00FF` | TIMER | Device | `rw-` | halfwords, words | a second timer |"));
            Assert.That(document, Does.Contain("| `0x1000_0000` | `0x1000_0FFF` | UART | Device | `rw-` | any |"));
            Assert.That(document, Does.Contain("| `0x4000_0008` | TIMER CONTROL | control: bit 0 counting, bits 2..1 wrap mode |"));
            Assert.That(document, Does.Contain("The reset PC is `0x0001_0000`."));
        });
    }

    [Test]
    public void TheLinkerScriptsTakeTheRegionsAttributes()
    {
        var rom = MemoryMap.Ice40Up5k with { BootRomSize = 2048 };
        Assert.Multiple(() =>
        {
            Assert.That(LinkerScript.Render(s_map), Does.Contain("RAM (rwx) : ORIGIN = 0x80000000"));
            Assert.That(BootRom.RenderLinkerScript(rom), Does.Contain("BOOTROM (rx) : ORIGIN = 0x00010000, LENGTH = 0x00000800"));
        });
    }

    [Test]
    public void TheDocumentRefusesABadMapWhileFirmwareMayBeBuiltForTheGoldenModelsLayout()
    {
        // A boot ROM inside the RAM: the golden model runs it (it fetches from RAM only); no SoC can be built for it.
        var romInRam = MemoryMap.Simulation with { BootRomBase = 0x8030_0000, BootRomSize = 2048 };
        Assert.Multiple(() =>
        {
            Assert.That(() => MemoryMapDocument.Render(romInRam), Throws.InstanceOf<MemoryMapException>().With.Message.Contains("overlaps region BOOTROM"));
            Assert.That(SocHeader.Render(romInRam), Does.Contain("#define HWGEN_BOOTROM_BASE 0x80300000"));
            Assert.That(BootRom.RenderLinkerScript(romInRam), Does.Contain("BOOTROM (rx) : ORIGIN = 0x80300000"));
        });
    }
}
