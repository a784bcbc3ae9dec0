using System.Text.Json;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>
/// The interconnect and the wait-state injector emit Verilog that Verilator's lint, Icarus and Yosys accept; the
/// interconnect for the board's map has its ports named by region and its cost on the iCE40 measured.
/// </summary>
[TestFixture]
public sealed class InterconnectVerilogTests
{
    private static MemoryMap BoardMap => MemoryMap.Ice40Up5k with { BootRomSize = 2048 };

    [Test]
    public void TheBoardInterconnectIsLintClean()
    {
        var result = VerilogEmitter.Emit(new Interconnect(BoardMap));
        Assert.That(result.Warnings.Select(w => w.Message), Is.EqualTo(new[] { "input 'Instr_WriteData' of Interconnect is never read" }),
            "the instruction bus only fetches; nothing else goes unread");
        VerilogToolChecks.AssertClean(result);
    }

    [Test]
    public void TheSimulationInterconnectWithTwoRamPortsIsLintClean()
    {
        var interconnect = new Interconnect(MemoryMap.Simulation, ["RAM"]);
        var result = VerilogEmitter.Emit(interconnect);
        var verilog = string.Join('\n', result.VerilogFiles.Select(f => f.Content));
        Assert.Multiple(() =>
        {
            Assert.That(interconnect.FetchPort("RAM"), Is.Not.Null);
            Assert.That(interconnect.FetchPort("UART"), Is.Null);
            Assert.That(verilog, Does.Match(@"output wire \[21:0\]\s+RAM_fetch_Offset"));
            Assert.That(verilog, Does.Match(@"output wire \[15:0\]\s+CLINT_Offset"));
            Assert.That(verilog, Does.Match(@"input  wire \[31:0\]\s+UART_ReadData"));
        });
        VerilogToolChecks.AssertClean(result);
    }

    [Test]
    public void WithAnEarlyIntentTheSharedRamPortsAddressFollowsTheIntentNotTheRequest()
    {
        var interconnect = new Interconnect(BoardMap, dataIntent: true);
        var result = VerilogEmitter.Emit(interconnect);
        var lines = result.VerilogFiles.SelectMany(f => f.Content.Split('\n')).Select(l => l.Trim()).ToList();
        string Assignment(string name) => lines.Single(l => l.StartsWith($"assign {name} =", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(new Interconnect(BoardMap).DataIntent, Is.Null, "only when asked for");
            Assert.That(interconnect.DataIntent, Is.Not.Null);
            Assert.That(Assignment("RAM_dataWants"), Does.Contain("DataIntent").And.Not.Contain("Data_Valid").And.Not.Contain("dataValid"),
                "the claim on the shared port comes from the intent alone");
            Assert.That(Assignment("RAM_Offset"), Does.Contain("RAM_dataWants").And.Not.Contain("RAM_dataHit"), "the address is steered by the claim");
            Assert.That(Assignment("RAM_instrGo"), Does.Contain("RAM_dataWants").And.Not.Contain("RAM_dataHit"), "no fetch while data claims the port");
            Assert.That(Assignment("RAM_Write"), Does.Contain("RAM_dataGo"), "the request's decision enters the write enable");
        });
        VerilogToolChecks.AssertClean(result);
    }

    [Test]
    public void AQuietRegionIsReadWithoutAReadSelect()
    {
        var interconnect = new Interconnect(BoardMap, quietRegions: ["UART", "CLINT"]);
        var result = VerilogEmitter.Emit(interconnect);
        var verilog = string.Join('\n', result.VerilogFiles.Select(f => f.Content));
        Assert.Multiple(() =>
        {
            Assert.That(interconnect.QuietRegions, Is.EqualTo(new[] { "CLINT", "UART" }), "in address order");
            Assert.That(interconnect.Decoded, Does.Contain("UART 0x10000000+0x1000 rw-bhw quiet"));
            Assert.That(verilog, Does.Not.Contain("CLINT_dataReads"));
            Assert.That(verilog, Does.Not.Contain("UART_dataReads"));
            Assert.That(verilog, Does.Contain("GPIO_dataReads"));
            Assert.That(verilog, Does.Match(@"assign Data_ReadData = .*\| CLINT_ReadData\)"), "ORed in as it is");
        });
        VerilogToolChecks.AssertClean(result);
        Assert.That(() => new Interconnect(BoardMap, quietRegions: ["RAM"]), Throws.ArgumentException.With.Message.Contains("RAM, which is executable"));
        Assert.That(() => new Interconnect(BoardMap, quietRegions: ["TIMER"]), Throws.ArgumentException.With.Message.Contains("TIMER, which the map does not have"));
    }

