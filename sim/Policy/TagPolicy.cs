using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// A policy, written once as rules per opgroup over the rule input's sets; the golden model evaluates them
/// (<see cref="Evaluate"/>) and the PEX firmware is generated from the same trees (<see cref="Rules"/>). A policy is a
/// small class: its <see cref="Name"/>, and a <see cref="Define"/> that states the rules with <see cref="For"/>, e.g.
/// <code>
/// For(Opgroup.Store).Deny("write to code").When(Mem.Has(Flag.Code));
/// For(Opgroup.Alu, Opgroup.MulDiv).Result.Add(Flag.Taint).When(Rs1.Has(Flag.Taint) | Rs2.Has(Flag.Taint));
/// </code>
/// and, when it needs them, its device set (<see cref="Device"/>), the atoms it puts on code words
/// (<see cref="CodeAtoms"/>) and its PEX calls (<see cref="OnCall"/>).
/// </summary>
/// <remarks>
/// <para><b>Evaluation</b>: the rules that apply to the opgroup, in declaration order: the first
/// <see cref="DenyAction"/> whose condition holds denies with its reason; otherwise both outputs start empty and every
/// <see cref="AddFlagAction"/> and <see cref="SetSlotAction"/> whose condition holds adds to its output.</para>
/// <para><b>Reasons</b> are numbered 1, 2, ... in order of first use in <see cref="Define"/> (the same text is one
/// reason). <b>Care mask</b> of an opgroup: the fields any of its rules read.</para>
/// </remarks>
public abstract class TagPolicy
{
    private readonly List<Rule> _rules = [];
    private readonly List<string> _reasons = [];
    private readonly List<CallHandler> _calls = [];
    private MetaSet _device;
    private bool _defining;
    private volatile bool _defined;

    /// <summary>The name in a composite's spec string (<c>nxd-nwc</c>).</summary>
    public abstract string Name { get; }

    /// <summary>What the policy stops, in one line.</summary>
    public abstract string Description { get; }

    /// <summary>The PC tag, before the instruction.</summary>
    protected static RuleOperand Pc { get; } = new(TagField.Pc);

    /// <summary>The instruction's tag (of the word it was fetched from).</summary>
    protected static RuleOperand Ci { get; } = new(TagField.Ci);

    protected static RuleOperand Rs1 { get; } = new(TagField.Rs1);

    protected static RuleOperand Rs2 { get; } = new(TagField.Rs2);

    /// <summary>The tag of the memory word a load or store touches (a device's: the device set).</summary>
    protected static RuleOperand Mem { get; } = new(TagField.Mem);

    /// <summary>Every opgroup, for rules that apply to all instructions.</summary>
    protected static Opgroup[] AnyOpgroup { get; } = Enum.GetValues<Opgroup>();

    /// <summary>States the rules (called once, on first use).</summary>
    protected abstract void Define();

    /// <summary>The rules for <paramref name="opgroups"/> that follow.</summary>
    protected RuleTarget For(params Opgroup[] opgroups)
    {
        CheckDefining();
        if (opgroups.Length == 0)
            throw new ArgumentException($"{Name}: a rule applies to at least one opgroup", nameof(opgroups));
        int mask = 0;
        foreach (var opgroup in opgroups)
            mask |= 1 << (int)opgroup;
        return new RuleTarget(this, mask);
    }

    /// <summary>The set every load or store outside tagged memory sees as its memory tag (default empty).</summary>
    protected MetaSet Device
    {
        get => _device;
        set
        {
            CheckDefining();
            _device = value;
        }
    }

    /// <summary>Serves PEX call <paramref name="op"/> (see <see cref="PexCallOp"/>) with <paramref name="handler"/>.</summary>
    protected void OnCall(uint op, string name, Func<CallRequest, ICallContext, CallResult> handler)
    {
        CheckDefining();
        _calls.Add(new CallHandler(op, name, this, handler));
    }

    /// <summary>
    /// The atoms this policy puts on a word of code besides <see cref="Flag.Code"/> (which every code word has), for
    /// the initial tag image. Default: none.
    /// </summary>
    protected internal virtual MetaSet CodeAtoms(in CodeWord word) => MetaSet.Empty;

    /// <summary>Every rule, in declaration order.</summary>
    public IReadOnlyList<Rule> Rules => Defined()._rules;

