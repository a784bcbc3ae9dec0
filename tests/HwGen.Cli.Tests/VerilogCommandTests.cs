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

    private static string Header(string folder, string file) =>
        string.Join('\n', File.ReadLines(Path.Combine(folder, file)).Take(3));

    [Test]
    public void TheCoreOptionsReachTheCoresParametersAndItsModules()
    {
        var plain = _temp.Combine("plain");
        var small = _temp.Combine("small");
        var btb = _temp.Combine("btb");

        var runs = new[]
        {
            Cli.Run("verilog", "--config", "core", "--out", plain),
            Cli.Run("verilog", "--config", "core", "--predictor", "static", "--no-m", "--out", small),
            Cli.Run("verilog", "--config", "core", "--btb-entries", "16", "--out", btb),
        };

        Assert.That(runs.Select(r => r.ExitCode), Is.All.EqualTo(0), string.Join("\n", runs.Select(r => r.ToString())));
        Assert.Multiple(() =>
        {
            Assert.That(Header(plain, "Core.v"), Does.Contain("WithM = true, BranchPredictor = Btb, BtbEntries = 64"));
            Assert.That(File.Exists(Path.Combine(plain, "Divider.v")), Is.True, "the default core divides");
            Assert.That(Header(small, "Core.v"), Does.Contain("WithM = false, BranchPredictor = StaticBackwardTaken"));
            Assert.That(File.Exists(Path.Combine(small, "Divider.v")), Is.False, "no divider without M");
            Assert.That(File.Exists(Path.Combine(small, "StaticBranchPredictor.v")), Is.True);
            Assert.That(File.Exists(Path.Combine(small, "BranchTargetBuffer.v")), Is.False);
            Assert.That(Header(btb, "Core.v"), Does.Contain("BranchPredictor = Btb, BtbEntries = 16"));
        });
    }

    [Test]
    public void TheCoreOptionsOverrideTheParametersOfAConfigurationFile()
    {
        var config = _temp.WriteFile("nopred.json", """{ "design": "soc", "parameters": { "branchPredictor": "none", "withM": false } }""");
        var output = _temp.Combine("soc");

        var run = Cli.Run("verilog", "--config", config, "--predictor", "btb", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Header(output, "Core.v"), Does.Contain("WithM = false, BranchPredictor = Btb"));
    }

    [TestCase("--predictor", "gshare", "--predictor gshare")]
    [TestCase("--btb-entries", "3", "--btb-entries 3")]
    [TestCase("--btb-entries", "-4", "--btb-entries -4")]
    public void ABadCoreOptionIsAUsageErrorNamingIt(string option, string value, string named)
    {
        var run = Cli.Run("verilog", "--config", "core", option, value, "--out", _temp.Combine("bad"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain(named));
        Assert.That(Directory.Exists(_temp.Combine("bad")), Is.False);
    }

    [Test]
    public void ACoreOptionForADesignWithoutACoreIsAUsageError()
    {
        var run = Cli.Run("verilog", "--config", "counter", "--no-m", "--out", _temp.Combine("counter"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("--no-m").And.Contain("'counter' has no core").And.Contain("core and soc"));
    }

    [Test]
    public void ABadPredictorInAConfigurationFileNamesTheParameter()
    {
        var config = _temp.WriteFile("bad.json", """{ "design": "core", "parameters": { "branchPredictor": "gshare" } }""");

        var run = Cli.Run("verilog", "--config", config, "--out", _temp.Combine("bad"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines.Single(), Does.Contain("branchPredictor").And.Contain("none, static, btb"));
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

    [Test]
    public void AFolderThatCannotBeWrittenIsAUsageErrorNamingIt()
    {
        var blocker = _temp.WriteFile("blocker", "a file where a folder should be");
        var output = Path.Combine(blocker, "verilog");

        var run = Cli.Run("verilog", "--config", "counter", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("--out " + output).And.Contain(blocker + " is a file").And.Not.Contain(".new-"));
        Assert.That(_temp.Listing(), Is.EqualTo(new[] { "blocker" }));
    }
}
