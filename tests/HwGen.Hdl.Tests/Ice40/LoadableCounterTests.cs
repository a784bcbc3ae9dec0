using HwGen.Designs.Ice40;
using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="LoadableCounter"/>: built from <c>SB_LUT4</c> and <c>SB_CARRY</c> it is one logic cell a bit after Yosys
/// (as many LUTs and flip-flops as bits, one carry fewer, no flip-flop alone), its Verilog is clean with the models,
/// and the primitives' netlist counts, loads and wraps as the generic counter and a reference in the bench do, cycle
/// by cycle, under Verilator and Icarus. The models themselves are proved against Yosys' (<see cref="ModelEquivalenceTests"/>).
/// </summary>
[TestFixture]
public sealed class LoadableCounterTests
{
    /// <summary>The counter built both ways from the same inputs.</summary>
    private sealed class CounterPair : Module
    {
        public CounterPair(int width)
        {
            Data = In(width);
            Cells = Out(width);
            Generic = Out(width);
            cells = new LoadableCounter(width, cells: true);
            generic = new LoadableCounter(width, cells: false);
        }

        public readonly Signal Load = In(1);
        public readonly Signal Data;
        public readonly Signal CarryIn = In(1);
        public readonly Signal Cells;
        public readonly Signal Generic;
        private readonly LoadableCounter cells;
        private readonly LoadableCounter generic;

        protected override void Build()
        {
            foreach (var counter in new[] { cells, generic })
            {
                counter.Load.Set(Load);
                counter.Data.Set(Data);
                counter.CarryIn.Set(CarryIn);
            }
            Cells.Set(cells.Value);
            Generic.Set(generic.Value);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheVerilogIsLintCleanWithTheModels(bool cells) =>
        Ice40ModuleChecks.AssertLintClean(new LoadableCounter(32, cells), "lint-loadablecounter");

    [Test]
    public void TheBitTableLoadsOrAddsTheCarry()
    {
        for (int i = 0; i < 16; i++)
        {
            bool data = (i & 1) != 0, bit = (i & 2) != 0, load = (i & 4) != 0, carry = (i & 8) != 0;
            Assert.That((LoadableCounter.BitTable >> i & 1) != 0, Is.EqualTo(load ? data : bit ^ carry), $"I3..I0 = {Convert.ToString(i, 2)}");
        }
    }

    [Test]
    public void EachBitIsOneLutOneCarryAndOneFlipFlopThatPackTogether()
    {
        const int width = 32;
        var (cells, report) = Ice40ModuleChecks.Synthesize(new LoadableCounter(width, cells: true), "synth-loadablecounter");
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.EqualTo(width), report);
            Assert.That(cells.GetValueOrDefault("SB_CARRY"), Is.EqualTo(width - 1), report);
            Assert.That(cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value), Is.EqualTo(width), report);
        });

        using var scratch = new ScratchDirectory("pack-loadablecounter");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(new LoadableCounter(width, cells: true)), scratch.Combine("rtl"));
        var synth = scratch.Combine("synth");
        FpgaFlow.Synthesize(design.Directory, design.TopModule, synth);
        var lone = LoneFlipFlops.Read(File.ReadAllText(Path.Combine(synth, "design.json")), design.TopModule);
        Assert.That(lone.Alone, Is.Zero, $"{lone.Alone} of {lone.FlipFlops} flip-flops alone in a cell: {string.Join(", ", lone.Registers)}");
        scratch.Complete();
    }

    /// <summary>
    /// Random loads (one cycle in eight, runs of them too), random data (all ones often, so that the count wraps from
    /// it) and a carry in three cycles in four; every cycle both counters against a reference. Prints <c>PASS counter</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module LoadableCounter_tb;
            localparam integer W = WIDTH;
            reg clk = 1'b0;
            reg rst = 1'b1;
            reg Load = 1'b0;
            reg [W-1:0] Data = 0;
            reg CarryIn = 1'b0;
            wire [W-1:0] Cells;
            wire [W-1:0] Generic;
            reg [W-1:0] expected = 0;
            reg [31:0] bits;
            integer i;
            integer errors = 0;
            integer loads = 0;
            integer wraps = 0;
            reg [31:0] state = 32'h2545_F491;

            XORSHIFT32_NEXT

            TOP dut(.clk(clk), .rst(rst), .Load(Load), .Data(Data), .CarryIn(CarryIn), .Cells(Cells), .Generic(Generic));

            always #5 clk = ~clk;

            initial begin
                @(posedge clk);
                #1 rst = 1'b0;
                for (i = 0; i < 4000; i = i + 1) begin
                    next;
                    Load = bits[2:0] == 3'd0 || (Load && bits[3]);
                    Data = bits[5:4] == 2'd0 ? {W{1'b1}} : bits[6] ? {W{1'b1}} - {{(W-3){1'b0}}, bits[9:7]} : W'(state * 32'd2654435761);
                    CarryIn = bits[11:10] != 2'd0;
                    @(posedge clk);
                    if (Load) begin
                        expected = Data;
                        loads = loads + 1;
                    end else begin
                        if (CarryIn && expected == {W{1'b1}}) wraps = wraps + 1;
                        expected = expected + {{(W-1){1'b0}}, CarryIn};
                    end
                    #1;
                    if (Cells !== expected || Generic !== expected) begin
                        $display("FAIL counter: cycle %0d: cells %h, generic %h, expected %h", i, Cells, Generic, expected);
                        errors = errors + 1;
                    end
                end
                if (loads < 300 || wraps < 20) $fatal(1, "FAIL counter: only %0d loads and %0d wraps", loads, wraps);
                if (errors == 0) $display("PASS counter (%0d loads, %0d wraps)", loads, wraps);
                else $fatal(1, "FAIL counter: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator, 8)]
    [TestCase(Simulator.Icarus, 8)]
    [TestCase(Simulator.Verilator, 32)]
    public void ThePrimitivesCountLoadAndWrapAsTheGenericCounter(Simulator simulator, int width) =>
        Ice40ModuleChecks.AssertBenchPasses(simulator, new CounterPair(width), "LoadableCounter_tb", Bench, "PASS counter", $"bench-loadablecounter-{width}",
            bench => bench.Replace("WIDTH", width.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
}
