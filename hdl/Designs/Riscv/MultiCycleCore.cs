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
/// <item><term>FetchWait</term><description>waits for the word; in the cycle it arrives it is registered and its rs1 and rs2 fields address the register file's two block RAMs (synchronous read)</description></item>
/// <item><term>Execute</term><description>the word's controls (decoded as it arrived) and the registers read: takes the timer interrupt before it, or traps, or computes the result and the next pc and retires; a load or store registers its address (from the ALU's adder) and goes to Memory, a branch registers its comparison and goes to Branch, a shift goes to Shift</description></item>
/// <item><term>Branch</term><description>retires the branch from its registered outcome (pc + offset or pc + 4; a misaligned target traps)</description></item>
/// <item><term>Shift</term><description>shifts by 4 while 4 or more remain, then by 1, and retires when none remain (at most 10 cycles)</description></item>
/// <item><term>Memory</term><description>presents the load or store until the data bus takes it (no interrupt meanwhile)</description></item>
/// <item><term>MemoryWait</term><description>waits for the response; retires in its cycle (an error response: a load or store access fault)</description></item>
/// </list>
/// An instruction retires in one cycle: the register write, the retirement record, the CSR write and the pc. In that
/// cycle the next fetch is presented when its address does not come from the ALU (pc + 4, pc + offset for jal or a
/// branch's registered outcome, mepc); after jalr, a trap or the interrupt it is presented from Fetch. The data bus's request comes from
/// the registered address. So the interconnect's decoding and the memory's address are never in series with the ALU's
/// carry chain: with no wait states an ALU instruction or jal takes two cycles, a branch or jalr three, a load or store four,
/// a shift by n two plus n / 4 + n % 4 + 1. Between the register write and the next read of the register
/// file there is always a cycle, so the register file needs no bypass. Register x0 is never written and its block
/// RAM words start at 0. Without <see cref="CoreConfig.Counters"/> the counter CSRs are illegal and synthesis
/// removes them.
/// <para>The CSRs are <see cref="ControlStatusRegisters"/>, the decoder is <see cref="Decoder"/> (RV32I and the
/// machine-mode system instructions) and the adder, the logic operations and the comparisons are one
/// <see cref="Alu"/>; two more adders form pc + 4 and the branch target. Exceptions, their priority, mtval and
/// the trace follow <see cref="Core"/>: an instruction access fault (the fetch answered with an error), an illegal
/// instruction, <c>ecall</c>, <c>ebreak</c>, a misaligned load or store, a misaligned jump target, a load or store
/// access fault (the data bus answered with an error).</para>
/// </remarks>
public sealed class MultiCycleCore : Module, IRiscvCore
{
    public MultiCycleCore(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Microarchitecture != CoreMicroarchitecture.MultiCycle)
            throw new ArgumentException($"a multi-cycle core is built from a configuration with Microarchitecture = {CoreMicroarchitecture.MultiCycle}, not {config.Microarchitecture}", nameof(config));
        Config = config;
        decoder = new Decoder(DecoderTable.For(config));
        csrs = new ControlStatusRegisters(config);
        pc = Reg(32, reset: config.ResetPc);
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

    [Parameter]
    public uint ResetPc => Config.ResetPc;

    [Parameter]
    public CoreMicroarchitecture Microarchitecture => Config.Microarchitecture;

    /// <summary>The instruction bus: word fetches, one at a time.</summary>
    public readonly SystemBus Instr = Out(new SystemBus());

    /// <summary>The data bus: loads and stores, one at a time.</summary>
    public readonly SystemBus Data = Out(new SystemBus());

    /// <summary>The machine timer's interrupt request and its count (mip.MTIP, the time CSR).</summary>
    public readonly Signal TimerInterrupt = In(1);
    public readonly Signal Mtime = In(64);

