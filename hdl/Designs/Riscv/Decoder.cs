using HwGen.Designs.Common;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The combinational instruction decoder, generated from a <see cref="DecoderTable"/>: one match wire
/// (<c>is_add</c>, <c>is_lw</c>, …) per row, and every control field the OR of the rows that set each of its bits.
/// A word that matches no row decodes to all-zero controls (it reads and writes nothing) and <c>Illegal</c>. The
/// immediate is chosen by the opcode alone (<see cref="ImmediateFormats"/>), a few LUT levels after the word.
/// </summary>
public sealed class Decoder : Module
{
    private readonly IReadOnlyList<DecoderRow> _rows;

    /// <param name="rows">The table.</param>
    /// <param name="controlsForLegalWordsOnly">
    /// The controls (every field but <c>Illegal</c>, the register numbers, funct3 and the immediate) need be right for the
    /// words of the table alone: for a word that matches no row they may be any value (see
    /// <see cref="ControlsForLegalWordsOnly"/>). False (the default): a word that matches no row decodes to all-zero
    /// controls.
    /// </param>
    /// <param name="immediateClear">The decoder has the input <see cref="ClearImmediate"/>.</param>
    public Decoder(IReadOnlyList<DecoderRow> rows, bool controlsForLegalWordsOnly = false, bool immediateClear = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("the decoder table is empty", nameof(rows));
        var duplicate = rows.GroupBy(r => r.Mnemonic, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"the decoder table has two rows named '{duplicate.Key}'", nameof(rows));
        _rows = rows;
        Instructions = rows.Count;
        ControlsForLegalWordsOnly = controlsForLegalWordsOnly;
        ImmediateClear = immediateClear;
        if (immediateClear)
            ClearImmediate = In(1);
    }

    /// <summary>The decoder has the input <see cref="ClearImmediate"/>.</summary>
    [Parameter]
    public bool ImmediateClear { get; }

    /// <summary>
    /// Each bit of a control is the OR of the rows that set it, each row matched on only the bits of its pattern that
    /// tell its words from those of the rows that clear the bit (<see cref="DistinguishingMask"/>), not on its whole
    /// pattern: right for every word of the table, any value for a word that matches no row, which the core must then
    /// take as illegal whatever its controls say. <c>Illegal</c> still matches every row in full.
    /// </summary>
    [Parameter]
    public bool ControlsForLegalWordsOnly { get; }

    /// <summary>The number of rows of the table.</summary>
    [Parameter]
    public int Instructions { get; }

    public readonly Signal Instruction = In(32);
    /// <summary>
    /// 1: the immediate is 0 whatever the word (its format decodes as <see cref="InstructionFormat.N"/>), one more input
    /// of the format's few LUTs. Present only when the decoder is built with it.
    /// </summary>
    public readonly Signal? ClearImmediate;
    public readonly DecodedInstruction Decoded = Out(new DecodedInstruction());
    /// <summary>
    /// <see cref="DecodedInstruction.ReadsRs1"/>, <see cref="DecodedInstruction.ReadsRs2"/> and a CSR instruction,
    /// decoded from the opcode and funct3 alone (<see cref="CoarseMask"/>): for the interlock, which then waits for
    /// two LUT levels of the word rather than for the full match of every row.
    /// </summary>
    public readonly CoarseDecode Coarse = Out(new CoarseDecode());

    /// <summary>The bits of the word that <see cref="Coarse"/> looks at: opcode bits 6..2 and funct3.</summary>
    public const uint CoarseMask = 0x0000_707C;

    /// <summary>The bits of the word the immediate's format is decoded from: opcode bits 6..2.</summary>
    public const uint OpcodeMask = 0x0000_007C;

