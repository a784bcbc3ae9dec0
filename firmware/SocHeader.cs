using HwGen.Designs.Soc;

namespace HwGen.Firmware;

/// <summary>
/// The C header <c>hwgen_soc.h</c>: every region base and size and every device register address of
/// the memory map, generated through <c>firmware/Templates/hwgen_soc.h.sbn</c>. The constants are
/// plain integers, so assembly sources include the header too; C-only declarations are guarded by
/// <c>#ifndef __ASSEMBLER__</c>.
/// </summary>
/// <remarks>
/// Macros: <c>HWGEN_&lt;REGION&gt;_BASE</c>, <c>_SIZE</c> and <c>_END</c> for each region of
/// <see cref="MemoryMap.Regions"/>; <c>HWGEN_RESET_VECTOR</c>; <c>HWGEN_UART_DATA</c>,
/// <c>HWGEN_UART_STATUS</c> with <c>HWGEN_UART_STATUS_TX_READY</c> and <c>HWGEN_UART_STATUS_RX_VALID</c>;
/// <c>HWGEN_CLINT_MTIME</c>, <c>HWGEN_CLINT_MTIMEH</c>, <c>HWGEN_CLINT_MTIMECMP</c>,
/// <c>HWGEN_CLINT_MTIMECMPH</c>; <c>HWGEN_UNMAPPED_ADDRESS</c>, the lowest address outside every
/// region (what an access-fault test reaches for).
/// </remarks>
public static class SocHeader
{
    /// <summary>The name programs include: <c>#include "hwgen_soc.h"</c>.</summary>
    public const string FileName = "hwgen_soc.h";

    /// <summary>UART status bit 0: the transmitter takes a byte (see <see cref="MemoryMap.UartStatusOffset"/>).</summary>
    public const uint UartStatusTxReady = 1u << 0;

    /// <summary>UART status bit 1: a received byte is waiting in the data register.</summary>
    public const uint UartStatusRxValid = 1u << 1;

    /// <summary>SPI control bit 0: the flash's chip select is driven (see <see cref="MemoryMap.SpiControlOffset"/>).</summary>
    public const uint SpiControlSelect = 1u << 0;

    /// <summary>SPI control bit 1 (read only): a transfer is in progress.</summary>
    public const uint SpiControlBusy = 1u << 1;

    public static string Render(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var regions = map.Regions
            .Select(r => new RegionModel(
                Macro: "HWGEN_" + r.Name.ToUpperInvariant(),
                Name: r.Name,
                Description: r.Description,
                Base: Hex.Word(r.Base),
                Size: Hex.Word(r.Size),
                End: "0x" + ((ulong)r.Base + r.Size).ToString("X8", System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

        RegisterModel[] registers =
        [
            new("HWGEN_UART_DATA", Hex.Word(map.UartData), "UART data: a write sends a byte, a read takes the received byte", []),
            new("HWGEN_UART_STATUS", Hex.Word(map.UartStatus), "UART status", [
                new("HWGEN_UART_STATUS_TX_READY", Hex.Word(UartStatusTxReady), "ready to send"),
                new("HWGEN_UART_STATUS_RX_VALID", Hex.Word(UartStatusRxValid), "a byte has been received"),
            ]),
            new("HWGEN_GPIO_LEDS", Hex.Word(map.GpioLeds), "GPIO LEDs: bit i drives LED i, 1 = lit", []),
            new("HWGEN_GPIO_BUTTONS", Hex.Word(map.GpioButtons), "GPIO buttons (read only): bit i is 1 while button i is pressed", []),
            new("HWGEN_SPI_DATA", Hex.Word(map.SpiData), "SPI flash data: a write shifts a byte out and one in, a read gives the byte received", []),
            new("HWGEN_SPI_CONTROL", Hex.Word(map.SpiControl), "SPI flash control", [
                new("HWGEN_SPI_CONTROL_SELECT", Hex.Word(SpiControlSelect), "chip select driven (write and read)"),
                new("HWGEN_SPI_CONTROL_BUSY", Hex.Word(SpiControlBusy), "a transfer is in progress (read only)"),
            ]),
            new("HWGEN_CLINT_MTIME", Hex.Word(map.Mtime), "CLINT mtime, low word of the 64-bit timer", []),
            new("HWGEN_CLINT_MTIMEH", Hex.Word(map.Mtime + 4), "CLINT mtime, high word", []),
            new("HWGEN_CLINT_MTIMECMP", Hex.Word(map.Mtimecmp), "CLINT mtimecmp, low word: the timer interrupt is pending while mtime >= mtimecmp", []),
            new("HWGEN_CLINT_MTIMECMPH", Hex.Word(map.Mtimecmp + 4), "CLINT mtimecmp, high word", []),
            new("HWGEN_UNMAPPED_ADDRESS", Hex.Word(UnmappedAddress(map)), "The lowest address outside every region: an access there faults", []),
        ];

        var model = new HeaderModel(
            FileName: FileName,
            Guard: "HWGEN_SOC_H",
            ResetVector: Hex.Word(map.ResetVector),
            Regions: regions,
            Registers: registers);
        return FirmwareTemplates.Render("hwgen_soc.h.sbn", model);
    }

    /// <summary>The lowest 16-byte-aligned address that no region of <paramref name="map"/> contains.</summary>
    public static uint UnmappedAddress(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        ulong candidate = 0;
        bool moved = true;
        while (moved && candidate <= uint.MaxValue)
        {
            moved = false;
            foreach (var region in map.Regions)
            {
                if (region.Contains((uint)candidate))
                {
                    candidate = ((ulong)region.Base + region.Size + 15) & ~15UL;
                    moved = true;
                }
            }
        }
        if (candidate > uint.MaxValue)
            throw new ArgumentException("memory map: the regions cover the whole address space; no address is unmapped", nameof(map));
        return (uint)candidate;
    }

    private sealed record HeaderModel(string FileName, string Guard, string ResetVector, IReadOnlyList<RegionModel> Regions, IReadOnlyList<RegisterModel> Registers);

    private sealed record RegionModel(string Macro, string Name, string Description, string Base, string Size, string End);

    private sealed record RegisterModel(string Macro, string Address, string Description, IReadOnlyList<BitModel> Bits);

    private sealed record BitModel(string Macro, string Mask, string Description);
}
