namespace HwGen.Sim.Tests.RandomPrograms;

/// <summary>
/// RV32IM + Zicsr machine-code encodings (the unprivileged specification's base formats R, I, S, B, U, J),
/// so that test programs can be written without an assembler. Every method checks its operands and
/// throws <see cref="ArgumentOutOfRangeException"/> naming the one that does not fit.
/// </summary>
public static class Rv32Encoder
{
    private const uint OpLui = 0x37, OpAuipc = 0x17, OpJal = 0x6f, OpJalr = 0x67, OpBranch = 0x63, OpLoad = 0x03,
        OpStore = 0x23, OpImm = 0x13, OpReg = 0x33, OpMiscMem = 0x0f, OpSystem = 0x73;

    /// <summary>The register-register operations: funct7 and funct3 (opcode OP).</summary>
    public static readonly IReadOnlyDictionary<string, (uint Funct7, uint Funct3)> RegisterOps = new Dictionary<string, (uint, uint)>
    {
        ["add"] = (0x00, 0), ["sub"] = (0x20, 0), ["sll"] = (0x00, 1), ["slt"] = (0x00, 2), ["sltu"] = (0x00, 3),
        ["xor"] = (0x00, 4), ["srl"] = (0x00, 5), ["sra"] = (0x20, 5), ["or"] = (0x00, 6), ["and"] = (0x00, 7),
        ["mul"] = (0x01, 0), ["mulh"] = (0x01, 1), ["mulhsu"] = (0x01, 2), ["mulhu"] = (0x01, 3),
        ["div"] = (0x01, 4), ["divu"] = (0x01, 5), ["rem"] = (0x01, 6), ["remu"] = (0x01, 7),
    };

    /// <summary>The register-immediate operations with a 12-bit signed immediate: funct3 (opcode OP-IMM).</summary>
    public static readonly IReadOnlyDictionary<string, uint> ImmediateOps = new Dictionary<string, uint>
    {
        ["addi"] = 0, ["slti"] = 2, ["sltiu"] = 3, ["xori"] = 4, ["ori"] = 6, ["andi"] = 7,
    };

    /// <summary>The shifts by an immediate: funct7 and funct3 (opcode OP-IMM).</summary>
    public static readonly IReadOnlyDictionary<string, (uint Funct7, uint Funct3)> ShiftImmediateOps = new Dictionary<string, (uint, uint)>
    {
        ["slli"] = (0x00, 1), ["srli"] = (0x00, 5), ["srai"] = (0x20, 5),
    };

    /// <summary>The conditional branches: funct3.</summary>
    public static readonly IReadOnlyDictionary<string, uint> Branches = new Dictionary<string, uint>
    {
        ["beq"] = 0, ["bne"] = 1, ["blt"] = 4, ["bge"] = 5, ["bltu"] = 6, ["bgeu"] = 7,
    };

    /// <summary>The loads: funct3 and access size in bytes.</summary>
    public static readonly IReadOnlyDictionary<string, (uint Funct3, int Size)> Loads = new Dictionary<string, (uint, int)>
    {
        ["lb"] = (0, 1), ["lh"] = (1, 2), ["lw"] = (2, 4), ["lbu"] = (4, 1), ["lhu"] = (5, 2),
    };

    /// <summary>The stores: funct3 and access size in bytes.</summary>
    public static readonly IReadOnlyDictionary<string, (uint Funct3, int Size)> Stores = new Dictionary<string, (uint, int)>
    {
        ["sb"] = (0, 1), ["sh"] = (1, 2), ["sw"] = (2, 4),
    };

    /// <summary>The CSR instructions: funct3 (the <c>i</c> forms take a 5-bit immediate in the rs1 field).</summary>
    public static readonly IReadOnlyDictionary<string, uint> CsrOps = new Dictionary<string, uint>
    {
        ["csrrw"] = 1, ["csrrs"] = 2, ["csrrc"] = 3, ["csrrwi"] = 5, ["csrrsi"] = 6, ["csrrci"] = 7,
    };

    public const uint Ecall = 0x0000_0073;
    public const uint Ebreak = 0x0010_0073;
    public const uint Mret = 0x3020_0073;
    public const uint Nop = 0x0000_0013;

    /// <summary><c>fence iorw, iorw</c>.</summary>
    public const uint Fence = 0x0ff0_000f;

    public static uint Register(string op, int rd, int rs1, int rs2)
    {
        var (funct7, funct3) = Lookup(RegisterOps, op);
        return RType(funct7, rs2, rs1, funct3, rd, OpReg);
    }

    public static uint Immediate(string op, int rd, int rs1, int imm) =>
        IType(imm, rs1, Lookup(ImmediateOps, op), rd, OpImm);

    public static uint ShiftImmediate(string op, int rd, int rs1, int shamt)
    {
        var (funct7, funct3) = Lookup(ShiftImmediateOps, op);
        CheckRange(shamt, 0, 31, nameof(shamt));
        return RType(funct7, shamt, rs1, funct3, rd, OpImm);
    }

    public static uint Addi(int rd, int rs1, int imm) => Immediate("addi", rd, rs1, imm);

