namespace HwGen.Sim.Policy;

/// <summary><c>none</c>: allows everything; its outputs are empty (tags still flow from the initial image).</summary>
public sealed class NonePolicy : TagPolicy
{
    public override string Name => "none";

    public override string Description => "nothing: every rule allows";

    protected override void Define()
    {
    }
}
