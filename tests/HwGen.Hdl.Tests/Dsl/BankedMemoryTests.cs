using HwGen.Designs.Examples;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using HwGen.Hdl.Tests.Soc;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Dsl;

/// <summary>
/// The directed-bus example: one <see cref="MemoryBus"/> declaration, In at the top, through a splitter to two
/// banks with one Connect per level, simulated against its bench (Benches/BankedMemory_tb.v).
/// </summary>
[TestFixture]
public sealed class BankedMemoryTests
{
    [Test]
    public void EveryWordWrittenThroughTheBusReadsBack([Values] Simulator simulator)
    {
        var memory = new BankedMemory(addressWidth: 6, dataWidth: 8);
        var lines = DeviceBench.AssertPasses(
            "banked-memory", memory, simulator,
            new Dictionary<string, int> { ["ADDRESS_WIDTH"] = memory.AddressWidth, ["DATA_WIDTH"] = memory.DataWidth },
            models: []);
        Assert.That(lines, Does.Contain("132 requests answered"));
    }

    [Test]
    public void EachLevelHasTheBusPortsInTheirDirections()
    {
        var result = VerilogEmitter.Emit(new BankedMemory());
        string File(string name) => result.VerilogFiles.Single(f => f.RelativePath == name + ".v").Content;
        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings, Is.Empty);
            Assert.That(File("BankedMemory"), Does.Match(@"input  wire \[5:0\] +Bus_Address,").And.Match(@"output wire \[7:0\] +Bus_ReadData,"));
            Assert.That(File("BusSplitter"), Does.Match(@"input  wire \[5:0\] +Up_Address,").And.Match(@"output wire \[5:0\] +Low_Address,")
                .And.Match(@"input  wire \[7:0\] +High_ReadData,").And.Match(@"output wire \[7:0\] +Up_ReadData,"));
            Assert.That(File("MemoryBank"), Does.Match(@"input  wire +Bus_Write,").And.Match(@"output (wire|reg ) +Bus_Ready"));
        });
        VerilogToolChecks.AssertClean(result);
    }
}
