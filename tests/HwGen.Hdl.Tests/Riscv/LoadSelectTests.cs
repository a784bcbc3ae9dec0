using System.Text.Json;
using HwGen.Designs.Riscv;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// <see cref="LoadSelect"/>: built from <c>SB_LUT4</c> instances its Verilog is clean with the models, every bit is two
/// LUT levels after the bus's word, and the primitives' netlist gives what the generic select and a reference in the
/// bench give, for every load's size, sign and offset and for no load, on random words, under Verilator and Icarus.
/// </summary>
[TestFixture]
public sealed class LoadSelectTests
{
    /// <summary>The load select built both ways from the same inputs.</summary>
    private sealed class LoadPair : Module
    {
        public readonly Signal Word = In(32);
        public readonly Signal Result = In(32);
        public readonly Signal Load = In(1);
        public readonly Signal Funct3 = In(3);
        public readonly Signal Cells = Out(32);
        public readonly Signal Generic = Out(32);
        private readonly LoadSelect cells = new(cells: true);
        private readonly LoadSelect generic = new(cells: false);

        protected override void Build()
        {
            foreach (var select in new[] { cells, generic })
            {
                select.Word.Set(Word);
                select.Result.Set(Result);
                select.Load.Set(Load);
                select.Funct3.Set(Funct3);
            }
            Cells.Set(cells.Value);
            Generic.Set(generic.Value);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheVerilogIsLintCleanWithTheModels(bool cells) =>
        Ice40ModuleChecks.AssertLintClean(new LoadSelect(cells), "lint-loadselect");

    /// <summary>
    /// Synthesised by Yosys (<c>synth_ice40</c>) the value takes its 77 LUT instances and the selects' few LUTs, and no
    /// output bit is more than two LUTs after a bit of the bus's word but the second byte's, three (the depth counted
    /// over the netlist's LUTs, from the word's bits): the mapper keeps the structure, and a select formed after the
    /// word would fail it.
    /// </summary>
    [Test]
    public void EachBitIsTwoLutsAfterTheWord()
    {
        using var scratch = new ScratchDirectory("synth-loadselect");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(new LoadSelect(cells: true)), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -top {design.TopModule}; write_json netlist.json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(5));
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "netlist.json")));
        var top = json.RootElement.GetProperty("modules").GetProperty(design.TopModule);
        // A port's bits are its "bits"; a cell's connection is the array of bits itself (numbers, or "0"/"1" for constants).
        static int[] Bits(JsonElement e) => [.. (e.ValueKind == JsonValueKind.Array ? e : e.GetProperty("bits")).EnumerateArray().Where(b => b.ValueKind == JsonValueKind.Number).Select(b => b.GetInt32())];
        var ports = top.GetProperty("ports");
        var depth = Bits(ports.GetProperty("Word")).ToDictionary(b => b, _ => 0);
        var luts = top.GetProperty("cells").EnumerateObject().Select(c => c.Value).Where(c => c.GetProperty("type").GetString() == "SB_LUT4")
            .Select(c => (Inputs: new[] { "I0", "I1", "I2", "I3" }.SelectMany(i => Bits(c.GetProperty("connections").GetProperty(i))).ToArray(),
                Output: Bits(c.GetProperty("connections").GetProperty("O"))[0])).ToList();
        Assert.That(luts, Has.Count.InRange(77, 77 + 16), "the instances and the selects' LUTs");
        // The LUTs' depth after the word, to a fixed point (the netlist has no loop).
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (inputs, output) in luts)
            {
                var after = inputs.Where(depth.ContainsKey).Select(b => depth[b] + 1).DefaultIfEmpty(0).Max();
                if (after > 0 && (!depth.TryGetValue(output, out var known) || known < after))
                {
                    depth[output] = after;
                    changed = true;
                }
            }
        }
        var value = Bits(ports.GetProperty("Value"));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < 32; i++)
                Assert.That(depth.GetValueOrDefault(value[i]), Is.InRange(1, i is >= 8 and < 16 ? 3 : 2), $"bit {i} of the value, LUTs after the word");
        });
        scratch.Complete();
    }

    /// <summary>
    /// Random words and results; every funct3 of a load (LB, LH, LW, LBU, LHU) at every aligned offset, and no load.
    /// Each against the reference. Prints <c>PASS loads</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module LoadSelect_tb;
            reg [31:0] Word = 0;
            reg [31:0] Result = 0;
            reg Load = 1'b0;
            reg [2:0] Funct3 = 0;
            wire [31:0] Cells;
            wire [31:0] Generic;
            reg [31:0] expected;
            reg [7:0] b;
            reg [15:0] h;
            reg [31:0] bits;
            integer i;
            integer errors = 0;
            integer checked = 0;
            reg [31:0] state = 32'h3A61_9C07;

            XORSHIFT32_NEXT

            TOP dut(.Word(Word), .Result(Result), .Load(Load), .Funct3(Funct3), .Cells(Cells), .Generic(Generic));

            initial begin
                for (i = 0; i < 20000; i = i + 1) begin
                    next; Word = bits;
                    next; Result = bits;
                    next;
                    Load = bits[0];
                    Funct3 = bits[3:1];
                    // An aligned access of the size: a word at 0, a halfword at 0 or 2.
                    if (Load) begin
                        if (Funct3[1:0] == 2'd3 || Funct3 == 3'b110) Funct3 = 3'b010;
                        if (Funct3[1:0] == 2'd2) Result[1:0] = 2'd0;
                        if (Funct3[1:0] == 2'd1) Result[0] = 1'b0;
                    end
                    #1;
                    b = Word >> (8 * Result[1:0]);
                    h = Word >> (8 * Result[1:0]);
                    if (!Load) expected = Result;
                    else case (Funct3)
                        3'b000: expected = {{24{b[7]}}, b};
                        3'b001: expected = {{16{h[15]}}, h};
                        3'b010: expected = Word;
                        3'b100: expected = {24'd0, b};
                        default: expected = {16'd0, h};
                    endcase
                    checked = checked + 1;
                    if (Cells !== expected || Generic !== expected) begin
                        $display("FAIL loads: %0d: load %b funct3 %b offset %0d word %h: cells %h, generic %h, expected %h",
                            i, Load, Funct3, Result[1:0], Word, Cells, Generic, expected);
                        errors = errors + 1;
                    end
                end
                if (errors == 0) $display("PASS loads");
                else $fatal(1, "FAIL loads: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void ThePrimitivesGiveWhatTheGenericSelectGives(Simulator simulator) =>
        Ice40ModuleChecks.AssertBenchPasses(simulator, new LoadPair(), "LoadSelect_tb", Bench, "PASS loads", "bench-loadselect");
}
