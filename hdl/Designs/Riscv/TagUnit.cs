using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// What the tag unit gives the execute stage for the rule lookup of its instruction, and what it takes from it:
/// declared from the tag unit's side (<c>Out</c> there, <c>In</c> in <see cref="ExecuteStage"/>).
/// </summary>
public sealed class TagLookupPort : Bundle
{
    public TagLookupPort(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int t = config.TagWidth;
        CiTag = UInt(t);
        SpeculativePcTag = UInt(t);
        SpeculativeResultTag = UInt(t);
        Key = Flipped(UInt(config.KeyWidth - t));
    }

    /// <summary>The opgroup of the instruction in execute (read from the opgroup table while it was in decode).</summary>
    public readonly Signal Opgroup = UInt(TagConfig.OpgroupBits);
    /// <summary>The care mask of <see cref="Opgroup"/>: bit n = <see cref="TagField"/> n.</summary>
    public readonly Signal Care = UInt(TagConfig.InputTags);
    /// <summary>The tag of the word the instruction in execute was fetched from (0 outside the tagged memory).</summary>
    public Signal CiTag { get; }
    /// <summary>
    /// The rule cache's outputs for the instruction in the memory stage, before its compare (way 0 of its set): the
    /// PC tag and the result tag it will leave if it hits, forwarded to the instruction in execute.
    /// </summary>
    public Signal SpeculativePcTag { get; }
    public Signal SpeculativeResultTag { get; }

    /// <summary>The key of the instruction in execute took a register tag from the memory stage's result (forwarded).</summary>
    public readonly Signal UsesResultTag = Flipped(Bool());
    /// <summary>
    /// Read the rule's set and the word's tag of the instruction in execute: it moves on to the memory stage, or it is a
    /// multiplication or division in its first cycle (its lookup is then held until it moves on).
    /// </summary>
    public readonly Signal Enable = Flipped(Bool());
    /// <summary>The lookup key (<see cref="RuleCache.LookupKey"/>), masked by the care mask.</summary>
    public Signal Key { get; }
    /// <summary>The byte address of a load or store (the target adder's sum).</summary>
    public readonly Signal Address = Flipped(UInt(32));
    /// <summary>The instruction in execute is a load, or a store: tag memory reads its word's tag only then.</summary>
    public readonly Signal Load = Flipped(Bool());
    public readonly Signal Store = Flipped(Bool());
}

/// <summary>
/// The rule check of the instruction at the commit point (the memory stage): the rule cache's answer, the memory tag
/// of its load or store, the PEX's answer to a miss, and the tag writes of a committing store. Declared from the tag
/// unit's side (<c>Out</c> there, <c>In</c> in <see cref="MemoryStage"/>).
/// </summary>
public sealed class TagCheckPort : Bundle
{
    public TagCheckPort(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int t = config.TagWidth;
        PcTag = UInt(t);
        ResultTag = UInt(t);
        MemTag = UInt(t);
        MemKey = UInt(t);
        MatchKey = Flipped(UInt(config.KeyWidth));
        StoreTag = Flipped(UInt(t));
    }

    /// <summary>The rule cache holds <see cref="MatchKey"/>; its outputs.</summary>
    public readonly Signal Hit = Bool();
    /// <summary>
    /// The hit is in a way other than way 0 and its PC tag out differs from way 0's, or its result tag does and the
    /// instruction in execute took it: what was forwarded to that instruction was wrong, and it starts again.
    /// </summary>
    public readonly Signal ForwardedWrong = Bool();
    public Signal PcTag { get; }
    public Signal ResultTag { get; }
    /// <summary>The tag of the load's or store's word (meaningful with <see cref="MemTagged"/>).</summary>
    public Signal MemTag { get; }
    /// <summary>
    /// The memory tag as the key takes it (<see cref="MatchKey"/>'s top field): the tag of its word
    /// in the tagged memory (<see cref="MemTag"/>), the call result tag in the PEX call port region, else the device
    /// tag, where the instruction is a load or store whose opgroup cares for it, else 0; meaningful unless <see cref="KeyWait"/>. Its
    /// source is chosen a cycle ahead, so that it is the tag memory's port output or one register: the rule cache's
    /// compare takes it in one LUT per bit.
    /// </summary>
    public Signal MemKey { get; }
    /// <summary>
    /// <see cref="MemKey"/> is not yet the instruction's: neither a hit nor a miss this cycle, the instruction waits.
    /// For one cycle after a load or store outside the tagged memory whose opgroup cares for its memory tag enters the
    /// commit point (its device or call result tag is taken then), and after the PEX writes either tag.
    /// </summary>
    public readonly Signal KeyWait = Bool();
    /// <summary>The load or store's word is in the tagged memory.</summary>
    public readonly Signal MemTagged = Bool();
    /// <summary>
    /// The PEX resolved the miss presented in this cycle: <see cref="Allow"/>, or a denial. An allowed rule is installed
    /// in that cycle, the set is read again in the next (<see cref="Rereading"/>), and from the cycle after it hits.
    /// </summary>
    public readonly Signal Resolve = Bool();
    public readonly Signal Allow = Bool();
    /// <summary>The rule cache reads the set of the instruction at the commit point again: neither a hit nor a miss this cycle.</summary>
    public readonly Signal Rereading = Bool();

