using HwGen.Gen.Tools;
using Spectre.Console;

namespace HwGen.Cli;

/// <summary>The state of the external tools, as <c>hwgen doctor</c> shows it.</summary>
internal static class ToolReport
{
    /// <summary>Renders one row per tool: found or missing, version, path and purpose.</summary>
    public static void WriteTable(CliContext context, IReadOnlyList<ExternalTool> tools)
    {
        var table = new Table()
            .Title("External tools")
            .AddColumn("Tool")
            .AddColumn("Status")
            .AddColumn(new TableColumn("Version").NoWrap())
            .AddColumn(new TableColumn("Path").NoWrap())
            .AddColumn("Purpose");
        foreach (var tool in tools)
        {
            var path = tool.Locate();
            table.AddRow(
                new Text(tool.Command),
                path is null ? new Markup("[red]missing[/]") : new Markup("[green]found[/]"),
                new Text(path is null ? "-" : tool.Version() ?? "?"),
                new Text(path ?? $"(package {tool.DebianPackage})"),
                new Text(tool.Purpose));
        }
        context.Console.Write(table);
    }

    /// <summary>
    /// Writes the install command for the missing tools of <paramref name="tools"/> on a line of its own,
    /// and returns false; returns true when nothing is missing.
    /// </summary>
    public static bool WriteInstallHint(CliContext context, IReadOnlyList<ExternalTool> tools)
    {
        var packages = ExternalTools.MissingPackages(tools);
        if (packages.Count == 0)
        {
            context.Out.WriteLine("All external tools are installed.");
            return true;
        }
        var missing = tools.Where(t => !t.IsInstalled).Select(t => t.Command);
        context.Out.WriteLine($"Missing: {string.Join(", ", missing)}. Install them as root with:");
        context.Out.WriteLine("  " + ExternalTools.InstallCommand(packages));
        return false;
    }
}
