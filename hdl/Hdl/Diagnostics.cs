namespace HwGen.Hdl;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>
/// The diagnostic codes. Numbers are stable: scripts and documentation refer to them.
/// </summary>
public static class DiagnosticCodes
{
    public const string Usage = "HDL0001";
    public const string ConstructionFailed = "HDL0002";
    public const string WidthMismatch = "HDL0101";
    public const string MultipleDrivers = "HDL0102";
    public const string Undriven = "HDL0103";
    public const string CombinationalLoop = "HDL0104";
    public const string Latch = "HDL0105";
    public const string NotInstantiated = "HDL0106";
    public const string UnconnectedInput = "HDL0107";
    public const string Hierarchy = "HDL0108";
    public const string DuplicateCase = "HDL0109";
    public const string Unused = "HDL0201";
    public const string ConstantRegister = "HDL0202";
}

/// <summary>One finding of elaboration: an error or a warning at a place in the C# description.</summary>
public sealed record Diagnostic(Severity Severity, string Code, SourceLocation Location, string Message)
{
    /// <summary>MSBuild format, so editors link to the line: <c>file(line): error HDL0101: message</c>.</summary>
    public override string ToString()
    {
        var where = Location.IsKnown ? $"{Location.File}({Location.Line})" : "hwgen";
        var kind = Severity == Severity.Error ? "error" : "warning";
        return $"{where}: {kind} {Code}: {Message}";
    }
}

/// <summary>Collects diagnostics during elaboration so that all of them are reported together.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Errors => _items.Where(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Warnings => _items.Where(d => d.Severity == Severity.Warning);

    public void Error(string code, SourceLocation location, string message) =>
        _items.Add(new Diagnostic(Severity.Error, code, location, message));

    public void Warning(string code, SourceLocation location, string message) =>
        _items.Add(new Diagnostic(Severity.Warning, code, location, message));

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);
}

/// <summary>Elaboration found errors in the hardware description. <see cref="Diagnostics"/> lists all of them.</summary>
public sealed class ElaborationException : Exception
{
    public ElaborationException(IReadOnlyList<Diagnostic> diagnostics)
        : base(Describe(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string Describe(IReadOnlyList<Diagnostic> diagnostics)
    {
        int errors = diagnostics.Count(d => d.Severity == Severity.Error);
        return $"elaboration failed with {errors} error(s):" + Environment.NewLine +
            string.Join(Environment.NewLine, diagnostics.Where(d => d.Severity == Severity.Error));
    }
}

/// <summary>
/// A construct was misused while the description was being built (for example a statement outside
/// <see cref="Module.Build"/>, or a slice outside the value's width). Thrown at once; elaboration turns it
/// into a diagnostic located at the C# line that caused it.
/// </summary>
public sealed class HdlException : Exception
{
    public HdlException(string message, SourceLocation location = default)
        : base(message)
    {
        Location = location;
    }

    public SourceLocation Location { get; }
}
