using System.Text;
using HwGen.Gen.Tools;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>One run of an external program, with what a failure message needs: the command line, the folder, the output.</summary>
public sealed record ToolRun(string CommandLine, string WorkingDirectory, ProcessResult Result)
{
    public bool Succeeded => Result.Succeeded;

    public string Stdout => Result.Stdout;

    /// <summary>Stdout and stderr together.</summary>
    public string Output => Result.Output;

    /// <summary>The command, where it ran, how it ended and, when <paramref name="withOutput"/>, everything it printed.</summary>
    public string Describe(bool withOutput = true)
    {
        var text = new StringBuilder();
        text.Append("$ ").Append(CommandLine).Append('\n');
        text.Append("  in ").Append(WorkingDirectory).Append('\n');
        text.Append(Result.TimedOut ? "  timed out" : $"  exit code {Result.ExitCode}");
        if (withOutput)
            text.Append('\n').Append(Output.Length == 0 ? "  (no output)" : Output);
        return text.ToString();
    }

    public override string ToString() => Describe();
}
