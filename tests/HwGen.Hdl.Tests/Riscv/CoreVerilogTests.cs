using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Dsl;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>The core and the AP SoC elaborate without warnings and give Verilog that three tools accept.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CoreVerilogTests
{
    private static IEnumerable<TestCaseData> Configurations()
    {
        var ap = CoreConfig.ForMemoryMap(MemoryMap.Simulation);
        yield return new TestCaseData(ap).SetArgDisplayNames("RV32IM");
        yield return new TestCaseData(ap with { WithM = false }).SetArgDisplayNames("RV32I");
    }

    [TestCaseSource(nameof(Configurations))]
    public void CoreIsLintClean(CoreConfig config)
    {
        var result = VerilogEmitter.Emit(new Core(config));

        Assert.That(result.Warnings, Is.Empty);
        Assert.That(result.TopModule, Is.EqualTo("Core"));
        Lint(result);
    }

    /// <summary>The board's core: its counters' four halves each in a DSP block, its link, its divider's negation and its operand select built from iCE40 cells, clean with the models.</summary>
    [Test]
    public void CoreWithIce40CellsIsLintCleanWithTheModels()
    {
        var config = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k) with { Ice40Cells = true };
        var verilog = string.Concat(VerilogEmitter.Emit(new Core(config)).VerilogFiles.Select(f => f.Content));
        Assert.Multiple(() =>
        {
            Assert.That(System.Text.RegularExpressions.Regex.Count(verilog, @"\bSB_LUT4\b"), Is.EqualTo(30 + 32 + 7 * 32),
                "the link's 30 LUTs (LinkSelect), the divider's negation's 32 (ConditionalNegation) and the operand select's 7 a bit (OperandSelect)");
            Assert.That(System.Text.RegularExpressions.Regex.Count(verilog, @"\bSB_MAC16\b"), Is.EqualTo(3),
                "one Mac16Counter module of one block, four instances; the multiplier's two blocks");
            Assert.That(System.Text.RegularExpressions.Regex.Count(verilog, @"\bSB_MAC16 #\([^;]*\) (middleBlock|lowBlock)\b"), Is.EqualTo(2),
                "the multiplier's middle sum and low word");
            Assert.That(System.Text.RegularExpressions.Regex.Count(verilog, @"\bMac16Counter\w* (mcycle|minstret)(Low|High)\b"), Is.EqualTo(4));
        });
        Ice40.Ice40ModuleChecks.AssertLintClean(new Core(config), "lint-core-ice40cells");
    }

    [Test]
    public void CoreHasOneModulePerStage()
    {
        var result = VerilogEmitter.Emit(new Core(CoreConfig.ForMemoryMap(MemoryMap.Simulation)));
        var modules = result.VerilogFiles.Select(f => Path.GetFileNameWithoutExtension(f.RelativePath)).ToArray();

        Assert.That(modules, Is.SupersetOf(new[]
        {
            "Core", "FetchStage", "DecodeStage", "Decoder", "RegisterFile", "ExecuteStage", "Divider", "ControlStatusRegisters",
            "MemoryStage", "WritebackStage",
        }));
    }

    [Test]
    public void ApSocIsLintClean()
    {
        var map = MemoryMap.Simulation with { RamSize = 4096 };
        var result = VerilogEmitter.Emit(new ApSoc(map));

        Assert.That(result.Warnings.Select(w => w.Message), Is.EqualTo(new[] { "input 'Instr_WriteData' of Interconnect is never read" }),
            "the instruction bus only fetches; nothing else goes unread");
        Assert.That(result.TopModule, Is.EqualTo("ApSoc"));
        Lint(result);
    }

    /// <summary>The SoC with wait states on both buses and with a single-port RAM (the interconnect shares its port).</summary>
    [Test]
    public void ApSocWithWaitStatesAndASinglePortRamIsLintClean()
    {
        var map = MemoryMap.Simulation with { RamSize = 4096 };
        var parts = new SocParts { Ram = SocRam.SinglePort, WaitStates = new WaitStates(StallOneIn: 8, MaxResponseDelay: 1, Seed: 5) };
        var result = VerilogEmitter.Emit(new ApSoc(map, parts: parts));
        var verilog = string.Join('\n', result.VerilogFiles.Select(f => f.Content));

        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings.Select(w => w.Message), Is.EqualTo(new[] { "input 'Instr_WriteData' of Interconnect is never read" }));
            Assert.That(result.VerilogFiles.Select(f => Path.GetFileNameWithoutExtension(f.RelativePath)), Does.Contain("WaitStateInjector").And.Contain("Interconnect"));
            Assert.That(verilog, Does.Contain("dataWaits").And.Contain("instrWaits"));
            Assert.That(verilog, Does.Not.Contain("RAM_fetch_"), "one RAM port: fetch and data share it");
        });
        Lint(result);
    }

    [Test]
    public void CoreHasTheTimerAndTracePorts()
    {
        var core = new Core(CoreConfig.ForMemoryMap(MemoryMap.Simulation));

        Assert.Multiple(() =>
        {
            Assert.That(core.TimerInterrupt.Width, Is.EqualTo(1));
            Assert.That(core.Mtime.Width, Is.EqualTo(64));
            Assert.That(core.Trace.Valid.Width, Is.EqualTo(1));
            Assert.That(core.Trace.Insn.Width, Is.EqualTo(32));
            Assert.That(core.Trace.PcRdata.Width, Is.EqualTo(32));
        });
    }

    [Test]
    public void ApSocRejectsARamThatIsNotAPowerOfTwo()
    {
        var map = MemoryMap.Simulation with { RamSize = 3000 };
        var error = Assert.Throws<ArgumentException>(() => new ApSoc(map));
        Assert.That(error!.Message, Does.Contain("3000").And.Contain("power of two"));
    }

    [Test]
    public void CoreConfigRejectsAMisalignedResetPc()
    {
        var error = Assert.Throws<ArgumentException>(() => new Core(new CoreConfig(0x8000_0002)));
        Assert.That(error!.ParamName, Is.EqualTo("ResetPc"));
    }

    private static void Lint(EmitResult result)
    {
        RiscvTools.Require(ExternalTools.Verilator, ExternalTools.Iverilog, ExternalTools.Yosys);
        VerilogToolChecks.AssertClean(result);
    }
}
