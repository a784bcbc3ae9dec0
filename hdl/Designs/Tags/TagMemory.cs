using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Tags;

/// <summary>
/// Tag memory: one <see cref="TagConfig.TagWidth"/>-bit tag per 32-bit word of the tagged memory
/// (<see cref="TagConfig.TaggedWords"/> words from <see cref="TagConfig.TaggedBase"/>). The core reads the tag of the
/// word it fetches (the CI tag) and of the word a load or store touches (the mem tag), and writes a store's new tag at
/// commit; the PEX reads and writes tags through its request (<see cref="PexPort"/>'s TagValid … TagRdata); the
/// simulator loads the initial tag image through the loader port. Nothing else reaches it: it is on no bus.
/// </summary>
/// <remarks>
/// <para><b>Indexes.</b> The core's ports take word indexes, (address − <see cref="TagConfig.TaggedBase"/>) / 4,
/// computed by the caller, which reads or writes only inside the tagged memory. So does the PEX's request, with a bit
/// that says whether its address lies in the tagged memory at all: outside, it reads 0 and its write is ignored.</para>
/// <para><b>Reads</b> are synchronous: the tag of the word indexed in a cycle whose enable is 1 is out in the next, and
/// holds while the enable is 0 (a later write to that word does not change it; a caller that waits keeps its enable
/// at 1 to see such writes). The data port returns the new tag of a word the core or the loader writes in the cycle
/// of the read (a load right behind a store to its word sees the stored tag). The fetch port returns the old tag then:
/// the only instruction fetched in the cycle its own word's tag is written is code just stored over, which runs only
/// after a <c>fence.i</c>, and that refetch reads the new tag.</para>
/// <para><b>Writes</b>: one write port, shared in this order: the loader (used while the core is held in reset),
/// the core, the PEX. A PEX request is served in a cycle the loader and the core do not write (a read at once): its
/// <see cref="TagDone"/> is 1 in the next cycle, with a read's tag in <see cref="TagRdata"/>; the PEX holds the request
/// until then, and in that cycle.</para>
/// <para>This is the simulation SoC's tag memory: a generic memory with a read port per reader. On the board the tags
/// are in one SPRAM with a single port, arbitrated between the same requesters.</para>
/// </remarks>
public sealed class TagMemory : Module
{
    public TagMemory(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Words = (int)config.TaggedWords;
        TagWidth = config.TagWidth;
        IndexBits = Shape.BitsFor(config.TaggedWords);
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
        tags = Mem(t, Math.Max(Words, 2));
        dataBypass = Reg(1, reset: 0);
        dataWritten = Reg(t);
        pexDone = Reg(1, reset: 0);
    }

    public TagConfig Config { get; }

    [Parameter]
    public int Words { get; }

    [Parameter]
    public int TagWidth { get; }

    /// <summary>Bits of a word index.</summary>
    public int IndexBits { get; }

    // ---- the core ---------------------------------------------------------------------------------

    /// <summary>Read the tag of word <see cref="FetchIndex"/> (the instruction fetched).</summary>
    public readonly Signal FetchEnable = In(1);
    public readonly Signal FetchIndex;
    /// <summary>The tag of the word indexed in the last cycle <see cref="FetchEnable"/> was 1.</summary>
    public readonly Signal FetchTag;

    /// <summary>Read the tag of word <see cref="DataIndex"/> (a load's or store's word).</summary>
    public readonly Signal DataEnable = In(1);
    public readonly Signal DataIndex;
    /// <summary>The tag of the word indexed in the last cycle <see cref="DataEnable"/> was 1.</summary>
    public readonly Signal DataTag;
    /// <summary><see cref="DataTag"/> again (as <see cref="SpramTagMemory.DataPortTag"/>, whose tag is held beside its port).</summary>
    public readonly Signal DataPortTag;

    /// <summary>Write <see cref="WriteTag"/> to word <see cref="WriteIndex"/> (a store committing).</summary>
    public readonly Signal WriteEnable = In(1);
    public readonly Signal WriteIndex;
    public readonly Signal WriteTag;

    // ---- the PEX's request (PexPort) ----------------------------------------------------------------

    /// <summary>A request, held until <see cref="TagDone"/> and in its cycle.</summary>
    public readonly Signal TagValid = In(1);
    public readonly Signal TagWrite = In(1);
    /// <summary>The word's index in the tagged memory.</summary>
    public readonly Signal TagIndex;
    /// <summary>The PEX's address lies in the tagged memory (else the request reads 0 and writes nothing).</summary>
    public readonly Signal TagInside = In(1);
    public readonly Signal TagWdata;
    /// <summary>1 for one cycle when the request is served.</summary>
    public readonly Signal TagDone = Out(1);
    /// <summary>A read's tag, with <see cref="TagDone"/>.</summary>
    public readonly Signal TagRdata;

    // ---- the simulator's loader -------------------------------------------------------------------

    public readonly Signal LoadValid = In(1);
    public readonly Signal LoadIndex;
    public readonly Signal LoadTag;

    private readonly Memory tags;
    private readonly Signal dataBypass;
    private readonly Signal dataWritten;
    private readonly Signal pexDone;

    protected override void Build()
    {
        var coreOrLoaderWrites = (LoadValid | WriteEnable).Named("coreOrLoaderWrites");
        var pexServe = (TagValid & ~pexDone & (~TagWrite | ~coreOrLoaderWrites)).Named("pexServe");
        pexDone.Set(pexServe);

        var write = tags.WritePort();
        var writeIndex = Mux(LoadValid, LoadIndex, WriteIndex).Named("writeIndex");
        var writeTag = Mux(LoadValid, LoadTag, WriteTag).Named("writeTag");
        write.Enable.Set(coreOrLoaderWrites | (pexServe & TagWrite & TagInside));
        write.Address.Set(Mux(coreOrLoaderWrites, writeIndex, TagIndex));
        write.Data.Set(Mux(coreOrLoaderWrites, writeTag, TagWdata));

        var fetch = tags.ReadPort();
        fetch.Address.Set(FetchIndex);
        fetch.Enable.Set(FetchEnable);
        FetchTag.Set(fetch.Data);

        var data = tags.ReadPort();
        data.Address.Set(DataIndex);
        data.Enable.Set(DataEnable);
        When(DataEnable, () =>
        {
            dataBypass.Set(coreOrLoaderWrites & writeIndex.Eq(DataIndex));
            dataWritten.Set(writeTag);
        });
        DataTag.Set(Mux(dataBypass, dataWritten, data.Data));
        DataPortTag.Set(DataTag);

        var pex = tags.ReadPort();
        pex.Address.Set(TagIndex);
        pex.Enable.Set(pexServe & ~TagWrite);
        TagDone.Set(pexDone);
        TagRdata.Set(Mux(TagInside, pex.Data, U(0, TagWidth)));
    }
}
