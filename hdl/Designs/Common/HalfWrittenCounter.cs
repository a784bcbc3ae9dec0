using System.Runtime.CompilerServices;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Common;

/// <summary>
/// The next value of a counter that a 32-bit bus writes half by half (the CLINT's mtime): it
/// counts up by its increment, and a write of either half replaces that cycle's increment of the whole counter,
/// the half written taking the data and the other half keeping its value.
/// </summary>
/// <remarks>
/// Built so that each bit is one iCE40 logic cell (LUT, carry and flip-flop): the carry chain of a half adds
/// the half's write enable to every bit, <c>q + {w, w, …} + c</c>. While the half is not written that is the count
/// (<c>q + c</c>); while it is, the sum is not used, and the bit's next value <c>w ? data : q ^ w ^ carry</c> has four
/// inputs, the carry cell's own two and its carry in among them, so that synthesis (<c>opt_lut</c> after the carries
/// are mapped) folds the choice of the written value into the LUT of the sum. The carry into the low half is the
/// increment, held back while either half is written; the carry out of the low half, held back while the low half
/// is written, goes on into the high half. So the write enables start the carry chains: a write decided late in the
/// cycle (a commit) belongs in a register first, to be done in the next cycle.
/// </remarks>
public static class HalfWrittenCounter
{
    /// <summary>
    /// The value <paramref name="counter"/> takes: <paramref name="counter"/> + <paramref name="increment"/>, or with
    /// <paramref name="writeLow"/> (<paramref name="writeHigh"/>) its low (high) half replaced by
    /// <paramref name="data"/> and the other half kept. At most one of the two writes is 1.
    /// </summary>
    /// <param name="counter">The counter's register, of an even width.</param>
    /// <param name="increment">1 bit: count this cycle.</param>
    /// <param name="writeLow">1 bit: the low half is written.</param>
    /// <param name="writeHigh">1 bit: the high half is written.</param>
    /// <param name="data">The value written, half the counter's width.</param>
    public static Expr Next(Expr counter, Expr increment, Expr writeLow, Expr writeHigh, Expr data,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(increment);
        ArgumentNullException.ThrowIfNull(writeLow);
        ArgumentNullException.ThrowIfNull(writeHigh);
        ArgumentNullException.ThrowIfNull(data);
        int half = counter.Width / 2;
        if (counter.Width % 2 != 0 || half < 1)
            throw new HdlException($"a half-written counter needs an even width, not {counter.Width}", new SourceLocation(file, line));
        if (data.Width != half || increment.Width != 1 || writeLow.Width != 1 || writeHigh.Width != 1)
            throw new HdlException($"a {counter.Width}-bit half-written counter takes {half}-bit data and 1-bit controls", new SourceLocation(file, line));
        var carryIn = increment & ~(writeLow | writeHigh);
        var low = (counter[half - 1, 0].ZeroExtend(half + 1) + writeLow.Replicate(half).ZeroExtend(half + 1) + carryIn.ZeroExtend(half + 1));
        var high = counter[2 * half - 1, half] + writeHigh.Replicate(half) + (low[half] & ~writeLow).ZeroExtend(half);
        return Cat(Mux(writeHigh, data, high, file, line), Mux(writeLow, data, low[half - 1, 0], file, line), file, line);
    }
}
