using HwGen.Designs.Common;
namespace HwGen.Designs.Riscv;

/// <summary>
/// The encoding format of an instruction: where its immediate comes from and which registers it reads and writes.
/// </summary>
public enum InstructionFormat
{
    /// <summary>Register-register: reads rs1 and rs2, writes rd, no immediate.</summary>
    R = 0,
    /// <summary>Immediate in bits 31..20: reads rs1, writes rd.</summary>
    I = 1,
    /// <summary>Store: reads rs1 and rs2, immediate split over bits 31..25 and 11..7.</summary>
    S = 2,
    /// <summary>Conditional branch: reads rs1 and rs2, a 13-bit even offset.</summary>
    B = 3,
    /// <summary>Upper immediate in bits 31..12: writes rd.</summary>
    U = 4,
    /// <summary>Jump: writes rd, a 21-bit even offset.</summary>
    J = 5,
    /// <summary>No register operands and no immediate (<c>ecall</c>, <c>mret</c>).</summary>
    N = 6,
}

/// <summary>The ALU's first operand. Bit 0 alone tells the pc (the execute stage's select is one register bit).</summary>
public enum OperandA
{
    Rs1 = 0,
    Pc = 1,
    Zero = 2,
}

/// <summary>The ALU's second operand.</summary>
public enum OperandB
{
    Rs2 = 0,
    Immediate = 1,
}

/// <summary>Which unit of the execute stage produces the value written to rd.</summary>
public enum ResultSource
{
    Alu = 0,
    /// <summary>The address of the next instruction (<c>jal</c>, <c>jalr</c>): the ALU adds 4 to the pc.</summary>
    Link = 1,
    Multiplier = 2,
    Divider = 3,
    /// <summary>The old value of a control and status register.</summary>
    Csr = 4,
    /// <summary>The address of a load or store, rs1 + offset, from the target adder (the ALU is not used); it reaches the memory stage as the target, not through the result.</summary>
    Address = 5,
    /// <summary>
    /// <c>slt</c>, <c>sltu</c> and their immediate forms: the ALU's comparison, registered by the execute stage and put
    /// into the result by the memory stage (so the value comes one cycle later than an ALU result).
    /// </summary>
    Compare = 6,
    /// <summary>
    /// The shifts: the execute stage rotates the operand by the amount's low bits, the memory stage completes the
    /// shift (so the value comes one cycle later than an ALU result, as for <see cref="Compare"/>).
    /// </summary>
    Shift = 7,
}

/// <summary>How an instruction changes the flow of control; resolved in the execute stage.</summary>
public enum ControlTransfer
{
    None = 0,
    /// <summary>Conditional, PC-relative; the condition is funct3.</summary>
    Branch = 1,
    /// <summary>Unconditional, PC-relative.</summary>
    Jal = 2,
    /// <summary>Unconditional, to rs1 + immediate with bit 0 cleared.</summary>
    Jalr = 3,
}

/// <summary>The system instructions: CSR accesses (funct3 selects the kind), environment calls, trap return.</summary>
public enum SystemOp
{
    None = 0,
    Csr = 1,
    Ecall = 2,
    Ebreak = 3,
    Mret = 4,
    /// <summary><c>fence.i</c>: the instructions after it are fetched again, after every older store.</summary>
    FenceI = 5,
}

/// <summary>The data memory access of an instruction; its size and signedness are funct3.</summary>
public enum MemoryOp
{
    None = 0,
    Load = 1,
    Store = 2,
}

