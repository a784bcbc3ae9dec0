using System.Text.Json;
using HwGen.Cli.Commands;
using HwGen.Designs.Boards;
using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using NUnit.Framework;

namespace HwGen.Cli.Tests.Fpga;

/// <summary>
/// The board SoC through the real flow. The iCEBreaker goes all the way (one seed: synthesis, place and route,
/// bitstream), through <c>hwgen fpga build --json</c>, and its bitstream then through <c>hwgen fpga flash --dry-run</c>;
/// the second board (UPduino v3) goes through its pin check and synthesis, from its board file alone.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BoardSocFpgaTests
{
    private TempDirectory _temp = null!;
    private CliRun _run = null!;
    private JsonElement _json;
    private string _output = null!;

    [OneTimeSetUp]
    public void BuildTheIcebreakerOnce()
    {
        _temp = new TempDirectory();
        _output = _temp.Combine("icebreaker");
        _run = Cli.Run("fpga", "build", "--board", "icebreaker", "--out", _output, "--json");
        TestContext.Progress.WriteLine(_run.ExitCode == 0 ? _run.Stdout : _run.ToString());
        if (_run.ExitCode == 0)
            _json = JsonDocument.Parse(_run.Stdout).RootElement.Clone();
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    private static int Used(JsonElement cells, string kind) => cells.GetProperty(kind).GetProperty("used").GetInt32();

    [Test]
    public void TheIcebreakerSocFitsWithRoomToSpareAndUsesTheHardBlocks()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        Assert.That(_json.GetProperty("board").GetString(), Is.EqualTo("icebreaker"));
        Assert.That(_json.GetProperty("device").GetString(), Is.EqualTo("up5k"));
        Assert.That(_json.GetProperty("fits").GetBoolean(), Is.True);
        var cells = _json.GetProperty("cells");
        var lcs = cells.GetProperty("logicCells");
        Assert.Multiple(() =>
        {
            Assert.That(lcs.GetProperty("available").GetInt32(), Is.EqualTo(5280));
            Assert.That(lcs.GetProperty("used").GetInt32(), Is.InRange(2000, 5280 * 9 / 10), "the untagged board SoC takes at most 90% of the logic cells");
            Assert.That(Used(cells, "spram"), Is.EqualTo(2), "64 KiB of RAM in two SPRAM blocks");
            Assert.That(Used(cells, "dsp"), Is.InRange(1, 8), "the multiplier in SB_MAC16 blocks");
            Assert.That(Used(cells, "bram"), Is.InRange(4, 30), "register file, BTB, boot ROM and UART FIFO in block RAM");
            Assert.That(Used(cells, "io"), Is.EqualTo(10), "CLK, UART_RX, UART_TX, LED[1:0], BTN and the four flash pins");
            Assert.That(Used(cells, "pll"), Is.Zero, "6 MHz is below the PLL's range: a divider");
        });
    }

    [Test]
    public void TheClockPlanIsADividerThatTheCoreMeets()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        Assert.That(_json.GetProperty("targetMHz").GetDouble(), Is.EqualTo(6.0));
        Assert.That(_json.GetProperty("clockPlan").GetString(), Does.Contain("divided by 2"));
        var fmax = _json.GetProperty("fmaxMHz");
        Assert.Multiple(() =>
        {
            Assert.That(fmax.GetProperty("clk").GetDouble(), Is.GreaterThanOrEqualTo(6.0).And.LessThan(100), "the core clock");
            Assert.That(fmax.GetProperty("CLK").GetDouble(), Is.GreaterThanOrEqualTo(12.0), "the oscillator, which clocks the divider");
            Assert.That(_json.GetProperty("meetsTarget").GetBoolean(), Is.True);
        });
    }

    [Test]
    public void TheCriticalPathIsInTheCoreAndMapsToItsCSharpLines()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var path = _json.GetProperty("criticalPath");
        Assert.That(path.GetProperty("delayNs").GetDouble(), Is.GreaterThan(10));
        Assert.That(path.GetProperty("logicLevels").GetInt32(), Is.GreaterThan(3));
        var locations = path.GetProperty("nets").EnumerateArray()
            .Select(n => n.GetProperty("location").GetString()).OfType<string>().ToArray();
        Assert.That(locations, Has.Some.StartsWith("hdl/Designs/Riscv/"), string.Join("\n", locations));
    }

    [Test]
    public void TheBitstreamIsAnIce40BitstreamAndFlashesWithHelloAtTheBoardsOffset()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var bitstream = _json.GetProperty("bitstream").GetString()!;
        var bytes = File.ReadAllBytes(bitstream);
        Assert.That(bytes.Length, Is.InRange(100_000, 1 << 20), "the UP5K's bitstream is about 104 KiB");
        byte[] sync = [0x7E, 0xAA, 0x99, 0x7E];
        Assert.That(bytes.AsSpan(0, 64).IndexOf(sync), Is.GreaterThanOrEqualTo(0), "the iCE40 synchronisation word near the start");

        var flash = Cli.Run("fpga", "flash", "--board", "icebreaker", "--app", "hello", "--bitstream", bitstream,
            "--out", _temp.Combine("flash"), "--dry-run");
        Assert.That(flash.ExitCode, Is.EqualTo(0), flash.ToString());
        Assert.That(flash.Stdout, Does.Contain("openFPGALoader -b ice40_generic -f"));
        Assert.That(flash.Stdout, Does.Contain("0x00100000"), "the firmware image at the board's offset, 1 MiB");
    }

    [Test]
    public void TheSecondBoardSynthesisesFromItsBoardFileAlone()
    {
        var board = Board.Load("upduino3");
        var top = BoardDesign.Create(board, null);
        var design = Elaborator.Elaborate(top.Top);
        var pcf = PcfFile.Parse(board.ReadPcf(), "constraints/upduino3.pcf");
        Assert.That(pcf.Check(design.Top), Is.Empty, "every port of the UPduino's top has a pin and every pin a port");

        var emitted = VerilogEmitter.Emit(design);
        var verilog = _temp.Combine("upduino3", "verilog");
        VerilogEmitter.WriteTo(emitted, verilog);
        var cells = FpgaFlow.Synthesize(verilog, emitted.TopModule, _temp.Combine("upduino3", "synth"));
        var report = string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"));
        Assert.Multiple(() =>
        {
            Assert.That(cells.GetValueOrDefault("SB_SPRAM256KA"), Is.EqualTo(2), report);
            Assert.That(cells.GetValueOrDefault("SB_MAC16"), Is.InRange(1, 8), report);
            Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.InRange(4, 30), report);
            Assert.That(cells.Keys.Where(k => k.StartsWith("$mem", StringComparison.Ordinal)), Is.Empty, "a memory left unmapped\n" + report);
            Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.InRange(2000, 5280 * 9 / 10), report);
            Assert.That(cells.GetValueOrDefault("SB_PLL40_PAD"), Is.Zero, report);
        });
    }

    /// <summary>
    /// 24 MHz is in the PLL's range. The iCEBreaker's oscillator is on the PLL's pad (pin 35): SB_PLL40_PAD. The
    /// UPduino's is on pin 20, which cannot reach the PLL directly: SB_PLL40_CORE, fed through the fabric.
    /// </summary>
    [TestCase("icebreaker", "SB_PLL40_PAD", "assign pll_PACKAGEPIN = CLK;")]
    [TestCase("upduino3", "SB_PLL40_CORE", "assign pll_REFERENCECLK = CLK;")]
    public void AClockInThePllsRangeGetsThePllTheBoardCanFeed(string boardName, string primitive, string connection)
    {
        var top = BoardDesign.Create(Board.Load(boardName), 24);
        Assert.That(top.TargetMHz, Is.EqualTo(24.0));
        Assert.That(top.ClockDescription, Does.Contain("PLL"));
        var emitted = VerilogEmitter.Emit(top.Top);
        var verilog = emitted.VerilogFiles.Single(f => f.RelativePath == "BoardSoc.v").Content;
        Assert.That(verilog, Does.Contain(primitive + " ").And.Contain(connection).And.Contain(".DIVF(63)"));

        var folder = _temp.Combine("pll-" + boardName, "verilog");
        VerilogEmitter.WriteTo(emitted, folder);
        var cells = FpgaFlow.Synthesize(folder, emitted.TopModule, _temp.Combine("pll-" + boardName, "synth"));
        Assert.That(cells.GetValueOrDefault(primitive), Is.EqualTo(1), string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}")));
    }

    [Test]
    public void ThePowerOnResetOutlastsTheBlockRamsStartUpAtAnyClock()
    {
        var board = Board.Load("icebreaker");
        var slow = (HwGen.Designs.Boards.BoardSoc)BoardDesign.Create(board, 6).Top;
        var fast = (HwGen.Designs.Boards.BoardSoc)BoardDesign.Create(board, 48).Top;
        Assert.Multiple(() =>
        {
            Assert.That(slow.ResetCycles / 6.0, Is.GreaterThanOrEqualTo(HwGen.Designs.Boards.BoardSoc.MinResetMicroseconds));
            Assert.That(fast.ResetCycles / 48.0, Is.GreaterThanOrEqualTo(HwGen.Designs.Boards.BoardSoc.MinResetMicroseconds));
            Assert.That(fast.ResetCycles, Is.GreaterThan(slow.ResetCycles));
        });
    }
}
