namespace HwGen.Cli.Bench;

/// <summary>The groups the figures of <c>hwgen bench</c> fall into, in the order the tables show them.</summary>
internal static class BenchGroups
{
    public const string Baseline = "baseline";
    public const string Tools = "tool times";
    public const string Speed = "simulation speed";
    public const string Cpi = "CPI";
    public const string Policies = "policies";
    public const string RuleCache = "rule-cache size";
    public const string Fpga = "FPGA";

    public static IReadOnlyList<string> All { get; } = [Baseline, Tools, Speed, Cpi, Policies, RuleCache, Fpga];
}

/// <summary>
/// One figure of <c>hwgen bench</c>: what was measured, in which unit, and every sample taken; the value reported is
/// the median, the spread its minimum and maximum.
/// </summary>
/// <param name="Name">The stable name scripts use, e.g. <c>verilator.speed</c> or <c>policy.heap.overhead</c>.</param>
/// <param name="Unit">The unit of every sample.</param>
/// <param name="Description">One line for the tables.</param>
/// <param name="Group">One of <see cref="BenchGroups"/>.</param>
internal sealed record BenchFigure(string Name, string Unit, string Description, string Group)
{
    /// <summary>The samples, one per run.</summary>
    public List<double> Samples { get; } = [];

    /// <summary>The middle sample (the lower middle of an even count).</summary>
    public double Median => Sorted[(Sorted.Length - 1) / 2];

    public double Min => Sorted[0];

    public double Max => Sorted[^1];

    public int Runs => Samples.Count;

    private double[] Sorted => Samples.Count > 0 ? [.. Samples.Order()] : throw new InvalidOperationException($"{Name}: no sample was taken");
}
