using HwGen.Designs.Soc;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Firmware;

/// <summary>
/// The attack set (firmware/apps/attacks): with no policy every attack gets through (the program says so and exits with
/// 0x5a); under its policy and under the composite of all it is stopped at its attacking instruction, by its policy, with
/// the trap handler's report; the benign neighbours run clean under every policy. On the golden model, and the whole
/// table on the tagged RTL in lockstep with it.
/// </summary>
[TestFixture]
public sealed class AttackSetTests
{
    private const int ExitViolation = 0x100 | 24;

    public static IEnumerable<TestCaseData> GoldenCases()
    {
        foreach (var attack in AttackSet.Attacks)
        {
            foreach (var spec in new[] { "none", attack.Policy, AttackSet.AllPolicies })
                yield return new TestCaseData(attack.Name, spec).SetName($"GoldenAttack({attack.Name}, {spec})");
        }
    }

    [TestCaseSource(nameof(GoldenCases))]
    public void AnAttackSucceedsWithoutItsPolicyAndIsStoppedAtItsInstructionWithIt(string name, string spec)
    {
        var attack = AttackSet.Attacks.Single(a => a.Name == name);
        var elf = ElfImage.Load(UnikernelTestSupport.Built(AttackSet.Application).ElfPath, MemoryMap.Simulation);
        uint victimWord = 0;
        var (result, engine, iss) = UnikernelUnderPoliciesTests.RunOnGoldenModel(AttackSet.Application, attack.Command(elf), spec,
            loaded => victimWord = loaded.ReadWord(AttackSet.Symbol(elf, "victim")));

        if (spec == "none")
        {
            Assert.That(engine.Violations, Is.Empty);
            Assert.That(result.ExitCode, Is.EqualTo(AttackSet.SucceededExitCode), result.UartOutput);
            Assert.That(result.UartOutput, Does.EndWith($"*** attack succeeded: {name}\n"));
            return;
        }
        Assert.That(engine.Violations, Is.Not.Empty, result.UartOutput);
        var first = engine.Violations[0];
        uint pc = AttackSet.Symbol(elf, attack.StopSymbol);
        Assert.Multiple(() =>
        {
            Assert.That(first.Pc, Is.EqualTo(pc), $"0x{first.Pc:x8}");
            Assert.That(first.Policy, Is.EqualTo(attack.Policy));
            Assert.That(first.Reason, Is.EqualTo(attack.Reason));
            Assert.That(engine.Violations, Has.Count.EqualTo(1));
            Assert.That(result.ExitCode, Is.EqualTo(ExitViolation), result.UartOutput);
            Assert.That(result.UartOutput, Does.Contain($"*** policy violation: {attack.Policy}: {attack.Reason} at pc 0x{pc:x8}, the program ends\n"));
            Assert.That(result.UartOutput, Does.Not.Contain("attack succeeded"));
        });
        // A denied store wrote nothing: the word it aimed at (mtval) holds what it held (victim's instruction; the
        // next block's first word, 1; the reused block's first word, 1).
        if (attack.StopSymbol == "attack_store_at")
        {
            uint address = iss.ReadCsr(0x343);
            Assert.That(iss.ReadWord(address), Is.EqualTo(name == "code-overwrite" ? victimWord : 1u), $"0x{address:x8}");
        }
    }

    [TestCase("none")]
    [TestCase("nxd-nwc")]
    [TestCase("taint")]
    [TestCase("heap")]
    [TestCase("ret")]
    [TestCase("cfi")]
    [TestCase(AttackSet.AllPolicies)]
    public void TheBenignNeighboursRunCleanUnderEveryPolicy(string spec)
    {
        var (result, engine) = UnikernelUnderPoliciesTests.RunOnGoldenModel(AttackSet.Application, AttackSet.BenignCommand, spec);

        Assert.That(engine.Violations, Is.Empty, () => string.Join("; ", engine.Violations) + "\n" + result.UartOutput);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
        var lines = result.UartOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("benign"));
        Assert.That(lines.Skip(1).ToArray(), Has.Length.EqualTo(10).And.All.EndsWith(": ok"), result.UartOutput);
    }

    [Test]
    public void TheAttackTableOnTheRtlInLockstep()
    {
        var build = UnikernelTestSupport.Built(AttackSet.Application);
        var table = AttackSet.Table(build.ElfPath, MemoryMap.Simulation, cosim: true);
        foreach (var row in table)
            TestContext.Progress.WriteLine($"{row.Attack,-20} {row.Policy,-28} {row.Describe()}");

        Assert.That(table, Has.Count.EqualTo(AttackSet.Attacks.Count * 3));
        Assert.Multiple(() =>
        {
            foreach (var row in table)
            {
                if (row.Policy == "none")
                    Assert.That(row.Succeeded && !row.Stopped, $"{row.Attack} under none: {row.Describe()}");
                else
                    Assert.That(row.Stopped && row.AtAttackingInstruction && !row.Succeeded && row.ExitCode == ExitViolation, $"{row.Attack} under {row.Policy}: {row.Describe()}");
            }
        });
    }
}
