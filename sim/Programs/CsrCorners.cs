using System.Globalization;
using HwGen.Designs.Riscv;

namespace HwGen.Sim.Programs;

/// <summary>
/// The CSR addresses one bit away from a register the core implements, and the ISA program that tries each of them
/// (<c>trap_illegal_csr_corners</c>): every implemented address (<see cref="ControlStatusRegisters.ImplementedBy"/>)
/// read, each without a trap; each address with one of its twelve bits inverted that names no implemented register
/// read, each an illegal instruction; and each read-only register (address bits 11..10 set) written, each an illegal
/// instruction. A check of the address that ignores a bit, or compares it with the wrong value, lets one of these
/// through or traps a legal one.
/// </summary>
public static class CsrCorners
{
    /// <summary>The program's file name without its extension, and the name it is reported under.</summary>
    public const string ProgramName = "trap_illegal_csr_corners";

    /// <summary>The illegal addresses one bit away from <paramref name="legal"/>, each once: the address, the register it comes from and the bit.</summary>
    public static IReadOnlyList<(int Address, int From, int Bit)> Of(IReadOnlyList<int> legal)
    {
        ArgumentNullException.ThrowIfNull(legal);
        var seen = new HashSet<int>();
        var corners = new List<(int, int, int)>();
        foreach (var address in legal)
        {
            for (int bit = 0; bit < 12; bit++)
            {
                var other = address ^ (1 << bit);
                if (!legal.Contains(other) && seen.Add(other))
                    corners.Add((other, address, bit));
            }
        }
        return corners;
    }

    /// <summary>The program for the registers a core with <paramref name="config"/> implements.</summary>
    public static string Program(CoreConfig config) => Program(ControlStatusRegisters.ImplementedBy(config));

    /// <summary>The program for the implemented addresses <paramref name="legal"/>.</summary>
    public static string Program(IReadOnlyList<int> legal)
    {
        ArgumentNullException.ThrowIfNull(legal);
        var reads = legal.Select(a => new CornerCase(false, $"csrr a4, {Hex(a)}", $"{Hex(a)} read"));
        var corners = Of(legal).Select(c => new CornerCase(true, $"csrr a4, {Hex(c.Address)}", $"{Hex(c.From)}, bit {c.Bit} inverted"));
        var writes = legal.Where(a => a >> 10 == 0b11).Select(a => new CornerCase(true, $"csrw {Hex(a)}, a4", $"{Hex(a)} written (read-only)"));
        return CornerProgram.Render(
            ProgramName,
            "the CSR addresses one bit away from a register",
            "the CSR unit's implemented addresses, hdl/Designs/Riscv/ControlStatusRegisters.cs",
            typeof(CsrCorners),
            [
                "Every implemented CSR read without a trap; every address one bit away from one that names no implemented",
                "register read, and every read-only register (address bits 11..10 set) written: each an illegal-instruction",
                "exception (mcause 2, mepc at the instruction, mtval 0 or the instruction) that changes nothing else.",
            ],
            [.. reads, .. corners, .. writes]);
    }

    private static string Hex(int address) => "0x" + address.ToString("x3", CultureInfo.InvariantCulture);
}
