using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using HwGen.Designs.Tags;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Policy;

namespace HwGen.Firmware.Pex;

/// <summary>
/// The C the PEX firmware is generated as, through Scriban (firmware/Pex/Templates): <c>pex_atoms.h</c> (the library's
/// flag bits, slots, opgroups, tag fields and call ops), <c>policy.c</c> (a composite's evaluator, one function per
/// policy per opgroup from the rule trees, its care masks, opgroup-table entries, device set and call dispatch) and
/// <c>image_sets.c</c> (the AP image's sets in tag order).
/// </summary>
/// <remarks>
/// Each node of a rule tree maps to one C form: <see cref="Always"/> to no <c>if</c>; <see cref="HasFlag"/> to
/// <c>has(in-&gt;ci, PEX_FLAG_CODE)</c>; <see cref="Compare"/> to <c>==</c>/<c>!=</c>; <see cref="Not"/>,
/// <see cref="And"/>, <see cref="Or"/> to <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>; <see cref="SlotOf"/> to
/// <c>in-&gt;rs1-&gt;slot[PEX_SLOT_COLOUR]</c>; <see cref="Constant"/> to a literal; <see cref="FirstNonZero"/> to
/// <c>or_else(a, b)</c>. Actions: <see cref="DenyAction"/> returns its reason, <see cref="AddFlagAction"/> ors a flag into
/// <c>out-&gt;pc</c> or <c>out-&gt;result</c>, <see cref="SetSlotAction"/> assigns a slot there. Call handlers are C
/// functions of calls.c named <c>POLICY_CALL</c> (<c>heap_colour</c>).
/// </remarks>
public static partial class PolicyCode
{
    /// <summary>The call handlers written in C: the functions calls.c defines (<c>uint32_t heap_colour(</c> at a line's start).</summary>
    public static IReadOnlySet<string> CallFunctions { get; } =
        CallHandlerDefinition().Matches(PexFirmwareBuild.Runtime.Read("calls.c")).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary><c>pex_atoms.h</c>.</summary>
    public static string RenderAtoms() =>
        PexFirmwareBuild.Templates.Render("pex_atoms.h.sbn", new
        {
            Flags = Enum.GetValues<Flag>().Select(f => new NamedNumber(FlagMacro(f), (int)f, f.ToString())).ToArray(),
            Slots = Enum.GetValues<Slot>().Select(s => new NamedNumber(SlotMacro(s), (int)s, s.ToString())).ToArray(),
            Opgroups = Enum.GetValues<Opgroup>().Select(o => new NamedNumber(OpgroupMacro(o), (int)o, o.ToString())).ToArray(),
            Fields = Enum.GetValues<TagField>().Select(f => new NamedNumber("PEX_FIELD_" + Snake(f.ToString()).ToUpperInvariant(), (int)f, f.ToString())).ToArray(),
            CallOps = CallOps.Select(o => new NamedNumber(o.Macro, (int)o.Op, o.Name)).ToArray(),
        });

    /// <summary><c>image_sets.c</c>: <paramref name="sets"/> are tags 1, 2, ... of the AP's initial image.</summary>
    public static string RenderImageSets(IReadOnlyList<MetaSet> sets) =>
        PexFirmwareBuild.Templates.Render("image_sets.c.sbn", new { Sets = sets.Select(SetModel.Of).ToArray() });

