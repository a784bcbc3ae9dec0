using NUnit.Framework;

namespace HwGen.Cli.Tests;

[TestFixture]
public sealed class CommandLineTests
{
    [Test]
    public void ExitCodesAreTheDocumentedContract()
    {
        Assert.That((int)ExitCode.Success, Is.EqualTo(0));
        Assert.That((int)ExitCode.Failure, Is.EqualTo(1));
        Assert.That((int)ExitCode.UsageError, Is.EqualTo(2));
        Assert.That((int)ExitCode.PolicyViolation, Is.EqualTo(3));
        Assert.That((int)ExitCode.Divergence, Is.EqualTo(4));
        Assert.That((int)ExitCode.CycleLimit, Is.EqualTo(5));
    }

    [Test]
    public void HelpListsTheVerbsAndSucceeds()
    {
        var run = Cli.Run("--help");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("doctor").And.Contain("verilog").And.Contain("demo"));
        Assert.That(run.Stderr, Is.Empty);
    }

    [Test]
    public void UnknownVerbIsAUsageErrorOnOneLine()
    {
        var run = Cli.Run("frobnicate");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.StartWith("hwgen: ").And.Contain("'frobnicate'").And.Contain("hwgen --help"));
        Assert.That(run.Stdout, Is.Empty);
    }

    [Test]
    public void UnknownOptionIsAUsageErrorOnOneLineThatNamesIt()
    {
        var run = Cli.Run("doctor", "--frobnicate");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("'--frobnicate'").And.Contain("hwgen doctor --help"));
    }

    [Test]
    public void MissingVerbIsAUsageError()
    {
        var run = Cli.Run();

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
    }

    [Test]
    public void VerilogWithoutConfigNamesTheMissingOption()
    {
        var run = Cli.Run("verilog");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("--config"));
    }

    [Test]
    public void OptionWithoutItsValueIsAUsageError()
    {
        var run = Cli.Run("verilog", "--config");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.Contain("--config"));
    }
}