    /// <summary>
    /// The format of the immediate for each opcode (bits 6..2) whose rows carry one: every such row of an opcode has
    /// the same format (rows without an immediate, formats R and N, say nothing). So the immediate is chosen from five
    /// bits of the word rather than from the full match of every row: for a word that matches no row it may be any
    /// value, and nothing reads it then.
    /// </summary>
    /// <exception cref="ArgumentException">Two rows of one opcode carry immediates of different formats.</exception>
    public static IReadOnlyList<(uint Opcode, InstructionFormat Format)> ImmediateFormats(IEnumerable<DecoderRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var formats = new List<(uint Opcode, InstructionFormat Format)>();
        foreach (var group in rows.Where(r => r.Format is not (InstructionFormat.R or InstructionFormat.N))
            .GroupBy(r => r.Match & OpcodeMask).OrderBy(g => g.Key))
        {
            var distinct = group.Select(r => r.Format).Distinct().ToArray();
            if (distinct.Length > 1)
                throw new ArgumentException($"decoder rows {string.Join(", ", group.Select(r => $"'{r.Mnemonic}' ({r.Format})"))} share opcode bits 6..2 " +
                    $"0b{Convert.ToString(group.Key >> 2, 2).PadLeft(5, '0')} but not the immediate's format: the immediate is chosen from those bits alone");
            if (group.Any(r => (r.Mask & OpcodeMask) != OpcodeMask))
                throw new ArgumentException($"decoder row '{group.First(r => (r.Mask & OpcodeMask) != OpcodeMask).Mnemonic}' leaves opcode bits 6..2 open: the immediate's format is chosen from them");
            formats.Add((group.Key, distinct[0]));
        }
        return formats;
    }

