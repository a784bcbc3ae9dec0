using System.Runtime.CompilerServices;
using System.Text;
using HwGen.Designs.Riscv;

namespace HwGen.Sim.Model;

/// <summary>Options of <see cref="Rv32Iss"/>.</summary>
public sealed record IssOptions
{
    /// <summary>
    /// True (standalone, the default): the simulator takes the machine timer interrupt by itself
    /// when it is pending and enabled. False (co-simulation): interrupts are taken only through
    /// <see cref="Rv32Iss.InjectInterrupt"/>, when the RTL took one.
    /// </summary>
    public bool AutonomousInterrupts { get; init; } = true;

    /// <summary>
    /// The M extension (the default): <c>mul*</c>, <c>div*</c> and <c>rem*</c> execute and misa has M. False: an RV32I
    /// hart, as a core configured without M (<c>CoreConfig.WithM</c>): those encodings are illegal instructions and
    /// misa has I only.
    /// </summary>
    public bool WithM { get; init; } = true;

    /// <summary>
    /// The counter CSRs (the default): mcycle, minstret, cycle, instret, time and their high halves. False: a hart
    /// without them, as a core configured without counters (<c>CoreConfig.Counters</c>): their addresses are illegal.
    /// </summary>
    public bool Counters { get; init; } = true;

    /// <summary>
    /// The CSRs: <see cref="CsrSet.Full"/> (the default), or <see cref="CsrSet.TrapOnly"/>, as a core configured so
    /// (<c>CoreConfig.Csrs</c>): only mtvec, mepc, mcause and mtval (<see cref="Csr.TrapOnly"/>), every other address
    /// an illegal instruction; without mstatus and mie the timer interrupt is never taken. Or <see cref="CsrSet.None"/>:
    /// no CSRs, every CSR instruction and <c>mret</c> illegal, and a trap leaves the pc on the instruction that trapped.
    /// </summary>
    public CsrSet Csrs { get; init; } = CsrSet.Full;

    /// <summary>
    /// The core whose code range gives mtvec's legal values (<see cref="CoreConfig.LegalMtvec"/>: a core whose code is
    /// confined to a range keeps only the bits that vary inside it); null (the default): the core a SoC of the map builds
    /// by default, <see cref="CoreConfig.ForMemoryMap"/>.
    /// </summary>
    public CoreConfig? Core { get; init; }

    /// <summary>
    /// Devices that answer their regions (matched by <see cref="HwGen.Designs.Soc.MemoryRegion.Name"/>) in place of the
    /// simulator's own: a model of a device the golden model does not have, such as the PEX's tag control in a test.
    /// </summary>
    public IReadOnlyList<IMemoryDevice> Devices { get; init; } = [];
}

/// <summary>How a <see cref="Rv32Iss.Run"/> ended.</summary>
public enum IssStatus
{
    /// <summary>The program halted through <c>tohost</c> with exit code 0.</summary>
    Passed,
    /// <summary>The program halted through <c>tohost</c> with a non-zero exit code.</summary>
    Failed,
    /// <summary>The instruction limit was reached before the program halted.</summary>
    Timeout,
}

/// <summary>The outcome of <see cref="Rv32Iss.Run"/>.</summary>
/// <param name="Status">Passed, failed or timeout.</param>
/// <param name="ExitCode">The program's code from <c>tohost</c> (value &gt;&gt; 1); 0 on timeout.</param>
/// <param name="Instret">Instructions retired so far (minstret: trapping instructions do not count).</param>
/// <param name="UartOutput">Everything the program sent to the UART so far, as Latin-1 text.</param>
public sealed record IssRunResult(IssStatus Status, int ExitCode, ulong Instret, string UartOutput);

