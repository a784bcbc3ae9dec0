using HwGen.Designs.Tags;
using HwGen.Sim.Policy;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Policy;

/// <summary>The policy DSL: care masks, reason codes, the registry, composites, and each policy's rules on hand-made inputs.</summary>
[TestFixture]
public sealed class PolicyDslTests
{
    private const int P = 1 << (int)TagField.Pc, C = 1 << (int)TagField.Ci, R1 = 1 << (int)TagField.Rs1, R2 = 1 << (int)TagField.Rs2, M = 1 << (int)TagField.Mem;

    private static readonly MetaSet Code = MetaSet.Of(Flag.Code);
    private static readonly MetaSet Tainted = MetaSet.Of(Flag.Taint);
    private static readonly MetaSet ReturnAddr = MetaSet.Of(Flag.ReturnAddr);
    private static readonly MetaSet None = MetaSet.Empty;

    private static TagPolicy Policy(string name) => PolicyRegistry.All[PolicyRegistry.IndexOf(name)];

    private static RuleSets In(MetaSet pc = default, MetaSet ci = default, MetaSet rs1 = default, MetaSet rs2 = default, MetaSet mem = default) =>
        new(pc, ci, rs1, rs2, mem);

    private static MetaSet Colour(ushort n) => MetaSet.Empty.With(Slot.Colour, n);

    private static MetaSet Region(ushort n) => MetaSet.Empty.With(Slot.Region, n);

    [Test]
    public void TheRegistryListsTheSixPoliciesInItsFixedOrder()
    {
        Assert.That(PolicyRegistry.Names, Is.EqualTo(new[] { "none", "nxd-nwc", "taint", "heap", "ret", "cfi" }));
        Assert.That(PolicyRegistry.IndexOf("ret"), Is.EqualTo(4));
        Assert.That(PolicyRegistry.IndexOf("bogus"), Is.EqualTo(-1));
    }

    public static IEnumerable<TestCaseData> CareMasks()
    {
        var all = Enum.GetValues<Opgroup>();
        foreach (var g in all)
        {
            yield return new TestCaseData("none", g, 0);
            yield return new TestCaseData("nxd-nwc", g, g == Opgroup.Store ? C | M : C);
            yield return new TestCaseData("taint", g, g switch
            {
                Opgroup.Alu or Opgroup.MulDiv or Opgroup.Store => R1 | R2,
                Opgroup.Load => R1 | M,
                Opgroup.Call or Opgroup.Jump or Opgroup.Return => R1,
                _ => 0,
            });
            yield return new TestCaseData("heap", g, g switch
            {
                Opgroup.Alu => R1 | R2,
                Opgroup.Load => R1 | M,
                Opgroup.Store => R1 | R2 | M,
                _ => 0,
            });
            yield return new TestCaseData("ret", g, g switch
            {
                Opgroup.Return => R1,
                Opgroup.Load => M,
                Opgroup.Store => R2,
                _ => 0,
            });
            yield return new TestCaseData("cfi", g, P | C);
        }
    }

    [TestCaseSource(nameof(CareMasks))]
    public void ACareMaskIsTheFieldsTheOpgroupsRulesRead(string policy, Opgroup opgroup, int mask) =>
        Assert.That(Policy(policy).CareMask(opgroup), Is.EqualTo(mask));

    [Test]
    public void ACompositesCareMaskIsTheUnionOfItsPolicies()
    {
        var composite = Composite.Parse("ret+nxd-nwc");
        Assert.Multiple(() =>
        {
            Assert.That(composite.CareMask(Opgroup.Store), Is.EqualTo(C | M | R2));
            Assert.That(composite.CareMask(Opgroup.Return), Is.EqualTo(C | R1));
            Assert.That(composite.CareMask(Opgroup.Branch), Is.EqualTo(C));
            Assert.That(Composite.Parse("none").CareMask(Opgroup.Load), Is.Zero);
        });
    }