    /// <summary>The full key of the instruction (the lookup key with the masked memory tag).</summary>
    public Signal MatchKey { get; }
    /// <summary>The instruction missed and waits for the PEX; with its pc, word and data address (0 for no load or store).</summary>
    public readonly Signal MissValid = Flipped(Bool());
    public readonly Signal MissPc = Flipped(UInt(32));
    public readonly Signal MissInsn = Flipped(UInt(32));
    public readonly Signal MissAddress = Flipped(UInt(32));
    /// <summary>The byte address of the load or store at the commit point (the execute stage's target, as registered there).</summary>
    public readonly Signal Address = Flipped(UInt(32));
    /// <summary>A store in the tagged memory commits: its word's new tag (at the word of <see cref="Address"/>).</summary>
    public readonly Signal StoreWrite = Flipped(Bool());
    public Signal StoreTag { get; }
    /// <summary>Statistics: an instruction checked leaves the commit point (committed or denied), and did so on a hit.</summary>
    public readonly Signal CountLookup = Flipped(Bool());
    public readonly Signal CountHit = Flipped(Bool());
}

/// <summary>The simulator's access to tag memory while the core is held in reset: one word's tag per cycle.</summary>
public sealed class TagLoaderPort : Bundle
{
    public TagLoaderPort(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Index = UInt(Shape.BitsFor(config.TaggedWords));
        Tag = UInt(config.TagWidth);
    }

    public readonly Signal Valid = Bool();
    /// <summary>The word index within the tagged memory.</summary>
    public Signal Index { get; }
    public Signal Tag { get; }
}

/// <summary>
/// The tag unit of a tagged core: the opgroup table with the care masks (read in decode), tag memory (the CI tag read in
/// decode, a load's or store's word tag in execute, a store's new tag written at commit), the rule cache (read in
/// execute with the lookup key, compared at the commit point with the full key), the device and call result tags, and
/// the PEX's port (<see cref="PexPort"/>). The tag register file lives beside the registers in
/// <see cref="DecodeStage"/>, the PC tag at the commit point in <see cref="MemoryStage"/>.
/// </summary>
/// <remarks>
/// Every memory is read synchronously in the cycle its instruction moves on (the read holds while the stage holds),
/// so that the next stage finds the data as if in its pipeline register. A miss presented on <see cref="TagCheckPort"/>
/// goes out on <see cref="Pex"/> as it is; the PEX's allowing answer installs the rule in the same cycle, and the
/// rule cache reads the set held again in the next, so that the waiting instruction hits with the rule's outputs in
/// the cycle after (the outputs are not kept beside the cache). Statistics count one lookup per instruction checked, one miss per
/// miss resolved and every cycle a miss is presented to the PEX (a miss waits for a flush to end before that).
/// </remarks>
public sealed class TagUnit : Module
{
    /// <param name="config">The tag unit's parameters.</param>
    /// <remarks>
    /// The rule cache's key compare is generic logic on every target, the board's too: built from <c>SB_LUT4</c>
    /// instances (<see cref="RuleCache.Cells"/>) it takes fewer LUTs, but synthesis then takes its output, the hit, for
    /// a signal that comes at the start of the cycle and puts it deep into the commit decisions after it (the tagged
    /// board SoC closed at 21.55 MHz so, 23.62 with the generic compare).
    /// </remarks>
    public TagUnit(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        int t = config.TagWidth;
        Pex = Out(new PexPort(config));
        Loader = In(new TagLoaderPort(config));
        Lookup = Out(new TagLookupPort(config));
        Check = Out(new TagCheckPort(config));
        cache = new RuleCache(config);
        if (config.Memory == TagMemoryKind.MultiPort)
        {
            tagMemory = new TagMemory(config);
            ports = TagMemoryPorts.Of(tagMemory);
        }
        else
        {
            singlePortTagMemory = new SpramTagMemory(config, primitive: config.Memory == TagMemoryKind.Spram);
            ports = TagMemoryPorts.Of(singlePortTagMemory);
            storeWaiting = Reg(1, reset: 0);
        }
        deviceTag = Reg(t, reset: 0);
        callResultTag = Reg(t, reset: 0);
        fetchTagged = Reg(1, reset: 0);
        dataTagged = Reg(1, reset: 0);
        memKeyFromPort = Reg(1, reset: 0);
        memKeyHeld = Reg(t, reset: 0);
        memKeyDevice = Reg(1, reset: 0);
        memKeyWait = Reg(1, reset: 0);
        rereading = Reg(1, reset: 0);
    }

