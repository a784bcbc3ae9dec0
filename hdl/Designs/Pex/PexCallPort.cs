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
/// The caller's tag (<see cref="CallerTag"/>, the CI tag of the store committing) is taken with the store to OP. ARG0,
/// ARG1 and OP read back what was written. Each register is a word: a narrower access addresses the register at its
/// first byte and takes the low bits of the data.
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
    private readonly Signal readData = Reg(32, reset: 0);

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

        When(read, () =>
        {
            When(Is("OP"), () => readData.Set(op))
                .ElseWhen(Is("ARG0"), () => readData.Set(arg0))
                .ElseWhen(Is("ARG1"), () => readData.Set(arg1))
                .ElseWhen(Is("RESULT"), () => readData.Set(result))
                .Otherwise(() => readData.Set(0));
        });
        Rdata.Set(readData);
    }
}
