using System.Buffers.Binary;
using System.Text.Json;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary>
/// <c>hwgen bench --quick</c>: every figure present once and plausible, the figures agreeing with each other where they
/// must (an overhead against its two cycle counts, the composite's misses in the policy table and at the default cache
/// size), and the report folder: report.md with its tables, bench.json, and PNG plots.
/// </summary>
[TestFixture]
public sealed class BenchCommandTests
{
    private const string Composite = "nxd-nwc+ret+heap+cfi+taint";
    private static readonly string[] Policies = ["none", "nxd-nwc", "taint", "heap", "ret", "cfi", Composite];
    private static readonly int[] RuleCacheSizes = [4, 8, 16, 32, 64, 128, 256];
    private static readonly string[] Plots = ["overhead.png", "hit-rate.png", "speed.png"];

    private TempDirectory _report = null!;
    private CliRun _run = null!;
    private Dictionary<string, JsonElement> _figures = null!;

    [OneTimeSetUp]
    public void MeasureOnce()
    {
        _report = new TempDirectory();
        _run = Cli.Run("bench", "--quick", "--json", "--out", _report.Path);
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        var entries = JsonDocument.Parse(_run.Stdout).RootElement.EnumerateArray().ToList();
        _figures = entries.ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.That(_figures, Has.Count.EqualTo(entries.Count), "a figure named twice");
    }

    [OneTimeTearDown]
    public void Clean() => _report?.Dispose();

    private static IEnumerable<string> ExpectedNames()
    {
        yield return "baseline.time";
        foreach (var timing in new[] { "verilog.emit", "verilator.build.cold", "verilator.build.warm", "sim.startup" })
        {
            yield return timing + ".time";
            yield return timing + ".ratio";
        }
        foreach (var speed in new[] { "iss.speed", "verilator.speed", "verilator.cosim.speed", "verilator.composite.cosim.speed", "testbench.speed" })
            yield return speed;
        foreach (var cpi in new[] { "rtl.cpi", "rtl.cpi.crc", "rtl.cpi.mix" })
            yield return cpi;
        foreach (var policy in Policies)
        {
            yield return $"policy.{policy}.cycles";
            if (policy != "none")
                yield return $"policy.{policy}.overhead";
            yield return $"policy.{policy}.hitRate";
            yield return $"policy.{policy}.misses";
            yield return $"policy.{policy}.pexCyclesPerMiss";
        }
        foreach (var entries in RuleCacheSizes)
        {
            yield return $"ruleCache.{entries}.hitRate";
            yield return $"ruleCache.{entries}.misses";
        }
    }

    private double Value(string name) => _figures[name].GetProperty("value").GetDouble();

    [Test]
    public void EveryFigureIsThereOnceWithItsStatistics()
    {
        Assert.That(_figures.Keys, Is.EquivalentTo(ExpectedNames()));
        Assert.Multiple(() =>
        {
            foreach (var (name, figure) in _figures)
            {
                // Four timings share the baseline, one sample each.
                Assert.That(figure.GetProperty("runs").GetInt32(), Is.EqualTo(name == "baseline.time" ? 4 : 1), name);
                double value = figure.GetProperty("value").GetDouble();
                Assert.That(value, Is.EqualTo(figure.GetProperty("median").GetDouble()), name);
                Assert.That(figure.GetProperty("min").GetDouble(), Is.LessThanOrEqualTo(value), name);
                Assert.That(figure.GetProperty("max").GetDouble(), Is.GreaterThanOrEqualTo(value), name);
                Assert.That(figure.GetProperty("unit").GetString(), Is.Not.Empty, name);
                Assert.That(figure.GetProperty("description").GetString(), Is.Not.Empty, name);
                if (name.EndsWith(".overhead", StringComparison.Ordinal))
                    Assert.That(value, Is.GreaterThanOrEqualTo(0), name);
                else
                    Assert.That(value, Is.GreaterThan(0), name);
                if (name.EndsWith(".hitRate", StringComparison.Ordinal))
                    Assert.That(value, Is.LessThanOrEqualTo(1), name);
            }
        });
    }

    [Test]
    public void TheFiguresArePlausibleAndAgreeWithEachOther()
    {
        Assert.Multiple(() =>
        {
            // A pipelined core retires at most one instruction per cycle.
            foreach (var cpi in new[] { "rtl.cpi", "rtl.cpi.crc", "rtl.cpi.mix" })
                Assert.That(Value(cpi), Is.GreaterThanOrEqualTo(1.0), cpi);
            // Found in the cache, the build is far quicker than from nothing.
            Assert.That(Value("verilator.build.warm.time"), Is.LessThan(Value("verilator.build.cold.time") / 10));
            // Lockstep adds the golden model to the RTL, and the composite adds the tag engine.
            Assert.That(Value("verilator.cosim.speed"), Is.LessThan(Value("verilator.speed")));
            Assert.That(Value("verilator.composite.cosim.speed"), Is.LessThan(Value("verilator.speed")));
            // A ratio is its time over the baseline (timed just before it, so within the baseline's spread).
            foreach (var timing in new[] { "verilog.emit", "verilator.build.cold", "sim.startup" })
            {
                double time = Value(timing + ".time"), ratio = Value(timing + ".ratio");
                double min = _figures["baseline.time"].GetProperty("min").GetDouble(), max = _figures["baseline.time"].GetProperty("max").GetDouble();
                Assert.That(ratio, Is.InRange(time / max * 0.999, time / min * 1.001), timing);
            }
            // Each overhead is its cycles over none's.
            double none = Value("policy.none.cycles");
            foreach (var policy in Policies.Skip(1))
                Assert.That(Value($"policy.{policy}.overhead"), Is.EqualTo((Value($"policy.{policy}.cycles") / none - 1) * 100).Within(1e-3), policy);
            // Every policy costs cycles over none (the miss handler is longer than none's).
            foreach (var policy in Policies.Skip(1))
                Assert.That(Value($"policy.{policy}.cycles"), Is.GreaterThan(none), policy);
            // The default rule cache is 64 entries: the sweep's 64 is the policy table's composite.
            Assert.That(Value("ruleCache.64.misses"), Is.EqualTo(Value($"policy.{Composite}.misses")));
            Assert.That(Value("ruleCache.64.hitRate"), Is.EqualTo(Value($"policy.{Composite}.hitRate")));
            // Four entries cannot hold the composite's working set; 256 hold far more of it.
            Assert.That(Value("ruleCache.4.misses"), Is.GreaterThan(Value("ruleCache.256.misses")));
        });
    }

