using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary><c>nxd-nwc</c>: no execution of data, no writing of code. Every code word carries <see cref="Flag.Code"/>.</summary>
public sealed class NxdNwc : TagPolicy
{
    public override string Name => "nxd-nwc";

    public override string Description => "executing a word not tagged as code; writing to a word tagged as code";

    protected override void Define()
    {
        For(AnyOpgroup).Deny("execute non-code").Unless(Ci.Has(Flag.Code));
        For(Opgroup.Store).Deny("write to code").When(Mem.Has(Flag.Code));
    }
}
