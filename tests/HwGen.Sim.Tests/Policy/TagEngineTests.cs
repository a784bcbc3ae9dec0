using HwGen.Designs.Tags;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Tests.Model;
using NUnit.Framework;
using static HwGen.Sim.Tests.Policy.PolicyPrograms;

namespace HwGen.Sim.Tests.Policy;

/// <summary>The golden model's tags: propagation, the call port, traps and mret, the trace fields, the rule memo, the initial image.</summary>
[TestFixture]
public sealed class TagEngineTests
{
    private static MetaSet SetOf(TagEngine engine, ushort tag) => engine.Interner[tag];

    private static MetaSet RegisterSet(TagEngine engine, int register) => SetOf(engine, engine.RegisterTag(register));

    private static MetaSet WordSet(TagEngine engine, uint address) => SetOf(engine, engine.WordTag(address));

    private static MetaSet Colour(ushort n) => MetaSet.Empty.With(Slot.Colour, n);

    private static MetaSet Region(ushort n) => MetaSet.Empty.With(Slot.Region, n);

    [Test]
    public void TaintFlowsFromADeviceThroughStoresLoadsAndArithmetic()
    {
        var image = Build("taint_address", forbidden: false);
        var (iss, engine) = Load(image, "taint");
        Assert.That(iss.Run(10_000).Status, Is.EqualTo(IssStatus.Passed));
        var tainted = MetaSet.Of(Flag.Taint);
        Assert.Multiple(() =>
        {
            Assert.That(engine.DeviceTag, Is.Not.Zero);
            Assert.That(SetOf(engine, engine.DeviceTag), Is.EqualTo(tainted));
            Assert.That(WordSet(engine, Symbol(image, "buffer")), Is.EqualTo(tainted), "sw of input");
            Assert.That(WordSet(engine, Symbol(image, "buffer") + 4), Is.EqualTo(MetaSet.Empty), "the next word");
            Assert.That(RegisterSet(engine, 7), Is.EqualTo(tainted), "t2: loaded back");
            Assert.That(RegisterSet(engine, 28), Is.EqualTo(tainted), "t3 = t2 + s0");
            Assert.That(RegisterSet(engine, 29), Is.EqualTo(tainted), "t4 = s0 * t2");
            Assert.That(RegisterSet(engine, 30), Is.EqualTo(MetaSet.Empty), "t5 = s0 + s0");
            Assert.That(RegisterSet(engine, 8), Is.EqualTo(MetaSet.Empty), "s0: an address from la");
            Assert.That(engine.RegisterTag(0), Is.Zero, "x0's tag stays 0 (the tainted store wrote no register)");
        });
    }

    [Test]
    public void ColourGivesTheBlockARegionAndThePointerItsColourAndAStoredPointerKeepsIt()
    {
        var image = Build("heap_overflow", forbidden: false);
        var (iss, engine) = Load(image, "heap");
        Assert.That(iss.Run(10_000).Status, Is.EqualTo(IssStatus.Passed));
        uint a = Symbol(image, "block_a"), b = Symbol(image, "block_b");
        Assert.Multiple(() =>
        {
            Assert.That(RegisterSet(engine, 8), Is.EqualTo(Colour(1)), "s0: the first block's pointer");
            Assert.That(RegisterSet(engine, 9), Is.EqualTo(Colour(2)), "s1: the second's");
            Assert.That(RegisterSet(engine, 18), Is.EqualTo(Colour(1)), "s2: the first pointer loaded back from memory");
            Assert.That(iss.ReadRegister(8), Is.EqualTo(a), "COLOUR's result is the base");
            for (uint w = 0; w < 16; w += 4)
                Assert.That(WordSet(engine, a + w), Is.EqualTo(Region(1)), $"block_a + {w}");
            Assert.That(WordSet(engine, b), Is.EqualTo(Region(2).With(Slot.Colour, 1)), "a stored pointer: the word's region and the pointer's colour");
            for (uint w = 4; w < 16; w += 4)
                Assert.That(WordSet(engine, b + w), Is.EqualTo(Region(2)), $"block_b + {w}");
            Assert.That(WordSet(engine, b + 16), Is.EqualTo(MetaSet.Empty), "the word after the block");
            Assert.That(WordSet(engine, a - 4), Is.EqualTo(MetaSet.Empty), "the word before the block");
            Assert.That(SetOf(engine, engine.CallResultTag), Is.EqualTo(Colour(2)), "the last call's result tag");
        });
    }