    public TagConfig Config { get; }

    [Parameter]
    public int TagWidth => Config.TagWidth;

    [Parameter]
    public int RuleCacheEntries => Config.RuleCacheEntries;

    [Parameter]
    public int RuleCacheWays => Config.RuleCacheWays;

    /// <summary>The link to the PEX.</summary>
    public readonly PexPort Pex;
    /// <summary>Writes tag memory from outside (the simulator's loader).</summary>
    public readonly TagLoaderPort Loader;

    /// <summary>
    /// The tag memory's single port (<see cref="TagMemoryKind.SinglePort"/>, <see cref="TagMemoryKind.Spram"/>) is
    /// taken by another access: the instruction in decode must not move on this cycle (0 with a read port per reader).
    /// </summary>
    public readonly Signal Busy = Out(1);

    /// <summary>The instruction in decode: its pc and word (the CI tag and the opgroup are read for it), and whether it moves on.</summary>
    public readonly Signal FetchEnable = In(1);
    public readonly Signal FetchPc = In(32);
    public readonly Signal Instruction = In(32);

    public readonly TagLookupPort Lookup;
    public readonly TagCheckPort Check;

    private readonly RuleCache cache;
    private readonly TagMemory? tagMemory;
    private readonly SpramTagMemory? singlePortTagMemory;
    /// <summary>The ports of whichever tag memory is built.</summary>
    private readonly TagMemoryPorts ports;
    /// <summary>Single port: the instruction at the commit point is a store into the tagged memory.</summary>
    private readonly Signal? storeWaiting;
    private readonly OpgroupTable opgroups = new();
    private readonly Signal deviceTag;
    private readonly Signal callResultTag;
    /// <summary>The instruction in execute was fetched from the tagged memory.</summary>
    private readonly Signal fetchTagged;
    /// <summary>The load or store in the memory stage: its word is tagged.</summary>
    private readonly Signal dataTagged;
    /// <summary>The key's memory tag is the tag memory's port output this cycle (the cycle after the word's read), else <see cref="memKeyHeld"/>.</summary>
    private readonly Signal memKeyFromPort;
    private readonly Signal memKeyHeld;
    /// <summary>The key's memory tag is the device tag or the call result tag (a load or store outside the tagged memory that cares for it).</summary>
    private readonly Signal memKeyDevice;
    /// <summary><see cref="TagCheckPort.KeyWait"/>.</summary>
    private readonly Signal memKeyWait;
    /// <summary>The PEX allowed the miss in the previous cycle: the rule cache reads its set again.</summary>
    private readonly Signal rereading;

