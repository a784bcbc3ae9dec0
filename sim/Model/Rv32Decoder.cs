namespace HwGen.Sim.Model;

/// <summary>
/// The operations of RV32IM + Zicsr (plus the machine-mode system instructions), as decoded once
/// and then executed by <see cref="Rv32Iss"/> and printed by <see cref="Disassembler"/>.
/// </summary>
internal enum Rv32Op : byte
{
    /// <summary>Marks an empty slot of the decode cache; never returned by <see cref="Rv32Decoder.Decode"/>.</summary>
    Undecoded = 0,
    Illegal,
    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Lbu, Lhu,
    Sb, Sh, Sw,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    Fence, FenceI,
    Ecall, Ebreak, Mret, Wfi,
    Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci,
}

/// <summary>
/// One decoded instruction. <see cref="Imm"/> holds the sign-extended immediate, the shift amount,
/// or (for the CSR instructions) the CSR address; for the immediate CSR forms <see cref="Rs1"/> holds
/// the 5-bit unsigned immediate.
/// </summary>
internal struct DecodedInsn
{
    public int Imm;
    public Rv32Op Op;
    public byte Rd;
    public byte Rs1;
    public byte Rs2;
}

/// <summary>The single RV32IM + Zicsr decoder: anything it calls <see cref="Rv32Op.Illegal"/> raises an illegal-instruction trap.</summary>
internal static class Rv32Decoder
{
    /// <summary>Operand use per operation: bit 0 reads rs1, bit 1 reads rs2, bit 2 writes rd.</summary>
    private static readonly byte[] s_operands = BuildOperandTable();

    public const byte ReadsRs1 = 1;
    public const byte ReadsRs2 = 2;
    public const byte WritesRd = 4;

    public static byte Operands(Rv32Op op) => s_operands[(int)op];

