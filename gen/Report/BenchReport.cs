using System.Globalization;
using System.Text;
using System.Text.Json;
using HwGen.Cli.Bench;
using HwGen.Gen.Templates;
using ScottPlot;

namespace HwGen.Cli.Report;

/// <summary>
/// What <c>hwgen bench</c> gives back: the figures as one JSON array (<c>--json</c>, <c>bench.json</c>), and with
/// <c>--out</c> the report: <c>report.md</c> with the tables, and PNG plots of the overhead per policy, the hit rate
/// against the rule cache's size, the simulation speeds and (with <c>--fpga</c>) the area per design.
/// </summary>
internal static class BenchReport
{
    public const string MarkdownFile = "report.md";
    public const string JsonFile = "bench.json";
    public const string OverheadPlot = "overhead.png";
    public const string HitRatePlot = "hit-rate.png";
    public const string SpeedPlot = "speed.png";
    public const string AreaPlot = "area.png";

    private const int PlotWidth = 800;
    private const int PlotHeight = 450;

    private static readonly TemplateSet Templates = new(typeof(BenchReport).Assembly, "HwGen.Cli.Report.");

    /// <summary>The figures as a JSON array of <c>name, value, unit, median, min, max, runs, description</c> (value = median).</summary>
    public static string Json(IReadOnlyList<BenchFigure> figures) => JsonSerializer.Serialize(figures.Select(f => new
    {
        name = f.Name,
        value = Round(f.Median),
        unit = f.Unit,
        median = Round(f.Median),
        min = Round(f.Min),
        max = Round(f.Max),
        runs = f.Runs,
        description = f.Description,
    }));

    private static double Round(double value) => Math.Round(value, 6);

