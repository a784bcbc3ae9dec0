using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Sim.Cosim;
using HwGen.Sim.Model;
using HwGen.Sim.Verilator;
using NUnit.Framework;
using static HwGen.Hdl.Hw;
using static HwGen.Sim.Tests.RandomPrograms.Rv32Encoder;

namespace HwGen.Sim.Tests.Cosim;

/// <summary>
/// A field added to a trace table (here a test-only 12-bit <c>Extra</c>) flows through everything the table drives:
/// the RTL bundle and its Verilog port, the harness's record capture, the golden model's record, its printing, the
/// comparison and the divergence report.
/// </summary>
[TestFixture]
public sealed class TraceTableTests
{
    private static readonly TraceField s_extra = new("Extra", 12, "a test-only field");
    private static readonly TraceField s_ignored = new("Ignored", 8, "a test-only field that is never compared", TraceCompare.Never, TracePrint.Decimal);
    private static readonly TraceTable s_table = RetirementFields.Table.With(s_extra, s_ignored);

    /// <summary>Drives every field of a trace: Order counts cycles, Extra counts by 5, the rest are 0.</summary>
    private sealed class TraceSource : Module
    {
        public readonly RetirementTrace Trace;
        private readonly Signal _cycle = Reg(64, reset: 0);
        private readonly Signal _extra = Reg(12, reset: 0);

        public TraceSource(TraceTable table) => Trace = Out(new RetirementTrace(table));

        protected override void Build()
        {
            _cycle.Set(_cycle + 1);
            _extra.Set(_extra + 5);
            Trace.Valid.Set(1);
            foreach (var field in Trace.Table)
            {
                if (field == RetirementFields.Order)
                    Trace[field].Set(_cycle);
                else if (field == s_extra)
                    Trace[field].Set(_extra);
                else
                    Trace[field].Set(U(0, field.Width));
            }
        }
    }

    [Test]
    public void TheStandardTableGivesTheRvfiPortsInOrder()
    {
        var design = Elaborator.Elaborate(new TraceSource(RetirementFields.Table));
        var ports = design.Top.Ports.Where(p => p.Name!.StartsWith("Trace_", StringComparison.Ordinal)).Select(p => p.Name).ToList();
        Assert.That(ports, Is.EqualTo(new[]
        {
            "Trace_Valid", "Trace_Order", "Trace_PcRdata", "Trace_Insn", "Trace_Trap", "Trace_Cause", "Trace_Intr",
            "Trace_Rs1Addr", "Trace_Rs2Addr", "Trace_Rs1Rdata", "Trace_Rs2Rdata", "Trace_RdAddr", "Trace_RdWdata",
            "Trace_PcWdata", "Trace_MemAddr", "Trace_MemRmask", "Trace_MemWmask", "Trace_MemRdata", "Trace_MemWdata",
        }));
    }

    [Test]
    public void AnAddedFieldIsAPortOfTheBundleWithItsWidthAndTheTableLine()
    {
        var design = Elaborator.Elaborate(new TraceSource(s_table));
        var port = design.Top.Ports.Single(p => p.Name == "Trace_Extra");
        Assert.Multiple(() =>
        {
            Assert.That(port.Width, Is.EqualTo(12));
            Assert.That(design.Top.Ports.Last().Name, Is.EqualTo("Trace_Ignored"));
            Assert.That(string.Concat(VerilogEmitter.Emit(design).VerilogFiles.Select(f => f.Content)), Does.Match(@"output\s+(wire\s+)?\[11:0\]\s+Trace_Extra"));
            Assert.That(s_extra.File, Does.EndWith("TraceTableTests.cs"), "the field's signals carry the table line's location");
        });
    }

