using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HwGen.Designs.Riscv;

namespace HwGen.Cli;

/// <summary>
/// The core's options on the command line, shared by <c>hwgen sim</c> and <c>hwgen verilog</c>: <c>--predictor</c>,
/// <c>--btb-entries</c> and <c>--no-m</c>. Each stands for one of the design parameters of
/// <see cref="CoreParameters"/>, which maps them to <see cref="CoreConfig"/>.
/// </summary>
internal sealed class CoreOptions
{
    private readonly Option<string?> _predictor = new("--predictor")
    {
        Description = $"The core's branch predictor: {string.Join(", ", CoreParameters.PredictorNames)} [default: btb].",
        HelpName = string.Join('|', CoreParameters.PredictorNames),
    };

    private readonly Option<int?> _btbEntries = new("--btb-entries")
    {
        Description = $"Entries of the branch target buffer (--predictor btb), a power of two from 2 to {CoreConfig.MaxBtbEntries} [default: 64].",
        HelpName = "N",
    };

    private readonly Option<bool> _noM = new("--no-m") { Description = "A core without the M extension (no multiplier, no divider)." };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [_predictor, _btbEntries, _noM];

    /// <summary>What the command line chose; every field null when no core option was given.</summary>
    public CoreChoice Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var choice = new CoreChoice(result.GetValue(_predictor), result.GetValue(_btbEntries), result.GetValue(_noM) ? false : null);
        choice.Check();
        return choice;
    }
}

/// <summary>The core parameters given on the command line (null: not given).</summary>
internal sealed record CoreChoice(string? Predictor, int? BtbEntries, bool? WithM)
{
    /// <summary>Some core option was given.</summary>
    public bool Any => Predictor is not null || BtbEntries is not null || WithM is not null;

    /// <summary>The first option given, as typed (for messages).</summary>
    public string FirstOption => Predictor is not null ? "--predictor" : BtbEntries is not null ? "--btb-entries" : "--no-m";

    /// <summary>Throws a <see cref="UsageException"/> naming the option when a value cannot be built.</summary>
    public void Check()
    {
        if (BtbEntries is not null && Predictor is not null && Predictor != CoreParameters.PredictorName(BranchPredictorKind.Btb))
            throw new UsageException($"--btb-entries {BtbEntries}: the branch target buffer is only built with --predictor btb, not {Predictor}");
        // Any reset pc will do: the options do not depend on it.
        Apply(new CoreConfig(0));
    }

    /// <summary><paramref name="config"/> with the chosen parameters.</summary>
    /// <exception cref="UsageException">A value that cannot be built, with the option's name.</exception>
    public CoreConfig Apply(CoreConfig config)
    {
        try
        {
            return CoreParameters.Apply(config, Predictor, BtbEntries, WithM);
        }
        catch (ArgumentException ex)
        {
            var (option, value) = ex.ParamName switch
            {
                CoreParameters.BranchPredictor => ("--predictor", Predictor),
                CoreParameters.BtbEntries => ("--btb-entries", BtbEntries?.ToString(CultureInfo.InvariantCulture)),
                _ => (FirstOption, null),
            };
            throw new UsageException($"{option}{(value is null ? "" : " " + value)}: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }
    }

    /// <summary>
    /// The JSON parameters of a design (<paramref name="parameters"/>, or none) with the chosen ones set over them,
    /// under the names of <see cref="CoreParameters"/>.
    /// </summary>
    public JsonElement Over(JsonElement? parameters)
    {
        var merged = parameters is { ValueKind: JsonValueKind.Object } p ? JsonNode.Parse(p.GetRawText())!.AsObject() : new JsonObject();
        if (Predictor is not null)
            merged[CoreParameters.BranchPredictor] = Predictor;
        if (BtbEntries is { } entries)
            merged[CoreParameters.BtbEntries] = entries;
        if (WithM is { } m)
            merged[CoreParameters.WithM] = m;
        return JsonDocument.Parse(merged.ToJsonString()).RootElement.Clone();
    }
}