    /// <summary>Writes the report into <paramref name="directory"/>, each file whole (a temporary file renamed); returns the files written.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<BenchFigure> figures, BenchOptions options)
    {
        var files = new List<(string Name, byte[] Bytes)>
        {
            (JsonFile, Encoding.UTF8.GetBytes(Json(figures) + "\n")),
        };
        var plots = new List<(string File, string Title)>();
        void AddPlot(string file, string title, byte[]? png)
        {
            if (png is null)
                return;
            files.Add((file, png));
            plots.Add((file, title));
        }
        AddPlot(OverheadPlot, "Cycle overhead per policy", Overhead(figures));
        AddPlot(HitRatePlot, "Rule-cache hit rate against its size", HitRate(figures));
        AddPlot(SpeedPlot, "Simulation speed per mode", Speeds(figures));
        AddPlot(AreaPlot, "Area per design", Area(figures));
        files.Add((MarkdownFile, Encoding.UTF8.GetBytes(Markdown(figures, options, plots))));

        var written = new List<string>();
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(directory, name);
            OutputFile.WriteAtomically(path, bytes);
            written.Add(path);
        }
        return written;
    }

    /// <summary>The report's text: the figures by group, the policies side by side, the rule-cache sizes, and the plots.</summary>
    public static string Markdown(IReadOnlyList<BenchFigure> figures, BenchOptions options, IReadOnlyList<(string File, string Title)> plots) =>
        Templates.Render("report.md.sbn", new
        {
            Date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            Machine = $"{Environment.ProcessorCount} processor(s), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            options.Runs,
            options.Quick,
            BenchSuite.Application,
            Groups = BenchGroups.All
                .Select(g => new { Name = g, Figures = figures.Where(f => f.Group == g).Select(Row).ToList() })
                .Where(g => g.Figures.Count > 0)
                .ToList(),
            Policies = PolicyRows(figures),
            RuleCache = BenchSuite.RuleCacheSizes
                .Where(n => Find(figures, $"ruleCache.{n}.hitRate") is not null)
                .Select(n => new { Entries = n, HitRate = Percent(Find(figures, $"ruleCache.{n}.hitRate")!.Median, 3), Misses = Number(Find(figures, $"ruleCache.{n}.misses")!.Median) })
                .ToList(),
            Plots = plots.Select(p => new { p.File, p.Title }).ToList(),
        });

    /// <summary>The policies side by side: cycles, overhead over <c>none</c>, hit rate, misses, PEX cycles per miss.</summary>
    public static IReadOnlyList<PolicyRow> PolicyRows(IReadOnlyList<BenchFigure> figures) =>
        [.. BenchSuite.Policies
            .Where(p => Find(figures, $"policy.{p}.cycles") is not null)
            .Select(p => new PolicyRow(
                p,
                Number(Find(figures, $"policy.{p}.cycles")!.Median),
                Find(figures, $"policy.{p}.overhead") is { } overhead ? $"+{overhead.Median.ToString("0.00", CultureInfo.InvariantCulture)} %" : "",
                Percent(Find(figures, $"policy.{p}.hitRate")!.Median, 3),
                Number(Find(figures, $"policy.{p}.misses")!.Median),
                Find(figures, $"policy.{p}.pexCyclesPerMiss")!.Median.ToString("0.0", CultureInfo.InvariantCulture)))];

    /// <summary>One row of the policy table.</summary>
    public sealed record PolicyRow(string Policy, string Cycles, string Overhead, string HitRate, string Misses, string PexCyclesPerMiss);

    private static object Row(BenchFigure f) => new
    {
        f.Name,
        Median = Format(f, f.Median),
        Min = Format(f, f.Min),
        Max = Format(f, f.Max),
        f.Unit,
        f.Runs,
        f.Description,
    };

    /// <summary>A value of <paramref name="figure"/>: a fraction as a percentage to three decimals (hit rates near 1), else <see cref="Format(double)"/>.</summary>
    public static string Format(BenchFigure figure, double value) => figure.Unit == Fraction ? Percent(value, 3) : Format(value);

    /// <summary>The unit of a figure between 0 and 1.</summary>
    public const string Fraction = "fraction";

    /// <summary>A figure's value with as many digits as it needs: 4 significant ones, integers as they are.</summary>
    public static string Format(double value) =>
        value == Math.Round(value) && Math.Abs(value) < 1e12 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 100 ? value.ToString("#,0.0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Percent(double fraction, int decimals) => (fraction * 100).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture) + " %";

    private static BenchFigure? Find(IReadOnlyList<BenchFigure> figures, string name) => figures.FirstOrDefault(f => f.Name == name);

    private static byte[]? Overhead(IReadOnlyList<BenchFigure> figures)
    {
        var rows = BenchSuite.Policies.Select(p => (Policy: p, Figure: Find(figures, $"policy.{p}.overhead"))).Where(r => r.Figure is not null).ToList();
        if (rows.Count == 0)
            return null;
        return Bars(rows.Select(r => r.Policy == BenchSuite.Composite ? "composite" : r.Policy).ToArray(), rows.Select(r => r.Figure!.Median).ToArray(),
            $"Cycles over 'none' on {BenchSuite.Application} (composite: {BenchSuite.Composite})", "overhead (%)");
    }

    private static byte[]? Speeds(IReadOnlyList<BenchFigure> figures)
    {
        (string Name, string Label)[] modes =
        [
            ("iss.speed", "golden model"),
            ("verilator.speed", "Verilator"),
            ("verilator.cosim.speed", "Verilator, lockstep"),
            ("verilator.composite.cosim.speed", "composite, lockstep"),
        ];
        var rows = modes.Select(m => (m.Label, Figure: Find(figures, m.Name))).Where(r => r.Figure is not null).ToList();
        if (rows.Count == 0)
            return null;
        // The golden model runs tens of times faster than the RTL: a logarithmic axis keeps every bar readable.
        return Bars(rows.Select(r => r.Label).ToArray(), rows.Select(r => r.Figure!.Median).ToArray(),
            "Retired instructions per second (logarithmic)", "million instructions/s", logarithmic: true);
    }

    private static byte[]? HitRate(IReadOnlyList<BenchFigure> figures)
    {
        var points = BenchSuite.RuleCacheSizes.Select(n => (Entries: n, Figure: Find(figures, $"ruleCache.{n}.hitRate"))).Where(p => p.Figure is not null).ToList();
        if (points.Count == 0)
            return null;
        var plot = new Plot();
        double[] xs = [.. points.Select(p => Math.Log2(p.Entries))];
        double[] ys = [.. points.Select(p => p.Figure!.Median * 100)];
        var line = plot.Add.Scatter(xs, ys);
        line.MarkerSize = 8;
        plot.Axes.Bottom.SetTicks(xs, [.. points.Select(p => p.Entries.ToString(CultureInfo.InvariantCulture))]);
        plot.Title($"Hit rate of {BenchSuite.Composite} on {BenchSuite.Application}");
        plot.XLabel("rule-cache entries");
        plot.YLabel("hit rate (%)");
        return plot.GetImageBytes(PlotWidth, PlotHeight, ImageFormat.Png);
    }

    private static byte[]? Area(IReadOnlyList<BenchFigure> figures)
    {
        var designs = FpgaFigures.Designs.Where(d => Find(figures, $"fpga.{d.Design}.logicCells") is not null).ToList();
        if (designs.Count == 0)
            return null;
        string[] kinds = ["logicCells", "lut4", "dff"];
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < kinds.Length; k++)
        {
            var bars = designs.Select((d, i) => new Bar
            {
                Position = i * (kinds.Length + 1) + k,
                Value = Find(figures, $"fpga.{d.Design}.{kinds[k]}")!.Median,
                FillColor = palette.GetColor(k),
            }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = FpgaFigures.Kinds.First(x => x.Kind == kinds[k]).Unit, FillColor = palette.GetColor(k) });
        }
        plot.Axes.Bottom.SetTicks([.. designs.Select((_, i) => i * (kinds.Length + 1) + (kinds.Length - 1) / 2.0)], [.. designs.Select(d => d.Description)]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Area per design (median over the seeds)");
        plot.YLabel("cells");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(PlotWidth, PlotHeight, ImageFormat.Png);
    }

    private static byte[] Bars(string[] labels, double[] values, string title, string yLabel, bool logarithmic = false)
    {
        var plot = new Plot();
        double[] positions = [.. Enumerable.Range(0, labels.Length).Select(i => (double)i)];
        if (logarithmic)
        {
            // Bars of log10 of each value from the decade below the smallest, the ticks labelled with the decades' values.
            int low = (int)Math.Floor(Math.Log10(values.Min())), high = (int)Math.Ceiling(Math.Log10(values.Max()));
            plot.Add.Bars(positions.Select((p, i) => new Bar { Position = p, ValueBase = low, Value = Math.Log10(values[i]) }).ToList());
            double[] decades = [.. Enumerable.Range(low, high - low + 1).Select(d => (double)d)];
            plot.Axes.Left.SetTicks(decades, [.. decades.Select(d => Math.Pow(10, d).ToString("G", CultureInfo.InvariantCulture))]);
            plot.Axes.SetLimitsY(low, high);
        }
        else
        {
            plot.Add.Bars(positions, values);
            plot.Axes.Margins(bottom: 0);
        }
        plot.Axes.Bottom.SetTicks(positions, labels);
        plot.Title(title);
        plot.YLabel(yLabel);
        return plot.GetImageBytes(PlotWidth, PlotHeight, ImageFormat.Png);
    }
}
