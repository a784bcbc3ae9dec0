using HwGen.Designs.Common;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// EX: forwards the operands, computes the ALU, multiplier, divider or CSR result and the link address,
/// resolves branches and jumps (a mispredicted one redirects fetch and flushes the younger instructions),
/// computes the address of a load or store, and takes traps.
/// </summary>
/// <remarks>
/// Forwarding: an operand is taken from the memory stage's result when that stage writes the register,
/// otherwise from the writeback stage's write, otherwise from the register file. The load-use interlock in
/// decode guarantees that the memory stage never holds a load the instruction here depends on.
/// <para>Traps are precise and taken here: every exception of an instruction (illegal, <c>ecall</c>, <c>ebreak</c>,
/// a misaligned jump target or data address) is known in this stage, the older instructions in memory and
/// writeback can no longer raise one, and the trapping instruction goes no further. The CSRs are read and
/// written only here, so they change in program order.</para>
/// <para>Branch prediction: fetch requested the predicted successor of the instruction here right after it, so
/// that successor is the instruction in decode, whose pc is <see cref="PredictedPc"/>. Every instruction checks
/// its prediction: taken when it was predicted not taken or the other way round, or taken to a target other
/// than the predicted one, redirects fetch to the real next pc; a prediction that holds costs nothing. Each
/// completing instruction reports its outcome to the predictor (<see cref="Resolved"/>).</para>
/// </remarks>
public sealed class ExecuteStage : Module
{
    public ExecuteStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.WithM)
        {
            divider = new Divider();
            divisionRs1 = Reg(32);
            divisionRs2 = Reg(32);
        }
        csrs = new ControlStatusRegisters(config);
        map = config.Map;
        if (config.BranchPredictor == BranchPredictorKind.Btb)
            PredictedPc = In(32);
    }

    private readonly Soc.MemoryMap? map;

    public readonly DecodeToExecute FromDecode = In(new DecodeToExecute());
    public readonly Signal Rs1Value = In(32);
    public readonly Signal Rs2Value = In(32);
    /// <summary>The value the instruction in the memory stage will write.</summary>
    public readonly RegisterWrite FromMemory = In(new RegisterWrite());
    /// <summary>The write of the instruction in the writeback stage.</summary>
    public readonly RegisterWrite FromWriteback = In(new RegisterWrite());
    /// <summary>
    /// The pc of the instruction in decode: where fetch went after the instruction here. Only a branch target
    /// buffer can predict a wrong target (a <c>jalr</c>'s, or a stale entry's), so only with one is this port
    /// present; the other predictors' targets are pc + offset, as here.
    /// </summary>
    public readonly Signal? PredictedPc;

    public readonly ExecuteToMemory ToMemory = Out(new ExecuteToMemory());
    /// <summary>The instruction here needs more cycles (a division): the stages before keep theirs.</summary>
    public readonly Signal Busy = Out(1);
    /// <summary>A mispredicted next pc, a trap, <c>mret</c> or <c>fence.i</c>: fetch from <see cref="RedirectPc"/>, drop the younger instructions.</summary>
    public readonly Signal Redirect = Out(1);
    public readonly Signal RedirectPc = Out(32);
    /// <summary>The outcome of the instruction completing here, for the branch predictor.</summary>
    public readonly BranchResolution Resolved = Out(new BranchResolution());
    /// <summary>The timer's interrupt request and its count (for mip and the time CSR).</summary>
    public readonly Signal TimerInterrupt = In(1);
    public readonly Signal Mtime = In(64);

    private readonly Divider? divider;
    private readonly ControlStatusRegisters csrs;
    private readonly Alu alu = new(32);
    private readonly ExecuteToMemory memory = Reg(new ExecuteToMemory());
    /// <summary>An interrupt was taken: the next instruction to complete here is the handler's first.</summary>
    private readonly Signal afterInterrupt = Reg(1, reset: 0);
    /// <summary>The operands of a division, kept from its first cycle for the retirement record (with M only).</summary>
    private readonly Signal? divisionRs1;
    private readonly Signal? divisionRs2;

    protected override void Build()
    {
        var e = FromDecode;
        var rs1 = Forward(e.Decoded.Rs1, Rs1Value).Named("rs1");
        var rs2 = Forward(e.Decoded.Rs2, Rs2Value).Named("rs2");

        // ALU
        var operandA = Wire(32).Named("operandA");
        Switch(e.Decoded.OperandA)
            .Case((int)OperandA.Pc, () => operandA.Set(e.Pc))
            .Case((int)OperandA.Zero, () => operandA.Set(0))
            .Default(() => operandA.Set(rs1));
        var operandB = Mux(e.Decoded.UseImmediate, e.Decoded.Immediate, rs2).Named("operandB");
        alu.A.Set(operandA);
        alu.B.Set(operandB);
        alu.Op.Set(e.Decoded.AluOp);
        var aluResult = alu.Result;

        // Branches and jumps
        var equal = rs1.Eq(rs2);
        var less = rs1.AsSigned() < rs2.AsSigned();
        var lessUnsigned = rs1 < rs2;
        var condition = Wire(1).Named("condition");
        Switch(e.Decoded.Funct3[2, 1])
            .Case(0b00, () => condition.Set(equal))
            .Case(0b10, () => condition.Set(less))
            .Case(0b11, () => condition.Set(lessUnsigned))
            .Default(() => condition.Set(0));
        var taken = Wire(1).Named("taken");
        Switch(e.Decoded.Transfer)
            .Case((int)ControlTransfer.Branch, () => taken.Set(condition ^ e.Decoded.Funct3[0]))
            .Case((int)ControlTransfer.None, () => taken.Set(0))
            .Default(() => taken.Set(1));
        var jumpRegister = e.Decoded.Transfer.Eq((int)ControlTransfer.Jalr);
        var target = (Mux(jumpRegister, rs1, e.Pc) + e.Decoded.Immediate).Named("target");
        var jumpTarget = Cat(target[31, 1], U(0, 1)).Named("jumpTarget");
        var link = (e.Pc + 4).Named("link");

        // M extension
        Expr? product = null;
        Expr divisionBusy = U(0, 1);
        Expr divisionStart = U(0, 1);
        if (divider is not null)
        {
            // One unsigned 32 x 32 product (it maps to the DSP blocks); a signed operand's weight of -2^32 on
            // its sign bit is taken out of the high word: mulh(a, b) = mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0).
            var f = e.Decoded.Funct3;
            var signedA = (f.Eq(0b001) | f.Eq(0b010)) & rs1.Msb;
            var signedB = f.Eq(0b001) & rs2.Msb;
            var full = (rs1 * rs2).Named("product");
            var high = (full[63, 32] - Mux(signedA, rs2, U(0, 32)) - Mux(signedB, rs1, U(0, 32))).Named("productHigh");
            product = Mux(f.Eq(0b000), full[31, 0], high);

            var isDivision = (e.Valid & e.Decoded.Result.Eq((int)ResultSource.Divider)).Named("isDivision");
            divisionStart = (isDivision & ~divider.Busy & ~divider.Done).Named("divisionStart");
            divider.Start.Set(divisionStart);
            divider.Dividend.Set(rs1);
            divider.Divisor.Set(rs2);
            divider.Funct3.Set(f);
            divisionBusy = isDivision & ~divider.Done;
        }
        Busy.Set(divisionBusy);

        // Exceptions, in the order of priority of the privileged specification.
        var isCsr = e.Decoded.System.Eq((int)SystemOp.Csr);
        var size = e.Decoded.Funct3[1, 0];
        var address = aluResult;
        var dataMisaligned = (size.Eq(1) & address[0]) | (size.Eq(2) & address[1, 0].Any());
        var fetchFault = (~Accessible(e.Pc, fetch: true, size)).Named("fetchFault");
        var illegal = (~fetchFault & (e.Decoded.Illegal | (isCsr & csrs.Illegal))).Named("illegal");
        var ecall = e.Decoded.System.Eq((int)SystemOp.Ecall);
        var ebreak = e.Decoded.System.Eq((int)SystemOp.Ebreak);
        var targetMisaligned = taken & jumpTarget[1];
        var loadMisaligned = e.Decoded.Load & dataMisaligned;
        var storeMisaligned = e.Decoded.Store & dataMisaligned;
        var dataFault = (~dataMisaligned & ~Accessible(address, fetch: false, size)).Named("dataFault");
        var loadFault = e.Decoded.Load & dataFault;
        var storeFault = (e.Decoded.Store & (dataFault | (~dataMisaligned & ReadOnly(address)))).Named("storeFault");
        var exception = (fetchFault | illegal | ecall | ebreak | targetMisaligned | loadMisaligned | storeMisaligned | loadFault | storeFault).Named("exception");
        var cause = Wire(4, @default: 0).Named("cause");
        var trapValue = Wire(32, @default: 0).Named("trapValue");
        When(fetchFault, () =>
        {
            cause.Set((int)TrapCause.InstructionAccessFault);
            trapValue.Set(e.Pc);
        }).ElseWhen(illegal, () =>
        {
            cause.Set((int)TrapCause.IllegalInstruction);
            trapValue.Set(e.Instruction);
        }).ElseWhen(ecall, () => cause.Set((int)TrapCause.MachineEcall))
        .ElseWhen(ebreak, () =>
        {
            cause.Set((int)TrapCause.Breakpoint);
            trapValue.Set(e.Pc);
        }).ElseWhen(targetMisaligned, () =>
        {
            cause.Set((int)TrapCause.InstructionAddressMisaligned);
            trapValue.Set(jumpTarget);
        }).ElseWhen(loadMisaligned, () =>
        {
            cause.Set((int)TrapCause.LoadAddressMisaligned);
            trapValue.Set(address);
        }).ElseWhen(storeMisaligned, () =>
        {
            cause.Set((int)TrapCause.StoreAddressMisaligned);
            trapValue.Set(address);
        }).ElseWhen(loadFault, () =>
        {
            cause.Set((int)TrapCause.LoadAccessFault);
            trapValue.Set(address);
        }).ElseWhen(storeFault, () =>
        {
            cause.Set((int)TrapCause.StoreAccessFault);
            trapValue.Set(address);
        });

        // The timer interrupt is taken before the instruction here, which is dropped and fetched again
        // after mret. A division is let finish first: the divider cannot be abandoned halfway.
        var isDivisionHere = e.Decoded.Result.Eq((int)ResultSource.Divider);
        var interrupt = (e.Valid & csrs.InterruptPending & ~isDivisionHere).Named("interrupt");
        var trap = (e.Valid & exception & ~interrupt).Named("trap");
        var trapReturn = (e.Valid & e.Decoded.System.Eq((int)SystemOp.Mret) & ~interrupt).Named("trapReturn");
        var completes = (e.Valid & ~interrupt & ~divisionBusy).Named("completes");

        csrs.Access.Set(e.Valid & isCsr & ~interrupt);
        csrs.Address.Set(e.Decoded.Immediate[11, 0]);
        csrs.Op.Set(e.Decoded.Funct3[1, 0]);
        csrs.Operand.Set(Mux(e.Decoded.Funct3[2], e.Decoded.Rs1.ZeroExtend(32), rs1));
        csrs.Write.Set(e.Decoded.Funct3[1, 0].Eq(0b01) | e.Decoded.Rs1.Any());
        csrs.Trap.Set(trap);
        csrs.TrapCause.Set(cause);
        csrs.TrapPc.Set(e.Pc);
        csrs.TrapValue.Set(trapValue);
        csrs.Return.Set(trapReturn);
        csrs.Interrupt.Set(interrupt);
        csrs.Retired.Set(completes & ~exception);
        csrs.TimerPending.Set(TimerInterrupt);
        csrs.Mtime.Set(Mtime);

        var refetch = (e.Valid & e.Decoded.System.Eq((int)SystemOp.FenceI) & ~interrupt).Named("refetch");
        // The target comparison does not wait for the branch condition, which only selects the outcome.
        var predicted = e.Prediction.Taken;
        Expr wrongTarget = PredictedPc is null ? U(0, 1) : jumpTarget.Ne(PredictedPc).Named("wrongTarget");
        var mispredicted = Mux(taken, ~predicted | wrongTarget, predicted).Named("mispredicted");
        var redirect = (interrupt | trap | trapReturn | refetch | (e.Valid & mispredicted)).Named("redirect");
        var nextPc = Wire(32).Named("nextPc");
        When(interrupt | trap, () => nextPc.Set(csrs.TrapVector))
            .ElseWhen(trapReturn, () => nextPc.Set(csrs.ReturnPc))
            .ElseWhen(taken, () => nextPc.Set(jumpTarget))
            .Otherwise(() => nextPc.Set(link));
        Redirect.Set(redirect);
        RedirectPc.Set(nextPc);

        Resolved.Valid.Set(completes & ~exception);
        Resolved.Pc.Set(e.Pc);
        Resolved.Transfer.Set(e.Decoded.Transfer.Ne((int)ControlTransfer.None));
        Resolved.Taken.Set(taken);
        Resolved.Target.Set(jumpTarget);
        Resolved.Hit.Set(e.Prediction.Hit);
        Resolved.Counter.Set(e.Prediction.Counter);

        var result = Wire(32).Named("result");
        var select = Switch(e.Decoded.Result)
            .Case((int)ResultSource.Link, () => result.Set(link))
            .Case((int)ResultSource.Csr, () => result.Set(csrs.ReadData));
        if (divider is not null && product is not null)
        {
            select
                .Case((int)ResultSource.Multiplier, () => result.Set(product))
                .Case((int)ResultSource.Divider, () => result.Set(divider.Result));
        }
        select.Default(() => result.Set(aluResult));

        When(interrupt, () => afterInterrupt.Set(1))
            .ElseWhen(completes, () => afterInterrupt.Set(0));

        // A trapping instruction still goes on, doing nothing, so that it retires with its trap.
        var doesIt = ~exception;
        memory.Valid.Set(completes);
        memory.Rd.Set(e.Decoded.Rd);
        memory.WritesRd.Set(e.Decoded.WritesRd & doesIt);
        memory.Result.Set(result);
        memory.Load.Set(e.Decoded.Load & doesIt);
        memory.Store.Set(e.Decoded.Store & doesIt);
        memory.Funct3.Set(e.Decoded.Funct3);
        memory.StoreData.Set(rs2);
        // During a division the operand values here change (see DecodeStage); the record takes them from its first cycle.
        Expr value1 = rs1;
        Expr value2 = rs2;
        if (divisionRs1 is not null && divisionRs2 is not null)
        {
            When(divisionStart, () =>
            {
                divisionRs1.Set(rs1);
                divisionRs2.Set(rs2);
            });
            value1 = Mux(isDivisionHere & ~divisionStart, divisionRs1, rs1);
            value2 = Mux(isDivisionHere & ~divisionStart, divisionRs2, rs2);
        }
        var traced1 = (e.Decoded.ReadsRs1 & ~(isCsr & e.Decoded.Funct3[2]) & ~illegal & ~fetchFault).Named("traced1");
        var traced2 = (e.Decoded.ReadsRs2 & ~illegal & ~fetchFault).Named("traced2");
        var retire = memory.Retire;
        retire.Pc.Set(e.Pc);
        retire.Instruction.Set(Mux(fetchFault, 0, e.Instruction));
        retire.NextPc.Set(nextPc);
        retire.Trap.Set(exception);
        retire.Cause.Set(cause.ZeroExtend(5));
        retire.Intr.Set(afterInterrupt);
        retire.Rs1.Set(Mux(traced1, e.Decoded.Rs1, 0));
        retire.Rs2.Set(Mux(traced2, e.Decoded.Rs2, 0));
        retire.Rs1Value.Set(Mux(traced1 & e.Decoded.Rs1.Any(), value1, 0));
        retire.Rs2Value.Set(Mux(traced2 & e.Decoded.Rs2.Any(), value2, 0));
        ToMemory.Set(memory);
    }

    /// <summary>
    /// Whether an access of <paramref name="size"/> (log2 bytes) at <paramref name="address"/> is allowed by the
    /// memory map: instruction fetches only from RAM and the boot ROM; data anywhere mapped (stores not to the boot ROM:
    /// see <see cref="ReadOnly"/>), the word-only devices by words.
    /// Without a map every access is allowed.
    /// </summary>
    private Expr Accessible(Expr address, bool fetch, Expr size)
    {
        if (map is null)
            return U(1, 1);
        Expr In(Soc.MemoryRegion region) => Soc.AddressDecode.Contains(address, region);
        var code = map.HasBootRom ? In(map.Ram) | In(map.BootRom) : In(map.Ram);
        if (fetch)
            return code;
        var word = size.Eq(2);
        return code | In(map.Gpio) | In(map.PexCall) | ((In(map.Uart) | In(map.Clint) | In(map.SpiFlash)) & word);
    }

    /// <summary>Whether <paramref name="address"/> lies in a read-only region (the boot ROM): a store there is an access fault.</summary>
    private Expr ReadOnly(Expr address) =>
        map is { HasBootRom: true } ? Soc.AddressDecode.Contains(address, map.BootRom) : U(0, 1);

    /// <summary>The newest value of register <paramref name="index"/>: from memory, writeback or the register file.</summary>
    private Expr Forward(Expr index, Expr fromRegisterFile) =>
        Mux(FromMemory.Enable & FromMemory.Address.Eq(index), FromMemory.Data,
            Mux(FromWriteback.Enable & FromWriteback.Address.Eq(index), FromWriteback.Data, fromRegisterFile));
}