    /// <summary>
    /// Whether <paramref name="address"/> lies in [<paramref name="base"/>, <paramref name="base"/> + <paramref name="size"/>):
    /// for a region of a power-of-two size aligned to it (the usual case), a compare of the high bits, not a carry chain.
    /// </summary>
    public static Expr InRegion(Expr address, uint @base, uint size)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (size == 0)
            return U(0, 1);
        if ((size & (size - 1)) == 0 && @base % size == 0)
        {
            int low = System.Numerics.BitOperations.Log2(size);
            return low >= 32 ? U(1, 1) : address[31, low].Eq(U(@base >> low, 32 - low));
        }
        return (address - @base).ZeroExtend(33) < U(size, 33);
    }

    private Expr WordIndex(Expr address) => WordIndex(Config, address);

    /// <summary>
    /// The word index of <paramref name="address"/> in the tagged memory of <paramref name="config"/> (meaningful inside
    /// it): for a memory of a power-of-two size aligned to it, bits of the address, no subtraction.
    /// </summary>
    public static Expr WordIndex(TagConfig config, Expr address)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(address);
        int bits = Shape.BitsFor(config.TaggedWords);
        var size = config.TaggedSize;
        var offset = (size & (size - 1)) == 0 && config.TaggedBase % size == 0 ? address : (Expr)(address - config.TaggedBase);
        return offset[bits + 1, 2];
    }

    protected override void Build()
    {
        int t = Config.TagWidth;

        // Decode: the opgroup of the word and the tag of the word it came from, out for execute.
        opgroups.ReadEnable.Set(FetchEnable);
        opgroups.ReadIndex.Set(OpgroupTable.IndexOf(Instruction));
        opgroups.OpgroupWrite.Set(Pex.OpgroupWrite);
        opgroups.OpgroupIndex.Set(Pex.OpgroupIndex);
        opgroups.OpgroupValue.Set(Pex.OpgroupValue);
        opgroups.OpgroupCare.Set(Pex.OpgroupCare);
        Lookup.Opgroup.Set(opgroups.Opgroup);
        Lookup.Care.Set(opgroups.Care);

        ports.FetchEnable.Set(FetchEnable);
        ports.FetchIndex.Set(WordIndex(FetchPc));
        When(FetchEnable, () => fetchTagged.Set(InRegion(FetchPc, Config.TaggedBase, Config.TaggedSize)));
        Lookup.CiTag.Set(Mux(fetchTagged, ports.FetchTag, 0));

        // Execute: the rule's set, and the tag of the load's or store's word, for the memory stage.
        cache.ReadEnable.Set(Lookup.Enable);
        cache.ReadKey.Set(Lookup.Key);
        var memoryAccess = (Lookup.Load | Lookup.Store).Named("memoryAccess");
        ports.DataEnable.Set(Lookup.Enable & memoryAccess);
        var dataIndex = WordIndex(Lookup.Address).Named("dataIndex");
        ports.DataIndex.Set(dataIndex);
        var addressTagged = InRegion(Lookup.Address, Config.TaggedBase, Config.TaggedSize).Named("addressTagged");
        When(Lookup.Enable, () =>
        {
            dataTagged.Set(addressTagged);
            storeWaiting?.Set(Lookup.Store & addressTagged);
        });
        Lookup.SpeculativePcTag.Set(cache.SpeculativePcTag);
        Lookup.SpeculativeResultTag.Set(cache.SpeculativeResultTag);

        // The commit point: the compare, the memory tag, the miss and its answer.
        cache.MatchKey.Set(Check.MatchKey);
        Check.Hit.Set(cache.Hit);
        Check.ForwardedWrong.Set(cache.PcSpeculationWrong | (cache.ResultSpeculationWrong & Lookup.UsesResultTag));
        Check.PcTag.Set(cache.PcTagOut);
        Check.ResultTag.Set(cache.ResultTagOut);
        Check.MemTag.Set(ports.DataTag);
        Check.MemTagged.Set(dataTagged);
        // The key's memory tag: in the cycle after its word's read, the tag memory's port output (the port serves
        // others after, so it is taken into a register then); for a load or store outside the tagged memory, the device
        // tag or the call result tag, taken into that register in the instruction's first cycle (which waits, as the
        // cycle after the PEX writes either tag does); else 0, the register cleared as the instruction enters. So its
        // source is the port or the register, chosen by a flip-flop, and the late address and enable reach only
        // flip-flops' reset and enable.
        var memCare = (Lookup.Care[(int)TagField.Mem] & memoryAccess).Named("memCare");
        // Which of the two: told in the instruction's first cycle at the commit point, from its registered address.
        var dataCallPort = InRegion(Check.Address, Config.CallPortBase, Config.CallPortSize).Named("dataCallPort");
        memKeyFromPort.Set(Lookup.Enable & memCare & addressTagged);
        memKeyWait.Set((Lookup.Enable & memCare & ~addressTagged) | Pex.DeviceTagWrite | Pex.CallResultTagWrite);
        When(Lookup.Enable, () => memKeyDevice.Set(memCare & ~addressTagged));
        When(Lookup.Enable, () => memKeyHeld.Set(0))
            .ElseWhen(memKeyFromPort, () => memKeyHeld.Set(ports.DataPortTag))
            .ElseWhen(memKeyDevice, () => memKeyHeld.Set(Mux(dataCallPort, callResultTag, deviceTag)));
        Check.MemKey.Set(Mux(memKeyFromPort, ports.DataPortTag, memKeyHeld));
        Check.KeyWait.Set(memKeyWait);

        var key = Check.MatchKey;
        int g = TagConfig.OpgroupBits;
        Expr Field(TagField f) => key[g + ((int)f + 1) * t - 1, g + (int)f * t];
        // A miss waits for a flush (or reset's walk) to end before it goes to the PEX: an install meanwhile would be
        // dropped, and the set read again would not hold the rule.
        var presented = (Check.MissValid & ~cache.Flushing).Named("missPresented");
        Pex.MissValid.Set(presented);
        Pex.MissOpgroup.Set(key[g - 1, 0]);
        Pex.MissPcTag.Set(Field(TagField.Pc));
        Pex.MissCiTag.Set(Field(TagField.Ci));
        Pex.MissRs1Tag.Set(Field(TagField.Rs1));
        Pex.MissRs2Tag.Set(Field(TagField.Rs2));
        Pex.MissMemTag.Set(Field(TagField.Mem));
        Pex.MissPc.Set(Check.MissPc);
        Pex.MissInsn.Set(Check.MissInsn);
        Pex.MissAddress.Set(Check.MissAddress);
        var resolve = (presented & Pex.Resolve).Named("resolve");
        Check.Resolve.Set(resolve);
        Check.Allow.Set(Pex.Allow);
        cache.InstallValid.Set(resolve & Pex.Allow);
        rereading.Set(resolve & Pex.Allow);
        cache.Reread.Set(rereading);
        Check.Rereading.Set(rereading);
        cache.InstallPcTag.Set(Pex.ResultPcTag);
        cache.InstallResultTag.Set(Pex.ResultTag);
        cache.Flush.Set(Pex.Flush);

        cache.CountLookup.Set(Check.CountLookup);
        cache.CountHit.Set(Check.CountHit);
        cache.CountMiss.Set(resolve);
        cache.CountMissCycle.Set(presented);
        Pex.Lookups.Set(cache.Lookups);
        Pex.Hits.Set(cache.Hits);
        Pex.Misses.Set(cache.Misses);
        Pex.Evictions.Set(cache.Evictions);
        Pex.MissCycles.Set(cache.MissCycles);

        // Tag memory's writers: the loader, a store committing, the PEX.
        ports.LoadValid.Set(Loader.Valid);
        ports.LoadIndex.Set(Loader.Index);
        ports.LoadTag.Set(Loader.Tag);
        ports.WriteEnable.Set(Check.StoreWrite);
        // The store's word: the memory stage's registered address, not a copy of its index here.
        ports.WriteIndex.Set(WordIndex(Check.Address));
        ports.WriteTag.Set(Check.StoreTag);
        ports.TagValid.Set(Pex.TagValid);
        ports.TagWrite.Set(Pex.TagWrite);
        ports.TagIndex.Set(Pex.TagIndex);
        ports.TagInside.Set(Pex.TagInside);
        ports.TagWdata.Set(Pex.TagWdata);
        Pex.TagDone.Set(ports.TagDone);
        Pex.TagRdata.Set(ports.TagRdata);
        if (singlePortTagMemory is not null)
        {
            singlePortTagMemory.DataWanted.Set(memoryAccess);
            singlePortTagMemory.StoreWaiting.Set(storeWaiting!);
            Busy.Set(singlePortTagMemory.Busy);
        }
        else
            Busy.Set(0);

        When(Pex.DeviceTagWrite, () => deviceTag.Set(Pex.DeviceTag));
        When(Pex.CallResultTagWrite, () => callResultTag.Set(Pex.CallResultTag));
    }
}

