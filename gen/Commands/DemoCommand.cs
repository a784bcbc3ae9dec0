using System.CommandLine;
using System.Diagnostics;
using HwGen.Cli.Commands.Demo;
using HwGen.Gen.Tools;
using Spectre.Console;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen demo</c>: the whole flow, end to end. Installs the missing tools (as root on Debian), then runs
/// the stages of <see cref="DemoSteps"/> and finishes with a table of results.
/// </summary>
internal static class DemoCommand
{
    private static readonly string s_outputRoot = Path.Combine("out", "demo");

    public static Command Create(CliContext context)
    {
        var command = new Command("demo", $"Run the whole flow: emit every design into {s_outputRoot}, lint and check it with Verilator and Yosys, simulate the counter, " +
            "run CRC32 on the core in lockstep, build the unikernel, run hello on the tagged SoC under every policy at once and the attack set under each policy.");
        HwGenCommandLine.SetHandler(command, _ => Run(context));
        return command;
    }

    private static ExitCode Run(CliContext context)
    {
        var clock = Stopwatch.StartNew();
        ToolInstaller.EnsureInstalled(ExternalTools.Simulation, line => context.Out.WriteLine(line));

        var rows = new List<(string Step, DemoResult Result)>();
        DemoContext? demo = null;
        void RunSteps(Action<string> status)
        {
            demo = new DemoContext(context, s_outputRoot, status);
            var stages = new List<string>();
            foreach (var step in DemoSteps.Create())
            {
                status(step.Title);
                var stage = Stopwatch.StartNew();
                foreach (var result in RunStep(step, demo))
                {
                    rows.Add((step.Title, result));
                    var mark = result.Passed ? "[green]pass[/]" : "[red]FAIL[/]";
                    context.Console.MarkupLine($"{mark} {Markup.Escape(step.Title)}: {Markup.Escape(result.Subject)}: {Markup.Escape(result.Detail)}");
                }
                stages.Add($"{step.Title} {Minutes(stage.Elapsed)}");
            }
            demo.KeyFigures.Add(("time per stage", string.Join(", ", stages)));
        }

        // A spinner on a terminal; in a log, only the result lines.
        if (context.Console.Profile.Capabilities.Interactive)
            context.Console.Status().Start("Starting", status => RunSteps(text => status.Status(Markup.Escape(text))));
        else
            RunSteps(_ => { });

        WriteTable(context, rows);
        foreach (var table in demo!.Tables)
            context.Console.Write(table);
        WriteFailureLogs(context, rows);
        WriteKeyFigures(context, demo.KeyFigures, clock.Elapsed);
        int failed = rows.Count(r => !r.Result.Passed);
        context.Out.WriteLine($"demo: {rows.Count - failed} passed, {failed} failed in {Minutes(clock.Elapsed)}; outputs in {s_outputRoot}");
        return failed == 0 && rows.Count > 0 ? ExitCode.Success : ExitCode.Failure;
    }

    // Runs one stage; an exception ends that stage with a failed result and the demo goes on.
    private static IEnumerable<DemoResult> RunStep(IDemoStep step, DemoContext demo)
    {
        using var results = step.Run(demo).GetEnumerator();
        while (true)
        {
            DemoResult? next = null;
            DemoResult? failure = null;
            try
            {
                if (results.MoveNext())
                    next = results.Current;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = new DemoResult("-", false, $"{ex.GetType().Name}: {CliContext.OneLine(ex.Message)}", ex.ToString());
            }

            if (failure is not null)
            {
                yield return failure;
                yield break;
            }
            if (next is null)
                yield break;
            yield return next;
        }
    }

    private static void WriteFailureLogs(CliContext context, List<(string Step, DemoResult Result)> rows)
    {
        foreach (var (step, result) in rows.Where(r => !r.Result.Passed && r.Result.Log is not null))
        {
            context.Out.WriteLine($"--- {step}: {result.Subject} ---");
            context.Out.WriteLine(result.Log);
        }
    }

    private static void WriteKeyFigures(CliContext context, List<(string What, string Value)> figures, TimeSpan total)
    {
        // One line each, unwrapped, so a log keeps each figure whole.
        context.Out.WriteLine("Key figures");
        foreach (var (what, value) in figures.Append(("total time of the demo", Minutes(total))))
            context.Out.WriteLine($"  {what}: {value}");
    }

    private static string Minutes(TimeSpan time) => $"{(int)time.TotalMinutes}m{time.Seconds:00}s";

    private static void WriteTable(CliContext context, List<(string Step, DemoResult Result)> rows)
    {
        var table = new Table()
            .Title("Demo results")
            .AddColumn("Step")
            .AddColumn("Checked")
            .AddColumn("Result")
            .AddColumn("Detail");
        foreach (var (step, result) in rows)
        {
            table.AddRow(
                new Text(step),
                new Text(result.Subject),
                result.Passed ? new Markup("[green]pass[/]") : new Markup("[red]FAIL[/]"),
                new Text(result.Detail));
        }
        context.Console.Write(table);
    }
}
