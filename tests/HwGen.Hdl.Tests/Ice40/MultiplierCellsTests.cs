using HwGen.Designs.Riscv;
using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// The AP's <see cref="Multiplier"/> with its middle sum in an <c>SB_MAC16</c> instance (<see cref="Multiplier.Cells"/>):
/// its Verilog is clean with the models; synthesised as the FPGA flow does, it takes the four DSP blocks of the generic one
/// and neither the middle sum's carry chain and 33 flip-flops nor the low word's half of the last sum; and the block's model gives every product of every
/// operation, edge and random operands, with the middle sum carrying out of 32 bits too, and after multiplications
/// abandoned in any cycle, as the generic multiplier and the product in the bench do, cycle by cycle, under Verilator
/// and Icarus.
/// </summary>
[TestFixture]
public sealed class MultiplierCellsTests
{
    /// <summary>The multiplier built both ways from the same inputs.</summary>
    private sealed class MultiplierPair : Module
    {
        public readonly Signal Start = In(1);
        public readonly Signal Abort = In(1);
        public readonly Signal A = In(32);
        public readonly Signal B = In(32);
        public readonly Signal Sum = In(32);
        public readonly Signal Funct3 = In(3);
        public readonly Signal CellsResult = Out(32);
        public readonly Signal GenericResult = Out(32);
        public readonly Signal CellsDone = Out(1);
        public readonly Signal GenericDone = Out(1);
        public readonly Signal CellsBusy = Out(1);
        public readonly Signal GenericBusy = Out(1);
        private readonly Multiplier cells = new(cells: true);
        private readonly Multiplier generic = new(cells: false);

        protected override void Build()
        {
            foreach (var multiplier in new[] { cells, generic })
            {
                multiplier.Start.Set(Start);
                multiplier.Abort.Set(Abort);
                multiplier.A.Set(A);
                multiplier.B.Set(B);
                multiplier.Sum.Set(Sum);
                multiplier.Funct3.Set(Funct3);
            }
            CellsResult.Set(cells.Result);
            GenericResult.Set(generic.Result);
            CellsDone.Set(cells.Done);
            GenericDone.Set(generic.Done);
            CellsBusy.Set(cells.Busy);
            GenericBusy.Set(generic.Busy);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheVerilogIsLintCleanWithTheModels(bool cells) =>
        Ice40ModuleChecks.AssertLintClean(new Multiplier(cells), "lint-multiplier");

    /// <summary>
    /// Both synthesised as the flow does (<c>synth_ice40 -dsp</c>, the instances kept as configured): four DSP blocks
    /// each, and the one with the instances has 48 carry stages fewer (the middle sum's 32, the last sum's 16 of the low
    /// word) and 32 flip-flops fewer (the middle sum's register; one flip-flop keeps its carry out).
    /// </summary>
    [Test]
    public void TheBlocksTakeTheMiddleSumAndTheLowWordOutOfLogicCells()
    {
        IReadOnlyDictionary<string, int> Synthesize(bool cells)
        {
            using var scratch = new ScratchDirectory($"synth-multiplier-{(cells ? "cells" : "generic")}");
            var design = EmittedDesign.Write(VerilogEmitter.Emit(new Multiplier(cells)), scratch.Combine("rtl"));
            var result = FpgaFlow.Synthesize(design.Directory, design.TopModule, scratch.Combine("synth"));
            TestContext.Out.WriteLine($"{(cells ? "cells" : "generic")}: {string.Join(", ", result.Select(c => $"{c.Key} {c.Value}"))}");
            scratch.Complete();
            return result;
        }
        static int FlipFlops(IReadOnlyDictionary<string, int> cells) => cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value);

        var withBlock = Synthesize(cells: true);
        var generic = Synthesize(cells: false);
        Assert.Multiple(() =>
        {
            Assert.That(withBlock.GetValueOrDefault("SB_MAC16"), Is.EqualTo(4), "DSP blocks with the instance");
            Assert.That(generic.GetValueOrDefault("SB_MAC16"), Is.EqualTo(4), "DSP blocks of the generic multiplier");
            Assert.That(withBlock.GetValueOrDefault("SB_CARRY"), Is.LessThanOrEqualTo(generic.GetValueOrDefault("SB_CARRY") - 48), "carry stages");
            Assert.That(FlipFlops(withBlock), Is.LessThanOrEqualTo(FlipFlops(generic) - 32), "flip-flops");
            Assert.That(withBlock.GetValueOrDefault("SB_LUT4"), Is.LessThan(generic.GetValueOrDefault("SB_LUT4")), "LUTs");
        });
    }

    /// <summary>
    /// Edge operands (every pair, each operation) then random ones, their sum beside them in the start's cycle (as the ALU
    /// gives it), other words on the inputs after the start; one
    /// multiplication in eight abandoned in one of its cycles. Every cycle both multipliers' Done, Busy and Result agree, Result is 0 but in the Done cycle, and there it is
    /// the product the bench forms from 64-bit operands. Counts the products whose middle sum carries out of 32 bits.
    /// Prints <c>PASS multiplier</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module Multiplier_tb;
            reg clk = 1'b0;
            reg rst = 1'b1;
            reg Start = 1'b0;
            reg Abort = 1'b0;
            reg [31:0] A = 0;
            reg [31:0] B = 0;
            reg [31:0] Sum = 0;
            reg [2:0] Funct3 = 0;
            wire [31:0] CellsResult;
            wire [31:0] GenericResult;
            wire CellsDone;
            wire GenericDone;
            wire CellsBusy;
            wire GenericBusy;
            reg [31:0] edges [0:8];
            reg [63:0] wide;
            reg [31:0] expected;
            reg [32:0] middle;
            reg [31:0] bits;
            reg aSigned;
            reg bSigned;
            reg done;
            integer i;
            integer cycle;
            integer abortAt;
            integer errors = 0;
            integer products = 0;
            integer abandoned = 0;
            integer carries = 0;
            reg [31:0] state = 32'h2545_F491;

