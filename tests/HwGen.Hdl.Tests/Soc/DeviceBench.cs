using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>
/// Runs a device's hand-written bench (tests/HwGen.Hdl.Tests/Benches/&lt;Module&gt;_tb.v) together with board
/// models from <c>sim/Board</c>: the models are appended to a copy of the bench, so the bench runs through
/// <see cref="BenchSimulation"/> unchanged. Files the bench reads (by relative name) are written into the
/// folder it runs in.
/// </summary>
internal static class DeviceBench
{
    /// <summary>The board models' folder in the checkout.</summary>
    public const string BoardModelsFolder = "sim/Board";

    /// <summary>
    /// Emits <paramref name="module"/>, simulates its bench with <paramref name="models"/> (file names in
    /// <see cref="BoardModelsFolder"/>) and asserts that it printed no FAIL line, exited with 0 and printed
    /// <c>PASS <paramref name="name"/></c> and every line of <paramref name="expectedLines"/>. <paramref name="defines"/>
    /// are macros defined ahead of the bench; <paramref name="primitives"/> are iCE40 primitives whose models
    /// (<see cref="Designs.Ice40.Ice40Models"/>) are appended too. Returns the lines printed.
    /// </summary>
    public static IReadOnlyList<string> AssertPasses(
        string name,
        Module module,
        Simulator simulator,
        IReadOnlyDictionary<string, int> parameters,
        IReadOnlyList<string> models,
        IReadOnlyDictionary<string, string>? files = null,
        IReadOnlyList<string>? expectedLines = null,
        IReadOnlyList<string>? defines = null,
        IReadOnlyList<string>? primitives = null)
    {
        using var scratch = new ScratchDirectory($"device-{name}-{simulator.ToString().ToLowerInvariant()}");
        var emitted = EmittedDesign.Emit(module, scratch.Combine("rtl"));
        var benchSource = BenchSources.PathFor(emitted.TopModule);
        var bench = scratch.Combine("bench", Path.GetFileName(benchSource));
        Directory.CreateDirectory(Path.GetDirectoryName(bench)!);
        var text = string.Concat((defines ?? []).Select(d => $"`define {d}\n")) + File.ReadAllText(benchSource);
        foreach (var model in models)
            text += $"\n// ---- {BoardModelsFolder}/{model} ----\n" + File.ReadAllText(Path.Combine(RepositoryRoot(), BoardModelsFolder, model));
        foreach (var primitive in primitives ?? [])
            text += $"\n// ---- the model of {primitive} ----\n" + Designs.Ice40.Ice40Models.Text(primitive);
        File.WriteAllText(bench, text);

        var build = scratch.Combine("build");
        Directory.CreateDirectory(build);
        foreach (var (file, content) in files ?? new Dictionary<string, string>())
            File.WriteAllText(Path.Combine(build, file), content);

        var result = BenchSimulation.Run(simulator, bench, emitted, parameters, build);
        var report = $"files kept in {scratch.Path}\n{result.Report()}";
        Assert.That(result.Simulated, Is.True, report);
        Assert.That(result.Lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)), Is.Empty, report);
        Assert.That(result.ExitCode, Is.Zero, report);
        foreach (var line in expectedLines ?? [])
            Assert.That(result.Lines, Does.Contain(line), report);
        Assert.That(result.Lines, Does.Contain($"PASS {name}"), report);
        scratch.Complete();
        return result.Lines;
    }

    /// <summary>The checkout: <c>HWGEN_REPO_ROOT</c>, or the folder holding <c>HwGen.sln</c> above the test assembly or the current folder.</summary>
    public static string RepositoryRoot()
    {
        var configured = Environment.GetEnvironmentVariable("HWGEN_REPO_ROOT");
        if (!string.IsNullOrEmpty(configured))
            return Path.GetFullPath(configured);
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HwGen.sln")))
                    return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException(
            $"cannot find the checkout (HwGen.sln) above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}; set HWGEN_REPO_ROOT");
    }
}
