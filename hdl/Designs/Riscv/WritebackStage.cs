using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// WB: takes a load's bytes out of the word that arrives on the data bus, extends them, and writes the
/// register file. An instruction retires here: this is where a retirement record is formed, and where it counts
/// in minstret. A load or store retires in the cycle its response arrives; with an error response it retires
/// trapping (a load or store access fault, taken by the memory stage in the same cycle) and writes nothing.
/// </summary>
public sealed class WritebackStage : Module
{
    public WritebackStage()
        : this(new CoreConfig(0))
    {
    }

    /// <param name="config">The core's configuration: its tags (a tagged core's tag write beside the register write, and
    /// the tagged trace) and its code range (<see cref="CoreConfig.CodeBits"/>, the pc bits the retirement fields keep).</param>
    public WritebackStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        var tags = config.Tags;
        FromMemory = In(new MemoryToWriteback(tags, config.CodeBits));
        Trace = Out(new RetirementTrace(tags is null ? RetirementFields.Table : TagTraceFields.Table));
        if (tags is not null)
            RdTag = Out(tags.TagWidth);
    }

    public readonly MemoryToWriteback FromMemory;
    /// <summary>The data bus's response (for the load or store here): valid, and the word read.</summary>
    public readonly Signal DataResponse = In(1);
    public readonly Signal DataRdata = In(32);
    /// <summary>The response is an error: the instruction here traps (from the memory stage).</summary>
    public readonly Signal AccessFault = In(1);
    /// <summary>The mcause of that trap, and where it goes (the memory stage's trap cause and redirect).</summary>
    public readonly Signal FaultCause = In(4);
    public readonly Signal TrapVector = In(32);
    /// <summary>The full pc of the instruction here when it trapped in the memory stage (<see cref="MemoryStage.TrappedPc"/>).</summary>
    public readonly Signal TrappedPc = In(32);

    /// <summary>The register write.</summary>
    public readonly RegisterWrite RegisterWrite = Out(new RegisterWrite());
    /// <summary>The registered result, for forwarding to execute: not a load's, whose word arrives raw from the bus.</summary>
    public readonly Signal Result = Out(32);
    /// <summary>The instruction here retires this cycle without a trap and counts in minstret.</summary>
    public readonly Signal Counted = Out(1);
    /// <summary>The retirement record of the instruction here (see <see cref="RetirementTrace"/>).</summary>
    public readonly RetirementTrace Trace;
    /// <summary>A tagged core: the tag written with <see cref="RegisterWrite"/> (also the tag forwarded with <see cref="Result"/>).</summary>
    public readonly Signal? RdTag;

    private readonly Signal order = Reg(64, reset: 0);
    /// <summary>The core's configuration (the code range's addresses).</summary>
    private readonly CoreConfig config;

    protected override void Build()
    {
        var w = FromMemory;
        // A load here is aligned (a misaligned one trapped in execute): a word's offset is 0 and a halfword's 0 or 2. So
        // the low byte is the byte at the offset for every size, the second byte a halfword's high byte (byte 1 or 3,
        // a word's byte 1), and the upper half a word's own or the fill: no shift of the whole word, and the low
        // byte's choice does not wait for the size.
        var offset = w.Result[1, 0];
        var lowByte = Wire(8).Named("lowByte");
        Switch(offset)
            .Case(0, () => lowByte.Set(DataRdata[7, 0]))
            .Case(1, () => lowByte.Set(DataRdata[15, 8]))
            .Case(2, () => lowByte.Set(DataRdata[23, 16]))
            .Default(() => lowByte.Set(DataRdata[31, 24]));
        var highByte = Mux(offset[1], DataRdata[31, 24], DataRdata[15, 8]).Named("highByte");
        var size = w.Funct3[1, 0];
        var signed = ~w.Funct3[2];
        var fill = (signed & Mux(size.Eq(0), lowByte[7], highByte[7])).Named("fill");
        var loaded = Cat(Mux(size[1], DataRdata[31, 16], fill.Replicate(16)),
            Mux(size.Eq(0), fill.Replicate(8), highByte), lowByte).Named("loaded");
        var fault = AccessFault;
        var retires = (w.Valid & (~(w.Load | w.Store) | DataResponse)).Named("retires");
        var writes = (w.WritesRd & ~fault).Named("writes");
        RegisterWrite.Enable.Set(retires & writes);
        RegisterWrite.Address.Set(w.Rd);
        var value = Mux(w.Load, loaded, w.Result).Named("value");
        RegisterWrite.Data.Set(value);
        Result.Set(w.Result);
        Counted.Set(retires & w.Counted & ~fault);

        var r = w.Retire;
        var readMask = Mux(fault, 0, w.ReadMask).Named("readMask");
        var writeMask = Mux(fault, 0, w.WriteMask).Named("writeMask");
        var memory = readMask.Any() | writeMask.Any();
        var readLanes = Cat(readMask[3].Replicate(8), readMask[2].Replicate(8), readMask[1].Replicate(8), readMask[0].Replicate(8));
        When(retires, () => order.Set(order + 1));
        Trace.Valid.Set(retires);
        Trace.Order.Set(order);
        // An instruction whose fetch faulted has no word, and its pc may lie outside the code range, whose bits alone the
        // record's fields keep: it is the pc the trap entered (mepc's).
        var fetchFaulted = (w.Trap & w.Cause.Eq((int)TrapCause.InstructionAccessFault)).Named("fetchFaulted");
        Trace.Insn.Set(Mux(fetchFaulted, 0, r.Instruction));
        Trace.Trap.Set(w.Trap | fault);
        Trace.Intr.Set(w.Intr);
        Trace.Cause.Set(Mux(fault, FaultCause.ZeroExtend(5), w.Cause).ZeroExtend(32));
        Trace.Rs1Addr.Set(r.Rs1);
        Trace.Rs2Addr.Set(r.Rs2);
        Trace.Rs1Rdata.Set(r.Rs1Value);
        Trace.Rs2Rdata.Set(r.Rs2Value);
        Trace.RdAddr.Set(Mux(writes, w.Rd, 0));
        Trace.RdWdata.Set(Mux(writes, value, 0));
        Trace.PcRdata.Set(Mux(fetchFaulted, TrappedPc, config.CodeAddress(r.Pc)));
        Trace.PcWdata.Set(Mux(fault, TrapVector, w.NextPc));
        Trace.MemAddr.Set(Mux(memory, Cat(w.Result[31, 2], U(0, 2)), 0));
        Trace.MemRmask.Set(readMask);
        Trace.MemWmask.Set(writeMask);
        Trace.MemRdata.Set(DataRdata & readLanes);
        Trace.MemWdata.Set(Mux(fault, 0, w.WriteData));
        if (w.Tags is { } tags && RdTag is not null)
        {
            RdTag.Set(tags.RdTag);
            Trace[TagTraceFields.PcTag].Set(Mux(fault, tags.PcTagFound, tags.PcTag).ZeroExtend(TagConfig.MaxTagWidth));
            Trace[TagTraceFields.RdTag].Set(Mux(writes, tags.RdTag, 0).ZeroExtend(TagConfig.MaxTagWidth));
            Trace[TagTraceFields.MemTag].Set(Mux(fault, 0, tags.MemTag).ZeroExtend(TagConfig.MaxTagWidth));
            Trace[TagTraceFields.Denied].Set(tags.Denied);
        }
    }
}
