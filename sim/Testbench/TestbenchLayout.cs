using HwGen.Hdl;
using HwGen.Hdl.Ir;

namespace HwGen.Sim.Testbench;

/// <summary>A port of the top in the shared block of words: its first word and how many it takes.</summary>
internal sealed record TestbenchPort(Signal? Signal, string Name, int Width, bool IsInput, int Offset)
{
    public int Words => (Width + 31) / 32;
}

/// <summary>A memory anywhere in the hierarchy, by its index in the native tables and its member in Verilator's model.</summary>
internal sealed record TestbenchMemory(Memory Memory, int Index, string Name, string Member, int Width, int Depth)
{
    public int Words => (Width + 31) / 32;
}

/// <summary>How the C# side and the generated harness agree on the ports and memories of one design.</summary>
internal sealed record TestbenchLayout(string Top, string? Clock, IReadOnlyList<TestbenchPort> Ports, int Words, IReadOnlyList<TestbenchMemory> Memories)
{
    public static TestbenchLayout For(IrDesign design, string top)
    {
        // A module without state has no clock: it is only evaluated.
        var clk = design.Top.Clocks.GetValueOrDefault(ClockDomain.Default);
        var ports = new List<TestbenchPort>();
        int offset = 0;
        foreach (var p in design.Top.Ports)
        {
            if (ReferenceEquals(p, clk))
                continue;
            var port = new TestbenchPort(p, p.Name!, p.Width, p.Kind == SignalKind.Input, offset);
            ports.Add(port);
            offset += port.Words;
        }
        var memories = new List<TestbenchMemory>();
        void Walk(IrModule module, string prefix)
        {
            foreach (var m in module.Memories)
                memories.Add(new TestbenchMemory(m, memories.Count, m.Name!, prefix + m.Name, m.Width, m.Depth));
            foreach (var instance in module.Instances)
                Walk(instance.Module, prefix + instance.Name + "__DOT__");
        }
        Walk(design.Top, top + "__DOT__");
        return new TestbenchLayout(top, clk?.Name, ports, offset, memories);
    }
}
