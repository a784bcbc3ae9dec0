using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>The addresses of the control and status registers the core implements.</summary>
public static class CsrAddress
{
    public const int Mstatus = 0x300;
    public const int Misa = 0x301;
    public const int Mie = 0x304;
    public const int Mtvec = 0x305;
    public const int Mstatush = 0x310;
    public const int Mscratch = 0x340;
    public const int Mepc = 0x341;
    public const int Mcause = 0x342;
    public const int Mtval = 0x343;
    public const int Mip = 0x344;
    public const int Mvendorid = 0xF11;
    public const int Marchid = 0xF12;
    public const int Mimpid = 0xF13;
    public const int Mhartid = 0xF14;
    public const int Mconfigptr = 0xF15;
    public const int Menvcfg = 0x30A;
    public const int Menvcfgh = 0x31A;
    public const int Mcountinhibit = 0x320;
    public const int Mcycle = 0xB00;
    public const int Minstret = 0xB02;
    public const int Mcycleh = 0xB80;
    public const int Minstreth = 0xB82;
    public const int Cycle = 0xC00;
    public const int Time = 0xC01;
    public const int Instret = 0xC02;
    public const int Cycleh = 0xC80;
    public const int Timeh = 0xC81;
    public const int Instreth = 0xC82;
}

/// <summary>The exception codes of mcause (privileged specification, table 3.6) that the core raises.</summary>
public enum TrapCause
{
    InstructionAddressMisaligned = 0,
    InstructionAccessFault = 1,
    IllegalInstruction = 2,
    Breakpoint = 3,
    LoadAddressMisaligned = 4,
    LoadAccessFault = 5,
    StoreAddressMisaligned = 6,
    StoreAccessFault = 7,
    MachineEcall = 11,
    /// <summary>A tagged core's policy denied the instruction (a custom code: 24, the first for designs).</summary>
    PolicyViolation = 24,
}

/// <summary>The interrupt codes of mcause (with bit 31 set) that the core takes.</summary>
public enum InterruptCause
{
    MachineTimer = 7,
}

