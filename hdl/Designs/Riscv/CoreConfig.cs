using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>How the fetch stage guesses the address that follows the instruction it has just fetched.</summary>
public enum BranchPredictorKind
{
    /// <summary>Always the next word (static not-taken): every taken branch or jump costs three bubbles.</summary>
    None,

    /// <summary>
    /// From the fetched word itself: <c>jal</c> and conditional branches with a negative offset (loops) are
    /// predicted taken. No table; the path from the instruction memory's read data to its address gets an adder.
    /// </summary>
    StaticBackwardTaken,

    /// <summary>
    /// A direct-mapped branch target buffer in block RAM, read with the same address as the instruction memory:
    /// each entry holds a tag, a target and a 2-bit saturating counter, and predicts branches, <c>jal</c> and
    /// <c>jalr</c>.
    /// </summary>
    Btb,
}

/// <summary>Which control and status registers a core implements (<see cref="CoreConfig.Csrs"/>).</summary>
public enum CsrSet
{
    /// <summary>
    /// Every register of <see cref="ControlStatusRegisters"/>: mstatus, misa, mie, mip, mtvec, mscratch, mepc, mcause,
    /// mtval, the counters (with <see cref="CoreConfig.Counters"/>) and the read-only zeros; the timer interrupt.
    /// </summary>
    Full,

    /// <summary>
    /// Only what a trap handler needs: mtvec, mepc, mcause and mtval (<see cref="ControlStatusRegisters.TrapAddresses"/>).
    /// Every other CSR address is an illegal instruction, the timer interrupt is never taken and <c>mret</c> only
    /// returns to mepc (there is no mstatus). No counters: configure <see cref="CoreConfig.Counters"/> false. The
    /// multi-cycle core only.
    /// </summary>
    TrapOnly,

    /// <summary>
    /// No CSRs: every CSR instruction and <c>mret</c> are illegal instructions, and a trap stops the core where it
    /// happens: the pc stays on the instruction that trapped, which is fetched again and traps again, so that the
    /// trace shows its cause and the pc stays on it; the timer interrupt is never taken. For a processor whose
    /// firmware handles no traps (a fault in it is a bug that parks it). No counters: configure
    /// <see cref="CoreConfig.Counters"/> false. The multi-cycle core only.
    /// </summary>
    None,
}

/// <summary>How the core generator builds a core (<see cref="CoreConfig.Microarchitecture"/>).</summary>
public enum CoreMicroarchitecture
{
    /// <summary><see cref="Core"/>: the five-stage pipeline, about one instruction per cycle.</summary>
    Pipelined,

    /// <summary>
    /// <see cref="MultiCycleCore"/>: one instruction at a time, two cycles for most, four for a load or store, a few
    /// more for a shift; RV32I only (no M, no tags, no prediction), for area rather than speed.
    /// </summary>
    MultiCycle,
}

/// <summary>
/// The parameters of one core instance (<see cref="Core"/>, or <see cref="MultiCycleCore"/>; <see cref="RiscvCore.Create"/> builds the one configured). Every core has Zicsr and machine-mode traps.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>parameter</term><description>meaning (default)</description></listheader>
/// <item><term><see cref="ResetPc"/></term><description>address of the first instruction fetched after reset (no default: take it from a <see cref="MemoryMap"/>)</description></item>
/// <item><term><see cref="Microarchitecture"/></term><description>the core built: <see cref="CoreMicroarchitecture.Pipelined"/> (<see cref="Core"/>) or <see cref="CoreMicroarchitecture.MultiCycle"/> (<see cref="MultiCycleCore"/>: no M, no tags; it predicts nothing, whatever <see cref="BranchPredictor"/> says) (<see cref="CoreMicroarchitecture.Pipelined"/>)</description></item>
/// <item><term><see cref="WithM"/></term><description>the M extension: a pipelined multiplier (four cycles in execute), an iterative divider (true)</description></item>
/// <item><term><see cref="Counters"/></term><description>the counter CSRs mcycle and minstret with their views cycle, instret and time (and the high halves); false: those addresses are illegal instructions, a core that needs no counters saves their area (multi-cycle core only) (true)</description></item>
/// <item><term><see cref="Csrs"/></term><description>the CSRs: <see cref="CsrSet.Full"/>, or <see cref="CsrSet.TrapOnly"/> (mtvec, mepc, mcause, mtval: every other address is an illegal instruction and the timer interrupt is never taken), or <see cref="CsrSet.None"/> (none: a trap stops the core at the instruction; both need <see cref="Counters"/> false; multi-cycle core only) (<see cref="CsrSet.Full"/>)</description></item>
/// <item><term><see cref="BranchPredictor"/></term><description>how fetch predicts the next address: <see cref="BranchPredictorKind.None"/>, <see cref="BranchPredictorKind.StaticBackwardTaken"/> or <see cref="BranchPredictorKind.Btb"/> (<see cref="BranchPredictorKind.Btb"/>)</description></item>
/// <item><term><see cref="CodeBase"/>, <see cref="CodeSize"/></term><description>the address range all code is fetched from, which lets the branch target buffer, and the pc of a multi-cycle core without CSRs, keep only the address bits that vary inside it; size 0: anywhere (0, 0; <see cref="ForMemoryMap"/> gives the RAM)</description></item>
/// <item><term><see cref="CodeConfined"/></term><description>no instruction is fetched without a fault outside the code range: the pipelined core's pc copies down the pipeline and mtvec keep only its <see cref="CodeBits"/> (false; <see cref="ForMemoryMap"/>: true when the RAM is the map's only executable region)</description></item>
/// <item><term><see cref="BtbEntries"/></term><description>entries of the branch target buffer, a power of two from 2 to 4096; used with <see cref="BranchPredictorKind.Btb"/> only (64)</description></item>
/// <item><term><see cref="Ice40Cells"/></term><description>the counters built in iCE40 UltraPlus DSP blocks, one a 32-bit half, the pipelined core's mscratch, mtval and mtvec in block RAM, and a tagged core's rule-cache key compare from LUT4 instances, for the board; false: generic Verilog that simulates the same (false)</description></item>
/// <item><term><see cref="Tags"/></term><description>the tag unit (<see cref="TagConfig"/>): every register, the pc and every word of the tagged memory carry a tag, and every instruction is checked by the rule cache at the commit point; null: an untagged core (null)</description></item>
/// </list>
/// A prediction only decides what is fetched: the execute stage compares it with the real next pc and the memory
/// stage redirects fetch on a misprediction (three bubbles, as a taken branch costs without prediction), so every setting runs
/// every program the same way, only in a different number of cycles.
/// </remarks>
/// <param name="ResetPc">The address of the first instruction fetched after reset; must be 4-byte aligned.</param>
public sealed record CoreConfig(uint ResetPc)
{
    /// <summary>The largest <see cref="BtbEntries"/>.</summary>
    public const int MaxBtbEntries = 4096;