    /// <summary>The reason texts: reason code n is <c>Reasons[n - 1]</c>.</summary>
    public IReadOnlyList<string> Reasons => Defined()._reasons;

    public MetaSet DeviceSet => Defined()._device;

    /// <summary>The PEX calls the policy serves.</summary>
    public IReadOnlyList<CallHandler> Calls => Defined()._calls;

    /// <summary>The rules that apply to <paramref name="opgroup"/>, in declaration order.</summary>
    public IEnumerable<Rule> RulesFor(Opgroup opgroup) => Rules.Where(r => r.AppliesTo(opgroup));

    /// <summary>The fields the rules for <paramref name="opgroup"/> read: bit n = <see cref="TagField"/> n.</summary>
    public int CareMask(Opgroup opgroup)
    {
        int mask = 0;
        foreach (var rule in RulesFor(opgroup))
            mask |= rule.Reads;
        return mask;
    }

    /// <summary>The reason text of code <paramref name="reason"/>.</summary>
    public string ReasonText(int reason) =>
        reason >= 1 && reason <= Reasons.Count ? Reasons[reason - 1] : $"reason {reason}";

    /// <summary>Runs the rules for <paramref name="opgroup"/> on <paramref name="sets"/> (see the remarks). <see cref="RuleOutcome.Policy"/> is 0.</summary>
    public RuleOutcome Evaluate(Opgroup opgroup, in RuleSets sets)
    {
        MetaSet pc = MetaSet.Empty, result = MetaSet.Empty;
        int bit = 1 << (int)opgroup;
        foreach (var rule in Rules)
        {
            if ((rule.OpgroupMask & bit) == 0 || !rule.Condition.Evaluate(sets))
                continue;
            switch (rule.Action)
            {
                case DenyAction deny:
                    return RuleOutcome.Deny(0, deny.Reason);
                case AddFlagAction add when add.Target == RuleOutput.PcTag:
                    pc = pc.With(add.Flag);
                    break;
                case AddFlagAction add:
                    result = result.With(add.Flag);
                    break;
                case SetSlotAction set when set.Target == RuleOutput.PcTag:
                    pc = pc.With(set.Slot, set.Value.Evaluate(sets));
                    break;
                case SetSlotAction set:
                    result = result.With(set.Slot, set.Value.Evaluate(sets));
                    break;
            }
        }
        return RuleOutcome.Allow(pc, result);
    }

    public override string ToString() => Name;

    internal void CheckDefining()
    {
        if (!_defining)
            throw new InvalidOperationException($"{Name}: rules, the device set and calls are stated in {nameof(Define)} only");
    }

    internal Rule AddRule(int opgroups, RuleAction action)
    {
        var rule = new Rule(this, opgroups, action);
        _rules.Add(rule);
        return rule;
    }

    internal DenyAction DenyFor(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        int index = _reasons.IndexOf(reason);
        if (index < 0)
        {
            _reasons.Add(reason);
            index = _reasons.Count - 1;
        }
        return new DenyAction(index + 1, reason);
    }

    private TagPolicy Defined()
    {
        if (!_defined)
        {
            lock (_rules)
            {
                if (!_defined)
                {
                    _defining = true;
                    try
                    {
                        Define();
                    }
                    finally
                    {
                        _defining = false;
                    }
                    _defined = true;
                }
            }
        }
        return this;
    }
}

/// <summary>A word of code as the initial tag image sees it (<see cref="TagPolicy.CodeAtoms"/>).</summary>
/// <param name="Address">The word's byte address.</param>
/// <param name="Function">The 1-based index of the function holding it (FUNC symbols with a size, by address), 0 for none.</param>
/// <param name="FunctionName">That function's symbol name, or null.</param>
/// <param name="IsEntry">A FUNC symbol's address is this word's.</param>
public readonly record struct CodeWord(uint Address, ushort Function, string? FunctionName, bool IsEntry)
{
    /// <summary>
    /// The word's function has an indirect jump in it (a <c>jalr</c> in <see cref="Opgroup.Jump"/>): only such a function
    /// can be left by an indirect jump, so only its words need telling apart from other functions' (cfi).
    /// </summary>
    public bool FunctionJumps { get; init; }
}