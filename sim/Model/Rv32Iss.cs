using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Model.Elf;

namespace HwGen.Sim.Model;

/// <summary>
/// The golden model of the application processor: an RV32IM + Zicsr instruction-set simulator,
/// machine mode only, written from the RISC-V unprivileged and privileged specifications.
/// </summary>
/// <remarks>
/// <para><b>Effect, check, commit</b>: every instruction first computes its effect (<see cref="InsnEffect"/>: the
/// next pc, the register write, the memory access, the CSR write, or the trap it raises) without changing any
/// state; an instruction that would complete is then shown to <see cref="CommitCheck"/>, which may deny it (a trap
/// with mcause <see cref="TrapCause.PolicyViolation"/>, nothing else changed); then the effect is committed.</para>
/// <para><b>Memory</b> (from <see cref="MemoryMap.Regions"/>, one <see cref="IMemoryDevice"/> per region, see
/// <see cref="Devices"/>): RAM is a little-endian byte array. There is no
/// hardware support for misaligned accesses: a misaligned load or store always traps (cause 4 / 6),
/// and that check comes before the access-fault check. An address in no region raises a load or
/// store access fault (5 / 7).</para>
/// <para><b>MMIO</b>: the CLINT registers are accessed as 32-bit words only; a byte or halfword access
/// anywhere in the CLINT region raises an access fault. The UART takes bytes, halfwords and words, each
/// addressing the register at its first byte. Inside those regions, an access that is not a register's reads 0
/// and ignores writes. UART data (<c>UartData</c>): a store sends the low byte, a load takes the next
/// received byte (0 when none). UART status (<c>UartStatus</c>): bit 0 =
/// ready to send (always 1), bit 1 = a received byte is waiting. CLINT: <c>mtime</c> and <c>mtimecmp</c>
/// are 64 bits each, as two words (low word at the lower address); mtimecmp resets to all ones.
/// The GPIO region accepts accesses of every size: reads return 0, writes are ignored; the PEX call port is
/// <see cref="PexCallDevice"/>. The SPI
/// flash region takes words only and reads 0. A boot ROM (when the map has one) reads at every size and refuses
/// writes; instructions are fetched from RAM only. A device's side effects (the UART taking or sending a byte, a
/// CLINT write) happen when the instruction commits.</para>
/// <para><b>Time</b>: each executed instruction (retired or trapping) advances mcycle and mtime by one;
/// minstret counts only instructions that complete without a trap (ecall and ebreak do not retire).
/// An instruction that writes mcycle/minstret (or their high halves) is not counted by the counter it writes:
/// the half written holds exactly the written value and the other half keeps its value (no carry between
/// them), as riscv-tests and Spike expect; a store to mtime is followed
/// by the usual tick. mcountinhibit reads 0 and ignores writes (the counters always count).</para>
/// <para><b>CSRs</b>: see <see cref="Csr"/>. mstatus keeps MIE and MPIE, MPP reads as 11; misa is
/// RV32IM and ignores writes; mie stores MSIE, MTIE and MEIE; mip shows MTIP (mtime &gt;= mtimecmp,
/// unsigned) and ignores writes; mtvec is direct mode only and keeps the bits that vary inside the core's code range
/// (<see cref="CoreConfig.LegalMtvec"/> of <see cref="IssOptions.Core"/>: the bits above read as the range's, and it
/// resets to the range's base); mepc clears bits
/// 1..0; mvendorid, marchid, mimpid, mhartid, mconfigptr, mstatush, menvcfg and menvcfgh read 0. Every
/// other address raises an illegal-instruction trap, as does any write (csrrw always; csrrs/csrrc with
/// rs1 != x0; csrrsi/csrrci with uimm != 0) to a read-only address (bits [11:10] = 11). Reset values:
/// every register and CSR 0 except mtimecmp (all ones) and mtvec (the code range's base, its legal value of 0); the pc is the RAM base until
/// <see cref="Load"/> sets it to the entry point.</para>
/// <para><b>Traps</b> are precise: mepc = the pc of the faulting instruction, mcause and mtval as the
/// specification says (the target for a misaligned jump or taken branch, the instruction bits for an
/// illegal instruction, the pc for ebreak and for an instruction fetch outside RAM, the address for
/// loads and stores, 0 for ecall and interrupts). Trap entry: MPIE &lt;- MIE, MIE &lt;- 0,
/// pc &lt;- mtvec. mret: MIE &lt;- MPIE, MPIE &lt;- 1, pc &lt;- mepc. wfi, fence and fence.i do nothing.
/// A hart without CSRs (<see cref="IssOptions.Csrs"/> = <see cref="CsrSet.None"/>) stops on a trap: the pc stays on
/// the instruction, which traps again at the next step; <c>mret</c> is illegal there.</para>
/// <para><b>Timer interrupt</b>: when <see cref="IssOptions.AutonomousInterrupts"/> is set, before each
/// instruction the interrupt is taken if mstatus.MIE, mie.MTIE and MTIP are all set (mcause
/// 0x80000007, mepc = the pc of the instruction not yet executed).</para>
/// <para><b>End of program</b>: a store to the word at the <c>tohost</c> symbol that leaves bit 0 of
/// that word set halts the machine with <see cref="ExitCode"/> = word &gt;&gt; 1.</para>
/// </remarks>
public sealed unsafe class Rv32Iss
{
    private readonly MemoryMap _map;
    private readonly uint _ramBase;
    private readonly uint _ramSize;
    private readonly bool _autonomous;

    // Pinned, so the execution loop can use raw pointers for the lifetime of the simulator.
    private readonly byte[] _ram;
    private readonly DecodedInsn[] _decoded;
    private readonly uint[] _regs;
    private readonly byte* _ramPtr;
    private readonly DecodedInsn* _decodedPtr;
    private readonly uint* _x;

