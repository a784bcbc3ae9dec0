using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Pex;

/// <summary>
/// The AP's door to the PEX (region PEXCALL of the AP's <see cref="MemoryMap"/>, registers OP, ARG0, ARG1, RESULT):
/// the AP writes the arguments, then the op; the store to OP starts the call (<see cref="Call"/>) and its bus
/// response waits (<see cref="Wait"/>) until the PEX completes it; RESULT then reads the result.
/// </summary>
/// <remarks>
/// The caller's tag (<see cref="CallerTag"/>, the CI tag of the store committing) is taken with the store to OP. ARG0
/// and ARG1 read back what was written, RESULT the last call's result; OP and the other offsets read 0. A read answers
/// from the registers themselves: the access registers which one it reads, and <see cref="Rdata"/> is their AND-OR in
/// the next cycle (no copy of the word read). Each register is a word: a narrower access addresses the register at
/// its first byte and takes the low bits of the data.
/// </remarks>
public sealed class PexCallPort : Module
{
    public PexCallPort(MemoryRegion region, TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(config);
        Region = region;
        OffsetBits = Interconnect.OffsetBits(region);
        Offset = In(OffsetBits);
        CallerTag = In(config.TagWidth);
        Call = Out(new PexCallLink(config));
        callerTag = Reg(config.TagWidth, reset: 0);
    }

    public MemoryRegion Region { get; }

    public int OffsetBits { get; }

    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    public readonly Signal Rdata = Out(32);
    /// <summary>1 while a call is pending: the store to OP has not been answered yet.</summary>
    public readonly Signal Wait = Out(1);

    /// <summary>The CI tag of the store at the core's commit point (taken with the store to OP).</summary>
    public readonly Signal CallerTag;

    public readonly PexCallLink Call;

    private readonly Signal op = Reg(32, reset: 0);
    private readonly Signal arg0 = Reg(32, reset: 0);
    private readonly Signal arg1 = Reg(32, reset: 0);
    private readonly Signal result = Reg(32, reset: 0);
    private readonly Signal pending = Reg(1, reset: 0);
    private readonly Signal callerTag;

    // Which register the last access reads (at most one is 1; none for a write), kept until the next access.
    private readonly Signal readsArg0 = Reg(1, reset: 0);
    private readonly Signal readsArg1 = Reg(1, reset: 0);
    private readonly Signal readsResult = Reg(1, reset: 0);

    protected override void Build()
    {
        var write = (Select & Write).Named("write");
        var read = (Select & ~Write).Named("read");
        Expr Is(string register) => Offset.Eq(Region.Register(register).Offset);

        When(write & Is("ARG0"), () => arg0.Set(Wdata));
        When(write & Is("ARG1"), () => arg1.Set(Wdata));
        var start = (write & Is("OP")).Named("start");
        When(start, () =>
        {
            op.Set(Wdata);
            callerTag.Set(CallerTag);
            pending.Set(1);
        }).ElseWhen(pending & Call.Done, () =>
        {
            pending.Set(0);
            result.Set(Call.Result);
        });
        Wait.Set(pending);

        Call.Valid.Set(pending);
        Call.Op.Set(op);
        Call.Arg0.Set(arg0);
        Call.Arg1.Set(arg1);
        Call.CallerTag.Set(callerTag);

        When(Select, () =>
        {
            readsArg0.Set(read & Is("ARG0"));
            readsArg1.Set(read & Is("ARG1"));
            readsResult.Set(read & Is("RESULT"));
        });
        Rdata.Set(Mux(readsArg0, arg0, 0) | Mux(readsArg1, arg1, 0) | Mux(readsResult, result, 0));
    }
}
