using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Pex;

/// <summary>
/// The tagged system: the application processor's <see cref="ApSoc"/> with a tagged core and the policy
/// coprocessor's <see cref="PexSoc"/>, joined by the tag unit's <see cref="PexPort"/> and the call link
/// (<see cref="PexCallLink"/>); the AP fetches nothing while the PEX's AP_CONTROL bit 0 is set (from reset until the
/// PEX firmware releases it). A simulator loads the AP's RAM (<see cref="Loader"/>), its tag memory
/// (<see cref="TagLoader"/>) and the PEX's RAM (<see cref="PexLoader"/>) while both are held in reset.
/// </summary>
/// <remarks>
/// The AP's ports keep ApSoc's names (<c>Loader_*</c>, <c>Trace_*</c>, <c>Uart*</c>), so what drives an ApSoc drives
/// this too; the PEX adds its loader, its console (<see cref="PexConsoleValid"/>, <see cref="PexConsoleData"/>),
/// <see cref="DenyInfo"/>, <see cref="ApHeld"/> and the rule cache's statistics as the PEX reads them.
/// </remarks>
public sealed class TaggedSoc : Module
{
    /// <param name="map">The AP's memory map (simulation: the default parts, the console as byte streams).</param>
    /// <param name="tags">The tag unit's parameters; null: the map's RAM tagged, the defaults.</param>
    /// <param name="core">The AP core's configuration, its <see cref="CoreConfig.Tags"/> replaced by <paramref name="tags"/>; null: the map's.</param>
    /// <param name="pexMap">The PEX's memory map; null: <see cref="PexMemoryMap.Default"/>.</param>
    public TaggedSoc(MemoryMap map, TagConfig? tags = null, CoreConfig? core = null, MemoryMap? pexMap = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        Tags = tags ?? TagConfig.ForMemoryMap(map);
        Tags.Validate();
        ap = new ApSoc(map, (core ?? CoreConfig.ForMemoryMap(map)) with { Tags = Tags });
        pex = new PexSoc(Tags, pexMap);
        Map = map;
        Trace = Out(new RetirementTrace(TagTraceFields.Table));
        TagLoader = In(new TagLoaderPort(Tags));
    }

    public MemoryMap Map { get; }

    public TagConfig Tags { get; }

    /// <summary>The PEX's memory map.</summary>
    public MemoryMap PexMap => pex.Map;

    /// <summary>The AP's system (for a testbench that reaches its memories).</summary>
    public ApSoc Ap => ap;

    /// <summary>The PEX's system (for a testbench that reaches its memories).</summary>
    public PexSoc Pex => pex;

    [Parameter]
    public int TagWidth => Tags.TagWidth;

    [Parameter]
    public int RuleCacheEntries => Tags.RuleCacheEntries;

    [Parameter]
    public int RuleCacheWays => Tags.RuleCacheWays;

    /// <summary>Writes words into the AP's RAM.</summary>
    public readonly LoaderPort Loader = In(new LoaderPort());

    /// <summary>The AP's retirement trace, with the tags.</summary>
    public readonly RetirementTrace Trace;

    /// <summary>Writes tags into the AP's tag memory.</summary>
    public readonly TagLoaderPort TagLoader;

    /// <summary>Writes words into the PEX's RAM.</summary>
    public readonly LoaderPort PexLoader = In(new LoaderPort());

    // The AP's console as byte streams.
    public readonly Signal UartTxValid = Out(1);
    public readonly Signal UartTxData = Out(8);
    public readonly Signal UartRxValid = In(1);
    public readonly Signal UartRxData = In(8);
    public readonly Signal UartRxReady = Out(1);

    /// <summary>The PEX's console.</summary>
    public readonly Signal PexConsoleValid = Out(1);
    public readonly Signal PexConsoleData = Out(8);

    /// <summary>The last denial, DENY's word: <c>(policy &lt;&lt; 16) | reason</c>.</summary>
    public readonly Signal DenyInfo = Out(32);

    /// <summary>1 while the AP is held (AP_CONTROL bit 0).</summary>
    public readonly Signal ApHeld = Out(1);

    /// <summary>The rule cache's statistics (<see cref="PexPort"/>).</summary>
    public readonly Signal RuleCacheLookups = Out(32);
    public readonly Signal RuleCacheHits = Out(32);
    public readonly Signal RuleCacheMisses = Out(32);
    public readonly Signal RuleCacheEvictions = Out(32);
    public readonly Signal RuleCacheMissCycles = Out(32);

    private readonly ApSoc ap;
    private readonly PexSoc pex;

    protected override void Build()
    {
        ap.Loader.Connect(Loader);
        ap.TagLoader!.Connect(TagLoader);
        pex.Loader.Connect(PexLoader);
        Trace.Connect(ap.Trace);

        pex.Tags.Connect(ap.Pex!);
        pex.Call.Connect(ap.PexCall!);
        ap.Hold!.Set(pex.ApReset);

        UartTxValid.Set(ap.UartTxValid!);
        UartTxData.Set(ap.UartTxData!);
        ap.UartRxValid!.Set(UartRxValid);
        ap.UartRxData!.Set(UartRxData);
        UartRxReady.Set(ap.UartRxReady!);
        PexConsoleValid.Set(pex.ConsoleValid);
        PexConsoleData.Set(pex.ConsoleData);
        DenyInfo.Set(pex.DenyInfo);
        ApHeld.Set(pex.ApReset);

        RuleCacheLookups.Set(ap.Pex!.Lookups);
        RuleCacheHits.Set(ap.Pex.Hits);
        RuleCacheMisses.Set(ap.Pex.Misses);
        RuleCacheEvictions.Set(ap.Pex.Evictions);
        RuleCacheMissCycles.Set(ap.Pex.MissCycles);
    }
}
