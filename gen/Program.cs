using System.CommandLine;
using System.CommandLine.Invocation;
using HwGen.Gen.Tools;
using HwGen.Hdl;

namespace HwGen.Cli;

/// <summary>The <c>hwgen</c> command-line program.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs <c>hwgen</c> with <paramref name="args"/>, writing to <paramref name="stdout"/> and
    /// <paramref name="stderr"/>, and returns the exit code (see <see cref="ExitCode"/>).
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var context = CliContext.Create(stdout, stderr);
        var result = HwGenCommandLine.Create(context).Parse(args);
        if (result.Action is ParseErrorAction)
        {
            context.WriteError(HwGenCommandLine.DescribeParseError(result));
            return (int)ExitCode.UsageError;
        }

        try
        {
            return result.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception ex)
        {
            return (int)Report(context, ex);
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>Prints an exception that ended a command and gives the exit code it stands for.</summary>
    internal static ExitCode Report(CliContext context, Exception exception)
    {
        switch (exception)
        {
            case UsageException usage:
                context.WriteError(usage.Message);
                return ExitCode.UsageError;
            case ToolsMissingException missing:
                context.WriteError(
                    $"missing external tools: {string.Join(", ", missing.Missing.Select(t => t.Command))}; " +
                    $"install them as root with: {missing.InstallCommand}");
                return ExitCode.UsageError;
            case ToolInstallException install:
                context.WriteError(install.Message);
                return ExitCode.UsageError;
            case ElaborationException elaboration:
                foreach (var diagnostic in elaboration.Diagnostics)
                    context.Error.WriteLine(diagnostic.ToString());
                context.WriteError($"elaboration failed with {elaboration.Diagnostics.Count(d => d.Severity == Severity.Error)} error(s)");
                return ExitCode.UsageError;
            case IOException or UnauthorizedAccessException:
                context.WriteError(exception.Message);
                return ExitCode.Failure;
            default:
                context.WriteError($"internal error: {exception.GetType().Name}: {exception.Message}");
                return ExitCode.Failure;
        }
    }
}
