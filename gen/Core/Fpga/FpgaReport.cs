using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HwGen.Gen.Fpga;

/// <summary>How many cells of one kind the design uses, and how many the device has.</summary>
/// <param name="Kind">The short name used in reports and JSON: <c>logicCells</c>, <c>lut4</c>, <c>bram</c>, …</param>
/// <param name="Primitive">The nextpnr or Yosys cell type it counts (<c>ICESTORM_LC</c>, <c>SB_LUT4</c>, …).</param>
/// <param name="Description">What it is, for people.</param>
public sealed record CellUsage(string Kind, string Primitive, string Description, int Used, int Available)
{
    public bool Fits => Used <= Available;

    /// <summary>Used as a percentage of available (0 when the device has none).</summary>
    public double Percent => Available == 0 ? (Used == 0 ? 0 : double.PositiveInfinity) : 100.0 * Used / Available;
}

/// <summary>The highest frequency a clock reaches after routing, against the one asked for.</summary>
/// <param name="Clock">The clock's net, without nextpnr's buffer suffixes (<c>clk</c>, <c>CLK</c>).</param>
public sealed record ClockFmax(string Clock, double AchievedMHz, double TargetMHz)
{
    public bool Met => AchievedMHz >= TargetMHz;
}

/// <summary>One net on the critical path and the C# line that declared its signal (null for nets Yosys made up).</summary>
public sealed record PathNet(string Net, string? Location);

/// <summary>The slowest register-to-register (or port) path of the slowest clock.</summary>
/// <param name="From">The start point: cell and port.</param>
/// <param name="To">The end point: cell and port.</param>
/// <param name="DelayNs">Total delay, logic and routing, in ns.</param>
/// <param name="LogicLevels">Cells the path passes through (LUTs, carry stages, DSPs) between start and end point.</param>
/// <param name="Nets">The nets it takes, in order.</param>
public sealed record CriticalPath(string From, string To, double DelayNs, int LogicLevels, IReadOnlyList<PathNet> Nets)
{
    /// <summary>The C# line of the signal the start point drives (its cell's name, or else the first net), or null.</summary>
    public string? FromLocation { get; init; }

    /// <summary>The C# line of the signal the end point belongs to (its cell's name), or null.</summary>
    public string? ToLocation { get; init; }
}

/// <summary>
/// What the FPGA flow found: cells used of each kind, Fmax per clock, whether the design fits, and the critical
/// path mapped back to C#. Read from nextpnr-ice40's <c>--report</c> JSON and Yosys's <c>stat -json</c>; for a
/// design that does not fit, from nextpnr's log.
/// </summary>
public sealed partial record FpgaReport
{
    /// <summary>Cells by kind, in a fixed order: logic cells, LUT4, DFF, CARRY, block RAM, SPRAM, DSP, I/O, global buffers, PLL.</summary>
    public required IReadOnlyList<CellUsage> Cells { get; init; }

    /// <summary>Fmax per clock; empty when the design was not routed.</summary>
    public required IReadOnlyList<ClockFmax> Fmax { get; init; }

    public required double TargetMHz { get; init; }

    public CriticalPath? CriticalPath { get; init; }

    /// <summary>Why the design does not fit (a resource and both numbers), or null when it fits.</summary>
    public string? NotFitting { get; init; }

    /// <summary>Every kind of cell fits in the device, and nextpnr placed the design.</summary>
    public bool Fits => NotFitting is null && Cells.All(c => c.Fits);

    /// <summary>Every clock reaches the target frequency.</summary>
    public bool MeetsTarget => Fmax.Count > 0 && Fmax.All(f => f.Met);

    /// <summary>The slowest clock, or null when none was routed.</summary>
    public ClockFmax? SlowestClock => Fmax.OrderBy(f => f.AchievedMHz).FirstOrDefault();

    private static readonly (string Kind, string Primitive, string Description)[] Kinds =
    [
        ("logicCells", "ICESTORM_LC", "logic cells (LUT4 + DFF + carry)"),
        ("lut4", "SB_LUT4", "4-input lookup tables"),
        ("dff", "SB_DFF*", "flip-flops"),
        ("carry", "SB_CARRY", "carry-chain stages"),
        ("bram", "ICESTORM_RAM", "block RAM (4 Kbit)"),
        ("spram", "ICESTORM_SPRAM", "single-port RAM (256 Kbit)"),
        ("dsp", "ICESTORM_DSP", "multiply-accumulate (SB_MAC16)"),
        ("io", "SB_IO", "I/O pins"),
        ("globalBuffers", "SB_GB", "global buffers"),
        ("pll", "ICESTORM_PLL", "PLLs"),
    ];

