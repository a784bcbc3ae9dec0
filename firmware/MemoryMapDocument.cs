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
    /// <summary><c>bit 3</c> for a one-bit mask, <c>bits 7..4</c> for a field.</summary>
    private static string BitsOf(uint mask)
    {
        int low = System.Numerics.BitOperations.TrailingZeroCount(mask);
        int high = 31 - System.Numerics.BitOperations.LeadingZeroCount(mask);
        return low == high ? $"bit {low}" : $"bits {high}..{low}";
    }

    /// <summary><c>rwx</c>, a dash for each one the region does not allow.</summary>
    private static string Access(MemoryRegion r) =>
        $"{(r.Readable ? 'r' : '-')}{(r.Writable ? 'w' : '-')}{(r.Executable ? 'x' : '-')}";

    private static string Widths(AccessWidths widths) =>
        widths == AccessWidths.Any ? "any" : string.Join(", ", new[] { AccessWidths.Byte, AccessWidths.Halfword, AccessWidths.Word }.Where(w => widths.HasFlag(w)).Select(w => w.ToString().ToLowerInvariant() + "s"));

    public static string Render(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        static string Word(ulong value) => "0x" + (value >> 16).ToString("X4", CultureInfo.InvariantCulture) + "_" + (value & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture);
        map.Validate();
        return FirmwareTemplates.Render("memory_map.md.sbn", new
        {
            Regions = map.Regions.Select(r => new { Base = Word(r.Base), End = Word((ulong)r.Base + r.Size - 1), r.Name, Kind = r.Kind.ToString(), Access = Access(r), Widths = Widths(r.Widths), r.Description }).ToList(),
            Registers = map.Regions
                .SelectMany(r => r.Registers.Select(x => new
                {
                    Address = Word(r.Base + x.Offset),
                    Name = $"{r.Name} {x.Name}",
                    Description = x.Bits.Count == 0 ? x.Description : $"{x.Description}: " + string.Join(", ", x.Bits.Select(b => $"{BitsOf(b.Mask)} {b.Description}")),
                }))
                .ToList(),
            ResetVector = Word(map.ResetVector),
        });
    }
}