    private uint _pc;

    private uint _mstatus; // MIE and MPIE only
    private uint _mie;
    private uint _mtvec;
    private uint _mepc;
    private uint _mcause;
    private uint _mtval;
    private uint _mscratch;
    private ulong _cycle;
    private ulong _instret;
    private ulong _mtime;
    private ulong _mtimecmp = ulong.MaxValue;

    /// <summary>mtimecmp when the timer interrupt is enabled and autonomous, else ulong.MaxValue: one compare per instruction.</summary>
    private ulong _irqThreshold = ulong.MaxValue;

    private uint _tohostWord = uint.MaxValue; // word index into RAM, or none
    private uint? _tohost;
    private bool _halted;
    private int _exitCode;

    private readonly IMemoryDevice[] _devices;
    private readonly IMemoryDevice[] _mmio;
    private readonly UartDevice? _uart;
    private ICommitCheck _check = CommitChecks.AllowAll;

    /// <summary>
    /// The effect of the instruction being executed. The fast path keeps the register write and the next pc in
    /// locals and puts here only what a memory access or CSR write leaves for commit; the check and the trace see it whole.
    /// </summary>
    private InsnEffect _effect;

    private ulong _order;
    /// <summary>The M extension (<see cref="IssOptions.WithM"/>).</summary>
    private readonly bool _withM;
    /// <summary>The CSR addresses this hart implements (<see cref="IssOptions.Counters"/>, <see cref="IssOptions.Csrs"/>).</summary>
    private readonly HashSet<uint> _csrs;
    /// <summary>The bits of mcause a write keeps (<see cref="Csr.McauseMask"/>).</summary>
    private readonly uint _mcauseMask;
    /// <summary>No CSRs (<see cref="CsrSet.None"/>): a trap leaves the pc on the instruction, and mret is illegal.</summary>
    private readonly bool _noCsrs;
    /// <summary>The core whose code range gives mtvec's legal values (<see cref="IssOptions.Core"/>).</summary>
    private readonly CoreConfig _core;
    private bool _intrPending;
    private byte _lastRd;

