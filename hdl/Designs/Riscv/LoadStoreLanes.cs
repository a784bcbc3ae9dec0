using System.Runtime.CompilerServices;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The byte lanes of RV32's loads and stores on a 32-bit word bus: which lanes a store writes and the word it
/// presents, and a load's bytes taken from the word and extended. Pure expressions of their inputs, so any core
/// forms them from its own registers.
/// </summary>
/// <remarks>
/// <c>size</c> is funct3 bits 1..0 (0 byte, 1 halfword, 2 word); <c>offset</c> the address's bits 1..0. A misaligned
/// access traps before it reaches the bus, so the lanes of a halfword read offset bit 1 only.
/// </remarks>
public static class LoadStoreLanes
{
    /// <summary>The byte enables of an access: one lane for a byte, two for a halfword, four for a word.</summary>
    public static Expr Lanes(Expr size, Expr offset, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Mux(size[1], U(0b1111, 4),
            Mux(size[0], Mux(offset[1], U(0b1100, 4), U(0b0011, 4), file, line), U(1, 4).Shl(offset), file, line), file, line);

    /// <summary>
    /// A store's word: the value's low byte in every lane (byte), its low halfword in both halves (halfword), or the value
    /// (word); the lanes choose which bytes memory takes.
    /// </summary>
    public static Expr StoreData(Expr size, Expr value, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Mux(size[1], value, Mux(size[0], value[15, 0].Replicate(2), value[7, 0].Replicate(4), file, line), file, line);

    /// <summary>
    /// A load's value from the word read: the byte or halfword at <paramref name="offset"/>, sign-extended
    /// (<c>lb</c>, <c>lh</c>: funct3 bit 2 clear) or zero-extended (<c>lbu</c>, <c>lhu</c>), or the word.
    /// </summary>
    public static Expr Loaded(Expr funct3, Expr offset, Expr word, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        // A halfword is aligned (offset bit 0 clear) and a word at offset 0, so the byte at the offset is the low
        // byte of every load and the halfword at offset bit 1 holds a halfword's or a word's bits 15..8.
        var half = Mux(offset[1], word[31, 16], word[15, 0], file, line);
        var low = Mux(offset[0], half[15, 8], half[7, 0], file, line);
        var sign = ~funct3[2] & Mux(funct3[0], half[15], low[7], file, line);
        var upper = Mux(funct3[1], word[31, 16], sign.Replicate(16), file, line);
        var middle = Mux(funct3[1] | funct3[0], half[15, 8], sign.Replicate(8), file, line);
        return Cat(upper, middle, low, file, line);
    }
}
