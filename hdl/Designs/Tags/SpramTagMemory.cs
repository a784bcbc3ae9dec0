using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Tags;

/// <summary>How the tag unit builds its tag memory (<see cref="TagConfig.Memory"/>).</summary>
public enum TagMemoryKind
{
    /// <summary>A generic memory with a read port per reader (<see cref="TagMemory"/>): no reader ever waits.</summary>
    MultiPort,

    /// <summary>
    /// One port shared by every reader and writer (<see cref="SpramTagMemory"/>) on a generic memory: the board's
    /// arbitration, for simulation.
    /// </summary>
    SinglePort,

    /// <summary>One port shared by every reader and writer, on one <c>SB_SPRAM256KA</c> (16K tags of up to 16 bits).</summary>
    Spram,
}

/// <summary>
/// Tag memory with a single port (the board's: one <c>SB_SPRAM256KA</c> of 16K x 16, the tags of 64 KiB), arbitrated
/// between the same requesters as <see cref="TagMemory"/>, whose ports and read semantics it keeps: the loader, the
/// core's store write at commit, the core's data read (a load's or store's word, in execute), the PEX's request and
/// the core's fetch read (the CI tag of the instruction in decode), in that order of priority.
/// </summary>
/// <remarks>
/// <para><b>Who waits.</b> The data read is never refused: a store writes at the commit point, and the cycle after a
/// load or store left execute holds a bubble there (see <see cref="Busy"/>), so a store's write and a data read never
/// meet. The fetch read is the one that loses, and <see cref="Busy"/> says in advance, from registers alone, that it
/// may: while a load or store is in execute (<see cref="DataWanted"/>), a store into the tagged memory is at the commit
/// point (<see cref="StoreWaiting"/>), the PEX's request is pending or the loader writes, the instruction in decode must
/// not move on (the core treats it as an operand not ready: decode holds, a bubble goes to execute). A load thus costs
/// a cycle, a store into the tagged memory two; a PEX request waits at most for the load or store in execute.</para>
/// <para><b>Reads</b> are synchronous like <see cref="TagMemory"/>'s: the fetch and data tags are the port's output in
/// the cycle after their read, then held in a register until their next read (the port's output changes with every
/// other access). Unlike <see cref="TagMemory"/>'s, the data read needs no bypass of a write in its cycle: the core's
/// store and a data read never meet (see above), and the loader writes only while the core is held in reset.</para>
/// </remarks>
public sealed class SpramTagMemory : Module
{
    /// <param name="config">The tag configuration.</param>
    /// <param name="primitive">Build the port on an <c>SB_SPRAM256KA</c> (the board); false: on a generic memory.</param>
    public SpramTagMemory(TagConfig config, bool primitive)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Words = (int)config.TaggedWords;
        TagWidth = config.TagWidth;
        IndexBits = Shape.BitsFor(config.TaggedWords);
        Primitive = primitive;
        if (primitive && config.TaggedWords > SpramWords)
            throw new ArgumentException($"the tags of {config.TaggedSize} bytes ({config.TaggedWords} words) do not fit in one SPRAM of {SpramWords} tags", nameof(config));
        int t = config.TagWidth;
        FetchIndex = In(IndexBits);
        FetchTag = Out(t);
        DataIndex = In(IndexBits);
        DataTag = Out(t);
        DataPortTag = Out(t);
        WriteIndex = In(IndexBits);
        WriteTag = In(t);
        TagIndex = In(IndexBits);
        TagWdata = In(t);
        TagRdata = Out(t);
        LoadIndex = In(IndexBits);
        LoadTag = In(t);
        if (!primitive)
        {
            tags = Mem(t, Math.Max(Words, 2));
            readPort = tags.ReadPort();
            writePort = tags.WritePort();
        }
        fetchLast = Reg(1, reset: 0);
        fetchHeld = Reg(t, reset: 0);
        dataLast = Reg(1, reset: 0);
        dataHeld = Reg(t, reset: 0);
        pexDone = Reg(1, reset: 0);
    }

    /// <summary>The tags one SPRAM holds.</summary>
    public const int SpramWords = 16 * 1024;

    public TagConfig Config { get; }

    [Parameter]
    public int Words { get; }

    [Parameter]
    public int TagWidth { get; }

    /// <summary>The port is an <c>SB_SPRAM256KA</c>.</summary>
    [Parameter]
    public bool Primitive { get; }

    /// <summary>Bits of a word index.</summary>
    public int IndexBits { get; }

    // ---- the core (as TagMemory) --------------------------------------------------------------------

    public readonly Signal FetchEnable = In(1);
    public readonly Signal FetchIndex;
    public readonly Signal FetchTag;

    public readonly Signal DataEnable = In(1);
    public readonly Signal DataIndex;
    public readonly Signal DataTag;
    /// <summary>
    /// The port's output: <see cref="DataTag"/> in the cycle after the data read, without the choice of the held tag
    /// (the rule check takes it there straight into its compare; meaningful only in that cycle).
    /// </summary>
    public readonly Signal DataPortTag;

    public readonly Signal WriteEnable = In(1);
    public readonly Signal WriteIndex;
    public readonly Signal WriteTag;

    /// <summary>The instruction in execute is a load or store: its data read is made when <see cref="DataEnable"/>.</summary>
    public readonly Signal DataWanted = In(1);

    /// <summary>The instruction at the commit point is a store into the tagged memory (it may write this cycle).</summary>
    public readonly Signal StoreWaiting = In(1);

    /// <summary>The fetch read may lose this cycle: the instruction in decode must not move on.</summary>
    public readonly Signal Busy = Out(1);

    // ---- the PEX's request (as TagMemory) -----------------------------------------------------------

    public readonly Signal TagValid = In(1);
    public readonly Signal TagWrite = In(1);
    public readonly Signal TagIndex;
    public readonly Signal TagInside = In(1);
    public readonly Signal TagWdata;
    public readonly Signal TagDone = Out(1);
    public readonly Signal TagRdata;

    // ---- the simulator's loader ---------------------------------------------------------------------

    public readonly Signal LoadValid = In(1);
    public readonly Signal LoadIndex;
    public readonly Signal LoadTag;

    private readonly Memory? tags;
    private readonly MemoryReadPort? readPort;
    private readonly MemoryWritePort? writePort;
    private readonly Signal fetchLast;
    private readonly Signal fetchHeld;
    private readonly Signal dataLast;
    private readonly Signal dataHeld;
    private readonly Signal pexDone;

    protected override void Build()
    {
        int t = TagWidth;
        // The arbitration: one access a cycle, in order of priority. The port's address and write data are chosen from
        // registers (the loader, the load or store in execute, the PEX's request, the fetch read), but for the core's
        // store, whose write comes with its commit late in the cycle and chooses last, in one LUT; the decisions that
        // come late (the store's commit, execute moving on, decode moving on) enter only the port's enable and write.
        // A load or store in execute takes the port's address whether it moves on or not: the PEX and the fetch read
        // wait for it while execute holds it.
        var coreOrLoaderWrites = (LoadValid | WriteEnable).Named("coreOrLoaderWrites");
        var pexPending = (TagValid & ~pexDone).Named("pexPending");
        var dataRead = (DataEnable & DataWanted & ~coreOrLoaderWrites).Named("dataRead");
        var pexServe = (pexPending & ~coreOrLoaderWrites & ~DataWanted).Named("pexServe");
        var fetchRead = (FetchEnable & ~coreOrLoaderWrites & ~DataWanted & ~pexPending).Named("fetchRead");
        Busy.Set(DataWanted | StoreWaiting | LoadValid | pexPending);

        var early = Mux(LoadValid, LoadIndex, Mux(DataWanted, DataIndex, Mux(pexPending, TagIndex, FetchIndex))).Named("earlyAddress");
        var address = Mux(WriteEnable, WriteIndex, early).Named("portAddress");
        var write = (coreOrLoaderWrites | (pexServe & TagWrite & TagInside)).Named("portWrite");
        var wdata = Mux(WriteEnable, WriteTag, Mux(LoadValid, LoadTag, TagWdata)).Named("portWdata");
        var access = (coreOrLoaderWrites | dataRead | pexServe | fetchRead).Named("portAccess");

        Expr output;
        if (Primitive)
        {
            var block = Instance(new Spram256ka(), "tags");
            block.ADDRESS.Set(address.ZeroExtend(14));
            block.DATAIN.Set(wdata.ZeroExtend(16));
            block.MASKWREN.Set(0b1111);
            block.WREN.Set(write);
            block.CHIPSELECT.Set(access);
            block.CLOCK.Set(Clock());
            block.PowerOn();
            output = block.DATAOUT[t - 1, 0];
        }
        else
        {
            readPort!.Address.Set(address);
            readPort.Enable.Set(access & ~write);
            writePort!.Address.Set(address);
            writePort.Data.Set(wdata);
            writePort.Enable.Set(write);
            output = readPort.Data;
        }
        var portTag = output.Named("portTag");

        // Each reader's tag: the port's output the cycle after its read, then held.
        fetchLast.Set(fetchRead);
        When(fetchLast, () => fetchHeld.Set(portTag));
        FetchTag.Set(Mux(fetchLast, portTag, fetchHeld));

        dataLast.Set(dataRead);
        When(dataLast, () => dataHeld.Set(portTag));
        DataTag.Set(Mux(dataLast, portTag, dataHeld));
        DataPortTag.Set(portTag);

        pexDone.Set(pexServe);
        TagDone.Set(pexDone);
        TagRdata.Set(Mux(TagInside, portTag, U(0, t)));
    }
}