    [Test]
    public void AnAddedFieldIsAValueOfTheRecordCutToItsWidthAndPrinted()
    {
        var record = new RetireRecord { Order = 7, PcRdata = 0x8000_0000, Insn = Addi(10, 0, 1), RdAddr = 10, RdWdata = 1 };
        record[s_extra] = 0x1ABC;
        record[s_ignored] = 200;
        Assert.Multiple(() =>
        {
            Assert.That(record[s_extra], Is.EqualTo(0xABC), "cut to 12 bits");
            Assert.That(record.Order, Is.EqualTo(7));
            Assert.That(record.RdWdata, Is.EqualTo(1));
            Assert.That(record[RetirementFields.PcRdata], Is.EqualTo(0x8000_0000));
            Assert.That(record.ToString(s_table), Does.Contain("a0=0x00000001  extra=0xabc  ignored=200"));
            Assert.That(record.ToString(), Does.Not.Contain("extra"), "the standard table does not know the field");
        });
    }

    [Test]
    public void AMismatchInAnAddedFieldIsADivergenceNamingIt()
    {
        var layout = new TraceLayout(s_table, "Trace_");
        var (rtl, lockstep) = StepTwins(layout);
        rtl[s_extra] = 5; // the golden model computes no Extra, so it says 0

        var report = lockstep.Check(rtl, cycle: 3);

        Assert.That(report, Is.Not.Null, "a record that differs only in Extra must diverge");
        Assert.Multiple(() =>
        {
            Assert.That(report!.Difference.Field, Is.EqualTo("extra"));
            Assert.That(report.Difference.Descriptor, Is.SameAs(s_extra));
            Assert.That(report.Describe(), Does.Contain("divergence at instruction #0 (cycle 3): extra: RTL 0x005, golden model 0x000"));
            Assert.That(report.Describe(), Does.Contain("extra=0x005"), "the RTL's history prints the field");
        });
    }

    [Test]
    public void AFieldThatIsNeverComparedDoesNotDiverge()
    {
        var (rtl, lockstep) = StepTwins(new TraceLayout(s_table, "Trace_"));
        rtl[s_ignored] = 9;

        Assert.That(lockstep.Check(rtl, cycle: 3)?.Describe(), Is.Null);
    }

    [Test]
    public void CauseIsComparedOnEveryRecord()
    {
        // A record without a trap has cause 0 on both sides: a core that leaves a cause there diverges.
        var rtl = new RetireRecord { Cause = 1 };
        var model = new RetireRecord();
        Assert.That(TraceLayout.Compare(RetirementFields.Table, rtl, model)?.Field, Is.EqualTo("cause"), "no trap");
        rtl.Trap = model.Trap = true;
        model.Cause = 1;
        Assert.That(TraceLayout.Compare(RetirementFields.Table, rtl, model), Is.Null, "a trap, the same cause");
    }

    [Test]
    public void AFieldComparedOnTrapsIsComparedOnlyOnTraps()
    {
        var onTrap = new TraceField("Detail", 8, "a test-only field compared on traps", TraceCompare.OnTrap);
        var table = RetirementFields.Table.With(onTrap);
        var rtl = new RetireRecord();
        var model = new RetireRecord();
        rtl[onTrap] = 5;
        model[onTrap] = 7;
        Assert.That(TraceLayout.Compare(table, rtl, model), Is.Null, "no trap: the field is not compared");
        rtl.Trap = model.Trap = true;
        Assert.That(TraceLayout.Compare(table, rtl, model)?.Field, Is.EqualTo("detail"));
    }

    [Test]
    public void TheHarnessCapturesAnAddedFieldInItsSlot()
    {
        var layout = new TraceLayout(s_table, "Trace_");
        var design = Elaborator.Elaborate(new TraceSource(s_table));
        var verilog = VerilogEmitter.Emit(design);
        var run = new RunLoopBinding(
            Valid: "Trace_Valid",
            TraceFields: layout.PortNames,
            MemAddr: layout.Port(RetirementFields.MemAddr),
            MemWmask: layout.Port(RetirementFields.MemWmask),
            MemWdata: layout.Port(RetirementFields.MemWdata),
            Sparse: layout.Port(RetirementFields.Trap));
        var binding = HarnessBinding.For(design, verilog.TopModule, run);
        using var model = new VerilatedModel(VerilatorBuild.Build(verilog, binding, WaveFormat.None), binding);
        model.Set(ClockDomain.Default.ResetName, 1);
        model.Tick(2);
        model.Set(ClockDomain.Default.ResetName, 0);

        const int records = 1000;
        var slots = new ulong[records * layout.Stride];
        model.Run(ulong.MaxValue, slots, out int count, allRecords: true, out _, tohost: null, [], out _, [], out _);

        Assert.That(count, Is.EqualTo(records));
        for (int i = 0; i < count; i++)
        {
            var record = layout.ToRecord(slots.AsSpan(i * layout.Stride, layout.Stride));
            Assert.That(record[s_extra], Is.EqualTo((record.Order * 5) & 0xFFF), $"record {i}: {record.ToString(s_table)}");
            if (i > 0)
                Assert.That(record.Order, Is.EqualTo(layout.ToRecord(slots.AsSpan((i - 1) * layout.Stride, layout.Stride)).Order + 1));
        }
    }

