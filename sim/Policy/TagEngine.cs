using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;

namespace HwGen.Sim.Policy;

/// <summary>The masked input of a rule: the key of the rule cache.</summary>
public readonly record struct RuleKey(Opgroup Opgroup, ushort PcTag, ushort CiTag, ushort Rs1Tag, ushort Rs2Tag, ushort MemTag)
{
    private ulong Tags => PcTag | ((ulong)CiTag << 16) | ((ulong)Rs1Tag << 32) | ((ulong)Rs2Tag << 48);

    public bool Equals(RuleKey other) => Tags == other.Tags && MemTag == other.MemTag && Opgroup == other.Opgroup;

    public override int GetHashCode()
    {
        ulong h = (Tags ^ ((ulong)MemTag << 7) ^ (ulong)Opgroup) * 0x9E37_79B9_7F4A_7C15;
        return (int)(h >> 32) ^ (int)h;
    }
}

/// <summary>An evaluated rule: its outcome and, when allowed, its interned outputs.</summary>
internal sealed record CachedRule(RuleOutcome Outcome, ushort PcTag, ushort ResultTag);

/// <summary>A denied instruction, for reports.</summary>
/// <param name="Pc">Its address.</param>
/// <param name="Insn">Its word.</param>
/// <param name="Policy">The denying policy's name.</param>
/// <param name="Reason">The reason's text.</param>
/// <param name="PolicyIndex">The policy's index (<see cref="RuleOutcome.Policy"/>).</param>
/// <param name="ReasonCode">The reason's code.</param>
public sealed record Violation(uint Pc, uint Insn, string Policy, string Reason, int PolicyIndex, int ReasonCode);

/// <summary>
/// The golden model's tags: a tag per register, the PC tag and its saved copy (the "mepc tag"), a tag per word of
/// tagged memory, the device tag and the call result tag, kept beside an <see cref="Rv32Iss"/> through its commit
/// check (<see cref="AttachTo"/>), and the PEX call port's calls. For each instruction that would complete it forms the
/// rule input (opgroup from the opgroup table, by default <see cref="Opgroups.Classify(uint)"/>; PC, CI, rs1, rs2 and memory tags, masked by the
/// opgroup's care mask), evaluates the rule once per distinct masked input (a rule cache of infinite size), and on an
/// allow commits the outputs: rd's tag, a store's word tag (inside tagged memory), the PC tag (mret: the saved one).
/// Any trap saves the PC tag and clears it; a denial changes no tag.
/// </summary>
public sealed class TagEngine : ICommitCheck, IPexCallHandler, ICallContext
{
    private static readonly int s_pcTag = TagTraceFields.PcTag.Index;
    private static readonly int s_rdTag = TagTraceFields.RdTag.Index;
    private static readonly int s_memTag = TagTraceFields.MemTag.Index;
    private static readonly int s_denied = TagTraceFields.Denied.Index;

    private readonly IRuleFunction _rules;
    private readonly byte[] _opgroups = [.. Opgroups.DefaultTable];
    private readonly int[] _care = new int[Opgroups.Count];
    private readonly ushort[] _regTags = new ushort[32];
    private readonly ushort[] _memTags;
    private readonly uint _taggedBase;
    private readonly Dictionary<RuleKey, CachedRule> _cache = [];
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly List<Violation> _violations = [];
    private ushort _pcTag;
    private ushort _savedPcTag;
    private ushort _callResultTag;
    private uint _lastViolation;

    // The instruction being checked, from Check to Committed / TrapTaken.
    private ushort _ciTag;
    private ushort _outPcTag;
    private ushort _outResultTag;
    private bool _denying;

    // The trace fields of the instruction last executed.
    private ushort _tracePcTag, _traceRdTag, _traceMemTag;
    private bool _traceDenied;