    [Test]
    public void ReasonsAreNumberedFromOneInDeclarationOrderOncePerText()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Policy("nxd-nwc").Reasons, Is.EqualTo(new[] { "execute non-code", "write to code" }));
            Assert.That(Policy("taint").Reasons, Is.EqualTo(new[] { "tainted address", "tainted jump target" }));
            Assert.That(Policy("heap").Reasons, Is.EqualTo(new[] { "pointer colour does not match" }));
            Assert.That(Policy("ret").Reasons, Is.EqualTo(new[] { "return to a non-return address" }));
            Assert.That(Policy("cfi").Reasons, Is.EqualTo(new[] { "indirect call to a non-entry", "indirect jump out of its function" }));
            Assert.That(Policy("none").Reasons, Is.Empty);
            Assert.That(Policy("nxd-nwc").ReasonText(2), Is.EqualTo("write to code"));
        });
    }

    [Test]
    public void ACompositeTakesTheRegistrysOrderWhateverTheSpecSays()
    {
        var a = Composite.Parse("ret+taint");
        var b = Composite.Parse("taint+ret");
        Assert.Multiple(() =>
        {
            Assert.That(a.Name, Is.EqualTo("taint+ret"));
            Assert.That(b.Name, Is.EqualTo(a.Name));
            Assert.That(a.Indices, Is.EqualTo(new[] { 2, 4 }));
            Assert.That(Composite.Parse("cfi+heap+nxd-nwc+ret+taint").Name, Is.EqualTo("nxd-nwc+taint+heap+ret+cfi"));
            Assert.That(Composite.Parse(" none ").Name, Is.EqualTo("none"));
        });
    }

    [TestCase("bogus", "unknown policy 'bogus'")]
    [TestCase("ret+", "an empty policy name")]
    [TestCase("", "an empty policy name")]
    [TestCase("ret+Ret", "unknown policy 'Ret'")]
    [TestCase("ret+ret", "appears twice")]
    public void ABadSpecNamesTheProblemAndTheKnownPolicies(string spec, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => Composite.Parse(spec))!;
        Assert.That(error.Message, Does.Contain(problem));
        if (!problem.Contains("twice", StringComparison.Ordinal))
            Assert.That(error.Message, Does.Contain("none, nxd-nwc, taint, heap, ret, cfi"));
    }

    [Test]
    public void TheFirstDenialInRegistryOrderWinsAndReportsTheRegistryIndex()
    {
        var composite = Composite.Parse("taint+nxd-nwc");
        var dataLoadThroughTaint = composite.Evaluate(Opgroup.Load, In(ci: None, rs1: Tainted));
        var codeLoadThroughTaint = composite.Evaluate(Opgroup.Load, In(ci: Code, rs1: Tainted));
        Assert.Multiple(() =>
        {
            Assert.That(dataLoadThroughTaint, Is.EqualTo(RuleOutcome.Deny(1, 1)), "nxd-nwc (index 1) comes before taint");
            Assert.That(codeLoadThroughTaint, Is.EqualTo(RuleOutcome.Deny(2, 1)));
            Assert.That(codeLoadThroughTaint.DenyInfo, Is.EqualTo(0x0002_0001u));
            Assert.That(composite.Describe(2, 1), Is.EqualTo(("taint", "tainted address")));
            Assert.That(Composite.Parse("cfi").Evaluate(Opgroup.Alu, In(pc: MetaSet.Of(Flag.IndirectCall))), Is.EqualTo(RuleOutcome.Deny(5, 1)));
        });
    }

    [Test]
    public void AllowedOutputsAreTheUnionOfEveryPolicys()
    {
        var composite = Composite.Parse("taint+heap+ret");
        var load = composite.Evaluate(Opgroup.Load, In(mem: Tainted.Union(ReturnAddr).With(Slot.Colour, 4)));
        Assert.That(load, Is.EqualTo(RuleOutcome.Allow(None, Tainted.Union(ReturnAddr).With(Slot.Colour, 4))));
        var cfiAndRet = Composite.Parse("ret+cfi").Evaluate(Opgroup.Call, In(ci: MetaSet.Empty.With(Slot.Function, 2)));
        Assert.That(cfiAndRet, Is.EqualTo(RuleOutcome.Allow(MetaSet.Of(Flag.IndirectCall), ReturnAddr)));
    }

    [Test]
    public void TheDeviceSetIsTheUnionOfThePolicies()
    {
        Assert.That(Composite.Parse("taint+ret").DeviceSet, Is.EqualTo(Tainted));
        Assert.That(Composite.Parse("nxd-nwc+ret").DeviceSet, Is.EqualTo(None));
    }

    public static IEnumerable<TestCaseData> Rules()
    {
        static TestCaseData Allow(string policy, Opgroup g, RuleSets input, MetaSet pc, MetaSet result, string name) =>
            new TestCaseData(policy, g, input, RuleOutcome.Allow(pc, result)).SetName($"{policy}: {name}");
        static TestCaseData Deny(string policy, Opgroup g, RuleSets input, int reason, string name) =>
            new TestCaseData(policy, g, input, RuleOutcome.Deny(0, reason)).SetName($"{policy}: {name}");

        yield return Allow("none", Opgroup.Store, In(ci: None, rs2: Tainted, mem: Code), None, None, "allows even a store to code");

        yield return Deny("nxd-nwc", Opgroup.Alu, In(ci: None), 1, "executing a word without Code");
        yield return Deny("nxd-nwc", Opgroup.System, In(ci: Tainted), 1, "executing data of any kind");
        yield return Allow("nxd-nwc", Opgroup.Alu, In(ci: Code), None, None, "executing code");
        yield return Deny("nxd-nwc", Opgroup.Store, In(ci: Code, mem: Code), 2, "a store to code");
        yield return Deny("nxd-nwc", Opgroup.Store, In(ci: None, mem: Code), 1, "a store from data to code: executing comes first");
        yield return Allow("nxd-nwc", Opgroup.Store, In(ci: Code, mem: Tainted), None, None, "a store to data");
        yield return Allow("nxd-nwc", Opgroup.Load, In(ci: Code, mem: Code), None, None, "a load of code");

        yield return Allow("taint", Opgroup.Alu, In(rs1: Tainted), None, Tainted, "alu: rs1 tainted");
        yield return Allow("taint", Opgroup.Alu, In(rs2: Tainted), None, Tainted, "alu: rs2 tainted");
        yield return Allow("taint", Opgroup.MulDiv, In(rs2: Tainted), None, Tainted, "muldiv: rs2 tainted");
        yield return Allow("taint", Opgroup.Alu, In(rs1: ReturnAddr, ci: Tainted, mem: Tainted), None, None, "alu: neither source tainted");
        yield return Deny("taint", Opgroup.Load, In(rs1: Tainted), 1, "load: tainted address");
        yield return Allow("taint", Opgroup.Load, In(mem: Tainted), None, Tainted, "load: tainted word");
        yield return Allow("taint", Opgroup.Load, In(rs2: Tainted), None, None, "load: rs2 is not read");
        yield return Deny("taint", Opgroup.Store, In(rs1: Tainted), 1, "store: tainted address");
        yield return Allow("taint", Opgroup.Store, In(rs2: Tainted), None, Tainted, "store: tainted value");
        yield return Allow("taint", Opgroup.Store, In(mem: Tainted), None, None, "store: the old word's taint is replaced");
        yield return Deny("taint", Opgroup.Call, In(rs1: Tainted), 2, "call: tainted target");
        yield return Deny("taint", Opgroup.Jump, In(rs1: Tainted), 2, "jump: tainted target");
        yield return Deny("taint", Opgroup.Return, In(rs1: Tainted), 2, "return: tainted target");
        yield return Allow("taint", Opgroup.Branch, In(rs1: Tainted, rs2: Tainted), None, None, "a branch on taint is allowed");
        yield return Allow("taint", Opgroup.Jal, In(), None, None, "jal");

        yield return Allow("heap", Opgroup.Alu, In(rs1: Colour(3), rs2: Colour(5)), None, Colour(3), "alu: rs1's colour first");
        yield return Allow("heap", Opgroup.Alu, In(rs2: Colour(5)), None, Colour(5), "alu: rs2's colour when rs1 has none");
        yield return Allow("heap", Opgroup.MulDiv, In(rs1: Colour(5)), None, None, "muldiv drops the colour");
        yield return Allow("heap", Opgroup.Load, In(rs1: Colour(2), mem: Region(2).With(Slot.Colour, 7)), None, Colour(7), "load: matching colour, the word's pointer colour");
        yield return Deny("heap", Opgroup.Load, In(rs1: Colour(3), mem: Region(2)), 1, "load: another block's region");
        yield return Deny("heap", Opgroup.Load, In(rs1: None, mem: Region(2)), 1, "load: an uncoloured pointer into a block");
        yield return Deny("heap", Opgroup.Load, In(rs1: Colour(2), mem: Region(Heap.Freed)), 1, "load: released memory");
        yield return Allow("heap", Opgroup.Load, In(rs1: Colour(3), mem: None), None, None, "load: memory no block owns");
        yield return Allow("heap", Opgroup.Store, In(rs1: Colour(2), rs2: Colour(9), mem: Region(2).With(Slot.Colour, 4)), None, Region(2).With(Slot.Colour, 9), "store: the word keeps its region and takes rs2's colour");
        yield return Deny("heap", Opgroup.Store, In(rs1: Colour(1), mem: Region(2)), 1, "store: another block's region");
        yield return Allow("heap", Opgroup.Store, In(rs1: Colour(1), rs2: Colour(9)), None, Colour(9), "store: outside any block");

        yield return Allow("ret", Opgroup.Jal, In(), None, ReturnAddr, "jal links a return address");
        yield return Allow("ret", Opgroup.Call, In(), None, ReturnAddr, "jalr that links");
        yield return Allow("ret", Opgroup.Return, In(rs1: ReturnAddr), None, None, "return through a return address");
        yield return Deny("ret", Opgroup.Return, In(rs1: Tainted, rs2: ReturnAddr, mem: ReturnAddr), 1, "return through anything else");
        yield return Allow("ret", Opgroup.Load, In(mem: ReturnAddr), None, ReturnAddr, "a reloaded return address");
        yield return Allow("ret", Opgroup.Store, In(rs2: ReturnAddr), None, ReturnAddr, "a saved return address");
        yield return Allow("ret", Opgroup.Store, In(rs1: ReturnAddr, mem: ReturnAddr), None, None, "overwriting a saved return address");
        yield return Allow("ret", Opgroup.Alu, In(rs1: ReturnAddr), None, None, "arithmetic drops it");
        yield return Allow("ret", Opgroup.Jump, In(rs1: ReturnAddr), None, None, "a jump links nothing");

        var entry = MetaSet.Of(Flag.Code, Flag.Entry).With(Slot.Function, 5);
        var inside4 = Code.With(Slot.Function, 4);
        var inside5 = Code.With(Slot.Function, 5);
        var afterCall = MetaSet.Of(Flag.IndirectCall);
        var afterJump = MetaSet.Of(Flag.IndirectJump).With(Slot.Function, 4);
        yield return Allow("cfi", Opgroup.Call, In(ci: inside4), afterCall, None, "call: the PC tag says an indirect call");
        yield return Allow("cfi", Opgroup.Jump, In(ci: inside4), afterJump, None, "jump: the PC tag says an indirect jump from function 4");
        yield return Allow("cfi", Opgroup.Jal, In(ci: inside4), None, None, "jal: direct");
        yield return Allow("cfi", Opgroup.Return, In(ci: inside4), None, None, "return: ret's business");
        yield return Allow("cfi", Opgroup.Alu, In(pc: afterCall, ci: entry), None, None, "after a call, an entry; the PC tag is cleared");
        yield return Deny("cfi", Opgroup.Alu, In(pc: afterCall, ci: inside5), 1, "after a call, not an entry");
        yield return Allow("cfi", Opgroup.Call, In(pc: afterCall, ci: entry), afterCall, None, "a call at an entry keeps the PC tag a call's");
        yield return Allow("cfi", Opgroup.Load, In(pc: afterJump, ci: inside4), None, None, "after a jump, inside the function left");
        yield return Allow("cfi", Opgroup.Load, In(pc: afterJump, ci: entry), None, None, "after a jump, an entry");
        yield return Deny("cfi", Opgroup.Load, In(pc: afterJump, ci: inside5), 2, "after a jump, inside another function");
        yield return Deny("cfi", Opgroup.Load, In(pc: MetaSet.Of(Flag.IndirectJump), ci: inside5), 2, "after a jump from outside any function");
        yield return Allow("cfi", Opgroup.Load, In(pc: None, ci: inside5), None, None, "no indirect transfer: anything goes");
    }

    [TestCaseSource(nameof(Rules))]
    public void APolicysRuleOnHandMadeInput(string policy, Opgroup opgroup, RuleSets input, RuleOutcome expected) =>
        Assert.That(Policy(policy).Evaluate(opgroup, input), Is.EqualTo(expected));

    [Test]
    public void RulesAreCreatedOnlyInsideDefine()
    {
        var policy = new TwoRules();
        Assert.That(policy.Rules, Has.Count.EqualTo(2));
        Assert.That(() => policy.Rules[0].When(Condition.True), Throws.InvalidOperationException.With.Message.Contains("Define"));
        Assert.That(policy.Rules[1].ToString(), Is.EqualTo("[Load, Store] Result.Set(Colour, (Rs1.Colour ?: 0x7)) when !(Mem.Has(Code))"));
        Assert.That(policy.CareMask(Opgroup.Load), Is.EqualTo(R1 | M | C));
        Assert.That(policy.CareMask(Opgroup.Store), Is.EqualTo(R1 | M));
        Assert.That(policy.CareMask(Opgroup.Alu), Is.Zero);
    }

    private sealed class TwoRules : TagPolicy
    {
        public override string Name => "two-rules";

        public override string Description => "a test policy";

        protected override void Define()
        {
            For(Opgroup.Load).Deny("x").When(Ci.Slot(Slot.Function) == 3);
            For(Opgroup.Load, Opgroup.Store).Result.Set(Slot.Colour, Rs1.Slot(Slot.Colour).OrElse(7)).Unless(Mem.Has(Flag.Code));
        }
    }
}
