using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Hdl.Ir;

namespace HwGen.Gen.Fpga;

/// <summary>One <c>set_io</c> line of a pin constraints file.</summary>
/// <param name="Name">The top-level port bit: <c>UART_TX</c>, or <c>LED[1]</c> for bit 1 of a wider port.</param>
/// <param name="Pin">The package pin (<c>35</c>, <c>B12</c>).</param>
/// <param name="Line">The line of the file, from 1.</param>
public sealed record PcfPin(string Name, string Pin, int Line)
{
    /// <summary>The port name without the bit index.</summary>
    public string Port => Index is null ? Name : Name[..Name.IndexOf('[', StringComparison.Ordinal)];

    /// <summary>The bit index in <c>NAME[i]</c>, or null for a plain name.</summary>
    public int? Index
    {
        get
        {
            var open = Name.IndexOf('[', StringComparison.Ordinal);
            return open < 0 ? null : int.Parse(Name[(open + 1)..^1], CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>
/// The pin constraints file does not agree with itself or with the top module: each entry of
/// <see cref="Errors"/> is one line that names the file and line, or the module and port.
/// </summary>
public sealed class PcfException(IReadOnlyList<string> errors)
    : Exception(errors.Count == 1 ? errors[0] : $"{errors.Count} pin constraint errors; the first: {errors[0]}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// A pin constraints file (<c>.pcf</c>) as nextpnr-ice40 reads it: <c>set_io [-nowarn] [-pullup yes|no]
/// [-pullup_resistor R] NAME PIN</c> lines, <c>#</c> comments and blank lines.
/// </summary>
public sealed partial class PcfFile
{
    private PcfFile(string path, IReadOnlyList<PcfPin> pins)
    {
        Path = path;
        Pins = pins;
    }

    /// <summary>How the file is named in messages (<c>constraints/icebreaker.pcf</c>).</summary>
    public string Path { get; }

    /// <summary>The pins in the order of the file.</summary>
    public IReadOnlyList<PcfPin> Pins { get; }

    /// <summary>Reads <paramref name="text"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="PcfException">A line is not a valid constraint, or a port bit is placed twice.</exception>
    public static PcfFile Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pins = new List<PcfPin>();
        var errors = new List<string>();
        var seen = new Dictionary<string, PcfPin>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int number = i + 1;
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
                line = line[..hash];
            var words = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
                continue;
            if (words[0] != "set_io")
            {
                errors.Add($"{path}({number}): unknown command '{words[0]}'; a pcf line is 'set_io [-nowarn] [-pullup yes] NAME PIN'");
                continue;
            }
            var operands = new List<string>();
            string? problem = null;
            for (int w = 1; w < words.Length && problem is null; w++)
            {
                switch (words[w])
                {
                    case "-nowarn":
                        break;
                    case "-pullup" or "-pullup_resistor":
                        if (w + 1 >= words.Length)
                            problem = $"{words[w]} needs a value";
                        w++;
                        break;
                    case var option when option.StartsWith('-'):
                        problem = $"unknown option '{option}'";
                        break;
                    default:
                        operands.Add(words[w]);
                        break;
                }
            }
            if (problem is null && operands.Count != 2)
                problem = $"set_io takes a port name and a pin, found {operands.Count} operand(s)";
            if (problem is null && !PortBit().IsMatch(operands[0]))
                problem = $"'{operands[0]}' is not a port name or NAME[bit]";
            if (problem is not null)
            {
                errors.Add($"{path}({number}): {problem}");
                continue;
            }
            var pin = new PcfPin(operands[0], operands[1], number);
            if (seen.TryGetValue(pin.Name, out var first))
            {
                errors.Add($"{path}({number}): {pin.Name} is placed a second time (first at line {first.Line})");
                continue;
            }
            seen[pin.Name] = pin;
            pins.Add(pin);
        }
        if (errors.Count > 0)
            throw new PcfException(errors);
        return new PcfFile(path, pins);
    }

    /// <summary>
    /// <paramref name="text"/> with the <c>set_io</c> lines of every port not in <paramref name="ports"/> turned into
    /// comments (<c># not a port of TOP: set_io LED[0] 11</c>): the pins of a design that uses only some of a
    /// board's pins. Lines keep their numbers, so messages point into the board's own file.
    /// </summary>
    public static string KeepPorts(string text, string module, IReadOnlyCollection<string> ports)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ports);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var code = lines[i].Split('#', 2)[0];
            var words = code.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0] != "set_io")
                continue;
            var name = words.Skip(1).Where((w, k) => !w.StartsWith('-') && !(k > 0 && words[k].StartsWith("-pullup", StringComparison.Ordinal))).FirstOrDefault();
            if (name is null)
                continue;
            var port = name.Split('[', 2)[0];
            if (!ports.Contains(port))
                lines[i] = $"# not a port of {module}: {lines[i].TrimEnd('\r')}";
        }
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Compares the pins with the ports of <paramref name="top"/> after elaboration (the clock and reset ports
    /// the elaborator added included): a port of width 1 needs the pin <c>NAME</c>, a port of width N the pins
    /// <c>NAME[0]</c> to <c>NAME[N-1]</c>. Returns one line per disagreement, none when they agree.
    /// </summary>
    public IReadOnlyList<string> Check(IrModule top)
    {
        ArgumentNullException.ThrowIfNull(top);
        return Check(top.Name, top.Ports.Select(p => (p.Name ?? "", p.Width)).ToArray());
    }

    /// <summary>As <see cref="Check(IrModule)"/>, for a module <paramref name="module"/> with <paramref name="ports"/> (name, width).</summary>
    public IReadOnlyList<string> Check(string module, IReadOnlyList<(string Name, int Width)> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var bits = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, width) in ports)
        {
            if (width == 1)
                bits.Add(name);
            else
                for (int b = 0; b < width; b++)
                    bits.Add($"{name}[{b}]");
        }
        var placed = Pins.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var portList = string.Join(", ", ports.Select(p => p.Width == 1 ? p.Name : $"{p.Name}[{p.Width - 1}:0]"));
        var errors = new List<string>();
        foreach (var pin in Pins.Where(p => !bits.Contains(p.Name)))
            errors.Add($"{Path}({pin.Line}): pin {pin.Name} names no port of {module} (its ports: {portList})");
        foreach (var (name, width) in ports)
        {
            var missing = width == 1
                ? (placed.Contains(name) ? [] : new[] { name })
                : Enumerable.Range(0, width).Select(b => $"{name}[{b}]").Where(b => !placed.Contains(b)).ToArray();
            if (missing.Length == 0)
                continue;
            errors.Add(missing.Length == 1
                ? $"{module} port {missing[0]} has no pin in {Path}"
                : $"{module} port {name} has no pin in {Path} for bit(s) {string.Join(", ", missing)}");
        }
        return errors;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_$]*(\[[0-9]+\])?$")]
    private static partial Regex PortBit();
}
