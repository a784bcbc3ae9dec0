using System.CommandLine;
using HwGen.Cli.Bench;
using HwGen.Cli.Report;
using HwGen.Designs.Boards;
using Spectre.Console;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen bench [--quick] [--runs N] [--fpga] [--board NAME] [--json] [--out DIR]</c>: the performance figures of
/// <see cref="BenchSuite"/>, each the median of several runs with its spread, as tables, one JSON array, or a report
/// folder (report.md, bench.json, PNG plots).
/// </summary>
internal static class BenchCommand
{
    private const int DefaultRuns = 3;

    public static Command Create(CliContext context)
    {
        var runs = new Option<int?>("--runs") { Description = $"Measurements per figure [default: {DefaultRuns}; 1 with --quick].", HelpName = "N" };
        var quick = new Option<bool>("--quick") { Description = "One run of each figure over short measuring windows (a check that everything runs, not figures to quote)." };
        var fpga = new Option<bool>("--fpga") { Description = "Also build the untagged and the tagged board SoC and the AP alone for --board (seeds 1 to 3): cells and Fmax. Takes tens of minutes." };
        var board = new Option<string>("--board") { Description = "The board of --fpga.", DefaultValueFactory = _ => "icebreaker", HelpName = "NAME" };
        var json = new Option<bool>("--json") { Description = "Print one JSON array of figures on stdout (name, value, unit, median, min, max, runs, description)." };
        var output = new Option<string?>("--out") { Description = $"Write the report into DIR: {BenchReport.MarkdownFile}, {BenchReport.JsonFile} and PNG plots.", HelpName = "DIR" };
        var command = new Command("bench", "Measure the performance figures.") { quick, runs, fpga, board, json, output };
        HwGenCommandLine.SetHandler(command, r => Run(context, r.GetValue(runs), r.GetValue(quick), r.GetValue(fpga), r.GetValue(board)!, r.GetValue(json), r.GetValue(output)));
        return command;
    }

    private static ExitCode Run(CliContext context, int? runs, bool quick, bool fpga, string board, bool json, string? output)
    {
        if (runs < 1)
            throw new UsageException("--runs must be at least 1");
        if (quick && runs is not null)
            throw new UsageException($"--runs {runs} with --quick: --quick measures once");
        if (output is not null)
            CheckOutput(output);
        if (fpga)
        {
            try
            {
                Board.Load(board);
            }
            catch (BoardException ex)
            {
                throw new UsageException($"--board {board}: {ex.Message}", ex);
            }
        }
        var options = new BenchOptions(runs ?? (quick ? 1 : DefaultRuns), quick, fpga, board);

        IReadOnlyList<BenchFigure> figures = [];
        try
        {
            // A spinner on a terminal; otherwise one progress line per step on stderr (stdout may be the JSON).
            if (context.Console.Profile.Capabilities.Interactive)
                context.Console.Status().Start("measuring", ctx => figures = BenchSuite.Measure(options, context, s => ctx.Status(Markup.Escape(s))));
            else
                figures = BenchSuite.Measure(options, context, s => context.Error.WriteLine("hwgen: " + s));
        }
        catch (BenchFailedException ex)
        {
            context.WriteError(ex.Message);
            return ExitCode.Failure;
        }

        if (output is not null)
        {
            foreach (var file in BenchReport.Write(output, figures, options))
                context.Error.WriteLine($"hwgen: wrote {file}");
        }
        if (json)
        {
            context.Out.WriteLine(BenchReport.Json(figures));
            return ExitCode.Success;
        }

        foreach (var group in BenchGroups.All)
        {
            var rows = figures.Where(f => f.Group == group).ToList();
            if (rows.Count == 0)
                continue;
            var table = new Table().Title($"{group} ({options.Runs} run(s) each)");
            table.AddColumns("figure", "median", "min", "max", "unit", "what");
            foreach (var f in rows)
                table.AddRow(Markup.Escape(f.Name), BenchReport.Format(f, f.Median), BenchReport.Format(f, f.Min), BenchReport.Format(f, f.Max), Markup.Escape(f.Unit), Markup.Escape(f.Description));
            context.Console.Write(table);
        }
        var policies = new Table().Title($"policies on {BenchSuite.Application}");
        policies.AddColumns("policy", "cycles", "over none", "hit rate", "misses", "PEX cycles per miss");
        foreach (var row in BenchReport.PolicyRows(figures))
            policies.AddRow(Markup.Escape(row.Policy), row.Cycles, row.Overhead, row.HitRate, row.Misses, row.PexCyclesPerMiss);
        context.Console.Write(policies);
        return ExitCode.Success;
    }

    /// <summary>Refuses an output folder that cannot be one before anything is measured.</summary>
    private static void CheckOutput(string output)
    {
        if (string.IsNullOrWhiteSpace(output))
            throw new UsageException("--out is empty; give a directory");
        if (File.Exists(output))
            throw new UsageException($"--out {output}: is a file; give a directory");
        try
        {
            Directory.CreateDirectory(output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {output}: cannot create the directory: {ex.Message}", ex);
        }
    }
}
