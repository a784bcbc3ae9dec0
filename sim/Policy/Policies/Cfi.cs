using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// <c>cfi</c>: an indirect call must land on a function entry (<see cref="Flag.Entry"/>); an indirect jump on an entry
/// or inside the function it leaves (<see cref="Slot.Function"/> of the code words, from the ELF's FUNC symbols).
/// The PC tag carries the jump's kind (and the function it left) to the instruction it lands on.
/// </summary>
/// <remarks>
/// Only the words of functions that have an indirect jump in them carry their function's number: no indirect jump
/// leaves any other function, so the rule "inside the function it leaves" needs no other, and the code of every other
/// function keeps one instruction tag (entries aside), which keeps the rules the rule cache must hold few.
/// </remarks>
public sealed class Cfi : TagPolicy
{
    public override string Name => "cfi";

    public override string Description => "an indirect call to a non-entry; an indirect jump outside its function";

    protected internal override MetaSet CodeAtoms(in CodeWord word)
    {
        var set = word.FunctionJumps ? MetaSet.Empty.With(Slot.Function, word.Function) : MetaSet.Empty;
        return word.IsEntry ? set.With(Flag.Entry) : set;
    }

    protected override void Define()
    {
        For(AnyOpgroup).Deny("indirect call to a non-entry")
            .When(Pc.Has(Flag.IndirectCall) & !Ci.Has(Flag.Entry));
        For(AnyOpgroup).Deny("indirect jump out of its function")
            .When(Pc.Has(Flag.IndirectJump) & !(Ci.Has(Flag.Entry) | Ci.Slot(Slot.Function) == Pc.Slot(Slot.Function)));

        For(Opgroup.Call).PcOut.Add(Flag.IndirectCall);
        For(Opgroup.Jump).PcOut.Add(Flag.IndirectJump);
        For(Opgroup.Jump).PcOut.Set(Slot.Function, Ci.Slot(Slot.Function));
    }
}
