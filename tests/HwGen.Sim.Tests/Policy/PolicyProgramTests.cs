using HwGen.Designs.Tags;
using HwGen.Sim.Model;
using HwGen.Sim.Policy;
using NUnit.Framework;
using static HwGen.Sim.Tests.Policy.PolicyPrograms;

namespace HwGen.Sim.Tests.Policy;

/// <summary>
/// Each program of tests/policies does the forbidden thing (built with FORBIDDEN) and is denied at the exact
/// instruction with registers, memory and tags unchanged; its allowed neighbour runs to the end. Under the policy
/// alone and under the composite of all five.
/// </summary>
[TestFixture]
public sealed class PolicyProgramTests
{
    private const int StepLimit = 10_000;

    public static IEnumerable<TestCaseData> Forbidden()
    {
        foreach (var (file, policy, reason) in ForbiddenCases)
        {
            foreach (var spec in new[] { policy, All })
                yield return new TestCaseData(file, spec, policy, reason).SetName($"Denied({file}, {spec})");
        }
    }

    public static IEnumerable<TestCaseData> Allowed()
    {
        foreach (var file in AllowedFiles)
        {
            foreach (var spec in new[] { "none", Policy(file), All })
                yield return new TestCaseData(file, spec).SetName($"Allowed({file}, {spec})");
        }
    }

    private static string Policy(string file) => file.Split('_')[0] switch
    {
        "nwc" or "nxd" => "nxd-nwc",
        var p => p,
    };

    [TestCaseSource(nameof(Forbidden))]
    public void TheForbiddenInstructionIsDeniedAndChangesNothing(string file, string spec, string policy, string reason)
    {
        var image = Build(file, forbidden: true);
        var (iss, engine) = Load(image, spec);
        uint forbidden = Symbol(image, "forbidden");
        for (int i = 0; iss.Pc != forbidden; i++)
        {
            Assert.That(i, Is.LessThan(StepLimit), $"the program never reached forbidden (0x{forbidden:x8})");
            iss.Step(out var earlier);
            Assert.That(earlier.Trap, Is.False, () => $"an instruction before forbidden trapped: {earlier.ToString(TagTraceFields.Table)}; {string.Join("; ", engine.Violations)}");
        }
        var before = State.Of(iss, engine);
        uint insn = iss.ReadWord(forbidden);

        iss.Step(out var record);

        var after = State.Of(iss, engine);
        Assert.Multiple(() =>
        {
            Assert.That(record.Trap, Is.True, record.ToString(TagTraceFields.Table));
            Assert.That(record.Cause, Is.EqualTo(TrapCause.PolicyViolation));
            Assert.That(record.PcRdata, Is.EqualTo(forbidden));
            Assert.That(record[TagTraceFields.Denied], Is.EqualTo(1));
            Assert.That(record[TagTraceFields.PcTag], Is.EqualTo(before.PcTag), "a trapping instruction's trace shows the PC tag it found");
            Assert.That(record[TagTraceFields.RdTag] | record[TagTraceFields.MemTag], Is.Zero);
            Assert.That(iss.ReadCsr(Csr.Mcause), Is.EqualTo(TrapCause.PolicyViolation));
            Assert.That(iss.ReadCsr(Csr.Mepc), Is.EqualTo(forbidden));
            Assert.That(iss.ReadCsr(Csr.Mtval), Is.EqualTo(ExpectedTval(insn, before.Registers)), "mtval: the data address of a load or store, else the instruction");
            Assert.That(after.Registers, Is.EqualTo(before.Registers), "registers");
            Assert.That(after.Ram.SequenceEqual(before.Ram), Is.True, "memory");
            Assert.That(after.RegisterTags, Is.EqualTo(before.RegisterTags), "register tags");
            Assert.That(after.MemoryTags.SequenceEqual(before.MemoryTags), Is.True, "memory tags");
            Assert.That(after.Uart, Is.EqualTo(before.Uart));
            Assert.That(engine.PcTag, Is.Zero, "a trap clears the PC tag");
            Assert.That(engine.SavedPcTag, Is.EqualTo(before.PcTag), "and saves it");
            Assert.That(engine.Violations, Is.EqualTo(new[] { new Violation(forbidden, insn, policy, reason, PolicyRegistry.IndexOf(policy), PolicyRegistry.All[PolicyRegistry.IndexOf(policy)].Reasons.ToList().IndexOf(reason) + 1) }));
        });

        var end = iss.Run(StepLimit);
        uint lastViolation = ((uint)PolicyRegistry.IndexOf(policy) << 16) | (uint)engine.Violations[0].ReasonCode;
        Assert.That(end.Status, Is.EqualTo(IssStatus.Failed));
        Assert.That(end.ExitCode, Is.EqualTo(lastViolation), "the handler reads (policy << 16) | reason through LAST_VIOLATION");
        Assert.That(engine.Violations, Has.Count.EqualTo(1));
    }

    [TestCaseSource(nameof(Allowed))]
    public void TheAllowedNeighbourRuns(string file, string spec)
    {
        var image = Build(file, forbidden: false);
        var (iss, engine) = Load(image, spec);
        var result = iss.Run(StepLimit);
        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), () => $"exit code {result.ExitCode}; violations: {string.Join("; ", engine.Violations)}");
        Assert.That(engine.Violations, Is.Empty);
        Assert.That(engine.LastViolation, Is.Zero);
    }

    /// <summary>mtval of a denial: a load's or store's address (rs1 + offset), else the instruction word.</summary>
    private static uint ExpectedTval(uint insn, uint[] registers)
    {
        uint opcode = insn & 0x7F;
        uint rs1 = registers[(insn >> 15) & 31];
        return opcode switch
        {
            0x03 => rs1 + (uint)((int)insn >> 20),
            0x23 => rs1 + (uint)(((int)insn >> 25 << 5) | (int)((insn >> 7) & 31)),
            _ => insn,
        };
    }

    private sealed record State(uint[] Registers, byte[] Ram, ushort[] RegisterTags, ushort[] MemoryTags, ushort PcTag, string Uart)
    {
        public static State Of(Rv32Iss iss, TagEngine engine)
        {
            var ram = new byte[iss.Map.RamSize];
            iss.ReadMemory(iss.Map.RamBase, ram);
            return new State([.. Enumerable.Range(0, 32).Select(iss.ReadRegister)], ram, engine.RegisterTags(), engine.MemoryTags(), engine.PcTag, iss.UartOutput);
        }
    }
}
