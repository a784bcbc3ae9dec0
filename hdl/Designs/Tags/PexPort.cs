using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Tags;

/// <summary>
/// The link between the tag unit of a tagged core and the policy execution coprocessor (PEX), declared from the tag
/// unit's side: the tag unit declares it <c>Out(new PexPort(config))</c>, the PEX's control device
/// <c>In(new PexPort(config))</c>. Through it the PEX resolves rule-cache misses, reads and writes tag memory,
/// programs the opgroup table with its care masks and the device tag, flushes the rule cache, and reads the statistics.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Miss.</b> <see cref="MissValid"/> is 1 from the cycle the instruction at the commit point misses in the rule
/// cache (once a flush has ended) until the PEX resolves it; meanwhile the core waits and the miss fields hold the rule's input (after the care
/// mask: fields its opgroup ignores are 0) and, for reports, the instruction's pc, word and data address.</item>
/// <item><b>Resolve.</b> A one-cycle pulse on <see cref="Resolve"/> ends the miss. With <see cref="Allow"/> the tag
/// unit installs the rule (the miss's input → <see cref="ResultPcTag"/>, <see cref="ResultTag"/>) and the instruction
/// commits with those outputs, from the rule cache two cycles later; without, the instruction is denied: it changes nothing and traps (mcause 24, mtval the
/// data address of a load or store, else the instruction word). <see cref="Resolve"/> without a miss is ignored.</item>
/// <item><b>Tag memory.</b> A request (<see cref="TagValid"/> with <see cref="TagIndex"/>, the word's index in the
/// tagged memory, and <see cref="TagInside"/>, whether the PEX's address lies in it at all; for a write
/// <see cref="TagWrite"/>, <see cref="TagWdata"/>) is held until the tag unit answers with <see cref="TagDone"/> for
/// one cycle, and in that cycle (a read's tag in <see cref="TagRdata"/>); the tag unit serves it between the core's own
/// tag accesses. A request with <see cref="TagInside"/> 0 reads 0 and ignores writes. The PEX's side decides both from
/// the byte address it is given (<see cref="TagConfig.Contains"/>, <see cref="TagConfig.WordIndexOf"/>), so that the
/// request holds the index alone.</item>
/// <item><b>Tables.</b> One-cycle writes: <see cref="OpgroupWrite"/> sets entry <see cref="OpgroupIndex"/> of the
/// opgroup table (see <see cref="Opgroups.IndexOf"/>) to opgroup <see cref="OpgroupValue"/> with the care mask
/// <see cref="OpgroupCare"/> (bit n = <see cref="TagField"/> n; initially all ones), which the PEX gives every entry of
/// an opgroup alike; <see cref="DeviceTagWrite"/> sets the tag every load or store outside the tagged memory sees as its memory
/// tag (reset 0); <see cref="CallResultTagWrite"/> sets the memory tag of loads from the PEX call port region (the tag
/// of a call's result, reset 0); <see cref="Flush"/> invalidates every rule-cache entry (a set a cycle: <see cref="RuleCache.Flushing"/>).</item>
/// <item><b>Statistics</b> (with <see cref="TagConfig.Statistics"/>, else 0): rule-cache lookups (one per instruction
/// checked), hits, misses, evictions (an install that replaced a valid entry), and miss cycles (cycles the core waited
/// on a miss). 32 bits each, wrapping.</item>
/// </list>
/// The tables are written while the core is held in reset or between misses; a write while the core runs takes
/// effect for the instructions checked after it.
/// </remarks>
public sealed class PexPort : Bundle
{
    public PexPort(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int t = config.TagWidth;
        MissOpgroup = UInt(TagConfig.OpgroupBits);
        MissPcTag = UInt(t);
        MissCiTag = UInt(t);
        MissRs1Tag = UInt(t);
        MissRs2Tag = UInt(t);
        MissMemTag = UInt(t);
        ResultPcTag = Flipped(UInt(t));
        ResultTag = Flipped(UInt(t));
        TagIndex = Flipped(UInt(Shape.BitsFor(config.TaggedWords)));
        TagWdata = Flipped(UInt(t));
        TagRdata = UInt(t);
        DeviceTag = Flipped(UInt(t));
        CallResultTag = Flipped(UInt(t));
    }

    // The miss (tag unit → PEX).
    public readonly Signal MissValid = Bool();
    public Signal MissOpgroup { get; }
    public Signal MissPcTag { get; }
    public Signal MissCiTag { get; }
    public Signal MissRs1Tag { get; }
    public Signal MissRs2Tag { get; }
    public Signal MissMemTag { get; }
    public readonly Signal MissPc = UInt(32);
    public readonly Signal MissInsn = UInt(32);
    /// <summary>The byte address of a load or store; 0 for other instructions.</summary>
    public readonly Signal MissAddress = UInt(32);

    // The answer (PEX → tag unit).
    public readonly Signal Resolve = Flipped(Bool());
    public readonly Signal Allow = Flipped(Bool());
    public Signal ResultPcTag { get; }
    /// <summary>The tag of the result: written to rd, or for a store to the memory word.</summary>
    public Signal ResultTag { get; }

    // Tag memory (PEX → tag unit, answered with TagDone).
    public readonly Signal TagValid = Flipped(Bool());
    public readonly Signal TagWrite = Flipped(Bool());
    public Signal TagIndex { get; }
    public readonly Signal TagInside = Flipped(Bool());
    public Signal TagWdata { get; }
    public readonly Signal TagDone = Bool();
    public Signal TagRdata { get; }

    // Tables (PEX → tag unit, one-cycle writes).
    public readonly Signal OpgroupWrite = Flipped(Bool());
    public readonly Signal OpgroupIndex = Flipped(UInt(Opgroups.IndexBits));
    public readonly Signal OpgroupValue = Flipped(UInt(TagConfig.OpgroupBits));
    public readonly Signal OpgroupCare = Flipped(UInt(TagConfig.InputTags));
    public readonly Signal DeviceTagWrite = Flipped(Bool());
    public Signal DeviceTag { get; }
    public readonly Signal CallResultTagWrite = Flipped(Bool());
    public Signal CallResultTag { get; }
    public readonly Signal Flush = Flipped(Bool());

    // Statistics (tag unit → PEX).
    public readonly Signal Lookups = UInt(32);
    public readonly Signal Hits = UInt(32);
    public readonly Signal Misses = UInt(32);
    public readonly Signal Evictions = UInt(32);
    public readonly Signal MissCycles = UInt(32);
}