/// <summary>
/// One row of the decoder table: an encoding pattern and the control values of the instructions it matches.
/// </summary>
/// <param name="Mnemonic">The assembler name; the decoder's match wire is named <c>is_</c> followed by it.</param>
/// <param name="Pattern">32 characters from bit 31 down to bit 0: <c>0</c>, <c>1</c>, or <c>-</c> for a bit that
/// does not take part in the match; spaces separate fields and are ignored.</param>
public sealed record DecoderRow(
    string Mnemonic,
    string Pattern,
    InstructionFormat Format,
    AluOp Alu = AluOp.Add,
    OperandA OperandA = OperandA.Rs1,
    OperandB OperandB = OperandB.Rs2,
    ResultSource Result = ResultSource.Alu,
    ControlTransfer Transfer = ControlTransfer.None,
    MemoryOp Memory = MemoryOp.None,
    SystemOp System = SystemOp.None)
{
    private readonly string _pattern = Pattern;
    private readonly (uint Mask, uint Match) _encoding = ParsePattern(Mnemonic, Pattern);

    /// <summary>
    /// 32 characters from bit 31 down to bit 0 (see the record's parameter). Set again by <c>with</c>, it parses
    /// again: <see cref="Mask"/> and <see cref="Match"/> always follow it.
    /// </summary>
    public string Pattern
    {
        get => _pattern;
        init
        {
            _encoding = ParsePattern(Mnemonic, value);
            _pattern = value;
        }
    }

    /// <summary>The bits that take part in the match.</summary>
    public uint Mask => _encoding.Mask;

    /// <summary>The value of the masked bits.</summary>
    public uint Match => _encoding.Match;

    public bool ReadsRs1 => Format is InstructionFormat.R or InstructionFormat.I or InstructionFormat.S or InstructionFormat.B;

    public bool ReadsRs2 => Format is InstructionFormat.R or InstructionFormat.S or InstructionFormat.B;

    public bool WritesRd => Format is InstructionFormat.R or InstructionFormat.I or InstructionFormat.U or InstructionFormat.J;

    /// <summary>True when <paramref name="instruction"/> matches this row.</summary>
    public bool Matches(uint instruction) => (instruction & Mask) == Match;

    private static (uint Mask, uint Match) ParsePattern(string mnemonic, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var bits = pattern.Replace(" ", "", StringComparison.Ordinal);
        if (bits.Length != 32)
            throw new ArgumentException($"decoder row '{mnemonic}': the pattern '{pattern}' has {bits.Length} bits, not 32", nameof(pattern));
        uint mask = 0, match = 0;
        for (int i = 0; i < 32; i++)
        {
            uint bit = 1u << (31 - i);
            switch (bits[i])
            {
                case '0':
                    mask |= bit;
                    break;
                case '1':
                    mask |= bit;
                    match |= bit;
                    break;
                case '-':
                    break;
                default:
                    throw new ArgumentException($"decoder row '{mnemonic}': the pattern '{pattern}' has '{bits[i]}' at bit {31 - i}; use 0, 1 or -", nameof(pattern));
            }
        }
        return (mask, match);
    }
}

/// <summary>The decoder tables: every instruction the core executes, one row each.</summary>
public static class DecoderTable
{
    private const InstructionFormat R = InstructionFormat.R;
    private const InstructionFormat I = InstructionFormat.I;
    private const InstructionFormat S = InstructionFormat.S;
    private const InstructionFormat B = InstructionFormat.B;
    private const InstructionFormat U = InstructionFormat.U;
    private const InstructionFormat J = InstructionFormat.J;
    private const InstructionFormat N = InstructionFormat.N;
    private const OperandB Imm = OperandB.Immediate;