/// <summary>
/// The machine-mode control and status registers, in the memory stage, the commit point: the CSR instructions
/// read and write them there, <c>mret</c> updates them at the end of its cycle, and a trap or the interrupt at the end of the next (when the memory stage holds the bubble that follows a redirect).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>CSR</term><description>contents</description></listheader>
/// <item><term>mstatus</term><description>MIE and MPIE; MPP reads 3 (machine mode is the only mode)</description></item>
/// <item><term>misa</term><description>MXL 1, I, and M when configured; writes are ignored</description></item>
/// <item><term>mtvec</term><description>direct mode only: the base, bits 1..0 read 0; WARL to the code range (<see cref="CoreConfig.CodeBits"/>): only bits CodeBits - 1 .. 2 are kept, the bits above read as <see cref="CoreConfig.CodeBase"/>'s (<see cref="CoreConfig.LegalMtvec"/>), and after reset it reads the code range's base</description></item>
/// <item><term>mepc</term><description>bits 1..0 read 0</description></item>
/// <item><term>mcause</term><description>bit 31 and the exception code's low 5 bits (<see cref="McauseBits"/>); the other bits read 0</description></item>
/// <item><term>mtval, mscratch</term><description>32 bits</description></item>
/// <item><term>mie</term><description>MSIE, MTIE, MEIE (only the timer interrupt exists)</description></item>
/// <item><term>mip</term><description>MTIP, the timer's request; read-only</description></item>
/// <item><term>mcycle(h), minstret(h)</term><description>64-bit counters of clock cycles and of committed instructions (a trapping one does not count); an instruction that writes either half is not counted: the half written holds the value written and the other half keeps its value</description></item>
/// <item><term>cycle(h), instret(h), time(h)</term><description>read-only views of mcycle, minstret and the timer's mtime</description></item>
/// <item><term>mstatush, menvcfg(h), mcountinhibit</term><description>0; writes are ignored</description></item>
/// <item><term>mvendorid, marchid, mimpid, mhartid, mconfigptr</term><description>0, read-only</description></item>
/// </list>
/// Any other address, and a write to a read-only register, is an illegal instruction. Without counters
/// (<see cref="CoreConfig.Counters"/> false, the multi-cycle core only) so are mcycle(h), minstret(h), cycle(h),
/// instret(h) and time(h): the unit has no counters, and its <see cref="Retired"/> and <see cref="Mtime"/> are read by nothing. With
/// <see cref="CsrSet.TrapOnly"/> (<see cref="CoreConfig.Csrs"/>) the unit has mtvec, mepc, mcause and mtval alone
/// (<see cref="TrapAddresses"/>), mcause keeping only the bits of the values its core raises (<see cref="McauseBits"/>): it never requests the interrupt, <c>mret</c> changes nothing here, and its
/// <see cref="Retired"/>, <see cref="Return"/>, <see cref="TimerPending"/> and <see cref="Mtime"/> are read by nothing.
/// <para>A CSR instruction reaches <see cref="Access"/> only when its address is legal (<see cref="IsIllegal"/> made
/// the others trap), so the unit tells the legal registers apart by the few address bits in which they differ
/// (<see cref="DistinguishingBits"/>), for its reads (<see cref="ReadSelect"/>) and for its writes.</para>
/// <para>On the board (<see cref="StorageInRam"/>) mscratch, mtval and mtvec are no flip-flops but block RAM, which reads
/// a cycle after its address and gives the word written only from the cycle after the write: a CSR instruction that
/// reads waits a cycle after a write to mscratch, mtval or mtvec (<see cref="CounterLoading"/>). The traps take mtvec from a
/// flip-flop copy of its legal bits, written with the RAM's word, so no trap waits. The unit with flip-flops waits alike,
/// so that both run every program in the same cycles.</para>
/// <para>With the code confined to a range (<see cref="CoreConfig.CodeBits"/> below 32, the pipelined core) the
/// <see cref="TrapPc"/> of an instruction access fault may lie outside the range, whose bits the pipeline does not
/// carry: mepc then takes the bits above the range's from the trap's value, which is that pc (<see cref="PcFromTrapValue"/>).</para>
/// </remarks>
public sealed class ControlStatusRegisters : Module
{
    public ControlStatusRegisters(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        const uint mxl32 = 1u << 30;
        Misa = mxl32 | 1u << ('I' - 'A') | (config.WithM ? 1u << ('M' - 'A') : 0);
        Csrs = config.Csrs;
        legal = ImplementedBy(config);
        TrapCause = In(CauseBits(config.Tags is not null));
        trappedCause = Reg(CauseBits(config.Tags is not null));
        mcauseCodeBits = McauseCodeBits(config.Csrs, config.Tags is not null);
        mcause = Reg(mcauseCodeBits + 1, reset: 0);
        StorageInRam = config.Ice40Cells && config.Microarchitecture == CoreMicroarchitecture.Pipelined;
        TrapPcLate = config.Microarchitecture == CoreMicroarchitecture.Pipelined;
        CodeBits = config.CodeBits;
        codeConfig = config;
        PcFromTrapValue = TrapPcLate && CodeBits < 32;
        mtvec = Reg(CodeBits - 2, reset: 0);
        if (!TrapPcLate)
            trappedPc = Reg(30);
        if (StorageInRam)
        {
            NextSelect = In(ReadSources.Count);
            Stays = In(1);
            // The read of a block RAM that the write of the same cycle changes is never used (see Build): no logic
            // beside the RAMs to define it. The slot read when no register in RAM is (ZeroSlot) holds 0.
            storage = Mem(32, RamWords, init: new ulong[ZeroSlot + 1]);
            storage.ReadDuringWrite = ReadDuringWrite.Undefined;
        }
        else
        {
            mtval = Reg(32);
        }
        if (config.Csrs == CsrSet.Full)
        {
            mie = Reg(1, reset: 0);
            mpie = Reg(1, reset: 0);
            if (!StorageInRam)
                mscratch = Reg(32);
            msie = Reg(1, reset: 0);
            mtie = Reg(1, reset: 0);
            meie = Reg(1, reset: 0);
        }
        if (config.Csrs == CsrSet.Full && config.Counters)
        {
            mcycleLow = new Mac16Counter(config.Ice40Cells);
            mcycleHigh = new Mac16Counter(config.Ice40Cells);
            minstretLow = new Mac16Counter(config.Ice40Cells);
            minstretHigh = new Mac16Counter(config.Ice40Cells);
            mcycleLoadLow = Reg(1, reset: 0);
            mcycleLoadHigh = Reg(1, reset: 0);
            minstretLoadLow = Reg(1, reset: 0);
            minstretLoadHigh = Reg(1, reset: 0);
            cycleCounts = Reg(1, reset: 1);
            retiredPulse = Reg(1, reset: 0);
        }
    }

    /// <summary>Bits of an exception code the core raises: 4, or 5 with tags (<see cref="Riscv.TrapCause.PolicyViolation"/>).</summary>
    public static int CauseBits(bool tagged) => tagged ? 5 : 4;

    /// <summary>The value misa reads.</summary>
    [Parameter]
    public uint Misa { get; }

    /// <summary>The registers implemented (<see cref="CoreConfig.Csrs"/>).</summary>
    [Parameter]
    public CsrSet Csrs { get; }

    /// <summary>
    /// mscratch, mtval and mtvec live in block RAM (<see cref="CoreConfig.Ice40Cells"/>, the pipelined core): mscratch,
    /// mtval and a copy of mtvec's legal value in one 256 x 32 RAM read a cycle ahead for the CSR instructions
    /// (<see cref="NextSelect"/>, <see cref="Stays"/>), mtvec's bits for <see cref="TrapVector"/> in flip-flops beside it;
    /// false: in flip-flops. Either way a CSR read waits after a write to one of them (<see cref="CounterLoading"/>), so
    /// both simulate cycle for cycle alike.
    /// </summary>
    [Parameter]
    public bool StorageInRam { get; }

    /// <summary>
    /// <see cref="TrapPc"/> comes a cycle after the trap, when mepc takes it (the pipelined core, whose writeback register
    /// then holds the instruction that trapped); false: in the cycle of <see cref="Trap"/>, and the unit keeps it a cycle.
    /// </summary>
    [Parameter]
    public bool TrapPcLate { get; }

