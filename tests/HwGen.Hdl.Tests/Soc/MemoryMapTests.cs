using HwGen.Designs.Soc;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>The memory map as a list of regions: the per-device properties are views over it, and a bad map is refused with every problem named.</summary>
[TestFixture]
public sealed class MemoryMapTests
{
    [Test]
    public void TheDefaultMapIsAListOfRegionsInAddressOrder()
    {
        var map = MemoryMap.Simulation;
        Assert.Multiple(() =>
        {
            Assert.That(map.Regions.Select(r => r.Name), Is.EqualTo(new[] { "CLINT", "UART", "GPIO", "SPIFLASH", "PEXCALL", "RAM" }));
            Assert.That(map.Regions.Select(r => r.Base), Is.Ordered);
            Assert.That(map.Ram, Is.SameAs(map.Regions[^1]));
            Assert.That(map.Uart, Is.SameAs(map.Region("UART")));
            Assert.That(map.UartStatus, Is.EqualTo(0x1000_0004u));
            Assert.That(map.Mtimecmp, Is.EqualTo(0x0200_4000u));
            Assert.That(map.Mtime, Is.EqualTo(0x0200_BFF8u));
            Assert.That(map.Clint.AddressOf("MTIMEH"), Is.EqualTo(0x0200_BFFCu));
            Assert.That(map.SpiControl, Is.EqualTo(0x1000_2004u));
            Assert.That(map.ResetVector, Is.EqualTo(0x8000_0000u));
            Assert.That(map.HasBootRom, Is.False);
        });
    }

    [Test]
    public void EachRegionCarriesItsAttributes()
    {
        var map = MemoryMap.Ice40Up5k with { BootRomSize = 2048 };
        Assert.Multiple(() =>
        {
            Assert.That((map.Ram.Kind, map.Ram.Executable, map.Ram.Writable, map.Ram.Widths), Is.EqualTo((RegionKind.Ram, true, true, AccessWidths.Any)));
            Assert.That((map.BootRom.Kind, map.BootRom.Executable, map.BootRom.Readable, map.BootRom.Writable), Is.EqualTo((RegionKind.Rom, true, true, false)));
            Assert.That((map.Uart.Kind, map.Uart.Executable, map.Uart.Widths), Is.EqualTo((RegionKind.Device, false, AccessWidths.Any)));
            Assert.That(map.Uart.Allows(AccessWidths.Byte), Is.True, "console drivers write the data register with sb");
            Assert.That(map.Clint.Allows(AccessWidths.Byte), Is.False);
            Assert.That(map.Gpio.Allows(AccessWidths.Byte), Is.True);
            Assert.That(map.Clint.Widths, Is.EqualTo(AccessWidths.Word));
            Assert.That(map.SpiFlash.Widths, Is.EqualTo(AccessWidths.Word));
            Assert.That(map.PexCall.Widths, Is.EqualTo(AccessWidths.Any));
            Assert.That(map.Regions.Where(r => r.Executable).Select(r => r.Name), Is.EquivalentTo(new[] { "RAM", "BOOTROM" }));
            Assert.That(map.Uart.Register("STATUS").Bits.Select(b => b.Mask), Is.EqualTo(new[] { 1u, 2u }));
        });
    }

    [Test]
    public void SettingAPropertyChangesTheRegionInTheList()
    {
        var map = MemoryMap.Simulation with { UartBase = 0x3000_0000, RamSize = 4096, MtimeOffset = 0x8000 };
        Assert.Multiple(() =>
        {
            Assert.That(map.Region("UART").Base, Is.EqualTo(0x3000_0000u));
            Assert.That(map.UartData, Is.EqualTo(0x3000_0000u));
            Assert.That(map.Region("RAM").Size, Is.EqualTo(4096u));
            Assert.That(map.Regions.Select(r => r.Name), Is.EqualTo(new[] { "CLINT", "GPIO", "SPIFLASH", "PEXCALL", "UART", "RAM" }), "still in address order");
            Assert.That(map.Clint.AddressOf("MTIME"), Is.EqualTo(0x0200_8000u));
            Assert.That(map.Clint.AddressOf("MTIMEH"), Is.EqualTo(0x0200_8004u), "the high word follows the low one");
            Assert.That(MemoryMap.Simulation.UartBase, Is.EqualTo(0x1000_0000u), "the original is unchanged");
        });
    }

    [Test]
    public void TheBootRomSizeAddsMovesAndRemovesTheRegion()
    {
        var withRom = MemoryMap.Simulation with { BootRomBase = 0x0002_0000, BootRomSize = 2048 };
        var moved = withRom with { BootRomBase = 0x0004_0000 };
        var without = withRom with { BootRomSize = 0 };
        Assert.Multiple(() =>
        {
            Assert.That(withRom.Region("BOOTROM").Base, Is.EqualTo(0x0002_0000u));
            Assert.That(withRom.Regions[0].Name, Is.EqualTo("BOOTROM"));
            Assert.That(withRom.ResetVector, Is.EqualTo(0x0002_0000u));
            Assert.That(moved.Region("BOOTROM").Base, Is.EqualTo(0x0004_0000u));
            Assert.That(without.Find("BOOTROM"), Is.Null);
            Assert.That(without.HasBootRom, Is.False);
            Assert.That(without.ResetVector, Is.EqualTo(without.RamBase));
        });
    }

