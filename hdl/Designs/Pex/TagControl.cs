using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Pex;

/// <summary>
/// The PEX's tag-control device (region TAGCTL of <see cref="PexMemoryMap"/>): the PEX's view of the tag unit
/// (<see cref="PexPort"/>), of the AP's pending call (<see cref="PexCallLink"/>) and of the AP's reset. Its registers
/// are the region's (<see cref="PexMemoryMap.TagControl"/>), decoded from their offsets there.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Reads</b> answer in the cycle after the access, like every device, but TAG_DATA: its access (read or
/// write) sends a request to the tag memory and holds the bus response (<see cref="Wait"/>) until the tag unit
/// answers with <see cref="PexPort.TagDone"/>; a read gives the tag in the cycle after that. <see cref="Rdata"/> is 0
/// in every other cycle (a quiet device for the <see cref="Interconnect"/>: no read select in front of it).</item>
/// <item><b>Pulses.</b> A write to OPGROUP, DEVICE_TAG or CALL_RESULT_TAG is a one-cycle pulse towards the tag unit
/// in the cycle of the write, with the written word as it comes from the bus (the receivers register both, so nothing
/// here holds a copy). A write to ALLOW or DENY (the miss's answer), FLUSH or CALL_RESULT (the call's completion)
/// becomes a pulse in the cycle after the write, from a register: the tag unit's answer to a miss reaches the AP's
/// commit logic, and the call's completion the write enable and the write data of the AP's data RAM's port (the
/// result is written where ARG0 is kept, through the store word shared with the RAM), neither of which may wait for
/// the PEX's address decode.</item>
/// <item><b>Words held by the core.</b> The PEX's core holds a store's data on the bus until the next instruction
/// arrives (<see cref="MultiCycleCore"/>: rs2 as read when the store arrived), so through the wait of its response and
/// the cycle after it. Tag control keeps no copy of a word it passes on later: ALLOW's output tags
/// (<see cref="PexPort.ResultPcTag"/>, <see cref="PexPort.ResultTag"/>) and the call's result
/// (<see cref="PexCallLink.Result"/>) are the bus's word in the cycle of the pulse, the one after the write, and TAG_DATA's tag (<see cref="PexPort.TagWdata"/>) is the bus's word while the
/// write waits for the tag memory.</item>
/// <item><b>STATUS</b> shows a miss (a call) until the PEX answers it: from the write to ALLOW or DENY (CALL_RESULT) until
/// the tag unit (the call port) lowers it, it reads 0, so that a PEX polling STATUS right after its answer does not
/// serve the same miss (call) twice. This takes the tag unit (the call port) to lower its request for at least a
/// cycle after the answer before it raises the next, as they do: the answer is registered before the instruction
/// (the store to OP) leaves.</item>
/// <item><b>Miss report.</b> MISS_PC, MISS_INSN and MISS_ADDR are for reports: no policy reads them. Without
/// <see cref="MissReport"/> (the board's PEX) they read 0, and the AP's logic that gives them goes with them. Likewise
/// LOOKUPS ... MISS_CYCLES read 0 without the rule cache's statistics (<see cref="TagConfig.Statistics"/>).</item>
/// <item><b>The pending call.</b> CALL_OP, CALL_ARG0 and CALL_ARG1 are not copied here: a read names the call port's
/// register (<see cref="PexCallLink.ReadOp"/> ...), whose word comes in the next cycle, the cycle of the answer:
/// <see cref="Rdata"/> is the read register's word, or in that cycle the call port's. They read 0 when no call is
/// pending.</item>
/// <item><b>DENY</b>'s word is the denial (<c>(policy &lt;&lt; 16) | reason</c>), kept in a register the PEX does not read
/// back (its firmware keeps its own copy): it is exported (<see cref="DenyInfo"/>) for the simulator's report, and where
/// nothing reads that (the board) it goes with its 32 flip-flops. <b>AP_CONTROL</b> bit 0 resets to 1 and drives <see cref="ApReset"/>.</item>
/// <item><b>TAG_DATA</b> reads the tag memory; without <see cref="TagRead"/> (the board's PEX, whose boot loader and policy
/// firmware only write tags) its read still waits for the tag memory but gives 0, and the tag unit's read data goes.</item>
/// <item><b>The read decode.</b> Each register that reads other than 0 is told by the few bits of its word offset in which
/// it differs from the other such registers and from the offsets that must read 0 (the registers that read 0 in this
/// configuration, TAG_DATA and the pending call's, whose word is the call port's): a read of a write-only register's
/// offset, or of one no register has, gives an unspecified word (the firmware never reads them). The region takes word
/// accesses only (the interconnect answers any other with an error, selecting no device), so the offset's low two
/// bits are 0.</item>
/// </list>
/// </remarks>
public sealed class TagControl : Module
{
    /// <param name="config">The AP's tag configuration.</param>
    /// <param name="region">The device's region; null: <see cref="PexMemoryMap.TagControl"/>.</param>
    /// <param name="missReport">MISS_PC, MISS_INSN and MISS_ADDR read the miss's report fields; false: they read 0.</param>
    /// <param name="tagRead">A read of TAG_DATA gives the tag of the word at TAG_ADDR; false: 0 (see <see cref="TagRead"/>).</param>
    public TagControl(TagConfig config, MemoryRegion? region = null, bool missReport = true, bool tagRead = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        MissReport = missReport;
        TagRead = tagRead;
        Region = region ?? PexMemoryMap.TagControl();
        OffsetBits = Interconnect.OffsetBits(Region);
        Offset = In(OffsetBits);
        Tags = In(new PexPort(config));
        Call = In(new PexCallLink(config));
        tagIndex = Reg(Shape.BitsFor(config.TaggedWords), reset: 0);
    }