    /// <summary>
    /// The pc bits mtvec keeps (<see cref="CoreConfig.CodeBits"/>): bits CodeBits - 1 .. 2; those above read as the
    /// code range's base (mtvec is WARL).
    /// </summary>
    [Parameter]
    public int CodeBits { get; }

    /// <summary>
    /// The bits of <see cref="TrapPc"/> above <see cref="CodeBits"/> are the code range's but for an instruction access
    /// fault, whose pc is its <see cref="TrapValue"/>: mepc takes them from there (the pipelined core with its code
    /// confined, <see cref="CoreConfig.CodeBits"/> below 32).
    /// </summary>
    [Parameter]
    public bool PcFromTrapValue { get; }

    /// <summary>The configuration, for the code range's addresses (<see cref="CoreConfig.CodeAddress"/>).</summary>
    private readonly CoreConfig codeConfig;

    /// <summary>The words of a RAM of the storage: those of an iCE40 block RAM 16 bits wide (two side by side give 32 bits).</summary>
    public const int RamWords = 256;

    /// <summary>The slots of the storage RAM (<see cref="StorageInRam"/>): mscratch, mtval, mtvec's copy, and a word that stays 0.</summary>
    private const int MscratchSlot = 0;
    private const int MtvalSlot = 1;
    private const int MtvecSlot = 2;
    private const int ZeroSlot = 3;

    /// <summary>A CSR instruction commits (it raised no exception and is not interrupted): read, and write when <see cref="Write"/>.</summary>
    public readonly Signal Access = In(1);
    public readonly Signal Address = In(12);
    /// <summary><see cref="ReadSelect"/> of <see cref="Address"/>, registered: which register the instruction reads.</summary>
    public readonly Signal Select = In(ReadSources.Count);
    /// <summary>
    /// <see cref="Select"/> of the instruction that comes here in the next cycle unless the one here <see cref="Stays"/>
    /// (the one in execute): the registers in block RAM are read a cycle ahead (<see cref="StorageInRam"/> only, as <see cref="Stays"/>).
    /// </summary>
    public readonly Signal? NextSelect;
    /// <summary>The instruction here stays in the next cycle (it waits): the read a cycle ahead is for it again (<see cref="StorageInRam"/>).</summary>
    public readonly Signal? Stays;
    /// <summary>funct3[1..0] of the instruction: 1 write, 2 set bits, 3 clear bits.</summary>
    public readonly Signal Op = In(2);
    public readonly Signal Operand = In(32);
    /// <summary>The instruction writes the register (<c>csrrs</c>/<c>csrrc</c> with operand x0 or 0 do not).</summary>
    public readonly Signal Write = In(1);

    /// <summary>The instruction in the memory stage raises an exception: record it and disable interrupts (at the end of the next cycle).</summary>
    public readonly Signal Trap = In(1);
    public readonly Signal TrapCause;
    /// <summary>The pc of the instruction that traps (mepc): in the cycle of <see cref="Trap"/> or <see cref="Interrupt"/>, or in the cycle after with <see cref="TrapPcLate"/>.</summary>
    public readonly Signal TrapPc = In(32);
    public readonly Signal TrapValue = In(32);
    /// <summary>The instruction in the memory stage is <c>mret</c> and commits.</summary>
    public readonly Signal Return = In(1);
    /// <summary>Take the timer interrupt before the instruction in the memory stage (which is dropped; mepc = <see cref="TrapPc"/>).</summary>
    public readonly Signal Interrupt = In(1);
    /// <summary>An instruction commits this cycle (counts in minstret).</summary>
    public readonly Signal Retired = In(1);
    /// <summary>The timer's request (mip.MTIP) and its count (the time CSR).</summary>
    public readonly Signal TimerPending = In(1);
    public readonly Signal Mtime = In(64);
    /// <summary>
    /// A CSR write to a counter is applied this cycle (a cycle after its commit), or one to mscratch, mtval or mtvec was made
    /// in the previous cycle: a CSR instruction that reads must not commit now, or it would read the counter before the
    /// write, or a block RAM in the cycle after its write (<see cref="StorageInRam"/>).
    /// </summary>
    public readonly Signal CounterLoading = Out(1);
    /// <summary>The timer interrupt is requested and enabled: take it before the next instruction.</summary>
    public readonly Signal InterruptPending = Out(1);

    /// <summary>The value of the register at <see cref="Address"/>.</summary>
    public readonly Signal ReadData = Out(32);
    /// <summary>Where a trap goes (mtvec).</summary>
    public readonly Signal TrapVector = Out(32);
    /// <summary>
    /// The pc mepc takes at the end of this cycle when a trap or the interrupt was taken in the previous one (with
    /// <see cref="TrapPcLate"/>, the pc of the instruction in writeback that trapped), full width: the retirement record's
    /// pc of an instruction access fault outside the code range.
    /// </summary>
    public readonly Signal EnteredPc = Out(32);
    /// <summary>Where <c>mret</c> goes (mepc).</summary>
    public readonly Signal ReturnPc = Out(32);

    /// <summary>The bits of mcause below bit 31 that the unit keeps (31, or the exception code's with <see cref="CsrSet.TrapOnly"/>).</summary>
    private readonly int mcauseCodeBits;

