using HwGen.Gen.Tools;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>Finds and runs the external programs the tests drive.</summary>
public static class ToolRunner
{
    /// <summary>make and a C++ compiler: Verilator's <c>--binary</c> builds its model with them.</summary>
    public static ExternalTool Make { get; } = new("make", "make", "--version", "builds Verilator models");

    public static ExternalTool CxxCompiler { get; } = new("g++", "g++", "--version", "compiles Verilator models");

    /// <summary>The full path of <paramref name="tool"/>; throws with the install command when it is missing.</summary>
    public static string Locate(ExternalTool tool) =>
        tool.Locate() ?? throw new InvalidOperationException(
            $"'{tool.Command}' is not on PATH ({tool.Purpose}); install it with: {ExternalTools.InstallCommand([tool.DebianPackage])}");

    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static ToolRun Run(ExternalTool tool, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout) =>
        Run(Locate(tool), arguments, workingDirectory, timeout);

    /// <summary>Runs the program <paramref name="executable"/> (a path) with <paramref name="arguments"/>.</summary>
    public static ToolRun Run(string executable, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var result = ProcessRunner.Run(executable, arguments, workingDirectory, timeout);
        var commandLine = string.Join(' ', new[] { executable }.Concat(arguments).Select(Quote));
        return new ToolRun(commandLine, workingDirectory, result);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or ';')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