    [TestCase(3)]
    [TestCase(Lockstep.HistoryLength)]
    [TestCase(Lockstep.HistoryLength * 2 + 7)]
    public void ADivergenceReportsTheLastInstructionsOfBothSidesOldestFirst(int agreeing)
    {
        // Twin models on a run of addi x10, x10, 1; the "RTL" record of the last instruction is spoiled.
        var program = Enumerable.Repeat(Addi(10, 10, 1), agreeing + 1).ToArray();
        var rtlSide = new Rv32Iss(MemoryMap.Simulation);
        var modelSide = new Rv32Iss(MemoryMap.Simulation, new IssOptions { AutonomousInterrupts = false });
        rtlSide.WriteWords(MemoryMap.Simulation.RamBase, program);
        modelSide.WriteWords(MemoryMap.Simulation.RamBase, program);
        var lockstep = new Lockstep(modelSide, new TraceLayout(RetirementFields.Table, "Trace_"));
        for (int i = 0; i < agreeing; i++)
        {
            rtlSide.Step(out var same);
            Assert.That(lockstep.Check(same, cycle: (ulong)i), Is.Null, $"instruction {i} agrees");
        }
        rtlSide.Step(out var rtl);
        rtl.RdWdata ^= 0x100;

        var report = lockstep.Check(rtl, cycle: 99);

        Assert.That(report, Is.Not.Null);
        int kept = Math.Min(agreeing + 1, Lockstep.HistoryLength);
        var expectedOrders = Enumerable.Range(agreeing + 1 - kept, kept).Select(o => (ulong)o).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(report!.Order, Is.EqualTo((ulong)agreeing));
            Assert.That(report.RtlHistory.Select(r => r.Order), Is.EqualTo(expectedOrders), "the RTL's last records, oldest first");
            Assert.That(report.ModelHistory.Select(r => r.Order), Is.EqualTo(expectedOrders), "the golden model's, the same instructions");
            Assert.That(report.RtlHistory[^1].RdWdata, Is.EqualTo((uint)(agreeing + 1) ^ 0x100), "the RTL's record as it was compared");
            Assert.That(report.ModelHistory[^1].RdWdata, Is.EqualTo((uint)(agreeing + 1)));
            Assert.That(report.ModelHistory.Select(r => r.RdWdata), Is.EqualTo(expectedOrders.Select(o => (uint)o + 1)), "each model record its own instruction's");
        });
    }

    /// <summary>Two golden models on the same program: one stepped for the "RTL" record, the other inside a lockstep.</summary>
    private static (RetireRecord Rtl, Lockstep Lockstep) StepTwins(TraceLayout layout)
    {
        uint[] program = [Addi(10, 0, 1), Addi(11, 10, 2)];
        var rtlSide = new Rv32Iss(MemoryMap.Simulation);
        var modelSide = new Rv32Iss(MemoryMap.Simulation, new IssOptions { AutonomousInterrupts = false });
        rtlSide.WriteWords(MemoryMap.Simulation.RamBase, program);
        modelSide.WriteWords(MemoryMap.Simulation.RamBase, program);
        rtlSide.Step(out var rtl);
        return (rtl, new Lockstep(modelSide, layout));
    }
}
