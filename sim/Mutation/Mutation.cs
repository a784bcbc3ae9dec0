using System.Globalization;
using System.Text.RegularExpressions;

namespace HwGen.Sim.Mutation;

/// <summary>
/// One mutation of the core's netlist, as Yosys's <c>mutate -list</c> describes it: the mode (<c>inv</c>,
/// <c>const0</c>, <c>const1</c>, <c>cnot0</c>, <c>cnot1</c>), the cell and the port bit it changes, and the source
/// locations of the cell (Verilog <c>file:line.col-line.col</c>, the outer module's first).
/// </summary>
/// <param name="Index">The value of the control input that selects it (from 1; 0 is the design as it is).</param>
/// <param name="Mode">How the bit changes.</param>
/// <param name="Cell">The cell in the flattened core.</param>
/// <param name="Port">The cell's port.</param>
/// <param name="PortBit">The bit of the port.</param>
/// <param name="Wire">The named wire on that bit, when there is one.</param>
/// <param name="Sources">Yosys's <c>src</c> attributes of the cell, outermost first.</param>
/// <param name="Arguments">The <c>mutate</c> options that apply it (without <c>-ctrl</c>).</param>
public sealed partial record Mutation(int Index, string Mode, string Cell, string Port, int PortBit, string? Wire, IReadOnlyList<string> Sources, string Arguments)
{
    /// <summary>The innermost Verilog source location (<c>MemoryStage.v:389.333-389.497</c>), or null without one.</summary>
    public string? VerilogSource => Sources.LastOrDefault(s => !s.Contains(":0.0-", StringComparison.Ordinal));

    /// <summary>
    /// The C# location of the mutated logic: the <c>// @[file:line]</c> comment of the innermost Verilog line that carries
    /// one, its first line; null when none does. <paramref name="verilogFiles"/> maps a file name to its lines.
    /// </summary>
    public string? SourceLocation(IReadOnlyDictionary<string, string[]> verilogFiles)
    {
        ArgumentNullException.ThrowIfNull(verilogFiles);
        foreach (var source in Sources.Reverse())
        {
            var match = VerilogLocation().Match(source);
            if (!match.Success || !verilogFiles.TryGetValue(match.Groups[1].Value, out var lines))
                continue;
            int line = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            if (line < 1 || line > lines.Length)
                continue;
            var comment = CSharpLocation().Match(lines[line - 1]);
            if (comment.Success)
                return comment.Groups[1].Value.Split(',')[0];
        }
        return null;
    }

    /// <summary>What the mutation does, in a few words: <c>const0 on Y[3] of $and$Decoder.v:129 (wire decode.x)</c>.</summary>
    public string Describe() => $"{Mode} {Port}[{PortBit}] of {Cell}" + (Wire is null ? "" : $" ({Wire})");

    /// <summary>
    /// Reads one line of <c>mutate -list</c> output (<c>mutate -mode M -module X -cell C -port P -portbit B …</c>); null for
    /// a line that is no mutation.
    /// </summary>
    public static Mutation? Parse(string line, int index)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || words[0] != "mutate")
            return null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var sources = new List<string>();
        var arguments = new List<string>();
        for (int i = 1; i + 1 < words.Length; i += 2)
        {
            var (name, value) = (words[i], words[i + 1]);
            if (name == "-ctrl")
            {
                // -ctrl NAME WIDTH VALUE: given again when the mutation is applied.
                i += 2;
                continue;
            }
            if (name == "-src")
                sources.Add(value);
            else
                options[name] = value;
            arguments.Add(name);
            arguments.Add(value);
        }
        if (!options.TryGetValue("-mode", out var mode) || !options.TryGetValue("-cell", out var cell) || !options.TryGetValue("-port", out var port)
            || !options.TryGetValue("-portbit", out var bit) || !int.TryParse(bit, NumberStyles.None, CultureInfo.InvariantCulture, out int portBit))
            return null;
        return new Mutation(index, mode, cell, port, portBit, options.GetValueOrDefault("-wire"), sources, string.Join(' ', arguments));
    }

    [GeneratedRegex(@"^([^:]+):(\d+)\.")]
    private static partial Regex VerilogLocation();

    [GeneratedRegex(@"// @\[([^\] ]+)")]
    private static partial Regex CSharpLocation();
}
