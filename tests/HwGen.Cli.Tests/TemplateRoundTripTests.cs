using System.Reflection;
using System.Security;
using HwGen.Gen.Tools;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary>
/// The packages and the project template end to end, offline and without touching the machine's state: pack the
/// libraries and the template into a temporary feed, install the template into a temporary hive (with a temporary
/// DOTNET_CLI_HOME), create a project from it, build it and run its tests against the packages of that feed (NuGet's
/// packages folder a temporary one too, the machine's packages folder a feed for NUnit and the rest), then install
/// <c>hwgen</c> as a .NET tool from the same feed into a folder of its own and emit the module with
/// <c>hwgen verilog --project</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TemplateRoundTripTests
{
    private static readonly string[] Libraries =
        ["hdl/Hdl/HwGen.Hdl.csproj", "gen/Core/HwGen.Gen.csproj", "hdl/Designs/HwGen.Designs.csproj", "sim/HwGen.Sim.csproj", "gen/hwgen.csproj"];

    [Test]
    public void ATemplateProjectBuildsTestsAndEmitsAgainstTheLocalPackages()
    {
        using var temp = new TempDirectory();
        var root = Repository.Root;
        var feed = temp.Combine("feed");
        var hive = temp.Combine("hive");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = temp.Combine("home"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        Directory.CreateDirectory(environment["DOTNET_CLI_HOME"]);

        // The libraries as this build made them (in this test assembly's configuration: dotnet pack defaults to
        // Release); the template package is built here (it has no code).
        var configuration = typeof(TemplateRoundTripTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        foreach (var library in Libraries)
            Dotnet(root, environment, "pack", Path.Combine(root, library), "--no-build", "-c", configuration, "-o", feed);
        Dotnet(root, environment, "pack", Path.Combine(root, "hdl/Template/HwGen.Templates.csproj"), "-o", feed);
        var version = File.ReadLines(Path.Combine(root, "Directory.Build.props"))
            .Select(l => l.Trim()).First(l => l.StartsWith("<Version>", StringComparison.Ordinal))[9..^10];
        Assert.That(Directory.GetFiles(feed).Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            $"HwGen.Hdl.{version}.nupkg", $"HwGen.Gen.{version}.nupkg", $"HwGen.Designs.{version}.nupkg",
            $"HwGen.Sim.{version}.nupkg", $"HwGen.Cli.{version}.nupkg", $"HwGen.Templates.{version}.nupkg",
        }));

        var work = temp.Combine("work");
        Directory.CreateDirectory(work);
        Dotnet(work, environment, "new", "install", Path.Combine(feed, $"HwGen.Templates.{version}.nupkg"), "--debug:custom-hive", hive);
        Dotnet(work, environment, "new", "hwgen-design", "-n", "Lights", "-o", Path.Combine(work, "Lights"), "--debug:custom-hive", hive);
        var project = Path.Combine(work, "Lights");
        Assert.That(Directory.GetFiles(project).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "Lights.csproj", "Blinker.cs", "BlinkerTests.cs", "README.md" }));
        Assert.That(File.ReadAllText(Path.Combine(project, "Lights.csproj")), Does.Contain($"Include=\"HwGen.Sim\" Version=\"{version}\""));
        Assert.That(File.ReadAllText(Path.Combine(project, "Blinker.cs")), Does.Contain("namespace Lights;"));
        Assert.That(File.ReadAllText(Path.Combine(project, "README.md")),
            Does.Contain("dotnet test").And.Contain("hwgen verilog --project Lights.csproj --design Blinker"));

        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{SecurityElement.Escape(temp.Combine("packages"))}" />
              </config>
              <packageSources>
                <clear />
                <add key="hwgen" value="{SecurityElement.Escape(feed)}" />
                <add key="machine" value="{SecurityElement.Escape(machinePackages)}" />
              </packageSources>
            </configuration>
            """);

        var test = Dotnet(project, environment, "test", "--nologo");
        Assert.That(test.Stdout, Does.Contain("Passed!").And.Contain("Passed:     2"), test.Output);
        Assert.That(Directory.Exists(Path.Combine(temp.Path, "packages", "hwgen.sim", version)), Is.True, "HwGen.Sim came from the local feed");

        // hwgen as the .NET tool from the same feed, installed into a folder of its own.
        var tools = temp.Combine("tools");
        Dotnet(project, environment, "tool", "install", "HwGen.Cli", "--version", version, "--tool-path", tools);
        var emit = ProcessRunner.Run(Path.Combine(tools, "hwgen"),
            ["verilog", "--project", "Lights.csproj", "--design", "Blinker", "--param", "width=24", "--out", "verilog"],
            project, TimeSpan.FromMinutes(10), environment);
        Assert.That(emit.Succeeded, Is.True, emit.Output);
        Assert.That(emit.Stdout, Does.StartWith("Blinker: wrote 2 file(s) to verilog"));
        Assert.That(File.ReadAllText(Path.Combine(project, "verilog", "Blinker.v")),
            Does.Contain("from Lights.Blinker").And.Contain("Parameters: Width = 24"));

        Dotnet(work, environment, "new", "uninstall", "HwGen.Templates", "--debug:custom-hive", hive);
    }

    private static ProcessResult Dotnet(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", arguments, directory, TimeSpan.FromMinutes(10), environment);
        Assert.That(result.Succeeded, Is.True, $"dotnet {string.Join(' ', arguments)} in {directory}:\n{result.Output}");
        return result;
    }
}
