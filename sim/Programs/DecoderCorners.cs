using HwGen.Designs.Riscv;

namespace HwGen.Sim.Programs;

/// <summary>An encoding one bit away from a decoder row that no row matches: an illegal instruction.</summary>
/// <param name="Row">The row whose encoding it comes from.</param>
/// <param name="Bit">The bit of the row's match that is inverted.</param>
/// <param name="Word">The instruction word.</param>
public sealed record DecoderCorner(DecoderRow Row, int Bit, uint Word);

/// <summary>
/// The decoder table's illegal corners, and the ISA program that executes each of them (<c>trap_illegal_corners</c>):
/// for every row, its encoding with each bit the row matches inverted in turn, where no row of the table matches the
/// result. A decoder that ignores one bit of a row, or compares it with the wrong value, executes one of these words
/// as that row's instruction; a decoder that says a word reads a register it does not changes the cycles.
/// </summary>
/// <remarks>
/// The fields a row does not match are filled as the program's checks expect: rd = <c>a4</c>, rs1 = rs2 = <c>s6</c>,
/// which the instruction before each word loads (so a word said to read it waits for the load), a CSR number of
/// <c>0x340</c> (mscratch) for the CSR rows, and a zero immediate elsewhere.
/// </remarks>
public static class DecoderCorners
{
    /// <summary>The program's file name without its extension, and the name it is reported under.</summary>
    public const string ProgramName = "trap_illegal_corners";

    private const int Rd = 14;          // a4
    private const int Rs = 22;          // s6: TEST_TRAP_ILLEGAL loads it just before the word
    private const uint Csr = 0x340;     // mscratch

    /// <summary>
    /// The corners of <paramref name="rows"/>, row by row in the table's order, each row's bits from 0 up; a word one bit
    /// away from two rows is listed once, under the first.
    /// </summary>
    public static IReadOnlyList<DecoderCorner> Of(IReadOnlyList<DecoderRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var corners = new List<DecoderCorner>();
        var words = new HashSet<uint>();
        foreach (var row in rows)
        {
            var word = row.Match | (~row.Mask & Fill(row));
            for (int bit = 0; bit < 32; bit++)
            {
                var flipped = word ^ (1u << bit);
                if ((row.Mask & (1u << bit)) != 0 && !rows.Any(r => r.Matches(flipped)) && words.Add(flipped))
                    corners.Add(new DecoderCorner(row, bit, flipped));
            }
        }
        return corners;
    }

    /// <summary>The program for the rows a core with <paramref name="config"/> decodes.</summary>
    public static string Program(CoreConfig config) => Program(DecoderTable.For(config));

    /// <summary>
    /// The program (assembly for the firmware builder, bare, with <c>tests/isa/test_macros.h</c> on the include path):
    /// one <c>TEST_TRAP_ILLEGAL</c> case per corner of <paramref name="rows"/>, each expecting an illegal-instruction
    /// exception (mcause 2, mepc at the word, mtval 0 or the word) and no other change.
    /// </summary>
    public static string Program(IReadOnlyList<DecoderRow> rows) => CornerProgram.Render(
        ProgramName,
        "the encodings one bit away from an instruction",
        "the decoder table, hdl/Designs/Riscv/DecoderTable.cs",
        typeof(DecoderCorners),
        [
            "For every row of the decoder table, its encoding with each bit the row matches inverted in turn, where no row",
            "matches the result: each must raise an illegal-instruction exception (mcause 2, mepc at the word, mtval 0 or the",
            "word) and change nothing else. A decoder that ignores one bit of a row, or compares it with the wrong value,",
            "executes one of these words as that row's instruction. The fields a row does not match are rd = a4,",
            "rs1 = rs2 = s6, a CSR number of 0x340 (mscratch) and a zero immediate. s6 is loaded by the instruction before",
            "each word (TEST_TRAP_ILLEGAL loads the word into it), so a word whose opcode and funct3 say it reads a register",
            "waits for that load: a decoder that says so of other words changes the cycles.",
        ],
        Of(rows).Select(c => new CornerCase(true, $".word 0x{c.Word:x8}", $"{c.Row.Mnemonic}, bit {c.Bit} inverted")));

    /// <summary>The row's unmatched fields: a CSR number for a CSR access, else rs2 (or a zero immediate), rs1 and rd.</summary>
    private static uint Fill(DecoderRow row)
    {
        uint upper = row.System == SystemOp.Csr ? Csr << 20 : (uint)Rs << 20;
        return upper | ((uint)Rs << 15) | ((uint)Rd << 7);
    }
}
