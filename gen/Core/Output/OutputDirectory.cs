namespace HwGen.Gen.Output;

/// <summary>The output path cannot hold a generated directory (it is a file, or the root).</summary>
public sealed class OutputPathException(string message) : IOException(message);

/// <summary>
/// Writes a set of generated files as one directory, all or nothing: the files go into a temporary
/// sibling directory first, which then replaces the target. A failed run leaves the target as it was.
/// </summary>
public static class OutputDirectory
{
    /// <summary>
    /// Replaces the directory <paramref name="target"/> with exactly <paramref name="files"/>
    /// (relative path and content, written as UTF-8). Returns the full path of the target. With
    /// <paramref name="marker"/>, an existing non-empty target must hold that file (see <see cref="Check"/>).
    /// </summary>
    /// <exception cref="OutputPathException"><paramref name="target"/> is an existing file, the root, or a folder
    /// that is not an earlier output.</exception>
    public static string Replace(string target, IEnumerable<(string RelativePath, string Content)> files, string? marker = null)
    {
        var full = Check(target, marker, "an earlier output");
        var staging = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.new-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var (relativePath, content) in files)
            {
                var path = Resolve(staging, relativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content);
            }
            Publish(staging, full);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
        return full;
    }

    /// <summary>
    /// Checks that <paramref name="target"/> can be replaced as a whole and returns its full path (its parent is
    /// created). It must not be a file or the root; with <paramref name="marker"/>, an existing non-empty folder must
    /// hold that file, so a folder of the user's given by mistake is refused, not deleted. <paramref name="what"/>
    /// names the output in the message (<c>an earlier output</c>, <c>an FPGA build's output</c>).
    /// </summary>
    /// <exception cref="OutputPathException">The target cannot be replaced.</exception>
    public static string Check(string target, string? marker, string what)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        if (File.Exists(full))
            throw new OutputPathException($"{target}: is a file; the output must be a directory");
        var parent = Path.GetDirectoryName(full)
            ?? throw new OutputPathException($"{target}: cannot write into the root directory");
        if (marker is not null && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(Path.Combine(full, marker)))
            throw new OutputPathException($"{target}: the folder holds files that are not {what} (no {marker}), and the output replaces the folder as a whole; give a new or empty folder");
        Directory.CreateDirectory(parent);
        return full;
    }

    /// <summary>
    /// Moves the finished folder <paramref name="staging"/> to <paramref name="target"/> (a sibling), replacing what
    /// was there; if the move fails, the previous target is put back.
    /// </summary>
    public static void Publish(string staging, string target)
    {
        if (File.Exists(target))
            throw new OutputPathException($"{target}: is a file; the output must be a directory");
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        var previous = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.Move(target, previous);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(previous, target);
            throw;
        }
        Directory.Delete(previous, recursive: true);
    }

    private static string Resolve(string root, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath))
            throw new InvalidOperationException($"generated file path '{relativePath}' is not a relative path");
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"generated file path '{relativePath}' leaves the output directory");
        return path;
    }
}
