using System.Text.Json;
using HwGen.Gen.Fpga;
using HwGen.Gen.Tools;
using NUnit.Framework;

namespace HwGen.Cli.Tests.Fpga;

/// <summary>
/// <see cref="LoneFlipFlops"/>: on a module with one register of each kind, synthesised by Yosys, the registers it names
/// and their count, and the count against nextpnr-ice40's own packer (its lone flip-flops are the cells it names
/// <c>…_DFFLC</c>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LoneFlipFlopsTests
{
    /// <summary>
    /// <c>fromPort</c> is loaded from an input, <c>copied</c> from another register, <c>shared</c> from a LUT an output
    /// reads too: 4 lone flip-flops each. <c>packed</c> and <c>counter</c> have their own logic (a LUT, a carry's LUT)
    /// that reads nothing else: they pack.
    /// </summary>
    private const string Verilog = """
        module LoneTest(input wire clk, input wire [3:0] a, input wire [3:0] b, output wire [3:0] x, output wire [19:0] q);
            reg [3:0] fromPort;
            reg [3:0] copied;
            reg [3:0] packed;
            reg [3:0] shared;
            reg [3:0] counter;
            wire [3:0] mixed = a ^ b;
            always @(posedge clk) begin
                fromPort <= a;
                copied <= fromPort;
                packed <= a & b;
                shared <= mixed;
                counter <= counter + 4'd1;
            end
            assign x = mixed;
            assign q = {fromPort, copied, packed, shared, counter};
        endmodule
        """;

    [Test]
    public void RegistersLoadedWithoutALutOfTheirOwnAreLoneAndNextpnrAgrees()
    {
        using var temp = new TempDirectory();
        var verilog = temp.Combine("verilog");
        Directory.CreateDirectory(verilog);
        File.WriteAllText(Path.Combine(verilog, "LoneTest.v"), Verilog);
        var synth = temp.Combine("synth");
        var cells = FpgaFlow.Synthesize(verilog, "LoneTest", synth);
        var netlist = Path.Combine(synth, "design.json");
        var lone = LoneFlipFlops.Read(File.ReadAllText(netlist), "LoneTest");

        Assert.Multiple(() =>
        {
            Assert.That(lone.FlipFlops, Is.EqualTo(20).And.EqualTo(cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value)));
            Assert.That(lone.Registers.Select(r => (r.Name, r.Bits)),
                Is.EquivalentTo(new[] { ("fromPort", 4), ("copied", 4), ("shared", 4) }), string.Join(", ", lone.Registers));
            Assert.That(lone.Alone, Is.EqualTo(12));
        });

        Assert.That(lone.Alone, Is.EqualTo(NextpnrLoneCount(netlist)), "nextpnr's packer made another count");
    }

    /// <summary>
    /// Packs <paramref name="netlist"/> for the UP5K with nextpnr-ice40 (<c>--pack-only</c>) and counts the cells it made
    /// for a flip-flop without a LUT: their names end <c>_DFFLC</c>.
    /// </summary>
    internal static int NextpnrLoneCount(string netlist)
    {
        var directory = Path.GetDirectoryName(netlist)!;
        var packed = Path.Combine(directory, "packed.json");
        var pnr = ProcessRunner.Run(ExternalTools.NextpnrIce40.Locate() ?? ExternalTools.NextpnrIce40.Command,
            ["--up5k", "--package", "sg48", "--json", netlist, "--pack-only", "--write", packed], directory, TimeSpan.FromMinutes(10));
        Assert.That(pnr.ExitCode, Is.Zero, pnr.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(packed));
        return json.RootElement.GetProperty("modules").EnumerateObject().Single().Value.GetProperty("cells").EnumerateObject()
            .Count(c => c.Name.EndsWith("_DFFLC", StringComparison.Ordinal));
    }

    [Test]
    public void AModuleTheNetlistDoesNotHaveIsRefused() =>
        Assert.That(() => LoneFlipFlops.Read("""{"modules":{"A":{"cells":{}}}}""", "B"),
            Throws.ArgumentException.With.Message.Contains("no module B"));
}
