using HwGen.Designs.Riscv;

namespace HwGen.Designs.Tags;

/// <summary>
/// The retirement trace of a tagged core: the standard fields (<see cref="RetirementFields.Table"/>) followed by the
/// tags an instruction leaves and the policy's decision, so co-simulation compares them with the golden model's.
/// </summary>
public static class TagTraceFields
{
    public static readonly TraceField PcTag = new(nameof(PcTag), TagConfig.MaxTagWidth, "the PC tag the instruction leaves (the rule's output); a trapping one's, the PC tag it found");
    public static readonly TraceField RdTag = new(nameof(RdTag), TagConfig.MaxTagWidth, "the tag written with rd (0 when RdAddr is 0)");
    public static readonly TraceField MemTag = new(nameof(MemTag), TagConfig.MaxTagWidth, "a store's new tag of the word written, a load's tag of the word read, else 0");
    public static readonly TraceField Denied = new(nameof(Denied), 1, "1 when the policy denied the instruction (it traps with mcause 24)", print: TracePrint.Flag);

    /// <summary>The tagged core's trace: <see cref="RetirementFields.Table"/> and the four fields above.</summary>
    public static TraceTable Table { get; } = RetirementFields.Table.With(PcTag, RdTag, MemTag, Denied);
}