    /// <summary>One record per retired (or trapping) instruction (see <see cref="RetirementTrace"/>).</summary>
    public readonly RetirementTrace Trace = Out(new RetirementTrace(RetirementFields.Table));

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
    }

    private readonly Decoder decoder;
    /// <summary>The instruction's control values, decoded from the word as it arrives (Illegal: an unimplemented CSR too).</summary>
    private readonly DecodedInstruction decoded = Reg(new DecodedInstruction());
    private readonly ControlStatusRegisters csrs;
    private readonly Alu alu = new(32, compareResult: true, addendInput: false, shifts: false);
    private readonly Signal state = Reg(3, reset: (int)State.Fetch);
    private readonly Signal pc;
    /// <summary>The instruction word, and whether its fetch was answered with an error.</summary>
    private readonly Signal instruction = Reg(32);
    private readonly Signal fetchFault = Reg(1);
    /// <summary>The shift's operand as it is shifted, and the amount that remains; a load's or store's address.</summary>
    private readonly Signal shifted = Reg(32);
    private readonly Signal shiftCount = Reg(5);
    /// <summary>The branch in Branch is taken (its comparison, registered in Execute).</summary>
    private readonly Signal branchTakenReg = Reg(1);
    /// <summary>An interrupt was taken: the next record is the handler's first instruction.</summary>
    private readonly Signal afterInterrupt = Reg(1, reset: 0);
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

        // The operands (ControlTransfer.Jal and Jalr are the two with bit 1 set): the ALU adds the immediate to rs1 (loads, stores, jalr, the immediate forms) or to the pc
        // (auipc, jal), or to 0 (lui); register-register forms and branches take rs2.
        var isJalr = d.Transfer.Eq((int)ControlTransfer.Jalr).Named("isJalr");
        var isJal = d.Transfer.Eq((int)ControlTransfer.Jal).Named("isJal");
        var isBranch = d.Transfer.Eq((int)ControlTransfer.Branch).Named("isBranch");
        var fromPc = (d.OperandA.Eq((int)OperandA.Pc) & ~isJalr).Named("fromPc");
        var operandA = Mux(fromPc, pc, Mux(d.OperandA.Eq((int)OperandA.Zero), 0, rs1)).Named("operandA");
        // The immediate forms, stores (their address) and jumps (their target) add the immediate; the others take rs2.
        var operandB = Mux(d.UseImmediate | d.Store | d.Transfer[1], d.Immediate, rs2).Named("operandB");
        alu.A.Set(operandA);
        alu.B.Set(operandB);
        alu.Op.Set(d.AluOp);
        alu.Subtract.Set(Alu.IsSubtraction(d.AluOp));
        var sum = alu.Sum;
        // The address of a load or store, registered in Execute (for the misaligned check and its trap, the sum).
        var address = sum;
        var dataAddress = shifted;

        // Branches: the condition from the subtraction (equality beside it, not after its carry chain), then pc + offset
        // or pc + 4 from the other two adders.
        var condition = Wire(1).Named("condition");
        Switch(d.Funct3[2, 1])
            .Case(0b00, () => condition.Set(alu.Equal))
            .Case(0b10, () => condition.Set(alu.Less))
            .Case(0b11, () => condition.Set(alu.LessUnsigned))
            .Default(() => condition.Set(0));
        var branchTaken = (isBranch & (condition ^ d.Funct3[0])).Named("branchTaken");
        var link = (pc + 4).Named("link");
        var branchTarget = (pc + d.Immediate).Named("branchTarget");
        // A branch is decided in Execute and retires in Branch, from the registered outcome.
        var resolving = In(State.Branch).Named("resolving");
        var takenNow = (resolving & branchTakenReg).Named("takenNow");
        // jal's target is pc + offset too: the branch target adder's.
        var sequential = Mux(takenNow | isJal, branchTarget, link).Named("sequential");
        var jumps = (isJal | isJalr).Named("jumps");
        var jumpTarget = Cat(sum[31, 1], U(0, 1)).Named("jumpTarget");
        var jumpMisaligned = (jumps & sum[1]).Named("jumpMisaligned");
        var branchMisaligned = (takenNow & branchTarget[1]).Named("branchMisaligned");
        var targetMisaligned = (jumpMisaligned | branchMisaligned).Named("targetMisaligned");

        // Exceptions, in the order of priority of the privileged specification.
        var isCsr = d.System.Eq((int)SystemOp.Csr).Named("isCsr");
        var csrWrite = (d.Funct3[1, 0].Eq(0b01) | d.Rs1.Any()).Named("csrWrite");
        var arrivingCsr = decoder.Decoded.System.Eq((int)SystemOp.Csr);
        var arrivingCsrWrite = decoder.Decoded.Funct3[1, 0].Eq(0b01) | decoder.Decoded.Rs1.Any();
        var arrivingIllegal = (decoder.Decoded.Illegal | (arrivingCsr & ControlStatusRegisters.IsIllegal(word[31, 20], arrivingCsrWrite, Config))).Named("arrivingIllegal");
        var size = d.Funct3[1, 0];
        var dataMisaligned = (size.Eq(1) & address[0]) | (size.Eq(2) & address[1, 0].Any());
        var illegal = (~fetchFault & d.Illegal).Named("illegal");
        var ecall = d.System.Eq((int)SystemOp.Ecall);
        var ebreak = d.System.Eq((int)SystemOp.Ebreak);
        var loadMisaligned = (d.Load & dataMisaligned).Named("loadMisaligned");
        var storeMisaligned = (d.Store & dataMisaligned).Named("storeMisaligned");
        var cause = Wire(4, @default: 0).Named("cause");
        var trapValue = Wire(32, @default: 0).Named("trapValue");
        When(fetchFault, () =>
        {
            cause.Set((int)TrapCause.InstructionAccessFault);
            trapValue.Set(pc);
        }).ElseWhen(illegal, () =>
        {
            cause.Set((int)TrapCause.IllegalInstruction);
            trapValue.Set(instruction);
        }).ElseWhen(ecall, () => cause.Set((int)TrapCause.MachineEcall))
        .ElseWhen(ebreak, () =>
        {
            cause.Set((int)TrapCause.Breakpoint);
            trapValue.Set(pc);
        }).ElseWhen(loadMisaligned, () =>
        {
            cause.Set((int)TrapCause.LoadAddressMisaligned);
            trapValue.Set(address);
        }).ElseWhen(storeMisaligned, () =>
        {
            cause.Set((int)TrapCause.StoreAddressMisaligned);
            trapValue.Set(address);
        }).ElseWhen(targetMisaligned, () =>
        {
            cause.Set((int)TrapCause.InstructionAddressMisaligned);
            trapValue.Set(Mux(jumps, jumpTarget, branchTarget));
        });
        var exception = (fetchFault | illegal | ecall | ebreak | loadMisaligned | storeMisaligned | jumpMisaligned).Named("exception");

        // What the instruction in Execute does: the interrupt comes first, then its own trap.
        var executing = In(State.Execute);
        var interrupt = (executing & csrs.InterruptPending).Named("interrupt");
        var trapHere = ((executing & ~interrupt & exception) | branchMisaligned).Named("trapHere");
        var proceeds = (executing & ~interrupt & ~exception).Named("proceeds");
        var memoryAccess = (d.Load | d.Store).Named("memoryAccess");
        var isShift = d.Result.Eq((int)ResultSource.Shift).Named("isShift");

        // The data bus: presented from Memory, with the address registered in Execute.
        var request = In(State.Memory).Named("request");
        var offset = dataAddress[1, 0];
        var lanes = Wire(4).Named("lanes");
        var storeData = Wire(32).Named("storeData");
        Switch(size)
            .Case(0b00, () =>
            {
                lanes.Set(U(1, 4).Shl(offset));
                storeData.Set(rs2[7, 0].Replicate(4));
            })
            .Case(0b01, () =>
            {
                lanes.Set(Mux(offset[1], U(0b1100, 4), U(0b0011, 4)));
                storeData.Set(rs2[15, 0].Replicate(2));
            })
            .Default(() =>
            {
                lanes.Set(0b1111);
                storeData.Set(rs2);
            });
        Data.Valid.Set(request);
        Data.Address.Set(Cat(dataAddress[31, 2], U(0, 2)));
        Data.Write.Set(d.Store);
        Data.ByteEnable.Set(lanes);
        Data.WriteData.Set(storeData);
        var responded = (In(State.MemoryWait) & Data.ResponseValid).Named("responded");
        var accessFault = (responded & Data.Error).Named("accessFault");

        // A load's bytes, extended.
        var aligned = Data.ReadData.Shr(Cat(offset, U(0, 3))).Named("aligned");
        var loaded = Wire(32).Named("loaded");
        Switch(d.Funct3)
            .Case(0b000, () => loaded.Set(aligned[7, 0].SignExtend(32).AsUnsigned()))
            .Case(0b001, () => loaded.Set(aligned[15, 0].SignExtend(32).AsUnsigned()))
            .Case(0b100, () => loaded.Set(aligned[7, 0].ZeroExtend(32)))
            .Case(0b101, () => loaded.Set(aligned[15, 0].ZeroExtend(32)))
            .Default(() => loaded.Set(Data.ReadData));

        // The shift: 4 bits a cycle while 4 or more remain, then 1.
        var shiftLeft = d.AluOp.Eq((int)AluOp.Sll).Named("shiftLeft");
        var shiftFill = (d.AluOp.Eq((int)AluOp.Sra) & rs1.Msb).Named("shiftFill");
        var shifting = In(State.Shift);
        var byFour = shiftCount[4, 2].Any().Named("byFour");
        var shiftDone = (shifting & ~shiftCount.Any()).Named("shiftDone");
        When(proceeds & memoryAccess, () => shifted.Set(address))
        .ElseWhen(proceeds & isShift, () =>
        {
            shifted.Set(rs1);
            shiftCount.Set(operandB[4, 0]);
        }).ElseWhen(shifting, () =>
        {
            var fill = shiftFill.Replicate(4);
            When(byFour, () =>
            {
                shifted.Set(Mux(shiftLeft, Cat(shifted[27, 0], U(0, 4)), Cat(fill, shifted[31, 4])));
                shiftCount.Set(shiftCount - 4);
            }).Otherwise(() =>
            {
                shifted.Set(Mux(shiftLeft, Cat(shifted[30, 0], U(0, 1)), Cat(shiftFill, shifted[31, 1])));
                shiftCount.Set(shiftCount - 1);
            });
        });

        // Retirement: an instruction that needs no more cycles, a shift that is done, a load's or store's response.
        var completes = (proceeds & ~memoryAccess & ~isShift & ~isBranch).Named("completes");
        var resolves = (resolving & ~branchMisaligned).Named("resolves");
        var retires = (completes | trapHere | shiftDone | responded | resolves).Named("retires");
        var trap = (trapHere | accessFault).Named("trap");
        var faultCause = Mux(d.Store, U((int)TrapCause.StoreAccessFault, 4), U((int)TrapCause.LoadAccessFault, 4));
        var trapCause = Mux(accessFault, faultCause, cause).Named("trapCause");
        var isMret = d.System.Eq((int)SystemOp.Mret).Named("isMret");
        var returns = (executing & ~interrupt & isMret & ~fetchFault).Named("returns");

        var result = Wire(32).Named("result");
        Switch(d.Result)
            .Case((int)ResultSource.Link, () => result.Set(link))
            .Case((int)ResultSource.Csr, () => result.Set(csrs.ReadData))
            .Case((int)ResultSource.Shift, () => result.Set(shifted))
            .Case((int)ResultSource.Address, () => result.Set(loaded))
            .Default(() => result.Set(alu.Result));
        // An instruction that writes rd can trap only by itself, its load's address or its jump's target (bit 1 of
        // the sum): the write enable does not wait for a branch's comparison.
        var ownTrap = (fetchFault | illegal | loadMisaligned | (jumps & sum[1])).Named("ownTrap");
        var writes = (((executing & ~interrupt & ~ownTrap & ~memoryAccess & ~isShift) | shiftDone | (responded & ~accessFault)) & d.WritesRd).Named("writes");
        write1.Address.Set(d.Rd);
        write1.Data.Set(result);
        write1.Enable.Set(writes);
        write2.Address.Set(d.Rd);
        write2.Data.Set(result);
        write2.Enable.Set(writes);

        // The CSRs: accessed by a CSR instruction that retires without a trap; a trap or the interrupt is recorded.
        // A CSR instruction (or mret) can trap only by itself being illegal or unfetched: its CSR access does not wait
        // for the arithmetic's exceptions (misaligned addresses and targets), which are not its own.
        csrs.Access.Set(executing & ~interrupt & isCsr & ~illegal & ~fetchFault);
        csrs.Address.Set(instruction[31, 20]);
        csrs.Select.Set(ControlStatusRegisters.ReadSelect(instruction[31, 20], Config));
        csrs.Op.Set(d.Funct3[1, 0]);
        csrs.Operand.Set(Mux(d.Funct3[2], d.Rs1.ZeroExtend(32), rs1));
        csrs.Write.Set(csrWrite);
        csrs.Trap.Set(trap);
        csrs.TrapCause.Set(trapCause);
        csrs.TrapPc.Set(pc);
        csrs.TrapValue.Set(Mux(accessFault, dataAddress, trapValue));
        csrs.Return.Set(returns);
        csrs.Interrupt.Set(interrupt);
        csrs.Retired.Set(retires & ~trap);
        csrs.TimerPending.Set(TimerInterrupt);
        csrs.Mtime.Set(Mtime);

        var nextPc = Wire(32).Named("nextPc");
        When(interrupt | trap, () => nextPc.Set(csrs.TrapVector))
            .ElseWhen(isMret, () => nextPc.Set(csrs.ReturnPc))
            .ElseWhen(jumps, () => nextPc.Set(jumpTarget))
            .Otherwise(() => nextPc.Set(sequential));

        // Fetch: the next word is requested in the cycle of the retirement when its address does not come from the
        // ALU (pc + 4, jal's or a branch's pc + offset, mepc), else from Fetch (after jalr, a trap, the interrupt).
        var leaves = (retires | interrupt).Named("leaves");
        var fetching = In(State.Fetch);
        var ahead = ((completes & ~isJalr) | shiftDone | (responded & ~accessFault) | resolves).Named("ahead");
        var aheadPc = Mux(isMret & executing, csrs.ReturnPc, sequential).Named("aheadPc");
        Instr.Valid.Set(fetching | ahead);
        Instr.Address.Set(Mux(fetching, pc, aheadPc));
        Instr.Write.Set(0);
        Instr.ByteEnable.Set(0b1111);
        Instr.WriteData.Set(0);

        When(leaves, () =>
        {
            pc.Set(nextPc);
            state.Set(Mux(ahead & Instr.Ready, U((int)State.FetchWait, 3), U((int)State.Fetch, 3)));
        }).ElseWhen(fetching & Instr.Ready, () => state.Set((int)State.FetchWait))
        .ElseWhen(arrives, () =>
        {
            instruction.Set(word);
            decoded.Set(decoder.Decoded);
            decoded.Illegal.Set(arrivingIllegal);
            fetchFault.Set(Instr.Error);
            state.Set((int)State.Execute);
        }).ElseWhen(proceeds & isShift, () => state.Set((int)State.Shift))
        .ElseWhen(proceeds & isBranch, () => state.Set((int)State.Branch))
        .ElseWhen(proceeds & memoryAccess, () => state.Set((int)State.Memory))
        .ElseWhen(request & Data.Ready, () => state.Set((int)State.MemoryWait));
        When(proceeds & isBranch, () => branchTakenReg.Set(branchTaken));
        When(interrupt, () => afterInterrupt.Set(1)).ElseWhen(retires, () => afterInterrupt.Set(0));

        // The retirement record (the fields as Core forms them).
        var csrImmediate = (isCsr & d.Funct3[2]).Named("csrImmediate");
        var traced1 = (d.ReadsRs1 & ~csrImmediate & ~illegal & ~fetchFault).Named("traced1");
        var traced2 = (d.ReadsRs2 & ~illegal & ~fetchFault).Named("traced2");
        var accessed = (responded & ~accessFault).Named("accessed");
        var readMask = Mux(accessed & d.Load, lanes, 0).Named("readMask");
        var writeMask = Mux(accessed & d.Store, lanes, 0).Named("writeMask");
        Expr LaneBits(Expr mask) => Cat(mask[3].Replicate(8), mask[2].Replicate(8), mask[1].Replicate(8), mask[0].Replicate(8));
        When(retires, () => order.Set(order + 1));
        Trace.Valid.Set(retires);
        Trace.Order.Set(order);
        Trace.PcRdata.Set(pc);
        Trace.Insn.Set(Mux(fetchFault, 0, instruction));
        Trace.Trap.Set(trap);
        Trace.Cause.Set(Mux(trap, trapCause, 0).ZeroExtend(32));
        Trace.Intr.Set(afterInterrupt);
        Trace.Rs1Addr.Set(Mux(traced1, d.Rs1, 0));
        Trace.Rs2Addr.Set(Mux(traced2, d.Rs2, 0));
        Trace.Rs1Rdata.Set(Mux(traced1, rs1, 0));
        Trace.Rs2Rdata.Set(Mux(traced2, rs2, 0));
        Trace.RdAddr.Set(Mux(writes, d.Rd, 0));
        Trace.RdWdata.Set(Mux(writes, result, 0));
        Trace.PcWdata.Set(nextPc);
        Trace.MemAddr.Set(Mux(accessed, Cat(dataAddress[31, 2], U(0, 2)), 0));
        Trace.MemRmask.Set(readMask);
        Trace.MemWmask.Set(writeMask);
        Trace.MemRdata.Set(Data.ReadData & LaneBits(readMask));
        Trace.MemWdata.Set(storeData & LaneBits(writeMask));
    }

    Module IRiscvCore.Module => this;
    SystemBus IRiscvCore.Instr => Instr;
    SystemBus IRiscvCore.Data => Data;
    Signal IRiscvCore.TimerInterrupt => TimerInterrupt;
    Signal IRiscvCore.Mtime => Mtime;
    RetirementTrace IRiscvCore.Trace => Trace;
}
