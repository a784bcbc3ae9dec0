using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using HwGen.Designs.Ice40;
using HwGen.Gen.Tools;
using HwGen.Hdl;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// The black boxes and the models have exactly the ports (names, directions, widths) and parameter names of the
/// primitives in Yosys' <c>cells_sim.v</c>.
/// </summary>
[TestFixture]
public sealed class PrimitiveInterfaceTests
{
    private static readonly Func<BlackBox>[] s_blackBoxes =
    [
        () => new Spram256ka(),
        () => new Pll40Core(new PllSettings(0, 79, 5, 1)),
        () => new Pll40Pad(new PllSettings(0, 79, 5, 1)),
        () => new Mac16(new Mac16Options()),
        () => new IoCell(IoOutputMode.None),
        () => new IoCell(IoOutputMode.Direct),
        () => new Lut4(LoadableCounter.BitTable),
        () => new Carry(),
    ];

    private static IEnumerable<TestCaseData> BlackBoxes() =>
        s_blackBoxes.Select((make, i) => new TestCaseData(make).SetArgDisplayNames($"{make().ModuleName}#{i}"));

    /// <summary>Port name → (direction, width) of every module of a Verilog file, as Yosys reads it.</summary>
    private static Dictionary<string, Dictionary<string, (string Direction, int Width)>> Ports(string verilogPath)
    {
        using var scratch = new ScratchDirectory("ports");
        var run = ToolRunner.Run(ExternalTools.Yosys, ["-q", "-p", $"read_verilog -lib -D BLACKBOX {verilogPath}; proc; write_json ports.json"], scratch.Path, TimeSpan.FromMinutes(2));
        Assert.That(run.Succeeded, Is.True, run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(scratch.Combine("ports.json")));
        var result = new Dictionary<string, Dictionary<string, (string, int)>>(StringComparer.Ordinal);
        foreach (var module in json.RootElement.GetProperty("modules").EnumerateObject())
            result[module.Name] = module.Value.GetProperty("ports").EnumerateObject()
                .ToDictionary(p => p.Name, p => (p.Value.GetProperty("direction").GetString()!, p.Value.GetProperty("bits").GetArrayLength()), StringComparer.Ordinal);
        scratch.Complete();
        return result;
    }

    private static readonly Lazy<Dictionary<string, Dictionary<string, (string Direction, int Width)>>> s_reference = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"hwgen-cells-sim-{Guid.NewGuid():N}.v");
        File.WriteAllText(path, YosysReference.CellsSim);
        try { return Ports(path); }
        finally { File.Delete(path); }
    });

    [TestCaseSource(nameof(BlackBoxes))]
    public void TheBlackBoxHasThePrimitivesPorts(Func<BlackBox> make)
    {
        var box = make();
        var reference = s_reference.Value[box.ModuleName];
        var declared = box.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public)
            .Where(f => f.FieldType == typeof(Signal))
            .ToDictionary(f => f.Name, f => (Signal)f.GetValue(box)!, StringComparer.Ordinal);
        Assert.That(declared.Keys, Is.EquivalentTo(reference.Keys), box.ModuleName);
        foreach (var (name, signal) in declared)
        {
            var (direction, width) = reference[name];
            Assert.That(signal.Width, Is.EqualTo(width), $"{box.ModuleName}.{name}");
            var expected = direction == "inout" ? signal.Kind : direction == "input" ? SignalKind.Input : SignalKind.Output;
            Assert.That(signal.Kind, Is.EqualTo(expected), $"{box.ModuleName}.{name}");
        }
        var parameters = Regex.Matches(YosysReference.Module(box.ModuleName), @"^\s*parameter\s+(?:\[[^\]]*\]\s*)?(\w+)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.That(parameters, Is.SupersetOf(box.VerilogParameters.Keys), box.ModuleName);
    }

    [Test]
    public void TheMac16OptionsCoverEveryParameter()
    {
        var parameters = Regex.Matches(YosysReference.Module("SB_MAC16"), @"^\s*parameter\s+(?:\[[^\]]*\]\s*)?(\w+)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);
        Assert.That(new Mac16Options().ToParameters().Keys, Is.EquivalentTo(parameters));
    }

    [Test]
    public void TheModelsHaveThePrimitivesPorts()
    {
        using var scratch = new ScratchDirectory("model-ports");
        foreach (var path in Ice40Models.WriteTo(scratch.Path))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            Assert.That(Ports(path)[name], Is.EquivalentTo(s_reference.Value[name]), name);
        }
        scratch.Complete();
    }
}