    /// <summary>RV32I without the system instructions (see <see cref="Machine"/>).</summary>
    public static IReadOnlyList<DecoderRow> Rv32I { get; } =
    [
        //  mnemonic  funct7   rs2   rs1   f3  rd    opcode
        new("lui",   "------- ----- ----- --- ----- 0110111", U, OperandA: OperandA.Zero, OperandB: Imm),
        new("auipc", "------- ----- ----- --- ----- 0010111", U, OperandA: OperandA.Pc, OperandB: Imm),
        new("jal",   "------- ----- ----- --- ----- 1101111", J, OperandA: OperandA.Pc, Result: ResultSource.Link, Transfer: ControlTransfer.Jal),
        new("jalr",  "------- ----- ----- 000 ----- 1100111", I, OperandA: OperandA.Pc, Result: ResultSource.Link, Transfer: ControlTransfer.Jalr),

        new("beq",   "------- ----- ----- 000 ----- 1100011", B, AluOp.Sub, Transfer: ControlTransfer.Branch),
        new("bne",   "------- ----- ----- 001 ----- 1100011", B, AluOp.Sub, Transfer: ControlTransfer.Branch),
        new("blt",   "------- ----- ----- 100 ----- 1100011", B, AluOp.Sub, Transfer: ControlTransfer.Branch),
        new("bge",   "------- ----- ----- 101 ----- 1100011", B, AluOp.Sub, Transfer: ControlTransfer.Branch),
        new("bltu",  "------- ----- ----- 110 ----- 1100011", B, AluOp.Sub, Transfer: ControlTransfer.Branch),
        new("bgeu",  "------- ----- ----- 111 ----- 1100011", B, AluOp.Sub, Transfer: ControlTransfer.Branch),

        new("lb",    "------- ----- ----- 000 ----- 0000011", I, OperandB: Imm, Result: ResultSource.Address, Memory: MemoryOp.Load),
        new("lh",    "------- ----- ----- 001 ----- 0000011", I, OperandB: Imm, Result: ResultSource.Address, Memory: MemoryOp.Load),
        new("lw",    "------- ----- ----- 010 ----- 0000011", I, OperandB: Imm, Result: ResultSource.Address, Memory: MemoryOp.Load),
        new("lbu",   "------- ----- ----- 100 ----- 0000011", I, OperandB: Imm, Result: ResultSource.Address, Memory: MemoryOp.Load),
        new("lhu",   "------- ----- ----- 101 ----- 0000011", I, OperandB: Imm, Result: ResultSource.Address, Memory: MemoryOp.Load),
        new("sb",    "------- ----- ----- 000 ----- 0100011", S, Result: ResultSource.Address, Memory: MemoryOp.Store),
        new("sh",    "------- ----- ----- 001 ----- 0100011", S, Result: ResultSource.Address, Memory: MemoryOp.Store),
        new("sw",    "------- ----- ----- 010 ----- 0100011", S, Result: ResultSource.Address, Memory: MemoryOp.Store),

        new("addi",  "------- ----- ----- 000 ----- 0010011", I, AluOp.Add, OperandB: Imm),
        new("slti",  "------- ----- ----- 010 ----- 0010011", I, AluOp.Slt, OperandB: Imm, Result: ResultSource.Compare),
        new("sltiu", "------- ----- ----- 011 ----- 0010011", I, AluOp.Sltu, OperandB: Imm, Result: ResultSource.Compare),
        new("xori",  "------- ----- ----- 100 ----- 0010011", I, AluOp.Xor, OperandB: Imm),
        new("ori",   "------- ----- ----- 110 ----- 0010011", I, AluOp.Or, OperandB: Imm),
        new("andi",  "------- ----- ----- 111 ----- 0010011", I, AluOp.And, OperandB: Imm),
        new("slli",  "0000000 ----- ----- 001 ----- 0010011", I, AluOp.Sll, OperandB: Imm, Result: ResultSource.Shift),
        new("srli",  "0000000 ----- ----- 101 ----- 0010011", I, AluOp.Srl, OperandB: Imm, Result: ResultSource.Shift),
        new("srai",  "0100000 ----- ----- 101 ----- 0010011", I, AluOp.Sra, OperandB: Imm, Result: ResultSource.Shift),

        new("add",   "0000000 ----- ----- 000 ----- 0110011", R, AluOp.Add),
        new("sub",   "0100000 ----- ----- 000 ----- 0110011", R, AluOp.Sub),
        new("sll",   "0000000 ----- ----- 001 ----- 0110011", R, AluOp.Sll, Result: ResultSource.Shift),
        new("slt",   "0000000 ----- ----- 010 ----- 0110011", R, AluOp.Slt, Result: ResultSource.Compare),
        new("sltu",  "0000000 ----- ----- 011 ----- 0110011", R, AluOp.Sltu, Result: ResultSource.Compare),
        new("xor",   "0000000 ----- ----- 100 ----- 0110011", R, AluOp.Xor),
        new("srl",   "0000000 ----- ----- 101 ----- 0110011", R, AluOp.Srl, Result: ResultSource.Shift),
        new("sra",   "0100000 ----- ----- 101 ----- 0110011", R, AluOp.Sra, Result: ResultSource.Shift),
        new("or",    "0000000 ----- ----- 110 ----- 0110011", R, AluOp.Or),
        new("and",   "0000000 ----- ----- 111 ----- 0110011", R, AluOp.And),

        // A single hart with in-order memory accesses needs no ordering: fence does nothing. fence.i (Zifencei)
        // refetches what follows it, so that code written by older stores is what runs.
        new("fence", "------- ----- ----- 000 ----- 0001111", N),
        new("fence.i", "------- ----- ----- 001 ----- 0001111", N, System: SystemOp.FenceI),
    ];

