namespace HwGen.Cli.Commands.Demo;

/// <summary>
/// One stage of <c>hwgen demo</c>. Stages run in order and share a <see cref="DemoContext"/>; each yields
/// one result per thing it checked (a design, a program, a policy), as soon as that result is known.
/// </summary>
internal interface IDemoStep
{
    /// <summary>Short name shown in the progress line and in the results table, e.g. "verilator lint".</summary>
    string Title { get; }

    /// <summary>Runs the stage. An exception fails the stage and the demo goes on with the next one.</summary>
    IEnumerable<DemoResult> Run(DemoContext context);
}

/// <summary>The outcome of one check of a demo stage.</summary>
/// <param name="Subject">What was checked, e.g. the design name.</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Detail">One line for the results table.</param>
/// <param name="Log">The full output of the tool, printed after the table when the check failed.</param>
internal sealed record DemoResult(string Subject, bool Passed, string Detail, string? Log = null);

/// <summary>A design that the demo emitted, and where its files are.</summary>
internal sealed record DemoDesign(string Name, string Directory, EmittedDesign Emitted);

/// <summary>What the stages of one demo run share.</summary>
internal sealed class DemoContext
{
    private readonly Action<string> _status;

    public DemoContext(CliContext cli, string outputRoot, Action<string> status)
    {
        Cli = cli;
        OutputRoot = outputRoot;
        _status = status;
    }

    public CliContext Cli { get; }

    /// <summary>The directory that holds everything the demo writes (<c>out/demo</c>).</summary>
    public string OutputRoot { get; }

    /// <summary>The designs emitted so far, in catalog order.</summary>
    public List<DemoDesign> Designs { get; } = [];

    /// <summary>The unikernel images built so far: the application's name, and its ELF file.</summary>
    public Dictionary<string, string> Images { get; } = new(StringComparer.Ordinal);

    /// <summary>Tables a stage leaves for the end of the demo (the attack table), printed after the results.</summary>
    public List<Spectre.Console.Rendering.IRenderable> Tables { get; } = [];

    /// <summary>The figures the demo ends with: what, and its value.</summary>
    public List<(string What, string Value)> KeyFigures { get; } = [];

    /// <summary>Shows what the demo is doing now.</summary>
    public void Status(string text) => _status(text);
}
