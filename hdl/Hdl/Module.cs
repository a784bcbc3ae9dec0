using System.Reflection;
using System.Runtime.CompilerServices;

namespace HwGen.Hdl;

/// <summary>Marks a field or property of a module as a generator parameter: it is listed in the manifest
/// and in the header of the generated Verilog.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute : Attribute;

/// <summary>
/// A hardware module. Declare ports, registers, memories and submodules as fields (their C# names
/// become the Verilog names), and describe behaviour in <see cref="Build"/>.
/// </summary>
/// <example>
/// <code>
/// public sealed class Counter : Module
/// {
///     public readonly Signal Enable = In(1);
///     public readonly Signal Count = Out(8);
///     private readonly Signal value = Reg(8, reset: 0);
///
///     protected override void Build()
///     {
///         When(Enable, () => value.Set(value + 1));
///         Count.Set(value);
///     }
/// }
/// </code>
/// </example>
public abstract class Module
{
    internal readonly List<Signal> OwnedSignals = [];
    internal readonly List<Memory> OwnedMemories = [];
    internal readonly List<Module> Children = [];
    internal readonly List<Stmt> Body = [];
    internal readonly Dictionary<ClockDomain, (Signal Clock, Signal? Reset, SourceLocation Location)> LocalDomains = [];

    protected Module()
    {
        Location = LocateConstructor();
        Builder.Current?.CreatedModules.Add(this);
    }

    /// <summary>The derived class's constructor: the first frame outside this library.</summary>
    private static SourceLocation LocateConstructor()
    {
        var hdl = typeof(Module).Assembly;
        foreach (var frame in new System.Diagnostics.StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            if (frame.GetMethod()?.DeclaringType?.Assembly == hdl)
                continue;
            if (frame.GetFileName() is { Length: > 0 } file)
                return new SourceLocation(file, frame.GetFileLineNumber());
            break;
        }
        return SourceLocation.Unknown;
    }

    /// <summary>Where the module's class is written (its constructor).</summary>
    public SourceLocation Location { get; }

    /// <summary>The instance name inside the parent (the field name, or the name given to <see cref="Hw.Instance{T}"/>).</summary>
    public string? InstanceName { get; internal set; }

    /// <summary>The module this one is instantiated in; null for the top.</summary>
    public Module? Parent { get; internal set; }

    /// <summary>The base of the Verilog module name (the class name unless overridden).</summary>
    public virtual string ModuleName => GetType().Name;

    /// <summary>
    /// Synthesis keeps this module's boundary when it flattens the design (the module is emitted with Yosys's
    /// <c>keep_hierarchy</c>): nothing is optimised across it, and its logic is mapped to LUTs on its own, so each
    /// output takes no more LUT levels than the module's deepest output needs. A module of a few shallow cones on a
    /// critical path stays shallow, where a flattened design would let the mapper trade their depth for area.
    /// </summary>
    public virtual bool KeepHierarchy => false;

    /// <summary>Where this instance was instantiated with <see cref="Hw.Instance{T}"/> (unknown for fields).</summary>
    public SourceLocation InstanceLocation { get; internal set; }

    internal bool Claimed { get; set; }

    internal bool IsBuilt { get; set; }

    /// <summary>Describes the module's behaviour with statements (<c>Set</c>, <c>When</c>, <c>Switch</c>) and instances.</summary>
    protected abstract void Build();

    internal void RunBuild() => Build();

    /// <summary>
    /// Makes this module the source of <paramref name="domain"/>: its registers and memories in that domain, and
    /// every submodule's, are clocked by <paramref name="clock"/> and reset by <paramref name="reset"/>, and the
    /// domain's clock and reset do not become ports of this module. Call it in <see cref="Build"/>. This is how a
    /// board's top module clocks the design from a PLL or a divider of its oscillator pin. The clock and reset
    /// appear in the Verilog as wires with the domain's port names (<c>clk</c>, <c>rst</c> for the default domain).
    /// </summary>
    /// <param name="domain">The domain driven here.</param>
    /// <param name="clock">The clock: a pin, a PLL output or a register (a divided clock), 1 bit.</param>
    /// <param name="reset">The synchronous, active-high reset, 1 bit; needed when a register of the domain has a reset value.</param>
    protected void DriveDomain(ClockDomain domain, Expr clock, Expr? reset = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(clock);
        var location = new SourceLocation(file, line);
        if (LocalDomains.ContainsKey(domain))
            throw new HdlException($"clock domain '{domain}' is driven twice in {ModuleName}", location);
        var clockWire = Hw.Wire(1, file: file, line: line).Named(domain.ClockName);
        clockWire.Set(clock, file, line);
        Signal? resetWire = null;
        if (reset is not null)
        {
            resetWire = Hw.Wire(1, file: file, line: line).Named(domain.ResetName);
            resetWire.Set(reset, file, line);
        }
        LocalDomains[domain] = (clockWire, resetWire, location);
    }

    /// <summary>The generator parameters: every field or property marked <see cref="ParameterAttribute"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters
    {
        get
        {
            var result = new List<KeyValuePair<string, string>>();
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            foreach (var member in GetType().GetMembers(flags).OrderBy(m => m.MetadataToken))
            {
                if (member.GetCustomAttribute<ParameterAttribute>() is null)
                    continue;
                object? value = member switch
                {
                    FieldInfo f => f.GetValue(this),
                    PropertyInfo p => p.GetValue(this),
                    _ => null,
                };
                result.Add(new(member.Name, FormatParameter(value)));
            }
            return result;
        }
    }

    private static string FormatParameter(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        uint u => $"0x{u:X8}",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal void Adopt(Signal signal)
    {
        if (signal.Owner is not null)
            return;
        signal.Owner = this;
        OwnedSignals.Add(signal);
    }

    internal void Adopt(Memory memory)
    {
        if (memory.Owner is not null)
            return;
        memory.Owner = this;
        OwnedMemories.Add(memory);
        foreach (var port in memory.ReadPorts)
            foreach (var s in port.Signals)
                Adopt(s);
        foreach (var port in memory.WritePorts)
            foreach (var s in port.Signals)
                Adopt(s);
    }

    internal void AddChild(Module child, string? name, SourceLocation location)
    {
        if (child.Parent is not null && !ReferenceEquals(child.Parent, this))
            throw new HdlException($"module {child.ModuleName} '{child.InstanceName}' is already instantiated in {child.Parent.ModuleName}", location);
        if (ReferenceEquals(child.Parent, this))
            return;
        if (ReferenceEquals(child, this))
            throw new HdlException($"module {ModuleName} cannot instantiate itself", location);
        child.Parent = this;
        child.InstanceName ??= name;
        child.InstanceLocation = location;
        Children.Add(child);
    }

    public override string ToString() => InstanceName is null ? ModuleName : $"{ModuleName} '{InstanceName}'";
}

/// <summary>
/// A module whose body is written elsewhere: a vendor primitive (<c>SB_SPRAM256KA</c>, <c>SB_PLL40_CORE</c>)
/// or hand-written Verilog. Declare its ports as fields with the primitive's exact names; HwGen emits an
/// instance with <see cref="VerilogParameters"/> and no module definition.
/// </summary>
public abstract class BlackBox : Module
{

    /// <summary>Verilog parameters of the instance, emitted as <c>#(.NAME(value))</c>; values are numbers or strings.</summary>
    public SortedDictionary<string, object> VerilogParameters { get; } = new(StringComparer.Ordinal);

    protected sealed override void Build()
    {
    }
}
