using HwGen.Designs.Soc;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The parameters of one <see cref="Core"/> instance. Every core has Zicsr and machine-mode traps.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>parameter</term><description>meaning (default)</description></listheader>
/// <item><term><see cref="ResetPc"/></term><description>address of the first instruction fetched after reset (no default: take it from a <see cref="MemoryMap"/>)</description></item>
/// <item><term><see cref="WithM"/></term><description>the M extension: single-cycle multiplier, iterative divider (true)</description></item>
/// </list>
/// </remarks>
/// <param name="ResetPc">The address of the first instruction fetched after reset; must be 4-byte aligned.</param>
public sealed record CoreConfig(uint ResetPc)
{
    /// <summary>The configuration of the application processor for <paramref name="map"/>: reset at its reset vector.</summary>
    public static CoreConfig ForMemoryMap(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new CoreConfig(map.ResetVector) { Map = map };
    }

    /// <summary>
    /// The memory map the core checks its accesses against: fetches outside RAM and loads or stores outside
    /// every region are access faults; the UART and the timer take word accesses only. Null: no checks.
    /// </summary>
    public MemoryMap? Map { get; init; }

    /// <summary>The M extension (<c>mul*</c>, <c>div*</c>, <c>rem*</c>); without it those encodings are not decoded.</summary>
    public bool WithM { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter when the configuration cannot be built.</summary>
    public void Validate()
    {
        if ((ResetPc & 3) != 0)
            throw new ArgumentException($"the reset PC 0x{ResetPc:X8} is not 4-byte aligned", nameof(ResetPc));
    }
}
