using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// The answer of a rule: deny (the policy's index, its reason code) or allow with the PC tag's and the result's sets.
/// </summary>
/// <param name="Allowed">True: the instruction commits with <see cref="PcOut"/> and <see cref="Result"/>.</param>
/// <param name="Policy">For a denial: the denying policy's index (<see cref="PolicyRegistry"/> order).</param>
/// <param name="Reason">For a denial: the reason code (1, 2, ... within that policy).</param>
/// <param name="PcOut">For an allow: the set of the PC tag the instruction leaves.</param>
/// <param name="Result">For an allow: the set of rd's tag, or of a store's word.</param>
public readonly record struct RuleOutcome(bool Allowed, int Policy, int Reason, MetaSet PcOut, MetaSet Result)
{
    public static RuleOutcome Allow(MetaSet pcOut, MetaSet result) => new(true, 0, 0, pcOut, result);

    public static RuleOutcome Deny(int policy, int reason) => new(false, policy, reason, MetaSet.Empty, MetaSet.Empty);

    /// <summary>The denial as the word of the PEX's DENY and the LAST_VIOLATION call give it: <c>(policy &lt;&lt; 16) | reason</c>.</summary>
    public uint DenyInfo => Allowed ? 0 : ((uint)Policy << 16) | (ushort)Reason;
}

/// <summary>The operations of the PEX call port (the value stored to its OP register).</summary>
public static class PexCallOp
{
    /// <summary>COLOUR(base, size): a fresh colour for the block; the result is base, tagged with the colour.</summary>
    public const uint Colour = 1;

    /// <summary>RELEASE(base, size): the block is freed; result 0.</summary>
    public const uint Release = 2;

    /// <summary>LAST_VIOLATION: <c>(policy &lt;&lt; 16) | reason</c> of the last denial, 0 when none; tag 0.</summary>
    public const uint LastViolation = 3;
}

/// <summary>A PEX call: the op, its arguments, and the set of the caller's instruction tag (of the store to OP).</summary>
public readonly record struct CallRequest(uint Op, uint Arg0, uint Arg1, MetaSet Caller);

/// <summary>The result of a PEX call: the value a load of RESULT gives and its memory tag's set.</summary>
public readonly record struct CallResult(uint Value, MetaSet Tag)
{
    /// <summary>A refused or unknown call: result 0, tag 0, nothing changed.</summary>
    public static CallResult Refused => default;
}

/// <summary>What a call handler may do to the tag state (the golden model's engine or the PEX firmware).</summary>
public interface ICallContext
{
    /// <summary>
    /// Gives every word of tagged memory that overlaps the bytes [<paramref name="address"/>, <paramref name="address"/>
    /// + <paramref name="size"/>) the set <paramref name="set"/> (interned now, once); words outside tagged memory are skipped.
    /// </summary>
    void SetWords(uint address, uint size, MetaSet set);

    /// <summary>The next number of counter <paramref name="name"/>: 1, 2, 3, ... (per run).</summary>
    int Next(string name);

    /// <summary><c>(policy &lt;&lt; 16) | reason</c> of the last denial, 0 when none.</summary>
    uint LastViolation { get; }
}

/// <summary>A PEX call a policy serves (<see cref="TagPolicy.OnCall"/>).</summary>
public sealed record CallHandler(uint Op, string Name, TagPolicy Policy, Func<CallRequest, ICallContext, CallResult> Handle);

/// <summary>
/// The rule function a tag engine runs: what a composite policy gives the golden model (and what a test may replace
/// with a synthetic one). The engine masks the input with <see cref="CareMask"/>, maps tags to sets, calls
/// <see cref="Evaluate"/> once per distinct masked input, and interns the outputs.
/// </summary>
public interface IRuleFunction
{
    /// <summary>The fields the rules for <paramref name="opgroup"/> read: bit n = <see cref="TagField"/> n.</summary>
    int CareMask(Opgroup opgroup);

    /// <summary>The set loads and stores outside tagged memory see as their memory tag.</summary>
    MetaSet DeviceSet { get; }

    /// <summary>The rule for <paramref name="opgroup"/> on the masked input's sets.</summary>
    RuleOutcome Evaluate(Opgroup opgroup, in RuleSets sets);

    /// <summary>Serves a PEX call (an unknown op: <see cref="CallResult.Refused"/>).</summary>
    CallResult Call(in CallRequest request, ICallContext context);

    /// <summary>The name of policy <paramref name="policy"/> and the text of its reason <paramref name="reason"/>, for reports.</summary>
    (string Policy, string Reason) Describe(int policy, int reason);
}
