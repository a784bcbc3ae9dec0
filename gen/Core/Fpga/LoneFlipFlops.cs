using System.Text.Json;
using System.Text.RegularExpressions;

namespace HwGen.Gen.Fpga;

/// <summary>A register whose flip-flops each take a logic cell of their own: nothing of its logic packs beside them.</summary>
/// <param name="Name">The register's name in the flattened netlist (<c>core.memory.writeback_Retire_Pc</c>).</param>
/// <param name="Bits">How many of its flip-flops are alone in their cell.</param>
public sealed record LoneRegister(string Name, int Bits);

/// <summary>
/// The flip-flops of a flattened iCE40 netlist that will take a logic cell without a LUT, and the registers they belong to.
/// </summary>
/// <param name="FlipFlops">Every flip-flop of the design.</param>
/// <param name="Alone">Those that no LUT packs with (<see cref="LoneFlipFlops"/>).</param>
/// <param name="Registers">The registers of <see cref="Alone"/>, the largest first.</param>
public sealed record LoneFlipFlopReport(int FlipFlops, int Alone, IReadOnlyList<LoneRegister> Registers);

/// <summary>
/// Finds the flip-flops that cost a logic cell by themselves. An iCE40 logic cell holds a LUT4, a carry and a
/// flip-flop, and its one output is either the LUT's or the flip-flop's: nextpnr packs a flip-flop into its LUT's cell
/// only when that LUT drives the flip-flop and nothing else. A flip-flop loaded straight from another flip-flop, a
/// block RAM, a DSP, a carry, a port or a constant, or from a LUT that other cells read too, gets a cell with a
/// pass-through LUT: a copy of a register down a pipeline costs a cell a bit even though it needs no logic.
/// </summary>
/// <remarks>The same rule as nextpnr-ice40's packer (a LUT with one reader, a flip-flop's data input), so the count
/// is known from Yosys's netlist, before placement and for a design that does not fit.</remarks>
public static partial class LoneFlipFlops
{
    /// <summary>
    /// The lone flip-flops of the netlist <paramref name="yosysJson"/> (<c>write_json</c> after <c>synth_ice40</c>), module
    /// <paramref name="top"/> and the modules synthesis kept below it (as nextpnr flattens them).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="top"/> is not a module of the netlist.</exception>
    public static LoneFlipFlopReport Read(string yosysJson, string top)
    {
        ArgumentNullException.ThrowIfNull(yosysJson);
        using var json = JsonDocument.Parse(yosysJson);
        var modules = json.RootElement.GetProperty("modules").EnumerateObject()
            .Where(m => m.Value.TryGetProperty("cells", out _) && !ModuleAreas.IsBlackBox(m.Value))
            .ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);
        if (!modules.ContainsKey(top))
            throw new ArgumentException($"the netlist has no module {top}", nameof(top));
        var flipFlops = new List<(string Name, bool Alone)>();
        Analyse(modules, top, "", isTop: true, flipFlops, depth: 0);
        var registers = flipFlops.Where(f => f.Alone)
            .GroupBy(f => f.Name, StringComparer.Ordinal)
            .Select(g => new LoneRegister(g.Key, g.Count()))
            .OrderByDescending(r => r.Bits).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToArray();
        return new LoneFlipFlopReport(flipFlops.Count, flipFlops.Count(f => f.Alone), registers);
    }

    /// <summary>What a kept module shows its parent: how many cells inside read each input bit, and which output bits a LUT drives that nothing inside reads.</summary>
    private sealed record Boundary(Dictionary<(string Port, int Index), int> InputReaders, HashSet<(string Port, int Index)> LutAloneOutputs);

    /// <summary>
    /// Adds the flip-flops of <paramref name="name"/> (instance <paramref name="path"/>) and of the kept modules below it to
    /// <paramref name="flipFlops"/>, each with its register's name and whether it is alone. A flip-flop inside a kept
    /// module loaded from one of its inputs counts as alone.
    /// </summary>
    private static Boundary Analyse(Dictionary<string, JsonElement> modules, string name, string path, bool isTop,
        List<(string Name, bool Alone)> flipFlops, int depth)
    {
        if (depth > 64)
            throw new ArgumentException($"the hierarchy below {name} is deeper than 64 instances (a loop?)");
        var module = modules[name];
        // For every net bit: whether a LUT (or a kept module's lone LUT) drives it, and how many inputs read it.
        var lutDriven = new HashSet<long>();
        var readers = new Dictionary<long, int>();
        void Read(long bit, int count = 1) => readers[bit] = readers.GetValueOrDefault(bit) + count;
        var ports = module.TryGetProperty("ports", out var p) ? p.EnumerateObject().ToArray() : [];
        if (isTop)
        {
            // The top's outputs leave the chip: read once each.
            foreach (var port in ports.Where(port => port.Value.GetProperty("direction").GetString() != "input"))
                foreach (var bit in Bits(port.Value.GetProperty("bits")))
                    Read(bit);
        }

        var cells = new List<(long D, long Q, string Cell)>();
        foreach (var cell in module.GetProperty("cells").EnumerateObject())
        {
            var type = cell.Value.GetProperty("type").GetString() ?? "";
            var connections = cell.Value.GetProperty("connections");
            if (modules.ContainsKey(type))
            {
                var instance = cell.Name.TrimStart('\\');
                var inner = Analyse(modules, type, path.Length == 0 ? instance : $"{path}.{instance}", isTop: false, flipFlops, depth + 1);
                foreach (var connection in connections.EnumerateObject())
                {
                    int index = 0;
                    foreach (var bit in connection.Value.EnumerateArray())
                    {
                        var key = (connection.Name, index++);
                        if (bit.ValueKind != JsonValueKind.Number)
                            continue;
                        if (inner.InputReaders.TryGetValue(key, out var count))
                            Read(bit.GetInt64(), count);
                        else if (inner.LutAloneOutputs.Contains(key))
                            lutDriven.Add(bit.GetInt64());
                    }
                }
                continue;
            }
            var directions = cell.Value.TryGetProperty("port_directions", out var d) ? d : default;
            foreach (var connection in connections.EnumerateObject())
            {
                var output = directions.ValueKind == JsonValueKind.Object && directions.TryGetProperty(connection.Name, out var dir)
                    ? dir.GetString() == "output"
                    : connection.Name is "O" or "Q" or "CO" || connection.Name.StartsWith("RDATA", StringComparison.Ordinal);
                foreach (var bit in Bits(connection.Value))
                {
                    if (!output)
                        Read(bit);
                    else if (type == "SB_LUT4" && connection.Name == "O")
                        lutDriven.Add(bit);
                }
            }
            if (type.StartsWith("SB_DFF", StringComparison.Ordinal))
                cells.Add((First(connections.GetProperty("D")), First(connections.GetProperty("Q")), cell.Name));
        }

        var names = NetNames(module, ports);
        foreach (var (dBit, qBit, cellName) in cells)
        {
            var register = !cellName.StartsWith('$') ? CellSuffix().Replace(cellName.TrimStart('\\'), "")
                : names.TryGetValue(qBit, out var net) ? net : "(unnamed)";
            if (!isTop)
                register = $"{path}.{register}";
            flipFlops.Add((register, !(dBit >= 0 && lutDriven.Contains(dBit) && readers.GetValueOrDefault(dBit) == 1)));
        }

        var inputs = new Dictionary<(string Port, int Index), int>();
        var lutAlone = new HashSet<(string Port, int Index)>();
        foreach (var port in ports)
        {
            var input = port.Value.GetProperty("direction").GetString() == "input";
            int index = 0;
            foreach (var bit in port.Value.GetProperty("bits").EnumerateArray())
            {
                var key = (port.Name, index++);
                if (bit.ValueKind != JsonValueKind.Number)
                    continue;
                if (input)
                    inputs[key] = readers.GetValueOrDefault(bit.GetInt64());
                else if (lutDriven.Contains(bit.GetInt64()) && readers.GetValueOrDefault(bit.GetInt64()) == 0)
                    lutAlone.Add(key);
            }
        }
        return new Boundary(inputs, lutAlone);
    }

    /// <summary>What Yosys appends to a register's name when it names a flip-flop cell after it (<c>_SB_DFFE_Q_12</c>).</summary>
    [GeneratedRegex(@"_SB_DFF[A-Z]*_Q(_\d+)?$")]
    private static partial Regex CellSuffix();

    /// <summary>A connection's net bits; a constant (<c>"0"</c>, <c>"1"</c>, <c>"x"</c>) is -1.</summary>
    private static IEnumerable<long> Bits(JsonElement bits) =>
        bits.EnumerateArray().Select(b => b.ValueKind == JsonValueKind.Number ? b.GetInt64() : -1).Where(b => b >= 0);

    private static long First(JsonElement bits)
    {
        var first = bits.EnumerateArray().FirstOrDefault();
        return first.ValueKind == JsonValueKind.Number ? first.GetInt64() : -1;
    }

    /// <summary>
    /// Each net bit's name: the shortest name the netlist gives it, one Yosys did not make up before one it did, and the
    /// name of a register inside before that of a port of the top.
    /// </summary>
    private static Dictionary<long, string> NetNames(JsonElement module, JsonProperty[] modulePorts)
    {
        var names = new Dictionary<long, (string Name, bool Hidden)>();
        if (!module.TryGetProperty("netnames", out var netnames))
            return [];
        var ports = modulePorts.Select(port => port.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var net in netnames.EnumerateObject())
        {
            var hidden = net.Value.TryGetProperty("hide_name", out var h) && h.GetInt32() != 0 || ports.Contains(net.Name);
            foreach (var bit in Bits(net.Value.GetProperty("bits")))
            {
                if (!names.TryGetValue(bit, out var known) || Better((net.Name, hidden), known))
                    names[bit] = (net.Name, hidden);
            }
        }
        return names.ToDictionary(n => n.Key, n => n.Value.Name.TrimStart('\\'));

        static bool Better((string Name, bool Hidden) candidate, (string Name, bool Hidden) known) =>
            candidate.Hidden != known.Hidden ? !candidate.Hidden
            : candidate.Name.Length != known.Name.Length ? candidate.Name.Length < known.Name.Length
            : string.CompareOrdinal(candidate.Name, known.Name) < 0;
    }
}
