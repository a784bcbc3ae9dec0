using HwGen.Gen.Tools;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>The behavioural board models in sim/Board are clean under Verilator's lint and accepted by Icarus.</summary>
[TestFixture]
public sealed class BoardModelTests
{
    [TestCase("spi_flash_model.v", "spi_flash_model", new string[0])]
    [TestCase("spi_flash_model.v", "spi_flash_model", new[] { "-GSIZE_BYTES=4096", "-GSTART_POWERED_DOWN=1" })]
    [TestCase("uart_monitor.v", "uart_monitor", new string[0])]
    [TestCase("uart_monitor.v", "uart_monitor", new[] { "-GCLOCKS_PER_BIT=8", "-GPRINT=0" })]
    public void LintsClean(string file, string top, string[] parameters)
    {
        var path = Path.Combine(DeviceBench.RepositoryRoot(), DeviceBench.BoardModelsFolder, file);
        using var scratch = new ScratchDirectory("lint-" + top);
        var verilator = ProcessRunner.Run(
            ToolRunner.Locate(ExternalTools.Verilator), ["--lint-only", "-Wall", "--top-module", top, .. parameters, path], scratch.Path);
        Assert.That(verilator.Succeeded && verilator.Output.Length == 0, Is.True, "verilator -Wall:\n" + verilator.Output);
        var iverilog = ProcessRunner.Run(
            ToolRunner.Locate(ExternalTools.Iverilog),
            ["-g2012", "-o", "/dev/null", "-s", top, .. parameters.Select(p => "-P" + top + "." + p[2..]), path], scratch.Path);
        Assert.That(iverilog.Succeeded && iverilog.Output.Length == 0, Is.True, "iverilog:\n" + iverilog.Output);
        scratch.Complete();
    }
}
