using HwGen.Designs.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>The models of <see cref="Ice40Models"/> under Verilator and Icarus: lint, and one bench of known results.</summary>
[TestFixture]
public sealed class ModelBenchTests
{
    [Test]
    public void EveryPrimitiveHasAModelFile()
    {
        Assert.That(Ice40Models.Files.Select(f => f.FileName),
            Is.EqualTo(new[] { "SB_CARRY.v", "SB_IO.v", "SB_LUT4.v", "SB_MAC16.v", "SB_PLL40_CORE.v", "SB_PLL40_PAD.v", "SB_SPRAM256KA.v" }));
        foreach (var (fileName, text) in Ice40Models.Files)
            Assert.That(text, Does.Contain("module " + fileName[..^2] + " ("), fileName);
        Assert.Throws<ArgumentException>(() => Ice40Models.Text("SB_RAM40_4K"));
    }

    [Test]
    public void TheModelsAreLintClean()
    {
        using var scratch = new ScratchDirectory("lint-ice40-models");
        foreach (var path in Ice40Models.WriteTo(scratch.Path))
        {
            var verilator = ToolRunner.Run(Gen.Tools.ExternalTools.Verilator, ["--lint-only", "-Wall", path], scratch.Path, TimeSpan.FromMinutes(2));
            Assert.That(verilator.Succeeded && verilator.Output.Length == 0, Is.True, verilator.ToString());
            var iverilog = ToolRunner.Run(Gen.Tools.ExternalTools.Iverilog, ["-g2012", "-o", "/dev/null", path], scratch.Path, TimeSpan.FromMinutes(2));
            Assert.That(iverilog.Succeeded && iverilog.Output.Length == 0, Is.True, iverilog.ToString());
        }
        scratch.Complete();
    }

    /// <summary>
    /// SPRAM: a full write, a nibble-masked overwrite, a read (the word appears after the edge and holds while
    /// CHIPSELECT is 0), and SLEEP clearing the output. MAC16: unsigned 0xFFFF * 0xFFFF through the
    /// combinational path, and signed -3 * 7 and -32768 * -32768 with every register (three clocks later).
    /// PLL: the output follows the reference clock and LOCK rises after RESETB. Prints <c>PASS ice40-models</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module Ice40Models_tb;
            reg clk = 1'b0;
            always #5 clk = ~clk;
            integer errors = 0;

            reg [13:0] address = 14'd0;
            reg [15:0] datain = 16'd0;
            reg [3:0] mask = 4'd0;
            reg wren = 1'b0, cs = 1'b0, sleep = 1'b0;
            wire [15:0] dataout;
            SB_SPRAM256KA ram(.ADDRESS(address), .DATAIN(datain), .MASKWREN(mask), .WREN(wren), .CHIPSELECT(cs),
                .CLOCK(clk), .STANDBY(1'b0), .SLEEP(sleep), .POWEROFF(1'b1), .DATAOUT(dataout));

