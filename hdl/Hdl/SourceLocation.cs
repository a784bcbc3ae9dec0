namespace HwGen.Hdl;

/// <summary>Where in the C# description a construct was written.</summary>
/// <remarks>
/// Paths come from <c>[CallerFilePath]</c>. Inside this repository the build maps the checkout to
/// <c>/_/</c>, which <see cref="File"/> strips so that locations (and the Verilog comments that carry
/// them) are the same on every machine: <c>hdl/Designs/Examples/Counter.cs</c>.
/// </remarks>
public readonly record struct SourceLocation
{
    private readonly string? _file;

    public SourceLocation(string file, int line)
    {
        _file = Normalize(file);
        Line = line;
    }

    public string File => _file ?? "";

    public int Line { get; }

    public static SourceLocation Unknown { get; } = new("", 0);

    public bool IsKnown => File.Length > 0;

    /// <summary>The file name without folders, for short cross-references inside a message.</summary>
    public string FileName => System.IO.Path.GetFileName(File);

    /// <summary><c>Counter.cs(12)</c>: the short form used inside messages.</summary>
    public string Short => IsKnown ? $"{FileName}({Line})" : "<unknown>";

    /// <summary><c>hdl/Designs/Counter.cs:12</c>: the form used in generated-file comments.</summary>
    public override string ToString() => IsKnown ? $"{File}:{Line}" : "<unknown>";

    private static string Normalize(string file)
    {
        if (string.IsNullOrEmpty(file))
            return "";
        file = file.Replace('\\', '/');
        return file.StartsWith("/_/", StringComparison.Ordinal) ? file[3..] : file;
    }
}