    [Test]
    public void ReleaseMarksTheBlockFreed()
    {
        var image = Build("heap_use_after_free", forbidden: false);
        var (iss, engine) = Load(image, "heap");
        Assert.That(iss.Run(10_000).Status, Is.EqualTo(IssStatus.Passed));
        uint a = Symbol(image, "block_a");
        Assert.Multiple(() =>
        {
            for (uint w = 0; w < 16; w += 4)
                Assert.That(WordSet(engine, a + w), Is.EqualTo(Region(Heap.Freed)), $"block_a + {w}");
            Assert.That(engine.CallResultTag, Is.Zero, "RELEASE's result has tag 0");
            Assert.That(iss.ReadRegister(10), Is.EqualTo(1), "a0: the program passed after free returned");
        });
    }

    [Test]
    public void ACallFromCodeThatIsNotTheAllocatorsIsRefused()
    {
        var image = Build("heap_refused", forbidden: false);
        var (iss, engine) = Load(image, "heap");
        int setsBefore = engine.Interner.Count;
        Assert.That(iss.Run(10_000).Status, Is.EqualTo(IssStatus.Passed));
        uint a = Symbol(image, "block_a");
        Assert.Multiple(() =>
        {
            Assert.That(iss.ReadRegister(8), Is.Zero, "s0: COLOUR gave 0");
            Assert.That(engine.RegisterTag(8), Is.Zero);
            Assert.That(engine.CallResultTag, Is.Zero);
            for (uint w = 0; w < 16; w += 4)
                Assert.That(engine.WordTag(a + w), Is.Zero, $"block_a + {w}");
            Assert.That(engine.Interner.Sets.Any(s => s.Get(Slot.Region) != 0 || s.Get(Slot.Colour) != 0), Is.False, "no colour was handed out");
            Assert.That(engine.Interner.Count, Is.EqualTo(setsBefore), "nothing new was interned");
        });
    }

    [Test]
    public void TheAllocatorsCodeCarriesAllocatorAndOnlyItsCode()
    {
        var image = Build("heap_overflow", forbidden: false);
        var (_, engine) = Load(image, "heap");
        var malloc = image.FindSymbol("malloc")!;
        var free = image.FindSymbol("free")!;
        Assert.Multiple(() =>
        {
            for (uint w = 0; w < malloc.Size; w += 4)
                Assert.That(WordSet(engine, malloc.Value + w), Is.EqualTo(MetaSet.Of(Flag.Code, Flag.Allocator)), $"malloc + {w}");
            Assert.That(WordSet(engine, free.Value), Is.EqualTo(MetaSet.Of(Flag.Code, Flag.Allocator)));
            Assert.That(WordSet(engine, image.Entry), Is.EqualTo(MetaSet.Of(Flag.Code)), "_start");
            Assert.That(WordSet(engine, free.Value + free.Size), Is.Not.EqualTo(MetaSet.Of(Flag.Code, Flag.Allocator)), "the word after free");
        });
    }

    [Test]
    public void TheInitialImageOfAProgramWithFunctions()
    {
        var image = Build("cfi_jump_out", forbidden: false);
        var composite = Composite.Parse("cfi");
        var tags = InitialTagImage.Build(image, composite, TagConfig.ForMemoryMap(Map));
        MetaSet At(uint address) => tags.Interner[tags.Words.GetValueOrDefault(address)];
        uint leaver = Symbol(image, "leaver"), other = Symbol(image, "other"), forbidden = Symbol(image, "forbidden");
        var code = MetaSet.Of(Flag.Code);
        Assert.Multiple(() =>
        {
            Assert.That(At(image.Entry), Is.EqualTo(code), "_start: code outside any function");
            Assert.That(At(Symbol(image, "policy_trap")), Is.EqualTo(code));
            Assert.That(At(leaver), Is.EqualTo(code.With(Flag.Entry).With(Slot.Function, 1)));
            Assert.That(At(leaver + 4), Is.EqualTo(code.With(Slot.Function, 1)));
            // No indirect jump can leave `other` (it has none), so its words carry no function number.
            Assert.That(At(other), Is.EqualTo(code.With(Flag.Entry)));
            Assert.That(At(forbidden), Is.EqualTo(code));
            Assert.That(At(Symbol(image, "tohost")), Is.EqualTo(MetaSet.Empty), "data");
            Assert.That(tags.Interner.Sets, Is.EqualTo(new[]
            {
                code,
                code.With(Flag.Entry).With(Slot.Function, 1),
                code.With(Slot.Function, 1),
                code.With(Flag.Entry),
            }), "interned in ascending word address order");
            Assert.That(tags.DeviceTag, Is.Zero, "cfi has no device set");
        });
        var text = image.Sections.Where(s => s.IsExec && s.IsAlloc).ToList();
        Assert.That(text, Is.Not.Empty);
        foreach (var section in text)
        {
            for (uint a = section.Address; a < section.Address + section.Size; a += 4)
                Assert.That(At(a).Has(Flag.Code), Is.True, $"{section.Name} word 0x{a:x8}");
        }
        Assert.That(tags.Words.Keys.All(a => text.Any(s => s.Contains(a))), Is.True, "only code words are tagged");
    }

