using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The writeback stage's value: a load's bytes from the data bus's word, placed and sign- or zero-filled, or the
/// instruction's registered result. The bus's word comes late in the cycle (a device's read data through the bus's
/// OR), every select early (the funct3, the offset and the load flag are registers of the writeback record): every bit
/// is two LUT levels after the bus's word (a byte load's sign in the second byte three). A module of its own that
/// synthesis keeps (<see cref="Module.KeepHierarchy"/>), so that the mapper does not trade this depth for area in the
/// flattened design.
/// </summary>
/// <remarks>
/// A load here is aligned (a misaligned one trapped in execute): a word's offset is 0 and a halfword's 0 or 2. So the
/// low byte is the byte at the offset for every size, the second byte a halfword's high byte (byte 1 or 3, a word's
/// byte 1) or the fill, and the upper half a word's own or the fill; the fill is the sign bit of the byte or halfword
/// loaded (bit 7 of the byte at the offset, or bit 15 of the halfword), or 0 for an unsigned load.
/// <para>With <see cref="Cells"/> the value is built from iCE40 LUTs placed by hand (<see cref="Lut4"/>): the low byte's
/// bits from the byte at the offset in each half (two LUTs, each choosing by the offset's bits themselves), ORed in a
/// third that takes the result's bit where the instruction is no load; the second byte's from byte 1 or 3 (one LUT: no
/// byte load, and offset bit 1) and the fill of a byte load, in a second LUT of the same kind; the upper half's from
/// the word's own bit or the result in one LUT and the two halves of the fill in a second. Each fill is formed once for
/// all its bits: two LUTs, one for each half of the word, each choosing one of its half's two sign bits (a signed byte's
/// or halfword's, 0 for no load), ORed for the second byte's in a third (which costs a byte load's sign a level there, and
/// saves a LUT a bit). The mapper, left to itself, chooses the byte first and fills from the chosen byte: five to
/// seven LUT levels after the bus's word on the board SoCs' critical paths (a device's word loaded into the register
/// file). Without <see cref="Cells"/>, the same function in generic Verilog, which simulates alike.</para>
/// </remarks>
public sealed class LoadSelect : Module
{
    /// <summary>The value, from LUT instances when <paramref name="cells"/> (see the remarks), else generic.</summary>
    public LoadSelect(bool cells = false) => Cells = cells;

    /// <summary>Built from <c>SB_LUT4</c> instances (iCE40 only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    public override bool KeepHierarchy => true;

    /// <summary>The data bus's word.</summary>
    public readonly Signal Word = In(32);
    /// <summary>The instruction's result; a load's address, whose low two bits are the offset.</summary>
    public readonly Signal Result = In(32);
    /// <summary>The instruction is a load: the value is the word's bytes, else the result.</summary>
    public readonly Signal Load = In(1);
    /// <summary>The load's funct3: bit 2 unsigned, bits 1..0 the size (0 byte, 1 halfword, 2 word).</summary>
    public readonly Signal Funct3 = In(3);
    /// <summary>The value written to rd.</summary>
    public readonly Signal Value = Out(32);

    /// <summary>A half's sign: <c>I0 &amp; (I1 ? I3 : I2)</c> (the half's select, the higher of its two sign bits, bit 7 of its low byte, of its high byte).</summary>
    public static ushort SignTable { get; } = Lut4.Table((select, higher, lowSign, highSign) => select && (higher ? highSign : lowSign));

    /// <summary>A bit of the low half's byte at the offset: <c>!I2 &amp; (I0 ? I3 : I1)</c> (offset bit 0, byte 0's bit, offset bit 1, byte 1's).</summary>
    public static ushort LowHalfByteTable { get; } = Lut4.Table((offset0, byte0, offset1, byte1) => !offset1 && (offset0 ? byte1 : byte0));

    /// <summary>A bit of the high half's byte at the offset: <c>I2 &amp; (I0 ? I3 : I1)</c> (offset bit 0, byte 2's bit, offset bit 1, byte 3's).</summary>
    public static ushort HighHalfByteTable { get; } = Lut4.Table((offset0, byte2, offset1, byte3) => offset1 && (offset0 ? byte3 : byte2));

    /// <summary>A bit of the second byte from the word: <c>I0 &amp; (I1 ? I3 : I2)</c> (no byte load, offset bit 1, byte 1's bit, byte 3's).</summary>
    public static ushort SecondByteTable { get; } = Lut4.Table((notByte, offset1, byte1, byte3) => notByte && (offset1 ? byte3 : byte1));

    /// <summary>A load's bit from two sources, or the result's: <c>I2 ? I0 | I1 : I3</c> (two sources, the load flag, the result's bit).</summary>
    public static ushort LoadOrResultTable { get; } = Lut4.Table((a, b, load, result) => load ? a || b : result);

