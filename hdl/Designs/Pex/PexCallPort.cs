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
/// <para>ARG0 (RESULT) and ARG1 are not held here: they are words of the CLINT's block RAM (<see cref="Arg0"/>,
/// <see cref="Arg1"/>; <see cref="Clint.KeptLow"/>, <see cref="Clint.KeptHigh"/>), written with the CLINT's write data,
/// which the AP's system makes the bus's store data but in the cycle of the call's completion
/// (<see cref="Completing"/>), when it is the result (<see cref="PexCallLink.Result"/>), and read, like the op, in the
/// cycle after the access that names them. The AP's read names one in its cycle; while a call is pending the CLINT's
/// ports read both in every cycle (the PEX's naming comes from its bus decode, too late in the cycle for a block RAM's
/// address), so the timer's comparison is dropped through a call: <see cref="Clint.TimerInterrupt"/> is 0 from the
/// third cycle after the store to OP through the second after the cycle of <see cref="PexCallLink.Done"/>, while the
/// AP waits for the call.</para>
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
    }

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

    /// <summary>ARG0, and once a call completes its result (RESULT), kept in the CLINT's block RAM (<see cref="Clint.KeptLow"/>).</summary>
    public readonly KeptWordPort Arg0 = Out(new KeptWordPort());

    /// <summary>ARG1, kept in the CLINT's block RAM (<see cref="Clint.KeptHigh"/>).</summary>
    public readonly KeptWordPort Arg1 = Out(new KeptWordPort());

    /// <summary>The PEX completes the call in this cycle: the word written into ARG0 is then the result, not the bus's.</summary>
    public readonly Signal Completing = Out(1);
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
        Arg0.Write.Set((write & Is("ARG0")) | done);
        Completing.Set(done);
        Arg1.Write.Set(write & Is("ARG1"));
        var start = (write & Is("OP")).Named("start");
        // The op and the caller's tag follow the bus in every cycle without a call, so the store to OP, late in its
        // cycle (after the rule cache's hit), reaches only the pending flag: the call's word and tag are those of the
        // cycle it starts in, kept while it is pending.
        When(~pending, () =>
        {
            op.Set(Wdata[OpBits - 1, 0]);
            callerTag.Set(CallerTag);
        });
        When(start, () => pending.Set(1)).ElseWhen(done, () => pending.Set(0));
        Wait.Set(pending);

        Call.Valid.Set(pending);
        Call.CallerTag.Set(callerTag);

        readsArg0.Set((read & (Is("ARG0") | Is("RESULT"))) | (pending & Call.ReadArg0));
        readsArg1.Set((read & Is("ARG1")) | (pending & Call.ReadArg1));
        // The CLINT's ports read the arguments through the whole call: the PEX's naming comes from its bus decode, late
        // in the cycle for a block RAM's address. The cycle of the completion writes ARG0 as its port reads it: no one
        // reads the word of the cycle after (the PEX's access that completes names no argument; the AP has waited).
        Arg0.Read.Set(pending | (read & (Is("ARG0") | Is("RESULT"))));
        Arg1.Read.Set(pending | (read & Is("ARG1")));
        readsOp.Set(pending & Call.ReadOp);
        var word = (Mux(readsArg0, Arg0.Word, 0) | Mux(readsArg1, Arg1.Word, 0) | Mux(readsOp, op.ZeroExtend(32), 0)).Named("word");
        Rdata.Set(word);
        Call.Word.Set(word);
    }
}
