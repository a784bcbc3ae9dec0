namespace HwGen.Hdl.Ir;

/// <summary>
/// The elaborated design: every module instance as a checked, named, width-resolved netlist of
/// signals, statements, memories and instances. Independent of any output language.
/// </summary>
public sealed class IrDesign
{
    internal IrDesign(IrModule top, IReadOnlyList<IrModule> modules, IReadOnlyList<Diagnostic> warnings)
    {
        Top = top;
        Modules = modules;
        Warnings = warnings;
    }

    public IrModule Top { get; }

    /// <summary>Every module instance's IR, children before their parents.</summary>
    public IReadOnlyList<IrModule> Modules { get; }

    public IReadOnlyList<Diagnostic> Warnings { get; }
}

/// <summary>One module instance after elaboration.</summary>
public sealed class IrModule
{
    internal IrModule(Module source)
    {
        Source = source;
    }

    /// <summary>The C# object it was elaborated from.</summary>
    public Module Source { get; }

    /// <summary>The base name for the Verilog module (before making definitions unique).</summary>
    public string Name => Source is BlackBox ? Source.ModuleName : Identifiers.Legalize(Source.ModuleName);

    public string SourceClass => Source.GetType().FullName ?? Source.GetType().Name;

    public SourceLocation Location => Source.Location;

    public bool IsBlackBox => Source is BlackBox;

    public IReadOnlyList<KeyValuePair<string, string>> Parameters => Source.Parameters;

    /// <summary>Ports in order: clocks and resets first, then as declared.</summary>
    public List<Signal> Ports { get; } = [];

    /// <summary>Wires, registers, memory-port signals and instance connection wires.</summary>
    public List<Signal> Signals { get; } = [];

    public List<Memory> Memories { get; } = [];

    public List<IrInstance> Instances { get; } = [];

    /// <summary>The statements; they reference only this module's own signals.</summary>
    public List<Stmt> Body { get; } = [];

    /// <summary>The clock port of each domain used here.</summary>
    public Dictionary<ClockDomain, Signal> Clocks { get; } = [];

    /// <summary>The reset port of each domain whose registers have reset values.</summary>
    public Dictionary<ClockDomain, Signal> Resets { get; } = [];

    /// <summary>Connection wires driven by an instance's output.</summary>
    public HashSet<Signal> InstanceDriven { get; } = [];

    /// <summary>For each output port, the input ports it depends on without a register between (for loop checks).</summary>
    public Dictionary<Signal, HashSet<Signal>> CombinationalPaths { get; } = [];

    public override string ToString() => Source.ToString();
}

/// <summary>An instance of a module inside another.</summary>
public sealed class IrInstance
{
    internal IrInstance(string name, IrModule module, SourceLocation location)
    {
        Name = name;
        Module = module;
        Location = location;
    }

    public string Name { get; }

    public IrModule Module { get; }

    public SourceLocation Location { get; }

    /// <summary>Each port of the instance and the parent's signal connected to it.</summary>
    public List<(Signal Port, Signal Value)> Connections { get; } = [];
}