    /// <summary>
    /// <c>policy.c</c> for <paramref name="composite"/>: its rules, its care masks, and the opgroup table the PEX programs,
    /// <paramref name="opgroupTable"/> (1024 entries) or <see cref="Opgroups.DefaultTable"/>.
    /// </summary>
    /// <exception cref="FirmwareConfigException">Two policies write the same slot of an output, or a call has no C handler.</exception>
    public static string RenderPolicy(Composite composite, IReadOnlyList<byte>? opgroupTable = null)
    {
        ArgumentNullException.ThrowIfNull(composite);
        CheckSlotOwners(composite);
        var table = opgroupTable ?? Opgroups.DefaultTable;
        if (table.Count != Opgroups.TableSize)
            throw new FirmwareConfigException($"the opgroup table has {Opgroups.TableSize} entries, not {table.Count}");

        var policies = new List<object>();
        var cases = new Dictionary<Opgroup, List<object>>();
        for (int p = 0; p < composite.Policies.Count; p++)
        {
            var policy = composite.Policies[p];
            int index = composite.Indices[p];
            var functions = new List<object>();
            foreach (var opgroup in Enum.GetValues<Opgroup>())
            {
                var rules = policy.RulesFor(opgroup).ToArray();
                if (rules.Length == 0)
                    continue;
                var name = Identifier(policy.Name) + "_" + Snake(opgroup.ToString());
                List<string> prologue = [];
                if (rules.All(r => r.Reads == 0))
                    prologue.Add("(void)in;");
                if (rules.All(r => r.Action is DenyAction))
                    prologue.Add("(void)out;");
                functions.Add(new { Name = name, Prologue = prologue, Rules = rules.Select(RuleModel).ToArray() });
                if (!cases.TryGetValue(opgroup, out var calls))
                    cases[opgroup] = calls = [];
                calls.Add(new { Function = name, PolicyIndex = index, Policy = policy.Name });
            }
            policies.Add(new { policy.Name, Index = index, policy.Description, policy.Reasons, Functions = functions });
        }

        var handlers = composite.Calls.Values.OrderBy(c => c.Op).Select(c =>
        {
            var function = Identifier(c.Policy.Name) + "_" + Identifier(c.Name.ToLowerInvariant());
            if (!CallFunctions.Contains(function))
                throw new FirmwareConfigException(
                    $"PEX call {c.Op} ({c.Name}) of policy {c.Policy.Name} has no handler in the PEX firmware: write {function}() in firmware/Pex/runtime/calls.c (handlers there: {string.Join(", ", CallFunctions.Order(StringComparer.Ordinal))})");
            return new { Op = CallOps.FirstOrDefault(o => o.Op == c.Op).Macro ?? c.Op.ToString(CultureInfo.InvariantCulture), c.Name, Policy = c.Policy.Name, Function = function };
        }).ToArray();

        // The whole table, every entry written with its opgroup's care mask (the tag unit keeps the mask in each entry).
        var packed = Enumerable.Range(0, Opgroups.TableSize / 2).Select(i => (byte)(table[2 * i] | table[2 * i + 1] << 4)).ToArray();
        var model = new
        {
            composite.Name,
            CareMasks = Enum.GetValues<Opgroup>().Select(o => new { Opgroup = OpgroupMacro(o), Mask = CareMask(composite.CareMask(o)) }).ToArray(),
            OpgroupTable = packed,
            OpgroupTableLines = packed.Chunk(16).Select(line => string.Join(" ", line.Select(b => $"0x{b:X2},"))).ToArray(),
            DeviceSet = SetModel.Of(composite.DeviceSet),
            Policies = policies,
            Dispatch = cases.OrderBy(c => c.Key).Select(c => new { Opgroup = OpgroupMacro(c.Key), Steps = c.Value }).ToArray(),
            CallHandlers = handlers,
        };
        return PexFirmwareBuild.Templates.Render("policy.c.sbn", model);
    }

    /// <summary>The C condition of <paramref name="condition"/> (no outer parentheses), or "" for <see cref="Always"/>.</summary>
    public static string ConditionC(Condition condition) => condition is Always ? "" : Expression(condition);

    /// <summary>The C expression of <paramref name="value"/>.</summary>
    public static string ValueC(SlotValue value) => value switch
    {
        SlotOf slot => $"in->{Field(slot.Field)}->slot[{SlotMacro(slot.Slot)}]",
        HwGen.Sim.Policy.Constant constant => constant.Value < 10 ? constant.Value.ToString(CultureInfo.InvariantCulture) : "0x" + constant.Value.ToString("X", CultureInfo.InvariantCulture),
        FirstNonZero first => $"or_else({ValueC(first.First)}, {ValueC(first.Second)})",
        _ => throw new NotSupportedException($"the PEX firmware generator has no C for the slot value node {value.GetType().Name}; add it to {nameof(PolicyCode)}.{nameof(ValueC)}"),
    };

    private static string Expression(Condition condition) => condition switch
    {
        Always => "1",
        HasFlag has => $"has(in->{Field(has.Field)}, {FlagMacro(has.Flag)})",
        Compare compare => $"{ValueC(compare.Left)} {(compare.Equal ? "==" : "!=")} {ValueC(compare.Right)}",
        Not not => not.Operand is HasFlag or Always ? "!" + Expression(not.Operand) : $"!({Expression(not.Operand)})",
        And and => $"{Operand(and.Left)} && {Operand(and.Right)}",
        Or or => $"{Operand(or.Left)} || {Operand(or.Right)}",
        _ => throw new NotSupportedException($"the PEX firmware generator has no C for the condition node {condition.GetType().Name}; add it to {nameof(PolicyCode)}.{nameof(ConditionC)}"),
    };

