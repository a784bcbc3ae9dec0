using HwGen.Designs;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

[TestFixture]
public sealed class DemoCommandTests
{
    [Test]
    public void DemoEmitsChecksAndSimulatesEveryDesign()
    {
        using var temp = new TempDirectory();
        var previous = Environment.CurrentDirectory;
        CliRun run;
        try
        {
            Environment.CurrentDirectory = temp.Path;
            run = Cli.Run("demo");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        foreach (var name in DesignCatalog.Names)
        {
            Assert.That(File.Exists(temp.Combine("out", "demo", name, "manifest.json")), Is.True, name);
            Assert.That(run.Stdout, Does.Contain($"pass verilator lint: {name}: no warnings"), run.ToString());
            Assert.That(run.Stdout, Does.Contain($"pass yosys check: {name}:"), run.ToString());
        }
        Assert.That(run.Stdout, Does.Contain("pass verilator simulation: counter:").And.Contain("match the reference model"));
        Assert.That(run.Stdout, Does.Contain("Demo results").And.Contain(" 0 failed"));
    }
}
