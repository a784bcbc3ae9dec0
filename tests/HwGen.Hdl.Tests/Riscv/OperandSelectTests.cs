using HwGen.Designs.Riscv;
using HwGen.Hdl.Tests.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// <see cref="OperandSelect"/>: built from <c>SB_LUT4</c> instances it takes seven LUTs a bit after Yosys, its Verilog is
/// clean with the models, and the primitives' netlist gives what the generic select and a reference in the bench give,
/// for random values, sources, immediates and adder immediates, under Verilator and Icarus.
/// </summary>
[TestFixture]
public sealed class OperandSelectTests
{
    /// <summary>The operand select built both ways from the same inputs, each output the four operands side by side.</summary>
    private sealed class OperandPair : Module
    {
        public readonly Signal Rs1Value = In(32);
        public readonly Signal Rs2Value = In(32);
        public readonly Signal MemoryResult = In(32);
        public readonly Signal WritebackResult = In(32);
        /// <summary>rs1's memory and writeback selects, then rs2's.</summary>
        public readonly Signal Sources = In(4);
        public readonly Signal Pc = In(32);
        public readonly Signal PcOperand = In(1);
        public readonly Signal TargetFromRs1 = In(1);
        public readonly Signal Immediate = In(32);
        public readonly Signal UseImmediate = In(1);
        public readonly Signal AddendImmediate = In(2);
        public readonly Signal SubtractRs2 = In(1);
        /// <summary>A, B, the addend and the target's base, from the most significant word down.</summary>
        public readonly Signal Cells = Out(128);
        public readonly Signal Generic = Out(128);
        private readonly OperandSelect cells = new(cells: true);
        private readonly OperandSelect generic = new(cells: false);

        protected override void Build()
        {
            foreach (var select in new[] { cells, generic })
            {
                select.Rs1Value.Set(Rs1Value);
                select.Rs2Value.Set(Rs2Value);
                select.MemoryResult.Set(MemoryResult);
                select.WritebackResult.Set(WritebackResult);
                select.Rs1Source.Memory.Set(Sources[3]);
                select.Rs1Source.Writeback.Set(Sources[2]);
                select.Rs2Source.Memory.Set(Sources[1]);
                select.Rs2Source.Writeback.Set(Sources[0]);
                select.Pc.Set(Pc);
                select.PcOperand.Set(PcOperand);
                select.TargetFromRs1.Set(TargetFromRs1);
                select.Immediate.Set(Immediate);
                select.UseImmediate.Set(UseImmediate);
                select.AddendImmediate.Set(AddendImmediate);
                select.SubtractRs2.Set(SubtractRs2);
            }
            Cells.Set(Cat(cells.OperandA, cells.OperandB, cells.Addend, cells.TargetBase));
            Generic.Set(Cat(generic.OperandA, generic.OperandB, generic.Addend, generic.TargetBase));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheVerilogIsLintCleanWithTheModels(bool cells) =>
        Ice40ModuleChecks.AssertLintClean(new OperandSelect(cells), "lint-operandselect");

    [Test]
    public void EachBitIsSevenLuts()
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new OperandSelect(cells: true), "synth-operandselect");
        Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.EqualTo(7 * 32), report);
    }

    /// <summary>
    /// Random values and controls; a forwarded source zeroes the register file's value one time in two, as the register
    /// file does. Each against the reference. Prints <c>PASS operands</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module OperandSelect_tb;
            reg [31:0] Rs1Value = 0;
            reg [31:0] Rs2Value = 0;
            reg [31:0] MemoryResult = 0;
            reg [31:0] WritebackResult = 0;
            reg [3:0] Sources = 0;
            reg [31:0] Pc = 0;
            reg PcOperand = 1'b0;
            reg TargetFromRs1 = 1'b0;
            reg [31:0] Immediate = 0;
            reg UseImmediate = 1'b0;
            reg [1:0] AddendImmediate = 0;
            reg SubtractRs2 = 1'b0;
            wire [127:0] Cells;
            wire [127:0] Generic;
            reg [31:0] rs1;
            reg [31:0] rs2;
            reg [31:0] addendImmediate;
            reg [127:0] expected;
            reg [31:0] bits;
            integer i;
            integer errors = 0;
            reg [31:0] state = 32'h1F12_3BB5;

            XORSHIFT32_NEXT

            TOP dut(.Rs1Value(Rs1Value), .Rs2Value(Rs2Value), .MemoryResult(MemoryResult), .WritebackResult(WritebackResult),
                .Sources(Sources), .Pc(Pc), .PcOperand(PcOperand), .TargetFromRs1(TargetFromRs1), .Immediate(Immediate),
                .UseImmediate(UseImmediate), .AddendImmediate(AddendImmediate), .SubtractRs2(SubtractRs2), .Cells(Cells), .Generic(Generic));

            initial begin
                for (i = 0; i < 4000; i = i + 1) begin
                    next; Rs1Value = bits;
                    next; Rs2Value = bits;
                    next; MemoryResult = bits;
                    next; WritebackResult = bits;
                    next; Pc = bits;
                    next; Immediate = bits;
                    next;
                    Sources = bits[3:0];
                    PcOperand = bits[4];
                    TargetFromRs1 = bits[5];
                    UseImmediate = bits[6];
                    AddendImmediate = bits[8:7];
                    SubtractRs2 = bits[9];
                    if (bits[10] && Sources[3:2] != 2'b00) Rs1Value = 0;
                    if (bits[11] && Sources[1:0] != 2'b00) Rs2Value = 0;
                    #1;
                    rs1 = (Sources[3] ? MemoryResult : 32'd0) | (Sources[2] ? WritebackResult : 32'd0) | Rs1Value;
                    rs2 = (Sources[1] ? MemoryResult : 32'd0) | (Sources[0] ? WritebackResult : 32'd0) | Rs2Value;
                    case (AddendImmediate)
                        2'd1: addendImmediate = Immediate;
                        2'd2: addendImmediate = ~Immediate;
                        2'd3: addendImmediate = 32'd4;
                        default: addendImmediate = 32'd0;
                    endcase
                    expected = {PcOperand ? Pc : rs1, rs2 | (UseImmediate ? Immediate : 32'd0),
                        (SubtractRs2 ? ~rs2 : rs2) | addendImmediate, TargetFromRs1 ? rs1 : Pc};
                    if (Cells !== expected || Generic !== expected) begin
                        $display("FAIL operands: %0d: cells %h, generic %h, expected %h", i, Cells, Generic, expected);
                        errors = errors + 1;
                    end
                end
                if (errors == 0) $display("PASS operands");
                else $fatal(1, "FAIL operands: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void ThePrimitivesGiveWhatTheGenericSelectGives(Simulator simulator) =>
        Ice40ModuleChecks.AssertBenchPasses(simulator, new OperandPair(), "OperandSelect_tb", Bench, "PASS operands", "bench-operandselect");
}