    /// <summary>
    /// The system instructions of a machine-mode-only hart: Zicsr, <c>ecall</c>, <c>ebreak</c>, <c>mret</c>, and
    /// <c>wfi</c>, which may do nothing and does.
    /// </summary>
    public static IReadOnlyList<DecoderRow> Machine { get; } =
    [
        //  mnemonic   csr          rs1   f3  rd    opcode
        new("csrrw",  "------------ ----- 001 ----- 1110011", I, Result: ResultSource.Csr, System: SystemOp.Csr),
        new("csrrs",  "------------ ----- 010 ----- 1110011", I, Result: ResultSource.Csr, System: SystemOp.Csr),
        new("csrrc",  "------------ ----- 011 ----- 1110011", I, Result: ResultSource.Csr, System: SystemOp.Csr),
        new("csrrwi", "------------ ----- 101 ----- 1110011", I, Result: ResultSource.Csr, System: SystemOp.Csr),
        new("csrrsi", "------------ ----- 110 ----- 1110011", I, Result: ResultSource.Csr, System: SystemOp.Csr),
        new("csrrci", "------------ ----- 111 ----- 1110011", I, Result: ResultSource.Csr, System: SystemOp.Csr),
        new("ecall",  "000000000000 00000 000 00000 1110011", N, System: SystemOp.Ecall),
        new("ebreak", "000000000001 00000 000 00000 1110011", N, System: SystemOp.Ebreak),
        new("mret",   "001100000010 00000 000 00000 1110011", N, System: SystemOp.Mret),
        new("wfi",    "000100000101 00000 000 00000 1110011", N),
    ];

    /// <summary>The M extension: the multiplier and divider select their operation with funct3.</summary>
    public static IReadOnlyList<DecoderRow> Rv32M { get; } =
    [
        new("mul",    "0000001 ----- ----- 000 ----- 0110011", R, Result: ResultSource.Multiplier),
        new("mulh",   "0000001 ----- ----- 001 ----- 0110011", R, Result: ResultSource.Multiplier),
        new("mulhsu", "0000001 ----- ----- 010 ----- 0110011", R, Result: ResultSource.Multiplier),
        new("mulhu",  "0000001 ----- ----- 011 ----- 0110011", R, Result: ResultSource.Multiplier),
        new("div",    "0000001 ----- ----- 100 ----- 0110011", R, Result: ResultSource.Divider),
        new("divu",   "0000001 ----- ----- 101 ----- 0110011", R, Result: ResultSource.Divider),
        new("rem",    "0000001 ----- ----- 110 ----- 0110011", R, Result: ResultSource.Divider),
        new("remu",   "0000001 ----- ----- 111 ----- 0110011", R, Result: ResultSource.Divider),
    ];

    /// <summary>
    /// The rows a core with <paramref name="config"/> decodes: without CSRs (<see cref="CsrSet.None"/>) the CSR
    /// instructions and <c>mret</c> are not among them, so they decode as illegal.
    /// </summary>
    public static IReadOnlyList<DecoderRow> For(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var machine = config.Csrs == CsrSet.None
            ? Machine.Where(r => r.System is not (SystemOp.Csr or SystemOp.Mret)).ToArray()
            : Machine;
        return config.WithM ? [.. Rv32I, .. machine, .. Rv32M] : [.. Rv32I, .. machine];
    }
}
