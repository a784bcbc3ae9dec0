using System.Text;

namespace HwGen.Firmware;

/// <summary>
/// The C and assembly sources that ship inside this assembly: the bare-metal runtime
/// (firmware/runtime: crt0.S, console.c, console.h) and the benchmark programs (firmware/bench).
/// </summary>
/// <remarks>
/// They are embedded rather than looked up in the source tree, so the firmware builder works from an
/// installed <c>hwgen</c> and from build outputs that live outside the tree; each build writes the
/// copies it needs beside its output.
/// </remarks>
public static class FirmwareSources
{
    private const string RuntimePrefix = "HwGen.Firmware.Runtime.";
    private const string BenchPrefix = "HwGen.Firmware.Bench.";

    /// <summary>File names of the runtime sources (e.g. <c>crt0.S</c>, <c>console.c</c>, <c>console.h</c>).</summary>
    public static IReadOnlyList<string> RuntimeFiles { get; } = Names(RuntimePrefix);

    /// <summary>
    /// Defined (<c>-D</c>) for code that runs on a core without CSRs (<c>CsrSet.None</c>, the PEX's core): the start
    /// files (<c>crt0.S</c>, the boot loader's <c>start.S</c>) install no trap vector and have none.
    /// </summary>
    public const string NoCsrsDefine = "HWGEN_NO_CSRS";

    /// <summary>File names of the benchmark programs (e.g. <c>crc32.c</c>).</summary>
    public static IReadOnlyList<string> BenchmarkFiles { get; } = Names(BenchPrefix);

    /// <summary>Text of the runtime file <paramref name="fileName"/>.</summary>
    public static string ReadRuntime(string fileName) => Read(RuntimePrefix, fileName, "firmware/runtime", RuntimeFiles);

    /// <summary>Text of the benchmark program <paramref name="fileName"/>.</summary>
    public static string ReadBenchmark(string fileName) => Read(BenchPrefix, fileName, "firmware/bench", BenchmarkFiles);

    /// <summary>Writes every runtime file into <paramref name="directory"/> and returns the directory.</summary>
    public static string WriteRuntime(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in RuntimeFiles)
            FileWriter.WriteIfChanged(Path.Combine(directory, name), ReadRuntime(name));
        return directory;
    }

    /// <summary>Writes the benchmark program <paramref name="fileName"/> into <paramref name="directory"/> and returns its path.</summary>
    public static string WriteBenchmark(string fileName, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        FileWriter.WriteIfChanged(path, ReadBenchmark(fileName));
        return path;
    }

    private static string Read(string prefix, string fileName, string folder, IReadOnlyList<string> known)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        using var stream = typeof(FirmwareSources).Assembly.GetManifestResourceStream(prefix + fileName)
            ?? throw new ArgumentException(
                $"{folder}/{fileName}: no such file in HwGen.Firmware (known: {string.Join(", ", known)})", nameof(fileName));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string[] Names(string prefix) =>
        typeof(FirmwareSources).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();
}

/// <summary>Writes generated files so that readers never see a half-written one.</summary>
internal static class FileWriter
{
    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/> and renames it
    /// into place, unless the file already holds exactly that text (so parallel builds into one folder agree).
    /// </summary>
    public static void WriteIfChanged(string path, string contents)
    {
        if (File.Exists(path) && File.ReadAllText(path) == contents)
            return;
        WriteAtomically(path, Encoding.UTF8.GetBytes(contents));
    }

    /// <summary>Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/> and renames it into place.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = TemporaryPathBeside(path);
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A fresh file name in the folder of <paramref name="path"/>, so the final rename stays on one file system.</summary>
    public static string TemporaryPathBeside(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
    }
}