    /// <summary>
    /// The report of a routed design: <paramref name="nextpnrReport"/> is nextpnr's <c>--report</c> JSON,
    /// <paramref name="yosysStat"/> Yosys's <c>stat -json</c> output, <paramref name="sources"/> maps nets to C#.
    /// </summary>
    public static FpgaReport Parse(string nextpnrReport, string yosysStat, VerilogSourceMap? sources, double targetMHz)
    {
        using var report = JsonDocument.Parse(nextpnrReport);
        var root = report.RootElement;
        var utilization = new Dictionary<string, (int Used, int Available)>(StringComparer.Ordinal);
        foreach (var kind in root.GetProperty("utilization").EnumerateObject())
            utilization[kind.Name] = (kind.Value.GetProperty("used").GetInt32(), kind.Value.GetProperty("available").GetInt32());

        var fmax = new List<ClockFmax>();
        if (root.TryGetProperty("fmax", out var clocks))
        {
            // nextpnr lists the constant nets that clock a ROM's unused write port ($PACKER_GND_NET): not clocks.
            var real = clocks.EnumerateObject().Where(c => !c.Name.StartsWith("$PACKER_", StringComparison.Ordinal)).ToArray();
            var names = real.Select(c => c.Name).ToArray();
            foreach (var clock in real)
            {
                var shortName = ClockName(clock.Name);
                var name = names.Count(n => ClockName(n) == shortName) > 1 ? clock.Name : shortName;
                var target = clock.Value.TryGetProperty("constraint", out var constraint) ? constraint.GetDouble() : targetMHz;
                fmax.Add(new ClockFmax(name, clock.Value.GetProperty("achieved").GetDouble(), target));
            }
        }

        CriticalPath? critical = null;
        if (root.TryGetProperty("critical_paths", out var paths))
        {
            var worst = clocks.ValueKind == JsonValueKind.Object
                ? clocks.EnumerateObject().Where(c => !c.Name.StartsWith("$PACKER_", StringComparison.Ordinal))
                    .OrderBy(c => c.Value.GetProperty("achieved").GetDouble()).Select(c => c.Name).FirstOrDefault()
                : null;
            var all = paths.EnumerateArray().ToArray();
            var chosen = all.FirstOrDefault(p => worst is not null && p.GetProperty("from").GetString() == "posedge " + worst && p.GetProperty("to").GetString() == "posedge " + worst);
            if (chosen.ValueKind == JsonValueKind.Undefined)
                chosen = all.OrderByDescending(PathDelay).FirstOrDefault();
            if (chosen.ValueKind != JsonValueKind.Undefined)
                critical = ReadPath(chosen, sources);
        }
        return new FpgaReport
        {
            Cells = CountCells(utilization, ReadStat(yosysStat)),
            Fmax = fmax,
            TargetMHz = targetMHz,
            CriticalPath = critical,
        };
    }

    /// <summary>
    /// The report of a design nextpnr could not place: the utilisation table and the error of
    /// <paramref name="nextpnrLog"/>. Returns null when the log does not show a design too big for the device.
    /// </summary>
    public static FpgaReport? FromFailedPlacement(string nextpnrLog, string yosysStat, string device, double targetMHz)
    {
        ArgumentNullException.ThrowIfNull(nextpnrLog);
        var utilization = new Dictionary<string, (int Used, int Available)>(StringComparer.Ordinal);
        foreach (Match m in UtilisationLine().Matches(nextpnrLog))
            utilization[m.Groups["kind"].Value] = (int.Parse(m.Groups["used"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["available"].Value, CultureInfo.InvariantCulture));

        string? reason = null;
        var noBels = NoBelsLine().Match(nextpnrLog);
        var usesMore = UsesMoreLine().Match(nextpnrLog);
        var over = utilization.Where(u => u.Value.Used > u.Value.Available).Select(u => u.Key).ToArray();
        if (over.Length > 0)
            reason = string.Join("; ", over.Select(k => Overflow(k, utilization[k].Used, utilization[k].Available, device)));
        else if (usesMore.Success)
            reason = Overflow(usesMore.Groups["kind"].Value.TrimEnd('s'), int.Parse(usesMore.Groups["used"].Value, CultureInfo.InvariantCulture),
                int.Parse(usesMore.Groups["available"].Value, CultureInfo.InvariantCulture), device);
        else if (noBels.Success)
            reason = $"the {device} has no {Describe(noBels.Groups["kind"].Value)} left for cell {noBels.Groups["cell"].Value}";
        if (reason is null)
            return null;
        return new FpgaReport
        {
            Cells = CountCells(utilization, ReadStat(yosysStat)),
            Fmax = [],
            TargetMHz = targetMHz,
            NotFitting = reason,
        };
    }

    private static string Overflow(string kind, int used, int available, string device) =>
        $"the design uses {used} {kind} ({Describe(kind)}) but the {device} has {available}";

    private static string Describe(string primitive) =>
        Kinds.FirstOrDefault(k => k.Primitive == primitive).Description ?? primitive;

    private static List<CellUsage> CountCells(Dictionary<string, (int Used, int Available)> utilization, Dictionary<string, int> stat)
    {
        var logicCells = utilization.GetValueOrDefault("ICESTORM_LC");
        var cells = new List<CellUsage>();
        foreach (var (kind, primitive, description) in Kinds)
        {
            (int Used, int Available) count = primitive switch
            {
                // Every logic cell holds one LUT4, one flip-flop and one carry stage.
                "SB_LUT4" => (stat.GetValueOrDefault("SB_LUT4"), logicCells.Available),
                "SB_DFF*" => (stat.Where(s => s.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(s => s.Value), logicCells.Available),
                "SB_CARRY" => (stat.GetValueOrDefault("SB_CARRY"), logicCells.Available),
                _ => utilization.GetValueOrDefault(primitive),
            };
            cells.Add(new CellUsage(kind, primitive, description, count.Used, count.Available));
        }
        return cells;
    }

    /// <summary>Cell counts by type from Yosys's <c>stat -json</c>: the whole design's, or the sum over its modules.</summary>
    internal static Dictionary<string, int> ReadStat(string yosysStat)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(yosysStat))
            return counts;
        using var json = JsonDocument.Parse(yosysStat);
        IEnumerable<JsonElement> scopes = json.RootElement.TryGetProperty("design", out var design)
            ? [design]
            : json.RootElement.GetProperty("modules").EnumerateObject().Select(m => m.Value);
        foreach (var scope in scopes)
        {
            if (!scope.TryGetProperty("num_cells_by_type", out var byType))
                continue;
            foreach (var type in byType.EnumerateObject())
                counts[type.Name] = counts.GetValueOrDefault(type.Name) + type.Value.GetInt32();
        }
        return counts;
    }