    [Test]
    public void TheInitialImageOfACProgram()
    {
        var elf = TestPrograms.Build("""
            volatile unsigned int tohost __attribute__((aligned(8)));
            __attribute__((noinline)) int square(int x) { return x * x; }
            __attribute__((noinline)) int sum(int n) { int s = 0; for (int i = 0; i < n; i++) s += square(i); return s; }
            __attribute__((noinline)) int hop(int x) { __asm__ volatile("la t1, 1f\n jr t1\n 1:" ::: "t1"); return x + 1; }
            int table[4] = { 1, 2, 3, 4 };
            int main(void);
            __attribute__((section(".text.start"), naked)) void _start(void) {
                __asm__ volatile("la sp, stack_top\n call main\n slli a0, a0, 1\n ori a0, a0, 1\n la t0, tohost\n sw a0, 0(t0)\n 1: j 1b");
            }
            unsigned char stack[512] __attribute__((aligned(16)));
            __asm__(".globl stack_top\n .set stack_top, stack + 512");
            int main(void) { return sum(table[2]) == 5 && hop(1) == 2 ? 0 : 1; }
            """, ".c", ["-O2", "-fno-inline"]);
        var image = ElfImage.Load(elf, Map);
        var tags = InitialTagImage.Build(image, Composite.Parse("nxd-nwc+heap+cfi"), TagConfig.ForMemoryMap(Map));
        MetaSet At(uint address) => tags.Interner[tags.Words.GetValueOrDefault(address)];
        var functions = new[] { "_start", "square", "sum", "hop", "main" }.Select(n => image.FindSymbol(n)!).OrderBy(s => s.Value).ToList();
        Assert.Multiple(() =>
        {
            for (int i = 0; i < functions.Count; i++)
            {
                var f = functions[i];
                Assert.That(f.Kind, Is.EqualTo(ElfSymbolKind.Function), f.Name);
                // Only hop has an indirect jump in it: only its words carry their function's number (cfi).
                ushort number = f.Name == "hop" ? (ushort)(i + 1) : (ushort)0;
                Assert.That(At(f.Value), Is.EqualTo(MetaSet.Of(Flag.Code, Flag.Entry).With(Slot.Function, number)), $"{f.Name}'s entry");
                for (uint w = 4; w < f.Size; w += 4)
                    Assert.That(At(f.Value + w), Is.EqualTo(MetaSet.Of(Flag.Code).With(Slot.Function, number)), $"{f.Name} + {w}");
            }
            Assert.That(At(image.FindSymbol("table")!.Value), Is.EqualTo(MetaSet.Empty), ".data");
            var order = tags.Words.OrderBy(w => w.Key).Select(w => w.Value).Distinct().ToList();
            Assert.That(order, Is.EqualTo(Enumerable.Range(1, order.Count).Select(i => (ushort)i)), "tags first appear in ascending address order");
        });
        var iss = new Rv32Iss(Map);
        iss.Load(image);
        var engine = TagEngine.Attach(iss, image, Composite.Parse("nxd-nwc+heap+ret+cfi"));
        Assert.That(iss.Run(100_000).Status, Is.EqualTo(IssStatus.Passed), () => string.Join("; ", engine.Violations));
    }

