using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// The metadata sets of a rule's input tags, one per <see cref="TagField"/>: what a policy's expressions read. The
/// fields the opgroup's care mask leaves out are the empty set.
/// </summary>
public readonly record struct RuleSets(MetaSet Pc, MetaSet Ci, MetaSet Rs1, MetaSet Rs2, MetaSet Mem)
{
    public MetaSet this[TagField field] => field switch
    {
        TagField.Pc => Pc,
        TagField.Ci => Ci,
        TagField.Rs1 => Rs1,
        TagField.Rs2 => Rs2,
        TagField.Mem => Mem,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "a rule's input has the fields Pc, Ci, Rs1, Rs2, Mem"),
    };
}

/// <summary>
/// One of the rule input's tag fields as a policy names it (<c>Rs1.Has(Flag.Taint)</c>, <c>Mem.Slot(Slot.Region)</c>):
/// a factory of expression nodes, not a node itself.
/// </summary>
public sealed class RuleOperand(TagField field)
{
    public TagField Field { get; } = field;

    /// <summary>True when the field's set has <paramref name="flag"/>.</summary>
    public Condition Has(Flag flag) => new HasFlag(Field, flag);

    /// <summary>The number in the field's <paramref name="slot"/>.</summary>
    public SlotValue Slot(Slot slot) => new SlotOf(Field, slot);

    public override string ToString() => Field.ToString();
}

/// <summary>
/// A boolean expression over the rule input's sets: the condition of a rule. The node kinds are the sealed classes
/// below (<see cref="Always"/>, <see cref="HasFlag"/>, <see cref="Compare"/>, <see cref="Not"/>, <see cref="And"/>,
/// <see cref="Or"/>); a generator walks them with a switch on the type. <c>|</c>, <c>&amp;</c> and <c>!</c> build
/// <see cref="Or"/>, <see cref="And"/> and <see cref="Not"/>.
/// </summary>
public abstract class Condition
{
    private protected Condition()
    {
    }

    /// <summary>The condition that always holds (a rule without <c>When</c>).</summary>
    public static Condition True { get; } = new Always();

    /// <summary>The value of the condition on <paramref name="sets"/>.</summary>
    public abstract bool Evaluate(in RuleSets sets);

    /// <summary>The fields the condition reads: bit n = <see cref="TagField"/> n.</summary>
    public abstract int Reads { get; }

    public static Condition operator |(Condition left, Condition right) => new Or(left, right);

    public static Condition operator &(Condition left, Condition right) => new And(left, right);

    public static Condition operator !(Condition operand) => new Not(operand);

    /// <summary>Same as <c>|</c> (for languages without operator overloading).</summary>
    public Condition BitwiseOr(Condition right) => this | right;

    /// <summary>Same as <c>&amp;</c>.</summary>
    public Condition BitwiseAnd(Condition right) => this & right;

    /// <summary>Same as <c>!</c>.</summary>
    public Condition LogicalNot() => !this;
}

/// <summary>Holds always; reads nothing.</summary>
public sealed class Always : Condition
{
    internal Always()
    {
    }

    public override bool Evaluate(in RuleSets sets) => true;

    public override int Reads => 0;

    public override string ToString() => "true";
}

/// <summary>Holds when the set of <see cref="Field"/> has <see cref="Flag"/>; reads <see cref="Field"/>.</summary>
public sealed class HasFlag(TagField field, Flag flag) : Condition
{
    public TagField Field { get; } = field;

    public Flag Flag { get; } = flag;

    public override bool Evaluate(in RuleSets sets) => sets[Field].Has(Flag);

    public override int Reads => 1 << (int)Field;

    public override string ToString() => $"{Field}.Has({Flag})";
}

/// <summary>
/// Holds when the two numbers are equal (<see cref="Equal"/> true) or differ (false); reads what both operands read.
/// Built by <c>a == b</c> and <c>a != b</c> on <see cref="SlotValue"/>s.
/// </summary>
public sealed class Compare(SlotValue left, bool equal, SlotValue right) : Condition
{
    public SlotValue Left { get; } = left;

    public bool Equal { get; } = equal;

    public SlotValue Right { get; } = right;

    public override bool Evaluate(in RuleSets sets) => (Left.Evaluate(sets) == Right.Evaluate(sets)) == Equal;

    public override int Reads => Left.Reads | Right.Reads;

