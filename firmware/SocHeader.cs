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
/// <see cref="MemoryMap.Regions"/>; <c>HWGEN_RESET_VECTOR</c>; for every register of a region
/// (<see cref="MemoryRegion.Registers"/>) <c>HWGEN_&lt;PREFIX&gt;_&lt;REGISTER&gt;</c>, its address, and
/// <c>HWGEN_&lt;PREFIX&gt;_&lt;REGISTER&gt;_&lt;BIT&gt;</c> for each of its named bits, the prefix being the region's
/// <see cref="MemoryRegion.RegisterPrefix"/> or name (<c>HWGEN_UART_DATA</c>, <c>HWGEN_UART_STATUS_TX_READY</c>,
/// <c>HWGEN_CLINT_MTIMECMPH</c>, <c>HWGEN_SPI_CONTROL_BUSY</c>); <c>HWGEN_UNMAPPED_ADDRESS</c>, the lowest address outside every
/// region (what an access-fault test reaches for). The map is not checked for overlaps here: a test may build
/// firmware for a layout that only the golden model runs (a boot ROM inside the RAM); the SoC refuses such a map.
/// </remarks>
public static class SocHeader
{
    /// <summary>The name programs include: <c>#include "hwgen_soc.h"</c>.</summary>
    public const string FileName = "hwgen_soc.h";

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

        var registers = map.Regions
            .SelectMany(r => r.Registers.Select(x => (Prefix: "HWGEN_" + (r.RegisterPrefix ?? r.Name) + "_" + x.Name, Region: r, Register: x)))
            .Select(x => new RegisterModel(x.Prefix, Hex.Word(x.Region.Base + x.Register.Offset), x.Register.Description,
                [.. x.Register.Bits.Select(b => new BitModel(x.Prefix + "_" + b.Name, Hex.Word(b.Mask), b.Description))]))
            .Append(new RegisterModel("HWGEN_UNMAPPED_ADDRESS", Hex.Word(UnmappedAddress(map)), "The lowest address outside every region: an access there faults", []))
            .ToArray();

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
