namespace HwGen.Designs.Tags;

/// <summary>
/// The class of an instruction as a policy sees it: the first field of a rule's input. The tag unit maps each
/// instruction to its opgroup through a table indexed by <see cref="Opgroups.IndexOf"/> (programmed by the PEX, by
/// default <see cref="Opgroups.Classify(int)"/>), so a policy's rules are written per group, not per opcode.
/// </summary>
public enum Opgroup
{
    /// <summary>Register and immediate arithmetic, logic, shifts, comparisons, <c>lui</c>, <c>auipc</c>.</summary>
    Alu = 0,

    /// <summary><c>mul*</c>, <c>div*</c>, <c>rem*</c>.</summary>
    MulDiv = 1,

    Load = 2,

    Store = 3,

    /// <summary>Conditional branches.</summary>
    Branch = 4,

    /// <summary><c>jal</c>: a direct call (rd ≠ x0) or jump.</summary>
    Jal = 5,

    /// <summary>An indirect call: <c>jalr</c> that links (rd ≠ x0).</summary>
    Call = 6,

    /// <summary>A return: <c>jalr</c> with rd = x0 and rs1 = x1 or x5 (the specification's return hint).</summary>
    Return = 7,

    /// <summary>An indirect jump that neither links nor returns: jump tables, tail calls through a register.</summary>
    Jump = 8,

    /// <summary>CSR instructions.</summary>
    Csr = 9,

    /// <summary><c>ecall</c>, <c>ebreak</c>, <c>mret</c>, <c>wfi</c>, <c>fence</c>, <c>fence.i</c>.</summary>
    System = 10,
}

/// <summary>The opgroup table's index and its default contents.</summary>
public static class Opgroups
{
    /// <summary>Bits of the opgroup table's index: 1024 entries.</summary>
    public const int IndexBits = 10;

    /// <summary>Entries of the opgroup table.</summary>
    public const int TableSize = 1 << IndexBits;

    /// <summary>The number of opgroups defined (<see cref="Opgroup"/>); the table holds <see cref="TagConfig.OpgroupBits"/> bits.</summary>
    public const int Count = 11;

    /// <summary>
    /// The opgroup table's index for an instruction word: bit 9 = rd is x0; bit 8 = the variant: for the OP opcode
    /// funct7 bit 0 (the M extension), for every other opcode rs1 is x1 or x5 (the link registers); bits 7..3 =
    /// opcode bits 6..2; bits 2..0 = funct3. The hardware forms it from the word with a few gates.
    /// </summary>
    public static int IndexOf(uint insn)
    {
        uint rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31, opcode = (insn >> 2) & 31;
        int rdZero = rd == 0 ? 1 : 0;
        int variant = opcode == 0b01100 ? (int)((insn >> 25) & 1) : rs1 is 1 or 5 ? 1 : 0;
        return (rdZero << 9) | (variant << 8) | (int)(opcode << 3) | (int)((insn >> 12) & 7);
    }

    /// <summary>The default opgroup of table entry <paramref name="index"/> (every word with that index).</summary>
    public static Opgroup Classify(int index)
    {
        if ((uint)index >= TableSize)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the opgroup table has {TableSize} entries");
        bool rdZero = (index >> 9 & 1) != 0, variant = (index >> 8 & 1) != 0;
        int opcode = (index >> 3) & 31;
        return opcode switch
        {
            0b00000 => Opgroup.Load,
            0b01000 => Opgroup.Store,
            0b11000 => Opgroup.Branch,
            0b11011 => Opgroup.Jal,
            0b11001 => !rdZero ? Opgroup.Call : variant ? Opgroup.Return : Opgroup.Jump,
            0b01100 => variant ? Opgroup.MulDiv : Opgroup.Alu,
            0b11100 => (index & 7) == 0 ? Opgroup.System : Opgroup.Csr,
            0b00011 => Opgroup.System,
            _ => Opgroup.Alu,
        };
    }

    /// <summary>The default opgroup of an instruction word.</summary>
    public static Opgroup Classify(uint insn) => Classify(IndexOf(insn));

    /// <summary>The default table, entry by entry (every entry's <see cref="Classify(int)"/>).</summary>
    public static IReadOnlyList<byte> DefaultTable { get; } = [.. Enumerable.Range(0, TableSize).Select(i => (byte)Classify(i))];
}
