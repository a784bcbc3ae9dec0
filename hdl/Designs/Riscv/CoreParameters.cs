namespace HwGen.Designs.Riscv;

/// <summary>
/// The <see cref="CoreConfig"/> parameters a user chooses by name: in a design's JSON parameters
/// (<c>branchPredictor</c>, <c>btbEntries</c>, <c>withM</c>) and, through them, on the command line. The one place
/// that maps those names to the configuration.
/// </summary>
public static class CoreParameters
{
    /// <summary>The JSON name of <see cref="CoreConfig.BranchPredictor"/>: <c>"none"</c>, <c>"static"</c> or <c>"btb"</c>.</summary>
    public const string BranchPredictor = "branchPredictor";

    /// <summary>The JSON name of <see cref="CoreConfig.BtbEntries"/>: a power of two from 2 to 4096.</summary>
    public const string BtbEntries = "btbEntries";

    /// <summary>The JSON name of <see cref="CoreConfig.WithM"/>: true or false.</summary>
    public const string WithM = "withM";

    private static readonly (string Name, BranchPredictorKind Kind)[] Predictors =
    [
        ("none", BranchPredictorKind.None),
        ("static", BranchPredictorKind.StaticBackwardTaken),
        ("btb", BranchPredictorKind.Btb),
    ];

    /// <summary>The names of the branch predictors, in order: none, static, btb.</summary>
    public static IReadOnlyList<string> PredictorNames { get; } = Predictors.Select(p => p.Name).ToArray();

    /// <summary>The name of <paramref name="kind"/>: <c>none</c>, <c>static</c> or <c>btb</c>.</summary>
    public static string PredictorName(BranchPredictorKind kind) =>
        Predictors.Where(p => p.Kind == kind).Select(p => p.Name).FirstOrDefault() ?? kind.ToString();

    /// <summary>
    /// <paramref name="config"/> with the parameters that are given (not null) replaced, and validated.
    /// </summary>
    /// <exception cref="ArgumentException">A value that cannot be built; <see cref="ArgumentException.ParamName"/>
    /// is its JSON name (<see cref="BranchPredictor"/>, <see cref="BtbEntries"/>).</exception>
    public static CoreConfig Apply(CoreConfig config, string? branchPredictor = null, int? btbEntries = null, bool? withM = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (branchPredictor is not null)
        {
            var match = Predictors.Where(p => p.Name == branchPredictor).ToArray();
            if (match.Length == 0)
                throw new ArgumentException($"'{branchPredictor}' is not a branch predictor; give one of {string.Join(", ", PredictorNames)}", BranchPredictor);
            config = config with { BranchPredictor = match[0].Kind };
        }
        if (btbEntries is { } entries)
            config = config with { BtbEntries = entries };
        if (withM is { } m)
            config = config with { WithM = m };
        try
        {
            config.Validate();
        }
        catch (ArgumentException ex) when (ex.ParamName == nameof(CoreConfig.BtbEntries))
        {
            throw new ArgumentException(ex.Message.Split(" (Parameter", 2)[0], BtbEntries, ex);
        }
        return config;
    }
}
