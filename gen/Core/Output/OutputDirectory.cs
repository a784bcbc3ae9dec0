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
    /// <paramref name="marker"/>, an existing non-empty target must hold that file (it is an earlier output of the
    /// same kind): a folder of the user's given by mistake is refused, not deleted.
    /// </summary>
    /// <exception cref="OutputPathException"><paramref name="target"/> is an existing file, the root, or a folder
    /// that is not an earlier output.</exception>
    public static string Replace(string target, IEnumerable<(string RelativePath, string Content)> files, string? marker = null)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        if (File.Exists(full))
            throw new OutputPathException($"{target}: is a file; the output must be a directory");
        if (marker is not null && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(Path.Combine(full, marker)))
            throw new OutputPathException($"{target}: the folder holds files that are not an earlier output (no {marker}), and the output replaces the folder as a whole; give a new or empty folder");
        var parent = Path.GetDirectoryName(full)
            ?? throw new OutputPathException($"{target}: cannot write into the root directory");
        var name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);

        var suffix = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
        var staging = Path.Combine(parent, $".{name}.new-{suffix}");
        var previous = Path.Combine(parent, $".{name}.old-{suffix}");
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var (relativePath, content) in files)
            {
                var path = Resolve(staging, relativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content);
            }

            if (Directory.Exists(full))
            {
                Directory.Move(full, previous);
                try
                {
                    Directory.Move(staging, full);
                }
                catch
                {
                    Directory.Move(previous, full);
                    throw;
                }
                Directory.Delete(previous, recursive: true);
            }
            else
            {
                Directory.Move(staging, full);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
        return full;
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
