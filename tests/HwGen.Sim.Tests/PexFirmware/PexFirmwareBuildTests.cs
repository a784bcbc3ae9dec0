using HwGen.Designs.Pex;
using HwGen.Designs.Tags;
using HwGen.Firmware;
using HwGen.Firmware.Pex;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Policy;
using NUnit.Framework;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The PEX firmware's builder: the cache, the tables the start-up programs, a full interning table, bad inputs, the
/// generated C's names; and that the equivalence run catches a firmware with one small mistake in it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexFirmwareBuildTests
{
    private static readonly TagConfig s_tags = PexFirmwareEquivalenceTests.s_tags;

    private static PexFirmwareOptions Options => new() { CacheDirectory = PexFirmwareEquivalenceTests.TestCache };

    [SetUp]
    public void NeedsTheCompiler()
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
    }

    /// <summary>
    /// One mistake each, in the generated evaluator, the runtime or a call handler; each must make the run differ. The
    /// image has 60 random sets, but for the mistake that only a miss with two new outputs shows: none there.
    /// </summary>
    public static IEnumerable<TestCaseData> Mistakes =>
    [
        new TestCaseData(60, "taint", "policy.c", "has(in->rs1, PEX_FLAG_TAINT))\n        return 1;", "has(in->rs2, PEX_FLAG_TAINT))\n        return 1;").SetName("wrong operand: rs2 for rs1"),
        new TestCaseData(60, "nxd-nwc", "policy.c", "return 2; /* write to code */", "return 1; /* write to code */").SetName("wrong reason code"),
        new TestCaseData(60, "cfi", "policy.c", "in->ci->slot[PEX_SLOT_FUNCTION] == in->pc->slot[PEX_SLOT_FUNCTION]", "in->ci->slot[PEX_SLOT_FUNCTION] != in->pc->slot[PEX_SLOT_FUNCTION]").SetName("comparison negated"),
        new TestCaseData(60, "heap", "policy.c", "or_else(in->rs1->slot[PEX_SLOT_COLOUR], in->rs2->slot[PEX_SLOT_COLOUR])", "or_else(in->rs2->slot[PEX_SLOT_COLOUR], in->rs1->slot[PEX_SLOT_COLOUR])").SetName("fallback operands swapped"),
        new TestCaseData(60, "nxd-nwc+taint", "policy.c", "return (2u << 16) | reason; /* taint */", "return (1u << 16) | reason; /* taint */").SetName("wrong policy index"),
        new TestCaseData(0, "ret+cfi", "main.c", "uint32_t pc_tag = intern(&out.pc);\n    uint32_t result_tag = pc_tag == PEX_TABLE_FULL ? PEX_TABLE_FULL : intern(&out.result);",
            "uint32_t result_tag = intern(&out.result);\n    uint32_t pc_tag = result_tag == PEX_TABLE_FULL ? PEX_TABLE_FULL : intern(&out.pc);").SetName("result interned before the PC output"),
        new TestCaseData(60, "heap", "calls.c", "uint32_t last = address + (size - 1);", "uint32_t last = address + size;").SetName("call retags one word too many"),
        new TestCaseData(60, "heap", "calls.c", "if (!(caller->flags & PEX_FLAG_ALLOCATOR))\n        return 0;\n    uint32_t colour", "if (!(caller->flags & PEX_FLAG_CODE))\n        return 0;\n    uint32_t colour").SetName("COLOUR checks the caller for the wrong flag"),
        new TestCaseData(60, "taint", "policy.c", "[PEX_OPGROUP_STORE] = PEX_FIELD_RS1 | PEX_FIELD_RS2,", "[PEX_OPGROUP_STORE] = PEX_FIELD_RS1,").SetName("care mask without a field read"),
    ];

    [TestCaseSource(nameof(Mistakes))]
    public void AFirmwareWithOneMistakeDiffersFromTheComposite(int imageSetCount, string spec, string file, string correct, string wrong)
    {
        var composite = Composite.Parse(spec);
        var rng = new Random(7);
        var imageSets = PexFirmwareEquivalenceTests.RandomSets(rng, imageSetCount);
        var sources = PexFirmwareBuilder.GeneratedSources(composite, imageSets, Options);
        var runtime = new EmbeddedFiles("HwGen.Firmware.Pex.Runtime.", "firmware/Pex/runtime");
        var text = sources.TryGetValue(file, out var generated) ? generated : runtime.Read(file);
        Assert.That(text, Does.Contain(correct), $"{file} as it is");
        sources[file] = text.Replace(correct, wrong, StringComparison.Ordinal);

        var altered = PexFirmwareBuild.Build(sources, PexMemoryMap.Default, Options, s_tags);
        var run = PexFirmwareEquivalenceTests.RandomRun(new PexOnIss(altered), composite, imageSets, rng, PexFirmwareEquivalenceTests.Misses);
        Assert.That(run.Mismatch, Is.Not.Null, "the altered firmware passed the equivalence run");
        TestContext.Progress.WriteLine($"{spec}, {file}: {run.Mismatch}");
    }

    [Test]
    public void BuildsAreKeptByTheHashOfTheirSources()
    {
        var composite = Composite.Parse("ret");
        IReadOnlyList<MetaSet> sets = [MetaSet.Of(Flag.Code)];
        var first = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, sets, s_tags, Options);
        var again = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, sets, s_tags, Options);
        var other = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, [MetaSet.Of(Flag.Code), MetaSet.Of(Flag.Code, Flag.Entry)], s_tags, Options);
        Assert.Multiple(() =>
        {
            Assert.That(again.Built, Is.False, "the second build of the same sources");
            Assert.That(again.Directory, Is.EqualTo(first.Directory));
            Assert.That(again.Words, Is.EqualTo(first.Words));
            Assert.That(other.Directory, Is.Not.EqualTo(first.Directory), "another image's sets");
            Assert.That(File.ReadAllLines(first.HexPath).Skip(1).Select(l => Convert.ToUInt32(l, 16)), Is.EqualTo(first.Words), "the hex file holds the words");
            Assert.That(first.Words, Has.Count.LessThanOrEqualTo((int)(PexMemoryMap.RamSize / 4)));
        });
    }

    [Test]
    public void TheStartUpProgramsEveryOpgroupEntryWithItsCareMask()
    {
        var table = Opgroups.DefaultTable.ToArray();
        int addi = Opgroups.IndexOf(0x0010_0093), csrrw = Opgroups.IndexOf(0x3400_1073);
        table[addi] = (byte)Opgroup.MulDiv;
        table[csrrw] = (byte)Opgroup.System;
        var composite = Composite.Parse("taint");
        var image = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, [], s_tags, Options with { OpgroupTable = table });
        var pex = new PexOnIss(image);
        pex.Start();
        uint device = 1; // {Taint}: the first set interned after an empty image
        var expected = PexFirmwareEquivalenceTests.ExpectedTableWrites(composite, table, device);
        Assert.That(expected[addi], Is.EqualTo(("OPGROUP", (uint)composite.CareMask(Opgroup.MulDiv) << PexMemoryMap.OpgroupCareShift |
            (uint)(addi << 4 | (int)Opgroup.MulDiv))), "addi's entry: the table given, MulDiv's care mask");
        Assert.Multiple(() =>
        {
            Assert.That(pex.Device.TableWrites, Is.EqualTo(expected));
            Assert.That(pex.Device.ApControl, Is.Zero, "the AP released");
            Assert.That(pex.InternedSets(), Is.EqualTo(new[] { MetaSet.Of(Flag.Taint) }));
        });
    }

    [Test]
    public void AMissWhoseOutputFindsNoRoomIsDeniedAsTableFull()
    {
        var composite = Composite.Parse("ret");
        var image = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, [MetaSet.Of(Flag.Code)], s_tags, Options with { SetCapacity = 2 });
        var pex = new PexOnIss(image);
        pex.Start();
        var (jal, _) = pex.Serve(new MissInput((int)Opgroup.Jal, 0, 0, 0, 0, 0));
        var (branch, _) = pex.Serve(new MissInput((int)Opgroup.Branch, 0, 0, 0, 0, 0));
        var (load, _) = pex.Serve(new MissInput((int)Opgroup.Load, 0, 0, 0, 0, 1));
        Assert.Multiple(() =>
        {
            Assert.That((jal.Allow, jal.DenyInfo), Is.EqualTo((false, 0xFFFF_0001u)), "{ReturnAddr} needs a third set");
            Assert.That((branch.Allow, branch.PcTag, branch.ResultTag), Is.EqualTo((true, 0u, 0u)), "empty outputs need no room");
            Assert.That((load.Allow, load.PcTag, load.ResultTag), Is.EqualTo((true, 0u, 0u)), "{Code} in memory gives an empty result under ret");
            Assert.That(pex.InternedSets(), Is.EqualTo(new[] { MetaSet.Of(Flag.Code) }));
        });
    }

    [Test]
    public void AnImageWithMoreSetsThanTheTableHoldsIsRefused()
    {
        var sets = PexFirmwareEquivalenceTests.RandomSets(new Random(3), 20);
        var ex = Assert.Throws<FirmwareConfigException>(() =>
            PexFirmwareBuilder.Build(Composite.Parse("none"), PexMemoryMap.Default, sets, s_tags, Options with { SetCapacity = 16 }));
        Assert.That(ex!.Message, Does.Contain("20 tags").And.Contain("16 sets"));
    }

    [Test]
    public void ASetTableWithTheEmptySetOrARepeatIsRefused()
    {
        var composite = Composite.Parse("none");
        Assert.Multiple(() =>
        {
            Assert.Throws<FirmwareConfigException>(() => PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, [MetaSet.Of(Flag.Code), MetaSet.Empty], s_tags, Options));
            Assert.Throws<FirmwareConfigException>(() => PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, [MetaSet.Of(Flag.Code), MetaSet.Of(Flag.Code)], s_tags, Options));
        });
    }

    [Test]
    public void TheGeneratedEvaluatorIsNamedFromThePolicies()
    {
        var code = PolicyCode.RenderPolicy(Composite.Parse("nxd-nwc+heap"));
        Assert.Multiple(() =>
        {
            Assert.That(code, Does.Contain("static uint32_t nxd_nwc_store(const rule_inputs *in, rule_outputs *out)"));
            Assert.That(code, Does.Contain("    if (has(in->mem, PEX_FLAG_CODE))\n        return 2; /* write to code */"));
            Assert.That(code, Does.Contain("out->result.slot[PEX_SLOT_REGION] = in->mem->slot[PEX_SLOT_REGION];"));
            Assert.That(code, Does.Contain("    case PEX_CALL_COLOUR:\n        return heap_colour(arg0, arg1, caller, result_tag);"));
            Assert.That(code, Does.Not.Contain("static uint32_t heap_branch"), "no function for an opgroup without rules");
        });
    }
}