            XORSHIFT32_NEXT

            TOP dut(.clk(clk), .rst(rst), .Start(Start), .Abort(Abort), .A(A), .B(B), .Sum(Sum), .Funct3(Funct3),
                .CellsResult(CellsResult), .GenericResult(GenericResult), .CellsDone(CellsDone), .GenericDone(GenericDone),
                .CellsBusy(CellsBusy), .GenericBusy(GenericBusy));

            always #5 clk = ~clk;

            task automatic compare;
                begin
                    if (CellsDone !== GenericDone || CellsBusy !== GenericBusy || CellsResult !== GenericResult) begin
                        $display("FAIL multiplier: %0d: funct3 %0d, cycle %0d: cells done %b busy %b %h, generic done %b busy %b %h",
                            i, Funct3, cycle, CellsDone, CellsBusy, CellsResult, GenericDone, GenericBusy, GenericResult);
                        errors = errors + 1;
                    end
                end
            endtask

            initial begin
                edges[0] = 32'h0000_0000; edges[1] = 32'h0000_0001; edges[2] = 32'h0000_0002;
                edges[3] = 32'h7FFF_FFFF; edges[4] = 32'h8000_0000; edges[5] = 32'hFFFF_FFFF;
                edges[6] = 32'h0000_FFFF; edges[7] = 32'hFFFF_0000; edges[8] = 32'h8000_8000;
                @(posedge clk);
                @(posedge clk);
                #1;
                rst = 1'b0;
                for (i = 0; i < 3000; i = i + 1) begin
                    next;
                    Funct3 = i % 4;
                    if (i < 4 * 81) begin
                        A = edges[(i / 4) % 9];
                        B = edges[(i / 36) % 9];
                    end else begin
                        A = state;
                        next;
                        B = bits[0] ? {state[15:0], state[31:16]} | 32'hFFFF_0000 : state;
                    end
                    next;
                    abortAt = bits[2:0] == 3'd0 ? 1 + (bits[10:8] % 5) : 0;
                    aSigned = Funct3 == 3'd1 || Funct3 == 3'd2;
                    bSigned = Funct3 == 3'd1;
                    wide = {aSigned ? {32{A[31]}} : 32'd0, A} * {bSigned ? {32{B[31]}} : 32'd0, B};
                    expected = Funct3 == 3'd0 ? wide[31:0] : wide[63:32];
                    middle = {17'd0, A[15:0]} * {17'd0, B[31:16]} + {17'd0, A[31:16]} * {17'd0, B[15:0]}
                        + {16'd0, aSigned & A[31], 16'd0};
                    if (middle[32]) carries = carries + 1;
                    Sum = A + B;
                    Start = 1'b1;
                    Abort = 1'b0;
                    done = 1'b0;
                    for (cycle = 0; cycle <= 6 && !done; cycle = cycle + 1) begin
                        #1;
                        compare;
                        if (GenericDone) begin
                            if (CellsResult !== expected) begin
                                $display("FAIL multiplier: %0d: funct3 %0d: %h, expected %h", i, Funct3, CellsResult, expected);
                                errors = errors + 1;
                            end
                            products = products + 1;
                            done = 1'b1;
                        end else if (CellsResult !== 32'd0) begin
                            $display("FAIL multiplier: %0d: cycle %0d, not done: %h", i, cycle, CellsResult);
                            errors = errors + 1;
                        end
                        if (!done && abortAt != 0 && cycle == abortAt) begin
                            Abort = 1'b1;
                            abandoned = abandoned + 1;
                            done = 1'b1;
                        end
                        @(posedge clk);
                        #1;
                        // The operands are taken at the start: other words on the inputs from then on.
                        if (Start) begin
                            next;
                            A = bits;
                            next;
                            B = bits;
                            next;
                            Sum = bits;
                        end
                        Start = 1'b0;
                    end
                    if (!done) begin
                        $display("FAIL multiplier: %0d: no done", i);
                        errors = errors + 1;
                    end
                    Abort = 1'b0;
                    #1;
                    compare;
                    if (CellsBusy !== 1'b0 || CellsResult !== 32'd0) begin
                        $display("FAIL multiplier: %0d: not idle after it: busy %b, %h", i, CellsBusy, CellsResult);
                        errors = errors + 1;
                    end
                end
                if (products < 2000 || abandoned < 100 || carries < 100)
                    $fatal(1, "FAIL multiplier: only %0d products, %0d abandoned, %0d middle sums carrying out", products, abandoned, carries);
                if (errors == 0) $display("PASS multiplier (%0d products, %0d abandoned, %0d middle sums carrying out)", products, abandoned, carries);
                else $fatal(1, "FAIL multiplier: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void TheBlockGivesEveryProductAsTheGenericMultiplier(Simulator simulator) =>
        Ice40ModuleChecks.AssertBenchPasses(simulator, new MultiplierPair(), "Multiplier_tb", Bench, "PASS multiplier", "bench-multiplier");
}
