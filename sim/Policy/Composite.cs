using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// The policies of the library, in their fixed order: a policy's index here is the number a denial reports
/// (<see cref="RuleOutcome.Policy"/>, in the word of TAGCTL DENY), and a composite lists its policies in this order.
/// </summary>
public static class PolicyRegistry
{
    private static readonly Func<TagPolicy>[] s_factories =
    [
        () => new NonePolicy(),
        () => new NxdNwc(),
        () => new Taint(),
        () => new Heap(),
        () => new Ret(),
        () => new Cfi(),
    ];

    /// <summary>One instance of each policy, in registry order.</summary>
    public static IReadOnlyList<TagPolicy> All { get; } = [.. s_factories.Select(f => f())];

    /// <summary>The names, in registry order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>The index of the policy named <paramref name="name"/>, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
                return i;
        }
        return -1;
    }
}

/// <summary>
/// A composite policy: some of the library's policies (<see cref="PolicyRegistry"/>), in registry order. Each is
/// evaluated in turn; the first denial wins; the outputs are the union of theirs (<see cref="MetaSet.Union"/>).
/// Its care mask per opgroup is the union of its policies', its device set the union of theirs, and its calls theirs
/// plus <see cref="PexCallOp.LastViolation"/>.
/// </summary>
public sealed class Composite : IRuleFunction
{
    private readonly int[] _care = new int[Opgroups.Count];
    private readonly Dictionary<uint, CallHandler> _calls = [];

    private Composite(IReadOnlyList<int> indices)
    {
        Indices = indices;
        Policies = [.. indices.Select(i => PolicyRegistry.All[i])];
        Name = string.Join("+", Policies.Select(p => p.Name));
        foreach (var policy in Policies)
        {
            DeviceSet = DeviceSet.Union(policy.DeviceSet);
            foreach (var opgroup in Enum.GetValues<Opgroup>())
                _care[(int)opgroup] |= policy.CareMask(opgroup);
            foreach (var call in policy.Calls)
            {
                if (call.Op == PexCallOp.LastViolation || !_calls.TryAdd(call.Op, call))
                    throw new InvalidOperationException($"PEX call {call.Op} ({call.Name} of {policy.Name}) is served twice");
            }
        }
    }

    /// <summary>
    /// The composite of <paramref name="spec"/>: policy names joined by <c>+</c> (<c>none</c>, <c>nxd-nwc+ret</c>), in
    /// any order (the composite takes the registry's).
    /// </summary>
    /// <exception cref="ArgumentException">An empty, unknown or repeated name; the message lists the known policies.</exception>
    public static Composite Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var indices = new SortedSet<int>();
        foreach (var part in spec.Split('+'))
        {
            var name = part.Trim();
            int index = PolicyRegistry.IndexOf(name);
            if (index < 0)
            {
                var what = name.Length == 0 ? $"an empty policy name in '{spec}'" : $"unknown policy '{name}' in '{spec}'";
                throw new ArgumentException($"{what}; the policies are {string.Join(", ", PolicyRegistry.Names)} (combine them with +, e.g. nxd-nwc+ret)", nameof(spec));
            }
            if (!indices.Add(index))
                throw new ArgumentException($"policy '{name}' appears twice in '{spec}'", nameof(spec));
        }
        return new Composite([.. indices]);
    }

    /// <summary>The canonical spec string: the names in registry order, joined by <c>+</c>.</summary>
    public string Name { get; }

    /// <summary>The policies, in registry order.</summary>
    public IReadOnlyList<TagPolicy> Policies { get; }

    /// <summary>The registry index of each of <see cref="Policies"/>: the number its denials report.</summary>
    public IReadOnlyList<int> Indices { get; }

    public MetaSet DeviceSet { get; }

    /// <summary>The calls the composite serves besides <see cref="PexCallOp.LastViolation"/>, by op.</summary>
    public IReadOnlyDictionary<uint, CallHandler> Calls => _calls;

    public int CareMask(Opgroup opgroup) => _care[(int)opgroup];

    public RuleOutcome Evaluate(Opgroup opgroup, in RuleSets sets)
    {
        MetaSet pc = MetaSet.Empty, result = MetaSet.Empty;
        for (int i = 0; i < Policies.Count; i++)
        {
            var outcome = Policies[i].Evaluate(opgroup, sets);
            if (!outcome.Allowed)
                return RuleOutcome.Deny(Indices[i], outcome.Reason);
            pc = pc.Union(outcome.PcOut);
            result = result.Union(outcome.Result);
        }
        return RuleOutcome.Allow(pc, result);
    }

    /// <summary>
    /// LAST_VIOLATION gives the context's last denial (tag 0); another op goes to the policy that serves it, or is
    /// refused (result 0, tag 0) when none does.
    /// </summary>
    public CallResult Call(in CallRequest request, ICallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (request.Op == PexCallOp.LastViolation)
            return new CallResult(context.LastViolation, MetaSet.Empty);
        return _calls.TryGetValue(request.Op, out var handler) ? handler.Handle(request, context) : CallResult.Refused;
    }

    public (string Policy, string Reason) Describe(int policy, int reason)
    {
        if ((uint)policy >= (uint)PolicyRegistry.All.Count)
            return ($"policy {policy}", $"reason {reason}");
        var p = PolicyRegistry.All[policy];
        return (p.Name, p.ReasonText(reason));
    }

    /// <summary>The atoms of a code word: <see cref="Flag.Code"/> and every policy's <see cref="TagPolicy.CodeAtoms"/>.</summary>
    public MetaSet CodeTag(in CodeWord word)
    {
        var set = MetaSet.Of(Flag.Code);
        foreach (var policy in Policies)
            set = set.Union(policy.CodeAtoms(word));
        return set;
    }

    public override string ToString() => Name;
}