/// <summary>
/// One retired instruction, in the style of the RISC-V Formal Interface (RVFI): one 64-bit slot per field of a
/// <see cref="TraceTable"/> (the standard fields are <see cref="RetirementFields"/>, also reachable as the typed
/// properties below), kept inline so that a record is a plain struct, plus two notes from the golden model to
/// co-simulation (<see cref="Nondeterministic"/>, <see cref="Halt"/>) that are not trace fields. A field added to the
/// table is read and written with <c>record[field]</c>. The RTL's trace port follows exactly these rules, so that
/// co-simulation can compare records field by field:
/// <list type="bullet">
/// <item><see cref="Order"/>: the number of records produced before this one (the first is 0). Every
/// record counts, trapping ones included.</item>
/// <item>One record per instruction that completes or traps. A trapping instruction is retired with
/// <see cref="Trap"/> = true, <see cref="Cause"/> = the mcause it raised, <see cref="RdAddr"/> = 0,
/// <see cref="RdWdata"/> = 0, no memory mask bits and <see cref="PcWdata"/> = the trap vector (mtvec).
/// An instruction that could not be fetched (instruction access fault or misaligned pc) has
/// <see cref="Insn"/> = 0. On a trap record, <see cref="Rs1Addr"/>/<see cref="Rs2Addr"/> are filled as
/// below except for illegal-instruction traps, which read no register (both 0).</item>
/// <item>An interrupt makes no record of its own: <see cref="Intr"/> = true on the first record after
/// the interrupt was taken, i.e. the handler's first instruction (whose <see cref="PcRdata"/> is mtvec).</item>
/// <item><see cref="Rs1Addr"/>/<see cref="Rs2Addr"/> are the encoding's fields only when the instruction
/// reads that register (e.g. not rs2 for addi, neither for lui/jal/fence/ecall, not rs1 for the
/// immediate CSR forms); otherwise 0, and the matching rdata is 0. A read of x0 gives Addr 0, rdata 0.</item>
/// <item><see cref="RdAddr"/> is the destination only when a register is written; it is 0 (and
/// <see cref="RdWdata"/> 0) when nothing is written, including every write to x0.</item>
/// <item><see cref="MemAddr"/> is the word-aligned address (<c>addr &amp; ~3</c>);
/// <see cref="MemRmask"/>/<see cref="MemWmask"/> are the byte lanes accessed within that word (bit n =
/// byte n); <see cref="MemRdata"/>/<see cref="MemWdata"/> hold the data at their lane positions, with the
/// lanes outside the mask zero. For a load, MemRdata is the raw loaded bytes before sign extension. All
/// four are 0 for instructions that do not access memory.</item>
/// <item><see cref="PcWdata"/> is the address of the next instruction (branch/jump target, pc + 4, mepc
/// for mret, mtvec for a trap).</item>
/// <item><see cref="Nondeterministic"/> = true when rd received a value the RTL may legally differ on:
/// a read of mcycle, mcycleh, cycle, cycleh, time, timeh or mip, or a load from any MMIO region (CLINT,
/// UART, GPIO, PEX call). Co-simulation then copies the RTL's value with <see cref="Rv32Iss.OverrideRd"/>.</item>
/// <item><see cref="Halt"/> = true on the store that ended the program through <c>tohost</c>.</item>
/// </list>
/// </summary>
[InlineArray(TraceTable.Capacity)]
internal struct TraceSlots
{
    private ulong _element;
}

public struct RetireRecord : IEquatable<RetireRecord>
{
    private static readonly int s_order = RetirementFields.Order.Index;
    private static readonly int s_pcRdata = RetirementFields.PcRdata.Index;
    private static readonly int s_insn = RetirementFields.Insn.Index;
    private static readonly int s_trap = RetirementFields.Trap.Index;
    private static readonly int s_cause = RetirementFields.Cause.Index;
    private static readonly int s_intr = RetirementFields.Intr.Index;
    private static readonly int s_rs1Addr = RetirementFields.Rs1Addr.Index;
    private static readonly int s_rs2Addr = RetirementFields.Rs2Addr.Index;
    private static readonly int s_rs1Rdata = RetirementFields.Rs1Rdata.Index;
    private static readonly int s_rs2Rdata = RetirementFields.Rs2Rdata.Index;
    private static readonly int s_rdAddr = RetirementFields.RdAddr.Index;
    private static readonly int s_rdWdata = RetirementFields.RdWdata.Index;
    private static readonly int s_pcWdata = RetirementFields.PcWdata.Index;
    private static readonly int s_memAddr = RetirementFields.MemAddr.Index;
    private static readonly int s_memRmask = RetirementFields.MemRmask.Index;
    private static readonly int s_memWmask = RetirementFields.MemWmask.Index;
    private static readonly int s_memRdata = RetirementFields.MemRdata.Index;
    private static readonly int s_memWdata = RetirementFields.MemWdata.Index;