    /// <param name="config">The tagged memory and the tag width.</param>
    /// <param name="rules">The rule function (a <see cref="Composite"/>, or a test's own).</param>
    /// <param name="image">The initial tags and set table (<see cref="InitialTagImage.Build"/>); its interner is copied.</param>
    public TagEngine(TagConfig config, IRuleFunction rules, InitialTagImage image)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(image);
        config.Validate();
        _rules = rules;
        Config = config;
        _taggedBase = config.TaggedBase;
        _memTags = new ushort[config.TaggedWords];
        foreach (var (address, tag) in image.Words)
        {
            if (!InTaggedMemory(address))
                throw new ArgumentException($"initial tag of word 0x{address:x8} lies outside the tagged memory", nameof(image));
            _memTags[(address - _taggedBase) >> 2] = tag;
        }
        Interner = image.Interner.Clone();
        if (Interner.TagWidth != config.TagWidth)
            throw new ArgumentException($"the image's tags are {Interner.TagWidth} bits, the configuration's {config.TagWidth}", nameof(image));
        DeviceTag = Interner.Intern(rules.DeviceSet);
        foreach (var opgroup in Enum.GetValues<Opgroup>())
            _care[(int)opgroup] = rules.CareMask(opgroup);
    }

    /// <summary>
    /// An engine for <paramref name="elf"/> under the composite <paramref name="composite"/>, its tagged memory the RAM of
    /// <paramref name="iss"/>'s map, attached to <paramref name="iss"/>.
    /// </summary>
    public static TagEngine Attach(Rv32Iss iss, ElfImage elf, Composite composite)
    {
        ArgumentNullException.ThrowIfNull(iss);
        var config = TagConfig.ForMemoryMap(iss.Map);
        var engine = new TagEngine(config, composite, InitialTagImage.Build(elf, composite, config));
        engine.AttachTo(iss);
        return engine;
    }

    public TagConfig Config { get; }

    /// <summary>The set table: the initial image's, then what the rules and calls interned.</summary>
    public TagInterner Interner { get; }

    /// <summary>The tag of the rule function's device set.</summary>
    public ushort DeviceTag { get; }

    /// <summary>The tag loads from the PEX call port see: the last call's result tag.</summary>
    public ushort CallResultTag => _callResultTag;

    public ushort PcTag => _pcTag;

    /// <summary>The PC tag saved by the last trap (restored by mret).</summary>
    public ushort SavedPcTag => _savedPcTag;

    /// <summary>The denials so far, in order.</summary>
    public IReadOnlyList<Violation> Violations => _violations;

    /// <summary><c>(policy &lt;&lt; 16) | reason</c> of the last denial, 0 when none.</summary>
    public uint LastViolation => _lastViolation;

    /// <summary>Instructions checked (the rule cache's lookups).</summary>
    public long Lookups { get; private set; }

    /// <summary>Distinct masked inputs evaluated: the misses of a rule cache of infinite size.</summary>
    public int DistinctRules => _cache.Count;

    /// <summary>The rules evaluated so far, with their outcome and output tags.</summary>
    public IEnumerable<(RuleKey Key, RuleOutcome Outcome, ushort PcTag, ushort ResultTag)> EvaluatedRules =>
        _cache.Select(kv => (kv.Key, kv.Value.Outcome, kv.Value.PcTag, kv.Value.ResultTag));

    /// <summary>The care mask of <paramref name="opgroup"/> (bit n = <see cref="TagField"/> n).</summary>
    public int CareMask(Opgroup opgroup) => _care[(int)opgroup];

    /// <summary>
    /// The opgroup table: entry <see cref="Opgroups.IndexOf"/> of an instruction word is its opgroup. It starts as
    /// <see cref="Opgroups.DefaultTable"/>; a PEX that programs another table has its entries set here too.
    /// </summary>
    public Opgroup this[int opgroupTableIndex]
    {
        get => (Opgroup)_opgroups[CheckIndex(opgroupTableIndex)];
        set
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "not an opgroup");
            _opgroups[CheckIndex(opgroupTableIndex)] = (byte)value;
        }
    }

    private static int CheckIndex(int index) =>
        (uint)index < Opgroups.TableSize ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"the opgroup table has {Opgroups.TableSize} entries");

    /// <summary>Makes the engine <paramref name="iss"/>'s commit check and the server of its PEX call port.</summary>
    public void AttachTo(Rv32Iss iss)
    {
        ArgumentNullException.ThrowIfNull(iss);
        iss.CommitCheck = this;
        if (iss.PexCall is { } port)
            port.Handler = this;
    }

    /// <summary>The tag of register x<paramref name="index"/> (x0: 0).</summary>
    public ushort RegisterTag(int index) =>
        (uint)index < 32 ? _regTags[index] : throw new ArgumentOutOfRangeException(nameof(index), index, "RV32 has registers x0..x31");

    /// <summary>The tag of the word holding <paramref name="address"/>; 0 outside tagged memory.</summary>
    public ushort WordTag(uint address) => InTaggedMemory(address) ? _memTags[(address - _taggedBase) >> 2] : (ushort)0;

    /// <summary>Every register's tag, x0..x31 (a copy).</summary>
    public ushort[] RegisterTags() => [.. _regTags];

    /// <summary>Every tagged word's tag, from the tagged memory's base (a copy).</summary>
    public ushort[] MemoryTags() => [.. _memTags];

    public bool InTaggedMemory(uint address) => address - _taggedBase < (uint)_memTags.Length * 4;

    /// <summary>The masked rule input of <paramref name="effect"/> (an instruction that completes), and its CI tag unmasked.</summary>
    public RuleKey KeyOf(in InsnEffect effect, out ushort ciTag)
    {
        var opgroup = (Opgroup)_opgroups[Opgroups.IndexOf(effect.Insn)];
        int care = _care[(int)opgroup];
        ciTag = WordTag(effect.Pc);
        ushort mem = 0;
        if (effect.Access != MemoryAccessKind.None)
        {
            mem = InTaggedMemory(effect.Address) ? _memTags[(effect.Address - _taggedBase) >> 2]
                : effect.Device is PexCallDevice ? _callResultTag
                : DeviceTag;
        }
        return new RuleKey(
            opgroup,
            Masked(care, TagField.Pc, _pcTag),
            Masked(care, TagField.Ci, ciTag),
            Masked(care, TagField.Rs1, _regTags[effect.Rs1]),
            Masked(care, TagField.Rs2, _regTags[effect.Rs2]),
            Masked(care, TagField.Mem, mem));
    }

    public CommitDecision Check(in InsnEffect effect)
    {
        var key = KeyOf(effect, out _ciTag);
        Lookups++;
        if (!_cache.TryGetValue(key, out var rule))
        {
            var sets = new RuleSets(Interner[key.PcTag], Interner[key.CiTag], Interner[key.Rs1Tag], Interner[key.Rs2Tag], Interner[key.MemTag]);
            var outcome = _rules.Evaluate(key.Opgroup, sets);
            rule = outcome.Allowed ? new CachedRule(outcome, Interner.Intern(outcome.PcOut), Interner.Intern(outcome.Result)) : new CachedRule(outcome, 0, 0);
            _cache.Add(key, rule);
        }
        if (!rule.Outcome.Allowed)
        {
            var (policy, reason) = _rules.Describe(rule.Outcome.Policy, rule.Outcome.Reason);
            _violations.Add(new Violation(effect.Pc, effect.Insn, policy, reason, rule.Outcome.Policy, rule.Outcome.Reason));
            _lastViolation = rule.Outcome.DenyInfo;
            _denying = true;
            return CommitDecision.Deny(_lastViolation);
        }
        _outPcTag = rule.PcTag;
        _outResultTag = rule.ResultTag;
        return CommitDecision.Allow;
    }

    public void Committed(in InsnEffect effect)
    {
        ushort memTag = 0;
        if (effect.Access != MemoryAccessKind.None && InTaggedMemory(effect.Address))
        {
            ref ushort word = ref _memTags[(effect.Address - _taggedBase) >> 2];
            if (effect.Access == MemoryAccessKind.Store)
                word = _outResultTag;
            memTag = word;
        }
        if (effect.Rd != 0)
            _regTags[effect.Rd] = _outResultTag;
        _pcTag = IsMret(effect.Insn) ? _savedPcTag : _outPcTag;
        _tracePcTag = _pcTag;
        _traceRdTag = effect.Rd != 0 ? _outResultTag : (ushort)0;
        _traceMemTag = memTag;
        _traceDenied = false;
    }

    public void TrapTaken(uint cause)
    {
        _tracePcTag = _pcTag;
        _traceRdTag = 0;
        _traceMemTag = 0;
        _traceDenied = _denying && cause == TrapCause.PolicyViolation;
        _denying = false;
        _savedPcTag = _pcTag;
        _pcTag = 0;
    }

    public void Annotate(ref RetireRecord record)
    {
        var slots = record.Slots;
        slots[s_pcTag] = _tracePcTag;
        slots[s_rdTag] = _traceRdTag;
        slots[s_memTag] = _traceMemTag;
        slots[s_denied] = _traceDenied ? 1UL : 0;
    }

    /// <summary>A PEX call from the instruction being committed (the store to OP): the caller's set is its CI tag's.</summary>
    public uint Call(uint op, uint arg0, uint arg1)
    {
        var result = _rules.Call(new CallRequest(op, arg0, arg1, Interner[_ciTag]), this);
        _callResultTag = Interner.Intern(result.Tag);
        return result.Value;
    }

    void ICallContext.SetWords(uint address, uint size, MetaSet set)
    {
        ushort tag = Interner.Intern(set);
        if (size == 0)
            return;
        ulong last = ((ulong)address + size - 1) & ~3UL;
        for (ulong a = address & ~3u; a <= last; a += 4)
        {
            if (a <= uint.MaxValue && InTaggedMemory((uint)a))
                _memTags[((uint)a - _taggedBase) >> 2] = tag;
        }
    }

    int ICallContext.Next(string name)
    {
        int next = _counters.GetValueOrDefault(name) + 1;
        _counters[name] = next;
        return next;
    }

    private static ushort Masked(int care, TagField field, ushort tag) => (care & (1 << (int)field)) != 0 ? tag : (ushort)0;

    private static bool IsMret(uint insn) => insn == 0x3020_0073;
}
