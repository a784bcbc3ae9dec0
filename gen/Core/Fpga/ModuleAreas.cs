using System.Text.Json;

namespace HwGen.Gen.Fpga;

/// <summary>The cells one module instance holds itself (not those of its submodules) after synthesis that keeps the hierarchy.</summary>
/// <param name="Path">The instance path from the top, dot-separated (<c>core.execute</c>); empty for the top.</param>
/// <param name="Module">The Verilog module it is an instance of.</param>
/// <param name="Depth">How many instances deep it is: 0 for the top.</param>
public sealed record ModuleArea(string Path, string Module, int Depth, int Lut4, int Dff, int Carry, int Bram, int Dsp)
{
    /// <summary>The sum of <paramref name="areas"/>: the whole design, as synthesised with its hierarchy.</summary>
    public static ModuleArea Total(IEnumerable<ModuleArea> areas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        var all = areas.ToArray();
        return new ModuleArea("", "", 0, all.Sum(a => a.Lut4), all.Sum(a => a.Dff), all.Sum(a => a.Carry), all.Sum(a => a.Bram), all.Sum(a => a.Dsp));
    }
}

/// <summary>
/// Reads the per-instance areas of a design synthesised with <c>synth_ice40 -noflatten</c> from Yosys's netlist
/// (<c>write_json</c>): every module's own iCE40 cells, and its instances of the design's other modules, walked
/// from the top.
/// </summary>
public static class ModuleAreas
{
    /// <summary>The instances of <paramref name="top"/> and below, depth first in the netlist's order, each with its own cells.</summary>
    /// <exception cref="ArgumentException"><paramref name="top"/> is not a module of the netlist.</exception>
    public static IReadOnlyList<ModuleArea> Read(string yosysJson, string top)
    {
        ArgumentNullException.ThrowIfNull(yosysJson);
        using var json = JsonDocument.Parse(yosysJson);
        var modules = json.RootElement.GetProperty("modules");
        // Library cells (SB_LUT4, …) may come along as black boxes: they are cells, not instances.
        var design = modules.EnumerateObject().Where(m => !IsBlackBox(m.Value)).ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);
        if (!design.ContainsKey(top))
            throw new ArgumentException($"the netlist has no module {top}", nameof(top));
        var rows = new List<ModuleArea>();
        Walk(design, top, "", 0, rows);
        return rows;
    }

    private static void Walk(Dictionary<string, JsonElement> design, string module, string path, int depth, List<ModuleArea> rows)
    {
        if (depth > 64)
            throw new ArgumentException($"the hierarchy below {module} is deeper than 64 instances (a loop?)");
        var cells = design[module].TryGetProperty("cells", out var c) ? c.EnumerateObject().ToArray() : [];
        var types = cells.Select(cell => cell.Value.GetProperty("type").GetString() ?? "").ToArray();
        int Count(Func<string, bool> kind) => types.Count(kind);
        rows.Add(new ModuleArea(path, module, depth,
            Lut4: Count(t => t == "SB_LUT4"),
            Dff: Count(t => t.StartsWith("SB_DFF", StringComparison.Ordinal)),
            Carry: Count(t => t == "SB_CARRY"),
            Bram: Count(t => t.StartsWith("SB_RAM40_4K", StringComparison.Ordinal)),
            Dsp: Count(t => t == "SB_MAC16")));
        for (int i = 0; i < cells.Length; i++)
        {
            if (!design.ContainsKey(types[i]))
                continue;
            var name = cells[i].Name.TrimStart('\\');
            Walk(design, types[i], path.Length == 0 ? name : $"{path}.{name}", depth + 1, rows);
        }
    }

    /// <summary>A module of the netlist that is a library cell (<c>SB_LUT4</c>, …), not part of the design.</summary>
    internal static bool IsBlackBox(JsonElement module) =>
        module.TryGetProperty("attributes", out var attributes) &&
        attributes.TryGetProperty("blackbox", out var blackbox) &&
        (blackbox.ValueKind == JsonValueKind.Number ? blackbox.GetInt64() != 0 : blackbox.GetString()?.Trim('0').Length > 0);
}
