using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>The output of a rule an action writes.</summary>
public enum RuleOutput
{
    /// <summary>The PC tag the instruction leaves.</summary>
    PcTag,

    /// <summary>The result tag: rd's tag, or for a store the new tag of the word written.</summary>
    Result,
}

/// <summary>
/// What a rule does when its condition holds. The kinds are <see cref="DenyAction"/>, <see cref="AddFlagAction"/> and
/// <see cref="SetSlotAction"/>.
/// </summary>
public abstract class RuleAction
{
    private protected RuleAction()
    {
    }

    /// <summary>The fields the action reads (a slot's value may read the input): bit n = <see cref="TagField"/> n.</summary>
    public abstract int Reads { get; }
}

/// <summary>Denies the instruction with <see cref="Reason"/> (1, 2, ... per policy, in order of first use; <see cref="Text"/> for reports).</summary>
public sealed class DenyAction(int reason, string text) : RuleAction
{
    public int Reason { get; } = reason;

    public string Text { get; } = text;

    public override int Reads => 0;

    public override string ToString() => $"Deny({Reason}: \"{Text}\")";
}

/// <summary>Adds <see cref="Flag"/> to the output <see cref="Target"/>.</summary>
public sealed class AddFlagAction(RuleOutput target, Flag flag) : RuleAction
{
    public RuleOutput Target { get; } = target;

    public Flag Flag { get; } = flag;

    public override int Reads => 0;

    public override string ToString() => $"{Target}.Add({Flag})";
}

/// <summary>Sets <see cref="Slot"/> of the output <see cref="Target"/> to <see cref="Value"/> (evaluated on the input).</summary>
public sealed class SetSlotAction(RuleOutput target, Slot slot, SlotValue value) : RuleAction
{
    public RuleOutput Target { get; } = target;

    public Slot Slot { get; } = slot;

    public SlotValue Value { get; } = value;

    public override int Reads => Value.Reads;

    public override string ToString() => $"{Target}.Set({Slot}, {Value})";
}

/// <summary>
/// One rule of a policy: for the opgroups in <see cref="Opgroups"/>, when <see cref="Condition"/> holds, do
/// <see cref="Action"/>. A policy's rules for an opgroup are evaluated in declaration order: the first deny whose
/// condition holds denies; otherwise the outputs start empty and every action whose condition holds adds to them.
/// <see cref="When"/> and <see cref="Unless"/> set the condition while the policy is being defined.
/// </summary>
public sealed class Rule
{
    private Condition _condition = Condition.True;
    private bool _conditionSet;

    internal Rule(TagPolicy owner, int opgroups, RuleAction action)
    {
        Owner = owner;
        OpgroupMask = opgroups;
        Action = action;
    }

    internal TagPolicy Owner { get; }

    /// <summary>Bit n = the rule applies to <see cref="Opgroup"/> n.</summary>
    public int OpgroupMask { get; }

    /// <summary>The opgroups the rule applies to, in order.</summary>
    public IEnumerable<Opgroup> Opgroups => Enum.GetValues<Opgroup>().Where(AppliesTo);

    public RuleAction Action { get; }

    public Condition Condition => _condition;

    /// <summary>The fields the rule reads (condition and action): bit n = <see cref="TagField"/> n.</summary>
    public int Reads => _condition.Reads | Action.Reads;

    public bool AppliesTo(Opgroup opgroup) => (OpgroupMask & (1 << (int)opgroup)) != 0;

    /// <summary>The rule acts only when <paramref name="condition"/> holds.</summary>
    public Rule When(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        Owner.CheckDefining();
        if (_conditionSet)
            throw new InvalidOperationException($"{Owner.Name}: rule {this} already has a condition; combine them with & or |");
        _condition = condition;
        _conditionSet = true;
        return this;
    }

    /// <summary>The rule acts only when <paramref name="condition"/> does not hold.</summary>
    public Rule Unless(Condition condition) => When(!condition);

    public override string ToString() => $"[{string.Join(", ", Opgroups)}] {Action} when {_condition}";
}

/// <summary>The opgroups a rule being defined applies to (<see cref="TagPolicy.For"/>): its actions.</summary>
public sealed class RuleTarget
{
    private readonly TagPolicy _owner;
    private readonly int _opgroups;

    internal RuleTarget(TagPolicy owner, int opgroups)
    {
        _owner = owner;
        _opgroups = opgroups;
        Result = new OutputTarget(this, RuleOutput.Result);
        PcOut = new OutputTarget(this, RuleOutput.PcTag);
    }

    /// <summary>The result tag (rd's, or a store's new word tag).</summary>
    public OutputTarget Result { get; }

    /// <summary>The PC tag the instruction leaves.</summary>
    public OutputTarget PcOut { get; }

    /// <summary>A rule that denies with <paramref name="reason"/> (add <c>.When(...)</c>).</summary>
    public Rule Deny(string reason) => _owner.AddRule(_opgroups, _owner.DenyFor(reason));

    internal Rule Add(RuleAction action) => _owner.AddRule(_opgroups, action);
}

/// <summary>An output of the rules being defined: <c>Result.Add(Flag.Taint)</c>, <c>PcOut.Set(Slot.Function, Ci.Slot(Slot.Function))</c>.</summary>
public sealed class OutputTarget
{
    private readonly RuleTarget _rules;
    private readonly RuleOutput _output;

    internal OutputTarget(RuleTarget rules, RuleOutput output)
    {
        _rules = rules;
        _output = output;
    }

    /// <summary>A rule that adds <paramref name="flag"/> to the output.</summary>
    public Rule Add(Flag flag) => _rules.Add(new AddFlagAction(_output, flag));

    /// <summary>A rule that sets the output's <paramref name="slot"/> to <paramref name="value"/>.</summary>
    public Rule Set(Slot slot, SlotValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return _rules.Add(new SetSlotAction(_output, slot, value));
    }
}
