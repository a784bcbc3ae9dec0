using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Dsl;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>The multi-cycle core (<see cref="CoreMicroarchitecture.MultiCycle"/>): its configuration, and Verilog that three tools accept.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class MultiCycleCoreVerilogTests
{
    private static CoreConfig Small => CoreConfig.ForMemoryMap(MemoryMap.Simulation) with
    {
        Microarchitecture = CoreMicroarchitecture.MultiCycle,
        WithM = false,
    };

    [Test]
    public void CoreIsLintClean()
    {
        var result = VerilogEmitter.Emit(new MultiCycleCore(Small));

        Assert.That(result.Warnings, Is.Empty);
        Assert.That(result.TopModule, Is.EqualTo("MultiCycleCore"));
        Lint(result);
    }

    [Test]
    public void ApSocWithTheSmallCoreIsLintClean()
    {
        var map = MemoryMap.Simulation with { RamSize = 4096 };
        var result = VerilogEmitter.Emit(new ApSoc(map, Small with { ResetPc = map.ResetVector }));
        var modules = result.VerilogFiles.Select(f => Path.GetFileNameWithoutExtension(f.RelativePath)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings.Select(w => w.Message), Is.EqualTo(new[]
            {
                "input 'Instr_WriteData' of Interconnect is never read",
            }));
            Assert.That(modules, Does.Contain("MultiCycleCore").And.Not.Contain("ExecuteStage"));
        });
        Lint(result);
    }

    [Test]
    public void TheTrapOnlyCoreIsLintCleanAndItsCsrUnitReadsNoTimerNorCounter()
    {
        var result = VerilogEmitter.Emit(new MultiCycleCore(Small with { Counters = false, Csrs = CsrSet.TrapOnly }));
        var csrUnit = result.VerilogFiles.Single(f => Path.GetFileNameWithoutExtension(f.RelativePath) == "ControlStatusRegisters").Content;

        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings.Select(w => w.Message), Is.EquivalentTo(new[]
            {
                "input 'Return' of ControlStatusRegisters is never read",
                "input 'Retired' of ControlStatusRegisters is never read",
                "input 'TimerPending' of ControlStatusRegisters is never read",
                "input 'Mtime' of ControlStatusRegisters is never read",
            }));
            Assert.That(csrUnit, Does.Contain("mtvec").And.Contain("mepc").And.Contain("mcause").And.Contain("mtval"));
            Assert.That(csrUnit, Does.Not.Contain("mscratch").And.Not.Contain("mcycle").And.Not.Contain("minstret").And.Not.Contain("mpie"));
        });
        Lint(result);
    }

    [Test]
    public void TheCoreWithoutCsrsIsLintCleanAndHasNoCsrUnit()
    {
        var config = Small with { Counters = false, Csrs = CsrSet.None };
        var result = VerilogEmitter.Emit(new MultiCycleCore(config, storeValueUnplaced: true));
        var modules = result.VerilogFiles.Select(f => Path.GetFileNameWithoutExtension(f.RelativePath)).ToArray();
        var mnemonics = DecoderTable.For(config).Select(r => r.Mnemonic).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings.Select(w => w.Message), Is.EquivalentTo(new[]
            {
                "input 'TimerInterrupt' of MultiCycleCore is never read",
                "input 'Mtime' of MultiCycleCore is never read",
            }));
            Assert.That(modules, Does.Contain("MultiCycleCore").And.Not.Contain("ControlStatusRegisters"));
            Assert.That(mnemonics, Does.Contain("ecall").And.Contain("ebreak").And.Contain("wfi").And.Contain("fence.i"));
            Assert.That(mnemonics.Where(m => m.StartsWith("csr", StringComparison.Ordinal) || m == "mret"), Is.Empty);
            Assert.That(DecoderTable.For(Small with { Counters = false, Csrs = CsrSet.TrapOnly }).Select(r => r.Mnemonic),
                Does.Contain("csrrw").And.Contain("csrrci").And.Contain("mret"));
        });
        Lint(result);
    }

    [Test]
    public void TheCoreWithoutCountersHasNoCounterRegisters()
    {
        var result = VerilogEmitter.Emit(new MultiCycleCore(Small with { Counters = false }));
        var csrUnit = result.VerilogFiles.Single(f => Path.GetFileNameWithoutExtension(f.RelativePath) == "ControlStatusRegisters").Content;

        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings.Select(w => w.Message), Is.EquivalentTo(new[]
            {
                "input 'Retired' of ControlStatusRegisters is never read",
                "input 'Mtime' of ControlStatusRegisters is never read",
            }));
            Assert.That(csrUnit, Does.Contain("mscratch").And.Not.Contain("mcycle").And.Not.Contain("minstret"));
        });
        Lint(result);
    }

    [Test]
    public void TheGeneratorBuildsTheConfiguredKind()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RiscvCore.Create(Small), Is.InstanceOf<MultiCycleCore>());
            Assert.That(RiscvCore.Create(Small with { Microarchitecture = CoreMicroarchitecture.Pipelined }), Is.InstanceOf<Core>());
        });
    }

    /// <summary>
    /// The PEX's core (<see cref="Designs.Pex.PexSoc"/>'s configuration) alone after Yosys, its retirement record kept
    /// (a port here): each bit of the adder's operands one LUT (their selects are registers), the result an AND-OR.
    /// </summary>
    [Test]
    public void ThePexCoreFitsItsLutBudget()
    {
        var config = new Designs.Pex.PexSoc(Designs.Tags.TagConfig.ForMemoryMap(MemoryMap.Simulation), ram: SocRam.Spram).CoreConfig;
        var (cells, report) = Ice40.Ice40ModuleChecks.Synthesize(new MultiCycleCore(config), "synth-multicycle-pex");
        Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.LessThanOrEqualTo(PexCoreLutBudget), report);
    }

    /// <summary>The LUT4 of <see cref="ThePexCoreFitsItsLutBudget"/>'s core: 940 to 960 today (Yosys varies), 1,020 with a multiplexer and an inversion per bit of B, the result a case of the decoded result source and the store value placed in the lanes.</summary>
    private const int PexCoreLutBudget = 985;

    /// <summary>
    /// The PEX's core as <see cref="Designs.Pex.PexSoc"/> builds it, which does not look for illegal words, is smaller by
    /// the decoder's full match of every row than the same core that traps on them.
    /// </summary>
    [Test]
    public void ThePexCoreThatLeavesIllegalWordsUncheckedIsSmaller()
    {
        var config = new Designs.Pex.PexSoc(Designs.Tags.TagConfig.ForMemoryMap(MemoryMap.Simulation), ram: SocRam.Spram).CoreConfig;
        var (checkedCells, checkedReport) = Ice40.Ice40ModuleChecks.Synthesize(new MultiCycleCore(config, storeValueUnplaced: true), "synth-multicycle-pex-checked");
        var (uncheckedCells, uncheckedReport) = Ice40.Ice40ModuleChecks.Synthesize(
            new MultiCycleCore(config, storeValueUnplaced: true, trapsIllegalWords: false), "synth-multicycle-pex-unchecked");
        int checkedLuts = checkedCells.GetValueOrDefault("SB_LUT4");
        int uncheckedLuts = uncheckedCells.GetValueOrDefault("SB_LUT4");
        Assert.That(uncheckedLuts, Is.LessThanOrEqualTo(checkedLuts - IllegalCheckLuts), checkedReport + uncheckedReport);
    }

    /// <summary>The LUT4 the illegal-word check costs the PEX's core at least: about 40 today (Yosys varies).</summary>
    private const int IllegalCheckLuts = 20;

    [Test]
    public void OnlyACoreWithoutCsrsMayLeaveIllegalWordsUnchecked()
    {
        var withCsrs = Assert.Throws<ArgumentException>(() => new MultiCycleCore(Small with { Counters = false, Csrs = CsrSet.TrapOnly }, trapsIllegalWords: false));
        var core = new MultiCycleCore(Small with { Counters = false, Csrs = CsrSet.None }, trapsIllegalWords: false);
        Assert.Multiple(() =>
        {
            Assert.That(withCsrs!.ParamName, Is.EqualTo("trapsIllegalWords"));
            Assert.That(withCsrs.Message, Does.Contain("TrapOnly"));
            Assert.That(core.TrapsIllegalWords, Is.False);
            Assert.That(new MultiCycleCore(Small).TrapsIllegalWords, Is.True);
        });
    }

    [Test]
    public void TheSmallCoreHasTheSamePortsAsThePipelinedOne()
    {
        static string[] Ports(Module core) => VerilogEmitter.Emit(core).VerilogFiles
            .First(f => Path.GetFileNameWithoutExtension(f.RelativePath) == core.ModuleName).Content
            .Split('\n').Where(l => l.TrimStart().StartsWith("input", StringComparison.Ordinal) || l.TrimStart().StartsWith("output", StringComparison.Ordinal))
            .Select(l => l.Split("//")[0].Trim().TrimEnd(',')).ToArray();

        var small = Ports(new MultiCycleCore(Small));
        var pipelined = Ports(new Core(Small with { Microarchitecture = CoreMicroarchitecture.Pipelined }));

        Assert.That(small, Is.EquivalentTo(pipelined));
    }

    [Test]
    public void ConfigurationsItCannotBuildAreRefusedByName()
    {
        var withM = Assert.Throws<ArgumentException>(() => RiscvCore.Create(Small with { WithM = true }));
        var tagged = Assert.Throws<ArgumentException>(() => RiscvCore.Create(Small with { Tags = Designs.Tags.TagConfig.ForMemoryMap(MemoryMap.Simulation) }));
        var pipelined = Assert.Throws<ArgumentException>(() => new MultiCycleCore(Small with { Microarchitecture = CoreMicroarchitecture.Pipelined }));
        var trapOnlyWithCounters = Assert.Throws<ArgumentException>(() => RiscvCore.Create(Small with { Csrs = CsrSet.TrapOnly }));
        var noCsrsWithCounters = Assert.Throws<ArgumentException>(() => RiscvCore.Create(Small with { Csrs = CsrSet.None }));
        var noCsrsPipelined = Assert.Throws<ArgumentException>(() => RiscvCore.Create(Small with
        {
            Microarchitecture = CoreMicroarchitecture.Pipelined,
            Counters = false,
            Csrs = CsrSet.None,
        }));
        var trapOnlyPipelined = Assert.Throws<ArgumentException>(() => RiscvCore.Create(Small with
        {
            Microarchitecture = CoreMicroarchitecture.Pipelined,
            Counters = false,
            Csrs = CsrSet.TrapOnly,
        }));

        Assert.Multiple(() =>
        {
            Assert.That(withM!.ParamName, Is.EqualTo(nameof(CoreConfig.WithM)));
            Assert.That(withM.Message, Does.Contain("no M extension"));
            Assert.That(tagged!.ParamName, Is.EqualTo(nameof(CoreConfig.Tags)));
            Assert.That(pipelined!.Message, Does.Contain("MultiCycle"));
            Assert.That(trapOnlyWithCounters!.ParamName, Is.EqualTo(nameof(CoreConfig.Counters)));
            Assert.That(trapOnlyWithCounters.Message, Does.Contain("TrapOnly CSR set has no counters"));
            Assert.That(trapOnlyPipelined!.ParamName, Is.EqualTo(nameof(CoreConfig.Csrs)));
            Assert.That(trapOnlyPipelined.Message, Does.Contain("only the multi-cycle core has the TrapOnly CSRs"));
            Assert.That(noCsrsWithCounters!.ParamName, Is.EqualTo(nameof(CoreConfig.Counters)));
            Assert.That(noCsrsWithCounters.Message, Does.Contain("None CSR set has no counters"));
            Assert.That(noCsrsPipelined!.ParamName, Is.EqualTo(nameof(CoreConfig.Csrs)));
            Assert.That(noCsrsPipelined.Message, Does.Contain("only the multi-cycle core has the None CSRs"));
        });
    }

    private static void Lint(EmitResult result)
    {
        RiscvTools.Require(ExternalTools.Verilator, ExternalTools.Iverilog, ExternalTools.Yosys);
        VerilogToolChecks.AssertClean(result);
    }
}