    public TagConfig Config { get; }

    public MemoryRegion Region { get; }

    [Parameter]
    public int TagWidth => Config.TagWidth;

    /// <summary>MISS_PC, MISS_INSN and MISS_ADDR read the pending miss's pc, instruction word and data address (else 0).</summary>
    [Parameter]
    public bool MissReport { get; }

    /// <summary>
    /// A read of TAG_DATA gives the tag memory's word (true, the default); false: it waits for the tag memory as a read
    /// does but gives 0, for a PEX whose code only writes tags, and the tag unit's read data is left unread.
    /// </summary>
    [Parameter]
    public bool TagRead { get; }

    public int OffsetBits { get; }

    /// <summary>1 when the PEX accesses this device in this cycle.</summary>
    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    /// <summary>The byte offset of the access within the region.</summary>
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    /// <summary>The register read, in the cycle after the access (for TAG_DATA, after <see cref="Wait"/>).</summary>
    public readonly Signal Rdata = Out(32);
    /// <summary>1 while a TAG_DATA access waits for the tag memory.</summary>
    public readonly Signal Wait = Out(1);

    /// <summary>Towards the tag unit.</summary>
    public readonly PexPort Tags;

    /// <summary>The AP's pending call.</summary>
    public readonly PexCallLink Call;

    /// <summary>The last denial, DENY's word: <c>(policy &lt;&lt; 16) | reason</c>.</summary>
    public readonly Signal DenyInfo = Out(32);

    /// <summary>AP_CONTROL bit 0: the AP is held (fetches nothing).</summary>
    public readonly Signal ApReset = Out(1);

    private readonly Signal readData = Reg(32, reset: 0);
    private readonly Signal denyInfo = Reg(32, reset: 0);
    /// <summary>TAG_ADDR: the word's index in the tagged memory, and whether the address lies in it.</summary>
    private readonly Signal tagIndex;
    private readonly Signal tagInside = Reg(1, reset: 0);
    private readonly Signal tagBusy = Reg(1, reset: 0);
    /// <summary>A read of the pending call's op or arguments: the call port's word is the answer in this cycle.</summary>
    private readonly Signal callRead = Reg(1, reset: 0);
    private readonly Signal tagWrite = Reg(1, reset: 0);
    private readonly Signal apReset = Reg(1, reset: 1);

