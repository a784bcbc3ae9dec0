using HwGen.Gen.Tools;

namespace HwGen.Cli.Commands.Demo;

/// <summary>Picks the line of a tool's output that best says why it failed.</summary>
internal static class ToolOutput
{
    /// <summary>The first line that starts with one of <paramref name="markers"/>, else the first line.</summary>
    public static string FirstProblem(ProcessResult result, params string[] markers)
    {
        if (result.TimedOut)
            return "timed out";
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => markers.Any(m => l.StartsWith(m, StringComparison.Ordinal)))
            ?? lines.FirstOrDefault()
            ?? $"exit code {result.ExitCode}";
    }
}
