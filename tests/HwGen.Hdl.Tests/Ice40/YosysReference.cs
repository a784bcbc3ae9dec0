using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HwGen.Gen.Tools;
using HwGen.Hdl.Tests.Simulation;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// Yosys' own simulation library for the iCE40 (<c>ice40/cells_sim.v</c> in Yosys' data folder), and a bounded
/// check in Yosys that one of our models behaves as its module there: both are read by Yosys, renamed
/// <c>gold</c> (Yosys') and <c>gate</c> (ours), flattened with <c>clk2fflogic</c> (so asynchronous resets and
/// both clock edges are exact, one SAT step per event, a clock cycle being two steps), joined by
/// <c>miter -equiv -ignore_gold_x</c> (where Yosys' model gives x, ours may give anything) and proved by
/// <c>sat -seq</c> from an all-zero start, for every input sequence or for the inputs given.
/// </summary>
internal static class YosysReference
{
    private static readonly Lazy<string> s_cellsSim = new(() =>
    {
        var run = ProcessRunner.Run("yosys-config", ["--datdir"], timeout: TimeSpan.FromSeconds(20));
        var dataDirectory = run.Succeeded ? run.Stdout.Trim() : "/usr/share/yosys";
        return File.ReadAllText(Path.Combine(dataDirectory, "ice40", "cells_sim.v"));
    });

    /// <summary>The text of <c>cells_sim.v</c>.</summary>
    public static string CellsSim => s_cellsSim.Value;

    /// <summary>Everything before the first module: the timescale and the macros the modules use.</summary>
    public static string Prelude => CellsSim[..CellsSim.IndexOf("\nmodule ", StringComparison.Ordinal)];

    /// <summary>The text of module <paramref name="name"/> in <c>cells_sim.v</c>, with the attributes before it.</summary>
    public static string Module(string name)
    {
        var match = Regex.Match(CellsSim, $@"^module {name}\b.*?^endmodule", RegexOptions.Singleline | RegexOptions.Multiline);
        if (!match.Success)
            throw new InvalidOperationException($"cells_sim.v has no module {name}");
        return match.Value;
    }

    /// <summary>Renames module <paramref name="from"/> in <paramref name="text"/> to <paramref name="to"/>.</summary>
    public static string Rename(string text, string from, string to) =>
        Regex.Replace(text, $@"\bmodule\s+{from}\b", "module " + to);

    /// <summary>
    /// Proves that <paramref name="model"/> (the text of our module <paramref name="primitive"/>) matches Yosys'
    /// for <paramref name="steps"/> SAT steps. <paramref name="wrapper"/>, when given, is a Verilog module named
    /// <c>TOP</c> that instantiates <c>PRIM</c> (both replaced per side), e.g. to fix parameters or narrow an
    /// address; otherwise the primitives themselves are compared, with <paramref name="parameters"/> set by
    /// <c>chparam</c>. <paramref name="adjust"/> rewrites both module texts alike (e.g. a smaller memory).
    /// <paramref name="inputs"/> fixes input values by step (<c>-set-at</c>); inputs not fixed are free.
    /// <paramref name="removeOpenLatches"/> optimises before <c>clk2fflogic</c>, which turns a latch whose enable is
    /// constant 1 into a wire (otherwise <c>clk2fflogic</c> delays it by a step).
    /// </summary>
    public static ToolRun Prove(
        string primitive, string model, string directory, int steps,
        string? wrapper = null,
        IReadOnlyDictionary<string, int>? parameters = null,
        Func<string, string>? adjust = null,
        IReadOnlyList<(int Step, string Input, ulong Value)>? inputs = null,
        bool removeOpenLatches = false)
    {
        adjust ??= text => text;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "gold.v"), Prelude + "\n" + Rename(adjust(Module(primitive)), primitive, "gold_" + primitive) + "\n");
        File.WriteAllText(Path.Combine(directory, "gate.v"), Rename(adjust(model), primitive, "gate_" + primitive));
        var files = new List<string> { "gold.v", "gate.v" };
        string gold = "gold_" + primitive, gate = "gate_" + primitive;
        if (wrapper is not null)
        {
            foreach (var side in new[] { "gold", "gate" })
            {
                var text = Regex.Replace(wrapper, @"\bTOP\b", side);
                text = Regex.Replace(text, @"\bPRIM\b", side + "_" + primitive);
                File.WriteAllText(Path.Combine(directory, $"wrap_{side}.v"), text);
                files.Add($"wrap_{side}.v");
            }
            (gold, gate) = ("gold", "gate");
        }

        var script = new StringBuilder();
        script.Append("read_verilog -sv ").AppendJoin(' ', files).Append('\n');
        if (parameters is { Count: > 0 })
        {
            script.Append("chparam");
            foreach (var (name, value) in parameters)
                script.Append(CultureInfo.InvariantCulture, $" -set {name} {value}");
            script.Append(CultureInfo.InvariantCulture, $" {gold} {gate}\n");
        }
        script.Append("hierarchy -check\n");
        // opt before clk2fflogic turns an always-open latch (cells_sim's SB_IO input path) into a wire; it must not
        // run for the SPRAM, where it would resolve the memory into the x that power-off writes (a vacuous proof).
        script.Append("proc\nflatten\nmemory -nomap\n").Append(removeOpenLatches ? "opt -fast\n" : "opt_clean\n");
        script.Append("clk2fflogic\nmemory_map\nopt -fast\n");
        script.Append(CultureInfo.InvariantCulture, $"miter -equiv -flatten -make_assert -ignore_gold_x {gold} {gate} miter\n");
        script.Append("hierarchy -top miter\nopt -fast\n");
        script.Append(CultureInfo.InvariantCulture, $"sat -verify -seq {steps} -set-init-zero -enable_undef -set-def-inputs -prove-asserts -show-inputs");
        foreach (var (step, input, value) in inputs ?? [])
            script.Append(CultureInfo.InvariantCulture, $" -set-at {step} in_{input} {value}");
        script.Append(" miter\n");
        File.WriteAllText(Path.Combine(directory, "equiv.ys"), script.ToString());
        return ToolRunner.Run(ExternalTools.Yosys, ["-q", "-l", "equiv.log", "equiv.ys"], directory, TimeSpan.FromMinutes(5));
    }
}