    /// <summary>The word's bit where selected, or the result's: <c>I2 ? I0 &amp; I1 : I3</c> (its select, the word's bit, the load flag, the result's bit).</summary>
    public static ushort WordOrResultTable { get; } = Lut4.Table((select, bit, load, result) => load ? select && bit : result);

    /// <summary>An OR of four: <c>I0 | I1 | I2 | I3</c>.</summary>
    public static ushort OrTable { get; } = Lut4.Table((a, b, c, d) => a || b || c || d);

    protected override void Build()
    {
        if (Cells)
        {
            BuildCells();
            return;
        }
        var word = Word;
        var offset = Result[1, 0];
        var lowByte = Wire(8).Named("lowByte");
        Switch(offset)
            .Case(0, () => lowByte.Set(word[7, 0]))
            .Case(1, () => lowByte.Set(word[15, 8]))
            .Case(2, () => lowByte.Set(word[23, 16]))
            .Default(() => lowByte.Set(word[31, 24]));
        var highByte = Mux(offset[1], word[31, 24], word[15, 8]).Named("highByte");
        var size = Funct3[1, 0];
        var signed = ~Funct3[2];
        var fill = (signed & Mux(size.Eq(0), lowByte[7], highByte[7])).Named("fill");
        var loaded = Cat(Mux(size[1], word[31, 16], fill.Replicate(16)),
            Mux(size.Eq(0), fill.Replicate(8), highByte), lowByte).Named("loaded");
        Value.Set(Mux(Load, loaded, Result));
    }

    /// <summary>The same function from LUT instances (see the remarks).</summary>
    private void BuildCells()
    {
        var word = Word;
        var offset = Result[1, 0];
        var size = Funct3[1, 0];
        var signed = ~Funct3[2];
        var isByte = size.Eq(0);

        // The selects, from registers. The bytes are chosen by the offset's bits themselves, and the value's last LUT
        // takes the result where the instruction is no load. A fill is the sign of a signed byte or halfword (0 for no
        // load): in the low half (offset bit 1 clear) bit 7 or 15, in the high half bit 23 or 31, the higher one for a
        // byte at an odd offset or a halfword; the second byte's takes a byte's only.
        var signedLow = (Load & signed & ~size[1] & ~offset[1]).Named("signedLow");
        var signedHigh = (Load & signed & ~size[1] & offset[1]).Named("signedHigh");
        var byteLow = (signedLow & ~size[0]).Named("byteLow");
        var byteHigh = (signedHigh & ~size[0]).Named("byteHigh");
        var higherSign = (size[0] | offset[0]).Named("higherSign");
        var notByte = (~isByte).Named("notByte");

        Expr Lut(ushort table, string name, Expr i0, Expr i1, Expr i2, Expr i3)
        {
            var lut = Instance(new Lut4(table), name);
            lut.I0.Set(i0);
            lut.I1.Set(i1);
            lut.I2.Set(i2);
            lut.I3.Set(i3);
            return lut.O;
        }
        Expr Sign(int k) => word[8 * k + 7];
        var secondFillLow = Lut(SignTable, "secondFillLow", byteLow, higherSign, Sign(0), Sign(1));
        var secondFillHigh = Lut(SignTable, "secondFillHigh", byteHigh, higherSign, Sign(2), Sign(3));
        var upperFillLow = Lut(SignTable, "upperFillLow", signedLow, higherSign, Sign(0), Sign(1));
        var upperFillHigh = Lut(SignTable, "upperFillHigh", signedHigh, higherSign, Sign(2), Sign(3));

        var value = new Expr[32];
        var zero = U(0, 1);
        for (int i = 0; i < 8; i++)
        {
            var low = Lut(LowHalfByteTable, $"lowHalf{i}", offset[0], word[i], offset[1], word[8 + i]);
            var high = Lut(HighHalfByteTable, $"highHalf{i}", offset[0], word[16 + i], offset[1], word[24 + i]);
            value[31 - i] = Lut(LoadOrResultTable, $"value{i}", low, high, Load, Result[i]);
        }
        // The second byte's fill, one signal for its eight bits: a byte's sign bit is one level later here than in the
        // upper half, for a LUT less a bit.
        var secondFill = Lut(OrTable, "secondFill", secondFillLow, secondFillHigh, zero, zero);
        for (int i = 8; i < 16; i++)
        {
            var half = Lut(SecondByteTable, $"half{i}", notByte, offset[1], word[i], word[16 + i]);
            value[31 - i] = Lut(LoadOrResultTable, $"value{i}", half, secondFill, Load, Result[i]);
        }
        for (int i = 16; i < 32; i++)
        {
            var own = Lut(WordOrResultTable, $"wordOrResult{i}", size[1], word[i], Load, Result[i]);
            value[31 - i] = Lut(OrTable, $"value{i}", own, upperFillLow, upperFillHigh, zero);
        }
        Value.Set(Cat(value));
    }
}