    [Test]
    public void MapsAreEqualWhenTheirRegionsAre()
    {
        var a = new MemoryMap(RamBase: 0x8000_0000, RamSize: 4u << 20);
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(MemoryMap.Simulation));
            Assert.That(a.GetHashCode(), Is.EqualTo(MemoryMap.Simulation.GetHashCode()));
            Assert.That(a with { GpioBase = 0x1000_3000 }, Is.Not.EqualTo(MemoryMap.Simulation));
            Assert.That(new MemoryMap(MemoryMap.Simulation.Regions), Is.EqualTo(MemoryMap.Simulation));
            Assert.That(MemoryMap.Simulation.With(MemoryMap.Simulation.Uart with { Widths = AccessWidths.Word }), Is.Not.EqualTo(MemoryMap.Simulation));
        });
    }

    [Test]
    public void AMapIsBuiltFromItsRegions()
    {
        var map = new MemoryMap([
            MemoryRegion.Ram("RAM", 0x8000_0000, 64u << 10, "main memory"),
            MemoryRegion.Device("TIMER", 0x4000_0000, 0x100, "a timer", AccessWidths.Word,
                new DeviceRegister("COUNT", 0x0, "the count"), new DeviceRegister("LIMIT", 0x8, "where it wraps")),
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(map.Regions.Select(r => r.Name), Is.EqualTo(new[] { "TIMER", "RAM" }));
            Assert.That(map.Region("TIMER").AddressOf("LIMIT"), Is.EqualTo(0x4000_0008u));
            Assert.That(map.RegionAt(0x8000_0010)?.Name, Is.EqualTo("RAM"));
            Assert.That(map.RegionAt(0x4000_0100), Is.Null);
            Assert.That(() => map.Uart, Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("no region UART").And.Message.Contains("TIMER, RAM"));
            Assert.That(() => map.Region("TIMER").Register("STATUS"), Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("COUNT, LIMIT"));
        });
    }

    [Test]
    public void OverlappingRegionsAreRefusedNamingBoth()
    {
        var error = Assert.Throws<MemoryMapException>(() => _ = new MemoryMap([
            MemoryRegion.Ram("RAM", 0x8000_0000, 0x1_0000, "main memory"),
            MemoryRegion.Device("UART", 0x8000_F000, 0x1000, "console", AccessWidths.Word),
        ]));
        Assert.That(error!.Message, Does.Contain("region RAM [0x80000000, 0x80010000) overlaps region UART [0x8000F000, 0x80010000)"));
    }

    [Test]
    public void AZeroSizeIsRefused()
    {
        var error = Assert.Throws<MemoryMapException>(() => _ = new MemoryMap([
            MemoryRegion.Ram("RAM", 0x8000_0000, 0x1_0000, "main memory"),
            MemoryRegion.Device("UART", 0x1000_0000, 0, "console", AccessWidths.Word),
        ]));
        Assert.That(error!.Message, Does.Contain("region UART at 0x10000000 has size 0"));
    }

    [Test]
    public void EveryProblemIsReportedTogether()
    {
        var error = Assert.Throws<MemoryMapException>(() => _ = new MemoryMap([
            MemoryRegion.Device("uart", 0x1000_0002, 0x1000, "console", AccessWidths.Word),
            MemoryRegion.Device("GPIO", 0x1000_4000, 0x1000, "LEDs", AccessWidths.None),
            MemoryRegion.Device("PEX", 0x2000_0000, 0x100, "calls", AccessWidths.Word, new DeviceRegister("CALL", 0x100, "out of the region")),
            MemoryRegion.Device("GPIO", 0x3000_0000, 0x100, "again", AccessWidths.Word) with { Executable = true, Readable = false },
            MemoryRegion.Ram("TOP", 0xFFFF_F000, 0x2000, "past the end"),
        ]));
        Assert.That(error!.Problems, Is.EquivalentTo(new[]
        {
            "region name 'uart' is not an identifier of upper-case letters, digits and underscores",
            "region uart at 0x10000002 of size 0x00001000 is not word-aligned: base and size must be multiples of 4",
            "region GPIO at 0x10004000 takes no access width (Widths is None; give Byte, Halfword and/or Word)",
            "region PEX at 0x20000000: register CALL at offset 0x00000100 is not a word inside the region",
            "region GPIO at 0x30000000 is executable but does not take word reads (an instruction fetch reads a word)",
            "region TOP at 0xFFFFF000 of size 0x00002000 runs past the end of the 32-bit address space",
            "region GPIO is defined 2 times",
            "the map has no region of kind Ram called RAM: programs are loaded and run there",
        }));
    }

    [Test]
    public void TheDecoderNeedsAlignedRegions()
    {
        var map = MemoryMap.Simulation with { PexCallSize = 0x1800 };
        Assert.That(() => map.Validate(), Throws.Nothing, "the map itself may hold an unaligned region");
        var error = Assert.Throws<MemoryMapException>(() => map.Validate(alignedForDecoder: true));
        Assert.That(error!.Message, Does.Contain("region PEXCALL at 0x20000000 of size 0x00001800 is not aligned for the decoder: its size must be a power of two and its base a multiple of it"));
        Assert.That(() => (MemoryMap.Simulation with { GpioBase = 0x1000_1800, GpioSize = 0x800 }).Validate(alignedForDecoder: true), Throws.Nothing);
    }

    [Test]
    public void AMapChangedInPlaceIsCheckedByTheSoc()
    {
        var map = MemoryMap.Simulation with { GpioBase = 0x1000_0800 };
        var error = Assert.Throws<MemoryMapException>(() => _ = new ApSoc(map with { RamSize = 4096 }));
        Assert.That(error!.Message, Does.Contain("region UART [0x10000000, 0x10001000) overlaps region GPIO [0x10000800, 0x10001800)"));
    }
}
