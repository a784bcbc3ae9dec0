using System.CommandLine;
using System.CommandLine.Parsing;
using HwGen.Cli.Commands;

namespace HwGen.Cli;

/// <summary>The command tree of <c>hwgen</c>: one verb per file under <c>gen/Commands</c>.</summary>
internal static class HwGenCommandLine
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("HwGen: generate, check and simulate hardware described in C#.");
        // A new verb is one file under Commands/ and one line here.
        root.Add(DoctorCommand.Create(context));
        root.Add(VerilogCommand.Create(context));
        root.Add(SimCommand.Create(context));
        root.Add(MutateCommand.Create(context));
        root.Add(BenchCommand.Create(context));
        root.Add(DemoCommand.Create(context));
        root.Add(FpgaCommand.Create(context));
        root.Add(FirmwareCommand.Create(context));
        return root;
    }

    /// <summary>Sets the action of <paramref name="command"/>; the handler's result becomes the exit code.</summary>
    public static void SetHandler(Command command, Func<ParseResult, ExitCode> handler) =>
        command.SetAction(result => (int)handler(result));

    /// <summary>One line that tells what is wrong with the command line and where to find the usage.</summary>
    public static string DescribeParseError(ParseResult result)
    {
        string message = result.UnmatchedTokens.Count > 0
            ? $"unrecognized command, option or argument '{result.UnmatchedTokens[0]}'"
            : result.Errors.Count > 0 ? result.Errors[0].Message.TrimEnd('.') : "invalid command line";
        return $"{message}; see '{CommandPath(result.CommandResult)} --help'";
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new Stack<string>();
        for (SymbolResult? current = command; current is not null; current = current.Parent)
        {
            if (current is CommandResult c)
                names.Push(c.Parent is null ? "hwgen" : c.Command.Name);
        }
        return string.Join(' ', names);
    }
}
