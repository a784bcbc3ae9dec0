using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Hdl.Ir;

namespace HwGen.Sim.Verilator;

/// <summary>A top-level port as the harness sees it.</summary>
public sealed record HarnessPort(int Index, string Name, int Width, bool IsInput)
{
    /// <summary>Number of 32-bit words that carry the value.</summary>
    public int Words => (Width + 31) / 32;
}

/// <summary>
/// The ports of the top that the fast run loop reads: the retirement trace (one record per retired
/// instruction, every field up to 64 bits), the UART byte streams, and the fields that end a program
/// through <c>tohost</c>. <see cref="TraceFields"/> are the trace's ports in record-slot order; for the core they
/// come from its trace table (<c>TraceLayout.PortNames</c>), so a field added to the table is captured. When not every
/// record is wanted, only those whose <see cref="Sparse"/> field is 1 (e.g. traps) are collected.
/// </summary>
public sealed record RunLoopBinding(
    string Valid,
    IReadOnlyList<string> TraceFields,
    string MemAddr,
    string MemWmask,
    string MemWdata,
    string Sparse,
    string? UartTxValid = null,
    string? UartTxData = null,
    string? UartRxValid = null,
    string? UartRxData = null,
    string? UartRxReady = null);

/// <summary>How the generated C++ harness binds to a design's top module.</summary>
public sealed record HarnessBinding(string Top, string Clock, IReadOnlyList<HarnessPort> Ports, RunLoopBinding? Run)
{
    /// <summary>The binding for the top of an elaborated design; <paramref name="run"/> names the trace ports, if any.</summary>
    public static HarnessBinding For(IrDesign design, string topModuleName, RunLoopBinding? run = null)
    {
        var ports = design.Top.Ports
            .Select((p, i) => new HarnessPort(i, p.Name!, p.Width, p.Kind == SignalKind.Input))
            .ToList();
        var clock = design.Top.Clocks.TryGetValue(ClockDomain.Default, out var clk)
            ? clk.Name!
            : throw new ArgumentException($"{topModuleName} has no clock in the default domain; the harness drives 'clk'", nameof(design));
        if (run is not null)
        {
            var byName = ports.ToDictionary(p => p.Name, StringComparer.Ordinal);
            foreach (var name in run.TraceFields.Append(run.Valid).Append(run.MemAddr).Append(run.MemWmask).Append(run.MemWdata).Append(run.Sparse))
            {
                if (!byName.TryGetValue(name, out var port))
                    throw new ArgumentException($"{topModuleName} has no port '{name}' for the run loop", nameof(run));
                if (port.Width > 64)
                    throw new ArgumentException($"trace field '{name}' is {port.Width} bits; the run loop carries at most 64", nameof(run));
            }
        }
        return new HarnessBinding(topModuleName, clock, ports, run);
    }

    public HarnessPort Port(string name) =>
        Ports.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"{Top} has no port '{name}'", nameof(name));
}