    private TraceSlots _slots;

    /// <summary>Every slot, in table order (slots past the table's fields are 0).</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ReadOnlySpan<ulong> Values => _slots;

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    internal Span<ulong> Slots => _slots;

    /// <summary>The value of <paramref name="field"/> (a field of the standard table or of one made from it with <see cref="TraceTable.With"/>); a value written is cut to the field's width.</summary>
    public ulong this[TraceField field]
    {
        readonly get => _slots[field.Index];
        set => _slots[field.Index] = value & field.Mask;
    }

    public ulong Order { readonly get => _slots[s_order]; set => _slots[s_order] = value; }
    public uint PcRdata { readonly get => (uint)_slots[s_pcRdata]; set => _slots[s_pcRdata] = value; }
    public uint Insn { readonly get => (uint)_slots[s_insn]; set => _slots[s_insn] = value; }
    public bool Trap { readonly get => _slots[s_trap] != 0; set => _slots[s_trap] = value ? 1UL : 0; }
    public uint Cause { readonly get => (uint)_slots[s_cause]; set => _slots[s_cause] = value; }
    public bool Intr { readonly get => _slots[s_intr] != 0; set => _slots[s_intr] = value ? 1UL : 0; }
    public byte Rs1Addr { readonly get => (byte)_slots[s_rs1Addr]; set => _slots[s_rs1Addr] = value; }
    public byte Rs2Addr { readonly get => (byte)_slots[s_rs2Addr]; set => _slots[s_rs2Addr] = value; }
    public uint Rs1Rdata { readonly get => (uint)_slots[s_rs1Rdata]; set => _slots[s_rs1Rdata] = value; }
    public uint Rs2Rdata { readonly get => (uint)_slots[s_rs2Rdata]; set => _slots[s_rs2Rdata] = value; }
    public byte RdAddr { readonly get => (byte)_slots[s_rdAddr]; set => _slots[s_rdAddr] = value; }
    public uint RdWdata { readonly get => (uint)_slots[s_rdWdata]; set => _slots[s_rdWdata] = value; }
    public uint PcWdata { readonly get => (uint)_slots[s_pcWdata]; set => _slots[s_pcWdata] = value; }
    public uint MemAddr { readonly get => (uint)_slots[s_memAddr]; set => _slots[s_memAddr] = value; }
    public byte MemRmask { readonly get => (byte)_slots[s_memRmask]; set => _slots[s_memRmask] = value; }
    public byte MemWmask { readonly get => (byte)_slots[s_memWmask]; set => _slots[s_memWmask] = value; }
    public uint MemRdata { readonly get => (uint)_slots[s_memRdata]; set => _slots[s_memRdata] = value; }
    public uint MemWdata { readonly get => (uint)_slots[s_memWdata]; set => _slots[s_memWdata] = value; }

