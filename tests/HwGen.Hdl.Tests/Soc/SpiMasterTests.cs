using System.Globalization;
using System.Text;
using HwGen.Designs.Soc;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>
/// The SPI master against the board's flash model (sim/Board/spi_flash_model.v) in its bench
/// (Benches/SpiMaster_tb.v), under both simulators: the master and the model test each other.
/// </summary>
[TestFixture]
public sealed class SpiMasterTests
{
    private const int FlashBytes = 65536;

    [Test]
    public void ReadsTheFlashModel([Values] Simulator simulator, [Values(1, 3)] int clocksPerHalfBit)
    {
        var map = MemoryMap.Ice40Up5k;
        var spi = new SpiMaster(map, clocksPerHalfBit);
        // Bytes at 0x1230 (the last two unlisted, so erased) and across the end of the flash.
        var bytes = new SortedDictionary<int, byte>();
        for (int i = 0; i < 10; i++)
            bytes[0x1230 + i] = (byte)(0x3C + 37 * i);
        bytes[FlashBytes - 3] = 0x11;
        bytes[FlashBytes - 2] = 0x00;
        bytes[FlashBytes - 1] = 0x22;
        bytes[0] = 0x80;
        bytes[1] = 0x01;
        var hex = new StringBuilder();
        int next = -1;
        foreach (var (address, value) in bytes)
        {
            if (address != next)
                hex.Append(CultureInfo.InvariantCulture, $"@{address:x}\n");
            hex.Append(CultureInfo.InvariantCulture, $"{value:x2}\n");
            next = address + 1;
        }

        string Expected(int address, int count) =>
            $"READ {address:x6}:" + string.Concat(Enumerable.Range(address, count)
                .Select(a => string.Create(CultureInfo.InvariantCulture, $" {bytes.GetValueOrDefault(a % FlashBytes, (byte)0xFF):x2}")));

        DeviceBench.AssertPasses(
            "spi-master", spi, simulator,
            new Dictionary<string, int>
            {
                ["CLOCKS_PER_HALF_BIT"] = spi.ClocksPerHalfBit,
                ["DATA_OFFSET"] = (int)map.SpiDataOffset,
                ["CONTROL_OFFSET"] = (int)map.SpiControlOffset,
                ["FLASH_BYTES"] = FlashBytes,
            },
            models: ["spi_flash_model.v"],
            files: new Dictionary<string, string> { ["flash.hex"] = hex.ToString() },
            expectedLines: [Expected(0x1230, 12), Expected(FlashBytes - 3, 6)]);
    }
}