    [Test]
    public void TheDeviceSetIsInternedAfterTheImage()
    {
        var image = Build("cfi_jump_out", forbidden: false);
        var tags = InitialTagImage.Build(image, Composite.Parse("taint+cfi"), TagConfig.ForMemoryMap(Map));
        Assert.That(tags.Interner.Count, Is.EqualTo(5));
        Assert.That(tags.DeviceTag, Is.EqualTo(5));
        Assert.That(tags.Interner[5], Is.EqualTo(MetaSet.Of(Flag.Taint)));
        Assert.That(tags.Interner.Snapshot(), Has.Length.EqualTo(5 * 12));
    }

    [Test]
    public void ARulesOutputsAreInternedPcTagFirstThenResult()
    {
        var (iss, image) = Rv32IssTrapTests.Build("""
                la t1, callee
                jalr ra, 0(t1)
                EXIT 0
                .balign 4
                .type callee, @function
            callee:
                ret
                .size callee, . - callee
            """);
        var engine = TagEngine.Attach(iss, image, Composite.Parse("ret+cfi"));
        int initial = engine.Interner.Count;
        TestPrograms.StepUntil(iss, _ => iss.Pc == Rv32IssTrapTests.Symbol(image, "callee"));
        Assert.That(engine.Interner.Sets.Skip(initial), Is.EqualTo(new[] { MetaSet.Of(Flag.IndirectCall), MetaSet.Of(Flag.ReturnAddr) }),
            "the indirect call's rule: its PC output, then its result");
        Assert.That(engine.PcTag, Is.EqualTo(initial + 1));
        Assert.That(engine.RegisterTag(1), Is.EqualTo(initial + 2));
        Assert.That(iss.Run(100).Status, Is.EqualTo(IssStatus.Passed));
    }

    [Test]
    public void MretRestoresThePcTagATrapSaved()
    {
        // An indirect call lands on an entry that traps by itself (ecall: not checked); the handler returns past it.
        // The PC tag {IndirectCall} was saved by the trap and comes back with mret, so the next instruction, not an
        // entry, is denied.
        var (iss, image) = Rv32IssTrapTests.Build("""
                la t0, handler
                csrw mtvec, t0
                la t1, callee
                jalr ra, 0(t1)
                EXIT 3
                .balign 4
                .type callee, @function
            callee:
                ecall
            after:
                nop
                ret
                .size callee, . - callee
                .balign 4
            handler:
                csrr t0, mcause
                li t1, 24
                beq t0, t1, denied
                csrr t0, mepc
                addi t0, t0, 4
                csrw mepc, t0
            return:
                mret
            denied:
                EXIT 0
            """);
        var engine = TagEngine.Attach(iss, image, Composite.Parse("cfi"));
        uint ret = Rv32IssTrapTests.Symbol(image, "return");
        TestPrograms.StepUntil(iss, _ => iss.Pc == ret);
        ushort saved = engine.SavedPcTag;
        Assert.That(SetOf(engine, saved), Is.EqualTo(MetaSet.Of(Flag.IndirectCall)));
        Assert.That(engine.PcTag, Is.Zero, "the handler runs with the PC tag cleared");
        iss.Step(out var mret);
        Assert.That(mret[TagTraceFields.PcTag], Is.EqualTo(saved), "mret leaves the saved PC tag");
        Assert.That(engine.PcTag, Is.EqualTo(saved));
        iss.Step(out var after);
        Assert.Multiple(() =>
        {
            Assert.That(after.PcRdata, Is.EqualTo(Rv32IssTrapTests.Symbol(image, "after")));
            Assert.That(after.Cause, Is.EqualTo(TrapCause.PolicyViolation), after.ToString(TagTraceFields.Table));
            Assert.That(engine.Violations.Single().Reason, Is.EqualTo("indirect call to a non-entry"));
        });
        Assert.That(iss.Run(1000).Status, Is.EqualTo(IssStatus.Passed));
    }

