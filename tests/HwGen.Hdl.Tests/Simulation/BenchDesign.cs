using HwGen.Designs.Common;
using HwGen.Designs.Examples;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>
/// An example design as its test bench simulates it: the catalog name, a fresh module with
/// parameters small enough for a quick simulation, and the bench parameters that match them.
/// </summary>
/// <param name="Name">The design's name in <c>DesignCatalog</c>; the bench prints <c>PASS Name</c>.</param>
/// <param name="Create">Makes a fresh module to emit.</param>
/// <param name="BenchParameters">The bench's Verilog parameters for a module made by <paramref name="Create"/>.</param>
public sealed record BenchDesign(string Name, Func<Module> Create, Func<Module, IReadOnlyDictionary<string, int>> BenchParameters)
{
    /// <summary>Every example design with a bench.</summary>
    public static IReadOnlyList<BenchDesign> All { get; } =
    [
        For("counter", () => new Counter(width: 4), c => new() { ["WIDTH"] = c.Width }),
        For("fifo", () => new Fifo(width: 8, depth: 4), f => new() { ["WIDTH"] = f.Width, ["DEPTH"] = f.Depth }),
        For("uart-tx", () => new UartTx(clocksPerBit: 4), u => new() { ["CLOCKS_PER_BIT"] = u.ClocksPerBit }),
        For("alu", () => new Alu(width: 32), _ => new()),
        For("regfile", () => new Designs.Common.RegisterFile(width: 32, count: 32), r => new() { ["WIDTH"] = r.Width, ["COUNT"] = r.Count }),
    ];

    public override string ToString() => Name;

    private static BenchDesign For<T>(string name, Func<T> create, Func<T, Dictionary<string, int>> parameters)
        where T : Module =>
        new(name, create, module => parameters((T)module));
}
