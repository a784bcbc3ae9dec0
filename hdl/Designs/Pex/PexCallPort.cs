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
/// The caller's tag (<see cref="CallerTag"/>, the CI tag of the store committing) is taken with the store to OP, and
/// so is the op: the word's low bits (<see cref="MemoryMap.PexCallOpMask"/>; the PEX reads them as CALL_OP). The
/// result goes where the first argument was: RESULT and ARG0 name one register, which a store to ARG0 or the call's
/// completion sets (so the result replaces ARG0, and before the first call RESULT reads ARG0). ARG0, ARG1 and RESULT
/// read back what they hold; OP and the other offsets read 0 (as in the golden model). The AP's read and the PEX's
/// (<see cref="PexCallLink.Word"/>) share one AND-OR of the registers: an access registers which one it reads, for the next cycle, where
/// <see cref="Rdata"/> and <see cref="PexCallLink.Word"/> answer (no copy of the word read); the PEX names one only
/// while a call is pending, when the AP reads nothing. Each register is a word: a narrower access addresses
/// the register at its first byte and takes the low bits of the data.
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
        OpBits = System.Numerics.BitOperations.PopCount(MemoryMap.PexCallOpMask);
        op = Reg(OpBits, reset: 0);
        arg1 = Mem(32, Arg1Words, init: new ulong[Arg1Words]);
        // The word read in the cycle of a store to ARG1 is not used: that cycle's access is the store, and the PEX reads
        // only while a call is pending, when the AP stores nothing.
        arg1.ReadDuringWrite = ReadDuringWrite.Undefined;
        arg1Read = arg1.ReadPort();
        arg1Write = arg1.WritePort();
    }

    /// <summary>
    /// The words of the memory that holds ARG1 (only word 0 is used): Yosys puts a memory in block RAM only when it fills
    /// at least 2 % of the blocks (8 words of 32 bits in two 256 x 16 blocks), else it becomes flip-flops again.
    /// </summary>
    public const int Arg1Words = 8;

    /// <summary>The bits of a call's op.</summary>
    [Parameter]
    public int OpBits { get; }

    public MemoryRegion Region { get; }

    public int OffsetBits { get; }

    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    /// <summary>
    /// The register read, in the cycle after the access; 0 in every other cycle but those after the PEX's reads, which
    /// come while a call is pending, when the store to OP waits (a quiet device for the <see cref="Interconnect"/>).
    /// </summary>
    public readonly Signal Rdata = Out(32);
    /// <summary>1 while a call is pending: the store to OP has not been answered yet.</summary>
    public readonly Signal Wait = Out(1);

    /// <summary>The CI tag of the store at the core's commit point (taken with the store to OP).</summary>
    public readonly Signal CallerTag;

    public readonly PexCallLink Call;

    /// <summary>ARG0, and once a call completes its result (RESULT).</summary>
    private readonly Signal arg0 = Reg(32, reset: 0);
    /// <summary>
    /// ARG1 in block RAM, word 0 written by a store to ARG1 and read every cycle: the register as flip-flops took a logic
    /// cell per bit of its own (they are loaded from the bus's write data as it is, which no LUT of theirs drives). A
    /// store to ARG1 is read back from the cycle after it, as it was; the PEX reads ARG1 only while a call is pending,
    /// after the store to OP that follows the store to ARG1. Zero after configuration, like the register after reset;
    /// a reset while it holds a value does not clear it (ARG1 is read only after it is written).
    /// </summary>
    private readonly Memory arg1;
    private readonly MemoryReadPort arg1Read;
    private readonly MemoryWritePort arg1Write;
    /// <summary>The pending call's op.</summary>
    private readonly Signal op;
    private readonly Signal pending = Reg(1, reset: 0);
    private readonly Signal callerTag;

    // Which register the read of the cycle before, the AP's or the PEX's, reads (at most one is 1; none after a write or no read).
    private readonly Signal readsArg0 = Reg(1, reset: 0);
    private readonly Signal readsArg1 = Reg(1, reset: 0);
    private readonly Signal readsOp = Reg(1, reset: 0);

    protected override void Build()
    {
        var write = (Select & Write).Named("write");
        var read = (Select & ~Write).Named("read");
        Expr Is(string register) => Offset.Eq(Region.Register(register).Offset);

        var done = (pending & Call.Done).Named("done");
        When(write & Is("ARG0"), () => arg0.Set(Wdata)).ElseWhen(done, () => arg0.Set(Call.Result));
        arg1Write.Data.Set(Wdata);
        arg1Write.Enable.Set(write & Is("ARG1"));
        var start = (write & Is("OP")).Named("start");
        When(start, () =>
        {
            op.Set(Wdata[OpBits - 1, 0]);
            callerTag.Set(CallerTag);
            pending.Set(1);
        }).ElseWhen(done, () => pending.Set(0));
        Wait.Set(pending);

        Call.Valid.Set(pending);
        Call.CallerTag.Set(callerTag);

        readsArg0.Set((read & (Is("ARG0") | Is("RESULT"))) | (pending & Call.ReadArg0));
        readsArg1.Set((read & Is("ARG1")) | (pending & Call.ReadArg1));
        readsOp.Set(pending & Call.ReadOp);
        var word = (Mux(readsArg0, arg0, 0) | Mux(readsArg1, arg1Read.Data, 0) | Mux(readsOp, op.ZeroExtend(32), 0)).Named("word");
        Rdata.Set(word);
        Call.Word.Set(word);
    }
}
