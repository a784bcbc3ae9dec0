namespace HwGen.Designs.Soc;

/// <summary>How the AP's RAM is built.</summary>
public enum SocRam
{
    /// <summary>A generic memory with an instruction read port and a data port: no structural stalls (simulation).</summary>
    DualPort,

    /// <summary>
    /// A generic memory with one port shared by instructions and data, as on a board: a data access takes the
    /// port and the fetch of that cycle is repeated (one bubble). Simulates the board's timing with any RAM size.
    /// </summary>
    SinglePort,

    /// <summary>iCE40 UltraPlus SPRAM blocks, one port shared as in <see cref="SinglePort"/>.</summary>
    Spram,
}

/// <summary>
/// The parts an <see cref="ApSoc"/> is built from beyond the core and its memory map: the simulator's SoC takes the
/// defaults (a dual-port RAM, the console as byte streams, no boot ROM); a board takes single-port RAM, a serial UART,
/// GPIO, the SPI flash master and the boot ROM.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>part</term><description>meaning (default)</description></listheader>
/// <item><term><see cref="Ram"/></term><description>how the RAM is built (<see cref="SocRam.DualPort"/>)</description></item>
/// <item><term><see cref="BootRom"/></term><description>the boot ROM's words, at <see cref="MemoryMap.BootRomBase"/>; needs <see cref="MemoryMap.HasBootRom"/> (none)</description></item>
/// <item><term><see cref="UartClocksPerBit"/></term><description>a serial UART with this many clocks per bit; null: the console as byte-stream ports for a simulator (null)</description></item>
/// <item><term><see cref="Leds"/>, <see cref="Buttons"/></term><description>GPIO LED outputs and button inputs; 0 and 0: no GPIO unit, its region reads 0 (0, 0)</description></item>
/// <item><term><see cref="WaitStates"/></term><description>random wait states on both of the core's buses, for testing (none)</description></item>
/// <item><term><see cref="SpiClocksPerHalfBit"/></term><description>an SPI master for the configuration flash, SCK = clock / (2 × this); null: none, its region reads 0 (null)</description></item>
/// </list>
/// </remarks>
public sealed record SocParts
{
    /// <summary>The simulator's SoC: every default.</summary>
    public static SocParts Simulation { get; } = new();

    public SocRam Ram { get; init; } = SocRam.DualPort;

    public IReadOnlyList<ulong>? BootRom { get; init; }

    public int? UartClocksPerBit { get; init; }

    public int Leds { get; init; }

    public int Buttons { get; init; }

    public int? SpiClocksPerHalfBit { get; init; }

    /// <summary>A <see cref="WaitStateInjector"/> on each of the core's buses (simulation; null: none).</summary>
    public WaitStates? WaitStates { get; init; }
}

/// <summary>
/// Random wait states on a bus (see <see cref="WaitStateInjector"/>): a request waits a cycle with probability
/// 1/<paramref name="StallOneIn"/> (a power of two from 2 to 256), a response is delayed by 0 to
/// <paramref name="MaxResponseDelay"/> cycles (one less than a power of two, up to 15), from a shift register
/// started at <paramref name="Seed"/>, so a run repeats exactly.
/// </summary>
public sealed record WaitStates(int StallOneIn = 4, int MaxResponseDelay = 3, uint Seed = 1);
