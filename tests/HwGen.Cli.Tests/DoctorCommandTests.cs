using HwGen.Gen.Tools;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

[TestFixture]
public sealed class DoctorCommandTests
{
    [Test]
    public void DoctorListsEveryToolAndExitsByWhetherAllArePresent()
    {
        var run = Cli.Run("doctor");

        foreach (var tool in ExternalTools.All)
            Assert.That(run.Stdout, Does.Contain(tool.Command), run.ToString());
        var missing = ExternalTools.MissingPackages(ExternalTools.All);
        if (missing.Count == 0)
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.Stdout, Does.Contain("All external tools are installed."));
        }
        else
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Stdout, Does.Contain(ExternalTools.InstallCommand(missing)));
        }
    }

    [Test]
    public void DoctorShowsThePathAndVersionOfAnInstalledTool()
    {
        var installed = ExternalTools.All.FirstOrDefault(t => t.IsInstalled);
        Assume.That(installed, Is.Not.Null, "no external tool is installed");

        var run = Cli.Run("doctor");

        Assert.That(run.Stdout, Does.Contain(installed!.Locate()!));
        Assert.That(run.Stdout, Does.Contain(installed.Version()!));
    }

    [Test]
    public void EnsureInstalledDoesNothingWhenEverythingIsPresent()
    {
        var shell = new ExternalTool("sh", "dash", "-c true", "test shell");
        Assume.That(shell.IsInstalled, Is.True);
        var log = new List<string>();

        ToolInstaller.EnsureInstalled([shell], log.Add);

        Assert.That(log, Is.Empty);
    }
}
