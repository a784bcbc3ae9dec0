using System.Text.Json;
using HwGen.Designs.Ice40;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="SpramRam"/>: clean Verilog, mapped by Yosys to SPRAM blocks and (nearly) nothing else, and a
/// random bench with the models of <see cref="Ice40Models"/> under Verilator and Icarus.
/// </summary>
[TestFixture]
public sealed class SpramRamTests
{
    /// <summary>verilator -Wall and iverilog print nothing for the design with the models as its primitives.</summary>
    [TestCase(64)]
    [TestCase(128)]
    public void TheVerilogIsLintCleanWithTheModels(int kibibytes) => Ice40ModuleChecks.AssertLintClean(new SpramRam(kibibytes), "lint-spramram");

    [TestCase(64, 2, 0)]
    [TestCase(128, 4, 40)]
    public void YosysMapsItToSpramBlocksAndAlmostNoLogic(int kibibytes, int blocks, int maxLuts)
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new SpramRam(kibibytes), "synth-spramram");
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_SPRAM256KA"), Is.EqualTo(blocks), report);
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.LessThanOrEqualTo(maxLuts), report);
            Assert.That(cells.Keys.Where(k => k.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(k => cells[k]), Is.LessThanOrEqualTo(kibibytes / 64 - 1), report);
            Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.Zero, report);
        });
    }

    /// <summary>
    /// Random writes with random byte masks into a window of addresses (so words are written several times),
    /// tracked in a reference memory, then a read of every word of the window; reads interleaved with the
    /// writes check a word the cycle after its read. Prints <c>PASS spramram</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module SpramRam_tb;
            localparam integer WORDS = 64;
            reg clk = 1'b0;
            reg [ADDRESS_BITS-1:0] Address = 0;
            reg Enable = 1'b0;
            reg Write = 1'b0;
            reg [3:0] Mask = 4'd0;
            reg [31:0] Wdata = 32'd0;
            wire [31:0] Rdata;
            reg [31:0] expected [0:WORDS-1];
            integer i;
            integer errors = 0;
            integer seed = 7;
            reg [31:0] bits;
            reg [ADDRESS_BITS-1:0] base;

            TOP dut(.clk(clk), .Address(Address), .Enable(Enable), .Write(Write), .Mask(Mask), .Wdata(Wdata), .Rdata(Rdata));

            always #5 clk = ~clk;

            task automatic access(input integer index, input w, input [3:0] m, input [31:0] d);
                begin
                    Address = base + index[ADDRESS_BITS-1:0];
                    Enable = 1'b1;
                    Write = w;
                    Mask = m;
                    Wdata = d;
                    @(posedge clk);
                    #1;
                    Enable = 1'b0;
                    Write = 1'b0;
                end
            endtask

            task automatic check(input integer index);
                begin
                    access(index, 1'b0, 4'd0, 32'd0);
                    if (Rdata !== expected[index]) begin
                        $display("FAIL spramram: word %0d read %h, expected %h", index, Rdata, expected[index]);
                        errors = errors + 1;
                    end
                end
            endtask

            initial begin
                // The top of the address space, so that the bank select of the 128 KiB RAM is exercised too.
                base = {ADDRESS_BITS{1'b1}} - WORDS[ADDRESS_BITS-1:0] + 1;
                repeat (2) @(posedge clk);
                for (i = 0; i < WORDS; i = i + 1) begin
                    expected[i] = 32'h0;
                    access(i, 1'b1, 4'b1111, 32'h0);
                end
                for (i = 0; i < 600; i = i + 1) begin
                    bits = $random(seed);
                    if (bits[0]) begin
                        check(bits[11:6]);
                    end else begin
                        Wdata = $random(seed);
                        if (bits[1]) expected[bits[11:6]][7:0] = Wdata[7:0];
                        if (bits[2]) expected[bits[11:6]][15:8] = Wdata[15:8];
                        if (bits[3]) expected[bits[11:6]][23:16] = Wdata[23:16];
                        if (bits[4]) expected[bits[11:6]][31:24] = Wdata[31:24];
                        access(bits[11:6], 1'b1, bits[4:1], Wdata);
                    end
                end
                for (i = 0; i < WORDS; i = i + 1)
                    check(i);
                if (errors == 0) $display("PASS spramram");
                else $fatal(1, "FAIL spramram: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    private static IEnumerable<TestCaseData> BenchCases() =>
        from kib in new[] { 64, 128 }
        from simulator in Enum.GetValues<Simulator>()
        select new TestCaseData(kib, simulator).SetArgDisplayNames($"{kib}KiB", simulator.ToString());

    [TestCaseSource(nameof(BenchCases))]
    public void RandomMaskedWritesReadBackWithTheModels(int kibibytes, Simulator simulator)
    {
        var ram = new SpramRam(kibibytes);
        Ice40ModuleChecks.AssertBenchPasses(simulator, ram, "SpramRam_tb", Bench, "PASS spramram", "bench-spramram",
            bench => bench.Replace("localparam integer WORDS = 64;", $"localparam integer WORDS = 64;\n    localparam integer ADDRESS_BITS = {ram.Address.Width};", StringComparison.Ordinal));
    }
}