    [Test]
    public void AQuietExecutableRegionAnswersBothMastersWithoutReadSelectsWhenTheResponsesAreApart()
    {
        var interconnect = new Interconnect(BoardMap, waitingRegions: ["RAM"], responsesApart: true, quietRegions: ["RAM", "BOOTROM"]);
        var result = VerilogEmitter.Emit(interconnect);
        var verilog = string.Join('\n', result.VerilogFiles.Select(f => f.Content));
        Assert.Multiple(() =>
        {
            Assert.That(interconnect.Decoded, Does.Contain("rwx").And.Contain("wait quiet"));
            Assert.That(verilog, Does.Not.Contain("RAM_dataReads").And.Not.Contain("RAM_instrReads"), "no read selects");
            Assert.That(verilog, Does.Not.Contain("BOOTROM_dataReads").And.Not.Contain("BOOTROM_instrReads"));
            Assert.That(verilog, Does.Contain("RAM_instrOutstanding"), "a fetch still waits for the waiting RAM");
            Assert.That(verilog, Does.Match(@"assign Data_ReadData = .*\| RAM_ReadData\b"), "ORed in as it is");
        });
        VerilogToolChecks.AssertClean(result);
        Assert.That(() => new Interconnect(BoardMap, separateFetchPorts: ["RAM"], responsesApart: true, quietRegions: ["RAM"]),
            Throws.ArgumentException.With.Message.Contains("RAM, which is executable"), "a separate fetch port holds its word");
    }

    [Test]
    public void OneFetchSourceIsReadWithoutAReadSelect()
    {
        string Emit(MemoryMap map)
        {
            var result = VerilogEmitter.Emit(new Interconnect(map));
            VerilogToolChecks.AssertClean(result);
            return string.Join('\n', result.VerilogFiles.Select(f => f.Content));
        }
        var ramOnly = Emit(MemoryMap.Ice40Up5k);
        var withRom = Emit(BoardMap);
        Assert.Multiple(() =>
        {
            Assert.That(ramOnly, Does.Match(@"assign Instr_ReadData = RAM_ReadData;"), "the RAM alone: its port as it is");
            Assert.That(ramOnly, Does.Not.Contain("RAM_instrReads"));
            Assert.That(withRom, Does.Contain("RAM_instrReads"), "the RAM and the boot ROM: a read select each");
            Assert.That(withRom, Does.Contain("BOOTROM_instrReads"));
        });
    }

    [Test]
    public void TheWaitStateInjectorIsLintClean([Values(0, 3)] int maxResponseDelay)
    {
        var result = VerilogEmitter.Emit(new WaitStateInjector(stallOneIn: 4, maxResponseDelay: maxResponseDelay));
        Assert.That(result.Warnings, Is.Empty);
        VerilogToolChecks.AssertClean(result);
    }

    [Test]
    public void AMapTheDecoderCannotTakeIsRefused()
    {
        var map = MemoryMap.Simulation with { PexCallSize = 0x1800 };
        var error = Assert.Throws<MemoryMapException>(() => _ = new Interconnect(map));
        Assert.That(error!.Message, Does.Contain("region PEXCALL at 0x20000000 of size 0x00001800 is not aligned for the decoder"));
        Assert.That(() => new Interconnect(MemoryMap.Simulation, ["UART"]), Throws.ArgumentException.With.Message.Contains("UART, which is not executable"));
        Assert.That(() => new Interconnect(MemoryMap.Simulation, ["ROM"]), Throws.ArgumentException.With.Message.Contains("ROM, which the map does not have"));
        Assert.That(() => new WaitStateInjector(stallOneIn: 3), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new WaitStateInjector(maxResponseDelay: 2), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    /// <summary>The interconnect alone, every device read port 32 bits wide: an upper bound on what it costs in the board SoC.</summary>
    [Test]
    public void TheBoardInterconnectSynthesisesForTheIce40()
    {
        using var scratch = new ScratchDirectory("synth-interconnect");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(new Interconnect(BoardMap)), scratch.Combine("rtl"));
        var script = $"read_verilog {string.Join(' ', design.VerilogFiles)}; synth_ice40 -top {design.TopModule}; tee -q -o stat.json stat -json";
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(5));
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(design.Directory, "stat.json")));
        var cells = json.RootElement.GetProperty("design").GetProperty("num_cells_by_type").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        int luts = cells.GetValueOrDefault("SB_LUT4");
        int flops = cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value);
        var report = $"{design.TopModule}: {luts} SB_LUT4, {flops} flip-flops; cells: " + string.Join(", ", cells.Select(c => $"{c.Key} {c.Value}"));
        TestContext.Out.WriteLine(report);
        Assert.Multiple(() =>
        {
            // Two response flags per master and one read-select per region and master.
            Assert.That(flops, Is.EqualTo(2 + 2 + BoardMap.Regions.Count + BoardMap.Regions.Count(r => r.Executable)), report);
            Assert.That(luts, Is.InRange(100, 320), report);
        });
        scratch.Complete();
    }
}