    // The pulses towards the AP's commit logic and the rule cache, the cycle after the write.
    private readonly Signal resolve = Reg(1, reset: 0);
    private readonly Signal allow = Reg(1, reset: 0);
    private readonly Signal flush = Reg(1, reset: 0);
    private readonly Signal callDone = Reg(1, reset: 0);

    // Answered, until the miss (call) is lowered.
    private readonly Signal missAnswered = Reg(1, reset: 0);
    private readonly Signal callAnswered = Reg(1, reset: 0);

    protected override void Build()
    {
        int t = Config.TagWidth;
        var write = (Select & Write).Named("write");
        var reading = (Select & ~Write).Named("reading");
        Expr Is(string register) => Offset.Eq(Region.Register(register).Offset);
        Expr Writes(string register) => write & Is(register);

        // Registers the PEX writes.
        var allowing = Writes("ALLOW").Named("allowing");
        var denying = Writes("DENY").Named("denying");
        When(denying, () => denyInfo.Set(Wdata));
        // TAG_ADDR keeps what the tag memory's port needs of the address: the word's index, and whether it is tagged.
        When(Writes("TAG_ADDR"), () =>
        {
            tagIndex.Set(TagUnit.WordIndex(Config, Wdata));
            tagInside.Set(TagUnit.InRegion(Wdata, Config.TaggedBase, Config.TaggedSize));
        });
        When(Writes("AP_CONTROL"), () => apReset.Set(Wdata[0]));
        var resolving = (allowing | denying).Named("resolving");
        resolve.Set(resolving);
        allow.Set(allowing);
        flush.Set(Writes("FLUSH"));
        var callResultWord = Writes("CALL_RESULT").Named("callResultWord");
        missAnswered.Set(Mux(resolving, U(1, 1), missAnswered & Tags.MissValid));
        callAnswered.Set(Mux(callResultWord, U(1, 1), callAnswered & Call.Valid));
        var missPending = (Tags.MissValid & ~missAnswered).Named("missPending");
        var callPending = (Call.Valid & ~callAnswered).Named("callPending");

        Tags.Resolve.Set(resolve);
        Tags.Allow.Set(allow);
        // The answer's pulse comes in the cycle after ALLOW's write, while the core still holds the word.
        Tags.ResultPcTag.Set(Wdata[t - 1, 0]);
        Tags.ResultTag.Set(Wdata[PexMemoryMap.AllowResultTagShift + t - 1, PexMemoryMap.AllowResultTagShift]);
        Tags.OpgroupWrite.Set(Writes("OPGROUP"));
        Tags.OpgroupIndex.Set(Wdata[TagConfig.OpgroupBits + Opgroups.IndexBits - 1, TagConfig.OpgroupBits]);
        Tags.OpgroupValue.Set(Wdata[TagConfig.OpgroupBits - 1, 0]);
        Tags.OpgroupCare.Set(Wdata[PexMemoryMap.OpgroupCareShift + TagConfig.InputTags - 1, PexMemoryMap.OpgroupCareShift]);
        Tags.DeviceTagWrite.Set(Writes("DEVICE_TAG"));
        Tags.DeviceTag.Set(Wdata[t - 1, 0]);
        Tags.CallResultTagWrite.Set(Writes("CALL_RESULT_TAG"));
        Tags.CallResultTag.Set(Wdata[t - 1, 0]);
        Tags.Flush.Set(flush);
        // The completion's pulse comes in the cycle after CALL_RESULT's write, while the core still holds the word.
        callDone.Set(callResultWord & Call.Valid);
        Call.Done.Set(callDone);
        Call.Result.Set(Wdata);
        DenyInfo.Set(denyInfo);
        ApReset.Set(apReset);

        // TAG_DATA: a request to the tag memory, held until the tag unit is done; the bus response waits for it, and
        // the core holds a write's word meanwhile.
        var tagAccess = (Select & Is("TAG_DATA")).Named("tagAccess");
        When(tagAccess, () =>
        {
            tagBusy.Set(1);
            tagWrite.Set(Write);
        }).ElseWhen(Tags.TagDone, () => tagBusy.Set(0));
        Tags.TagValid.Set(tagBusy);
        Tags.TagWrite.Set(tagWrite);
        Tags.TagIndex.Set(tagIndex);
        Tags.TagInside.Set(tagInside);
        Tags.TagWdata.Set(Wdata[t - 1, 0]);
        Wait.Set(tagBusy);

        // Reads: the register, in the next cycle; TAG_DATA's when the tag memory answers. The pending call's op and
        // arguments are the call port's registers: named in the cycle of the read, their word comes in the next, the
        // answer's.
        Expr Tag(Expr tag) => tag.ZeroExtend(32);
        Expr Reads(string register) => reading & Is(register);
        Call.ReadOp.Set(Reads("CALL_OP"));
        Call.ReadArg0.Set(Reads("CALL_ARG0"));
        Call.ReadArg1.Set(Reads("CALL_ARG1"));
        callRead.Set((Reads("CALL_OP") | Reads("CALL_ARG0") | Reads("CALL_ARG1")) & Call.Valid);
        // The registers that read other than 0 in this configuration, each with its value.
        var readable = new List<(string Name, Expr Value)>
        {
            ("STATUS", Cat(U(0, 30), callPending, missPending)),
            ("MISS_OPGROUP", Tags.MissOpgroup.ZeroExtend(32)),
            ("MISS_PC_TAG", Tag(Tags.MissPcTag)),
            ("MISS_CI_TAG", Tag(Tags.MissCiTag)),
            ("MISS_RS1_TAG", Tag(Tags.MissRs1Tag)),
            ("MISS_RS2_TAG", Tag(Tags.MissRs2Tag)),
            ("MISS_MEM_TAG", Tag(Tags.MissMemTag)),
            ("AP_CONTROL", apReset.ZeroExtend(32)),
            ("CALL_CALLER_TAG", Tag(Call.CallerTag)),
        };
        // The miss report and the statistics read their values where the configuration has them, else 0.
        var readsZero = new List<string> { "TAG_DATA", "CALL_OP", "CALL_ARG0", "CALL_ARG1" };
        (string Name, Expr Value)[] report = [("MISS_PC", Tags.MissPc), ("MISS_INSN", Tags.MissInsn), ("MISS_ADDR", Tags.MissAddress)];
        (string Name, Expr Value)[] statistics = [("LOOKUPS", Tags.Lookups), ("HITS", Tags.Hits), ("MISSES", Tags.Misses),
            ("EVICTIONS", Tags.Evictions), ("MISS_CYCLES", Tags.MissCycles)];
        foreach (var (group, present) in new[] { (report, MissReport), (statistics, Config.Statistics) })
        {
            if (present)
                readable.AddRange(group);
            else
                readsZero.AddRange(group.Select(r => r.Name));
        }
        // Each register's select: the word offset's bits that tell it from the other registers read and from the offsets
        // that read 0; the others (write-only registers, offsets of no register) may read anything.
        int WordOf(string name) => (int)(Region.Register(name).Offset >> 2);
        var wordOffset = Offset[OffsetBits - 1, 2];
        Expr read = U(0, 32);
        foreach (var (name, value) in readable)
        {
            int word = WordOf(name);
            int[] others = [.. readable.Where(r => r.Name != name).Select(r => WordOf(r.Name)), .. readsZero.Select(WordOf)];
            var bits = ControlStatusRegisters.DistinguishingBits([word, .. others], w => w == word ? 0 : 1);
            read |= Mux(ControlStatusRegisters.Matches(wordOffset, word, bits).Named($"reads{name}"), value, 0);
        }
        // The read register holds a word for one cycle only, the answer's, and is 0 in every other (a quiet device: its
        // read data joins the interconnect's AND-OR without a read select).
        var answer = Mux(reading, read, 0);
        readData.Set(TagRead ? Mux(tagBusy & Tags.TagDone, Tag(Tags.TagRdata), answer) : answer);
        Rdata.Set(readData | Mux(callRead, Call.Word, 0));
    }
}