    [Test]
    public void AnInstructionThatTrapsByItselfIsNotCheckedAndChangesNoTag()
    {
        // An illegal word in data: under nxd-nwc it would be denied, but it traps by itself first.
        var (iss, image) = Rv32IssTrapTests.Build("""
                la t0, handler
                csrw mtvec, t0
                la t1, word
                jalr ra, 0(t1)
                .balign 4
            handler:
                EXIT 0
                .data
                .balign 4
            word: .word 0
            """);
        var engine = TagEngine.Attach(iss, image, Composite.Parse("nxd-nwc+ret"));
        uint word = Rv32IssTrapTests.Symbol(image, "word");
        TestPrograms.StepUntil(iss, _ => iss.Pc == word);
        var tags = engine.RegisterTags();
        iss.Step(out var record);
        Assert.Multiple(() =>
        {
            Assert.That(record.Cause, Is.EqualTo(TrapCause.IllegalInstruction));
            Assert.That(record[TagTraceFields.Denied], Is.Zero);
            Assert.That(engine.Violations, Is.Empty);
            Assert.That(engine.RegisterTags(), Is.EqualTo(tags));
            Assert.That(engine.RegisterTag(1), Is.Not.Zero, "ra kept the call's ReturnAddr");
        });
    }

    [Test]
    public void WithoutAnEngineTheCallPortGivesZeroAndItsArgumentsReadBack()
    {
        var iss = TestPrograms.RunToHalt("""
                li t0, PEXCALL_BASE
                li t1, 0x1234
                li t2, 0x5678
                sw t1, 4(t0)
                sw t2, 8(t0)
                lw a0, 4(t0)
                li t3, 1
                sw t3, 0(t0)
                lw a1, 8(t0)
                lw a2, 12(t0)
                lw a3, 0(t0)
                sh t1, 4(t0)
                lhu a4, 4(t0)
                lw a5, 4(t0)
                EXIT 0
            """);
        Assert.That(Enumerable.Range(10, 6).Select(iss.ReadRegister), Is.EqualTo(new uint[] { 0x1234, 0x5678, 0, 0, 0, 0 }),
            "ARG0, ARG1 read back; RESULT 0 without an engine; OP reads 0; a halfword access reads 0 and is ignored; the result replaced ARG0");
    }

    [Test]
    public void AnInterruptSavesAndClearsThePcTag()
    {
        var (iss, image) = Rv32IssTrapTests.Build("""
                la t0, handler
                csrw mtvec, t0
                la t1, other
                jr t1
                .balign 4
                .type other, @function
            other:
                nop
                EXIT 0
                .size other, . - other
            handler:
                EXIT 1
            """, new IssOptions { AutonomousInterrupts = false });
        var engine = TagEngine.Attach(iss, image, Composite.Parse("cfi"));
        TestPrograms.StepUntil(iss, _ => iss.Pc == Rv32IssTrapTests.Symbol(image, "other"));
        ushort jumped = engine.PcTag;
        Assert.That(SetOf(engine, jumped).Has(Flag.IndirectJump), Is.True);
        iss.InjectInterrupt(7);
        Assert.That(engine.PcTag, Is.Zero);
        Assert.That(engine.SavedPcTag, Is.EqualTo(jumped));
    }

    [Test]
    public void TheTraceCarriesTheTagsEachInstructionLeaves()
    {
        var (iss, image) = Rv32IssTrapTests.Build("""
                la s0, slot
                call function
                EXIT 0
                .balign 4
            function:
                sw ra, 0(s0)
            reload:
                lw a0, 0(s0)
                addi a1, a0, 4
                ret
                .data
                .balign 4
            slot: .word 0
            """);
        var engine = TagEngine.Attach(iss, image, Composite.Parse("ret"));
        ushort returnAddr = engine.Interner.Intern(MetaSet.Of(Flag.ReturnAddr));
        var records = new List<RetireRecord>();
        while (!iss.Halted)
        {
            iss.Step(out var r);
            records.Add(r);
        }
        RetireRecord At(string label) => records.First(r => r.PcRdata == Rv32IssTrapTests.Symbol(image, label));
        var call = records.First(r => r.PcWdata == Rv32IssTrapTests.Symbol(image, "function"));
        var store = At("function");
        var load = At("reload");
        var add = records[records.IndexOf(load) + 1];
        Assert.Multiple(() =>
        {
            Assert.That(call[TagTraceFields.RdTag], Is.EqualTo(returnAddr), "call: ra gets ReturnAddr");
            Assert.That(store[TagTraceFields.MemTag], Is.EqualTo(returnAddr), "store: the word's new tag");
            Assert.That(store[TagTraceFields.RdTag], Is.Zero);
            Assert.That(load[TagTraceFields.MemTag], Is.EqualTo(returnAddr), "load: the word's tag");
            Assert.That(load[TagTraceFields.RdTag], Is.EqualTo(returnAddr));
            Assert.That(add[TagTraceFields.RdTag], Is.Zero, "arithmetic drops ReturnAddr");
            Assert.That(records.All(r => r[TagTraceFields.Denied] == 0 && r[TagTraceFields.PcTag] == 0), Is.True);
            Assert.That(engine.WordTag(Rv32IssTrapTests.Symbol(image, "slot")), Is.EqualTo(returnAddr));
            Assert.That(load.ToString(TagTraceFields.Table), Does.Contain("mem_tag="));
        });
    }

