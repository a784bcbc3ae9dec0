using HwGen.Designs.Ice40;
using HwGen.Designs.Riscv;
using HwGen.Hdl.Tests.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// <see cref="LinkSelect"/>: built from <c>SB_LUT4</c> and <c>SB_CARRY</c> it takes one LUT a bit and the increment's
/// carries after Yosys (the choice of mepc costs no LUT of its own), its Verilog is clean with the models, and the
/// primitives' netlist gives what the generic link and a reference in the bench give, for random values and for the
/// increment's carries through every bit, under Verilator and Icarus.
/// </summary>
[TestFixture]
public sealed class LinkSelectTests
{
    /// <summary>The link built both ways from the same inputs.</summary>
    private sealed class LinkPair : Module
    {
        public readonly Signal Pc = In(32);
        public readonly Signal Other = In(32);
        public readonly Signal TakeOther = In(1);
        public readonly Signal Cells = Out(32);
        public readonly Signal Generic = Out(32);
        private readonly LinkSelect cells = new(cells: true);
        private readonly LinkSelect generic = new(cells: false);

        protected override void Build()
        {
            foreach (var link in new[] { cells, generic })
            {
                link.Pc.Set(Pc);
                link.Other.Set(Other);
                link.TakeOther.Set(TakeOther);
            }
            Cells.Set(cells.Link);
            Generic.Set(generic.Link);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheVerilogIsLintCleanWithTheModels(bool cells) =>
        Ice40ModuleChecks.AssertLintClean(new LinkSelect(cells), "lint-linkselect");

    [Test]
    public void EachBitAboveTheIncrementIsOneLutBesideTheIncrementsCarry()
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new LinkSelect(cells: true), "synth-linkselect");
        Assert.Multiple(() =>
        {
            // Bits 31..2: a LUT each; bits 1..0: the choice alone, a LUT each.
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.EqualTo(32), report);
            Assert.That(cells.GetValueOrDefault("SB_CARRY"), Is.EqualTo(31 - LinkSelect.IncrementBit), report);
        });
    }

    /// <summary>
    /// Random inputs, pcs that carry through many bits (runs of ones from bit 2 up) and mret one time in four; each
    /// against the reference. Prints <c>PASS link</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module LinkSelect_tb;
            reg [31:0] Pc = 0;
            reg [31:0] Other = 0;
            reg TakeOther = 1'b0;
            wire [31:0] Cells;
            wire [31:0] Generic;
            reg [31:0] expected;
            reg [31:0] bits;
            integer i;
            integer errors = 0;
            integer carries = 0;
            reg [31:0] state = 32'h2545_F491;

            XORSHIFT32_NEXT

            TOP dut(.Pc(Pc), .Other(Other), .TakeOther(TakeOther), .Cells(Cells), .Generic(Generic));

            initial begin
                for (i = 0; i < 4000; i = i + 1) begin
                    next;
                    TakeOther = bits[1:0] == 2'd0;
                    // One pc in four is ones from bit 2 up to a random bit, so that the increment carries that far.
                    Pc = bits[3:2] == 2'd0 ? ((32'hFFFF_FFFF >> bits[8:4]) & 32'hFFFF_FFFC) | (bits & 32'h3) : state * 32'd2654435761;
                    next;
                    Other = bits;
                    #1;
                    expected = TakeOther ? Other : Pc + 32'd4;
                    if (!TakeOther && Pc[31:2] == 30'h3FFF_FFFF) carries = carries + 1;
                    if (Cells !== expected || Generic !== expected) begin
                        $display("FAIL link: %0d: pc %h, other %h, take %b: cells %h, generic %h, expected %h", i, Pc, Other, TakeOther,
                            Cells, Generic, expected);
                        errors = errors + 1;
                    end
                end
                if (carries < 5) $fatal(1, "FAIL link: only %0d carries through every bit", carries);
                if (errors == 0) $display("PASS link (%0d carries through every bit)", carries);
                else $fatal(1, "FAIL link: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void ThePrimitivesGiveWhatTheGenericLinkGives(Simulator simulator) =>
        Ice40ModuleChecks.AssertBenchPasses(simulator, new LinkPair(), "LinkSelect_tb", Bench, "PASS link", "bench-linkselect");
}
