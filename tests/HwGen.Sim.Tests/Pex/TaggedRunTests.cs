using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Pex;

/// <summary>
/// The simulator runs a program on the tagged system: it loads the PEX firmware (tests/pex/serve.S) and the initial
/// tags, and reports the denial the PEX writes to DENY and the rule cache's statistics. The program's instruction tagged 9 is
/// denied; its trap handler finds mcause 24, mepc at it, its register unwritten, and reads the denial through the
/// call port (op 3).
/// </summary>
[TestFixture]
public sealed class TaggedRunTests
{
    private const string Program = """
            la t0, handler
            csrw mtvec, t0
            li a1, 0
        forbidden:
            addi a1, zero, 1
            EXIT 2
        handler:
            csrr t0, mcause
            li t1, 24
            bne t0, t1, 1f
            csrr t0, mepc
            la t1, forbidden
            bne t0, t1, 1f
            bnez a1, 1f
            li s1, PEXCALL_BASE
            li t0, 3
            sw t0, 0(s1)
            lw a0, 12(s1)
            li t1, (3 << 16) | 42
            bne a0, t1, 1f
            EXIT 0
        1:  EXIT 1
        """;

    private static readonly MemoryMap s_map = MemoryMap.Ice40Up5k;

    private static SimOptions Options(string elf, IReadOnlyList<(uint, uint)> tags) => new(elf)
    {
        Map = s_map,
        Core = CoreConfig.ForMemoryMap(s_map) with { Tags = TagConfig.ForMemoryMap(s_map) },
        PexImage = PexPrograms.Build("serve.S"),
        TagImage = tags,
        MaxCycles = 100_000,
    };

    [Test]
    public void TheDeniedInstructionTrapsAndTheReportHasTheDenialAndTheStatistics()
    {
        var elf = TestPrograms.Assemble(Program);
        Assert.That(ElfImage.Load(elf, s_map).TryGetSymbol("forbidden", out uint forbidden));
        var result = SimRunner.Run(Options(elf, [(forbidden, 9)]));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Violation), $"exit code {result.ExitCode}: 1 is a wrong trap, mepc, register or call result; 2 the instruction was not denied");
            Assert.That(result.ExitCode, Is.Zero, "the handler found the denial as it should be");
            Assert.That(result.RuleCache, Is.Not.Null, "a tagged run reports the rule cache");
            Assert.That(result.Violations, Has.Count.EqualTo(1), "one denial");
            Assert.That((result.Violations[0].PolicyIndex, result.Violations[0].ReasonCode), Is.EqualTo((3, 42)), "DENY's word");
            Assert.That(result.Violations[0].Pc, Is.EqualTo(forbidden), "the denied instruction");
            Assert.That(result.RuleCache!.Misses, Is.GreaterThan(0UL), "misses");
            Assert.That(result.RuleCache.Hits + result.RuleCache.Misses, Is.EqualTo(result.RuleCache.Lookups), "every lookup a hit or a miss");
            Assert.That(result.RuleCache.PexCycles, Is.GreaterThan(result.RuleCache.Misses), "the AP waited on its misses");
        });
    }

    [Test]
    public void WithoutTheTagTheInstructionRuns()
    {
        var result = SimRunner.Run(Options(TestPrograms.Assemble(Program), []));
        Assert.That(result.ExitCode, Is.EqualTo(2), "the instruction untagged is allowed, and the program ends after it");
        Assert.That(result.Violations, Is.Empty, "no denial");
    }

    [Test]
    public void AnInitialTagOutsideTheTaggedMemoryIsRefused()
    {
        var elf = TestPrograms.Assemble(Program);
        var error = Assert.Throws<ArgumentException>(() => SimRunner.Run(Options(elf, [(0x1000_0000, 1)])));
        Assert.That(error!.Message, Does.Contain("the initial tag 0x1 of 0x10000000 is not a 16-bit tag of a word of the tagged memory [0x80000000, 0x80010000)"));
    }
}