            reg [15:0] a = 16'd0, b = 16'd0;
            wire [31:0] comb_o, piped_o;
            wire unused_co, unused_aco, unused_sx, unused_co2, unused_aco2, unused_sx2;
            SB_MAC16 #(.TOPOUTPUT_SELECT(3), .BOTOUTPUT_SELECT(3)) comb(
                .CLK(clk), .CE(1'b1), .C(16'd0), .A(a), .B(b), .D(16'd0), .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
                .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0), .OLOADTOP(1'b0), .OLOADBOT(1'b0),
                .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0), .OHOLDTOP(1'b0), .OHOLDBOT(1'b0), .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
                .O(comb_o), .CO(unused_co), .ACCUMCO(unused_aco), .SIGNEXTOUT(unused_sx));
            SB_MAC16 #(.TOPOUTPUT_SELECT(3), .BOTOUTPUT_SELECT(3), .A_SIGNED(1), .B_SIGNED(1), .A_REG(1), .B_REG(1),
                    .TOP_8x8_MULT_REG(1), .BOT_8x8_MULT_REG(1), .PIPELINE_16x16_MULT_REG1(1), .PIPELINE_16x16_MULT_REG2(1)) piped(
                .CLK(clk), .CE(1'b1), .C(16'd0), .A(a), .B(b), .D(16'd0), .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
                .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0), .OLOADTOP(1'b0), .OLOADBOT(1'b0),
                .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0), .OHOLDTOP(1'b0), .OHOLDBOT(1'b0), .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
                .O(piped_o), .CO(unused_co2), .ACCUMCO(unused_aco2), .SIGNEXTOUT(unused_sx2));

            reg resetb = 1'b0;
            wire pll_core, pll_global, lock, sdo;
            SB_PLL40_PAD #(.DIVR(0), .DIVF(79), .DIVQ(5), .FILTER_RANGE(1)) pll(.PACKAGEPIN(clk), .PLLOUTCORE(pll_core),
                .PLLOUTGLOBAL(pll_global), .EXTFEEDBACK(1'b0), .DYNAMICDELAY(8'd0), .LOCK(lock), .BYPASS(1'b0), .RESETB(resetb),
                .LATCHINPUTVALUE(1'b0), .SDO(sdo), .SDI(1'b0), .SCLK(1'b0));

            task automatic expect16(input [15:0] got, input [15:0] want, input [8*24-1:0] what);
                if (got !== want) begin
                    $display("FAIL ice40-models: %0s: %h, expected %h", what, got, want);
                    errors = errors + 1;
                end
            endtask

            task automatic expect32(input [31:0] got, input [31:0] want, input [8*24-1:0] what);
                if (got !== want) begin
                    $display("FAIL ice40-models: %0s: %h, expected %h", what, got, want);
                    errors = errors + 1;
                end
            endtask

            initial begin
                // SPRAM
                @(negedge clk); address = 14'h1234; datain = 16'hABCD; mask = 4'b1111; wren = 1'b1; cs = 1'b1;
                @(negedge clk); datain = 16'h5678; mask = 4'b0101;
                @(negedge clk); wren = 1'b0;
                @(negedge clk); cs = 1'b0; expect16(dataout, 16'hA6C8, "masked write");
                address = 14'h0000;
                @(negedge clk); expect16(dataout, 16'hA6C8, "held without chipselect");
                sleep = 1'b1; #1 expect16(dataout, 16'h0000, "sleep");
                sleep = 1'b0;
                // MAC16
                a = 16'hFFFF; b = 16'hFFFF; #1 expect32(comb_o, 32'hFFFE0001, "unsigned product");
                @(negedge clk); a = 16'hFFFD; b = 16'h0007;
                @(negedge clk); a = 16'h8000; b = 16'h8000;
                @(negedge clk); a = 16'h0000; b = 16'h0000;
                @(negedge clk); expect32(piped_o, 32'hFFFFFFEB, "signed -3 * 7");
                @(negedge clk); expect32(piped_o, 32'h40000000, "signed -32768 * -32768");
                // PLL
                if (lock !== 1'b0) begin $display("FAIL ice40-models: LOCK before RESETB"); errors = errors + 1; end
                resetb = 1'b1;
                repeat (5) @(negedge clk);
                if (lock !== 1'b1) begin $display("FAIL ice40-models: no LOCK"); errors = errors + 1; end
                #1 if (pll_global !== clk || pll_core !== clk) begin $display("FAIL ice40-models: PLL output"); errors = errors + 1; end
                if (errors == 0) $display("PASS ice40-models");
                else $fatal(1, "FAIL ice40-models: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void KnownResultsUnderBothSimulators(Simulator simulator)
    {
        using var scratch = new ScratchDirectory($"bench-ice40-models-{simulator.ToString().ToLowerInvariant()}");
        var result = ModelBench.Run(simulator, "Ice40Models_tb", Bench, [], scratch.Path);
        var report = $"files kept in {scratch.Path}\n{result.Report()}";
        Assert.That(result.Succeeded, Is.True, report);
        Assert.That(result.Lines, Does.Contain("PASS ice40-models"), report);
        scratch.Complete();
    }
}
