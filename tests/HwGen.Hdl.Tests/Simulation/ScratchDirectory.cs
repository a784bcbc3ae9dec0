namespace HwGen.Hdl.Tests.Simulation;

/// <summary>
/// A fresh folder under the system's temporary folder for one test's files. It is deleted on
/// <see cref="Dispose"/> only when the test called <see cref="Complete"/>, so the files of a failed
/// test stay behind for a look (the failure message names the folder).
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    private bool _complete;

    public ScratchDirectory(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hwgen-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Marks the test as successful: the folder is deleted on <see cref="Dispose"/>.</summary>
    public void Complete() => _complete = true;

    public void Dispose()
    {
        if (_complete && Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }

    public override string ToString() => Path;
}
