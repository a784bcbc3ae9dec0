using System.Text.Json;
using HwGen.Gen.Fpga;
using NUnit.Framework;

namespace HwGen.Cli.Tests.Fpga;

/// <summary>
/// <c>hwgen fpga build</c> on <see cref="BlinkyTop"/> for an iCE40UP5K: one place-and-route run at the board's 12 MHz,
/// shared by the tests that read its results, and short runs of their own for the other cases.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FpgaBuildTests
{
    private TempDirectory _temp = null!;
    private string _board = null!;
    private string _output = null!;
    private CliRun _run = null!;
    private JsonElement _json;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _temp = new TempDirectory();
        _board = FpgaCli.WriteBoard(_temp, FpgaCli.BlinkyPcf);
        _output = _temp.Combine("out", "blinky");
        _run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", _output, "--json", "--areas");
        TestContext.Progress.WriteLine(_run.ToString());
        if (_run.ExitCode == 0)
            _json = JsonDocument.Parse(_run.Stdout).RootElement.Clone();
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void TheDesignFitsWithPlausibleFigures()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        Assert.That(_json.GetProperty("fits").GetBoolean(), Is.True);
        var cells = _json.GetProperty("cells");
        var lcs = cells.GetProperty("logicCells");
        Assert.That(lcs.GetProperty("used").GetInt32(), Is.GreaterThan(0).And.LessThan(5280));
        Assert.That(lcs.GetProperty("available").GetInt32(), Is.EqualTo(5280));
        Assert.That(cells.GetProperty("lut4").GetProperty("used").GetInt32(), Is.GreaterThan(0));
        Assert.That(cells.GetProperty("dff").GetProperty("used").GetInt32(), Is.EqualTo(24 + 16), "the counter's and the LFSR's flip-flops");
        Assert.That(cells.GetProperty("carry").GetProperty("used").GetInt32(), Is.GreaterThan(0));
        Assert.That(cells.GetProperty("io").GetProperty("used").GetInt32(), Is.EqualTo(5), "clk, rst, LED[0], LED[1], UART_TX");
        Assert.That(cells.GetProperty("dsp").GetProperty("used").GetInt32(), Is.EqualTo(0));
        var fmax = _json.GetProperty("fmaxMHz").EnumerateObject().ToArray();
        Assert.That(fmax.Select(c => c.Name), Is.EqualTo(new[] { "clk" }));
        Assert.That(fmax[0].Value.GetDouble(), Is.GreaterThan(12).And.LessThan(500));
        Assert.That(_run.Stderr, Does.Not.Contain("warning"), "12 MHz is met");
    }

    [Test]
    public void TheCriticalPathMapsItsNetsToTheTestTop()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var path = _json.GetProperty("criticalPath");
        Assert.That(path.GetProperty("from").GetString(), Is.Not.Empty);
        Assert.That(path.GetProperty("to").GetString(), Is.Not.Empty);
        Assert.That(path.GetProperty("delayNs").GetDouble(), Is.GreaterThan(0).And.LessThan(1000.0 / 12));
        Assert.That(path.GetProperty("logicLevels").GetInt32(), Is.GreaterThanOrEqualTo(1));
        var locations = path.GetProperty("nets").EnumerateArray()
            .Select(n => n.GetProperty("location").ValueKind == JsonValueKind.String ? n.GetProperty("location").GetString()! : null)
            .Where(l => l is not null).ToArray();
        Assert.That(locations, Has.Some.StartsWith("tests/HwGen.Cli.Tests/Fpga/FpgaTestTops.cs:"), _run.Stdout);
        Assert.That(path.GetProperty("toLocation").GetString(), Does.StartWith("tests/HwGen.Cli.Tests/Fpga/FpgaTestTops.cs:"), "the end point is a register of the test top");
    }

    [Test]
    public void TheBitstreamAndTheStepLogsAreInTheOutputFolder()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var bitstream = _json.GetProperty("bitstream").GetString()!;
        Assert.That(bitstream, Is.EqualTo(Path.Combine(Path.GetFullPath(_output), "BlinkyTop.bin")));
        Assert.That(new FileInfo(bitstream).Length, Is.GreaterThan(0));
        foreach (var file in new[] { "synth.log", "pnr.log", "pack.log", "report.json", "stat.json", "pins.pcf", "verilog/BlinkyTop.v" })
            Assert.That(File.Exists(Path.Combine(_output, file)), Is.True, file);
        Assert.That(File.ReadAllText(Path.Combine(_output, "pnr.log")), Does.StartWith("$ nextpnr-ice40 --up5k --package sg48 --pcf pins.pcf"));
        Assert.That(Directory.GetDirectories(Path.GetDirectoryName(_output)!).Select(Path.GetFileName), Is.EqualTo(new[] { "blinky" }), "no staging folder left");
    }

    [Test]
    public void JsonIsOneObjectWithTheDocumentedFields()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        Assert.That(_run.Stdout.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, one object");
        Assert.That(_json.ValueKind, Is.EqualTo(JsonValueKind.Object));
        var names = _json.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.That(names, Is.SupersetOf(new[] { "board", "device", "fits", "cells", "fmaxMHz", "targetMHz", "bitstream", "criticalPath", "clockPlan" }));
        Assert.That(_json.GetProperty("board").GetString(), Is.EqualTo("testboard"));
        Assert.That(_json.GetProperty("device").GetString(), Is.EqualTo("up5k"));
        Assert.That(_json.GetProperty("targetMHz").GetDouble(), Is.EqualTo(12));
        Assert.That(_json.GetProperty("clockPlan").GetString(), Is.EqualTo("12 MHz oscillator, undivided"));
        foreach (var kind in _json.GetProperty("cells").EnumerateObject())
            Assert.That(kind.Value.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "used", "available" }), kind.Name);
        var net = _json.GetProperty("criticalPath").GetProperty("nets")[0];
        Assert.That(net.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "net", "location" }));
    }

    [Test]
    public void AreasListEachInstanceWithItsOwnCells()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var areas = _json.GetProperty("areas").EnumerateArray().ToArray();
        Assert.That(areas, Has.Length.EqualTo(1), "BlinkyTop has no submodules");
        var top = areas[0];
        Assert.That(top.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "path", "module", "lut4", "dff", "carry", "bram", "dsp" }));
        Assert.That(top.GetProperty("path").GetString(), Is.Empty);
        Assert.That(top.GetProperty("module").GetString(), Is.EqualTo("BlinkyTop"));
        Assert.That(top.GetProperty("dff").GetInt32(), Is.EqualTo(24 + 16));
        Assert.That(top.GetProperty("lut4").GetInt32(), Is.GreaterThan(0));
        Assert.That(File.Exists(Path.Combine(_output, "synth-modules.log")), Is.True);
    }

    /// <summary>The LFSR shifts: 15 of its flip-flops load a neighbour's value, with no LUT of their own; the counter's
    /// bits and the LFSR's feedback bit each have one.</summary>
    [Test]
    public void AreasCountTheShiftRegistersFlipFlopsAsAlone()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var lone = _json.GetProperty("loneFlipFlops");
        Assert.Multiple(() =>
        {
            Assert.That(lone.GetProperty("flipFlops").GetInt32(), Is.EqualTo(24 + 16));
            Assert.That(lone.GetProperty("alone").GetInt32(), Is.EqualTo(15));
            Assert.That(lone.GetProperty("registers").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("bits").GetInt32())),
                Is.EqualTo(new[] { ("lfsr", 15) }));
        });
    }

    [Test]
    public void WithoutAreasTheJsonHasNone()
    {
        using var temp = new TempDirectory();
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", temp.Combine("out"), "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.That(json.GetProperty("areas").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.GetProperty("loneFlipFlops").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()), Has.None.EqualTo("synthesis by module"));
    }

    [Test]
    public void WithoutJsonTheResourcesClocksAndCriticalPathArePrinted()
    {
        using var temp = new TempDirectory();
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", temp.Combine("out"), "--areas");

        TestContext.Out.WriteLine(run.ToString());
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("synthesis: ").And.Contain("place and route: ").And.Contain("bitstream: "));
        Assert.That(run.Stdout, Does.Contain("ICESTORM_LC").And.Contain("5280").And.Contain("ICESTORM_DSP"));
        Assert.That(run.Stdout, Does.Contain("critical path: ").And.Contain("@ tests/HwGen.Cli.Tests/Fpga/FpgaTestTops.cs:"));
        Assert.That(run.Stdout, Does.Contain("BlinkyTop.bin"));
        Assert.That(run.Stdout, Does.Contain("area by module instance").And.Contain("(top)").And.Contain("-noflatten"));
        Assert.That(run.Stdout, Does.Contain("flip-flops alone in a logic cell: 15 of 40").And.Contain("lfsr"));
    }

    [Test]
    public void TheLogsNameTheDefaultToolOptions()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var synthesis = File.ReadAllText(Path.Combine(_output, "synth.log"));
        var placement = File.ReadAllText(Path.Combine(_output, "pnr.log")).Split('\n')[0];
        Assert.That(synthesis, Does.StartWith($"$ yosys -p \"{string.Join(' ', ["synth_ice40", "-dsp", .. FpgaFlow.DefaultSynthesisOptions, "-top", "BlinkyTop"])} -run :coarse;"));
        Assert.That(placement, Does.EndWith(string.Join(' ', ["--detailed-timing-report", .. FpgaFlow.DefaultPlaceAndRouteOptions])));

    }

    /// <summary><c>-nocarry</c> leaves the counter without its carry chain: the options reach Yosys.</summary>
    [Test]
    public void TheToolOptionsReplaceTheDefaults()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", output, "--json",
            "--yosys-options=-nocarry", "--nextpnr-options=--placer sa --router router2");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.That(json.GetProperty("cells").GetProperty("carry").GetProperty("used").GetInt32(), Is.Zero);
        Assert.That(_json.GetProperty("cells").GetProperty("carry").GetProperty("used").GetInt32(), Is.GreaterThan(0), "the default build has its carry chain");
        Assert.That(File.ReadAllText(Path.Combine(output, "synth.log")), Does.StartWith("$ yosys -p \"synth_ice40 -dsp -nocarry -top BlinkyTop -run :coarse;"));
        var placement = File.ReadAllText(Path.Combine(output, "pnr.log"));
        Assert.That(placement.Split('\n')[0], Does.EndWith(" --detailed-timing-report --placer sa --router router2"));
        Assert.That(placement, Does.Not.Contain("Running main analytical placer"), "the annealing placer, not the default heap placer");
        Assert.That(File.ReadAllText(Path.Combine(_output, "pnr.log")), Does.Contain("Running main analytical placer"));
    }

    /// <summary>A design's own synthesis options (the tagged SoC's) are used unless <c>--yosys-options</c> gives others.</summary>
    [Test]
    public void TheDesignsOwnSynthesisOptionsAreUsed()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        var blinky = FpgaCli.Design<BlinkyTop>();
        var run = FpgaCli.Run((board, mhz) => blinky(board, mhz) with { SynthesisOptions = ["-nocarry"] },
            "fpga", "build", "--board", _board, "--out", output, "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("cells").GetProperty("carry").GetProperty("used").GetInt32(), Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(output, "synth.log")), Does.StartWith("$ yosys -p \"synth_ice40 -dsp -nocarry -top BlinkyTop -run :coarse;"));
    }

    [Test]
    public void EmptyToolOptionsRunTheToolsWithoutDefaults()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", output, "--yosys-options", "", "--nextpnr-options", "");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllText(Path.Combine(output, "synth.log")), Does.StartWith("$ yosys -p \"synth_ice40 -dsp -top BlinkyTop -run :coarse;"));
        Assert.That(File.ReadAllText(Path.Combine(output, "pnr.log")).Split('\n')[0], Does.EndWith(" --detailed-timing-report"));
    }

    /// <summary><c>--pack-only</c> counts the cells the full build uses, and leaves no bitstream and no unplaced <c>design.asc</c>.</summary>
    [Test]
    public void PackOnlyCountsTheCellsOfTheFullBuildAndWritesNoBitstream()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", output, "--json", "--pack-only");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.That(json.GetProperty("packOnly").GetBoolean(), Is.True);
        Assert.That(_json.GetProperty("packOnly").GetBoolean(), Is.False);
        foreach (var kind in new[] { "logicCells", "lut4", "dff", "carry", "io" })
        {
            Assert.That(json.GetProperty("cells").GetProperty(kind).GetProperty("used").GetInt32(),
                Is.EqualTo(_json.GetProperty("cells").GetProperty(kind).GetProperty("used").GetInt32()), kind);
        }
        Assert.That(json.GetProperty("fmaxMHz").EnumerateObject(), Is.Empty);
        Assert.That(json.GetProperty("bitstream").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()), Has.None.EqualTo("bitstream"));
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Has.None.EndsWith(".bin").And.None.EqualTo("design.asc"));
        Assert.That(File.ReadAllText(Path.Combine(output, "pnr.log")).Split('\n')[0], Does.EndWith(" --pack-only"));

        var text = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", output, "--pack-only");
        Assert.That(text.ExitCode, Is.EqualTo(0), text.ToString());
        Assert.That(text.Stdout, Does.Contain("packed only (--pack-only)").And.Not.Contain("bitstream: "));
    }

    [TestCase("--strict", "--strict")]
    [TestCase("--nextpnr-options=--pack-only", "--nextpnr-options")]
    public void PackOnlyRefusesWhatNeedsAPlacement(string option, string named)
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        string[] packOnly = option.StartsWith("--nextpnr", StringComparison.Ordinal) ? [] : ["--pack-only"];
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), ["fpga", "build", "--board", _board, "--out", output, option, .. packOnly]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(named).And.Contain("--pack-only"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void AMissedTargetWarnsWithBothFiguresAndStillBuilds()
    {
        using var temp = new TempDirectory();
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", temp.Combine("out"), "--freq", "400", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        var achieved = json.GetProperty("fmaxMHz").GetProperty("clk").GetDouble();
        Assert.That(achieved, Is.LessThan(400));
        Assert.That(json.GetProperty("targetMHz").GetDouble(), Is.EqualTo(400));
        Assert.That(File.Exists(json.GetProperty("bitstream").GetString()), Is.True);
        Assert.That(run.ErrorLines.Single(), Does.StartWith("hwgen: warning: clock clk").And.Contain("400 MHz").And.Contain($"{achieved:0.##} MHz"));
    }

    [Test]
    public void StrictFailsWhenTheTargetIsMissed()
    {
        using var temp = new TempDirectory();
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", temp.Combine("out"), "--freq", "400", "--strict");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.StartWith("hwgen: error: clock clk reaches ").And.Contain("short of the 400 MHz target"));
    }

    [Test]
    public void StrictSucceedsWhenTheTargetIsMet()
    {
        using var temp = new TempDirectory();
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", temp.Combine("out"), "--freq", "10", "--strict", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stderr, Is.Empty);
    }

    [Test]
    public void ADesignThatDoesNotFitNamesTheResourceAndBothNumbers()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        var run = FpgaCli.Run(FpgaCli.Design<MultiplierTop>(), "fpga", "build", "--board", _board, "--out", output, "--json");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.That(json.GetProperty("fits").GetBoolean(), Is.False);
        Assert.That(json.GetProperty("bitstream").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var dsp = json.GetProperty("cells").GetProperty("dsp");
        Assert.That((dsp.GetProperty("used").GetInt32(), dsp.GetProperty("available").GetInt32()), Is.EqualTo((MultiplierTop.Count, 8)));
        Assert.That(run.ErrorLines.Last(), Does.Contain("ICESTORM_DSP").And.Contain($"uses {MultiplierTop.Count}").And.Contain("has 8").And.Contain("no bitstream"));
        Assert.That(Directory.Exists(output), Is.False, "nothing is written for a design that does not fit");
        Assert.That(temp.Listing(), Is.Empty, "no staging folder is left behind");
    }

    [Test]
    public void PinsThatDoNotMatchThePortsAreAUsageErrorNamingFileLineAndPort()
    {
        using var temp = new TempDirectory();
        var pcf = FpgaCli.BlinkyPcf.Replace("set_io UART_TX 9", "set_io LED[2] 39", StringComparison.Ordinal);
        var board = FpgaCli.WriteBoard(temp, pcf, "badpins");
        var output = temp.Combine("out");

        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", board, "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        var pcfName = Path.GetRelativePath(Environment.CurrentDirectory, temp.Combine("badpins.pcf"));
        Assert.That(run.ErrorLines, Does.Contain($"{pcfName}(7): pin LED[2] names no port of BlinkyTop (its ports: clk, rst, LED[1:0], UART_TX)"));
        Assert.That(run.ErrorLines, Does.Contain($"BlinkyTop port UART_TX has no pin in {pcfName}"));
        Assert.That(run.ErrorLines.Last(), Does.StartWith("hwgen: the pins of"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("fast")]
    public void ABadFrequencyIsAUsageErrorOnOneLine(string freq)
    {
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--freq", freq);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.StartWith("hwgen: ").And.Contain("--freq").Or.Contain(freq));
    }

    [Test]
    public void AnUnknownBoardIsAUsageErrorThatListsTheKnownOnes()
    {
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", "no-such-board");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("'no-such-board'").And.Contain("icebreaker"));
    }

    [Test]
    public void MissingToolsAreAUsageErrorWithTheInstallCommand()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        CliRun run;
        try
        {
            Environment.SetEnvironmentVariable("PATH", _temp.Path);
            run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", _temp.Combine("never"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("yosys").And.Contain("nextpnr-ice40").And.Contain("apt-get install"));
    }

    [Test]
    public void TheBoardIsRequired()
    {
        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("--board"));
    }

    [Test]
    public void AnOutputFolderThatIsNotAnEarlierBuildIsRefusedAndKept()
    {
        var folder = _temp.Combine("not-a-build");
        Directory.CreateDirectory(folder);
        var keep = Path.Combine(folder, "notes.txt");
        File.WriteAllText(keep, "mine");

        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", folder);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines[^1], Does.Contain("not-a-build").And.Contain("not an FPGA build's output"));
        Assert.That(File.ReadAllText(keep), Is.EqualTo("mine"));
    }

    [Test]
    public void AnEarlierBuildsFolderIsReplaced()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var again = _temp.Combine("again");
        CopyFolder(_output, again);
        File.WriteAllText(Path.Combine(again, "stale.txt"), "left by hand");

        var run = FpgaCli.Run(FpgaCli.Design<BlinkyTop>(), "fpga", "build", "--board", _board, "--out", again);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.Exists(Path.Combine(again, "stale.txt")), Is.False, "the folder is replaced as a whole");
        Assert.That(File.Exists(Path.Combine(again, "BlinkyTop.bin")), Is.True);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