    /// <summary>The addresses a CSR instruction may name (<see cref="ImplementedBy"/>).</summary>
    private readonly IReadOnlyList<int> legal;
    /// <summary>mtvec's bits CodeBits - 1 .. 2 (see <see cref="CodeBits"/>; with <see cref="StorageInRam"/>, the copy the traps read), and mtval in flip-flops (without <see cref="StorageInRam"/>, as mscratch below).</summary>
    private readonly Signal mtvec;
    private readonly Signal? mtval;
    private readonly Signal mepc = Reg(30);
    /// <summary>mcause: bit 31 and the exception code's bits (see <see cref="McauseBits"/>).</summary>
    private readonly Signal mcause;
    /// <summary>
    /// With <see cref="StorageInRam"/>: mscratch, mtval and mtvec's legal value (read by the CSR instructions), at their slots.
    /// </summary>
    private readonly Memory? storage;
    /// <summary>A CSR instruction wrote mscratch, mtval or mtvec in the previous cycle (see <see cref="CounterLoading"/>).</summary>
    private readonly Signal storageLoading = Reg(1, reset: 0);
    /// <summary>mstatus.MIE and MPIE, and mscratch (<see cref="CsrSet.Full"/> only, as every register below).</summary>
    private readonly Signal? mie;
    private readonly Signal? mpie;
    private readonly Signal? mscratch;
    /// <summary>mie bits 3 (MSIE), 7 (MTIE) and 11 (MEIE).</summary>
    private readonly Signal? msie;
    private readonly Signal? mtie;
    private readonly Signal? meie;
    /// <summary>
    /// The counters' halves (<see cref="CsrSet.Full"/> with <see cref="CoreConfig.Counters"/> only, as every counter register
    /// below): each in a DSP block with <see cref="CoreConfig.Ice40Cells"/>, the four the multiplier leaves on the UP5K.
    /// </summary>
    private readonly Mac16Counter? mcycleLow;
    private readonly Mac16Counter? mcycleHigh;
    private readonly Mac16Counter? minstretLow;
    private readonly Mac16Counter? minstretHigh;
    /// <summary>A CSR instruction wrote the half in the previous cycle: it takes the value written now.</summary>
    private readonly Signal? mcycleLoadLow;
    private readonly Signal? mcycleLoadHigh;
    private readonly Signal? minstretLoadLow;
    private readonly Signal? minstretLoadHigh;
    /// <summary>mcycle counts this cycle: no CSR instruction wrote it in the previous cycle.</summary>
    private readonly Signal? cycleCounts;
    /// <summary>An instruction left writeback in the previous cycle, counted (<see cref="Retired"/>): minstret counts it now.</summary>
    private readonly Signal? retiredPulse;
    /// <summary>
    /// A trap or the interrupt was taken in the previous cycle, and what it records: mepc, mcause, mtval and mstatus
    /// change a cycle after the trap, so that their enables do not wait for the trap decision (after a trap the
    /// memory stage holds a bubble, so nothing reads or writes them in that cycle).
    /// </summary>
    private readonly Signal trapped = Reg(1, reset: 0);
    private readonly Signal interrupted = Reg(1, reset: 0);
    private readonly Signal trappedCause;
    /// <summary>The trap's pc, kept a cycle (without <see cref="TrapPcLate"/>).</summary>
    private readonly Signal? trappedPc;
    private readonly Signal trappedValue = Reg(32);

    /// <summary>
    /// The registers that read other than 0, each a list of the addresses that read it, in the order of the bits of
    /// <see cref="Select"/> (see <see cref="ReadSelect"/>). A counter's two halves (and their read-only views) are one
    /// source: the half read is chosen by address bit <see cref="CounterHalfBit"/>, so that the read's AND-OR has one
    /// term per counter, a LUT of its select, that bit and the two halves.
    /// </summary>
    public static IReadOnlyList<int[]> ReadSources { get; } =
    [
        [CsrAddress.Mstatus], [CsrAddress.Misa], [CsrAddress.Mie], [CsrAddress.Mip], [CsrAddress.Mtvec], [CsrAddress.Mscratch],
        [CsrAddress.Mepc], [CsrAddress.Mcause], [CsrAddress.Mtval],
        [CsrAddress.Mcycle, CsrAddress.Cycle, CsrAddress.Mcycleh, CsrAddress.Cycleh],
        [CsrAddress.Minstret, CsrAddress.Instret, CsrAddress.Minstreth, CsrAddress.Instreth],
        [CsrAddress.Time, CsrAddress.Timeh],
    ];

    /// <summary>The address bit that tells a counter's high half (mcycleh, minstreth, cycleh, instreth, timeh) from its low half.</summary>
    public const int CounterHalfBit = 7;

