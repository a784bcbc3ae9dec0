using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// <c>SB_LUT4</c>, the look-up table of an iCE40 logic cell: <see cref="O"/> is bit <c>{I3, I2, I1, I0}</c> of
/// <see cref="Init"/>. Synthesis keeps an instance as it is (the mapper does not merge it with other logic), so a
/// design instantiates it where it knows a better packing than the mapper finds: beside an <see cref="Carry"/> that
/// shares its <see cref="I1"/> and <see cref="I2"/>, and a flip-flop that only it drives, the three fill one logic
/// cell. Simulate with <see cref="Ice40Models"/>.
/// </summary>
public sealed class Lut4 : BlackBox
{
    /// <summary>A LUT whose output for the inputs <c>{I3, I2, I1, I0}</c> = i is bit i of <paramref name="init"/>.</summary>
    public Lut4(ushort init)
    {
        Init = init;
        VerilogParameters["LUT_INIT"] = (int)init;
    }

    /// <summary>The truth table (<c>LUT_INIT</c>).</summary>
    public ushort Init { get; }

    /// <inheritdoc />
    public override string ModuleName => "SB_LUT4";

    public readonly Signal I0 = In(1);
    public readonly Signal I1 = In(1);
    public readonly Signal I2 = In(1);
    /// <summary>The fourth input; in a carry chain, the carry into the cell (the <see cref="Carry.CI"/> of its carry).</summary>
    public readonly Signal I3 = In(1);
    public readonly Signal O = Out(1);

    /// <summary>The truth table of <paramref name="function"/> of <c>(I0, I1, I2, I3)</c>.</summary>
    public static ushort Table(Func<bool, bool, bool, bool, bool> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        int table = 0;
        for (int i = 0; i < 16; i++)
        {
            if (function((i & 1) != 0, (i & 2) != 0, (i & 4) != 0, (i & 8) != 0))
                table |= 1 << i;
        }
        return (ushort)table;
    }
}

/// <summary>
/// <c>SB_CARRY</c>, the carry logic of an iCE40 logic cell: <c>CO = I0·I1 + CI·(I0 + I1)</c>. Its <see cref="I0"/>
/// and <see cref="I1"/> are the inputs <c>I1</c> and <c>I2</c> of the cell's <see cref="Lut4"/>, and
/// <see cref="CI"/> comes from the cell below in the chain. Simulate with <see cref="Ice40Models"/>.
/// </summary>
public sealed class Carry : BlackBox
{
    /// <inheritdoc />
    public override string ModuleName => "SB_CARRY";

    public readonly Signal I0 = In(1);
    public readonly Signal I1 = In(1);
    public readonly Signal CI = In(1);
    public readonly Signal CO = Out(1);
}