    /// <summary>
    /// The bits of <paramref name="row"/>'s pattern that no word of <paramref name="others"/> agrees with it on: the
    /// row's mask with every bit taken out, the word's higher bits first, that leaves the row's words apart from the
    /// others'. A word matching the row in full matches the row on these bits; a word of another row never does.
    /// </summary>
    public static uint DistinguishingMask(DecoderRow row, IReadOnlyCollection<DecoderRow> others)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(others);
        // Some word of other matches the row on mask: they agree wherever both look.
        bool Overlaps(uint mask, DecoderRow other) => ((row.Match ^ other.Match) & mask & other.Mask) == 0;
        uint kept = row.Mask;
        if (others.Any(o => Overlaps(kept, o)))
            return kept;
        for (int bit = 31; bit >= 0; bit--)
        {
            uint without = kept & ~(1u << bit);
            if (without != kept && !others.Any(o => Overlaps(without, o)))
                kept = without;
        }
        return kept;
    }

    protected override void Build()
    {
        var hits = _rows
            .Select(r => (Row: r, Hit: (Instruction & U(r.Mask, 32)).Eq(U(r.Match, 32)).Named("is_" + r.Mnemonic)))
            .ToArray();

        // Each field of the table becomes an OR of the rows that set each of its bits (each row matched in full, or
        // on the bits that tell it from the rows that clear the bit).
        Expr Field(int width, Func<DecoderRow, int> value)
        {
            var bits = new Expr[width];
            for (int b = 0; b < width; b++)
            {
                bool Sets(DecoderRow row) => ((value(row) >> b) & 1) != 0;
                Expr[] set;
                if (ControlsForLegalWordsOnly)
                {
                    var clear = _rows.Where(r => !Sets(r)).ToArray();
                    set = _rows.Where(Sets)
                        .Select(r => (Mask: DistinguishingMask(r, clear), r.Match))
                        .Select(k => (k.Mask, Match: k.Match & k.Mask)).Distinct()
                        .Select(k => (Expr)(Instruction & U(k.Mask, 32)).Eq(U(k.Match, 32))).ToArray();
                }
                else
                {
                    set = hits.Where(h => Sets(h.Row)).Select(h => (Expr)h.Hit).ToArray();
                }
                bits[width - 1 - b] = set.Length == 0 ? U(0, 1) : set.Aggregate((x, y) => x | y);
            }
            return Cat(bits);
        }

        var i = Instruction;
        // The immediate's format, from the opcode alone (ImmediateFormats): the word's five bits, not the rows' matches.
        var format = Wire(3).Named("immediateFormat");
        var formats = Switch(i[6, 2]);
        foreach (var (code, f) in ImmediateFormats(_rows))
            formats = formats.Case(code >> 2, () => format.Set((int)f));
        formats.Default(() => format.Set((int)InstructionFormat.N));
        Expr chosenFormat = ClearImmediate is null ? format : Mux(ClearImmediate, U((int)InstructionFormat.N, 3), format);
        // The immediates before sign extension, as named wires (every bit of them is used).
        var immI = i[31, 20].SignExtend(32).AsUnsigned();
        var immS = Cat(i[31, 25], i[11, 7]).Named("immS").SignExtend(32).AsUnsigned();
        var immB = Cat(i[31], i[7], i[30, 25], i[11, 8], U(0, 1)).Named("immB").SignExtend(32).AsUnsigned();
        var immU = Cat(i[31, 12], U(0, 12));
        var immJ = Cat(i[31], i[19, 12], i[20], i[30, 21], U(0, 1)).Named("immJ").SignExtend(32).AsUnsigned();
        Switch(chosenFormat)
            .Case((int)InstructionFormat.I, () => Decoded.Immediate.Set(immI))
            .Case((int)InstructionFormat.S, () => Decoded.Immediate.Set(immS))
            .Case((int)InstructionFormat.B, () => Decoded.Immediate.Set(immB))
            .Case((int)InstructionFormat.U, () => Decoded.Immediate.Set(immU))
            .Case((int)InstructionFormat.J, () => Decoded.Immediate.Set(immJ))
            .Default(() => Decoded.Immediate.Set(0));

        Decoded.Rs1.Set(i[19, 15]);
        Decoded.Rs2.Set(i[24, 20]);
        Decoded.Rd.Set(i[11, 7]);
        Decoded.Funct3.Set(i[14, 12]);
        Decoded.AluOp.Set(Field(4, r => (int)r.Alu));
        Decoded.OperandA.Set(Field(2, r => (int)r.OperandA));
        Decoded.UseImmediate.Set(Field(1, r => r.OperandB == OperandB.Immediate ? 1 : 0));
        Decoded.Result.Set(Field(3, r => (int)r.Result));
        Decoded.Transfer.Set(Field(2, r => (int)r.Transfer));
        Decoded.Load.Set(Field(1, r => r.Memory == MemoryOp.Load ? 1 : 0));
        Decoded.Store.Set(Field(1, r => r.Memory == MemoryOp.Store ? 1 : 0));
        Decoded.ReadsRs1.Set(Field(1, r => r.ReadsRs1 ? 1 : 0));
        Decoded.ReadsRs2.Set(Field(1, r => r.ReadsRs2 ? 1 : 0));
        Decoded.WritesRd.Set(Field(1, r => r.WritesRd ? 1 : 0) & Decoded.Rd.Any());
        Decoded.System.Set(Field(3, r => (int)r.System));
        // A coarse field is set for every word whose opcode and funct3 are those of a row that sets it: never 0 where
        // the full decode gives 1.
        Expr CoarseField(Func<DecoderRow, bool> sets)
        {
            var keys = _rows.Where(sets).Select(r => (Mask: r.Mask & CoarseMask, Match: r.Match & CoarseMask)).Distinct()
                .Select(k => (Expr)(Instruction & U(k.Mask, 32)).Eq(U(k.Match, 32))).ToArray();
            return keys.Length == 0 ? U(0, 1) : keys.Aggregate((x, y) => x | y);
        }
        Coarse.ReadsRs1.Set(CoarseField(r => r.ReadsRs1));
        Coarse.ReadsRs2.Set(CoarseField(r => r.ReadsRs2));
        Coarse.Csr.Set(CoarseField(r => r.System == SystemOp.Csr));
        Decoded.Illegal.Set(~hits.Select(h => (Expr)h.Hit).Aggregate((x, y) => x | y));
    }
}