/// <summary>The ports <see cref="TagMemory"/> and <see cref="SpramTagMemory"/> share, which the tag unit drives.</summary>
internal sealed record TagMemoryPorts(
    Signal FetchEnable, Signal FetchIndex, Signal FetchTag,
    Signal DataEnable, Signal DataIndex, Signal DataTag, Signal DataPortTag,
    Signal WriteEnable, Signal WriteIndex, Signal WriteTag,
    Signal TagValid, Signal TagWrite, Signal TagIndex, Signal TagInside, Signal TagWdata, Signal TagDone, Signal TagRdata,
    Signal LoadValid, Signal LoadIndex, Signal LoadTag)
{
    public static TagMemoryPorts Of(TagMemory m) => new(m.FetchEnable, m.FetchIndex, m.FetchTag, m.DataEnable, m.DataIndex,
        m.DataTag, m.DataPortTag, m.WriteEnable, m.WriteIndex, m.WriteTag, m.TagValid, m.TagWrite, m.TagIndex, m.TagInside, m.TagWdata, m.TagDone,
        m.TagRdata, m.LoadValid, m.LoadIndex, m.LoadTag);

    public static TagMemoryPorts Of(SpramTagMemory m) => new(m.FetchEnable, m.FetchIndex, m.FetchTag, m.DataEnable, m.DataIndex,
        m.DataTag, m.DataPortTag, m.WriteEnable, m.WriteIndex, m.WriteTag, m.TagValid, m.TagWrite, m.TagIndex, m.TagInside, m.TagWdata, m.TagDone,
        m.TagRdata, m.LoadValid, m.LoadIndex, m.LoadTag);
}