    /// <summary>
    /// The configuration of the application processor for <paramref name="map"/>: reset at its reset vector, code in
    /// its RAM. The core itself knows nothing else of the map: access faults come from the bus's error responses.
    /// </summary>
    public static CoreConfig ForMemoryMap(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        bool onlyRam = map.Regions.Where(r => r.Executable).All(r => r.Name == map.Ram.Name);
        return new CoreConfig(map.ResetVector) { CodeBase = map.Ram.Base, CodeSize = map.Ram.Size, CodeConfined = onlyRam };
    }

    /// <summary>
    /// The low address bits that vary inside the range of <paramref name="size"/> bytes at <paramref name="rangeBase"/>:
    /// log2 of the size when it is a power of two, at least a word and below 4 GiB, and the base is aligned to it (the
    /// bits above are the base's for every address inside); else 32.
    /// </summary>
    public static int CodeBitsOf(uint rangeBase, ulong size)
    {
        bool aligned = size >= 4 && size < (1UL << 32) && (size & (size - 1)) == 0 && (rangeBase & (size - 1)) == 0;
        return aligned ? System.Numerics.BitOperations.Log2(size) : 32;
    }

    /// <summary>The first address of the range all code is fetched from (see <see cref="CodeSize"/>).</summary>
    public uint CodeBase { get; init; }

    /// <summary>
    /// The size of the range all code is fetched from, starting at <see cref="CodeBase"/>; 0: anywhere. The
    /// branch target buffer uses it, to store fewer address bits when the range is a power of two aligned to its size,
    /// and so does the pc of a multi-cycle core without CSRs (<see cref="MultiCycleCore.CodeBits"/>), which fetches
    /// nothing outside it.
    /// </summary>
    public ulong CodeSize { get; init; }

    /// <summary>
    /// No instruction is fetched without a fault outside <see cref="CodeBase"/> and <see cref="CodeSize"/> (every
    /// executable region of the memory map lies in it). Then an address outside the range is the pc of an instruction
    /// access fault alone, and the pipelined core keeps only the <see cref="CodeBits"/> low bits of the pc it carries
    /// down the pipeline, with the full address of such a fault in the one place that needs it (its mtval); mtvec keeps
    /// those bits too (its other bits read as the range's; see <see cref="ControlStatusRegisters"/>).
    /// </summary>
    public bool CodeConfined { get; init; }

    /// <summary>
    /// The low address bits of a pc that vary inside the code range (<see cref="CodeBitsOf"/>) when the code is
    /// confined to it (<see cref="CodeConfined"/>); else 32. The bits above are <see cref="CodeBase"/>'s.
    /// </summary>
    public int CodeBits => CodeConfined ? CodeBitsOf(CodeBase, CodeSize) : 32;

    /// <summary>The address of the word <paramref name="word"/> of the code range: bits <see cref="CodeBits"/> - 1 .. 2 of an address, with the range's bits above and 0 below.</summary>
    public Expr CodeAddress(Expr word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return CodeBits == 32 ? Cat(word, U(0, 2))
            : Cat(U(CodeBase >> CodeBits, 32 - CodeBits), word, U(0, 2));
    }

