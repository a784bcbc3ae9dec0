using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// <c>taint</c>: every value read from a device is input (<see cref="Flag.Taint"/>); taint flows through arithmetic,
/// loads and stores, and may not become an address or a jump target.
/// </summary>
public sealed class Taint : TagPolicy
{
    public override string Name => "taint";

    public override string Description => "a tainted (input) value used as a load/store address or an indirect jump target";

    protected override void Define()
    {
        Device = MetaSet.Of(Flag.Taint);

        For(Opgroup.Alu, Opgroup.MulDiv).Result.Add(Flag.Taint).When(Rs1.Has(Flag.Taint) | Rs2.Has(Flag.Taint));

        For(Opgroup.Load, Opgroup.Store).Deny("tainted address").When(Rs1.Has(Flag.Taint));
        For(Opgroup.Load).Result.Add(Flag.Taint).When(Mem.Has(Flag.Taint));
        For(Opgroup.Store).Result.Add(Flag.Taint).When(Rs2.Has(Flag.Taint));

        For(Opgroup.Call, Opgroup.Jump, Opgroup.Return).Deny("tainted jump target").When(Rs1.Has(Flag.Taint));
    }
}
