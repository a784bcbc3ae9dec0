namespace HwGen.Sim.Tests.Model;

/// <summary>
/// Writes to the halves of a 64-bit counter (mcycle or minstret) around the carry from the low half into the high
/// half, each read back right after, in straight-line code without stalls (so that mcycle advances by one per
/// instruction, like minstret). A write of either half replaces that instruction's increment of the whole counter:
/// the half written holds the value written and the other half keeps its value (riscv-tests, Spike).
/// </summary>
internal static class CounterWriteProgram
{
    /// <summary>The registers the body reads the counter into, in order.</summary>
    public static readonly string[] Results = ["s2", "s3", "s4", "s5", "s6", "s7", "s8"];

    /// <summary>The values read into <see cref="Results"/>.</summary>
    public static readonly uint[] Expected =
    [
        0xFFFF_FFFF, // the low half written with all ones, read by the next instruction
        1,           // which carried into the high half
        7,           // the low half written while it held all ones: no carry
        1,           // the high half: still the carry of the first read
        0xFFFF_FFFF, // the high half written while the low half held all ones: the low half not counted
        6,           // the high half written with 5, and the carry of the read before
        1,           // the low half after that carry
    ];

    /// <summary>The code, for <paramref name="counter"/> <c>mcycle</c> or <c>minstret</c>; uses t3-t5 and <see cref="Results"/>.</summary>
    public static string Body(string counter) => $"""
            li t3, -1
            li t4, 5
            li t5, 7
            csrw {counter}h, zero
            csrw {counter}, t3
            csrr s2, {counter}
            csrr s3, {counter}h
            csrw {counter}, t3
            csrw {counter}, t5
            csrr s4, {counter}
            csrr s5, {counter}h
            csrw {counter}, t3
            csrw {counter}h, t4
            csrr s6, {counter}
            csrr s7, {counter}h
            csrr s8, {counter}
        """;
}
