using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary>
/// <c>hwgen verilog --project/--assembly --design TYPE --param NAME=VALUE</c>: a design project of the user's own,
/// outside this repository, built with dotnet build and emitted like a catalog design; and its errors, one line each.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserDesignTests
{
    private TempDirectory _temp = null!;
    private string _project = null!;
    private string _assembly = null!;

    private const string Blinker = """
        using HwGen.Hdl;
        using static HwGen.Hdl.Hw;

        namespace Lights;

        public enum Polarity { High, Low }

        /// <summary>Blinks an LED with the top bit of a counter.</summary>
        public sealed class Blinker : Module
        {
            public Blinker(int width = 4, Polarity polarity = Polarity.High)
            {
                if (width < 2)
                    throw new ArgumentOutOfRangeException(nameof(width), width, "a blinker needs at least 2 bits");
                Width = width;
                Polarity = polarity;
                count = Reg(width, reset: 0);
            }

            [Parameter] public int Width { get; }
            [Parameter] public Polarity Polarity { get; }

            public readonly Signal Led = Out(1);
            private readonly Signal count;

            protected override void Build()
            {
                count.Set(count + 1);
                Led.Set(Polarity == Polarity.High ? count[Width - 1] : ~count[Width - 1]);
            }
        }

        public sealed class Narrow : Module
        {
            public readonly Signal A = In(8);
            public readonly Signal Y = Out(4);

            protected override void Build()
            {
                Y.Set(A);
            }
        }

        public sealed class Helper { }
        """;

    [OneTimeSetUp]
    public void BuildTheProject()
    {
        _temp = new TempDirectory();
        var hdl = Path.Combine(Repository.Root, "hdl", "Hdl", "HwGen.Hdl.csproj");
        _project = _temp.WriteFile("Lights.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{hdl}" />
              </ItemGroup>
            </Project>
            """);
        _temp.WriteFile("Blinker.cs", Blinker);
        var run = Cli.Run("verilog", "--project", _project, "--design", "Blinker", "--param", "width=6", "--param", "polarity=low", "--out", _temp.Combine("blinker"));
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        _assembly = _temp.Combine("bin", "Debug", "net10.0", "Lights.dll");
        Assert.That(_assembly, Does.Exist);
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void TheProjectsModuleIsEmittedWithItsParameters()
    {
        var folder = _temp.Combine("blinker");
        var verilog = File.ReadAllText(Path.Combine(folder, "Blinker.v"));
        Assert.That(verilog, Does.Contain("from Lights.Blinker").And.Contain("Parameters: Width = 6, Polarity = Low"));
        Assert.That(verilog, Does.Contain("Blinker.cs:"), "the Verilog points at the user's source lines");
        Assert.That(File.ReadAllText(Path.Combine(folder, "manifest.json")), Does.Contain("\"top\": \"Blinker\""));
    }

    [Test]
    public void TheAssemblyGivesTheSameModuleWithItsDefaults()
    {
        var output = _temp.Combine("defaults");
        var run = Cli.Run("verilog", "--assembly", _assembly, "--design", "Lights.Blinker", "--out", output);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Does.StartWith("Blinker: wrote 2 file(s) to " + output));
        Assert.That(File.ReadAllText(Path.Combine(output, "Blinker.v")), Does.Contain("Parameters: Width = 4, Polarity = High"));
    }

    [Test]
    public void ADesignWithErrorsIsReportedAtTheUsersLine()
    {
        var output = _temp.Combine("narrow");
        var run = Cli.Run("verilog", "--assembly", _assembly, "--design", "Narrow", "--out", output);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        var line = Blinker.Split('\n').ToList().FindIndex(l => l.Contains("Y.Set(A)", StringComparison.Ordinal)) + 1;
        Assert.That(run.Stderr, Does.Contain($"Blinker.cs({line}): error"));
        Assert.That(output, Does.Not.Exist, "nothing is written");
    }

    [TestCase("Helper", "--design Helper: Lights.Helper is not a module (it does not derive from HwGen.Hdl.Module); its modules: Lights.Blinker, Lights.Narrow")]
    [TestCase("Blinkr", "--design Blinkr: no such type in Lights; its modules: Lights.Blinker, Lights.Narrow")]
    [TestCase("Blinker", "--param depth=3: Blinker has no parameter 'depth'; its parameters: width (int, default 4), polarity (Polarity, default High)", "depth=3")]
    [TestCase("Blinker", "Blinker(width: 1) threw ArgumentOutOfRangeException: a blinker needs at least 2 bits (Parameter 'width') Actual value was 1.", "width=1")]
    [TestCase("Blinker", "--param width=wide: not a valid int for Blinker", "width=wide")]
    [TestCase("Blinker", "--param polarity=up: not a valid Polarity for Blinker (one of High, Low)", "polarity=up")]
    [TestCase("Blinker", "--param width: expected NAME=VALUE", "width")]
    public void ABadDesignOrParameterIsOneLineWithExitCode2(string type, string message, string? parameter = null)
    {
        var output = _temp.Combine("bad");
        string[] args = ["verilog", "--assembly", _assembly, "--design", type, "--out", output, .. parameter is null ? Array.Empty<string>() : ["--param", parameter]];
        var run = Cli.Run(args);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Is.EqualTo(new[] { "hwgen: " + message }), run.ToString());
        Assert.That(output, Does.Not.Exist);
    }

    [Test]
    public void AProjectThatDoesNotCompileIsOneLineWithTheCompilersMessage()
    {
        using var broken = new TempDirectory();
        var project = broken.WriteFile("Broken.csproj", File.ReadAllText(_project));
        broken.WriteFile("Broken.cs", "namespace Broken; public sealed class X { int y = \"text\"; }");
        var run = Cli.Run("verilog", "--project", project, "--design", "X", "--out", broken.Combine("out"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrorLines[0], Does.StartWith($"hwgen: --project {project}: dotnet build failed (exit code 1): ").And.Contain("Broken.cs(1,").And.Contain("error CS0029"));
    }

    [TestCase(new[] { "--project", "x.csproj", "--assembly", "x.dll", "--design", "X" }, "--project and --assembly: give only one of them")]
    [TestCase(new[] { "--assembly", "x.dll" }, "--assembly: give the module class with --design TYPE")]
    [TestCase(new[] { "--config", "counter", "--design", "X" }, "--design: goes with --project or --assembly; a catalog design takes its parameters from --config FILE")]
    [TestCase(new[] { "--design", "X" }, "give the design: --config NAME|FILE, or --project CSPROJ or --assembly DLL with --design TYPE")]
    [TestCase(new[] { "--project", "/nonexistent/x.csproj", "--design", "X" }, "--project /nonexistent/x.csproj: project file not found")]
    public void OptionsThatDoNotGoTogetherAreOneLine(string[] options, string message)
    {
        var run = Cli.Run(["verilog", .. options]);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Is.EqualTo(new[] { "hwgen: " + message }));
    }
}