    /// <summary>
    /// The value of <see cref="Select"/> for a legal CSR instruction naming <paramref name="address"/>: one bit per
    /// entry of <see cref="ReadSources"/>, at most one set (none for a register that reads 0). Decoded a stage ahead,
    /// so that the read here is one AND-OR of registered selects; from the address bits in which the legal registers
    /// differ (<see cref="DistinguishingBits"/>), so for an illegal address (which traps and reads nothing) a bit may be set.
    /// </summary>
    /// <param name="address">The CSR address field of the instruction.</param>
    /// <param name="config">The core's configuration (<see cref="ImplementedBy"/>); null: every register. Sources
    /// that the configuration does not have (the counters without <see cref="CoreConfig.Counters"/>) are never selected,
    /// so they are read nowhere.</param>
    public static Expr ReadSelect(Expr address, CoreConfig? config = null)
    {
        var implemented = ImplementedBy(config);
        var bits = DistinguishingBits(implemented, ReadSourceOf);
        var select = new Expr[ReadSources.Count];
        for (int i = 0; i < select.Length; i++)
        {
            Expr any = U(0, 1);
            foreach (var a in ReadSources[i].Where(implemented.Contains))
                any |= Matches(address, a, bits);
            select[select.Length - 1 - i] = any;
        }
        return Cat(select);
    }

    /// <summary>
    /// The counters and their read-only views: mcycle, minstret, cycle, instret, time and their high halves. A core
    /// without counters (<see cref="CoreConfig.Counters"/> false) has none of them: their addresses are illegal.
    /// </summary>
    public static IReadOnlyList<int> CounterAddresses { get; } =
    [
        CsrAddress.Mcycle, CsrAddress.Mcycleh, CsrAddress.Minstret, CsrAddress.Minstreth, CsrAddress.Cycle,
        CsrAddress.Cycleh, CsrAddress.Instret, CsrAddress.Instreth, CsrAddress.Time, CsrAddress.Timeh,
    ];

    /// <summary>
    /// The bits of mcause the unit keeps (mcause is WLRL): bit 31 and the low <see cref="McauseCodeBits"/> bits, the
    /// values it can take; a write keeps those bits of the value written, the others read 0.
    /// </summary>
    public static uint McauseBits(CsrSet set, bool tagged) => (1u << 31) | ((1u << McauseCodeBits(set, tagged)) - 1);

    /// <summary>
    /// The bits of mcause's exception code the unit keeps: a trap-only unit (<see cref="CsrSet.TrapOnly"/>) the
    /// <see cref="CauseBits"/> of its core; the full set those of a tagged core (5, up to
    /// <see cref="Riscv.TrapCause.PolicyViolation"/>) whether tagged or not, the bits every core's golden model keeps.
    /// </summary>
    public static int McauseCodeBits(CsrSet set, bool tagged) => CauseBits(set == CsrSet.TrapOnly ? tagged : true);

    /// <summary>The registers of <see cref="CsrSet.TrapOnly"/>: mtvec, mepc, mcause and mtval.</summary>
    public static IReadOnlyList<int> TrapAddresses { get; } = [CsrAddress.Mtvec, CsrAddress.Mepc, CsrAddress.Mcause, CsrAddress.Mtval];

    /// <summary>The bit of <see cref="Select"/> (the entry of <see cref="ReadSources"/>) that reads <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No register that reads other than 0 has the address.</exception>
    public static int SelectBit(int address)
    {
        int source = ReadSourceOf(address);
        return source >= 0 ? source : throw new ArgumentOutOfRangeException(nameof(address), address, "no CSR read source has this address");
    }

    /// <summary>The entry of <see cref="ReadSources"/> that reads <paramref name="address"/>; -1 for none (it reads 0).</summary>
    private static int ReadSourceOf(int address)
    {
        for (int i = 0; i < ReadSources.Count; i++)
        {
            if (ReadSources[i].Contains(address))
                return i;
        }
        return -1;
    }

    /// <summary>The address of every register implemented here.</summary>
    public static IReadOnlyList<int> Implemented { get; } =
    [
        CsrAddress.Mstatus, CsrAddress.Misa, CsrAddress.Mie, CsrAddress.Mip, CsrAddress.Mtvec, CsrAddress.Mscratch,
        CsrAddress.Mepc, CsrAddress.Mcause, CsrAddress.Mtval, CsrAddress.Mcycle, CsrAddress.Cycle, CsrAddress.Mcycleh,
        CsrAddress.Cycleh, CsrAddress.Minstret, CsrAddress.Instret, CsrAddress.Minstreth, CsrAddress.Instreth,
        CsrAddress.Time, CsrAddress.Timeh, CsrAddress.Mstatush, CsrAddress.Menvcfg, CsrAddress.Menvcfgh,
        CsrAddress.Mcountinhibit, CsrAddress.Mvendorid, CsrAddress.Marchid, CsrAddress.Mimpid, CsrAddress.Mhartid,
        CsrAddress.Mconfigptr,
    ];

    /// <summary>
    /// The addresses a core configured by <paramref name="config"/> implements: <see cref="Implemented"/>, without
    /// <see cref="CounterAddresses"/> when it has no counters; <see cref="TrapAddresses"/> with <see cref="CsrSet.TrapOnly"/>; none with <see cref="CsrSet.None"/>.
    /// </summary>
    /// <param name="config">The core's configuration; null: every register.</param>
    public static IReadOnlyList<int> ImplementedBy(CoreConfig? config) => config switch
    {
        { Csrs: CsrSet.TrapOnly } => TrapAddresses,
        { Csrs: CsrSet.None } => [],
        { Counters: false } => Implemented.Where(a => !CounterAddresses.Contains(a)).ToArray(),
        _ => Implemented,
    };