    /// <summary>The legal value of mtvec when <paramref name="value"/> is written: bits <see cref="CodeBits"/> - 1 .. 2 of it, <see cref="CodeBase"/>'s bits above, 0 below (direct mode).</summary>
    public uint LegalMtvec(uint value)
    {
        uint low = CodeBits == 32 ? uint.MaxValue : (uint)((1UL << CodeBits) - 1);
        return (CodeBase & ~low) | (value & low & ~3u);
    }

    /// <summary>The core built (see <see cref="CoreMicroarchitecture"/>).</summary>
    public CoreMicroarchitecture Microarchitecture { get; init; } = CoreMicroarchitecture.Pipelined;

    /// <summary>The M extension (<c>mul*</c>, <c>div*</c>, <c>rem*</c>); without it those encodings are not decoded.</summary>
    public bool WithM { get; init; } = true;

    /// <summary>The counter CSRs (see <see cref="ControlStatusRegisters.CounterAddresses"/>); false: they are illegal (the multi-cycle core only).</summary>
    public bool Counters { get; init; } = true;

    /// <summary>The CSRs the core implements (see <see cref="CsrSet"/>).</summary>
    public CsrSet Csrs { get; init; } = CsrSet.Full;

    /// <summary>How the fetch stage predicts the next fetch address (see <see cref="BranchPredictorKind"/>).</summary>
    public BranchPredictorKind BranchPredictor { get; init; } = BranchPredictorKind.Btb;

    /// <summary>The number of entries of the branch target buffer (<see cref="BranchPredictorKind.Btb"/>): a power of two.</summary>
    public int BtbEntries { get; init; } = 64;

    /// <summary>
    /// The counters built in iCE40 UltraPlus DSP blocks (<c>SB_MAC16</c>), one for each 32-bit half
    /// (<see cref="Ice40.Mac16Counter"/>), and a tagged core's rule-cache key compare from <c>SB_LUT4</c> instances
    /// (<see cref="Tags.RuleCache.Cells"/>), and the pipelined core's mscratch, mtval and mtvec in block RAM
    /// (<see cref="ControlStatusRegisters.StorageInRam"/>): for a core synthesised for the iCE40 (the board designs); false: generic
    /// Verilog that simulates the same.
    /// </summary>
    public bool Ice40Cells { get; init; }

    /// <summary>The tag unit's parameters; null for an untagged core (see <see cref="TagUnit"/>).</summary>
    public TagConfig? Tags { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter when the configuration cannot be built.</summary>
    public void Validate()
    {
        if ((ResetPc & 3) != 0)
            throw new ArgumentException($"the reset PC 0x{ResetPc:X8} is not 4-byte aligned", nameof(ResetPc));
        if (!Enum.IsDefined(BranchPredictor))
            throw new ArgumentException($"{(int)BranchPredictor} is not a branch predictor kind", nameof(BranchPredictor));
        if (BtbEntries < 2 || BtbEntries > MaxBtbEntries || (BtbEntries & (BtbEntries - 1)) != 0)
            throw new ArgumentException($"the branch target buffer needs a power of two from 2 to {MaxBtbEntries} entries, not {BtbEntries}", nameof(BtbEntries));
        if (!Enum.IsDefined(Microarchitecture))
            throw new ArgumentException($"{(int)Microarchitecture} is not a core microarchitecture", nameof(Microarchitecture));
        if (!Enum.IsDefined(Csrs))
            throw new ArgumentException($"{(int)Csrs} is not a CSR set", nameof(Csrs));
        if (Csrs != CsrSet.Full && Counters)
            throw new ArgumentException($"the {Csrs} CSR set has no counters: configure Counters = false", nameof(Counters));
        if (Microarchitecture == CoreMicroarchitecture.MultiCycle)
        {
            if (WithM)
                throw new ArgumentException("the multi-cycle core has no M extension: configure it with WithM = false", nameof(WithM));
            if (Tags is not null)
                throw new ArgumentException("the multi-cycle core has no tag unit: configure it with Tags = null", nameof(Tags));
        }
        else if (Csrs != CsrSet.Full)
        {
            throw new ArgumentException($"only the multi-cycle core has the {Csrs} CSRs: configure the pipelined core with Csrs = {CsrSet.Full}", nameof(Csrs));
        }
        else if (!Counters)
        {
            throw new ArgumentException("only the multi-cycle core leaves out the counters: configure the pipelined core with Counters = true", nameof(Counters));
        }
        if (CodeBits < 32 && ((ResetPc ^ CodeBase) >> CodeBits) != 0)
            throw new ArgumentException($"the reset PC 0x{ResetPc:X8} lies outside the code range 0x{CodeBase:X8} + 0x{CodeSize:X}, to which the code is confined", nameof(CodeConfined));
        Tags?.Validate();
    }
}
