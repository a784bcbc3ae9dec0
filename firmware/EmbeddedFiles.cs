using System.Text;

namespace HwGen.Firmware;

/// <summary>A folder of sources embedded in this assembly under one resource prefix (see HwGen.Firmware.csproj).</summary>
internal sealed class EmbeddedFiles
{
    private readonly string _prefix;
    private readonly string _folder;

    /// <param name="prefix">The resource name prefix, e.g. <c>HwGen.Firmware.Boot.</c>.</param>
    /// <param name="folder">The source folder, for messages, e.g. <c>firmware/boot</c>.</param>
    public EmbeddedFiles(string prefix, string folder)
    {
        _prefix = prefix;
        _folder = folder;
        Names = typeof(EmbeddedFiles).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The file names, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    public string Read(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        using var stream = typeof(EmbeddedFiles).Assembly.GetManifestResourceStream(_prefix + fileName)
            ?? throw new ArgumentException($"{_folder}/{fileName}: no such file in HwGen.Firmware (known: {string.Join(", ", Names)})", nameof(fileName));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Writes every file into <paramref name="directory"/> and returns the directory.</summary>
    public string WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in Names)
            FileWriter.WriteIfChanged(Path.Combine(directory, name), Read(name));
        return directory;
    }
}