    /// <summary>An operand of <c>&amp;&amp;</c> or <c>||</c>: in parentheses when it is itself one of them or a comparison.</summary>
    private static string Operand(Condition condition) =>
        condition is And or Or or Compare ? $"({Expression(condition)})" : Expression(condition);

    private static object RuleModel(Rule rule)
    {
        var statement = rule.Action switch
        {
            DenyAction deny => $"return {deny.Reason}; /* {deny.Text} */",
            AddFlagAction add => $"out->{Output(add.Target)}.flags |= {FlagMacro(add.Flag)};",
            SetSlotAction set => $"out->{Output(set.Target)}.slot[{SlotMacro(set.Slot)}] = {ValueC(set.Value)};",
            _ => throw new NotSupportedException($"the PEX firmware generator has no C for the action {rule.Action.GetType().Name}"),
        };
        return new { Condition = ConditionC(rule.Condition), Statement = statement };
    }

    /// <summary>A slot of an output is written by one policy of a composite (outputs are merged by writing into one set).</summary>
    private static void CheckSlotOwners(Composite composite)
    {
        var owners = new Dictionary<(RuleOutput, Slot), string>();
        foreach (var policy in composite.Policies)
        {
            foreach (var slot in policy.Rules.Select(r => r.Action).OfType<SetSlotAction>().Select(a => (a.Target, a.Slot)).Distinct())
            {
                if (owners.TryGetValue(slot, out var owner) && owner != policy.Name)
                    throw new FirmwareConfigException(
                        $"{composite.Name}: slot {slot.Slot} of the {slot.Target} output is written by policies {owner} and {policy.Name}; a slot belongs to one policy");
                owners[slot] = policy.Name;
            }
        }
    }

    private static string CareMask(int mask)
    {
        var fields = Enum.GetValues<TagField>().Where(f => (mask & (1 << (int)f)) != 0).Select(f => "PEX_FIELD_" + Snake(f.ToString()).ToUpperInvariant()).ToArray();
        return fields.Length == 0 ? "0" : string.Join(" | ", fields);
    }

    private static string Field(TagField field) => field.ToString().ToLowerInvariant();

    private static string Output(RuleOutput output) => output == RuleOutput.PcTag ? "pc" : "result";

    internal static string FlagMacro(Flag flag) => "PEX_FLAG_" + Snake(flag.ToString()).ToUpperInvariant();

    internal static string SlotMacro(Slot slot) => "PEX_SLOT_" + Snake(slot.ToString()).ToUpperInvariant();

    internal static string OpgroupMacro(Opgroup opgroup) => "PEX_OPGROUP_" + Snake(opgroup.ToString()).ToUpperInvariant();

    /// <summary>The ops of <see cref="PexCallOp"/>: PEX_CALL_COLOUR, PEX_CALL_RELEASE, PEX_CALL_LAST_VIOLATION.</summary>
    private static IReadOnlyList<(string Macro, uint Op, string Name)> CallOps { get; } =
        [.. typeof(PexCallOp).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(uint))
            .Select(f => ("PEX_CALL_" + Snake(f.Name).ToUpperInvariant(), (uint)f.GetRawConstantValue()!, f.Name))
            .OrderBy(o => o.Item2)];

    /// <summary><c>MulDiv</c> → <c>mul_div</c>.</summary>
    internal static string Snake(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    /// <summary>A C identifier from a policy or call name: <c>nxd-nwc</c> → <c>nxd_nwc</c>.</summary>
    internal static string Identifier(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_')]);

    [GeneratedRegex(@"^uint32_t (?<name>[a-z0-9_]+)\(", RegexOptions.Multiline)]
    private static partial Regex CallHandlerDefinition();

    private sealed record NamedNumber(string Macro, int Number, string Name);

    /// <summary>A set as C initialiser parts and a comment.</summary>
    private sealed record SetModel(string Flags, string Slots, string Atoms)
    {
        public static SetModel Of(MetaSet set) => new(
            "0x" + set.Flags.ToString("X", CultureInfo.InvariantCulture),
            string.Join(", ", Enumerable.Range(0, MetaSet.SlotCount).Select(s => set.Get((Slot)s).ToString(CultureInfo.InvariantCulture))),
            set.IsEmpty ? "" : set.ToString().Trim('{', '}'));
    }
}
