using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Cli.Tests.Fpga;

[TestFixture]
public sealed class PcfFileTests
{
    private const string Pcf = "constraints/test.pcf";

    private static readonly (string, int)[] s_ports = [("clk", 1), ("LED", 2), ("UART_TX", 1)];

    [Test]
    public void ParsesSetIoLinesWithOptionsCommentsAndBlankLines()
    {
        var pcf = PcfFile.Parse("# pins\n\nset_io -nowarn clk 35   # oscillator\r\nset_io -pullup yes LED[1] 37\nset_io\tUART_TX 9\n", Pcf);

        Assert.That(pcf.Pins.Select(p => (p.Name, p.Pin, p.Line)), Is.EqualTo(new[] { ("clk", "35", 3), ("LED[1]", "37", 4), ("UART_TX", "9", 5) }));
        Assert.That(pcf.Pins[1].Port, Is.EqualTo("LED"));
        Assert.That(pcf.Pins[1].Index, Is.EqualTo(1));
        Assert.That(pcf.Pins[0].Index, Is.Null);
    }

    [Test]
    public void KeepPortsTurnsTheOtherPortsLinesIntoCommentsAndKeepsLineNumbers()
    {
        const string text = "# pins\nset_io -nowarn clk 35\nset_io -pullup yes LED[0] 11\nset_io LED[1] 37\nset_io -pullup yes UART_TX 9 # serial\n";

        var kept = PcfFile.KeepPorts(text, "Top", ["clk", "UART_TX"]);

        Assert.That(kept.Split('\n'), Is.EqualTo(new[]
        {
            "# pins",
            "set_io -nowarn clk 35",
            "# not a port of Top: set_io -pullup yes LED[0] 11",
            "# not a port of Top: set_io LED[1] 37",
            "set_io -pullup yes UART_TX 9 # serial",
            "",
        }));
        Assert.That(PcfFile.Parse(kept, Pcf).Pins.Select(p => (p.Name, p.Line)), Is.EqualTo(new[] { ("clk", 2), ("UART_TX", 5) }));
    }

    [Test]
    public void AnUnknownCommandOrAMissingPinIsAnErrorAtItsLine()
    {
        var ex = Assert.Throws<PcfException>(() => PcfFile.Parse("set_io clk 35\nset_frequency clk 12\nset_io LED[0]\n", Pcf));

        Assert.That(ex!.Errors, Has.Count.EqualTo(2));
        Assert.That(ex.Errors[0], Does.StartWith("constraints/test.pcf(2): ").And.Contain("set_frequency"));
        Assert.That(ex.Errors[1], Does.StartWith("constraints/test.pcf(3): ").And.Contain("port name and a pin"));
    }

    [Test]
    public void APinPlacedTwiceNamesBothLines()
    {
        var ex = Assert.Throws<PcfException>(() => PcfFile.Parse("set_io clk 35\n\nset_io clk 36\n", Pcf));

        Assert.That(ex!.Errors.Single(), Is.EqualTo("constraints/test.pcf(3): clk is placed a second time (first at line 1)"));
    }

    [Test]
    public void APinThatNamesNoPortNamesTheFileLineTopAndItsPorts()
    {
        var pcf = PcfFile.Parse("set_io clk 35\nset_io LED[0] 11\nset_io LED[1] 37\nset_io LED[2] 39\nset_io UART_TX 9\n", Pcf);

        var errors = pcf.Check("BoardSoc", s_ports);

        Assert.That(errors, Is.EqualTo(new[] { "constraints/test.pcf(4): pin LED[2] names no port of BoardSoc (its ports: clk, LED[1:0], UART_TX)" }));
    }