    /// <summary>The record of an instruction that committed <paramref name="e"/> (the golden model's trace).</summary>
    internal void SetCommitted(in InsnEffect e, ulong order, bool intr)
    {
        Span<ulong> v = _slots;
        v[s_order] = order;
        v[s_pcRdata] = e.Pc;
        v[s_insn] = e.Insn;
        v[s_intr] = intr ? 1UL : 0;
        v[s_rs1Addr] = e.Rs1;
        v[s_rs1Rdata] = e.Rs1Value;
        v[s_rs2Addr] = e.Rs2;
        v[s_rs2Rdata] = e.Rs2Value;
        v[s_rdAddr] = e.Rd;
        v[s_rdWdata] = e.RdValue;
        v[s_pcWdata] = e.NextPc;
        if (e.Access != MemoryAccessKind.None)
        {
            int shift = (int)(e.Address & 3) * 8;
            ulong mask = (ulong)(((1 << e.Size) - 1) << (int)(e.Address & 3));
            v[s_memAddr] = e.Address & ~3u;
            if (e.Access == MemoryAccessKind.Load)
            {
                v[s_memRmask] = mask;
                v[s_memRdata] = e.Data << shift;
            }
            else
            {
                v[s_memWmask] = mask;
                v[s_memWdata] = e.Data << shift;
            }
        }
    }

    /// <summary>Golden model only: rd received a value the RTL may legally differ on (see above).</summary>
    public bool Nondeterministic;

    /// <summary>Golden model only: the store that ended the program through <c>tohost</c>.</summary>
    public bool Halt;

    /// <summary>Every slot and both notes are equal.</summary>
    public readonly bool Equals(RetireRecord other) =>
        ((ReadOnlySpan<ulong>)_slots).SequenceEqual(other._slots) && Nondeterministic == other.Nondeterministic && Halt == other.Halt;

    public override readonly bool Equals(object? obj) => obj is RetireRecord other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Order, PcRdata, Insn, RdWdata, MemAddr);

    public static bool operator ==(RetireRecord left, RetireRecord right) => left.Equals(right);

    public static bool operator !=(RetireRecord left, RetireRecord right) => !left.Equals(right);

    /// <summary>
    /// One human-readable trace line, e.g.
    /// <c>#5 80000010: 00a50513 addi a0, a0, 10  a0=0x0000000b</c>.
    /// </summary>
    public override readonly string ToString() => ToString(RetirementFields.Table);

    /// <summary>
    /// The trace line for a record of <paramref name="table"/>: the fixed layout of the standard fields
    /// (<see cref="TracePrint.Line"/>), then every other field as its <see cref="TraceField.Print"/> says.
    /// </summary>
    public readonly string ToString(TraceTable table)
    {
        var sb = new StringBuilder();
        sb.Append('#').Append(Order).Append(' ').Append(PcRdata.ToString("x8")).Append(": ");
        sb.Append(Insn.ToString("x8")).Append(' ');
        sb.Append(Trap && Insn == 0 ? "(no instruction)" : Disassembler.Disassemble(Insn, PcRdata));
        if (Intr)
            sb.Append("  [after interrupt]");
        if (RdAddr != 0)
            sb.Append("  ").Append(Disassembler.RegisterName(RdAddr)).Append("=0x").Append(RdWdata.ToString("x8"));
        if (MemWmask != 0)
            sb.Append("  mem[0x").Append(MemAddr.ToString("x8")).Append("] wmask ").Append(MemWmask.ToString("x1")).Append(" <- 0x").Append(MemWdata.ToString("x8"));
        if (MemRmask != 0)
            sb.Append("  mem[0x").Append(MemAddr.ToString("x8")).Append("] rmask ").Append(MemRmask.ToString("x1")).Append(" = 0x").Append(MemRdata.ToString("x8"));
        if (Trap)
            sb.Append("  trap: ").Append(TrapCause.Describe(Cause)).Append(", next 0x").Append(PcWdata.ToString("x8"));
        foreach (var field in table)
        {
            ulong value = this[field];
            switch (field.Print)
            {
                case TracePrint.Hex:
                case TracePrint.Decimal:
                    sb.Append("  ").Append(field.RvfiName).Append('=').Append(field.Format(value));
                    break;
                case TracePrint.Flag when value != 0:
                    sb.Append("  [").Append(field.RvfiName).Append(']');
                    break;
            }
        }
        if (Halt)
            sb.Append("  halt");
        return sb.ToString();
    }
}
