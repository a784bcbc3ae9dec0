using System.Text.Json;
using System.Text.RegularExpressions;

namespace HwGen.Gen.Fpga;

/// <summary>
/// Finds where a signal of the emitted Verilog was written in C#: every declaration line of the Verilog ends
/// with <c>// @[file:line]</c>. Built from an emitter output folder (the <c>.v</c> files and <c>manifest.json</c>,
/// whose instance lists give the module behind each level of a hierarchical name).
/// </summary>
public sealed partial class VerilogSourceMap
{
    private readonly string _top;
    private readonly Dictionary<string, Dictionary<string, string?>> _declarations;
    private readonly Dictionary<string, Dictionary<string, string>> _instances;

    private VerilogSourceMap(string top, Dictionary<string, Dictionary<string, string?>> declarations, Dictionary<string, Dictionary<string, string>> instances)
    {
        _top = top;
        _declarations = declarations;
        _instances = instances;
    }

    /// <summary>Reads the Verilog files of <paramref name="directory"/>, and its <c>manifest.json</c> when there is one.</summary>
    public static VerilogSourceMap Load(string directory, string top)
    {
        var declarations = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.v").Order(StringComparer.Ordinal))
            Read(File.ReadAllLines(file), declarations);

        var instances = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var manifest = Path.Combine(directory, "manifest.json");
        if (File.Exists(manifest))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(manifest));
            if (json.RootElement.TryGetProperty("modules", out var modules))
            {
                foreach (var module in modules.EnumerateArray())
                {
                    var map = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var instance in module.GetProperty("instances").EnumerateArray())
                        map[instance.GetProperty("name").GetString()!] = instance.GetProperty("module").GetString()!;
                    instances[module.GetProperty("name").GetString()!] = map;
                }
            }
        }
        return new VerilogSourceMap(top, declarations, instances);
    }

    /// <summary>
    /// The C# location (<c>file:line</c>) of the signal behind the netlist name <paramref name="net"/>, or null when
    /// the name is one that Yosys or nextpnr made up. Hierarchical names (<c>core.execute.aluOut_SB_LUT4_O_I2</c>) are
    /// followed instance by instance from the top; Yosys suffixes (<c>_SB_LUT4_O_I2</c>, <c>[3]</c>, <c>$SB_IO_OUT</c>)
    /// are cut off until a declared name remains.
    /// </summary>
    public string? Locate(string net) => Resolve(net)?.Location;

    /// <summary>As <see cref="Locate"/>, with the module and the signal name found.</summary>
    public (string Module, string Signal, string? Location)? Resolve(string net)
    {
        ArgumentNullException.ThrowIfNull(net);
        var name = net.TrimStart('\\');
        if (name.Length == 0 || name[0] == '$')
            return null;
        var dollar = name.IndexOf('$', StringComparison.Ordinal);
        if (dollar >= 0)
            name = name[..dollar];
        // Instance names never hold '.', so every '.' separates a level of the hierarchy.
        var parts = name.Split('.');
        var module = _top;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var instance = StripIndex(parts[i]);
            if (_instances.TryGetValue(module, out var children) && children.TryGetValue(instance, out var child))
            {
                module = child;
                continue;
            }
            return null;
        }
        var signal = StripIndex(parts[^1]);
        if (!_declarations.TryGetValue(module, out var declared))
            return null;
        // Cut Yosys and nextpnr suffixes at '_' boundaries until a declared name remains (the longest one).
        for (var candidate = signal; candidate.Length > 0;)
        {
            if (declared.TryGetValue(candidate, out var location))
                return (module, candidate, location);
            var cut = candidate.LastIndexOf('_');
            if (cut <= 0)
                break;
            candidate = candidate[..cut];
        }
        return null;
    }

    private static string StripIndex(string name)
    {
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        return bracket >= 0 ? name[..bracket] : name;
    }

    private static void Read(string[] lines, Dictionary<string, Dictionary<string, string?>> declarations)
    {
        Dictionary<string, string?>? current = null;
        foreach (var line in lines)
        {
            var module = ModuleLine().Match(line);
            if (module.Success)
            {
                current = new Dictionary<string, string?>(StringComparer.Ordinal);
                declarations[module.Groups["name"].Value] = current;
                continue;
            }
            if (current is null)
                continue;
            var declaration = DeclarationLine().Match(line);
            if (declaration.Success)
            {
                var location = declaration.Groups["where"].Success ? declaration.Groups["where"].Value : null;
                current.TryAdd(declaration.Groups["name"].Value, location);
            }
        }
    }

    [GeneratedRegex(@"^\s*module\s+(?<name>[A-Za-z_][A-Za-z0-9_$]*)")]
    private static partial Regex ModuleLine();

    // "input  wire [7:0] Count,  // @[file:line]", "reg [31:0] mem [0:255];  // @[...]", "wire x;  // register, reset 0 @[...]"
    [GeneratedRegex(@"^\s*(?:(?:input|output|inout)\s+)?(?:wire|reg)\s+(?:signed\s+)?(?:\[[^\]]*\]\s*)?(?<name>[A-Za-z_][A-Za-z0-9_$]*)\s*(?:\[[^\]]*\]\s*)?[,;]?\s*(?://.*?(?:@\[(?<where>[^\]]+)\])?)?\s*$")]
    private static partial Regex DeclarationLine();
}
