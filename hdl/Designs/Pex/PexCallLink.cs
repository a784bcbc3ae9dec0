using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Pex;

/// <summary>
/// A call from the AP to the PEX, declared from the call port's side (<see cref="PexCallPort"/> declares it
/// <c>Out(new PexCallLink(config))</c>, <see cref="TagControl"/> <c>In(new PexCallLink(config))</c>).
/// </summary>
/// <remarks>
/// <see cref="Valid"/> is 1 from the cycle after the AP's store to the call port's OP register until the PEX completes
/// the call; meanwhile the op, the arguments and the caller's tag are held. The PEX reads the op and the arguments from
/// the call port's own registers: in a cycle it names one (<see cref="ReadOp"/>, <see cref="ReadArg0"/>,
/// <see cref="ReadArg1"/>, at most one of them 1), <see cref="Word"/> gives it in the next cycle (0 when none was named
/// or no call is pending). The PEX completes the call with a one-cycle pulse on <see cref="Done"/> with the result in
/// <see cref="Result"/>.
/// </remarks>
public sealed class PexCallLink : Bundle
{
    public PexCallLink(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        CallerTag = UInt(config.TagWidth);
    }

    public readonly Signal Valid = Bool();

    /// <summary>The tag of the instruction that made the call (the CI tag of the store to OP).</summary>
    public Signal CallerTag { get; }

    /// <summary>The PEX reads the pending call's op, first or second argument in this cycle.</summary>
    public readonly Signal ReadOp = Flipped(Bool());
    public readonly Signal ReadArg0 = Flipped(Bool());
    public readonly Signal ReadArg1 = Flipped(Bool());

    /// <summary>The register named by <see cref="ReadOp"/>, <see cref="ReadArg0"/> or <see cref="ReadArg1"/> in the cycle before.</summary>
    public readonly Signal Word = UInt(32);

    public readonly Signal Done = Flipped(Bool());
    public readonly Signal Result = Flipped(UInt(32));
}