    /// <summary>
    /// Whether a CSR instruction naming <paramref name="address"/> is illegal: the address is not implemented
    /// (<see cref="ImplementedBy"/>), or the instruction <paramref name="write"/>s a read-only register (address bits
    /// 11..10 set). Decided from the instruction word alone, in the execute stage.
    /// </summary>
    /// <param name="address">The CSR address field of the instruction.</param>
    /// <param name="write">The instruction writes the register.</param>
    /// <param name="config">The core's configuration; null: every register.</param>
    public static Expr IsIllegal(Expr address, Expr write, CoreConfig? config = null)
    {
        var implemented = ImplementedBy(config);
        Expr known = U(0, 1);
        foreach (var a in implemented)
            known |= address.Eq(a);
        // Only a set with a read-only register needs the write check: the others are all writable.
        return implemented.Any(a => (a >> 10) == 0b11) ? ~known | (write & address[11, 10].All()) : ~known;
    }

    /// <summary>
    /// The address bits (from bit 0 up) in which the addresses of <paramref name="legal"/> that belong to different
    /// classes (<paramref name="classOf"/>) differ: comparing these bits alone tells an address of the set from every
    /// other address of the set that is not of its class. Chosen greedily, each time the bit that separates the most
    /// pairs still alike.
    /// </summary>
    public static IReadOnlyList<int> DistinguishingBits(IReadOnlyList<int> legal, Func<int, int> classOf)
    {
        ArgumentNullException.ThrowIfNull(legal);
        ArgumentNullException.ThrowIfNull(classOf);
        var pairs = new List<(int A, int B)>();
        for (int i = 0; i < legal.Count; i++)
        {
            for (int j = i + 1; j < legal.Count; j++)
            {
                if (classOf(legal[i]) != classOf(legal[j]))
                    pairs.Add((legal[i], legal[j]));
            }
        }
        var bits = new List<int>();
        while (pairs.Count > 0)
        {
            int best = Enumerable.Range(0, 12).MaxBy(b => pairs.Count(p => ((p.A ^ p.B) >> b & 1) != 0));
            bits.Add(best);
            pairs.RemoveAll(p => ((p.A ^ p.B) >> best & 1) != 0);
        }
        bits.Sort();
        return bits;
    }

    /// <summary><paramref name="address"/> has the value of <paramref name="csr"/> in <paramref name="bits"/>.</summary>
    internal static Expr Matches(Expr address, int csr, IReadOnlyList<int> bits)
    {
        Expr match = U(1, 1);
        foreach (int b in bits)
            match &= (csr >> b & 1) != 0 ? address[b] : ~address[b];
        return match;
    }

    /// <summary>
    /// The slot of the storage RAM that an instruction with <paramref name="select"/> reads: mscratch's, mtval's,
    /// mtvec's, or <see cref="ZeroSlot"/> (from three bits of the select: a slot's bit is 0 when it is one of two slots).
    /// </summary>
    private static Expr SlotOf(Expr select)
    {
        var mscratch = select[SelectBit(CsrAddress.Mscratch)];
        var mtval = select[SelectBit(CsrAddress.Mtval)];
        var mtvec = select[SelectBit(CsrAddress.Mtvec)];
        return Cat(~(mscratch | mtval), ~(mscratch | mtvec));
    }

