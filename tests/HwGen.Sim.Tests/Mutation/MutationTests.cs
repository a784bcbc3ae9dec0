using System.Text.RegularExpressions;
using HwGen.Designs.Soc;
using HwGen.Sim.Mutation;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Mutation;

/// <summary>
/// The mutation engine's parts: reading Yosys's <c>mutate -list</c> lines, finding a mutation's C# line, and the netlist
/// of the mutants (the SoC's ports kept, the selector added, every mutation applied behind its own value).
/// </summary>
[TestFixture]
public sealed class MutationTests
{
    private const string Listed =
        @"mutate -mode cnot1 -module Core -cell $flatten\decode.$procdff$3000 -port Q -portbit 3 -ctrlbit 4 -wire execute_FromDecode_Decoded_Rd -wirebit 3 " +
        "-src Core.v:133.18-133.47 -src Core.v:561.17-615.6 -src DecodeStage.v:189.5-222.8";

    [Test]
    public void AListedMutationIsReadWithItsCellPortBitWireAndSources()
    {
        var mutation = Sim.Mutation.Mutation.Parse(Listed, 7)!;
        Assert.That(mutation, Is.Not.Null);
        Assert.That((mutation.Index, mutation.Mode, mutation.Cell, mutation.Port, mutation.PortBit, mutation.Wire),
            Is.EqualTo((7, "cnot1", @"$flatten\decode.$procdff$3000", "Q", 3, "execute_FromDecode_Decoded_Rd")));
        Assert.That(mutation.Sources, Is.EqualTo(new[] { "Core.v:133.18-133.47", "Core.v:561.17-615.6", "DecodeStage.v:189.5-222.8" }));
        Assert.That(mutation.VerilogSource, Is.EqualTo("DecodeStage.v:189.5-222.8"), "the innermost source");
        Assert.That(mutation.Arguments, Does.StartWith("-mode cnot1 -module Core -cell ").And.Contain("-ctrlbit 4"));
    }

    [Test]
    public void AControlGivenWithTheListIsLeftForTheApplyingStep()
    {
        var mutation = Sim.Mutation.Mutation.Parse(Listed.Replace("mutate -mode", "mutate -ctrl mutsel 8 5 -mode", StringComparison.Ordinal), 1)!;
        Assert.That(mutation.Arguments, Does.Not.Contain("-ctrl ").And.Not.Contain("mutsel"));
        Assert.That(mutation.Mode, Is.EqualTo("cnot1"));
    }

    [TestCase("")]
    [TestCase("# a comment")]
    [TestCase("mutate -mode inv -module Core -cell c -port Y")]
    public void ALineThatIsNoMutationIsNone(string line) =>
        Assert.That(Sim.Mutation.Mutation.Parse(line, 1), Is.Null);

    [Test]
    public void TheCSharpLineIsTheCommentOfTheInnermostVerilogLineThatHasOne()
    {
        var mutation = Sim.Mutation.Mutation.Parse(Listed, 1)!;
        var files = new Dictionary<string, string[]>
        {
            // The innermost source's line carries no comment (an always block): the next one out is taken.
            ["DecodeStage.v"] = [.. Enumerable.Repeat("", 188), "    always @(posedge clk) begin"],
            ["Core.v"] = [.. Enumerable.Repeat("", 560), "    DecodeStage decode (  // @[hdl/Designs/Riscv/Core.cs:120,121]"],
        };
        Assert.That(mutation.SourceLocation(files), Is.EqualTo("hdl/Designs/Riscv/Core.cs:120"));
        Assert.That(mutation.SourceLocation(new Dictionary<string, string[]>()), Is.Null);
    }

    [Test]
    public void TheNetlistKeepsTheSocsPortsAndSelectsEachMutationByItsOwnValue()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-mutation-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var soc = SimRunner.Elaborate(MemoryMap.Simulation, core: null);
            var netlist = MutantNetlist.Create(soc, 5, 3, directory);
            Assert.That(netlist.Mutations.Select(m => m.Index), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
            Assert.That(netlist.Mutations.Select(m => m.Cell), Has.None.Contain("$meminit"));
            Assert.That(netlist.Width, Is.EqualTo(3), "values 0 to 5");

            // The top keeps every port the harness binds, and has the selector as an input.
            var header = Regex.Match(netlist.Verilog, @"module ApSoc\(([^;]*)\);").Groups[1].Value;
            var ports = header.Split(',').Select(p => p.Trim()).ToList();
            Assert.That(ports, Is.SupersetOf(soc.Binding.Ports.Select(p => p.Name)));
            Assert.That(ports, Does.Contain(MutantNetlist.Control));
            Assert.That(netlist.Verilog, Does.Contain($"input [2:0] {MutantNetlist.Control};"));

            // Each mutation is behind a comparison of the selector with its own value, in the core or one of its
            // submodules; the top only passes the selector down. A mutation of a bit nothing reads (the design may
            // leave some) goes with that bit when Yosys cleans the netlist: that mutant is the core itself.
            var top = netlist.Verilog.IndexOf("module ApSoc(", StringComparison.Ordinal);
            var belowTop = netlist.Verilog[..top] + netlist.Verilog[netlist.Verilog.IndexOf("endmodule", top, StringComparison.Ordinal)..];
            var selected = Enumerable.Range(1, 7).Where(value => belowTop.Contains($"{MutantNetlist.Control} == 3'h{value}", StringComparison.Ordinal)).ToList();
            Assert.That(selected, Is.SubsetOf(new[] { 1, 2, 3, 4, 5 }), "only the listed mutations' values select anything");
            Assert.That(selected, Has.Count.GreaterThanOrEqualTo(3), "most mutations stay behind their own value");
            Assert.That(netlist.Mutations.Select(netlist.Locate), Has.Some.StartsWith("hdl/Designs/"));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}
