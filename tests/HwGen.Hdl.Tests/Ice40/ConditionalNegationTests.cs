using HwGen.Designs.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="ConditionalNegation"/>: built from <c>SB_LUT4</c> and <c>SB_CARRY</c> it is one LUT a bit beside the
/// carries after Yosys, its Verilog is clean with the models, and the primitives' netlist gives what the generic
/// negation and a reference in the bench give, for random values and the corners (0, 1, -1, -2^31), under Verilator
/// and Icarus.
/// </summary>
[TestFixture]
public sealed class ConditionalNegationTests
{
    /// <summary>The negation built both ways from the same inputs.</summary>
    private sealed class NegationPair : Module
    {
        public readonly Signal Value = In(32);
        public readonly Signal Negate = In(1);
        public readonly Signal Cells = Out(32);
        public readonly Signal Generic = Out(32);
        private readonly ConditionalNegation cells = new(32, cells: true);
        private readonly ConditionalNegation generic = new(32, cells: false);

        protected override void Build()
        {
            foreach (var negation in new[] { cells, generic })
            {
                negation.Value.Set(Value);
                negation.Negate.Set(Negate);
            }
            Cells.Set(cells.Result);
            Generic.Set(generic.Result);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheVerilogIsLintCleanWithTheModels(bool cells) =>
        Ice40ModuleChecks.AssertLintClean(new ConditionalNegation(32, cells), "lint-conditionalnegation");

    [Test]
    public void TheBitTableIsTheBitXorTheCarry()
    {
        for (int i = 0; i < 16; i++)
        {
            bool bit = (i & 2) != 0, carry = (i & 8) != 0;
            Assert.That((ConditionalNegation.BitTable >> i & 1) != 0, Is.EqualTo(bit ^ carry), $"I3..I0 = {Convert.ToString(i, 2)}");
        }
    }

    [Test]
    public void EachBitIsOneLutBesideItsCarry()
    {
        const int width = 32;
        var (cells, report) = Ice40ModuleChecks.Synthesize(new ConditionalNegation(width, cells: true), "synth-conditionalnegation");
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.EqualTo(width), report);
            Assert.That(cells.GetValueOrDefault("SB_CARRY"), Is.EqualTo(width - 1), report);
        });
    }

    /// <summary>Random values (a corner one time in four), negated one time in two; each against the reference. Prints <c>PASS negation</c>.</summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module ConditionalNegation_tb;
            reg [31:0] Value = 0;
            reg Negate = 1'b0;
            wire [31:0] Cells;
            wire [31:0] Generic;
            reg [31:0] expected;
            reg [31:0] bits;
            integer i;
            integer errors = 0;
            reg [31:0] state = 32'h2545_F491;

            XORSHIFT32_NEXT

            TOP dut(.Value(Value), .Negate(Negate), .Cells(Cells), .Generic(Generic));

            initial begin
                for (i = 0; i < 4000; i = i + 1) begin
                    next;
                    Negate = bits[0];
                    case (bits[3:1])
                        3'd0: Value = 32'd0;
                        3'd1: Value = 32'd1;
                        3'd2: Value = 32'hFFFF_FFFF;
                        3'd3: Value = 32'h8000_0000;
                        default: Value = state * 32'd2654435761;
                    endcase
                    #1;
                    expected = Negate ? 32'd0 - Value : Value;
                    if (Cells !== expected || Generic !== expected) begin
                        $display("FAIL negation: %0d: value %h, negate %b: cells %h, generic %h, expected %h", i, Value, Negate,
                            Cells, Generic, expected);
                        errors = errors + 1;
                    end
                end
                if (errors == 0) $display("PASS negation");
                else $fatal(1, "FAIL negation: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void ThePrimitivesGiveWhatTheGenericNegationGives(Simulator simulator) =>
        Ice40ModuleChecks.AssertBenchPasses(simulator, new NegationPair(), "ConditionalNegation_tb", Bench, "PASS negation", "bench-conditionalnegation");
}