    [Test]
    public void TheReportFolderHoldsTheReportTheJsonAndThePlots()
    {
        Assert.That(_report.Listing(), Is.EquivalentTo((string[])["report.md", "bench.json", .. Plots]), "no temporary file left behind, no area plot without --fpga");

        using var json = JsonDocument.Parse(File.ReadAllText(_report.Combine("bench.json")));
        Assert.That(json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()), Is.EqualTo(_figures.Keys));

        var report = File.ReadAllText(_report.Combine("report.md"));
        Assert.Multiple(() =>
        {
            foreach (var policy in Policies)
                Assert.That(report, Does.Contain(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| `{policy}` | {Value($"policy.{policy}.cycles"):#,0} |")), policy);
            foreach (var entries in RuleCacheSizes)
                Assert.That(report, Does.Contain($"| {entries} | "), entries.ToString());
            foreach (var name in _figures.Keys)
                Assert.That(report, Does.Contain($"| `{name}` |"), name);
            foreach (var plot in Plots)
                Assert.That(report, Does.Contain($"]({plot})"), plot);
        });

        foreach (var plot in Plots)
            AssertPlot(_report.Combine(plot));
    }

    /// <summary>A PNG of the report's size with something drawn in it.</summary>
    internal static void AssertPlot(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Length, Is.GreaterThan(5_000), path);
        Assert.That(bytes.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), path);
        // The first chunk is IHDR: the width and the height the report asks for.
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"), path);
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(800), path);
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), Is.EqualTo(450), path);
    }

}

/// <summary>
/// The report of <c>--fpga</c> figures (no place and route here: the suite keeps one, the board SoC's): the FPGA table
/// and the area plot, and no plot of figures that were not measured.
/// </summary>
[TestFixture]
public sealed class BenchReportTests
{
    [Test]
    public void FpgaFiguresGiveTheFpgaTableAndTheAreaPlotOnly()
    {
        using var temp = new TempDirectory();
        var figures = new List<Bench.BenchFigure>();
        int value = 100;
        foreach (var (design, _) in Bench.FpgaFigures.Designs)
        {
            foreach (var (kind, unit) in Bench.FpgaFigures.Kinds)
            {
                var figure = new Bench.BenchFigure($"fpga.{design}.{kind}", unit, $"{design} {unit}", Bench.BenchGroups.Fpga);
                figure.Samples.AddRange([value + 2, value, value + 1]);
                figures.Add(figure);
                value += 100;
            }
        }

        var written = Report.BenchReport.Write(temp.Path, figures, new Bench.BenchOptions(3, false, true, "icebreaker"));

        Assert.That(temp.Listing(), Is.EquivalentTo(new[] { "area.png", "bench.json", "report.md" }));
        Assert.That(written.Select(Path.GetFileName), Is.EquivalentTo(temp.Listing()));
        BenchCommandTests.AssertPlot(temp.Combine("area.png"));
        var report = File.ReadAllText(temp.Combine("report.md"));
        Assert.That(report, Does.Contain("## FPGA").And.Contain("](area.png)").And.Not.Contain("## Policies"));
        // The median of 102, 100 and 101, with the spread.
        Assert.That(report, Does.Contain("| `fpga.soc.lut4` | 101 | 100 | 102 | LUT4 | 3 | soc LUT4 |"));
    }
}

/// <summary><c>hwgen bench</c>'s bad options: refused with one line, exit code 2, before anything is measured.</summary>
[TestFixture]
public sealed class BenchCommandUsageTests
{
    [Test]
    public void ZeroRunsIsAUsageError()
    {
        var run = Cli.Run("bench", "--runs", "0");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--runs"));
    }

    [Test]
    public void RunsWithQuickIsAUsageError()
    {
        var run = Cli.Run("bench", "--quick", "--runs", "2");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Is.EqualTo(new[] { "hwgen: --runs 2 with --quick: --quick measures once" }));
    }

    [Test]
    public void AnUnknownBoardIsRefusedBeforeMeasuring()
    {
        var run = Cli.Run("bench", "--quick", "--fpga", "--board", "nosuch");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(run.ErrorLines[0], Does.StartWith("hwgen: --board nosuch: unknown board 'nosuch'"));
    }

    [Test]
    public void AnOutputThatIsAFileIsRefusedBeforeMeasuring()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("report", "not a folder");
        var run = Cli.Run("bench", "--quick", "--out", file);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrorLines, Is.EqualTo(new[] { $"hwgen: --out {file}: is a file; give a directory" }));
        Assert.That(File.ReadAllText(file), Is.EqualTo("not a folder"));
    }
}
