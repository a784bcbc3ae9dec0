using HwGen.Designs.Common;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// A small RV32I core with Zicsr and machine-mode traps that runs one instruction at a time
/// (<see cref="CoreMicroarchitecture.MultiCycle"/>): it fetches a word, reads its registers from block RAM, executes
/// it, and for a load or store waits for the data bus, then fetches the next. The same ports as <see cref="Core"/>
/// (the two <see cref="SystemBus"/> masters, the timer, the retirement trace), so an SoC, the interconnect, the trace
/// table and lockstep co-simulation take either.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>state</term><description>what happens</description></listheader>
/// <item><term>Fetch</term><description>presents the fetch of the word at pc until the instruction bus takes it</description></item>
/// <item><term>FetchWait</term><description>waits for the word; in the cycle it arrives it is decoded and registered (and held, with CSRs) and its rs1 and rs2 fields address the register file's two block RAMs (synchronous read)</description></item>
/// <item><term>Execute</term><description>the word's controls (decoded as it arrived) and the registers read: takes the timer interrupt before it, or traps (the exceptions of the word itself), or computes the result and retires; a load or store holds its address (from the adder) and goes to Memory, a jump holds its target and goes to Jump, a branch holds the difference of its operands, registers their order and goes to Branch, a shift holds rs1 and goes to Shift</description></item>
/// <item><term>Branch</term><description>beq and bne compare the held difference with 0, the others take the registered order; not taken: retires; taken: holds the target (pc + offset, from the adder) and goes to Jump</description></item>
/// <item><term>Jump</term><description>a misaligned held target traps; else writes the link (pc + 4, from the adder) and retires to the target</description></item>
/// <item><term>Shift</term><description>shifts the held value by 1 a cycle and retires when no shift remains (at most 32 cycles)</description></item>
/// <item><term>Memory</term><description>a misaligned held address traps; else presents the load or store until the data bus takes it (no interrupt meanwhile)</description></item>
/// <item><term>MemoryWait</term><description>waits for the response; retires in its cycle (an error response: a load or store access fault)</description></item>
/// </list>
/// An instruction retires in one cycle: the register write, the retirement record, the CSR write and the pc. In that
/// cycle the next fetch is presented from pc + 4 or from the held target (in Jump); after mret, a trap or the
/// interrupt (their pc read from mepc or mtvec through the CSR unit's read port) it is presented from Fetch. The data
/// bus's request comes from the held address. So the interconnect's decoding and the memory's address are never in
/// series with the ALU's carry chain: with no wait states an ALU instruction takes two cycles, a jump (jal, jalr), a
/// branch not taken, mret or a trap three, a taken branch four, a load or store four, a shift by n two plus
/// n + 1. Between the register write and the next read of the register file there is always a cycle, so
/// the register file needs no bypass. Register x0 is never written and its block RAM words start at 0. Without
/// <see cref="CoreConfig.Counters"/> the counter CSRs are illegal and synthesis removes them.
/// <para>The CSRs are <see cref="ControlStatusRegisters"/> (none with <see cref="CsrSet.None"/>: then a trap leaves the
/// pc on the instruction, which is fetched again and traps again), the decoder is <see cref="Decoder"/> (RV32I and the
/// machine-mode system instructions) and one adder adds for everything (results, addresses, jump and branch targets,
/// links); the comparisons come from its subtraction (equality: the difference is 0; slti and sltiu subtract through
/// ~rs1 + immediate), the logic operations beside it. Its operands' and the result's selects are registers set as the
/// word arrives and as Execute goes on to Branch or Jump, so that each operand bit is one LUT and the result an AND-OR.
/// One more adder forms pc + 4 (in Fetch and FetchWait pc + 0: the fetch address is the onward pc in every state). One
/// 32-bit register holds the word in Execute (an illegal one's mtval; with CSRs only), then the address, the target or
/// the shifted value, so the misaligned checks and mtval read registered values; a CSR instruction's address is its
/// registered immediate, so the instruction register serves the retirement record alone; the load and store lanes are
/// <see cref="LoadStoreLanes"/>. Exceptions, their priority, mtval and the trace follow <see cref="Core"/>: an
/// instruction access fault (the fetch answered with an error), an illegal instruction (unless <see cref="TrapsIllegalWords"/> is false), <c>ecall</c>, <c>ebreak</c>, a
/// misaligned jump or branch target, a misaligned load or store, a load or store access fault (the data bus answered
/// with an error).</para>
/// <para>A core without CSRs whose code range (<see cref="CoreConfig.CodeBase"/>, <see cref="CoreConfig.CodeSize"/>) is a
/// power of two aligned to its size keeps in its pc only the word index within the range (<see cref="CodeBits"/>): the
/// range's bits above it are constants in the fetch address and the adder's operand, and pc + 4 is a narrow adder. Every
/// executable region must lie in the range: a jump or taken branch to a target outside it, or pc + 4 carrying out of
/// it, sets a flag instead of the pc, and from then on the core fetches nothing: it takes each word as fetched with an
/// error, so it stops on the target with an instruction access fault, as it would have when the bus answered its fetch
/// with an error. The retirement record's pc comes from a full-width copy that only the record reads.</para>
/// <para>The address of a fetch or of a load or store stays on the bus until the response: the onward pc is the
/// fetched word's in FetchWait and the held address in MemoryWait, so a RAM that takes two cycles an access
/// (<see cref="Ice40.SpramWordRam"/> with <c>addressHeld</c>) needs no copy of it.</para>
/// </remarks>
public sealed class MultiCycleCore : Module, IRiscvCore
{
    /// <param name="config">The core's configuration (<see cref="CoreMicroarchitecture.MultiCycle"/>).</param>
    /// <param name="storeValueUnplaced">
    /// The data bus's write data is rs2 as it is (<see cref="StoreValueUnplaced"/>), not the store's word with the byte or
    /// halfword in every lane.
    /// </param>
    /// <param name="trapsIllegalWords">
    /// false: the core runs only words of its decoder table and does not look for others (<see cref="TrapsIllegalWords"/>);
    /// only for a core without CSRs.
    /// </param>
    /// <param name="readDataQuiet">
    /// The data bus's read data is 0 whenever the core waits for no response on either bus (<see cref="ReadDataQuiet"/>).
    /// </param>
    /// <exception cref="ArgumentException">The configuration is not a multi-cycle one; the reset PC lies outside the code range; <paramref name="trapsIllegalWords"/> is false for a core with CSRs.</exception>
    public MultiCycleCore(CoreConfig config, bool storeValueUnplaced = false, bool trapsIllegalWords = true, bool readDataQuiet = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Microarchitecture != CoreMicroarchitecture.MultiCycle)
            throw new ArgumentException($"a multi-cycle core is built from a configuration with Microarchitecture = {CoreMicroarchitecture.MultiCycle}, not {config.Microarchitecture}", nameof(config));
        if (!trapsIllegalWords && config.Csrs != CsrSet.None)
            throw new ArgumentException($"a core with the {config.Csrs} CSRs traps on illegal words to its handler: only a core without CSRs (CsrSet.None) may leave them unchecked", nameof(trapsIllegalWords));
        Config = config;
        StoreValueUnplaced = storeValueUnplaced;
        TrapsIllegalWords = trapsIllegalWords;
        ReadDataQuiet = readDataQuiet;
        if (!readDataQuiet)
            takesLoaded = Reg(1);
        // An illegal word traps before its controls are used: they need be right for the table's words alone.
        decoder = new Decoder(DecoderTable.For(config), controlsForLegalWordsOnly: true);
        // Without CSRs (CsrSet.None) there is no CSR unit: the decoder knows no CSR instruction nor mret.
        csrs = config.Csrs == CsrSet.None ? null : new ControlStatusRegisters(config);
        CodeBits = CodeBitsFor(config);
        if (CodeBits < 32 && ((config.ResetPc ^ config.CodeBase) >> CodeBits) != 0)
            throw new ArgumentException($"the reset PC 0x{config.ResetPc:X8} lies outside the code range 0x{config.CodeBase:X8} + 0x{config.CodeSize:X}", nameof(config));
        pc = Reg(CodeBits - 2, reset: (config.ResetPc & (uint)((1UL << CodeBits) - 1)) >> 2);
        if (CodeBits < 32)
            outside = Reg(1, reset: 0);
        tracedPc = Reg(32, reset: config.ResetPc);
        // Register x0 is never written: its words must read 0 from configuration on.
        var zeros = new ulong[32];
        bank1 = Mem(32, 32, zeros);
        bank2 = Mem(32, 32, zeros);
        bank1.ReadDuringWrite = ReadDuringWrite.Undefined;
        bank2.ReadDuringWrite = ReadDuringWrite.Undefined;
        read1 = bank1.ReadPort();
        read2 = bank2.ReadPort();
        write1 = bank1.WritePort();
        write2 = bank2.WritePort();
    }

    public CoreConfig Config { get; }

    /// <summary>
    /// The data bus's write data is the store's value as it is (rs2: a byte or halfword in its low bits), not its word
    /// with the value in every lane (<see cref="LoadStoreLanes.StoreData"/>): for a system whose memories place the
    /// bytes by the byte enables themselves and whose devices take their registers from the low bits. The retirement
    /// record keeps the word.
    /// </summary>
    [Parameter]
    public bool StoreValueUnplaced { get; }

    /// <summary>
    /// An illegal word (one no row of the decoder table matches) traps (true, the default). false: the core is built for
    /// code that has none, the RV32I words of its own firmware (the PEX's, whose RAM and boot ROM only it and its boot
    /// loader write): the decoder's full match of every row (the 32-bit compares of <c>ecall</c> and <c>ebreak</c>, funct7
    /// of the register forms) goes, and an illegal word runs as whatever its controls, decoded from fewer bits
    /// (<see cref="Decoder"/>'s controls for legal words only), say. A core without CSRs stops on a trap, so there is no
    /// handler that could have served one.
    /// </summary>
    [Parameter]
    public bool TrapsIllegalWords { get; }

    /// <summary>
    /// The data bus's read data is 0 in every cycle in which the core waits for no response (it may carry a fetch's word
    /// while the core waits for that): for a system whose interconnect gives a device's read data only in the cycle of
    /// its answer (<see cref="Soc.Interconnect"/>: quiet devices, and the others behind registered read selects). The
    /// result is written in such a cycle, or from a load's response: the word loaded joins the result's AND-OR without a
    /// select of its own (a word of 0 loads as 0 at every size and offset). false (the default): it is selected.
    /// </summary>
    [Parameter]
    public bool ReadDataQuiet { get; }

    [Parameter]
    public uint ResetPc => Config.ResetPc;

    [Parameter]
    public CoreMicroarchitecture Microarchitecture => Config.Microarchitecture;

    /// <summary>
    /// The address bits the pc keeps (32: all). A core without CSRs (<see cref="CsrSet.None"/>) whose code range
    /// (<see cref="CoreConfig.CodeBase"/>, <see cref="CoreConfig.CodeSize"/>) is a power of two aligned to its size keeps
    /// the bits that vary inside it (the others are the range's), and fetches nothing outside it (see the remarks).
    /// </summary>
    [Parameter]
    public int CodeBits { get; }

    /// <summary>
    /// The address bits the pc of a core built from <paramref name="config"/> keeps (see <see cref="CodeBits"/>): log2 of
    /// the code range's size, for a core without CSRs whose range is a power of two (at least a word) aligned to its
    /// size; else 32.
    /// </summary>
    public static int CodeBitsFor(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Csrs == CsrSet.None ? CoreConfig.CodeBitsOf(config.CodeBase, config.CodeSize) : 32;
    }

    /// <summary>The instruction bus: word fetches, one at a time.</summary>
    public readonly SystemBus Instr = Out(new SystemBus());

    /// <summary>The data bus: loads and stores, one at a time.</summary>
    public readonly SystemBus Data = Out(new SystemBus());

    /// <summary>The machine timer's interrupt request and its count (mip.MTIP, the time CSR).</summary>
    public readonly Signal TimerInterrupt = In(1);
    public readonly Signal Mtime = In(64);

    /// <summary>One record per retired (or trapping) instruction (see <see cref="RetirementTrace"/>).</summary>
    public readonly RetirementTrace Trace = Out(new RetirementTrace(RetirementFields.Table));

    /// <summary>
    /// The value of the registered <see cref="DecodedInstruction.OperandA"/> that no row of the decoder table gives:
    /// ~rs1 (slti and sltiu compare through ~rs1 + immediate). The register holds the first operand as this core takes
    /// it: jalr's rs1 (not the table's pc, which the pipelined core's link takes), Zero for a CSR instruction's immediate,
    /// the pc in Branch and Jump.
    /// </summary>
    public const int InvertedRs1 = 3;

    /// <summary>The states of the sequencer (see the remarks).</summary>
    public enum State
    {
        Fetch = 0,
        FetchWait = 1,
        Execute = 2,
        Shift = 3,
        Memory = 4,
        MemoryWait = 5,
        Branch = 6,
        Jump = 7,
    }

    private readonly Decoder decoder;
    /// <summary>The instruction's control values, decoded from the word as it arrives (Illegal: an unimplemented CSR too).</summary>
    private readonly DecodedInstruction decoded = Reg(new DecodedInstruction());
    private readonly ControlStatusRegisters? csrs;
    private readonly Signal state = Reg(3, reset: (int)State.Fetch);
    /// <summary>The state is neither Fetch nor FetchWait (the pc's adder adds 4).</summary>
    private readonly Signal stepping = Reg(1, reset: 0);
    /// <summary>The pc's word index within the code range (<see cref="CodeBits"/>: bits CodeBits - 1 .. 2 of the address).</summary>
    private readonly Signal pc;
    /// <summary>The pc lies outside the code range (a narrowed pc only): no fetch, every word fetched there faults.</summary>
    private readonly Signal? outside;
    /// <summary>The pc as a full address, for the retirement record alone (it differs from the pc's only outside the code range).</summary>
    private readonly Signal tracedPc;
    /// <summary>The instruction word (for the retirement record alone), and whether its fetch was answered with an error.</summary>
    private readonly Signal instruction = Reg(32);
    private readonly Signal fetchFault = Reg(1);
    /// <summary>The held value: the word in Execute, a load's or store's address, a jump's or taken branch's target, the shift's operand as it is shifted; and the amount of the shift that remains.</summary>
    private readonly Signal held = Reg(32);
    private readonly Signal shiftCount = Reg(5);
    /// <summary>blt, bge, bltu or bgeu in Branch is taken (its comparison, registered in Execute).</summary>
    private readonly Signal branchTakenReg = Reg(1);
    /// <summary>An interrupt was taken: the next record is the handler's first instruction.</summary>
    private readonly Signal afterInterrupt = Reg(1, reset: 0);
    /// <summary>
    /// The adder's second operand's selects, registered so that each bit of B is one LUT of two sources and two
    /// flip-flops: rs2 (registerB 1; selectB 1: inverted), or the immediate or 0 (selectB 1: the immediate). Set as the
    /// word arrives and as Execute goes on to Branch or Jump, as the decoded first operand is (see
    /// <see cref="InvertedRs1"/>).
    /// </summary>
    private readonly Signal registerB = Reg(1);
    private readonly Signal selectB = Reg(1);
    /// <summary>The adder's carry-in: 1 for ~rs2 (A - B), and for the link in Jump (pc + 3 + 1).</summary>
    private readonly Signal carryIn = Reg(1);
    /// <summary>
    /// The result's selects, registered as the word arrives: the logic operation (logicHigh, logicLow: 00 none, 01 xor,
    /// 10 or, 11 and), the sum, the held value (a shift), the word loaded.
    /// </summary>
    private readonly Signal logicHigh = Reg(1);
    private readonly Signal logicLow = Reg(1);
    private readonly Signal takesSum = Reg(1);
    private readonly Signal takesHeld = Reg(1);
    /// <summary>The result takes the word loaded (without <see cref="ReadDataQuiet"/>: with it the word needs no select).</summary>
    private readonly Signal? takesLoaded;
    /// <summary>The number of the next retirement record.</summary>
    private readonly Signal order = Reg(64, reset: 0);
    private readonly Memory bank1;
    private readonly Memory bank2;
    private readonly MemoryReadPort read1;
    private readonly MemoryReadPort read2;
    private readonly MemoryWritePort write1;
    private readonly MemoryWritePort write2;

    protected override void Build()
    {
        Expr In(State s) => state.Eq((int)s);
        // The word is decoded as it arrives (the decoder is not in series with Execute's arithmetic).
        var d = decoded;
        var word = Instr.ReadData;
        decoder.Instruction.Set(word);

        // The register file: read in the cycle the word arrives, from the word on the bus.
        var arrives = (In(State.FetchWait) & Instr.ResponseValid).Named("arrives");
        read1.Address.Set(Instr.ReadData[19, 15]);
        read2.Address.Set(Instr.ReadData[24, 20]);
        read1.Enable.Set(arrives);
        read2.Enable.Set(arrives);
        var rs1 = read1.Data;
        var rs2 = read2.Data;

        var executing = In(State.Execute);
        var jumping = In(State.Jump);
        // jal and jalr: ControlTransfer.Jal and Jalr are the two with bit 1 set.
        var isJump = d.Transfer[1].Named("isJump");
        var isBranch = d.Transfer.Eq((int)ControlTransfer.Branch).Named("isBranch");
        var isShift = d.Result.Eq((int)ResultSource.Shift).Named("isShift");
        var isCsr = (csrs is null ? U(0, 1) : d.System.Eq((int)SystemOp.Csr)).Named("isCsr");
        var csrImmediate = (isCsr & d.Funct3[2]).Named("csrImmediate");
        // A CSR instruction's rs1 field (its 5-bit immediate, or its source register's number: 0 writes nothing), read
        // in Execute from the held word; the decoded copy serves the retirement record alone.
        var csrSource = held[19, 15].Named("csrSource");

        // The one adder's operands, each one LUT a bit: a multiplexer of two sources and their inverse or 0, its two
        // selects registers (the decoded OperandA; registerB and selectB). A: the pc (auipc, jal's target, a taken branch's target in Branch;
        // in Jump with its low bits 1 for the link), 0 (lui; with CSRs the CSR instructions' 5-bit immediate, the CSR
        // unit's operand), rs1, or ~rs1 (slti and sltiu: they compare through ~rs1 + immediate). B: 0 (a shift: the sum
        // is rs1, the shift's start; the link in Jump: pc + 3 + carry-in 1), the immediate (immediate forms, load and
        // store addresses, the jumps' and branches' targets), rs2, or ~rs2 (sub, slt, sltu, the branches' comparison in
        // Execute: the carry-in is 1).
        var resolving = In(State.Branch).Named("resolving");
        // The pc as an address: the code range's fixed bits above its word index.
        Expr Address(Expr word) => CodeBits == 32 ? Cat(word, U(0, 2)) : Cat(U(Config.CodeBase >> CodeBits, 32 - CodeBits), word, U(0, 2));
        var pcAddress = Address(pc).Named("pcAddress");
        var smallA = Cat(U(0, 27), Mux(csrImmediate, csrSource, U(0, 5))).Named("smallA");
        var invertA = (d.UseImmediate & d.Result.Eq((int)ResultSource.Compare)).Named("invertA");
        // OperandA: Rs1 (0), Pc (1), Zero (2), InvertedRs1 (3).
        var pcOrLink = Cat(pcAddress[31, 2], jumping.Replicate(2)).Named("pcOrLink");
        var operandA = Mux(d.OperandA[1], Mux(d.OperandA[0], ~rs1, smallA), Mux(d.OperandA[0], pcOrLink, rs1)).Named("operandA");
        var addend = Mux(registerB, rs2 ^ selectB.Replicate(32), d.Immediate & selectB.Replicate(32)).Named("addend");
        // The one adder: A + B + carry-in (1: B is ~rs2, or the link in Jump), the carry-in riding below the operands'
        // lowest bit.
        var wide = (Cat(U(0, 1), operandA, U(1, 1)) + Cat(U(0, 1), addend, carryIn)).Named("wide");
        var sum = wide[32, 1].Named("sum");
        // The comparisons from the adder's carry out and the operands' signs: A - B as A + ~B + 1 (unsigned less: no
        // carry out; signed less: the 33rd bit of the sign-extended sum, A's sign ^ ~B's sign ^ the carry out), or for
        // slti and sltiu B - A - 1 as ~A + B (less: its carry out, the 33rd bit 0). Equal: the difference is 0.
        var carryOut = wide[33].Named("carryOut");
        var lessUnsigned = (~carryOut ^ invertA).Named("lessUnsigned");
        var lessSigned = (operandA.Msb ^ addend.Msb ^ carryOut ^ invertA).Named("lessSigned");

        // Branches: blt, bge, bltu and bgeu (funct3 bit 2 set) register their comparison in Execute; beq and bne compare
        // in Branch the difference held in Execute with 0 (not after the carry chain). pc + 4 from the pc's own adder.
        var ordered = (Mux(d.Funct3[1], lessUnsigned, lessSigned) ^ d.Funct3[0]).Named("ordered");
        var branchTaken = Mux(d.Funct3[2], branchTakenReg, ~held.Any() ^ d.Funct3[0]).Named("branchTaken");
        // The pc's own adder: pc + 4, or in Fetch and FetchWait pc + 0, the word Fetch presents (no multiplexer in
        // front of the fetch address beside the jump's target). Its 4 comes from a register of its own (stepping: the
        // state is neither Fetch nor FetchWait, so the fetch's address stays on the bus until its word arrives), not
        // from the state's decoding in front of the carry chain. It adds word indices; its carry out of a narrowed pc
        // leaves the code range.
        var fetching = In(State.Fetch);
        int indexBits = CodeBits - 2;
        var stepped = (pc.ZeroExtend(indexBits + 1) + stepping.ZeroExtend(indexBits + 1)).Named("stepped");
        var sequential = stepped[indexBits - 1, 0].Named("sequential");
        var takenNow = (resolving & branchTaken).Named("takenNow");

        // The held value: the word as it arrives (mtval of an illegal one), a load's or store's address, a jump's or
        // taken branch's target (bit 0 cleared), the shift's operand.
        var size = d.Funct3[1, 0];
        var offset = held[1, 0];
        var memoryAccess = (d.Load | d.Store).Named("memoryAccess");

        // Exceptions, in the order of priority of the privileged specification. The ones of the instruction word are
        // taken in Execute; a misaligned address in Memory, a jump's or taken branch's misaligned target in Jump, both
        // from the held value.
        var illegal = (~fetchFault & d.Illegal).Named("illegal");
        var ecall = d.System.Eq((int)SystemOp.Ecall);
        var ebreak = d.System.Eq((int)SystemOp.Ebreak);
        var wordException = (fetchFault | illegal | ecall | ebreak).Named("wordException");
        var interrupt = (csrs is null ? U(0, 1) : executing & csrs.InterruptPending).Named("interrupt");
        var proceeds = (executing & ~interrupt & ~wordException).Named("proceeds");
        var addressing = In(State.Memory).Named("addressing");
        var dataMisaligned = ((size.Eq(1) & offset[0]) | (size.Eq(2) & offset.Any())).Named("dataMisaligned");
        var memoryMisaligned = (addressing & dataMisaligned).Named("memoryMisaligned");
        var jumpMisaligned = (jumping & held[1]).Named("jumpMisaligned");
        var trapHere = ((executing & ~interrupt & wordException) | memoryMisaligned | jumpMisaligned).Named("trapHere");

        var cause = Wire(4, @default: 0).Named("cause");
        When(fetchFault, () => cause.Set((int)TrapCause.InstructionAccessFault))
        .ElseWhen(illegal, () => cause.Set((int)TrapCause.IllegalInstruction))
        .ElseWhen(ecall, () => cause.Set((int)TrapCause.MachineEcall))
        .ElseWhen(ebreak, () => cause.Set((int)TrapCause.Breakpoint))
        .ElseWhen(In(State.MemoryWait), () => cause.Set(Mux(d.Store, U((int)TrapCause.StoreAccessFault, 4), U((int)TrapCause.LoadAccessFault, 4))))
        .ElseWhen(addressing, () => cause.Set(Mux(d.Store, U((int)TrapCause.StoreAddressMisaligned, 4), U((int)TrapCause.LoadAddressMisaligned, 4))))
        .Otherwise(() => cause.Set((int)TrapCause.InstructionAddressMisaligned));

        // The data bus: presented from Memory, with the address registered in Execute (its word index shared with the
        // fetch address, below).
        var request = (addressing & ~dataMisaligned).Named("request");
        var lanes = LoadStoreLanes.Lanes(size, offset).Named("lanes");
        var storeData = LoadStoreLanes.StoreData(size, rs2).Named("storeData");
        Data.Valid.Set(request);
        Data.Write.Set(d.Store);
        Data.ByteEnable.Set(lanes);
        Data.WriteData.Set(StoreValueUnplaced ? rs2 : storeData);
        var responded = (In(State.MemoryWait) & Data.ResponseValid).Named("responded");
        var accessFault = (responded & Data.Error).Named("accessFault");
        var loaded = LoadStoreLanes.Loaded(d.Funct3, offset, Data.ReadData).Named("loaded");

        // The shift: 1 bit a cycle.
        var shiftLeft = d.AluOp.Eq((int)AluOp.Sll).Named("shiftLeft");
        var shiftFill = (d.AluOp.Eq((int)AluOp.Sra) & rs1.Msb).Named("shiftFill");
        var shifting = In(State.Shift);
        var shiftDone = (shifting & ~shiftCount.Any()).Named("shiftDone");
        When(proceeds | takenNow, () =>
        {
            held.Set(Cat(sum[31, 1], sum[0] & ~isJump));
            shiftCount.Set(Mux(d.UseImmediate, d.Immediate[4, 0], rs2[4, 0]));
        }).ElseWhen(shifting, () =>
        {
            held.Set(Mux(shiftLeft, Cat(held[30, 0], U(0, 1)), Cat(shiftFill, held[31, 1])));
            shiftCount.Set(shiftCount - 1);
        });
        // The word (FetchWait, no other state's), for an illegal one's mtval and a CSR instruction's rs1 field: a core
        // without CSRs has neither.
        if (csrs is not null)
            When(arrives, () => held.Set(word));

        // Retirement: an instruction that needs no more cycles, a shift that is done, a load's or store's response, a
        // branch not taken, a jump (a taken branch's too).
        var completes = (proceeds & ~memoryAccess & ~isShift & ~isBranch & ~isJump).Named("completes");
        var resolves = (resolving & ~branchTaken).Named("resolves");
        var jumps = (jumping & ~held[1]).Named("jumps");
        var loadedOrStored = (responded & ~accessFault).Named("loadedOrStored");
        var retires = (completes | trapHere | shiftDone | responded | resolves | jumps).Named("retires");
        var trap = (trapHere | accessFault).Named("trap");
        var isMret = (csrs is null ? U(0, 1) : d.System.Eq((int)SystemOp.Mret)).Named("isMret");

        // The result, an AND-OR of its sources with selects decoded from the registered controls: the logic operations
        // (one LUT a bit, A and B and two selects: 0, xor, or, and), the sum (the other ALU operations, lui, auipc, the
        // link in Jump), the held value (a shift), the word loaded (as it is with ReadDataQuiet), slt's and sltu's comparison (bit 0: unsigned), the
        // CSR read.
        var logic = Mux(logicHigh, Mux(logicLow, operandA & addend, operandA | addend), Mux(logicLow, operandA ^ addend, U(0, 32))).Named("logic");
        var compared = (d.Result.Eq((int)ResultSource.Compare) & Mux(d.AluOp[0], lessUnsigned, lessSigned)).Named("compared");
        Expr fromCsr = csrs is null ? U(0, 32) : csrs.ReadData & d.Result.Eq((int)ResultSource.Csr).Replicate(32);
        Expr fromLoaded = takesLoaded is null ? loaded : loaded & takesLoaded.Replicate(32);
        var result = (logic | (sum & takesSum.Replicate(32)) | (held & takesHeld.Replicate(32)) | fromLoaded
            | compared.ZeroExtend(32) | fromCsr).Named("result");
        var writes = ((completes | shiftDone | loadedOrStored | jumps) & d.WritesRd).Named("writes");
        write1.Address.Set(d.Rd);
        write1.Data.Set(result);
        write1.Enable.Set(writes);
        write2.Address.Set(d.Rd);
        write2.Data.Set(result);
        write2.Enable.Set(writes);

        // The CSRs: accessed by a CSR instruction that retires without a trap; a trap or the interrupt is recorded.
        var arrivingCsr = decoder.Decoded.System.Eq((int)SystemOp.Csr);
        var arrivingCsrWrite = decoder.Decoded.Funct3[1, 0].Eq(0b01) | decoder.Decoded.Rs1.Any();
        var arrivingIllegal = (csrs is null
            ? (TrapsIllegalWords ? decoder.Decoded.Illegal : U(0, 1))
            : decoder.Decoded.Illegal | (arrivingCsr & ControlStatusRegisters.IsIllegal(word[31, 20], arrivingCsrWrite, Config))).Named("arrivingIllegal");
        // The onward pc's word index is the held value's in Memory too (no fetch there, and it leaves Memory only by a
        // trap, which keeps the pc): the data bus's word index is the same signal, so the interconnect's choice between
        // the two masters' offsets for a port they share (the RAM, the boot ROM) is no choice.
        // In MemoryWait it stays the held address until the response, as the pc stays in FetchWait: the address of an
        // access stays on the bus until it is answered.
        var holdsAddress = (jumping | addressing | (In(State.MemoryWait) & ~Data.ResponseValid)).Named("holdsAddress");
        var onward = Mux(holdsAddress, held[CodeBits - 1, 2], sequential).Named("onward");
        Data.Address.Set(CodeBits == 32 ? Cat(onward, U(0, 2)) : Cat(held[31, CodeBits], onward, U(0, 2)));
        // The onward pc leaves the code range (a narrowed pc only): the held target's bits above the range are not the
        // range's, or pc + 4 carries out of it.
        var onwardOutside = (outside is null ? U(0, 1)
            : Mux(jumping, ~held[31, CodeBits].Eq(U(Config.CodeBase >> CodeBits, 32 - CodeBits)), stepped[indexBits])).Named("onwardOutside");
        var pcOutside = outside ?? U(0, 1);
        Expr nextPc;
        Expr tracedNextPc;
        if (csrs is null)
        {
            // No CSRs: a trap stops the core on the instruction (the pc stays, it is fetched and traps again).
            nextPc = Mux(trap, pc, onward).Named("nextPc");
            tracedNextPc = Mux(trap, tracedPc, Mux(jumping, held, tracedPc + U(4, 32))).Named("tracedNextPc");
        }
        else
        {
            ConnectCsrs(csrs);
            // The next pc: the trap vector (mtvec) or mepc are read through the CSR unit's read port (its select forced
            // to the one register), else the onward pc: pc + 4, or the held target of a jump or taken branch (in Jump).
            var fromCsrs = (interrupt | trap | isMret).Named("fromCsrs");
            tracedNextPc = Mux(fromCsrs, csrs.ReadData, Address(onward)).Named("tracedNextPc");
            nextPc = tracedNextPc[31, 2];
        }

        void ConnectCsrs(ControlStatusRegisters csrs)
        {
            var csrWrite = (d.Funct3[1, 0].Eq(0b01) | csrSource.Any()).Named("csrWrite");
            // mtval: the pc (an unfetched word, ebreak), 0 (ecall), or the held value: the word (illegal, in Execute), the
            // address or target (in Memory, MemoryWait and Jump). An illegal word comes before ebreak and ecall: its
            // controls may say either.
            var trapValue = Wire(32, @default: 0).Named("trapValue");
            When(fetchFault, () => trapValue.Set(pcAddress))
            .ElseWhen(illegal, () => trapValue.Set(held))
            .ElseWhen(ebreak, () => trapValue.Set(pcAddress))
            .ElseWhen(ecall, () => trapValue.Set(0))
            .Otherwise(() => trapValue.Set(held));
            var toVector = (interrupt | trap).Named("toVector");
            var returns = (proceeds & isMret).Named("returns");
            csrs.Access.Set(proceeds & isCsr);
            // A CSR instruction's immediate is its CSR address (bits 31..20 of the word).
            var csrAddress = d.Immediate[11, 0];
            csrs.Address.Set(csrAddress);
            csrs.Op.Set(d.Funct3[1, 0]);
            // A trap or the interrupt reads mtvec, mret reads mepc (the next pc, below), a CSR instruction its register.
            var mtvecOnly = U(1UL << ControlStatusRegisters.SelectBit(CsrAddress.Mtvec), ControlStatusRegisters.ReadSources.Count);
            var mepcOnly = U(1UL << ControlStatusRegisters.SelectBit(CsrAddress.Mepc), ControlStatusRegisters.ReadSources.Count);
            csrs.Select.Set(Mux(toVector, mtvecOnly, Mux(isMret, mepcOnly, ControlStatusRegisters.ReadSelect(csrAddress, Config))));
            csrs.Operand.Set(operandA);
            csrs.Write.Set(csrWrite);
            csrs.Trap.Set(trap);
            csrs.TrapCause.Set(cause);
            csrs.TrapPc.Set(pcAddress);
            csrs.TrapValue.Set(trapValue);
            csrs.Return.Set(returns);
            csrs.Interrupt.Set(interrupt);
            csrs.Retired.Set(retires & ~trap);
            csrs.TimerPending.Set(TimerInterrupt);
            csrs.Mtime.Set(Mtime);
        }

        // Fetch: the next word is requested in the cycle of the retirement from the onward pc, else from Fetch (after
        // mret, a trap, the interrupt, or a retirement the bus did not take), where the onward pc is the pc itself.
        var leaves = (retires | interrupt).Named("leaves");
        var ahead = ((completes & ~isMret) | shiftDone | loadedOrStored | resolves | jumps).Named("ahead");
        var fetchesAhead = (ahead & ~onwardOutside).Named("fetchesAhead");
        Instr.Valid.Set((fetching & ~pcOutside) | fetchesAhead);
        Instr.Address.Set(Address(onward));
        Instr.Write.Set(0);
        Instr.ByteEnable.Set(0b1111);
        Instr.WriteData.Set(0);

        When(leaves, () =>
        {
            pc.Set(nextPc);
            tracedPc.Set(tracedNextPc);
            // A trap keeps the pc, inside the code range or outside it; without CSRs every other departure is ahead.
            outside?.Set(Mux(trap, outside, onwardOutside));
            state.Set(Mux(fetchesAhead & Instr.Ready, U((int)State.FetchWait, 3), U((int)State.Fetch, 3)));
            stepping.Set(0);
        }).ElseWhen(fetching & pcOutside, () =>
        {
            // Outside the code range nothing is fetched: the word is taken as fetched with an error.
            instruction.Set(0);
            fetchFault.Set(1);
            state.Set((int)State.Execute);
            stepping.Set(1);
        }).ElseWhen(fetching & Instr.Ready, () => state.Set((int)State.FetchWait))
        .ElseWhen(arrives, () =>
        {
            // An unfetched word is recorded as 0.
            instruction.Set(Mux(Instr.Error, U(0, 32), word));
            decoded.Set(decoder.Decoded);
            decoded.Illegal.Set(arrivingIllegal);
            fetchFault.Set(Instr.Error);
            state.Set((int)State.Execute);
            stepping.Set(1);
            SelectOperands(decoder.Decoded);
        }).ElseWhen(proceeds & isShift, () => state.Set((int)State.Shift))
        .ElseWhen(proceeds & isBranch, () =>
        {
            state.Set((int)State.Branch);
            // The target: pc + immediate.
            decoded.OperandA.Set((int)OperandA.Pc);
            registerB.Set(0);
            selectB.Set(1);
            carryIn.Set(0);
        })
        .ElseWhen(proceeds & memoryAccess, () => state.Set((int)State.Memory))
        .ElseWhen((proceeds & isJump) | takenNow, () =>
        {
            state.Set((int)State.Jump);
            // The link: pc + 3 (the pc's low bits 1 in Jump) + 1.
            decoded.OperandA.Set((int)OperandA.Pc);
            registerB.Set(0);
            selectB.Set(0);
            carryIn.Set(1);
        })
        .ElseWhen(request & Data.Ready, () => state.Set((int)State.MemoryWait));
        When(proceeds, () => branchTakenReg.Set(ordered));
        When(interrupt, () => afterInterrupt.Set(1)).ElseWhen(retires, () => afterInterrupt.Set(0));

        // The operands' and the result's selects for Execute, from the controls of the word as it arrives.
        void SelectOperands(DecodedInstruction a)
        {
            var arrivingFromPc = (a.OperandA.Eq((int)OperandA.Pc) & ~a.Transfer.Eq((int)ControlTransfer.Jalr)).Named("arrivingFromPc");
            var arrivingCsrImmediate = csrs is null ? U(0, 1) : a.System.Eq((int)SystemOp.Csr) & a.Funct3[2];
            var arrivingZero = (a.OperandA.Eq((int)OperandA.Zero) | arrivingCsrImmediate).Named("arrivingZero");
            // slti and sltiu compare through ~rs1 + immediate.
            var arrivingInvertA = (a.UseImmediate & a.Result.Eq((int)ResultSource.Compare)).Named("arrivingInvertA");
            var arrivingShift = a.Result.Eq((int)ResultSource.Shift);
            var arrivingImmediate = (~arrivingShift & (a.UseImmediate | a.Store | a.Transfer[1])).Named("arrivingImmediate");
            var arrivingRegister = (~arrivingShift & ~arrivingImmediate).Named("arrivingRegister");
            var arrivingSubtract = (arrivingRegister & Alu.IsSubtraction(a.AluOp)).Named("arrivingSubtract");
            decoded.OperandA.Set(Cat(arrivingZero | arrivingInvertA, arrivingFromPc | arrivingInvertA));
            registerB.Set(arrivingRegister);
            selectB.Set(arrivingImmediate | arrivingSubtract);
            carryIn.Set(arrivingSubtract);
            var arrivingLogic = (a.AluOp.Eq((int)AluOp.Xor) | a.AluOp.Eq((int)AluOp.Or) | a.AluOp.Eq((int)AluOp.And)).Named("arrivingLogic");
            logicHigh.Set(arrivingLogic & a.AluOp[1]);
            logicLow.Set(arrivingLogic & (~a.AluOp[1] | a.AluOp[0]));
            takesSum.Set((a.Result.Eq((int)ResultSource.Alu) & ~arrivingLogic) | a.Result.Eq((int)ResultSource.Link));
            takesHeld.Set(arrivingShift);
            takesLoaded?.Set(a.Result.Eq((int)ResultSource.Address));
        }

        // The retirement record (the fields as Core forms them).
        var traced1 = (d.ReadsRs1 & ~csrImmediate & ~illegal & ~fetchFault).Named("traced1");
        var traced2 = (d.ReadsRs2 & ~illegal & ~fetchFault).Named("traced2");
        var readMask = Mux(loadedOrStored & d.Load, lanes, 0).Named("readMask");
        var writeMask = Mux(loadedOrStored & d.Store, lanes, 0).Named("writeMask");
        Expr LaneBits(Expr mask) => Cat(mask[3].Replicate(8), mask[2].Replicate(8), mask[1].Replicate(8), mask[0].Replicate(8));
        When(retires, () => order.Set(order + 1));
        Trace.Valid.Set(retires);
        Trace.Order.Set(order);
        Trace.PcRdata.Set(tracedPc);
        Trace.Insn.Set(instruction);
        Trace.Trap.Set(trap);
        Trace.Cause.Set(Mux(trap, cause, 0).ZeroExtend(32));
        Trace.Intr.Set(afterInterrupt);
        Trace.Rs1Addr.Set(Mux(traced1, d.Rs1, 0));
        Trace.Rs2Addr.Set(Mux(traced2, d.Rs2, 0));
        Trace.Rs1Rdata.Set(Mux(traced1, rs1, 0));
        Trace.Rs2Rdata.Set(Mux(traced2, rs2, 0));
        Trace.RdAddr.Set(Mux(writes, d.Rd, 0));
        Trace.RdWdata.Set(Mux(writes, result, 0));
        Trace.PcWdata.Set(tracedNextPc);
        Trace.MemAddr.Set(Mux(loadedOrStored, Cat(held[31, 2], U(0, 2)), 0));
        Trace.MemRdata.Set(Data.ReadData & LaneBits(readMask));
        Trace.MemWdata.Set(storeData & LaneBits(writeMask));
        Trace.MemRmask.Set(readMask);
        Trace.MemWmask.Set(writeMask);
    }

    Module IRiscvCore.Module => this;
    SystemBus IRiscvCore.Instr => Instr;
    SystemBus IRiscvCore.Data => Data;
    Signal IRiscvCore.TimerInterrupt => TimerInterrupt;
    Signal IRiscvCore.Mtime => Mtime;
    RetirementTrace IRiscvCore.Trace => Trace;
}