    protected override void Build()
    {
        bool full = Csrs == CsrSet.Full;
        // mcause as read, and the bits of a 32-bit value it keeps.
        var mcauseValue = Cat(mcause[mcauseCodeBits], U(0, 31 - mcauseCodeBits), mcause[mcauseCodeBits - 1, 0]);
        Expr Cause(Expr value) => Cat(value[31], value[mcauseCodeBits - 1, 0]);
        // The read: one AND-OR of the registers, each selected by a bit of Select (decoded from the address a
        // stage earlier); the registers that read 0 need no term, nor those the configuration does not have.
        var values = new List<(int Address, Expr Value)>
        {
            (CsrAddress.Mepc, Cat(mepc, U(0, 2))),
            (CsrAddress.Mcause, mcauseValue),
        };
        if (mtval is not null)
            values.AddRange([(CsrAddress.Mtvec, codeConfig.CodeAddress(mtvec)), (CsrAddress.Mtval, mtval)]);
        if (full)
        {
            values.AddRange(
            [
                (CsrAddress.Mstatus, Cat(U(0, 19), U(0b11, 2), U(0, 3), mpie!, U(0, 3), mie!, U(0, 3))),
                (CsrAddress.Misa, U(Misa, 32)),
                (CsrAddress.Mie, Cat(U(0, 20), meie!, U(0, 3), mtie!, U(0, 3), msie!, U(0, 3)).Named("mieValue")),
                (CsrAddress.Mip, Cat(U(0, 24), TimerPending, U(0, 7)).Named("mipValue")),
            ]);
            if (mscratch is not null)
                values.Add((CsrAddress.Mscratch, mscratch));
        }
        if (mcycleLow is not null && mcycleHigh is not null && minstretLow is not null && minstretHigh is not null)
        {
            var highHalf = Address[CounterHalfBit];
            values.AddRange(
            [
                (CsrAddress.Mcycle, Mux(highHalf, mcycleHigh.Value, mcycleLow.Value)),
                (CsrAddress.Minstret, Mux(highHalf, minstretHigh.Value, minstretLow.Value)),
                (CsrAddress.Time, Mux(highHalf, Mtime[63, 32], Mtime[31, 0])),
            ]);
        }
        // The storage RAM reads the slot of the instruction here (ZeroSlot for one that reads none of its registers), so
        // its word needs no select.
        MemoryReadPort? storageRead = null;
        Expr read = U(0, 32);
        if (storage is not null && NextSelect is not null && Stays is not null)
        {
            storageRead = storage.ReadPort();
            storageRead.Address.Set(SlotOf(Mux(Stays, Select, NextSelect)).ZeroExtend(storageRead.Address.Width));
            read = storageRead.Data;
        }
        foreach (var (address, value) in values.OrderBy(v => SelectBit(v.Address)))
        {
            if (legal.Contains(address))
                read |= Mux(Select[SelectBit(address)], value, 0);
        }
        var current = read.Named("current");

        ReadData.Set(current);
        TrapVector.Set(codeConfig.CodeAddress(mtvec));
        ReturnPc.Set(Cat(mepc, U(0, 2)));
        InterruptPending.Set(full ? mie! & mtie! & TimerPending : U(0, 1));

        var written = Wire(32).Named("written");
        Switch(Op)
            .Case(0b10, () => written.Set(current | Operand))
            .Case(0b11, () => written.Set(current & ~Operand))
            .Default(() => written.Set(Operand));

        // A write reaches here only for a legal address: the writable registers are told apart from each other and
        // from the legal ones whose writes are ignored by the few address bits in which they differ.
        int[] writable = full
            ? [CsrAddress.Mstatus, CsrAddress.Mie, CsrAddress.Mtvec, CsrAddress.Mscratch, CsrAddress.Mepc, CsrAddress.Mcause,
               CsrAddress.Mtval, CsrAddress.Mcycle, CsrAddress.Mcycleh, CsrAddress.Minstret, CsrAddress.Minstreth]
            : [CsrAddress.Mtvec, CsrAddress.Mepc, CsrAddress.Mcause, CsrAddress.Mtval];
        var writeBits = DistinguishingBits(legal, a => Array.IndexOf(writable, a));
        var csrWrite = (Access & Write).Named("csrWrite");
        Expr Writes(int address) => csrWrite & Matches(Address, address, writeBits);

        if (mcycleLow is not null && mcycleHigh is not null && minstretLow is not null && minstretHigh is not null &&
            mcycleLoadLow is not null && mcycleLoadHigh is not null && minstretLoadLow is not null && minstretLoadHigh is not null &&
            cycleCounts is not null && retiredPulse is not null)
        {
            // The counters, each two 32-bit halves, each half in a DSP block on the iCE40 (Mac16Counter): a half's load
            // enters the block at the edge of the device, so it comes from a register, and the block registers the value
            // a load takes itself. A CSR write to a counter is applied a cycle after its commit, from registers (the
            // value written, kept by each half, and a load bit per half), which keeps the commit decision out of the
            // counters' enables; the memory stage holds a CSR instruction that comes
            // right after one (CounterLoading), so that it reads the value written. The half written takes the value,
            // the other keeps its value, and the writing instruction is not counted, as riscv-tests and Spike expect:
            // a counter counts nothing in the cycle a write is applied. minstret counts an instruction in the cycle after
            // it leaves writeback (retiredPulse); decode lets a CSR instruction on minstret or instret reach this stage
            // only when no older one is left in execute or memory, so every older instruction has been counted by then.
            // The carry into a high half is the low half's block's carry out (Mac16Counter.CarryOut): no logic cell. It is
            // 0 in the cycle a write is applied to either half, which counts nothing.
            CounterLoading.Set((mcycleLoadLow | mcycleLoadHigh | minstretLoadLow | minstretLoadHigh | storageLoading).Named("counterLoading"));
            void Count(Mac16Counter low, Mac16Counter high, Signal loadLow, Signal loadHigh, Signal count,
                Expr countNext, int lowAddress, int highAddress)
            {
                loadLow.Set(Writes(lowAddress));
                loadHigh.Set(Writes(highAddress));
                count.Set(countNext);
                low.Load.Set(loadLow);
                low.Data.Set(written);
                low.CarryIn.Set(count);
                high.Load.Set(loadHigh);
                high.Data.Set(written);
                high.CarryIn.Set(low.CarryOut);
            }
            Count(mcycleLow, mcycleHigh, mcycleLoadLow, mcycleLoadHigh, cycleCounts,
                ~(Writes(CsrAddress.Mcycle) | Writes(CsrAddress.Mcycleh)), CsrAddress.Mcycle, CsrAddress.Mcycleh);
            Count(minstretLow, minstretHigh, minstretLoadLow, minstretLoadHigh, retiredPulse,
                Retired & ~(Writes(CsrAddress.Minstret) | Writes(CsrAddress.Minstreth)), CsrAddress.Minstret, CsrAddress.Minstreth);
        }
        else
        {
            CounterLoading.Set(storageLoading);
        }

        // A read waits a cycle after a write to mscratch, mtval or mtvec: block RAM reads the word it is written in the
        // cycle after. The flip-flops do not need it, but wait alike.
        storageLoading.Set(Writes(CsrAddress.Mtval) | Writes(CsrAddress.Mtvec) | (full ? Writes(CsrAddress.Mscratch) : U(0, 1)));

        interrupted.Set(Interrupt);
        trapped.Set(Trap & ~Interrupt);
        trappedCause.Set(TrapCause);
        trappedPc?.Set(TrapPc[31, 2]);
        Expr enteredPc = trappedPc ?? TrapPc[31, 2];
        if (PcFromTrapValue)
        {
            var fetchFault = trappedCause.Eq((int)Riscv.TrapCause.InstructionAccessFault).Named("fetchFaultEntered");
            enteredPc = Cat(Mux(fetchFault, trappedValue[31, CodeBits], TrapPc[31, CodeBits]), TrapPc[CodeBits - 1, 2]);
        }
        enteredPc = enteredPc.Named("enteredPc");
        EnteredPc.Set(Cat(enteredPc, U(0, 2)));
        trappedValue.Set(TrapValue);
        if (storage is not null)
        {
            // A trap records mtval, the interrupt 0; a write to mtvec records its legal value, and a reset mtvec's value of
            // 0 (the RAM's copy; the flip-flops reset). Nothing else writes in the cycle after a trap (the memory stage
            // holds a bubble), and a CSR instruction writes one register; the reset goes before a trap's record. The
            // choices are ordered so that a bit mtvec keeps, or one it reads 0 in, is one LUT of the trap, its value, the
            // written bit and one shared select.
            var resetting = Reset().Named("resetting");
            var trapRecord = (trapped & ~resetting).Named("trapRecord");
            var interruptRecord = (interrupted & ~resetting).Named("interruptRecord");
            var toMtvec = Writes(CsrAddress.Mtvec).Named("toMtvec");
            // Per bit, one LUT of the trap, its value, the written bit and one shared select: a bit mtvec keeps is the
            // written one or 0 (the interrupt, the reset); one it does not keep is the written one, or mtvec's constant
            // (0, or 1 for a bit of the code range's base: a second shared select), or 0 (the interrupt).
            var clears = (interrupted | resetting).Named("clearsKept");
            var toMtvecValue = (toMtvec | resetting).Named("toMtvecValue");
            var passes = (~interruptRecord & ~toMtvecValue).Named("writtenPasses");
            // The bits of the code range's base above mtvec's (none when the range starts at 0).
            uint legalOnes = codeConfig.LegalMtvec(0);
            var ones = legalOnes != 0 ? (~interruptRecord & toMtvecValue).Named("mtvecOnes") : U(0, 1);
            var bits = new Expr[32];
            for (int b = 0; b < 32; b++)
            {
                Expr other = b >= 2 && b < CodeBits ? written[b] & ~clears
                    : (legalOnes >> b & 1) != 0 ? ones | (passes & written[b]) : passes & written[b];
                bits[31 - b] = Mux(trapRecord, trappedValue[b], other);
            }
            var storageData = Cat(bits).Named("storageData");
            var recorded = (trapped | interrupted | resetting).Named("recorded");
            var storageWrite = storage.WritePort();
            storageWrite.Enable.Set(recorded | Writes(CsrAddress.Mscratch) | Writes(CsrAddress.Mtval) | toMtvec);
            storageWrite.Address.Set(Mux(resetting | toMtvec, U(MtvecSlot, 2), Mux(recorded | Writes(CsrAddress.Mtval), U(MtvalSlot, 2), U(MscratchSlot, 2)))
                .ZeroExtend(storageWrite.Address.Width));
            storageWrite.Data.Set(storageData);
        }
        void Enter(Expr cause, Expr value)
        {
            mepc.Set(enteredPc);
            mcause.Set(Cause(cause));
            mtval?.Set(value);
            if (full)
            {
                mpie!.Set(mie!);
                mie!.Set(0);
            }
        }
        var taken = When(interrupted, () => Enter(U((1UL << 31) | (ulong)InterruptCause.MachineTimer, 32), U(0, 32)))
            .ElseWhen(trapped, () => Enter(trappedCause.ZeroExtend(32), trappedValue));
        if (full)
        {
            taken = taken.ElseWhen(Return, () =>
            {
                mie!.Set(mpie!);
                mpie!.Set(1);
            });
        }
        taken.Otherwise(() =>
        {
            When(Writes(CsrAddress.Mtvec), () => mtvec.Set(written[CodeBits - 1, 2]));
            if (mtval is not null)
                When(Writes(CsrAddress.Mtval), () => mtval.Set(written));
            When(Writes(CsrAddress.Mepc), () => mepc.Set(written[31, 2]));
            When(Writes(CsrAddress.Mcause), () => mcause.Set(Cause(written)));
            if (full)
            {
                When(Writes(CsrAddress.Mstatus), () =>
                {
                    mie!.Set(written[3]);
                    mpie!.Set(written[7]);
                });
                When(Writes(CsrAddress.Mie), () =>
                {
                    msie!.Set(written[3]);
                    mtie!.Set(written[7]);
                    meie!.Set(written[11]);
                });
                if (mscratch is not null)
                    When(Writes(CsrAddress.Mscratch), () => mscratch.Set(written));
            }
        });
    }
}
