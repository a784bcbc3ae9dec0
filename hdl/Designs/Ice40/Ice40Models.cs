namespace HwGen.Designs.Ice40;

/// <summary>
/// Behavioural Verilog models of the iCE40 primitives HwGen instantiates (<c>SB_SPRAM256KA</c>, <c>SB_MAC16</c>, <c>SB_LUT4</c>, <c>SB_CARRY</c>,
/// <c>SB_PLL40_CORE</c>, <c>SB_PLL40_PAD</c>, <c>SB_IO</c>), for simulation: add them as sources to a
/// Verilator (<c>--binary --timing</c>, or a model build) or Icarus (<c>-g2012</c>) run. They are clean under
/// <c>verilator --lint-only -Wall</c> and are checked against Yosys' <c>ice40/cells_sim.v</c>, which neither
/// simulator reads. Synthesis does not need them: Yosys knows the primitives. Each file's header says what it
/// models; the PLL model passes the reference clock through (the frequency is not simulated).
/// </summary>
public static class Ice40Models
{
    private const string ResourcePrefix = "HwGen.Ice40.Models.";

    private static readonly Lazy<IReadOnlyList<(string FileName, string Text)>> s_files = new(Load);

    /// <summary>The model files, by file name (<c>SB_MAC16.v</c> holds module <c>SB_MAC16</c>), in name order.</summary>
    public static IReadOnlyList<(string FileName, string Text)> Files => s_files.Value;

    /// <summary>The Verilog text of the model of <paramref name="primitive"/> (e.g. <c>SB_SPRAM256KA</c>).</summary>
    /// <exception cref="ArgumentException">No model for that primitive.</exception>
    public static string Text(string primitive)
    {
        foreach (var (fileName, text) in Files)
            if (fileName == primitive + ".v")
                return text;
        throw new ArgumentException(
            $"no simulation model for '{primitive}'; models exist for {string.Join(", ", Files.Select(f => f.FileName[..^2]))}", nameof(primitive));
    }

    /// <summary>Writes every model into <paramref name="directory"/> (created when missing) and returns the full paths written.</summary>
    public static IReadOnlyList<string> WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var (fileName, text) in Files)
        {
            var path = Path.GetFullPath(Path.Combine(directory, fileName));
            File.WriteAllText(path, text);
            paths.Add(path);
        }
        return paths;
    }

    private static IReadOnlyList<(string FileName, string Text)> Load()
    {
        var assembly = typeof(Ice40Models).Assembly;
        var files = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files.Add((name[ResourcePrefix.Length..], reader.ReadToEnd()));
        }
        if (files.Count == 0)
            throw new InvalidOperationException($"the iCE40 simulation models are not embedded in {assembly.GetName().Name} (resources {ResourcePrefix}*)");
        return files;
    }
}
