using System.Text.Json;
using HwGen.Designs.Ice40;
using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="Mac16Counter"/>: in a DSP block it takes no logic cell, the FPGA flow keeps the block as configured beside a
/// multiplier Yosys infers (its DSP inference would rewrite it), its Verilog is clean with the models, and the block's
/// model counts, loads, carries from the low half into the high one and wraps as the generic counter and a reference in the
/// bench do, cycle by cycle, under Verilator and Icarus.
/// </summary>
[TestFixture]
public sealed class Mac16CounterTests
{
    /// <summary>The counter built both ways from the same inputs.</summary>
    private sealed class CounterPair : Module
    {
        public readonly Signal Load = In(1);
        public readonly Signal Data = In(Mac16Counter.Width);
        public readonly Signal CarryIn = In(1);
        public readonly Signal Cells = Out(Mac16Counter.Width);
        public readonly Signal Generic = Out(Mac16Counter.Width);
        public readonly Signal CellsCarry = Out(1);
        public readonly Signal GenericCarry = Out(1);
        private readonly Mac16Counter cells = new(cells: true);
        private readonly Mac16Counter generic = new(cells: false);

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
            CellsCarry.Set(cells.CarryOut);
            GenericCarry.Set(generic.CarryOut);
        }
    }

    /// <summary>The counter in its DSP block beside a registered 16 x 16 multiplication, which Yosys maps to another.</summary>
    private sealed class CounterBesideMultiplier : Module
    {
        public readonly Signal Load = In(1);
        public readonly Signal Data = In(Mac16Counter.Width);
        public readonly Signal CarryIn = In(1);
        public readonly Signal Value = Out(Mac16Counter.Width);
        public readonly Signal FactorA = In(16);
        public readonly Signal FactorB = In(16);
        public readonly Signal Product = Out(32);
        private readonly Signal product = Reg(32);
        private readonly Mac16Counter counter = new(cells: true);

        protected override void Build()
        {
            counter.Load.Set(Load);
            counter.Data.Set(Data);
            counter.CarryIn.Set(CarryIn);
            Value.Set(counter.Value);
            product.Set(FactorA * FactorB);
            Product.Set(product);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheVerilogIsLintCleanWithTheModels(bool cells) =>
        Ice40ModuleChecks.AssertLintClean(new Mac16Counter(cells), "lint-mac16counter");

    /// <summary>
    /// The flow's synthesis (<c>synth_ice40 -dsp</c>) leaves the counter's block with its own parameters, clock, load and
    /// carry in, where Yosys's DSP inference would have made it a multiplier; the multiplication beside it still takes a
    /// block of its own, and the counter takes no LUT and no flip-flop.
    /// </summary>
    [Test]
    public void TheFlowKeepsTheBlockAsConfiguredBesideAnInferredMultiplier()
    {
        using var scratch = new ScratchDirectory("synth-mac16counter");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(new CounterBesideMultiplier()), scratch.Combine("rtl"));
        var synth = scratch.Combine("synth");
        var cells = FpgaFlow.Synthesize(design.Directory, design.TopModule, synth);
        var report = $"files kept in {scratch.Path}; cells: {string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"))}";
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_MAC16"), Is.EqualTo(2), report);
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.Zero, report);
            Assert.That(cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value), Is.Zero, report);
        });

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(synth, "design.json")));
        var top = json.RootElement.GetProperty("modules").GetProperty(design.TopModule);
        var ports = top.GetProperty("ports");
        JsonElement Bits(string port) => ports.GetProperty(port).GetProperty("bits");
        var blocks = top.GetProperty("cells").EnumerateObject().Where(c => c.Value.GetProperty("type").GetString() == "SB_MAC16").ToArray();
        var counter = blocks.Where(b => b.Value.GetProperty("connections").GetProperty("OLOADTOP")[0].ToString() == Bits("Load")[0].ToString()).ToArray();
        Assert.That(counter, Has.Length.EqualTo(1), $"one block loads from the counter's Load port\n{report}");
        var block = counter[0].Value;
        var parameters = block.GetProperty("parameters");
        foreach (var (name, expected) in Mac16Counter.Options.ToParameters())
        {
            var text = parameters.GetProperty(name).GetString()!;
            Assert.That(Convert.ToInt32(text, 2), Is.EqualTo(expected), $"{name} = {text}\n{report}");
        }
        var connections = block.GetProperty("connections");
        Assert.Multiple(() =>
        {
            Assert.That(connections.GetProperty("CLK")[0].ToString(), Is.EqualTo(Bits("clk")[0].ToString()), "the block's clock");
            Assert.That(connections.GetProperty("OLOADBOT")[0].ToString(), Is.EqualTo(Bits("Load")[0].ToString()), "the bottom half's load");
            Assert.That(connections.GetProperty("B")[0].ToString(), Is.EqualTo(Bits("CarryIn")[0].ToString()), "the carry in, B[0]");
            Assert.That(connections.GetProperty("ORSTTOP")[0].ToString(), Is.EqualTo(Bits("rst")[0].ToString()), "the reset");
        });
        scratch.Complete();
    }

    /// <summary>
    /// Random loads (one cycle in eight, runs of them too) of the data of the cycle before, random data (the low half
    /// all ones often, so that the count carries into the high half, and all ones, so that it wraps) and a carry in three
    /// cycles in four; every cycle both counters and their carries out against a reference. Prints <c>PASS counter</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module Mac16Counter_tb;
            reg clk = 1'b0;
            reg rst = 1'b1;
            reg Load = 1'b0;
            reg [31:0] Data = 0;
            reg CarryIn = 1'b0;
            wire [31:0] Cells;
            wire [31:0] Generic;
            wire CellsCarry;
            wire GenericCarry;
            reg carryExpected;
            reg [31:0] expected = 0;
            reg [31:0] previousData = 0;
            reg [31:0] bits;
            integer i;
            integer errors = 0;
            integer loads = 0;
            integer halfCarries = 0;
            integer wraps = 0;
            reg [31:0] state = 32'h2545_F491;

            XORSHIFT32_NEXT

            TOP dut(.clk(clk), .rst(rst), .Load(Load), .Data(Data), .CarryIn(CarryIn), .Cells(Cells), .Generic(Generic),
                .CellsCarry(CellsCarry), .GenericCarry(GenericCarry));

            always #5 clk = ~clk;

            initial begin
                @(posedge clk);
                @(posedge clk);
                #1;
                if (Cells !== 32'd0 || Generic !== 32'd0) begin
                    $display("FAIL counter: after reset: cells %h, generic %h", Cells, Generic);
                    errors = errors + 1;
                end
                rst = 1'b0;
                for (i = 0; i < 4000; i = i + 1) begin
                    previousData = Data;
                    next;
                    Load = bits[2:0] == 3'd0 || (Load && bits[3]);
                    Data = bits[5:4] == 2'd0 ? 32'hFFFF_FFFF - {29'd0, bits[9:7]}
                         : bits[6] ? {state[31:16] * 16'd40503, 16'hFFFF - {13'd0, bits[9:7]}}
                         : state * 32'd2654435761;
                    CarryIn = bits[11:10] != 2'd0;
                    #1;
                    // The carry out is the count's, whether or not the counter loads.
                    carryExpected = CarryIn && expected == 32'hFFFF_FFFF;
                    if (CellsCarry !== carryExpected || GenericCarry !== carryExpected) begin
                        $display("FAIL counter: cycle %0d: carry out cells %b, generic %b, expected %b", i, CellsCarry, GenericCarry, carryExpected);
                        errors = errors + 1;
                    end
                    @(posedge clk);
                    if (Load) begin
                        expected = previousData;
                        loads = loads + 1;
                    end else begin
                        if (CarryIn && expected[15:0] == 16'hFFFF) halfCarries = halfCarries + 1;
                        if (CarryIn && expected == 32'hFFFF_FFFF) wraps = wraps + 1;
                        expected = expected + {31'd0, CarryIn};
                    end
                    #1;
                    if (Cells !== expected || Generic !== expected) begin
                        $display("FAIL counter: cycle %0d: cells %h, generic %h, expected %h", i, Cells, Generic, expected);
                        errors = errors + 1;
                    end
                end
                if (loads < 300 || halfCarries < 40 || wraps < 20)
                    $fatal(1, "FAIL counter: only %0d loads, %0d carries into the high half and %0d wraps", loads, halfCarries, wraps);
                if (errors == 0) $display("PASS counter (%0d loads, %0d carries into the high half, %0d wraps)", loads, halfCarries, wraps);
                else $fatal(1, "FAIL counter: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void TheBlockCountsLoadsCarriesAndWrapsAsTheGenericCounter(Simulator simulator) =>
        Ice40ModuleChecks.AssertBenchPasses(simulator, new CounterPair(), "Mac16Counter_tb", Bench, "PASS counter", "bench-mac16counter");
}
