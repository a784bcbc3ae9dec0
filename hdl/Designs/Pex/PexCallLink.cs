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
/// the call; meanwhile the op, the arguments and the caller's tag are held. The PEX completes it with a one-cycle pulse
/// on <see cref="Done"/> with the result in <see cref="Result"/>.
/// </remarks>
public sealed class PexCallLink : Bundle
{
    public PexCallLink(TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        CallerTag = UInt(config.TagWidth);
    }

    public readonly Signal Valid = Bool();
    public readonly Signal Op = UInt(32);
    public readonly Signal Arg0 = UInt(32);
    public readonly Signal Arg1 = UInt(32);

    /// <summary>The tag of the instruction that made the call (the CI tag of the store to OP).</summary>
    public Signal CallerTag { get; }

    public readonly Signal Done = Flipped(Bool());
    public readonly Signal Result = Flipped(UInt(32));
}
