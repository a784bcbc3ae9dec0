using System.Text.Json;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

[TestFixture]
public sealed class BenchCommandTests
{
    [Test]
    public void JsonListsEveryFigureWithItsStatistics()
    {
        var run = Cli.Run("bench", "--runs", "1", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var figures = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.That(figures.Keys, Is.EquivalentTo(new[] { "iss.speed", "rtl.cpi", "verilator.speed", "verilator.cosim.speed", "testbench.speed" }));
        foreach (var (name, figure) in figures)
        {
            Assert.That(figure.GetProperty("runs").GetInt32(), Is.EqualTo(1), name);
            Assert.That(figure.GetProperty("value").GetDouble(), Is.EqualTo(figure.GetProperty("median").GetDouble()), name);
            Assert.That(figure.GetProperty("min").GetDouble(), Is.LessThanOrEqualTo(figure.GetProperty("max").GetDouble()), name);
            Assert.That(figure.GetProperty("unit").GetString(), Is.Not.Empty, name);
        }
        // A pipelined core retires at most one instruction per cycle.
        Assert.That(figures["rtl.cpi"].GetProperty("value").GetDouble(), Is.GreaterThanOrEqualTo(1.0));
        // A cycle driven from a C# testbench costs well under a microsecond.
        Assert.That(figures["testbench.speed"].GetProperty("unit").GetString(), Is.EqualTo("M cycles/s"));
        Assert.That(figures["testbench.speed"].GetProperty("value").GetDouble(), Is.GreaterThan(1.0));
    }

    [Test]
    public void ZeroRunsIsAUsageError()
    {
        var run = Cli.Run("bench", "--runs", "0");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--runs"));
    }
}