    [Test]
    public void ARuleIsEvaluatedOncePerMaskedInputAndSeesTheFieldsItsOpgroupCaresFor()
    {
        var spy = new SpyRules();
        var (iss, image) = Rv32IssTrapTests.Build("""
                li a0, 20
            loop:
                addi a0, a0, -1
                bnez a0, loop
                EXIT 0
            """);
        var config = TagConfig.ForMemoryMap(iss.Map);
        var engine = new TagEngine(config, spy, InitialTagImage.Empty(spy));
        engine.AttachTo(iss);
        Assert.That(iss.Run(1000).Status, Is.EqualTo(IssStatus.Passed));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Lookups, Is.EqualTo((long)iss.Instret), "one lookup per instruction checked");
            Assert.That(spy.Calls, Is.EqualTo(engine.DistinctRules), "one evaluation per distinct masked input");
            Assert.That(engine.DistinctRules, Is.LessThan(10));
            Assert.That(spy.SawUncaredField, Is.False, "fields outside the care mask are empty");
            Assert.That(engine.EvaluatedRules.All(r => r.Key.CiTag == 0 && r.Key.MemTag == 0 && r.Key.Rs2Tag == 0), Is.True);
            Assert.That(engine.EvaluatedRules.Any(r => r.Key.Opgroup == Opgroup.Alu && r.Key.Rs1Tag != 0), Is.True, "addi reads a0's tag");
            Assert.That(engine.RegisterTag(10), Is.Not.Zero);
        });
    }

    [Test]
    public void TheOpgroupTableDecidesTheOpgroup()
    {
        var (iss, image) = Rv32IssTrapTests.Build("""
                la t0, handler
                csrw mtvec, t0
            target:
                addi a0, zero, 1
                EXIT 0
                .balign 4
            handler:
                EXIT 1
            """);
        var engine = TagEngine.Attach(iss, image, Composite.Parse("ret"));
        uint target = Rv32IssTrapTests.Symbol(image, "target");
        int index = Opgroups.IndexOf(iss.ReadWord(target));
        Assert.That(engine[index], Is.EqualTo(Opgroup.Alu));
        engine[index] = Opgroup.Return;
        TestPrograms.StepUntil(iss, _ => iss.Pc == target);
        iss.Step(out var record);
        Assert.That(record.Cause, Is.EqualTo(TrapCause.PolicyViolation), "addi taken for a return through a register without ReturnAddr");
        Assert.That(() => engine[Opgroups.TableSize] = Opgroup.Alu, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    /// <summary>Cares for PC and rs1 only; every result is {Spare = rs1's Spare + 1} capped at 3.</summary>
    private sealed class SpyRules : IRuleFunction
    {
        public int Calls { get; private set; }

        public bool SawUncaredField { get; private set; }

        public int CareMask(Opgroup opgroup) => (1 << (int)TagField.Pc) | (1 << (int)TagField.Rs1);

        public MetaSet DeviceSet => MetaSet.Of(Flag.Taint);

        public RuleOutcome Evaluate(Opgroup opgroup, in RuleSets sets)
        {
            Calls++;
            SawUncaredField |= !sets.Ci.IsEmpty || !sets.Rs2.IsEmpty || !sets.Mem.IsEmpty;
            ushort next = (ushort)Math.Min(3, sets.Rs1.Get(Slot.Spare) + 1);
            return RuleOutcome.Allow(MetaSet.Empty, MetaSet.Empty.With(Slot.Spare, next));
        }

        public CallResult Call(in CallRequest request, ICallContext context) => CallResult.Refused;

        public (string Policy, string Reason) Describe(int policy, int reason) => ("spy", "none");
    }
}
