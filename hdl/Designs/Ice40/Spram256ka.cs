using System.Runtime.CompilerServices;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// <c>SB_SPRAM256KA</c>, the single-port RAM of the iCE40 UltraPlus: 16K words of 16 bits, one port,
/// synchronous read (<see cref="DATAOUT"/> holds the word read from the clock edge of the read on, and keeps
/// it while no read is made). The UP5K has four. Simulate with <see cref="Ice40Models"/>.
/// </summary>
public sealed class Spram256ka : BlackBox
{
    /// <inheritdoc />
    public override string ModuleName => "SB_SPRAM256KA";

    /// <summary>Word address, 14 bits.</summary>
    public readonly Signal ADDRESS = In(14);

    /// <summary>The word to write, 16 bits.</summary>
    public readonly Signal DATAIN = In(16);

    /// <summary>Write mask, one bit per nibble: bit <c>i</c> enables <c>DATAIN[4i+3:4i]</c>.</summary>
    public readonly Signal MASKWREN = In(4);

    /// <summary>1: write (the nibbles enabled by <see cref="MASKWREN"/>); 0: read.</summary>
    public readonly Signal WREN = In(1);

    /// <summary>1: an access this cycle; 0: nothing happens and <see cref="DATAOUT"/> holds.</summary>
    public readonly Signal CHIPSELECT = In(1);

    /// <summary>The clock (connect <c>Clock()</c>).</summary>
    public readonly Signal CLOCK = In(1);

    /// <summary>1: low-leakage standby, no access; contents kept. 0 in normal operation.</summary>
    public readonly Signal STANDBY = In(1);

    /// <summary>1: sleep, <see cref="DATAOUT"/> is 0 and contents are kept. 0 in normal operation.</summary>
    public readonly Signal SLEEP = In(1);

    /// <summary>Power switch, active low: 1 = powered (normal operation), 0 = off, contents lost.</summary>
    public readonly Signal POWEROFF = In(1);

    /// <summary>The word read, 16 bits, valid after the clock edge of a read; undefined after a write.</summary>
    public readonly Signal DATAOUT = Out(16);

    /// <summary>Connects the power controls for normal operation: <c>STANDBY = 0, SLEEP = 0, POWEROFF = 1</c>.
    /// Call it from the parent's <c>Build</c>.</summary>
    public void PowerOn([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        STANDBY.Set(0, file, line);
        SLEEP.Set(0, file, line);
        POWEROFF.Set(1, file, line);
    }
}