    public Rv32Iss(MemoryMap map, IssOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.RamSize == 0 || map.RamSize % 4 != 0 || map.RamSize > 1u << 30 || map.RamBase % 4 != 0)
            throw new ArgumentException($"RAM at 0x{map.RamBase:x8} of {map.RamSize} bytes: the simulator needs a word-aligned base and a non-zero size that is a multiple of 4 and at most 1 GiB", nameof(map));
        _map = map;
        _ramBase = map.RamBase;
        _ramSize = map.RamSize;
        options ??= new IssOptions();
        _autonomous = options.AutonomousInterrupts;
        _withM = options.WithM;
        _csrs = Csr.Implemented.Where(a => Csr.IsImplemented(a, options)).ToHashSet();
        _mcauseMask = Csr.McauseMask(options);
        _noCsrs = options.Csrs == CsrSet.None;
        _core = options.Core ?? CoreConfig.ForMemoryMap(map);
        _mtvec = _core.LegalMtvec(0);
        _ram = GC.AllocateArray<byte>((int)_ramSize, pinned: true);
        _decoded = GC.AllocateArray<DecodedInsn>((int)(_ramSize / 4), pinned: true);
        _regs = GC.AllocateArray<uint>(32, pinned: true);
        _ramPtr = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _ram[0]);
        _decodedPtr = (DecodedInsn*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _decoded[0]);
        _x = (uint*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _regs[0]);
        _pc = map.ResetVector;
        _devices = MemoryDevices.For(this, options.Devices);
        _mmio = [.. _devices.Where(d => d is not RamDevice)];
        _uart = _devices.OfType<UartDevice>().FirstOrDefault();
        PexCall = _devices.OfType<PexCallDevice>().FirstOrDefault();
    }

    /// <summary>The PEX call port, when the map has one (a tag engine serves its calls).</summary>
    public PexCallDevice? PexCall { get; }

    /// <summary>
    /// The effect of the instruction the last <see cref="Step"/> executed (for a trap: its pc, instruction, cause,
    /// mtval and the trap vector as the next pc). After <see cref="Run"/> it holds only part of the last effect.
    /// </summary>
    public InsnEffect LastEffect => _effect;

    /// <summary>The devices of the memory map, one per region of <see cref="MemoryMap.Regions"/>, in address order (RAM among them).</summary>
    public IReadOnlyList<IMemoryDevice> Devices => _devices;

    /// <summary>
    /// Decides, for each instruction that would complete, whether it commits (see <see cref="ICommitCheck"/>).
    /// The default, <see cref="CommitChecks.AllowAll"/>, costs nothing: the simulator skips the call.
    /// </summary>
    public ICommitCheck CommitCheck
    {
        get => _check;
        set => _check = value ?? throw new ArgumentNullException(nameof(value));
    }

    public MemoryMap Map => _map;

    public uint Pc
    {
        get => _pc;
        set => _pc = value;
    }

    /// <summary>Instructions retired (minstret).</summary>
    public ulong Instret => _instret;

    /// <summary>Cycles counted (mcycle): one per executed instruction, trapping ones included.</summary>
    public ulong Cycles => _cycle;

    /// <summary>The CLINT's mtime. Co-simulation sets it to the RTL's value.</summary>
    public ulong Mtime
    {
        get => _mtime;
        set => _mtime = value;
    }

    /// <summary>The CLINT's mtimecmp (resets to all ones).</summary>
    public ulong Mtimecmp
    {
        get => _mtimecmp;
        set
        {
            _mtimecmp = value;
            UpdateIrqThreshold();
        }
    }

    public bool Halted => _halted;

    /// <summary>The program's exit code from <c>tohost</c> (valid once <see cref="Halted"/>).</summary>
    public int ExitCode => _exitCode;

    /// <summary>The address of the <c>tohost</c> word, or null when the program has none.</summary>
    public uint? Tohost
    {
        get => _tohost;
        set
        {
            if (value is uint t && (t % 4 != 0 || !_map.Ram.Contains(t, 4)))
                throw new ArgumentOutOfRangeException(nameof(value), $"tohost at 0x{t:x8} must be a word-aligned address in RAM {ElfImage.Range(_ramBase, _ramSize)}");
            _tohost = value;
            _tohostWord = value is uint a ? (a - _ramBase) >> 2 : uint.MaxValue;
        }
    }

    /// <summary>Bytes sent to the UART so far, as Latin-1 text.</summary>
    public string UartOutput => _uart?.Output.ToString() ?? "";

    /// <summary>Records produced so far by <see cref="Step"/> and <see cref="Run"/> (the next record's Order).</summary>
    public ulong Order => _order;

    /// <summary>
    /// Copies the image's segments into RAM, sets the pc to its entry point and remembers its <c>tohost</c>.
    /// Registers, CSRs and the rest of RAM keep their values: load into a new simulator to start afresh.
    /// </summary>
    public void Load(ElfImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        foreach (var segment in image.Segments)
        {
            if (!_map.Ram.Contains(segment.Address, segment.Size))
                throw new ElfFormatException($"{image.Path}: PT_LOAD segment {ElfImage.Range(segment.Address, segment.Size)} lies outside RAM {ElfImage.Range(_ramBase, _ramSize)}");
            WriteMemory(segment.Address, segment.Data);
        }
        if (!_map.Ram.Contains(image.Entry, 4))
            throw new ElfFormatException($"{image.Path}: entry point {ElfImage.Hex(image.Entry)} lies outside RAM {ElfImage.Range(_ramBase, _ramSize)}");
        if (image.Tohost is uint t && (t % 4 != 0 || !_map.Ram.Contains(t, 4)))
            throw new ElfFormatException($"{image.Path}: symbol tohost at {ElfImage.Hex(t)} is not a word-aligned address in RAM {ElfImage.Range(_ramBase, _ramSize)}");
        _pc = image.Entry;
        Tohost = image.Tohost;
    }

    public uint ReadRegister(int index)
    {
        if ((uint)index >= 32)
            throw new ArgumentOutOfRangeException(nameof(index), index, "RV32 has registers x0..x31");
        return _x[index];
    }

    /// <summary>Sets x<paramref name="index"/>; writes to x0 are ignored.</summary>
    public void WriteRegister(int index, uint value)
    {
        if ((uint)index >= 32)
            throw new ArgumentOutOfRangeException(nameof(index), index, "RV32 has registers x0..x31");
        if (index != 0)
            _x[index] = value;
    }

    /// <summary>Reads RAM without side effects.</summary>
    public void ReadMemory(uint address, Span<byte> destination)
    {
        CheckRam(address, destination.Length);
        _ram.AsSpan((int)(address - _ramBase), destination.Length).CopyTo(destination);
    }

    /// <summary>The little-endian word of RAM at <paramref name="address"/>.</summary>
    public uint ReadWord(uint address)
    {
        CheckRam(address, 4);
        return *(uint*)(_ramPtr + (address - _ramBase));
    }

    /// <summary>Writes RAM (loaders and tests); no MMIO, no tohost check.</summary>
    public void WriteMemory(uint address, ReadOnlySpan<byte> source)
    {
        CheckRam(address, source.Length);
        uint offset = address - _ramBase;
        source.CopyTo(_ram.AsSpan((int)offset, source.Length));
        if (source.Length > 0)
            _decoded.AsSpan((int)(offset >> 2), (int)(((offset + (uint)source.Length - 1) >> 2) - (offset >> 2) + 1)).Clear();
    }

    /// <summary>Writes consecutive little-endian words to RAM starting at <paramref name="address"/>.</summary>
    public void WriteWords(uint address, ReadOnlySpan<uint> words) =>
        WriteMemory(address, System.Runtime.InteropServices.MemoryMarshal.AsBytes(words));

    private void CheckRam(uint address, int length)
    {
        if (length < 0 || !_map.Ram.Contains(address, (uint)length))
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:x8} + {length} bytes is not inside RAM {ElfImage.Range(_ramBase, _ramSize)}");
    }

    /// <summary>Reads a CSR for tests and reports, without side effects.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The simulator does not implement that CSR.</exception>
    public uint ReadCsr(uint address)
    {
        if (!TryReadCsr(address, out uint value))
            throw new ArgumentOutOfRangeException(nameof(address), $"CSR 0x{address:x3} is not implemented");
        return value;
    }

    /// <summary>Queues bytes for the program to read from the UART data register.</summary>
    public void EnqueueUartInput(ReadOnlySpan<byte> bytes)
    {
        if (_uart is null)
            throw new InvalidOperationException("the memory map has no UART");
        foreach (byte b in bytes)
            _uart.Input.Enqueue(b);
    }

    /// <summary>
    /// Runs until the program halts or <paramref name="maxInstructions"/> instructions (trapping ones
    /// included) have executed. No trace is produced.
    /// </summary>
    public IssRunResult Run(long maxInstructions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInstructions);
        if (!_halted && maxInstructions > 0)
        {
            RetireRecord unused = default;
            if (ReferenceEquals(_check, CommitChecks.AllowAll))
                Execute<FastMode, Unchecked>(maxInstructions, ref unused);
            else
                Execute<FastMode, Checked>(maxInstructions, ref unused);
            _lastRd = 0;
        }
        var status = !_halted ? IssStatus.Timeout : _exitCode == 0 ? IssStatus.Passed : IssStatus.Failed;
        return new IssRunResult(status, _halted ? _exitCode : 0, _instret, UartOutput);
    }

    /// <summary>
    /// Executes exactly one instruction (which may trap) and describes it in <paramref name="record"/>.
    /// An interrupt that is due is taken first; the record is then the handler's first instruction.
    /// </summary>
    /// <exception cref="InvalidOperationException">The machine has halted.</exception>
    public void Step(out RetireRecord record)
    {
        if (_halted)
            throw new InvalidOperationException($"the machine halted (exit code {_exitCode}); it executes no more instructions");
        record = default;
        if (ReferenceEquals(_check, CommitChecks.AllowAll))
            Execute<TraceMode, Unchecked>(1, ref record);
        else
            Execute<TraceMode, Checked>(1, ref record);
    }

    /// <summary>
    /// Co-simulation: takes interrupt <paramref name="cause"/> now, before the next instruction,
    /// whatever mstatus.MIE and mie say (the RTL decided). <paramref name="cause"/> is the interrupt
    /// number (7 for the timer) or the full mcause with bit 31 set. The next record has Intr = true.
    /// </summary>
    public void InjectInterrupt(uint cause)
    {
        if (_halted)
            throw new InvalidOperationException("the machine halted; it takes no more interrupts");
        _pc = EnterTrap(_pc, cause | TrapCause.InterruptBit, 0);
        _intrPending = true;
    }

    /// <summary>Co-simulation: replaces the value the last <see cref="Step"/> wrote to its rd.</summary>
    /// <exception cref="InvalidOperationException">The last record wrote no register.</exception>
    public void OverrideRd(uint value)
    {
        if (_lastRd == 0)
            throw new InvalidOperationException("the last retired instruction wrote no register, so there is no rd value to override");
        _x[_lastRd] = value;
    }

    private interface IExecMode
    {
        static abstract bool Trace { get; }
    }

    private struct FastMode : IExecMode
    {
        public static bool Trace => false;
    }

    private struct TraceMode : IExecMode
    {
        public static bool Trace => true;
    }

    private interface ICheckMode
    {
        static abstract bool Enabled { get; }
    }

    private struct Unchecked : ICheckMode
    {
        public static bool Enabled => false;
    }

    private struct Checked : ICheckMode
    {
        public static bool Enabled => true;
    }

    /// <summary>What an instruction leaves to do at commit besides its register write and pc (its details in <see cref="_effect"/>).</summary>
    private enum Pending : byte
    {
        None,
        /// <summary>A load from RAM: nothing to commit; marked only when the effect is traced or checked.</summary>
        RamLoad,
        RamStore,
        DeviceLoad,
        DeviceStore,
        CsrWrite,
    }

    /// <summary>
    /// The decode-and-dispatch loop, shared by <see cref="Run"/> (FastMode) and <see cref="Step"/> (TraceMode, one
    /// instruction). Each instruction goes through three steps: its effect is computed into locals (next pc, register
    /// write, memory access, CSR write, or a trap) without changing any state; the commit check decides
    /// (<see cref="ICommitCheck"/>, Checked mode only); then the effect is committed. The JIT compiles each
    /// combination of modes separately, so neither the trace nor the check costs the fast path anything.
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private void Execute<TMode, TCheck>(long budget, ref RetireRecord rec)
        where TMode : struct, IExecMode
        where TCheck : struct, ICheckMode
    {
        uint* x = _x;
        byte* ram = _ramPtr;
        DecodedInsn* decoded = _decodedPtr;
        uint ramBase = _ramBase, ramSize = _ramSize;
        uint pc = _pc;
        long done = 0;
        while (done < budget)
        {
            if (_mtime >= _irqThreshold && TimerInterruptDue())
            {
                pc = EnterTrap(pc, TrapCause.MachineTimerInterrupt, 0);
                _intrPending = true;
            }

            uint cause, tval, insn = 0;
            DecodedInsn d = default;
            uint off = pc - ramBase;
            if (off >= ramSize || (pc & 3) != 0)
            {
                cause = (pc & 3) != 0 ? TrapCause.InstructionAddressMisaligned : TrapCause.InstructionAccessFault;
                tval = pc;
                goto Trap;
            }
            DecodedInsn* slot = decoded + (off >> 2);
            if (slot->Op == Rv32Op.Undecoded)
                *slot = Decode(*(uint*)(ram + off));
            d = *slot;
            if (TMode.Trace || TCheck.Enabled)
                insn = *(uint*)(ram + off);

            // ---- effect: the locals below say what the instruction does; nothing changes until Commit. ----
            uint next = pc + 4;
            uint rs1v = x[d.Rs1], rs2v = x[d.Rs2];
            uint rd = 0;                     // the register written (0: none)
            uint wdata;                      // the value written to rd
            Pending pending = Pending.None;  // the rest of the effect, in _effect
            System.Runtime.CompilerServices.Unsafe.SkipInit(out wdata);
            switch (d.Op)
            {
                case Rv32Op.Lui:
                    rd = d.Rd;
                    wdata = (uint)d.Imm;
                    break;
                case Rv32Op.Auipc:
                    rd = d.Rd;
                    wdata = pc + (uint)d.Imm;
                    break;
                case Rv32Op.Jal:
                    {
                        uint target = pc + (uint)d.Imm;
                        if ((target & 3) != 0)
                        {
                            cause = TrapCause.InstructionAddressMisaligned;
                            tval = target;
                            goto Trap;
                        }
                        rd = d.Rd;
                        wdata = next;
                        next = target;
                        break;
                    }
                case Rv32Op.Jalr:
                    {
                        uint target = (rs1v + (uint)d.Imm) & ~1u;
                        if ((target & 3) != 0)
                        {
                            cause = TrapCause.InstructionAddressMisaligned;
                            tval = target;
                            goto Trap;
                        }
                        rd = d.Rd;
                        wdata = next;
                        next = target;
                        break;
                    }
                case Rv32Op.Beq:
                    if (rs1v == rs2v)
                        goto TakeBranch;
                    break;
                case Rv32Op.Bne:
                    if (rs1v != rs2v)
                        goto TakeBranch;
                    break;
                case Rv32Op.Blt:
                    if ((int)rs1v < (int)rs2v)
                        goto TakeBranch;
                    break;
                case Rv32Op.Bge:
                    if ((int)rs1v >= (int)rs2v)
                        goto TakeBranch;
                    break;
                case Rv32Op.Bltu:
                    if (rs1v < rs2v)
                        goto TakeBranch;
                    break;
                case Rv32Op.Bgeu:
                    if (rs1v >= rs2v)
                        goto TakeBranch;
                    break;

                case Rv32Op.Lb:
                case Rv32Op.Lbu:
                case Rv32Op.Lh:
                case Rv32Op.Lhu:
                case Rv32Op.Lw:
                    {
                        int size = d.Op is Rv32Op.Lb or Rv32Op.Lbu ? 1 : d.Op is Rv32Op.Lh or Rv32Op.Lhu ? 2 : 4;
                        uint a = rs1v + (uint)d.Imm;
                        if ((a & (uint)(size - 1)) != 0)
                        {
                            cause = TrapCause.LoadAddressMisaligned;
                            tval = a;
                            goto Trap;
                        }
                        uint o = a - ramBase;
                        uint data;
                        if (o < ramSize)
                        {
                            data = size == 4 ? *(uint*)(ram + o) : size == 2 ? *(ushort*)(ram + o) : ram[o];
                            if (TMode.Trace || TCheck.Enabled)
                            {
                                pending = Pending.RamLoad;
                                SetAccess(a, size, data, null);
                            }
                        }
                        else
                        {
                            var device = FindDevice(a);
                            if (device is null || !device.Read(a, size, out data))
                            {
                                cause = TrapCause.LoadAccessFault;
                                tval = a;
                                goto Trap;
                            }
                            pending = Pending.DeviceLoad;
                            SetAccess(a, size, data, device);
                        }
                        rd = d.Rd;
                        wdata = d.Op switch
                        {
                            Rv32Op.Lb => (uint)(sbyte)data,
                            Rv32Op.Lh => (uint)(short)data,
                            _ => data,
                        };
                        break;
                    }
                case Rv32Op.Sb:
                case Rv32Op.Sh:
                case Rv32Op.Sw:
                    {
                        int size = d.Op == Rv32Op.Sb ? 1 : d.Op == Rv32Op.Sh ? 2 : 4;
                        uint a = rs1v + (uint)d.Imm;
                        if ((a & (uint)(size - 1)) != 0)
                        {
                            cause = TrapCause.StoreAddressMisaligned;
                            tval = a;
                            goto Trap;
                        }
                        uint data = size == 4 ? rs2v : rs2v & ((1u << (8 * size)) - 1);
                        if (a - ramBase < ramSize)
                        {
                            pending = Pending.RamStore;
                            SetAccess(a, size, data, null);
                        }
                        else
                        {
                            var device = FindDevice(a);
                            if (device is null || !device.CanWrite(a, size))
                            {
                                cause = TrapCause.StoreAccessFault;
                                tval = a;
                                goto Trap;
                            }
                            pending = Pending.DeviceStore;
                            SetAccess(a, size, data, device);
                        }
                        break;
                    }

                case Rv32Op.Addi:
                    rd = d.Rd;
                    wdata = rs1v + (uint)d.Imm;
                    break;
                case Rv32Op.Slti:
                    rd = d.Rd;
                    wdata = (int)rs1v < d.Imm ? 1u : 0u;
                    break;
                case Rv32Op.Sltiu:
                    rd = d.Rd;
                    wdata = rs1v < (uint)d.Imm ? 1u : 0u;
                    break;
                case Rv32Op.Xori:
                    rd = d.Rd;
                    wdata = rs1v ^ (uint)d.Imm;
                    break;
                case Rv32Op.Ori:
                    rd = d.Rd;
                    wdata = rs1v | (uint)d.Imm;
                    break;
                case Rv32Op.Andi:
                    rd = d.Rd;
                    wdata = rs1v & (uint)d.Imm;
                    break;
                case Rv32Op.Slli:
                    rd = d.Rd;
                    wdata = rs1v << d.Imm;
                    break;
                case Rv32Op.Srli:
                    rd = d.Rd;
                    wdata = rs1v >> d.Imm;
                    break;
                case Rv32Op.Srai:
                    rd = d.Rd;
                    wdata = (uint)((int)rs1v >> d.Imm);
                    break;

                case Rv32Op.Add:
                    rd = d.Rd;
                    wdata = rs1v + rs2v;
                    break;
                case Rv32Op.Sub:
                    rd = d.Rd;
                    wdata = rs1v - rs2v;
                    break;
                case Rv32Op.Sll:
                    rd = d.Rd;
                    wdata = rs1v << (int)(rs2v & 31);
                    break;
                case Rv32Op.Slt:
                    rd = d.Rd;
                    wdata = (int)rs1v < (int)rs2v ? 1u : 0u;
                    break;
                case Rv32Op.Sltu:
                    rd = d.Rd;
                    wdata = rs1v < rs2v ? 1u : 0u;
                    break;
                case Rv32Op.Xor:
                    rd = d.Rd;
                    wdata = rs1v ^ rs2v;
                    break;
                case Rv32Op.Srl:
                    rd = d.Rd;
                    wdata = rs1v >> (int)(rs2v & 31);
                    break;
                case Rv32Op.Sra:
                    rd = d.Rd;
                    wdata = (uint)((int)rs1v >> (int)(rs2v & 31));
                    break;
                case Rv32Op.Or:
                    rd = d.Rd;
                    wdata = rs1v | rs2v;
                    break;
                case Rv32Op.And:
                    rd = d.Rd;
                    wdata = rs1v & rs2v;
                    break;

                case Rv32Op.Mul:
                    rd = d.Rd;
                    wdata = rs1v * rs2v;
                    break;
                case Rv32Op.Mulh:
                    rd = d.Rd;
                    wdata = (uint)((ulong)((long)(int)rs1v * (int)rs2v) >> 32);
                    break;
                case Rv32Op.Mulhsu:
                    rd = d.Rd;
                    wdata = (uint)((ulong)((long)(int)rs1v * (long)rs2v) >> 32);
                    break;
                case Rv32Op.Mulhu:
                    rd = d.Rd;
                    wdata = (uint)(((ulong)rs1v * rs2v) >> 32);
                    break;
                case Rv32Op.Div:
                    // Division by zero gives -1; the overflow case (-2^31 / -1) gives -2^31.
                    rd = d.Rd;
                    wdata = rs2v == 0 ? uint.MaxValue
                        : rs2v == uint.MaxValue ? (uint)-(int)rs1v
                        : (uint)((int)rs1v / (int)rs2v);
                    break;
                case Rv32Op.Divu:
                    rd = d.Rd;
                    wdata = rs2v == 0 ? uint.MaxValue : rs1v / rs2v;
                    break;
                case Rv32Op.Rem:
                    // Remainder by zero gives the dividend; the overflow case gives 0.
                    rd = d.Rd;
                    wdata = rs2v == 0 ? rs1v
                        : rs2v == uint.MaxValue ? 0u
                        : (uint)((int)rs1v % (int)rs2v);
                    break;
                case Rv32Op.Remu:
                    rd = d.Rd;
                    wdata = rs2v == 0 ? rs1v : rs1v % rs2v;
                    break;

                case Rv32Op.Fence:
                case Rv32Op.FenceI:
                case Rv32Op.Wfi:
                    break;
                case Rv32Op.Ecall:
                    cause = TrapCause.EcallFromM;
                    tval = 0;
                    goto Trap;
                case Rv32Op.Ebreak:
                    cause = TrapCause.Breakpoint;
                    tval = pc;
                    goto Trap;
                case Rv32Op.Mret:
                    if (_noCsrs)
                    {
                        cause = TrapCause.IllegalInstruction;
                        tval = *(uint*)(ram + off);
                        goto Trap;
                    }
                    // mret writes mstatus: MIE <- MPIE, MPIE <- 1.
                    next = _mepc;
                    pending = Pending.CsrWrite;
                    _effect.Csr = (ushort)Csr.Mstatus;
                    _effect.CsrValue = ((_mstatus & Csr.MstatusMpie) != 0 ? Csr.MstatusMie : 0) | Csr.MstatusMpie;
                    break;

                case Rv32Op.Csrrw:
                case Rv32Op.Csrrs:
                case Rv32Op.Csrrc:
                case Rv32Op.Csrrwi:
                case Rv32Op.Csrrsi:
                case Rv32Op.Csrrci:
                    {
                        if (!CsrEffect(d, rs1v, out wdata, out bool write, out uint value))
                        {
                            cause = TrapCause.IllegalInstruction;
                            tval = *(uint*)(ram + off);
                            goto Trap;
                        }
                        rd = d.Rd;
                        if (write)
                        {
                            pending = Pending.CsrWrite;
                            _effect.Csr = (ushort)d.Imm;
                            _effect.CsrValue = value;
                        }
                        break;
                    }

                default:
                    cause = TrapCause.IllegalInstruction;
                    tval = *(uint*)(ram + off);
                    goto Trap;
            }
            goto Check;

        TakeBranch:
            {
                uint target = pc + (uint)d.Imm;
                if ((target & 3) != 0)
                {
                    cause = TrapCause.InstructionAddressMisaligned;
                    tval = target;
                    goto Trap;
                }
                next = target;
            }

        Check:
            if (TMode.Trace || TCheck.Enabled)
            {
                byte use = Rv32Decoder.Operands(d.Op);
                ref var e = ref _effect;
                e.Pc = pc;
                e.Insn = insn;
                e.NextPc = next;
                e.Rs1 = (use & Rv32Decoder.ReadsRs1) != 0 ? d.Rs1 : (byte)0;
                e.Rs2 = (use & Rv32Decoder.ReadsRs2) != 0 ? d.Rs2 : (byte)0;
                e.Rs1Value = (use & Rv32Decoder.ReadsRs1) != 0 ? rs1v : 0;
                e.Rs2Value = (use & Rv32Decoder.ReadsRs2) != 0 ? rs2v : 0;
                e.Rd = (byte)rd;
                e.RdValue = rd != 0 ? wdata : 0;
                e.Access = pending switch
                {
                    Pending.RamLoad or Pending.DeviceLoad => MemoryAccessKind.Load,
                    Pending.RamStore or Pending.DeviceStore => MemoryAccessKind.Store,
                    _ => MemoryAccessKind.None,
                };
                if (e.Access == MemoryAccessKind.None)
                    SetAccess(0, 0, 0, null);
                e.WritesCsr = pending == Pending.CsrWrite;
                if (!e.WritesCsr)
                {
                    e.Csr = 0;
                    e.CsrValue = 0;
                }
                e.Traps = false;
                e.Cause = 0;
                e.Tval = 0;
                if (TCheck.Enabled)
                {
                    var decision = _check.Check(in e);
                    if (!decision.Allowed)
                    {
                        cause = TrapCause.PolicyViolation;
                        tval = e.Access != MemoryAccessKind.None ? e.Address : insn;
                        goto Trap;
                    }
                }
            }

            // ---- commit ----
            bool halt = pending > Pending.RamLoad && CommitPending(pending);
            x[rd] = wdata;
            x[0] = 0;
            if (TCheck.Enabled)
                _check.Committed(in _effect);
            if (TMode.Trace)
            {
                rec.SetCommitted(in _effect, _order, _intrPending);
                rec.Nondeterministic = rd != 0 && ((pending == Pending.DeviceLoad && _effect.Device!.Volatile)
                    || (d.Op >= Rv32Op.Csrrw && IsNondeterministicCsr((uint)d.Imm)));
                rec.Halt = halt;
                _lastRd = (byte)rd;
                if (TCheck.Enabled)
                    _check.Annotate(ref rec);
            }
            pc = next;
            _instret++;
            _cycle++;
            _mtime++;
            _order++;
            _intrPending = false;
            done++;
            if (halt)
                break;
            continue;

        Trap:
            {
                uint vector = EnterTrap(pc, cause, tval);
                if (TMode.Trace)
                {
                    ref var e = ref _effect;
                    e = default;
                    e.Pc = pc;
                    e.Insn = insn;
                    e.NextPc = vector;
                    e.Traps = true;
                    e.Cause = cause;
                    e.Tval = tval;
                    rec = default;
                    if (cause != TrapCause.IllegalInstruction)
                        FillSources(ref rec, Rv32Decoder.Operands(d.Op), d, rs1v: x[d.Rs1], rs2v: x[d.Rs2]);
                    rec.Trap = true;
                    rec.Cause = cause;
                    _lastRd = 0;
                    FinishRecord(ref rec, insn, pc, vector);
                    if (TCheck.Enabled)
                        _check.Annotate(ref rec);
                }
                pc = vector;
                _cycle++;
                _mtime++;
                _order++;
                _intrPending = false;
                done++;
            }
        }
        _pc = pc;
    }

    private static void FillSources(ref RetireRecord rec, byte use, DecodedInsn d, uint rs1v, uint rs2v)
    {
        if ((use & Rv32Decoder.ReadsRs1) != 0)
        {
            rec.Rs1Addr = d.Rs1;
            rec.Rs1Rdata = rs1v;
        }
        if ((use & Rv32Decoder.ReadsRs2) != 0)
        {
            rec.Rs2Addr = d.Rs2;
            rec.Rs2Rdata = rs2v;
        }
    }

    private void FinishRecord(ref RetireRecord rec, uint insn, uint pc, uint next)
    {
        rec.Order = _order;
        rec.Insn = insn;
        rec.Intr = _intrPending;
        rec.PcRdata = pc;
        rec.PcWdata = next;
    }

    /// <summary>Trap entry: mepc, mcause, mtval, MPIE &lt;- MIE, MIE &lt;- 0. Returns mtvec; without CSRs the pc itself.</summary>
    private uint EnterTrap(uint pc, uint cause, uint tval)
    {
        if (!ReferenceEquals(_check, CommitChecks.AllowAll))
            _check.TrapTaken(cause);
        if (_noCsrs)
            return pc;
        _mepc = pc;
        _mcause = cause;
        _mtval = tval;
        _mstatus = (_mstatus & Csr.MstatusMie) != 0 ? Csr.MstatusMpie : 0;
        UpdateIrqThreshold();
        return _mtvec;
    }

    private bool TimerInterruptDue() =>
        _autonomous && (_mstatus & Csr.MstatusMie) != 0 && (_mie & Csr.Mti) != 0 && _mtime >= _mtimecmp;

    private void UpdateIrqThreshold() =>
        _irqThreshold = _autonomous && (_mstatus & Csr.MstatusMie) != 0 && (_mie & Csr.Mti) != 0 ? _mtimecmp : ulong.MaxValue;

    private bool CheckTohost()
    {
        uint value = *(uint*)(_ramPtr + ((ulong)_tohostWord << 2));
        if ((value & 1) == 0)
            return false;
        _halted = true;
        _exitCode = (int)(value >> 1);
        return true;
    }

    /// <summary>The device (not RAM) whose region holds <paramref name="address"/>, or null.</summary>
    private IMemoryDevice? FindDevice(uint address)
    {
        foreach (var device in _mmio)
        {
            if (device.Region.Contains(address))
                return device;
        }
        return null;
    }

    /// <summary>RAM bytes at <paramref name="offset"/> (for <see cref="RamDevice"/>).</summary>
    internal uint ReadRam(uint offset, int size) =>
        size == 4 ? *(uint*)(_ramPtr + offset) : size == 2 ? *(ushort*)(_ramPtr + offset) : _ramPtr[offset];

    /// <summary>
    /// Commits a store to RAM: writes the bytes, forgets the decoded instruction of that word, and returns true when
    /// the store ended the program through <c>tohost</c>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal bool CommitRamStore(uint offset, int size, uint value)
    {
        byte* p = _ramPtr + offset;
        if (size == 4)
            *(uint*)p = value;
        else if (size == 2)
            *(ushort*)p = (ushort)value;
        else
            *p = (byte)value;
        _decodedPtr[offset >> 2].Op = Rv32Op.Undecoded;
        return (offset >> 2) == _tohostWord && CheckTohost();
    }

    /// <summary>The memory access of the effect being computed.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void SetAccess(uint address, int size, uint data, IMemoryDevice? device)
    {
        _effect.Address = address;
        _effect.Size = (byte)size;
        _effect.Data = data;
        _effect.Device = device;
    }

    /// <summary>Commits what the instruction left in <see cref="_effect"/> (a store, a device read's side effect, a CSR write). True: the program halted.</summary>
    private bool CommitPending(Pending pending)
    {
        ref var e = ref _effect;
        switch (pending)
        {
            case Pending.RamStore:
                return CommitRamStore(e.Address - _ramBase, e.Size, e.Data);
            case Pending.DeviceLoad:
                e.Device!.CommitRead(e.Address, e.Size);
                return false;
            case Pending.DeviceStore:
                e.Device!.CommitWrite(e.Address, e.Size, e.Data);
                return false;
            case Pending.CsrWrite:
                WriteCsr(e.Csr, e.CsrValue);
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The effect of a CSR instruction: the old value (for rd) and the write, if any. False: illegal instruction
    /// (unknown CSR, or a write to a read-only one). Changes nothing.
    /// </summary>
    private bool CsrEffect(DecodedInsn d, uint rs1v, out uint old, out bool write, out uint value)
    {
        uint address = (uint)d.Imm;
        value = 0;
        write = false;
        if (!TryReadCsr(address, out old))
            return false;
        bool immediate = d.Op >= Rv32Op.Csrrwi;
        uint source = immediate ? d.Rs1 : rs1v;
        Rv32Op kind = immediate ? d.Op - (Rv32Op.Csrrwi - Rv32Op.Csrrw) : d.Op;
        // csrrw always writes; csrrs/csrrc write only when the rs1 field (or uimm) is non-zero.
        write = kind == Rv32Op.Csrrw || d.Rs1 != 0;
        if (!write)
            return true;
        if (Csr.IsReadOnly(address))
            return false;
        value = kind switch
        {
            Rv32Op.Csrrw => source,
            Rv32Op.Csrrs => old | source,
            _ => old & ~source,
        };
        return true;
    }

    /// <summary>An instruction word decoded for this hart: without M, the M extension's encodings are illegal.</summary>
    private DecodedInsn Decode(uint word)
    {
        var decoded = Rv32Decoder.Decode(word);
        if (!_withM && decoded.Op is >= Rv32Op.Mul and <= Rv32Op.Remu)
            decoded.Op = Rv32Op.Illegal;
        return decoded;
    }

    /// <summary>CSRs whose value the RTL may legally differ on (counters, time, mip).</summary>
    private static bool IsNondeterministicCsr(uint address) =>
        address is Csr.Mcycle or Csr.Mcycleh or Csr.Cycle or Csr.Cycleh or Csr.Time or Csr.Timeh or Csr.Mip;

    private bool TryReadCsr(uint address, out uint value)
    {
        if (!_csrs.Contains(address))
        {
            value = 0;
            return false;
        }
        switch (address)
        {
            case Csr.Mstatus: value = _mstatus | Csr.MstatusMpp; return true;
            case Csr.Misa: value = _withM ? Csr.MisaValue : Csr.MisaValueWithoutM; return true;
            case Csr.Mie: value = _mie; return true;
            case Csr.Mtvec: value = _mtvec; return true;
            case Csr.Mscratch: value = _mscratch; return true;
            case Csr.Mepc: value = _mepc; return true;
            case Csr.Mcause: value = _mcause; return true;
            case Csr.Mtval: value = _mtval; return true;
            case Csr.Mip: value = _mtime >= _mtimecmp ? Csr.Mti : 0; return true;
            case Csr.Mcycle:
            case Csr.Cycle: value = (uint)_cycle; return true;
            case Csr.Mcycleh:
            case Csr.Cycleh: value = (uint)(_cycle >> 32); return true;
            case Csr.Minstret:
            case Csr.Instret: value = (uint)_instret; return true;
            case Csr.Minstreth:
            case Csr.Instreth: value = (uint)(_instret >> 32); return true;
            case Csr.Time: value = (uint)_mtime; return true;
            case Csr.Timeh: value = (uint)(_mtime >> 32); return true;
            case Csr.Menvcfg:
            case Csr.Menvcfgh:
            case Csr.Mstatush:
            case Csr.Mcountinhibit:
            case Csr.Mvendorid:
            case Csr.Marchid:
            case Csr.Mimpid:
            case Csr.Mhartid:
            case Csr.Mconfigptr:
                value = 0;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>A write to a writable CSR address (the caller has rejected read-only ones).</summary>
    private void WriteCsr(uint address, uint value)
    {
        switch (address)
        {
            case Csr.Mstatus:
                _mstatus = value & (Csr.MstatusMie | Csr.MstatusMpie);
                UpdateIrqThreshold();
                break;
            case Csr.Mie:
                _mie = value & (Csr.Msi | Csr.Mti | Csr.Mei);
                UpdateIrqThreshold();
                break;
            case Csr.Mtvec:
                _mtvec = _core.LegalMtvec(value);
                break;
            case Csr.Mscratch:
                _mscratch = value;
                break;
            case Csr.Mepc:
                _mepc = value & ~3u;
                break;
            case Csr.Mcause:
                _mcause = value & _mcauseMask;
                break;
            case Csr.Mtval:
                _mtval = value;
                break;
            // The write replaces the instruction's increment of the whole counter: the half written holds
            // the value written, the other half keeps its value (the retire code adds one, so store one less).
            case Csr.Mcycle:
                _cycle = WithLowHalf(_cycle, value) - 1;
                break;
            case Csr.Mcycleh:
                _cycle = WithHighHalf(_cycle, value) - 1;
                break;
            case Csr.Minstret:
                _instret = WithLowHalf(_instret, value) - 1;
                break;
            case Csr.Minstreth:
                _instret = WithHighHalf(_instret, value) - 1;
                break;
            // misa (WARL, fixed), mip (MTIP is read-only; MSIP/MEIP are not wired), mstatush,
            // menvcfg/menvcfgh and mcountinhibit are read-only zero or fixed: writes are ignored.
            default:
                break;
        }
    }

    private static ulong WithLowHalf(ulong counter, uint low) => (counter & 0xFFFF_FFFF_0000_0000) | low;

    private static ulong WithHighHalf(ulong counter, uint high) => ((ulong)high << 32) | (uint)counter;
}
