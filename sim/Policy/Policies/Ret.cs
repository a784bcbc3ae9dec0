using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// <c>ret</c>: only a value a call's link wrote (<see cref="Flag.ReturnAddr"/>, kept through loads and stores,
/// dropped by arithmetic) may be a return's target.
/// </summary>
public sealed class Ret : TagPolicy
{
    public override string Name => "ret";

    public override string Description => "returning through a value that no call wrote (an overwritten return address)";

    protected override void Define()
    {
        For(Opgroup.Jal, Opgroup.Call).Result.Add(Flag.ReturnAddr);
        For(Opgroup.Return).Deny("return to a non-return address").Unless(Rs1.Has(Flag.ReturnAddr));
        For(Opgroup.Load).Result.Add(Flag.ReturnAddr).When(Mem.Has(Flag.ReturnAddr));
        For(Opgroup.Store).Result.Add(Flag.ReturnAddr).When(Rs2.Has(Flag.ReturnAddr));
    }
}
