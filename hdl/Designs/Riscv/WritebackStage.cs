using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// WB: takes a load's bytes out of the word that arrives on the data bus, extends them, and writes the
/// register file. An instruction retires here: this is where a retirement record is formed.
/// </summary>
public sealed class WritebackStage : Module
{
    public readonly MemoryToWriteback FromMemory = In(new MemoryToWriteback());
    /// <summary>The word read by the load in this stage (requested by the memory stage in the previous cycle).</summary>
    public readonly Signal DataRdata = In(32);

    /// <summary>The register write.</summary>
    public readonly RegisterWrite RegisterWrite = Out(new RegisterWrite());
    /// <summary>The registered result, for forwarding to execute: not a load's, whose word arrives raw from the bus.</summary>
    public readonly Signal Result = Out(32);
    /// <summary>The retirement record of the instruction here (see <see cref="RetirementTrace"/>).</summary>
    public readonly RetirementTrace Trace = Out(new RetirementTrace());

    private readonly Signal order = Reg(64, reset: 0);

    protected override void Build()
    {
        var w = FromMemory;
        var aligned = DataRdata.Shr(Cat(w.Result[1, 0], U(0, 3))).Named("aligned");
        var loaded = Wire(32).Named("loaded");
        Switch(w.Funct3)
            .Case(0b000, () => loaded.Set(aligned[7, 0].SignExtend(32).AsUnsigned()))
            .Case(0b001, () => loaded.Set(aligned[15, 0].SignExtend(32).AsUnsigned()))
            .Case(0b100, () => loaded.Set(aligned[7, 0].ZeroExtend(32)))
            .Case(0b101, () => loaded.Set(aligned[15, 0].ZeroExtend(32)))
            .Default(() => loaded.Set(DataRdata));

        RegisterWrite.Enable.Set(w.Valid & w.WritesRd);
        RegisterWrite.Address.Set(w.Rd);
        var value = Mux(w.Load, loaded, w.Result).Named("value");
        RegisterWrite.Data.Set(value);
        Result.Set(w.Result);

        var r = w.Retire;
        var writes = w.WritesRd;
        var memory = w.ReadMask.Any() | w.WriteMask.Any();
        var readLanes = Cat(w.ReadMask[3].Replicate(8), w.ReadMask[2].Replicate(8), w.ReadMask[1].Replicate(8), w.ReadMask[0].Replicate(8));
        When(w.Valid, () => order.Set(order + 1));
        Trace.Valid.Set(w.Valid);
        Trace.Order.Set(order);
        Trace.Insn.Set(r.Instruction);
        Trace.Trap.Set(w.Trap);
        Trace.Intr.Set(w.Intr);
        Trace.Cause.Set(w.Cause.ZeroExtend(32));
        Trace.Rs1Addr.Set(r.Rs1);
        Trace.Rs2Addr.Set(r.Rs2);
        Trace.Rs1Rdata.Set(r.Rs1Value);
        Trace.Rs2Rdata.Set(r.Rs2Value);
        Trace.RdAddr.Set(Mux(writes, w.Rd, 0));
        Trace.RdWdata.Set(Mux(writes, value, 0));
        Trace.PcRdata.Set(r.Pc);
        Trace.PcWdata.Set(w.NextPc);
        Trace.MemAddr.Set(Mux(memory, Cat(w.Result[31, 2], U(0, 2)), 0));
        Trace.MemRmask.Set(w.ReadMask);
        Trace.MemWmask.Set(w.WriteMask);
        Trace.MemRdata.Set(DataRdata & readLanes);
        Trace.MemWdata.Set(w.WriteData);
    }
}
