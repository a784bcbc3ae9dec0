using System.Text.RegularExpressions;
using HwGen.Designs;
using HwGen.Designs.Soc;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary>
/// <c>hwgen demo</c> end to end in a fresh folder: every design emitted, linted and checked; the counter simulated; CRC32
/// in lockstep; the unikernel built; hello on the tagged SoC under the composite in lockstep; and the attack table: each
/// attack succeeding with no policy and stopped at its attacking instruction by its policy and by the composite, the benign
/// neighbours clean under every policy; then the key figures and the total time.
/// </summary>
[TestFixture]
public sealed class DemoCommandTests
{
    private static readonly string[] Policies = ["none", "nxd-nwc", "taint", "heap", "ret", "cfi", AttackSet.AllPolicies];

    [Test]
    public void DemoRunsTheWholeFlowAndTheAttackTable()
    {
        using var temp = new TempDirectory();
        var previous = Environment.CurrentDirectory;
        CliRun run;
        try
        {
            Environment.CurrentDirectory = temp.Path;
            run = Cli.Run("demo");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
        TestContext.Progress.WriteLine(run.Stdout);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        foreach (var name in DesignCatalog.Names)
        {
            Assert.That(File.Exists(temp.Combine("out", "demo", name, "manifest.json")), Is.True, name);
            Assert.That(run.Stdout, Does.Contain($"pass verilator lint: {name}: no warnings"), run.ToString());
            Assert.That(run.Stdout, Does.Contain($"pass yosys check: {name}:"), run.ToString());
        }
        Assert.That(run.Stdout, Does.Contain("pass verilator simulation: counter:").And.Contain("match the reference model"));
        Assert.That(run.Stdout, Does.Contain("pass RV32IM core: crc32:"));

        // The unikernel, built into the demo's folder, and hello on the tagged SoC under every policy at once.
        var attacksElf = temp.Combine("out", "demo", "firmware", AttackSet.Application, AttackSet.Application + ".elf");
        Assert.That(File.Exists(temp.Combine("out", "demo", "firmware", "hello", "hello.elf")), Is.True);
        Assert.That(File.Exists(attacksElf), Is.True);
        Assert.That(run.Stdout, Does.Match($@"pass tagged SoC: hello under {Regex.Escape(AttackSet.AllPolicies)}: [\d,]+ instructions in lockstep, tags and decisions compared, no violation"));

        // Every attack under every policy, in the results (one line each) and in the attack table.
        var elf = ElfImage.Load(attacksElf, MemoryMap.Simulation);
        Assert.Multiple(() =>
        {
            foreach (var attack in AttackSet.Attacks)
            {
                Assert.That(run.Stdout, Does.Contain($"pass attack set: {attack.Name} under none: succeeded; expected to succeed"), attack.Name);
                var stop = $"stopped at 0x{AttackSet.Symbol(elf, attack.StopSymbol):x8} by {attack.Policy}: {attack.Reason}";
                Assert.That(run.Stdout, Does.Contain($"pass attack set: {attack.Name} under {attack.Policy}: {stop}"), attack.Name);
                Assert.That(run.Stdout, Does.Contain($"pass attack set: {attack.Name} under {AttackSet.AllPolicies}: {stop}"), attack.Name);
                foreach (var policy in Policies)
                    Assert.That(run.Stdout, Does.Match($@"pass attack set: {Regex.Escape(attack.Name)} under {Regex.Escape(policy)}: (stopped at 0x[0-9a-f]{{8}} by|succeeded)"), $"{attack.Name} under {policy}");
            }
            foreach (var policy in Policies)
                Assert.That(run.Stdout, Does.Match($@"pass attack set: benign under {Regex.Escape(policy)}: Passed, no violation, (\d+) of \1 neighbours ok"), policy);
        });
        Assert.That(run.Stdout, Does.Contain("Attack table"));
        int attacks = AttackSet.Attacks.Count;
        Assert.That(run.Stdout, Does.Contain($"{attacks} of {attacks} attacks succeed with none, {attacks} of {attacks} stopped at their instruction by their policy, " +
            $"{attacks} of {attacks} by the composite; the benign runs clean under {Policies.Length} of {Policies.Length} policies"));

        Assert.That(run.Stdout, Does.Contain("Key figures").And.Contain("total time of the demo: ").And.Match(@"crc32 on the RV32IM core, in lockstep: 20,365,739 instructions, CPI 1\.\d{3}"));
        Assert.That(run.Stdout, Does.Contain("Demo results").And.Match(@"demo: \d+ passed, 0 failed in \d+m\d\ds"));
    }
}
