using System.Text.RegularExpressions;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
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

    /// <summary>
    /// The core (<c>gold</c>) beside three mutants of it: one that inverts a register and its reader (equivalent, but
    /// only an induction of length 2 shows it), one whose output is tied to 0 (differs two cycles after reset), and one
    /// that differs only in a state reset never reaches, thirteen steps from the difference: more than the check's steps.
    /// </summary>
    private const string Cores = """
        module gold(input clk, input rst, input a, output reg q);
          reg r;
          always @(posedge clk) if (rst) begin q <= 0; r <= 0; end else begin r <= a; q <= r; end
        endmodule
        module inverted(input clk, input rst, input a, output reg q);
          reg r;
          always @(posedge clk) if (rst) begin q <= 0; r <= 1; end else begin r <= ~a; q <= ~r; end
        endmodule
        module tied(input clk, input rst, input a, output reg q);
          reg r;
          always @(posedge clk) if (rst) begin q <= 0; r <= 0; end else begin r <= a; q <= 1'b0; end
        endmodule
        module unreachable(input clk, input rst, input a, output reg q);
          reg r; reg [3:0] s;
          always @(posedge clk) if (rst) begin q <= 0; r <= 0; s <= 0; end
            else begin r <= a; q <= r | (s == 4'd15); s <= s == 4'd2 ? 4'd0 : s + 4'd1; end
        endmodule
        """;

    [TestCase("inverted", MutantOutcome.Equivalent, "proven by induction of length 2")]
    [TestCase("tied", MutantOutcome.Survived, "outputs differ from the core's within 3 cycles of reset for some inputs")]
    [TestCase("unreachable", MutantOutcome.NotProven, "no difference within 4 cycles of reset, induction not closed within 4 steps")]
    public void YosyssInductionProvesFindsADifferenceOrNeither(string mutant, MutantOutcome outcome, string why) =>
        InYosysDirectory("cores.v", Cores, (yosys, directory) =>
        {
            // The command the campaign's check ends with, on a miter of the core and the mutant.
            var script = "read_verilog cores.v; proc; " +
                $"miter -equiv -flatten -make_outputs gold {mutant} miter; hierarchy -top miter; " +
                "sat -tempinduct -prove trigger 0 -set-init-zero -set-at 1 in_rst 1 -seq 1 -maxsteps 4 -timeout 60 miter";
            var run = ProcessRunner.Run(yosys, ["-q", "-l", "check.log", "-p", script], directory, TimeSpan.FromMinutes(2));
            var mutation = Sim.Mutation.Mutation.Parse(Listed, 1)!;
            var verdict = MutationCampaign.Verdict(mutation, File.ReadAllText(Path.Combine(directory, "check.log")), 4, run);
            Assert.That((verdict.Outcome, verdict.Why), Is.EqualTo((outcome, why)));
        });

    /// <summary>Runs <paramref name="body"/> with Yosys's path and a new folder holding <paramref name="file"/>, deleted afterwards.</summary>
    private static void InYosysDirectory(string file, string contents, Action<string, string> body)
    {
        var yosys = ExternalTools.Yosys.Locate();
        Assert.That(yosys, Is.Not.Null, "yosys is installed");
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-mutation-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, file), contents);
            body(yosys!, directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// A small core with three mutations behind <c>mutsel</c>, as <c>mutate -ctrl</c> leaves them (on a cell's port, no
    /// wire of their own): (1) bit 3 of an AND's input tied to 1 where the AND's mask drops that bit: the next named
    /// wire is the same, proven point by point; (2) a register and its reader both inverted: the register's point
    /// differs, so only the induction on the whole cores proves it; (3) bit 0 of the masked word inverted: the output
    /// differs two cycles after reset.
    /// </summary>
    private const string SmallCore = """
        module Core(input clk, input rst, input [1:0] mutsel, input [3:0] a, output reg [3:0] q);
          wire [3:0] masked = (mutsel == 2'd1 ? {1'b1, a[2:0]} : a) & 4'b0111;
          wire [3:0] taken = mutsel == 2'd3 ? {masked[3:1], ~masked[0]} : masked;
          reg [3:0] r;
          wire [3:0] stored = mutsel == 2'd2 ? ~taken : taken;
          wire [3:0] read = mutsel == 2'd2 ? ~r : r;
          always @(posedge clk)
            if (rst) begin r <= mutsel == 2'd2 ? 4'hf : 4'h0; q <= 0; end
            else begin r <= stored; q <= read; end
        endmodule
        """;

    [TestCase(1, MutantOutcome.Equivalent, @"^proven point by point \(\d+ equivalence points\)$")]
    [TestCase(2, MutantOutcome.Equivalent, @"^proven by induction of length \d$")]
    [TestCase(3, MutantOutcome.Survived, @"^outputs differ from the core's within \d cycles of reset for some inputs$")]
    public void TheCheckProvesPointByPointElseByInductionOrFindsADifference(int index, MutantOutcome outcome, string why) =>
        InYosysDirectory("core.v", SmallCore, (yosys, directory) =>
        {
            var read = ProcessRunner.Run(yosys, ["-q", "-p", "read_verilog core.v; proc; opt_clean; write_rtlil core.il"], directory, TimeSpan.FromMinutes(1));
            Assert.That(read.Succeeded, Is.True, read.Output);
            var mutation = Sim.Mutation.Mutation.Parse(Listed, index)! with { Index = index };
            var verdict = MutationCampaign.CheckEquivalence(directory, Path.Combine(directory, "core.il"), 2, mutation,
                new MutationOptions { EquivalenceCycles = 4, EquivalenceTimeout = TimeSpan.FromSeconds(60) });
            Assert.That(verdict.Outcome, Is.EqualTo(outcome), verdict.Why);
            Assert.That(verdict.Why, Does.Match(why));
            // The point-by-point check ran first, every time; the induction only when it did not prove the mutant.
            Assert.That(File.Exists(Path.Combine(directory, $"equivalence-{index}-points.log")), Is.True);
            Assert.That(File.Exists(Path.Combine(directory, $"equivalence-{index}.log")), Is.EqualTo(index != 1));
        });

    [Test]
    public void APointCheckThatFailedOrDidNotFinishGivesNoVerdict()
    {
        const string proven = "Found 12 $equiv cells in equiv:\n    Of those cells 12 are proven and 0 are unproven.\n    Equivalence successfully proven!\n";
        Assert.That(MutationCampaign.PointsVerdict(proven, new ProcessResult(0, "", "", TimedOut: false)), Is.EqualTo("proven point by point (12 equivalence points)"));
        Assert.That(MutationCampaign.PointsVerdict(proven, new ProcessResult(-1, "", "", TimedOut: true)), Is.Null, "a run that timed out proves nothing");
        Assert.That(MutationCampaign.PointsVerdict("Found 12 $equiv cells in equiv:\n    Of those cells 11 are proven and 1 are unproven.\n", new ProcessResult(1, "", "ERROR: Found 1 unproven $equiv cells", TimedOut: false)), Is.Null);
        Assert.That(MutationCampaign.PointsVerdict("", null), Is.Null);
    }

    [Test]
    public void ACheckThatRanOutOfTimeOrNeverRanIsNoProof()
    {
        var mutation = Sim.Mutation.Mutation.Parse(Listed, 1)!;
        var partial = "** Trying induction with length 1 **\nBase case for induction length 1 proven.\n** Trying induction with length 2 **\n";
        Assert.That(MutationCampaign.Verdict(mutation, partial, 6, new ProcessResult(-1, "", "", TimedOut: true)),
            Is.EqualTo((mutation, MutantOutcome.NotProven, "no difference within 1 cycles of reset, the check ran out of time")));
        Assert.That(MutationCampaign.Verdict(mutation, "", 6, new ProcessResult(1, "", "ERROR: no such file\n", TimedOut: false)).Outcome,
            Is.EqualTo(MutantOutcome.NotProven));
    }

    [Test]
    public void OnASocWithWaitStatesTheInjectorsEnableIsAnInputOfTheNetlist()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-mutation-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var parts = SocParts.Simulation with { WaitStates = new WaitStates(StallOneIn: 4, MaxResponseDelay: 3, Seed: 1) };
            var netlist = MutantNetlist.Create(SimRunner.Elaborate(MemoryMap.Simulation, core: null, parts), 2, 1, directory);
            Assert.That(netlist.WaitStates, Is.True);
            var header = Regex.Match(netlist.Verilog, @"module ApSoc\(([^;]*)\);").Groups[1].Value;
            Assert.That(header.Split(',').Select(p => p.Trim()), Does.Contain(MutantNetlist.WaitControl));
            Assert.That(netlist.Verilog, Does.Contain($"input {MutantNetlist.WaitControl};"));
            // Both injectors take their enable from it; none is tied to a constant any more.
            var enables = Regex.Matches(netlist.Verilog, @"\.Enable\(([^)]*)\)").Select(m => m.Groups[1].Value).ToList();
            Assert.That(enables, Has.Count.EqualTo(2).And.All.EqualTo(MutantNetlist.WaitControl));

            // Without injectors there is no such input.
            var plain = MutantNetlist.Create(SimRunner.Elaborate(MemoryMap.Simulation, core: null), 2, 1, directory);
            Assert.That(plain.WaitStates, Is.False);
            Assert.That(plain.Verilog, Does.Not.Contain(MutantNetlist.WaitControl));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
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
