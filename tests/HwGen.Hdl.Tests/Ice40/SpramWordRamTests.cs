using HwGen.Designs.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="SpramWordRam"/> (32-bit words in one SPRAM block, two cycles an access): clean Verilog, one SPRAM block
/// and a little logic after Yosys, and a random bench with the models of <see cref="Ice40Models"/> under Verilator and
/// Icarus that checks the words, the byte masks and the wait cycle.
/// </summary>
[TestFixture]
public sealed class SpramWordRamTests
{
    [Test]
    public void TheVerilogIsLintCleanWithTheModels() => Ice40ModuleChecks.AssertLintClean(new SpramWordRam(), "lint-spramwordram");

    [Test]
    public void TheHeldWriteDataVariantIsLintCleanAndHasNoCopyOfTheHighHalf()
    {
        Ice40ModuleChecks.AssertLintClean(new SpramWordRam(writeDataHeld: true), "lint-spramwordram-held");
        var (latched, latchedReport) = Ice40ModuleChecks.Synthesize(new SpramWordRam(), "synth-spramwordram-latched");
        var (held, heldReport) = Ice40ModuleChecks.Synthesize(new SpramWordRam(writeDataHeld: true), "synth-spramwordram-held");
        static int FlipFlops(IReadOnlyDictionary<string, int> cells) => cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value);
        Assert.Multiple(() =>
        {
            Assert.That(held.GetValueOrDefault("SB_SPRAM256KA"), Is.EqualTo(1), heldReport);
            Assert.That(FlipFlops(held), Is.EqualTo(FlipFlops(latched) - 16), $"{heldReport}\n{latchedReport}");
        });
    }

    [Test]
    public void TheHeldAddressVariantIsLintCleanAndHasNoCopyOfTheAddress()
    {
        Ice40ModuleChecks.AssertLintClean(new SpramWordRam(writeDataHeld: true, addressHeld: true), "lint-spramwordram-address");
        var (latched, latchedReport) = Ice40ModuleChecks.Synthesize(new SpramWordRam(writeDataHeld: true), "synth-spramwordram-data-held");
        var (held, heldReport) = Ice40ModuleChecks.Synthesize(new SpramWordRam(writeDataHeld: true, addressHeld: true), "synth-spramwordram-address-held");
        static int Count(IReadOnlyDictionary<string, int> cells, string prefix) => cells.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);
        Assert.Multiple(() =>
        {
            Assert.That(held.GetValueOrDefault("SB_SPRAM256KA"), Is.EqualTo(1), heldReport);
            Assert.That(Count(held, "SB_DFF"), Is.EqualTo(Count(latched, "SB_DFF") - 13), $"{heldReport}\n{latchedReport}");
            // The address's multiplexer goes with its copy.
            Assert.That(Count(held, "SB_LUT4"), Is.LessThanOrEqualTo(Count(latched, "SB_LUT4") - 13), $"{heldReport}\n{latchedReport}");
        });
    }

    [Test]
    public void YosysMapsItToOneSpramBlockAndALittleLogic()
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new SpramWordRam(), "synth-spramwordram");
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_SPRAM256KA"), Is.EqualTo(1), report);
            Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.Zero, report);
            // The half-word multiplexers (address, data, mask, write) and the registers of the second half.
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.LessThanOrEqualTo(40), report);
        });
    }

    /// <summary>
    /// Random writes with random byte masks into two windows (the bottom and the top of the address space, so that the
    /// word-to-half-word addressing is exercised at both ends and neighbouring words alias if it is wrong), tracked in a
    /// reference memory, reads interleaved, then a read of every word; each access checks Wait 1 in its second cycle and
    /// 0 in its third, where the word read is compared; a quiet unit's read data must be 0 in the second cycle and after
    /// a write. Prints <c>PASS spramwordram</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module SpramWordRam_tb;
            localparam integer WORDS = 64;
            reg clk = 1'b0;
            reg [12:0] Address = 0;
            reg Select = 1'b0;
            reg Write = 1'b0;
            reg [3:0] Mask = 4'd0;
            reg [31:0] Wdata = 32'd0;
            wire [31:0] Rdata;
            wire Wait;
            reg [31:0] expected [0:2*WORDS-1];
            integer i;
            integer errors = 0;
            integer seed = 11;
            reg [31:0] bits;

            TOP dut(.clk(clk), .Address(Address), .Select(Select), .Write(Write), .Mask(Mask), .Wdata(Wdata), .Rdata(Rdata), .Wait(Wait));

            always #5 clk = ~clk;

            // Word index i of the reference: the first WORDS at the bottom, the others at the top of the RAM.
            function automatic [12:0] address_of(input integer index);
                address_of = index < WORDS ? index[12:0] : 13'h1FFF - WORDS[12:0] + 1 + (index[12:0] - WORDS[12:0]);
            endfunction

            task automatic access(input integer index, input w, input [3:0] m, input [31:0] d);
                begin
                    Address = address_of(index);
                    Select = 1'b1;
                    Write = w;
                    Mask = m;
                    Wdata = d;
                    @(posedge clk);
                    #1;
                    Select = 1'b0;
                    Write = 1'b0;
                    if (!HOLD_WDATA) Wdata = 32'hDEAD_BEEF;
                    if (!HOLD_ADDRESS) Address = ~Address;
                    Mask = 4'b1111;
                    if (Wait !== 1'b1) begin
                        $display("FAIL spramwordram: Wait %b in the second cycle of an access", Wait);
                        errors = errors + 1;
                    end
                    if (QUIET && Rdata !== 32'h0) begin
                        $display("FAIL spramwordram: a quiet unit reads %h in the second cycle of an access", Rdata);
                        errors = errors + 1;
                    end
                    @(posedge clk);
                    #1;
                    if (Wait !== 1'b0) begin
                        $display("FAIL spramwordram: Wait %b in the third cycle of an access", Wait);
                        errors = errors + 1;
                    end
                    if (QUIET && w && Rdata !== 32'h0) begin
                        $display("FAIL spramwordram: a quiet unit reads %h after a write", Rdata);
                        errors = errors + 1;
                    end
                end
            endtask

            task automatic check(input integer index);
                begin
                    access(index, 1'b0, 4'd0, 32'd0);
                    if (Rdata !== expected[index]) begin
                        $display("FAIL spramwordram: word %0d read %h, expected %h", index, Rdata, expected[index]);
                        errors = errors + 1;
                    end
                end
            endtask

            initial begin
                repeat (2) @(posedge clk);
                for (i = 0; i < 2 * WORDS; i = i + 1) begin
                    expected[i] = 32'h0;
                    access(i, 1'b1, 4'b1111, 32'h0);
                end
                for (i = 0; i < 800; i = i + 1) begin
                    bits = $random(seed);
                    if (bits[0]) begin
                        check(bits[12:6]);
                    end else begin
                        Wdata = $random(seed);
                        if (bits[1]) expected[bits[12:6]][7:0] = Wdata[7:0];
                        if (bits[2]) expected[bits[12:6]][15:8] = Wdata[15:8];
                        if (bits[3]) expected[bits[12:6]][23:16] = Wdata[23:16];
                        if (bits[4]) expected[bits[12:6]][31:24] = Wdata[31:24];
                        access(bits[12:6], 1'b1, bits[4:1], Wdata);
                    end
                end
                for (i = 0; i < 2 * WORDS; i = i + 1)
                    check(i);
                if (errors == 0) $display("PASS spramwordram");
                else $fatal(1, "FAIL spramwordram: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator, false, false, false)]
    [TestCase(Simulator.Icarus, false, false, false)]
    [TestCase(Simulator.Verilator, true, false, false)]
    [TestCase(Simulator.Icarus, true, false, false)]
    [TestCase(Simulator.Verilator, true, true, false)]
    [TestCase(Simulator.Icarus, true, true, false)]
    [TestCase(Simulator.Verilator, true, true, true)]
    [TestCase(Simulator.Icarus, true, true, true)]
    public void RandomMaskedWritesReadBackWithTheModels(Simulator simulator, bool writeDataHeld, bool addressHeld, bool quiet)
    {
        using var scratch = new ScratchDirectory($"bench-spramwordram-{simulator.ToString().ToLowerInvariant()}{(writeDataHeld ? "-held" : "")}{(addressHeld ? "-address" : "")}{(quiet ? "-quiet" : "")}");
        var design = EmittedDesign.Emit(new SpramWordRam(writeDataHeld, addressHeld, quiet: quiet), scratch.Combine("rtl"));
        // Without writeDataHeld the bench scribbles over Wdata in a write's second cycle (the unit must have latched
        // the high half); with it, Wdata keeps the word, as the master promises. Likewise the address (its complement,
        // another word) without addressHeld.
        var bench = Bench.Replace("TOP dut", design.TopModule + " dut", StringComparison.Ordinal)
            .Replace("HOLD_WDATA", writeDataHeld ? "1'b1" : "1'b0", StringComparison.Ordinal)
            .Replace("HOLD_ADDRESS", addressHeld ? "1'b1" : "1'b0", StringComparison.Ordinal)
            .Replace("QUIET", quiet ? "1'b1" : "1'b0", StringComparison.Ordinal);
        var result = ModelBench.Run(simulator, "SpramWordRam_tb", bench, [.. design.VerilogPaths], scratch.Combine("build"));
        var report = $"files kept in {scratch.Path}\n{result.Report()}";
        Assert.That(result.Succeeded, Is.True, report);
        Assert.That(result.Lines, Does.Contain("PASS spramwordram"), report);
        scratch.Complete();
    }

    /// <summary>
    /// The bench's random writes as a core's stores with the value unplaced: a byte (one lane, the value in Wdata's bits
    /// 7..0), an aligned halfword (lanes 1..0 or 3..2, the value in bits 15..0) or the word; the reference takes the
    /// value in the lanes written.
    /// </summary>
    private const string UnplacedWrites = """
                        Wdata = $random(seed);
                        word = expected[bits[12:6]];
                        case (bits[2:1])
                            2'd0: begin
                                lanes = 4'b0001 << bits[4:3];
                                word[8 * bits[4:3] +: 8] = Wdata[7:0];
                            end
                            2'd1: begin
                                lanes = bits[4] ? 4'b1100 : 4'b0011;
                                word[16 * bits[4] +: 16] = Wdata[15:0];
                            end
                            default: begin
                                lanes = 4'b1111;
                                word = Wdata;
                            end
                        endcase
                        expected[bits[12:6]] = word;
                        access(bits[12:6], 1'b1, lanes, Wdata);
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void UnplacedStoreValuesLandInTheirLanesWithTheModels(Simulator simulator)
    {
        using var scratch = new ScratchDirectory($"bench-spramwordram-unplaced-{simulator.ToString().ToLowerInvariant()}");
        var design = EmittedDesign.Emit(new SpramWordRam(writeDataHeld: true, addressHeld: true, valueUnplaced: true), scratch.Combine("rtl"));
        int start = Bench.IndexOf("Wdata = $random(seed);", StringComparison.Ordinal);
        int end = Bench.IndexOf("access(bits[12:6], 1'b1, bits[4:1], Wdata);", StringComparison.Ordinal) + "access(bits[12:6], 1'b1, bits[4:1], Wdata);".Length;
        var bench = (Bench[..start] + UnplacedWrites.Trim() + Bench[end..])
            .Replace("reg [31:0] bits;", "reg [31:0] bits;\n    reg [31:0] word;\n    reg [3:0] lanes;", StringComparison.Ordinal)
            .Replace("TOP dut", design.TopModule + " dut", StringComparison.Ordinal)
            .Replace("HOLD_WDATA", "1'b1", StringComparison.Ordinal)
            .Replace("HOLD_ADDRESS", "1'b1", StringComparison.Ordinal)
            .Replace("QUIET", "1'b0", StringComparison.Ordinal);
        var result = ModelBench.Run(simulator, "SpramWordRam_tb", bench, [.. design.VerilogPaths], scratch.Combine("build"));
        var report = $"files kept in {scratch.Path}\n{result.Report()}";
        Assert.That(result.Succeeded, Is.True, report);
        Assert.That(result.Lines, Does.Contain("PASS spramwordram"), report);
        scratch.Complete();
    }

    [Test]
    public void TheUnplacedValueVariantIsLintCleanAndNeedsHeldWriteData()
    {
        Ice40ModuleChecks.AssertLintClean(new SpramWordRam(writeDataHeld: true, addressHeld: true, valueUnplaced: true), "lint-spramwordram-unplaced");
        Assert.Throws<ArgumentException>(() => _ = new SpramWordRam(valueUnplaced: true));
    }
}