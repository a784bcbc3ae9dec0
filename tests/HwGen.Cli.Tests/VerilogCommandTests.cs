using NUnit.Framework;

namespace HwGen.Cli.Tests;

[TestFixture]
public sealed class VerilogCommandTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void CatalogNameWritesTheVerilogAndTheManifest()
    {
        var output = _temp.Combine("counter");

        var run = Cli.Run("verilog", "--config", "counter", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var files = Directory.GetFiles(output).Select(Path.GetFileName).ToArray();
        Assert.That(files, Does.Contain("manifest.json"));
        Assert.That(files.Where(f => f!.EndsWith(".v", StringComparison.Ordinal)), Is.Not.Empty);
        Assert.That(File.ReadAllText(Path.Combine(output, "manifest.json")), Does.Contain("counter").IgnoreCase);
        Assert.That(run.Stdout, Does.Contain("manifest.json").And.Contain(output));
        Assert.That(_temp.Listing().Where(p => !p.StartsWith("counter", StringComparison.Ordinal)), Is.Empty, "no staging directory is left behind");
    }

    [Test]
    public void ASecondRunReplacesTheWholeDirectory()
    {
        var output = _temp.Combine("counter");
        Assert.That(Cli.Run("verilog", "--config", "counter", "--out", output).ExitCode, Is.EqualTo(0));
        File.WriteAllText(Path.Combine(output, "stale.v"), "module stale; endmodule\n");

        var run = Cli.Run("verilog", "--config", "counter", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.Exists(Path.Combine(output, "stale.v")), Is.False);
        Assert.That(File.Exists(Path.Combine(output, "manifest.json")), Is.True);
        Assert.That(_temp.Listing().Where(p => !p.StartsWith("counter", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void AFolderThatIsNotAnEarlierOutputIsRefusedAndKept()
    {
        var output = _temp.Combine("src");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "Program.cs"), "// the user's own\n");

        var run = Cli.Run("verilog", "--config", "counter", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(output).And.Contain("no manifest.json"));
        Assert.That(File.ReadAllText(Path.Combine(output, "Program.cs")), Is.EqualTo("// the user's own\n"));
        Assert.That(Directory.GetFiles(output), Has.Length.EqualTo(1));
    }

    [Test]
    public void JsonConfigWithParametersIsEmitted()
    {
        var config = _temp.WriteFile("small-fifo.json", """
            {
              "design": "fifo",
              "parameters": { "width": 8, "depth": 16 }
            }
            """);
        var output = _temp.Combine("fifo-out");

        var run = Cli.Run("verilog", "--config", config, "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.Exists(Path.Combine(output, "manifest.json")), Is.True);
    }

    [Test]
    public void UnknownDesignNameIsAUsageErrorThatNamesIt()
    {
        var output = _temp.Combine("out");

        var run = Cli.Run("verilog", "--config", "no-such-design", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("'no-such-design'").And.Contain("counter"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void MissingJsonFileIsAUsageErrorThatNamesIt()
    {
        var config = _temp.Combine("absent.json");

        var run = Cli.Run("verilog", "--config", config, "--out", _temp.Combine("out"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(config).And.Contain("not found"));
    }

    [Test]
    public void JsonSyntaxErrorNamesTheFileAndTheLine()
    {
        var config = _temp.WriteFile("broken.json", "{\n  \"design\": \"fifo\",\n  \"parameters\" { \"width\": 8 }\n}\n");

        var run = Cli.Run("verilog", "--config", config, "--out", _temp.Combine("out"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(config + "(3,").And.Contain("invalid JSON"));
        Assert.That(run.Stderr, Does.Not.Contain("   at "));
    }

    [Test]
    public void JsonConfigNamingAnUnknownDesignIsAUsageError()
    {
        var config = _temp.WriteFile("typo.json", """{ "design": "fifoo" }""");

        var run = Cli.Run("verilog", "--config", config, "--out", _temp.Combine("out"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(config).And.Contain("'fifoo'"));
    }

    [Test]
    public void JsonConfigWithAnUnknownPropertyIsAUsageError()
    {
        var config = _temp.WriteFile("extra.json", """{ "design": "fifo", "paramters": { "width": 8 } }""");

        var run = Cli.Run("verilog", "--config", config, "--out", _temp.Combine("out"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(config).And.Contain("\"paramters\""));
    }

    [Test]
    public void BadParameterIsAUsageErrorThatNamesTheParameter()
    {
        var config = _temp.WriteFile("bad-depth.json", """{ "design": "fifo", "parameters": { "width": 8, "depth": "sixteen" } }""");

        var run = Cli.Run("verilog", "--config", config, "--out", _temp.Combine("out"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(config).And.Contain("depth"));
        Assert.That(run.Stderr, Does.Not.Contain("   at "));
    }

    [Test]
    public void FailedEmissionLeavesTheOutputDirectoryUntouched()
    {
        var output = _temp.Combine("fifo");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "manifest.json"), "{}\n");
        File.WriteAllText(Path.Combine(output, "fifo.v"), "// from an earlier run\n");
        var config = _temp.WriteFile("bad.json", """{ "design": "fifo", "parameters": { "depth": "sixteen" } }""");
        var before = _temp.Listing();

        var run = Cli.Run("verilog", "--config", config, "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(_temp.Listing(), Is.EqualTo(before));
        Assert.That(File.ReadAllText(Path.Combine(output, "fifo.v")), Is.EqualTo("// from an earlier run\n"));
    }

    [Test]
    public void OutputThatIsAFileIsAUsageError()
    {
        var output = _temp.WriteFile("occupied", "not a directory");

        var run = Cli.Run("verilog", "--config", "counter", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(output));
        Assert.That(File.ReadAllText(output), Is.EqualTo("not a directory"));
    }
}