    public static DecodedInsn Decode(uint insn)
    {
        var d = new DecodedInsn
        {
            Op = Rv32Op.Illegal,
            Rd = (byte)((insn >> 7) & 31),
            Rs1 = (byte)((insn >> 15) & 31),
            Rs2 = (byte)((insn >> 20) & 31),
        };
        uint funct3 = (insn >> 12) & 7;
        uint funct7 = insn >> 25;
        int immI = (int)insn >> 20;
        switch (insn & 0x7F)
        {
            case 0x37:
                d.Op = Rv32Op.Lui;
                d.Imm = (int)(insn & 0xFFFF_F000);
                break;
            case 0x17:
                d.Op = Rv32Op.Auipc;
                d.Imm = (int)(insn & 0xFFFF_F000);
                break;
            case 0x6F:
                d.Op = Rv32Op.Jal;
                d.Imm = ((int)insn >> 11 & unchecked((int)0xFFF0_0000)) // imm[20] from bit 31, sign-extended
                    | (int)(insn & 0x000F_F000)                         // imm[19:12]
                    | (int)((insn >> 9) & 0x800)                        // imm[11] from bit 20
                    | (int)((insn >> 20) & 0x7FE);                      // imm[10:1]
                break;
            case 0x67:
                if (funct3 == 0)
                {
                    d.Op = Rv32Op.Jalr;
                    d.Imm = immI;
                }
                break;
            case 0x63:
                d.Op = funct3 switch
                {
                    0 => Rv32Op.Beq,
                    1 => Rv32Op.Bne,
                    4 => Rv32Op.Blt,
                    5 => Rv32Op.Bge,
                    6 => Rv32Op.Bltu,
                    7 => Rv32Op.Bgeu,
                    _ => Rv32Op.Illegal,
                };
                d.Imm = ((int)insn >> 19 & unchecked((int)0xFFFF_F000)) // imm[12] from bit 31, sign-extended
                    | (int)((insn << 4) & 0x800)                        // imm[11] from bit 7
                    | (int)((insn >> 20) & 0x7E0)                       // imm[10:5]
                    | (int)((insn >> 7) & 0x1E);                        // imm[4:1]
                break;
            case 0x03:
                d.Op = funct3 switch
                {
                    0 => Rv32Op.Lb,
                    1 => Rv32Op.Lh,
                    2 => Rv32Op.Lw,
                    4 => Rv32Op.Lbu,
                    5 => Rv32Op.Lhu,
                    _ => Rv32Op.Illegal,
                };
                d.Imm = immI;
                break;
            case 0x23:
                d.Op = funct3 switch
                {
                    0 => Rv32Op.Sb,
                    1 => Rv32Op.Sh,
                    2 => Rv32Op.Sw,
                    _ => Rv32Op.Illegal,
                };
                d.Imm = ((int)insn >> 20 & ~31) | (int)((insn >> 7) & 31);
                break;
            case 0x13:
                d.Imm = immI;
                switch (funct3)
                {
                    case 0: d.Op = Rv32Op.Addi; break;
                    case 2: d.Op = Rv32Op.Slti; break;
                    case 3: d.Op = Rv32Op.Sltiu; break;
                    case 4: d.Op = Rv32Op.Xori; break;
                    case 6: d.Op = Rv32Op.Ori; break;
                    case 7: d.Op = Rv32Op.Andi; break;
                    case 1:
                        d.Imm = d.Rs2;
                        d.Op = funct7 == 0 ? Rv32Op.Slli : Rv32Op.Illegal;
                        break;
                    case 5:
                        d.Imm = d.Rs2;
                        d.Op = funct7 switch
                        {
                            0x00 => Rv32Op.Srli,
                            0x20 => Rv32Op.Srai,
                            _ => Rv32Op.Illegal,
                        };
                        break;
                }
                break;
            case 0x33:
                d.Op = (funct7, funct3) switch
                {
                    (0x00, 0) => Rv32Op.Add,
                    (0x20, 0) => Rv32Op.Sub,
                    (0x00, 1) => Rv32Op.Sll,
                    (0x00, 2) => Rv32Op.Slt,
                    (0x00, 3) => Rv32Op.Sltu,
                    (0x00, 4) => Rv32Op.Xor,
                    (0x00, 5) => Rv32Op.Srl,
                    (0x20, 5) => Rv32Op.Sra,
                    (0x00, 6) => Rv32Op.Or,
                    (0x00, 7) => Rv32Op.And,
                    (0x01, 0) => Rv32Op.Mul,
                    (0x01, 1) => Rv32Op.Mulh,
                    (0x01, 2) => Rv32Op.Mulhsu,
                    (0x01, 3) => Rv32Op.Mulhu,
                    (0x01, 4) => Rv32Op.Div,
                    (0x01, 5) => Rv32Op.Divu,
                    (0x01, 6) => Rv32Op.Rem,
                    (0x01, 7) => Rv32Op.Remu,
                    _ => Rv32Op.Illegal,
                };
                break;
            case 0x0F:
                // FENCE ignores its fm/pred/succ/rs1/rd fields (reserved for future use, to be
                // ignored by implementations); FENCE.I (Zifencei) likewise ignores imm/rs1/rd.
                d.Op = funct3 switch
                {
                    0 => Rv32Op.Fence,
                    1 => Rv32Op.FenceI,
                    _ => Rv32Op.Illegal,
                };
                break;
            case 0x73:
                d.Imm = (int)(insn >> 20);
                switch (funct3)
                {
                    case 0:
                        d.Op = insn switch
                        {
                            0x0000_0073 => Rv32Op.Ecall,
                            0x0010_0073 => Rv32Op.Ebreak,
                            0x3020_0073 => Rv32Op.Mret,
                            0x1050_0073 => Rv32Op.Wfi,
                            _ => Rv32Op.Illegal,
                        };
                        break;
                    case 1: d.Op = Rv32Op.Csrrw; break;
                    case 2: d.Op = Rv32Op.Csrrs; break;
                    case 3: d.Op = Rv32Op.Csrrc; break;
                    case 5: d.Op = Rv32Op.Csrrwi; break;
                    case 6: d.Op = Rv32Op.Csrrsi; break;
                    case 7: d.Op = Rv32Op.Csrrci; break;
                }
                break;
        }
        return d;
    }

    private static byte[] BuildOperandTable()
    {
        const byte rr = ReadsRs1 | ReadsRs2 | WritesRd;
        const byte ri = ReadsRs1 | WritesRd;
        var t = new byte[(int)Rv32Op.Csrrci + 1];
        t[(int)Rv32Op.Lui] = WritesRd;
        t[(int)Rv32Op.Auipc] = WritesRd;
        t[(int)Rv32Op.Jal] = WritesRd;
        t[(int)Rv32Op.Jalr] = ri;
        foreach (var op in new[] { Rv32Op.Beq, Rv32Op.Bne, Rv32Op.Blt, Rv32Op.Bge, Rv32Op.Bltu, Rv32Op.Bgeu, Rv32Op.Sb, Rv32Op.Sh, Rv32Op.Sw })
            t[(int)op] = ReadsRs1 | ReadsRs2;
        foreach (var op in new[] { Rv32Op.Lb, Rv32Op.Lh, Rv32Op.Lw, Rv32Op.Lbu, Rv32Op.Lhu,
                     Rv32Op.Addi, Rv32Op.Slti, Rv32Op.Sltiu, Rv32Op.Xori, Rv32Op.Ori, Rv32Op.Andi,
                     Rv32Op.Slli, Rv32Op.Srli, Rv32Op.Srai, Rv32Op.Csrrw, Rv32Op.Csrrs, Rv32Op.Csrrc })
            t[(int)op] = ri;
        for (var op = Rv32Op.Add; op <= Rv32Op.Remu; op++)
            t[(int)op] = rr;
        t[(int)Rv32Op.Csrrwi] = WritesRd;
        t[(int)Rv32Op.Csrrsi] = WritesRd;
        t[(int)Rv32Op.Csrrci] = WritesRd;
        return t;
    }
}
