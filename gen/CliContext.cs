using Spectre.Console;

namespace HwGen.Cli;

/// <summary>Where a command writes: plain text streams and a Spectre.Console view of stdout.</summary>
public sealed class CliContext
{
    // Wide enough for the doctor table when stdout is a file or a pipe (CI logs, tests).
    private const int RedirectedWidth = 200;

    private CliContext(TextWriter output, TextWriter error, IAnsiConsole console)
    {
        Out = output;
        Error = error;
        Console = console;
    }

    /// <summary>Standard output: results and summaries.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: error messages and diagnostics.</summary>
    public TextWriter Error { get; }

    /// <summary>Tables, status and progress, rendered on <see cref="Out"/>.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>
    /// A context on <paramref name="output"/> and <paramref name="error"/>. Colours, animation and
    /// the terminal's width are used only when <paramref name="output"/> is the process's own stdout
    /// and that is a terminal.
    /// </summary>
    public static CliContext Create(TextWriter output, TextWriter error)
    {
        bool terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = RedirectedWidth;
        return new CliContext(output, error, console);
    }

    /// <summary>Writes one error line, <c>hwgen: message</c>, on stderr.</summary>
    public void WriteError(string message) => Error.WriteLine("hwgen: " + OneLine(message));

    /// <summary>Folds a message onto one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