    [Test]
    public void APortBitWithoutAPinNamesTheTopThePortAndTheFile()
    {
        var pcf = PcfFile.Parse("set_io clk 35\nset_io LED[0] 11\n", Pcf);

        var errors = pcf.Check("BoardSoc", s_ports);

        Assert.That(errors, Is.EqualTo(new[]
        {
            "BoardSoc port LED[1] has no pin in constraints/test.pcf",
            "BoardSoc port UART_TX has no pin in constraints/test.pcf",
        }));
    }

    [Test]
    public void AOneBitPortNeedsThePlainNameNotBitZero()
    {
        var pcf = PcfFile.Parse("set_io clk 35\nset_io LED[0] 11\nset_io LED[1] 37\nset_io UART_TX[0] 9\n", Pcf);

        var errors = pcf.Check("BoardSoc", s_ports);

        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors[0], Does.StartWith("constraints/test.pcf(4): pin UART_TX[0] names no port"));
        Assert.That(errors[1], Is.EqualTo("BoardSoc port UART_TX has no pin in constraints/test.pcf"));
    }

    [Test]
    public void TheClockAndResetTheElaboratorAddsNeedPinsToo()
    {
        var design = Elaborator.Elaborate(new BlinkyTop());
        var complete = PcfFile.Parse(FpgaCli.BlinkyPcf, Pcf);
        var withoutReset = PcfFile.Parse(FpgaCli.BlinkyPcf.Replace("set_io rst 10", "", StringComparison.Ordinal), Pcf);

        Assert.That(complete.Check(design.Top), Is.Empty);
        Assert.That(withoutReset.Check(design.Top), Is.EqualTo(new[] { "BlinkyTop port rst has no pin in constraints/test.pcf" }));
    }

    [Test]
    public void SignalsOfTheEmittedVerilogMapBackToTheirCSharpLines()
    {
        using var folder = new TempDirectory();
        VerilogEmitter.WriteTo(VerilogEmitter.Emit(new BlinkyTop()), folder.Path);
        var map = VerilogSourceMap.Load(folder.Path, "BlinkyTop");
        var expected = $"tests/HwGen.Cli.Tests/Fpga/FpgaTestTops.cs:{BlinkyTop.CounterLine}";

        Assert.That(map.Locate("counter_SB_CARRY_CI_CO[3]"), Is.EqualTo(expected));
        Assert.That(map.Locate("counter_SB_DFFSR_Q_D_SB_LUT4_O_I3"), Is.EqualTo(expected));
        Assert.That(map.Locate("counter[5]"), Is.EqualTo(expected));
        Assert.That(map.Locate("LED[1]$SB_IO_OUT"), Does.StartWith("tests/HwGen.Cli.Tests/Fpga/FpgaTestTops.cs:"));
        Assert.That(map.Locate("$nextpnr_ICESTORM_LC_0$O"), Is.Null);
        Assert.That(map.Locate("$abc$1234$auto$blifparse.cc:396:parse_blif$1"), Is.Null);
        Assert.That(map.Locate("nosuch.counter"), Is.Null, "an instance path that does not exist maps nowhere");
    }

    private sealed class Wrapper : Module
    {
        public readonly Signal Count = Out(8);

        protected override void Build()
        {
            var inner = Instance(new HwGen.Designs.Examples.Counter(8), "inner");
            inner.Enable.Set(1);
            inner.Clear.Set(0);
            Count.Set(inner.Count);
        }
    }

    [Test]
    public void HierarchicalNetNamesFollowTheInstancesToTheDeclaringModule()
    {
        using var folder = new TempDirectory();
        var emitted = VerilogEmitter.Emit(new Wrapper());
        VerilogEmitter.WriteTo(emitted, folder.Path);
        var map = VerilogSourceMap.Load(folder.Path, emitted.TopModule);

        Assert.That(map.Resolve("inner.value_SB_LUT4_I3_O[2]"), Is.EqualTo(("Counter", "value", (string?)"hdl/Designs/Examples/Counter.cs:14")));
        Assert.That(map.Locate("value_SB_LUT4_I3_O"), Is.Null, "the top has no signal 'value'");
    }
}
