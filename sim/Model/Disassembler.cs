using System.Globalization;

namespace HwGen.Sim.Model;

/// <summary>
/// Turns one RV32IM + Zicsr instruction into objdump-style text with ABI register names and no
/// pseudo-instructions: <c>addi a0, a0, 1</c>, <c>lw ra, 12(sp)</c>, <c>beq a0, a1, 0x80000010</c>,
/// <c>csrrw t0, mstatus, t1</c>. Branch and jump targets are absolute (computed from the pc);
/// immediates are decimal except the upper immediates of lui/auipc (hex, as objdump prints them).
/// Anything the simulator would reject as illegal prints as <c>.word 0x%08x</c>.
/// </summary>
public static class Disassembler
{
    private static readonly string[] s_abiNames =
    [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
        "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
        "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];

    /// <summary>The ABI name of register x<paramref name="index"/> (<c>zero</c>, <c>ra</c>, <c>sp</c>, …).</summary>
    public static string RegisterName(int index) =>
        (uint)index < 32 ? s_abiNames[index] : throw new ArgumentOutOfRangeException(nameof(index), index, "RV32 has registers x0..x31");

    public static string Disassemble(uint insn, uint pc = 0)
    {
        var d = Rv32Decoder.Decode(insn);
        string rd = s_abiNames[d.Rd], rs1 = s_abiNames[d.Rs1], rs2 = s_abiNames[d.Rs2];
        string imm = d.Imm.ToString(CultureInfo.InvariantCulture);
        string target = Hex(pc + (uint)d.Imm);
        string csr = Csr.Format((uint)d.Imm);
        return d.Op switch
        {
            Rv32Op.Lui or Rv32Op.Auipc => $"{Mnemonic(d.Op)} {rd}, {Hex((uint)d.Imm >> 12)}",
            Rv32Op.Jal => $"jal {rd}, {target}",
            Rv32Op.Jalr => $"jalr {rd}, {imm}({rs1})",
            >= Rv32Op.Beq and <= Rv32Op.Bgeu => $"{Mnemonic(d.Op)} {rs1}, {rs2}, {target}",
            >= Rv32Op.Lb and <= Rv32Op.Lhu => $"{Mnemonic(d.Op)} {rd}, {imm}({rs1})",
            >= Rv32Op.Sb and <= Rv32Op.Sw => $"{Mnemonic(d.Op)} {rs2}, {imm}({rs1})",
            >= Rv32Op.Addi and <= Rv32Op.Srai => $"{Mnemonic(d.Op)} {rd}, {rs1}, {imm}",
            >= Rv32Op.Add and <= Rv32Op.Remu => $"{Mnemonic(d.Op)} {rd}, {rs1}, {rs2}",
            Rv32Op.Fence => Fence(insn),
            Rv32Op.FenceI or Rv32Op.Ecall or Rv32Op.Ebreak or Rv32Op.Mret or Rv32Op.Wfi => Mnemonic(d.Op),
            >= Rv32Op.Csrrw and <= Rv32Op.Csrrc => $"{Mnemonic(d.Op)} {rd}, {csr}, {rs1}",
            >= Rv32Op.Csrrwi and <= Rv32Op.Csrrci => $"{Mnemonic(d.Op)} {rd}, {csr}, {d.Rs1}",
            _ => $".word 0x{insn:x8}",
        };
    }

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Mnemonic(Rv32Op op) => op switch
    {
        Rv32Op.FenceI => "fence.i",
        _ => op.ToString().ToLowerInvariant(),
    };

    /// <summary><c>fence</c> for the full fence (iorw, iorw), <c>fence.tso</c>, else <c>fence pred, succ</c>.</summary>
    private static string Fence(uint insn)
    {
        uint fm = insn >> 28, pred = (insn >> 24) & 15, succ = (insn >> 20) & 15;
        if (fm == 0 && pred == 15 && succ == 15)
            return "fence";
        if (fm == 8 && pred == 3 && succ == 3)
            return "fence.tso";
        return $"fence {Set(pred)}, {Set(succ)}";

        static string Set(uint bits)
        {
            if (bits == 0)
                return "0";
            var s = "";
            if ((bits & 8) != 0) s += "i";
            if ((bits & 4) != 0) s += "o";
            if ((bits & 2) != 0) s += "r";
            if ((bits & 1) != 0) s += "w";
            return s;
        }
    }
}