    private static double PathDelay(JsonElement path) =>
        path.GetProperty("path").EnumerateArray().Sum(s => s.GetProperty("delay").GetDouble());

    private static CriticalPath ReadPath(JsonElement path, VerilogSourceMap? sources)
    {
        var steps = path.GetProperty("path").EnumerateArray().ToArray();
        static string Point(JsonElement end) => $"{end.GetProperty("cell").GetString()}.{end.GetProperty("port").GetString()}";
        var nets = new List<PathNet>();
        foreach (var step in steps)
        {
            if (!step.TryGetProperty("net", out var net) || net.GetString() is not { } name)
                continue;
            if (nets.Count > 0 && nets[^1].Net == name)
                continue;
            nets.Add(new PathNet(name, sources?.Locate(name)));
        }
        string? Cell(JsonElement end) => end.GetProperty("cell").GetString() is { } cell ? sources?.Locate(cell) : null;
        return new CriticalPath(
            From: steps.Length > 0 ? Point(steps[0].GetProperty("from")) : path.GetProperty("from").GetString() ?? "",
            To: steps.Length > 0 ? Point(steps[^1].GetProperty("to")) : path.GetProperty("to").GetString() ?? "",
            DelayNs: steps.Sum(s => s.GetProperty("delay").GetDouble()),
            LogicLevels: steps.Count(s => s.GetProperty("type").GetString() == "logic"),
            Nets: nets)
        {
            FromLocation = steps.Length == 0 ? null : Cell(steps[0].GetProperty("from")) ?? nets.FirstOrDefault()?.Location,
            ToLocation = steps.Length == 0 ? null : Cell(steps[^1].GetProperty("to")),
        };
    }

    /// <summary><c>clk$SB_IO_IN_$glb_clk</c> → <c>clk</c>.</summary>
    private static string ClockName(string net)
    {
        // nextpnr appends its buffers to the net's name (clk$glb_clk, CLK$SB_IO_IN); Yosys may add a '_' to a
        // flattened name that clashed.
        var dollar = net.IndexOf('$', StringComparison.Ordinal);
        var name = dollar > 0 ? net[..dollar] : net;
        return name.Length > 1 ? name.TrimEnd('_') : name;
    }

    [GeneratedRegex(@"^Info:\s+(?<kind>[A-Za-z0-9_]+):\s+(?<used>\d+)/\s*(?<available>\d+)\s+\d+%", RegexOptions.Multiline)]
    private static partial Regex UtilisationLine();

    [GeneratedRegex(@"Unable to place cell '(?<cell>[^']*)', no BELs remaining to implement cell type '(?<kind>[^']*)'")]
    private static partial Regex NoBelsLine();

    [GeneratedRegex(@"Design uses (?<used>\d+) (?<kind>[A-Za-z0-9_]+) but device only has (?<available>\d+)")]
    private static partial Regex UsesMoreLine();
}
