using System.Globalization;
using HwGen.Designs.Soc;

namespace HwGen.Firmware;

/// <summary>
/// The memory map as a Markdown table for the documentation, generated through
/// <c>firmware/Templates/memory_map.md.sbn</c> from the same <see cref="MemoryMap"/> as the RTL, the linker
/// script and <c>hwgen_soc.h</c>.
/// </summary>
public static class MemoryMapDocument
{
    public static string Render(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        static string Word(ulong value) => "0x" + (value >> 16).ToString("X4", CultureInfo.InvariantCulture) + "_" + (value & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture);
        return FirmwareTemplates.Render("memory_map.md.sbn", new
        {
            Regions = map.Regions.Select(r => new { Base = Word(r.Base), End = Word((ulong)r.Base + r.Size - 1), r.Name, r.Description }).ToList(),
            UartData = Word(map.UartData),
            UartStatus = Word(map.UartStatus),
            Mtimecmp = Word(map.Mtimecmp),
            Mtime = Word(map.Mtime),
            ResetVector = Word(map.ResetVector),
        });
    }
}
