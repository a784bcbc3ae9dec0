using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Tags;
using HwGen.Firmware.Pex;
using HwGen.Sim.Policy;
using HwGen.Sim.Run;
using NUnit.Framework;
using static HwGen.Sim.Tests.Policy.PolicyPrograms;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The policy programs of tests/policies end to end on the Verilated tagged SoC: the AP with its tag unit and rule
/// cache, the PEX running the firmware generated for the policy, in lockstep with the golden model's tag engine
/// (every retired instruction's pc tag, rd tag, memory tag and decision compared). The forbidden instruction is
/// denied at its pc with the policy's reason; the allowed neighbour runs to its end with no violation.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TaggedSimTests
{
    /// <summary>The run options of a program under a policy, with the PEX firmware built for it.</summary>
    internal static SimOptions Options(string elfPath, string spec, bool cosim = true)
    {
        var composite = Composite.Parse(spec);
        var tags = TagConfig.ForMemoryMap(Map);
        return new SimOptions(elfPath)
        {
            Map = Map,
            Cosim = cosim,
            MaxCycles = 2_000_000,
            DivergenceWavePath = "",
            Policy = HwGen.Firmware.Pex.PexFirmware.SimPolicy(composite, tags),
            Progress = TestContext.Progress.WriteLine,
        };
    }

    public static IEnumerable<TestCaseData> Forbidden()
    {
        foreach (var (file, policy, reason) in ForbiddenCases)
        {
            foreach (var spec in new[] { policy, All })
                yield return new TestCaseData(file, spec, policy, reason).SetName($"RtlDenied({file}, {spec})");
        }
    }

    public static IEnumerable<TestCaseData> Allowed()
    {
        foreach (var file in AllowedFiles)
        {
            foreach (var spec in new[] { "none", All })
                yield return new TestCaseData(file, spec).SetName($"RtlAllowed({file}, {spec})");
        }
    }

    [TestCaseSource(nameof(Forbidden))]
    public void TheForbiddenInstructionIsDeniedAtItsPcInLockstep(string file, string spec, string policy, string reason)
    {
        var image = Build(file, forbidden: true);
        var result = SimRunner.Run(Options(image.Path, spec));

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Violation), result.Uart);
            Assert.That(result.Violations, Has.Count.GreaterThanOrEqualTo(1));
            var first = result.Violations[0];
            Assert.That(first.Pc, Is.EqualTo(Symbol(image, "forbidden")), $"0x{first.Pc:x8}");
            Assert.That(first.Policy, Is.EqualTo(policy));
            Assert.That(first.Reason, Is.EqualTo(reason));
            Assert.That(result.RuleCache!.Misses, Is.GreaterThan(0));
        });
    }

    /// <summary>
    /// A store to a device commits on the rule cache's hit of the cycle before and selects the device from registers
    /// (<see cref="Core.DataEarlyValid"/>): denied, it never reaches the UART; allowed, its byte is printed once.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void AStoreToADeviceReachesItOnlyWhenAllowed(bool forbidden)
    {
        var image = Build("taint_device_store", forbidden);
        var result = SimRunner.Run(Options(image.Path, "taint"));

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(forbidden ? SimStatus.Violation : SimStatus.Passed), result.Uart);
            Assert.That(result.Uart.Count(c => c == '#'), Is.EqualTo(forbidden ? 0 : 1), $"the UART's output: \"{result.Uart}\"");
            if (forbidden)
                Assert.That(result.Violations[0].Pc, Is.EqualTo(Symbol(image, "forbidden")), $"0x{result.Violations[0].Pc:x8}");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(8)]
    public void AHitBeyondWayZeroForwardsTheHitsTags(int ways)
    {
        var image = Build("ret_way_forwarding", forbidden: false);
        var options = Options(image.Path, "ret");
        var result = SimRunner.Run(options with
        {
            Core = CoreConfig.ForMemoryMap(Map) with { Tags = TagConfig.ForMemoryMap(Map) with { RuleCacheEntries = 8, RuleCacheWays = ways } },
        });

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => string.Join("; ", result.Violations));
        // With one set of eight ways every rule of the program stays: the loop's jal hits beyond way 0 every time.
        if (ways == 8)
            Assert.That(result.RuleCache!.Evictions, Is.Zero);
    }

    public static IEnumerable<TestCaseData> OnTheBoardsConfiguration() =>
        ForbiddenCases.Select(c => new TestCaseData(c.File, true, c.Policy, c.Reason).SetName($"BoardTags(forbidden {c.File})"))
            .Concat(AllowedFiles.Select(f => new TestCaseData(f, false, null, null).SetName($"BoardTags(allowed {f})")));

    /// <summary>
    /// The board's tag configuration (<see cref="TagConfig.ForBoard"/>: tags of the PEX's identifier width, a rule cache
    /// of one way in 256 sets, so that rules differing only in the memory tag replace one another) under every policy at once, in
    /// lockstep: a forbidden instruction is denied with its policy's reason, an allowed neighbour runs to its end. The
    /// statistics are kept for the check (the board drops them).
    /// </summary>
    [TestCaseSource(nameof(OnTheBoardsConfiguration))]
    public void TheBoardsTagConfigurationRunsInLockstep(string file, bool forbidden, string? policy, string? reason)
    {
        var tags = TagConfig.ForBoard(Map) with { Statistics = true };
        Assert.That((tags.RuleCacheWays, tags.RuleCacheSets), Is.EqualTo((1, 256)));
        var image = Build(file, forbidden);
        var options = Options(image.Path, All);
        var result = SimRunner.Run(options with
        {
            Core = CoreConfig.ForMemoryMap(Map) with { Tags = tags },
            Policy = HwGen.Firmware.Pex.PexFirmware.SimPolicy(Composite.Parse(All), tags),
        });

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(result.RuleCache!.Lookups, Is.EqualTo(result.RuleCache.Hits + result.RuleCache.Misses));
            if (!forbidden)
            {
                Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => $"{result.Uart} {string.Join("; ", result.Violations)}");
                Assert.That(result.Violations, Is.Empty);
                return;
            }
            Assert.That(result.Status, Is.EqualTo(SimStatus.Violation), result.Uart);
            Assert.That(result.Violations, Has.Count.GreaterThanOrEqualTo(1));
            Assert.That(result.Violations[0].Pc, Is.EqualTo(Symbol(image, "forbidden")), $"0x{result.Violations[0].Pc:x8}");
            Assert.That(result.Violations[0].Policy, Is.EqualTo(policy));
            Assert.That(result.Violations[0].Reason, Is.EqualTo(reason));
        });
    }

    [TestCaseSource(nameof(Allowed))]
    public void TheAllowedNeighbourRunsInLockstep(string file, string spec)
    {
        var image = Build(file, forbidden: false);
        var result = SimRunner.Run(Options(image.Path, spec));

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => $"{result.Uart} {string.Join("; ", result.Violations)}");
            Assert.That(result.Violations, Is.Empty);
            Assert.That(result.RuleCache!.Lookups, Is.EqualTo(result.RuleCache.Hits + result.RuleCache.Misses));
        });
    }
}
