using HwGen.Designs.Tags;
using HwGen.Sim.Model;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;
using TrapCause = HwGen.Designs.Riscv.TrapCause;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The rule check on programs written for it: hits in a loop (misses only while the loop's keys are new), a policy
/// denial (a precise trap with mcause 24 that changes nothing, the PC tag saved, cleared and restored by mret), and
/// caches of 1 and 64 entries giving the same trace.
/// </summary>
[TestFixture]
public sealed class TagUnitRuleTests
{
    /// <summary>The tag a word carries in these tests' images to be denied (the PEX below denies on the CI tag).</summary>
    private const uint DenyTag = 0x7777;

    /// <summary>A loop of six instructions run 100 times: a load, a store, arithmetic and a branch; exits through tohost.</summary>
    private const string LoopProgram = """
            .section .text.init, "ax", @progbits
            .globl _start
        _start:
            la s0, buffer
            li s1, 100
            li s2, 0
        loop:
            lw t0, 0(s0)
            add s2, s2, t0
            addi t0, t0, 3
            sw t0, 0(s0)
            addi s1, s1, -1
            bnez s1, loop
        done:
            li t1, 15150
            bne s2, t1, fail
            li a0, 1
            j finish
        fail:
            li a0, 3
        finish:
            la t0, tohost
            sw zero, 4(t0)
            sw a0, 0(t0)
        1:  j 1b
            .data
            .balign 16
        buffer: .word 3
            .balign 64
            .globl tohost
        tohost: .dword 0
        """;

    /// <summary>
    /// Two instructions to be denied (a store and an addi, their words tagged <see cref="DenyTag"/>); the handler logs
    /// mcause, mtval and mepc and returns past the instruction; the program checks that neither changed anything.
    /// </summary>
    private const string DenialProgram = """
            .section .text.init, "ax", @progbits
            .globl _start
        _start:
            la t0, handler
            csrw mtvec, t0
            la s3, log
            la s0, word
            lw s1, 0(s0)
            li a1, 0x55
            .globl denied_store
        denied_store:
            sw a1, 0(s0)
            lw s2, 0(s0)
            bne s2, s1, fail
            li a2, 7
            .globl denied_addi
        denied_addi:
            addi a2, a2, 1
            li t1, 7
            bne a2, t1, fail
            csrw mscratch, zero
            .globl denied_csr
        denied_csr:
            csrw mscratch, a1
            csrr t1, mscratch
            bnez t1, fail
            li a0, 1
            j finish
        fail:
            li a0, 3
        finish:
            la t0, tohost
            sw zero, 4(t0)
            sw a0, 0(t0)
        1:  j 1b
        handler:
            csrr t3, mcause
            csrr t4, mtval
            csrr t5, mepc
            sw t3, 0(s3)
            sw t4, 4(s3)
            sw t5, 8(s3)
            addi s3, s3, 12
            addi t5, t5, 4
            csrw mepc, t5
            mret
            .data
            .balign 16
            .globl word
        word: .word 0x1234
            .globl log
        log: .space 48
            .balign 64
            .globl tohost
        tohost: .dword 0
        """;

    /// <summary>A PEX whose outputs depend on the opgroup and the CI tag only: a loop's keys repeat from its second pass.</summary>
    private static RuleAnswer Converging(RuleKey k)
    {
        var mixed = TagUnitRun.Mixing(k with { PcTag = 0, Rs1Tag = 0, Rs2Tag = 0, MemTag = 0 });
        return mixed with { PcTag = k.CiTag % 3 };
    }

    /// <summary>Denies every rule whose CI tag is <see cref="DenyTag"/>; otherwise allows with a non-zero PC tag out.</summary>
    private static RuleAnswer DenyOnTag(RuleKey k) =>
        k.CiTag == DenyTag ? new RuleAnswer(false, 0, 0) : TagUnitRun.Mixing(k) with { PcTag = TagUnitRun.Mixing(k).PcTag + 1 };

    private static ElfImageAndSource Build(string name, string source)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-tagunit-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".S");
        File.WriteAllText(path, source);
        return new ElfImageAndSource(TagUnitRun.Build([path], includeDirectories: []), path);
    }

    private sealed record ElfImageAndSource(HwGen.Sim.Model.Elf.ElfImage Image, string Path);

    [Test]
    public void ALoopMissesOnlyWhileItsKeysAreNew()
    {
        var program = Build("loop", LoopProgram).Image;
        var result = TagUnitRun.Run(program, TagUnitRun.Config(), Converging);
        Assert.That(result.Divergence, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.TagMismatch, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.ExitCode, Is.EqualTo(0), () => result.Describe(TagTraceFields.Table));

        // The loop's first instruction retires once per pass; no miss after the start of the third pass.
        Assert.That(program.TryGetSymbol("loop", out uint loop), Is.True);
        var passes = result.Trace.Select((r, i) => (r, i)).Where(x => x.r.PcRdata == loop).Select(x => x.i).ToList();
        Assert.That(passes, Has.Count.EqualTo(100));
        Assert.That(result.Misses.Count(m => m.Pc >= loop && m.Pc < loop + 24), Is.InRange(6, 12),
            "the loop's instructions miss in their first two passes only");
        Assert.That(result.Misses.Where(m => m.Retired > passes[2]).Select(m => m.Pc), Has.None.InRange(loop, loop + 23),
            "no miss in the loop from its third pass on");
        // Statistics: one lookup per instruction, the misses the PEX saw, the rest hits, cycles spent waiting.
        Assert.That(result.Lookups, Is.EqualTo((ulong)result.Shadow.Keys.Count));
        Assert.That(result.MissCount, Is.EqualTo((ulong)result.Misses.Count));
        Assert.That(result.Hits, Is.EqualTo(result.Lookups - result.MissCount));
        Assert.That(result.Hits, Is.GreaterThan(6UL * 97));
        Assert.That(result.MissCycles, Is.GreaterThanOrEqualTo(4 * result.MissCount), "a miss waits for the PEX (latency 3)");
    }

    [Test]
    public void ADeniedInstructionTrapsAndChangesNothing()
    {
        var program = Build("denial", DenialProgram).Image;
        uint Symbol(string name) => program.TryGetSymbol(name, out uint address) ? address : throw new AssertionException($"no symbol {name}");
        uint deniedStore = Symbol("denied_store"), deniedAddi = Symbol("denied_addi"), deniedCsr = Symbol("denied_csr"),
            word = Symbol("word"), log = Symbol("log");
        var tags = TagUnitRun.ImageTags(program);
        tags[deniedStore] = DenyTag;
        tags[deniedAddi] = DenyTag;
        tags[deniedCsr] = DenyTag;
        var result = TagUnitRun.Run(program, TagUnitRun.Config(), DenyOnTag, tags, lockstep: false, readTagsAt: [word, log]);
        Assert.That(result.TagMismatch, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.ExitCode, Is.EqualTo(0), () => "the program saw a change made by a denied instruction: " + result.Describe(TagTraceFields.Table));

        var cases = new[] { (deniedStore, word), (deniedAddi, 0x00160613u /* addi a2, a2, 1 */), (deniedCsr, 0x34059073u /* csrw mscratch, a1 */) };
        var logged = result.Trace.Where(r => r.MemWmask == 0xF && r.MemAddr >= log && r.MemAddr < log + 48).Select(r => r.MemWdata).ToList();
        Assert.That(logged, Has.Count.EqualTo(3 * cases.Length));
        for (int c = 0; c < cases.Length; c++)
        {
            var (pc, mtval) = cases[c];
            var denied = result.Trace.Single(r => r.PcRdata == pc);
            Assert.That(denied.Trap, Is.True);
            Assert.That(denied.Cause, Is.EqualTo((uint)TrapCause.PolicyViolation));
            Assert.That(denied[TagTraceFields.Denied], Is.EqualTo(1UL));
            Assert.That(denied.RdAddr, Is.Zero);
            Assert.That(denied.MemWmask, Is.Zero);
            Assert.That(denied[TagTraceFields.PcTag], Is.Not.Zero, "the PC tag the denied instruction found (saved)");
            // The handler's log: mcause, mtval (the store's address; the addi's word), mepc.
            int at = 3 * c;
            Assert.That(logged[at], Is.EqualTo(24u));
            Assert.That(logged[at + 1], Is.EqualTo(mtval));
            Assert.That(logged[at + 2], Is.EqualTo(pc));
            // The handler starts with the PC tag cleared; mret leaves the saved one.
            int index = result.Trace.ToList().FindIndex(r => r.PcRdata == pc);
            var mret = result.Trace.Skip(index).First(r => r.Insn == 0x30200073);
            Assert.That(mret[TagTraceFields.PcTag], Is.EqualTo(denied[TagTraceFields.PcTag]), "mret restores the PC tag saved at the denial");
        }
        Assert.That(result.Shadow.Keys.Count(k => k.CiTag == DenyTag), Is.EqualTo(cases.Length));
        // The denied store's word keeps its tag from the image (read through the PEX's port).
        Assert.That(result.FinalTags[word], Is.EqualTo(tags[word]));
        Assert.That(result.FinalTags[log], Is.EqualTo(result.Shadow.MemoryTag(log)));
        Assert.That(result.FinalTags[log], Is.Not.EqualTo(tags[log]), "the handler's stores wrote their tags");
    }

    /// <summary>
    /// Set-associative caches (a hit in a way other than 0 restarts the younger instructions, which were given way 0's
    /// outputs) and random wait states on both buses (an allowed load or store waits for its request to be taken).
    /// </summary>
    [Test]
    public void WaysAndWaitStatesKeepTheTags(
        [Values("tests/hazards/forwarding.S", "tests/isa/stores.S", "tests/hazards/load_use.S")] string program,
        [Values("2 ways of 4", "4 ways of 8", "wait states")] string variant)
    {
        var image = TagUnitRun.Build([FirmwareTestSupport.InRepository(program)]);
        var (config, parts) = variant switch
        {
            "2 ways of 4" => (TagUnitRun.Config(entries: 4, ways: 2), (Designs.Soc.SocParts?)null),
            "4 ways of 8" => (TagUnitRun.Config(entries: 8, ways: 4), null),
            _ => (TagUnitRun.Config(), Designs.Soc.SocParts.Simulation with { WaitStates = new Designs.Soc.WaitStates(StallOneIn: 4, MaxResponseDelay: 3, Seed: 7) }),
        };
        var result = TagUnitRun.Run(image, config, TagUnitRun.Mixing, parts: parts);
        Assert.That(result.Divergence, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.TagMismatch, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.ExitCode, Is.EqualTo(0), () => result.Describe(TagTraceFields.Table));
        Assert.That(result.Hits, Is.EqualTo(result.Lookups - result.MissCount));
    }

    /// <summary>
    /// The tables the PEX programs take effect in the key: a care mask leaves fields out (the PC and rs2 tags of the
    /// ALU's rules, the mem tag of loads), a remapped opgroup table entry (<c>xori</c> as a CSR instruction), and the
    /// device tag as the mem tag of loads from the timer.
    /// </summary>
    [TestCase("tests/isa/imm_logic.S", Opgroup.Alu, 0b10110, 0u)]
    [TestCase("tests/isa/loads.S", Opgroup.Load, 0b01111, 0u)]
    [TestCase("tests/isa/timer_interrupt.S", Opgroup.Alu, 0b11111, 0x1Du)]
    public void TheProgrammedTablesShapeTheKey(string program, Opgroup cared, int care, uint deviceTag)
    {
        var image = TagUnitRun.Build([FirmwareTestSupport.InRepository(program)]);
        int xori = Opgroups.IndexOf(0x0FF5C713); // xori a4, a1, 255
        var tables = new TagTables(new Dictionary<Opgroup, int> { [cared] = care }, new Dictionary<int, Opgroup> { [xori] = Opgroup.Csr });
        var result = TagUnitRun.Run(image, TagUnitRun.Config(), TagUnitRun.Mixing, deviceTag: deviceTag, tables: tables);
        Assert.That(result.Divergence, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.TagMismatch, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.ExitCode, Is.EqualTo(0), () => result.Describe(TagTraceFields.Table));
        var keys = result.Shadow.Keys;
        Assert.That(keys.Where(k => k.Opgroup == (int)cared), Is.Not.Empty);
        if (deviceTag != 0)
            Assert.That(keys.Count(k => k.Opgroup == (int)Opgroup.Load && k.MemTag == deviceTag), Is.GreaterThan(0), "loads from the timer see the device tag");
        if (program.EndsWith("imm_logic.S", StringComparison.Ordinal))
            Assert.That(result.Misses.Count(m => m.Opgroup == (int)Opgroup.Csr && (m.Insn & 0x707F) == 0x4013), Is.GreaterThan(0), "xori remapped");
    }

    /// <summary>
    /// The PEX reprograms the tables while the core waits on a miss (an opgroup entry: <c>andi</c> as a CSR instruction,
    /// and the ALU's care mask): the instruction that missed keeps the key it presented, and every later one, in decode
    /// or execute during the writes or fetched after, is checked with the new tables (none with a stale opgroup or mask).
    /// </summary>
    [TestCase(0)]
    [TestCase(5)]
    public void TablesWrittenDuringAMissReachEveryLaterInstruction(int afterFirstAndi)
    {
        var image = TagUnitRun.Build([FirmwareTestSupport.InRepository("tests/isa/imm_logic.S")]);
        const uint andi = (240u << 20) | (11u << 15) | (7u << 12) | (14u << 7) | 0x13; // andi a4, a1, 240
        bool IsAndi(ObservedMiss m) => (m.Insn & 0x707F) == 0x7013 && (m.Insn >> 7 & 31) != 0;
        // The tables are written during a miss at or after the first andi's, with andi instructions still to come.
        var before = TagUnitRun.Run(image, TagUnitRun.Config(), TagUnitRun.Mixing, lockstep: false);
        int miss = before.Misses.ToList().FindIndex(IsAndi) + afterFirstAndi;
        var tables = new TagTables(new Dictionary<Opgroup, int> { [Opgroup.Alu] = 0b10110 },
            new Dictionary<int, Opgroup> { [Opgroups.IndexOf(andi)] = Opgroup.Csr });
        var result = TagUnitRun.Run(image, TagUnitRun.Config(), TagUnitRun.Mixing, reprogram: (miss, tables));
        Assert.That(result.Divergence, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.TagMismatch, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.ExitCode, Is.EqualTo(0), () => result.Describe(TagTraceFields.Table));
        Assert.That(result.Misses.Take(miss + 1).Count(m => IsAndi(m) && m.Opgroup == (int)Opgroup.Alu), Is.GreaterThan(0), "andi an ALU instruction before");
        Assert.That(result.Misses.Skip(miss + 1).Count(m => IsAndi(m) && m.Opgroup == (int)Opgroup.Csr), Is.GreaterThan(0), "andi remapped after");
        Assert.That(result.Misses.Skip(miss + 1).Count(m => m.Opgroup == (int)Opgroup.Alu && m.PcTag == 0 && m.Rs2Tag == 0 && m.CiTag != 0),
            Is.GreaterThan(0), "the ALU's rules without the PC and rs2 tags after");
    }

    [Test]
    public void OneEntryAndSixtyFourEntriesGiveTheSameTrace(
        [Values("loop", "tests/hazards/forwarding.S", "tests/isa/loads.S")] string program)
    {
        var image = program == "loop" ? Build("loop", LoopProgram).Image
            : TagUnitRun.Build([FirmwareTestSupport.InRepository(program)]);
        var small = TagUnitRun.Run(image, TagUnitRun.Config(entries: 1), TagUnitRun.Mixing);
        var large = TagUnitRun.Run(image, TagUnitRun.Config(entries: 64), TagUnitRun.Mixing);
        foreach (var run in new[] { small, large })
        {
            Assert.That(run.Divergence, Is.Null, () => run.Describe(TagTraceFields.Table));
            Assert.That(run.TagMismatch, Is.Null, () => run.Describe(TagTraceFields.Table));
            Assert.That(run.ExitCode, Is.EqualTo(0), () => run.Describe(TagTraceFields.Table));
        }
        Assert.That(small.Trace.Count, Is.EqualTo(large.Trace.Count));
        for (int i = 0; i < small.Trace.Count; i++)
        {
            var difference = HwGen.Sim.Cosim.TraceLayout.Compare(TagTraceFields.Table, small.Trace[i], large.Trace[i]);
            Assert.That(difference, Is.Null, () => $"record #{i}: {difference} (1 entry against 64)");
        }
        Assert.That(small.MissCount, Is.GreaterThan(large.MissCount), "a 1-entry cache misses more");
    }
}