    public static uint Load(string op, int rd, int rs1, int offset) => IType(offset, rs1, Lookup(Loads, op).Funct3, rd, OpLoad);

    public static uint Store(string op, int rs2, int rs1, int offset)
    {
        CheckRange(offset, -2048, 2047, nameof(offset));
        uint imm = (uint)offset & 0xfff;
        return ((imm >> 5) << 25) | Reg(rs2, nameof(rs2)) << 20 | Reg(rs1, nameof(rs1)) << 15 | Lookup(Stores, op).Funct3 << 12 | (imm & 0x1f) << 7 | OpStore;
    }

    /// <summary>A conditional branch to pc + <paramref name="offset"/> (even, within ±4 KiB).</summary>
    public static uint Branch(string op, int rs1, int rs2, int offset)
    {
        CheckRange(offset, -4096, 4094, nameof(offset));
        CheckEven(offset, nameof(offset));
        uint imm = (uint)offset & 0x1fff;
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3f) << 25 | Reg(rs2, nameof(rs2)) << 20 | Reg(rs1, nameof(rs1)) << 15
            | Lookup(Branches, op) << 12 | ((imm >> 1) & 0xf) << 8 | ((imm >> 11) & 1) << 7 | OpBranch;
    }

    /// <summary><c>jal rd, pc + offset</c> (even, within ±1 MiB).</summary>
    public static uint Jal(int rd, int offset)
    {
        CheckRange(offset, -(1 << 20), (1 << 20) - 2, nameof(offset));
        CheckEven(offset, nameof(offset));
        uint imm = (uint)offset & 0x1f_ffff;
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3ff) << 21 | ((imm >> 11) & 1) << 20 | ((imm >> 12) & 0xff) << 12
            | Reg(rd, nameof(rd)) << 7 | OpJal;
    }

    public static uint Jalr(int rd, int rs1, int offset) => IType(offset, rs1, 0, rd, OpJalr);

    /// <summary><c>lui rd, upper</c>: rd = <paramref name="upper"/> &lt;&lt; 12.</summary>
    public static uint Lui(int rd, uint upper) => UType(upper, rd, OpLui);

    /// <summary><c>auipc rd, upper</c>: rd = pc + (<paramref name="upper"/> &lt;&lt; 12).</summary>
    public static uint Auipc(int rd, uint upper) => UType(upper, rd, OpAuipc);

    /// <summary>A CSR instruction; for the <c>i</c> forms <paramref name="source"/> is the 5-bit immediate, otherwise rs1.</summary>
    public static uint CsrInstruction(string op, int rd, uint csr, int source)
    {
        if (csr > 0xfff)
            throw new ArgumentOutOfRangeException(nameof(csr), csr, "a CSR address has 12 bits");
        CheckRange(source, 0, 31, nameof(source));
        return csr << 20 | (uint)source << 15 | Lookup(CsrOps, op) << 12 | Reg(rd, nameof(rd)) << 7 | OpSystem;
    }

    /// <summary>
    /// <c>li rd, value</c> as the assembler expands it for a value outside 12 bits: <c>lui</c> then <c>addi</c>
    /// (one <c>addi</c> from x0 when the value fits in 12 signed bits).
    /// </summary>
    public static uint[] LoadImmediate(int rd, uint value)
    {
        int signed = (int)value;
        if (signed is >= -2048 and <= 2047)
            return [Addi(rd, 0, signed)];
        uint upper = (value + 0x800) >> 12;
        int lower = (int)(value - (upper << 12));
        return lower == 0 ? [Lui(rd, upper & 0xfffff)] : [Lui(rd, upper & 0xfffff), Addi(rd, rd, lower)];
    }

    private static uint RType(uint funct7, int rs2, int rs1, uint funct3, int rd, uint opcode) =>
        funct7 << 25 | Reg(rs2, nameof(rs2)) << 20 | Reg(rs1, nameof(rs1)) << 15 | funct3 << 12 | Reg(rd, nameof(rd)) << 7 | opcode;

    private static uint IType(int imm, int rs1, uint funct3, int rd, uint opcode)
    {
        CheckRange(imm, -2048, 2047, nameof(imm));
        return ((uint)imm & 0xfff) << 20 | Reg(rs1, nameof(rs1)) << 15 | funct3 << 12 | Reg(rd, nameof(rd)) << 7 | opcode;
    }

    private static uint UType(uint upper, int rd, uint opcode)
    {
        if (upper > 0xfffff)
            throw new ArgumentOutOfRangeException(nameof(upper), upper, "the upper immediate has 20 bits");
        return upper << 12 | Reg(rd, nameof(rd)) << 7 | opcode;
    }

    private static uint Reg(int register, string name)
    {
        CheckRange(register, 0, 31, name);
        return (uint)register;
    }

    private static void CheckRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"must lie in {min}..{max}");
    }

    private static void CheckEven(int value, string name)
    {
        if ((value & 1) != 0)
            throw new ArgumentOutOfRangeException(name, value, "a branch or jump offset must be even");
    }

    private static T Lookup<T>(IReadOnlyDictionary<string, T> table, string op) =>
        table.TryGetValue(op, out var value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(op), op, $"not one of {string.Join(", ", table.Keys)}");
}
