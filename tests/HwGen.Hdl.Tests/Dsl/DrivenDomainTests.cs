using System.Runtime.CompilerServices;
using HwGen.Designs.Examples;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Dsl;

/// <summary>
/// A module that makes its own clock (<see cref="Module.DriveDomain"/>) from an input pin through a divider, with a
/// power-on reset built from registers with power-on values (<c>Reg(init:)</c>): the shape of a board's top.
/// </summary>
[TestFixture]
public sealed class DrivenDomainTests
{
    private static int s_marked;

    private static void Mark([CallerLineNumber] int line = 0) => s_marked = line;

    /// <summary>Divides <c>PIN</c> by two and counts that clock after a four-cycle power-on reset.</summary>
    private sealed class DividedCounter : Module
    {
        private static readonly ClockDomain Pin = new("pin");

        public readonly Signal PIN = In(1);
        public readonly Signal COUNT = Out(8);

        private readonly Counter counter = new(8);
        private readonly Signal half = Reg(1, domain: Pin, init: 0);
        private readonly Signal resetCount = Reg(3, init: 0);

        protected override void Build()
        {
            DriveDomain(Pin, PIN);
            half.Set(~half);
            var resetDone = resetCount.Eq(4).Named("resetDone");
            When(~resetDone, () => resetCount.Set(resetCount + 1));
            DriveDomain(ClockDomain.Default, half, reset: ~resetDone);
            counter.Enable.Set(1);
            counter.Clear.Set(0);
            COUNT.Set(counter.Count);
        }
    }

    private sealed class ResetMissing : Module
    {
        public readonly Signal PIN = In(1);
        public readonly Signal Q = Out(4);
        private readonly Signal count = Reg(4, reset: 0);

        protected override void Build()
        {
            Mark(); DriveDomain(ClockDomain.Default, PIN);
            count.Set(count + 1);
            Q.Set(count);
        }
    }

    [Test]
    public void TheDrivenDomainsAreWiresNotPortsAndThePowerOnValuesAreInTheVerilog()
    {
        var design = Elaborator.Elaborate(new DividedCounter());
        Assert.That(design.Top.Ports.Select(p => p.Name), Is.EqualTo(new[] { "PIN", "COUNT" }));

        var result = VerilogEmitter.Emit(design);
        var top = result.VerilogFiles.Single(f => f.RelativePath == "DividedCounter.v").Content;
        Assert.Multiple(() =>
        {
            Assert.That(top, Does.Contain("assign pin_clk = PIN;"));
            Assert.That(top, Does.Contain("assign clk = half;"));
            Assert.That(top, Does.Contain("reg  [2:0]   resetCount = 3'd0;  // register, power-on 0 @["));
            Assert.That(top, Does.Contain(".clk(clk)").And.Contain(".rst(rst)"));
        });
        VerilogToolChecks.AssertClean(result);
    }

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void TheDividedClockCountsHalfThePinEdgesAfterTheReset(Simulator simulator)
    {
        using var dir = new ScratchDirectory("driven-domain-" + simulator);
        var design = EmittedDesign.Emit(new DividedCounter(), Path.Combine(dir.Path, "rtl"));
        var bench = Path.Combine(dir.Path, "DividedCounter_tb.v");
        // 100 pin cycles give 50 rising edges of the divided clock: at the first 4 the reset is on (resetCount 0..3),
        // so the counter counts the other 46.
        File.WriteAllText(bench, """
            `timescale 1ns / 1ps
            module DividedCounter_tb;
                reg pin = 1'b0;
                wire [7:0] count;
                DividedCounter dut (.PIN(pin), .COUNT(count));
                integer i;
                initial begin
                    for (i = 0; i < 200; i = i + 1) #5 pin = ~pin;
                    #1;
                    if (count !== 8'd46) begin
                        $display("FAIL count=%0d", count);
                        $fatal(1, "wrong count");
                    end
                    $display("PASS count=%0d", count);
                    $finish;
                end
            endmodule
            """);
        var run = BenchSimulation.Run(simulator, bench, design, new Dictionary<string, int>(), Path.Combine(dir.Path, "work"));
        Assert.That(run.Succeeded, Is.True, run.Report());
        Assert.That(run.Lines, Does.Contain("PASS count=46"), run.Report());
        dir.Complete();
    }

    [Test]
    public void ADomainWithResetRegistersDrivenWithoutAResetIsAnErrorAtTheDriveDomainCall()
    {
        var ex = Assert.Throws<ElaborationException>(() => Elaborator.Elaborate(new ResetMissing()))!;
        var errors = ex.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.Multiple(() =>
        {
            Assert.That(errors[0].Code, Is.EqualTo(DiagnosticCodes.Usage));
            Assert.That(errors[0].Location.Line, Is.EqualTo(s_marked));
            Assert.That(errors[0].Message, Does.Contain("without a reset").And.Contain("sync"));
        });
    }
}
