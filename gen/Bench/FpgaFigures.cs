using System.Globalization;
using System.Text.Json;

namespace HwGen.Cli.Bench;

/// <summary>
/// The FPGA figures of <c>hwgen bench --fpga</c>: each design built for the board by <c>hwgen fpga build --json</c>, once
/// per placement seed, and its cells and the slowest clock's Fmax taken from that result object.
/// </summary>
internal static class FpgaFigures
{
    /// <summary>The designs measured: <c>fpga build --design</c> name, and what it is.</summary>
    public static IReadOnlyList<(string Design, string Description)> Designs { get; } =
    [
        ("soc", "untagged board SoC"),
        ("tagged", "tagged board SoC"),
        ("core", "AP alone"),
    ];

    /// <summary>The cell kinds reported (the <c>cells</c> keys of the result object), and their units.</summary>
    public static IReadOnlyList<(string Kind, string Unit)> Kinds { get; } =
    [
        ("lut4", "LUT4"), ("dff", "DFF"), ("bram", "BRAM"), ("spram", "SPRAM"), ("dsp", "DSP"), ("logicCells", "logic cells"),
    ];

    /// <summary>
    /// Builds each design with each seed and adds its cells and Fmax; a design that does not fit the device has no Fmax
    /// (it is not placed), so it is built with the first seed only and its cells are those synthesis and packing found.
    /// </summary>
    public static void Measure(string board, IReadOnlyList<int> seeds, Action<string> status, Func<string, string, string, string, BenchFigure> figure)
    {
        var output = Path.Combine(Path.GetTempPath(), "hwgen-bench-fpga-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var (design, description) in Designs)
            {
                foreach (var seed in seeds)
                {
                    status($"fpga build --board {board} --design {design} --seed {seed} (synthesis, place and route: minutes)");
                    using var result = Build(board, design, seed, Path.Combine(output, $"{design}-{seed}"));
                    var root = result.RootElement;
                    bool fits = root.GetProperty("fits").GetBoolean();
                    var cells = root.GetProperty("cells");
                    foreach (var (kind, unit) in Kinds)
                    {
                        var used = cells.TryGetProperty(kind, out var count) ? count.GetProperty("used").GetInt32() : 0;
                        var available = cells.TryGetProperty(kind, out count) ? count.GetProperty("available").GetInt32() : 0;
                        figure($"fpga.{design}.{kind}", unit, $"{description}: {unit} used of {available} on {board}{(fits ? "" : " (does not fit)")}", BenchGroups.Fpga).Samples.Add(used);
                    }
                    if (!fits)
                        break;
                    var fmax = root.GetProperty("fmaxMHz").EnumerateObject().Select(c => c.Value.GetDouble()).DefaultIfEmpty(0).Min();
                    figure($"fpga.{design}.fmax", "MHz", $"{description}: the slowest clock's Fmax (seeds {string.Join(", ", seeds)})", BenchGroups.Fpga).Samples.Add(fmax);
                }
            }
        }
        finally
        {
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
        }
    }

    private static JsonDocument Build(string board, string design, int seed, string output)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int code = Program.Run(["fpga", "build", "--board", board, "--design", design, "--seed", seed.ToString(CultureInfo.InvariantCulture), "--json", "--out", output], stdout, stderr);
        if (code == (int)ExitCode.UsageError)
            throw new UsageException($"--fpga: fpga build --design {design}: {CliContext.OneLine(stderr.ToString())}");
        var text = stdout.ToString();
        if (text.Trim().Length == 0)
            throw new BenchFailedException($"fpga build --board {board} --design {design} --seed {seed} failed (exit code {code}): {CliContext.OneLine(stderr.ToString())}");
        // A design that does not fit still reports its cells (exit code 1, fits false).
        return JsonDocument.Parse(text);
    }
}
