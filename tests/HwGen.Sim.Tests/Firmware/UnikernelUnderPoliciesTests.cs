using HwGen.Designs.Tags;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Tests.Tags;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Firmware;

/// <summary>
/// The unikernel's applications run under every policy and the composite with no violation: on the golden model
/// with its tag engine, and (the composite) on the tagged SoC in lockstep with it. The allocator's blocks are coloured
/// through the PEX call port (the pointers malloc returns carry their block's colour), the threads start and switch
/// through returns that calls wrote.
/// </summary>
[TestFixture]
public sealed class UnikernelUnderPoliciesTests
{
    internal const string Composite = "nxd-nwc+taint+heap+ret+cfi";

    public static IEnumerable<TestCaseData> GoldenCases()
    {
        // kernel-check's heap scenario (input "h") and thread scenario ("y") besides the applications.
        foreach (var (app, input) in new[] { ("hello", ""), ("bench", ""), ("kernel-check", "h"), ("kernel-check", "y") })
        {
            foreach (var spec in new[] { "none", "nxd-nwc", "taint", "heap", "ret", "cfi", Composite })
                yield return new TestCaseData(app, input, spec).SetName($"GoldenModel({app}{(input.Length > 0 ? " " + input : "")}, {spec})");
        }
    }

    [TestCaseSource(nameof(GoldenCases))]
    public void AnApplicationRunsCleanOnTheGoldenModel(string app, string input, string spec)
    {
        var (result, engine) = RunOnGoldenModel(app, input, spec);

        Assert.That(engine.Violations, Is.Empty, () => string.Join("; ", engine.Violations.Take(3)) + "\n" + result.UartOutput);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
        Assert.That(result.UartOutput, Does.Not.Contain("FAILED").And.Not.Contain("***"));
        if (app == "hello")
            Assert.That(result.UartOutput, Does.Contain("joined: ping returned 4, pong returned 5\ntimer: ticking\n"));
    }

    [Test]
    public void UnderHeapTheAllocatorColoursEveryBlockAndReleasesItOnFree()
    {
        var (result, engine) = RunOnGoldenModel("kernel-check", "h", "heap");
        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
        Assert.That(engine.Violations, Is.Empty);
        // The heap scenario hands out eight blocks (a, b, c, d, small, rest, zeroed, grown), each with a colour of its own,
        // and frees them all: the memory took every colour 1..8 as its region, and the freed region.
        var regions = engine.Interner.Sets.Select(s => s.Get(Slot.Region)).Where(r => r != 0).ToHashSet();
        Assert.That(regions, Is.EquivalentTo(Enumerable.Range(1, 8).Select(i => (ushort)i).Append(Heap.Freed)));
        // The pointers carried their colours: a value took colour 8 (grown's).
        Assert.That(engine.Interner.Sets.Any(s => s.Get(Slot.Colour) == 8), Is.True);
    }

    [TestCase("none")]
    [TestCase("nxd-nwc")]
    [TestCase(Composite)]
    public void AViolationInAThreadEndsThatThreadAndMainGoesOn(string spec)
    {
        var (result, engine) = RunOnGoldenModel("kernel-check", "v", spec);

        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
        if (spec == "none")
        {
            Assert.That(engine.Violations, Is.Empty);
            Assert.That(result.UartOutput, Is.EqualTo("the code was written\njoined: a result\n"));
            return;
        }
        var image = ElfImage.Load(UnikernelTestSupport.Built("kernel-check").ElfPath, HwGen.Designs.Soc.MemoryMap.Simulation);
        uint pc = image.FindSymbol("check_write_code")!.Value;
        Assert.That(engine.Violations.Select(v => (v.Pc, v.Policy, v.Reason)), Is.EqualTo(new[] { (pc, "nxd-nwc", "write to code") }));
        Assert.That(result.UartOutput, Does.EndWith($"*** policy violation: nxd-nwc: write to code at pc 0x{pc:x8}, thread 1 ended\njoined: NULL\n"));
        Assert.That(result.UartOutput, Does.Not.Contain("the code was written"));
    }

    [TestCase("hello")]
    [TestCase("bench")]
    public void AnApplicationRunsCleanUnderTheCompositeOnTheRtlInLockstep(string app)
    {
        var build = UnikernelTestSupport.Built(app);
        var result = SimRunner.Run(TaggedSimTests.Options(build.ElfPath, Composite) with { MaxCycles = 400_000_000 });

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.That(result.Violations, Is.Empty, () => string.Join("; ", result.Violations));
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), result.Uart);
    }

    /// <summary>Runs <paramref name="app"/> on the golden model under <paramref name="spec"/> with <paramref name="input"/> on the UART.</summary>
    internal static (IssRunResult Result, TagEngine Engine) RunOnGoldenModel(string app, string input, string spec, long maxInstructions = 20_000_000)
    {
        var (result, engine, _) = RunOnGoldenModel(app, input, spec, _ => { }, maxInstructions);
        return (result, engine);
    }

    /// <summary>As above, with <paramref name="beforeRun"/> called on the loaded simulator; the simulator is returned for a look at its state.</summary>
    internal static (IssRunResult Result, TagEngine Engine, Rv32Iss Iss) RunOnGoldenModel(string app, string input, string spec, Action<Rv32Iss> beforeRun, long maxInstructions = 20_000_000)
    {
        var build = UnikernelTestSupport.Built(app);
        var map = HwGen.Designs.Soc.MemoryMap.Simulation;
        var iss = new Rv32Iss(map);
        var image = ElfImage.Load(build.ElfPath, map);
        iss.Load(image);
        iss.EnqueueUartInput(System.Text.Encoding.Latin1.GetBytes(input));
        var engine = TagEngine.Attach(iss, image, Sim.Policy.Composite.Parse(spec));
        beforeRun(iss);
        return (iss.Run(maxInstructions), engine, iss);
    }
}