    public override string ToString() => $"{Left} {(Equal ? "==" : "!=")} {Right}";
}

/// <summary>Holds when <see cref="Operand"/> does not.</summary>
public sealed class Not(Condition operand) : Condition
{
    public Condition Operand { get; } = operand;

    public override bool Evaluate(in RuleSets sets) => !Operand.Evaluate(sets);

    public override int Reads => Operand.Reads;

    public override string ToString() => $"!({Operand})";
}

/// <summary>Holds when both hold.</summary>
public sealed class And(Condition left, Condition right) : Condition
{
    public Condition Left { get; } = left;

    public Condition Right { get; } = right;

    public override bool Evaluate(in RuleSets sets) => Left.Evaluate(sets) && Right.Evaluate(sets);

    public override int Reads => Left.Reads | Right.Reads;

    public override string ToString() => $"({Left} & {Right})";
}

/// <summary>Holds when either holds.</summary>
public sealed class Or(Condition left, Condition right) : Condition
{
    public Condition Left { get; } = left;

    public Condition Right { get; } = right;

    public override bool Evaluate(in RuleSets sets) => Left.Evaluate(sets) || Right.Evaluate(sets);

    public override int Reads => Left.Reads | Right.Reads;

    public override string ToString() => $"({Left} | {Right})";
}

/// <summary>
/// A 16-bit number computed from the rule input's sets: a slot's value, a constant, or the first non-zero of two.
/// The node kinds are <see cref="SlotOf"/>, <see cref="Constant"/> and <see cref="FirstNonZero"/>. <c>==</c> and
/// <c>!=</c> build a <see cref="Compare"/> condition (not a C# equality).
/// </summary>
#pragma warning disable CS0660, CS0661 // == and != build conditions; equality stays reference equality
public abstract class SlotValue
#pragma warning restore CS0660, CS0661
{
    private protected SlotValue()
    {
    }

    /// <summary>The number on <paramref name="sets"/>.</summary>
    public abstract ushort Evaluate(in RuleSets sets);

    /// <summary>The fields the value reads: bit n = <see cref="TagField"/> n.</summary>
    public abstract int Reads { get; }

    /// <summary>The first non-zero of this value and <paramref name="fallback"/> (0 when both are).</summary>
    public SlotValue OrElse(SlotValue fallback) => new FirstNonZero(this, fallback);

    public static implicit operator SlotValue(ushort value) => new Constant(value);

    public static Condition operator ==(SlotValue left, SlotValue right) => new Compare(left, true, right);

    public static Condition operator !=(SlotValue left, SlotValue right) => new Compare(left, false, right);

    /// <summary>Same as <c>==</c>.</summary>
    public Condition Eq(SlotValue right) => this == right;

    /// <summary>Same as <c>!=</c>.</summary>
    public Condition Ne(SlotValue right) => this != right;

    /// <summary>A constant (same as the implicit conversion from ushort).</summary>
    public static SlotValue FromUInt16(ushort value) => new Constant(value);
}

/// <summary>The number in <see cref="Slot"/> of the set of <see cref="Field"/>; reads <see cref="Field"/>.</summary>
public sealed class SlotOf(TagField field, Slot slot) : SlotValue
{
    public TagField Field { get; } = field;

    public Slot Slot { get; } = slot;

    public override ushort Evaluate(in RuleSets sets) => sets[Field].Get(Slot);

    public override int Reads => 1 << (int)Field;

    public override string ToString() => $"{Field}.{Slot}";
}

/// <summary>A constant number; reads nothing.</summary>
public sealed class Constant(ushort value) : SlotValue
{
    public ushort Value { get; } = value;

    public override ushort Evaluate(in RuleSets sets) => Value;

    public override int Reads => 0;

    public override string ToString() => $"0x{Value:X}";
}

/// <summary><see cref="First"/> when it is not 0, else <see cref="Second"/> (C: <c>a ? a : b</c>); reads what both read.</summary>
public sealed class FirstNonZero(SlotValue first, SlotValue second) : SlotValue
{
    public SlotValue First { get; } = first;

    public SlotValue Second { get; } = second;

    public override ushort Evaluate(in RuleSets sets)
    {
        ushort first = First.Evaluate(sets);
        return first != 0 ? first : Second.Evaluate(sets);
    }

    public override int Reads => First.Reads | Second.Reads;

    public override string ToString() => $"({First} ?: {Second})";
}
