using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Tests.Firmware;
using NUnit.Framework;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// A real program's misses: a unikernel application (bench, hello) runs on the golden model with its tag engine under a policy; every rule
/// the engine evaluates (the misses of a rule cache of infinite size, in order) and every PEX call it serves is replayed
/// on the PEX firmware built for that policy and that program's initial tag image. The firmware's answers, output tags
/// and final interning table must be the engine's; the mean instructions per miss is the figure a real workload gives.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexFirmwareProgramTests
{
    private const long MaxInstructions = 3_000_000;

    public static IEnumerable<TestCaseData> Cases =>
        from app in new[] { "bench", "hello" }
        from spec in PexFirmwareEquivalenceTests.Specs
        select new TestCaseData(app, spec);

    [TestCaseSource(nameof(Cases))]
    public void FirmwareAnswersAProgramsMissesAsTheGoldenModel(string app, string spec)
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
        var run = Record(app, spec);
        var pex = new PexOnIss(run.Firmware);
        double instructions = Replay(pex, run);
        TestContext.Progress.WriteLine(
            $"PEX firmware {spec} on {app}: {instructions:F1} instructions per miss (mean of {run.Engine.DistinctRules} misses over {run.Engine.Lookups} instructions checked), {run.Engine.Interner.Count} tags, {run.Engine.Violations.Count} violations");
    }

    public static IEnumerable<TestCaseData> RtlCases =>
        from app in new[] { "bench", "hello" }
        from spec in new[] { "ret", "nxd-nwc+ret+heap+cfi+taint" }
        select new TestCaseData(app, spec);

    /// <summary>The same on the PEX's RTL: the PEX cycles per miss of a real program.</summary>
    [TestCaseSource(nameof(RtlCases))]
    public void FirmwareOnThePexRtlAnswersAProgramsMissesAsTheGoldenModel(string app, string spec)
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
        var run = Record(app, spec);
        using var pex = new PexOnRtl(run.Firmware, run.Tags);
        double cycles = Replay(pex, run);
        TestContext.Progress.WriteLine(
            $"PEX firmware {spec} on {app}, PEX RTL: {cycles:F1} cycles per miss (mean of {run.Engine.DistinctRules} misses, from the miss raised to ALLOW or DENY)");
    }

    /// <summary>A program run on the golden model under a policy, what its engine asked of the rules, and the firmware for it.</summary>
    private sealed record Recording(IReadOnlyList<Event> Events, TagEngine Engine, TagConfig Tags, HwGen.Firmware.Pex.PexFirmwareImage Firmware);

    private static readonly Dictionary<(string App, string Spec), Recording> s_recordings = [];

    private static Recording Record(string app, string spec)
    {
        if (s_recordings.TryGetValue((app, spec), out var known))
            return known;
        var composite = Composite.Parse(spec);
        var map = MemoryMap.Simulation;
        var tags = TagConfig.ForMemoryMap(map);
        var elf = ElfImage.Load(UnikernelTestSupport.Built(app).ElfPath, map);
        var (firmware, image) = PexFirmwareBuilder.BuildForProgram(elf, composite, map, PexMemoryMap.Default,
            new HwGen.Firmware.Pex.PexFirmwareOptions { CacheDirectory = PexFirmwareEquivalenceTests.TestCache });
        var recorder = new RecordingRules(composite);
        var engine = new TagEngine(tags, recorder, image);
        recorder.Interner = engine.Interner;
        var iss = new Rv32Iss(map);
        iss.Load(elf);
        engine.AttachTo(iss);
        iss.Run(MaxInstructions);
        Assert.That(recorder.Events.Count(e => e.Miss is not null), Is.EqualTo(engine.DistinctRules), "every rule evaluated was recorded");
        Assert.That(engine.DistinctRules, Is.GreaterThan(5), "the program's misses");
        return s_recordings[(app, spec)] = new Recording(recorder.Events, engine, tags, firmware);
    }

    /// <summary>
    /// Replays the recording on <paramref name="pex"/>, asserting each answer and the final interning table against the
    /// engine's; the mean cost per miss.
    /// </summary>
    private static double Replay(IPexUnderTest pex, Recording run)
    {
        pex.Start();
        var rules = run.Engine.EvaluatedRules.ToDictionary(r => r.Key);
        ulong cost = 0;
        int misses = 0;
        foreach (var e in run.Events)
        {
            if (e.Miss is { } miss)
            {
                var (actual, spent) = pex.Serve(miss);
                var rule = rules[new RuleKey((Opgroup)miss.Opgroup, (ushort)miss.PcTag, (ushort)miss.CiTag, (ushort)miss.Rs1Tag, (ushort)miss.Rs2Tag, (ushort)miss.MemTag)];
                if (rule.Outcome.Allowed)
                    Assert.That((actual.Allow, actual.PcTag, actual.ResultTag), Is.EqualTo((true, (uint)rule.PcTag, (uint)rule.ResultTag)), $"miss {misses}: {miss}");
                else
                    Assert.That((actual.Allow, actual.DenyInfo), Is.EqualTo((false, rule.Outcome.DenyInfo)), $"miss {misses}: {miss}");
                cost += spent;
                misses++;
            }
            else
            {
                var call = e.Call!.Value;
                Assert.That(pex.Serve(call).Result, Is.EqualTo(e.CallResult), $"call {call}");
            }
        }
        Assert.That(pex.InternedSets(), Is.EqualTo(run.Engine.Interner.Sets), "the interning table, tag by tag");
        return (double)cost / misses;
    }

    /// <summary>One thing the engine asked of the rule function: a rule's evaluation (a miss) or a PEX call.</summary>
    private sealed record Event(MissInput? Miss, CallInput? Call, uint CallResult);

    /// <summary>The composite, recording each evaluation and call with the tags of the sets it was given.</summary>
    private sealed class RecordingRules(Composite composite) : IRuleFunction
    {
        public List<Event> Events { get; } = [];

        public TagInterner Interner { get; set; } = null!;

        public MetaSet DeviceSet => composite.DeviceSet;

        public int CareMask(Opgroup opgroup) => composite.CareMask(opgroup);

        public RuleOutcome Evaluate(Opgroup opgroup, in RuleSets sets)
        {
            Events.Add(new Event(new MissInput((int)opgroup, Tag(sets.Pc), Tag(sets.Ci), Tag(sets.Rs1), Tag(sets.Rs2), Tag(sets.Mem)), null, 0));
            return composite.Evaluate(opgroup, sets);
        }

        public CallResult Call(in CallRequest request, ICallContext context)
        {
            var call = new CallInput(request.Op, request.Arg0, request.Arg1, Tag(request.Caller));
            var result = composite.Call(request, context);
            Events.Add(new Event(null, call, result.Value));
            return result;
        }

        public (string Policy, string Reason) Describe(int policy, int reason) => composite.Describe(policy, reason);

        private uint Tag(MetaSet set) => Interner.TryGetTag(set, out var tag) ? tag : throw new InvalidOperationException($"{set} is not interned");
    }
}
