namespace HwGen.Hdl.Tests.Simulation;

/// <summary>
/// The hand-written test benches in <c>tests/HwGen.Hdl.Tests/Benches</c>: one per example design,
/// named after the design's top module (<c>Counter_tb.v</c> holds module <c>Counter_tb</c>).
/// </summary>
public static class BenchSources
{
    /// <summary>Where the benches live in the checkout.</summary>
    public const string RepositoryFolder = "tests/HwGen.Hdl.Tests/Benches";

    private static readonly Lazy<string> s_directory = new(Find);

    /// <summary>
    /// The folder holding the benches: <c>Benches</c> beside the test assembly when the build copies
    /// it there, otherwise <see cref="RepositoryFolder"/> in the checkout, found from
    /// <c>HWGEN_REPO_ROOT</c> or by looking for <c>HwGen.sln</c> above the test assembly and the
    /// current folder.
    /// </summary>
    public static string Directory => s_directory.Value;

    /// <summary>The name of the bench module for the design whose top module is <paramref name="topModule"/>.</summary>
    public static string ModuleFor(string topModule) => topModule + "_tb";

    /// <summary>The bench file for the design whose top module is <paramref name="topModule"/>.</summary>
    public static string PathFor(string topModule)
    {
        var path = Path.Combine(Directory, ModuleFor(topModule) + ".v");
        if (!File.Exists(path))
        {
            var present = System.IO.Directory.EnumerateFiles(Directory, "*.v").Select(Path.GetFileName).Order(StringComparer.Ordinal);
            throw new FileNotFoundException(
                $"no test bench for top module '{topModule}': expected {path} (present: {string.Join(", ", present)})", path);
        }
        return path;
    }

    private static string Find()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Benches");
        if (System.IO.Directory.Exists(beside))
            return beside;

        var configured = Environment.GetEnvironmentVariable("HWGEN_REPO_ROOT");
        if (!string.IsNullOrEmpty(configured))
        {
            var folder = Path.Combine(Path.GetFullPath(configured), RepositoryFolder);
            return System.IO.Directory.Exists(folder)
                ? folder
                : throw new DirectoryNotFoundException($"HWGEN_REPO_ROOT={configured}: no {RepositoryFolder} there");
        }

        string[] starts = [AppContext.BaseDirectory, Environment.CurrentDirectory];
        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HwGen.sln")))
                    return Path.Combine(directory.FullName, RepositoryFolder);
            }
        }
        throw new DirectoryNotFoundException(
            $"cannot find the test benches: no Benches folder in {AppContext.BaseDirectory} and no HwGen.sln above " +
            $"{string.Join(" or ", starts)}; set HWGEN_REPO_ROOT to the checkout");
    }
}
