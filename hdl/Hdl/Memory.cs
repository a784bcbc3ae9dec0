using System.Runtime.CompilerServices;

namespace HwGen.Hdl;

/// <summary>
/// An array of words with read and write ports. Synchronous read ports (the data appears one clock
/// after the address) are written so that Yosys maps the memory to iCE40 block RAM (<c>SB_RAM40_4K</c>).
/// </summary>
public sealed class Memory
{
    internal Memory(Shape shape, int depth, IReadOnlyList<ulong>? init, ClockDomain domain, SourceLocation location)
    {
        if (depth < 2)
            throw new HdlException($"a memory needs at least 2 words, not {depth}", location);
        if (init is not null && init.Count > depth)
            throw new HdlException($"the initial contents have {init.Count} words but the memory has {depth}", location);
        Shape = shape;
        Depth = depth;
        Init = init;
        Domain = domain;
        Location = location;
        AddressWidth = Shape.BitsFor((ulong)depth);
    }

    public Shape Shape { get; }

    public int Width => Shape.Width;

    public int Depth { get; }

    public int AddressWidth { get; }

    public IReadOnlyList<ulong>? Init { get; }

    /// <summary>
    /// What a synchronous read of the word that a write port writes in the same cycle returns (see
    /// <see cref="Hdl.ReadDuringWrite"/>). <see cref="ReadDuringWrite.OldData"/> by default.
    /// </summary>
    public ReadDuringWrite ReadDuringWrite { get; set; } = ReadDuringWrite.OldData;

    public ClockDomain Domain { get; }

    public SourceLocation Location { get; }

    public string? Name { get; internal set; }

    public Module? Owner { get; internal set; }

    public List<MemoryReadPort> ReadPorts { get; } = [];

    public List<MemoryWritePort> WritePorts { get; } = [];

    /// <summary>
    /// Adds a read port. Synchronous (default): <c>Data</c> holds the word at <c>Address</c> from the clock edge
    /// where <c>Enable</c> was 1. Asynchronous: <c>Data</c> follows <c>Address</c> within the cycle (not block RAM).
    /// </summary>
    public MemoryReadPort ReadPort(bool synchronous = true, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var port = new MemoryReadPort(this, synchronous, ReadPorts.Count, new SourceLocation(file, line));
        ReadPorts.Add(port);
        AdoptPort(port.Signals);
        return port;
    }

    /// <summary>
    /// Adds a write port. With <paramref name="granularity"/> (e.g. 8 for bytes), <c>Mask</c> has one bit per
    /// lane and only the lanes whose bit is 1 are written.
    /// </summary>
    public MemoryWritePort WritePort(int? granularity = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (granularity is { } g && (g <= 0 || Width % g != 0))
            throw new HdlException($"write granularity {g} does not divide the word width {Width}", location);
        var port = new MemoryWritePort(this, granularity, WritePorts.Count, location);
        WritePorts.Add(port);
        AdoptPort(port.Signals);
        return port;
    }

    private void AdoptPort(IEnumerable<Signal> signals)
    {
        foreach (var s in signals)
        {
            if (Owner is not null)
                Owner.Adopt(s);
            else
                Builder.Adopt(s);
        }
    }

    public override string ToString() => $"memory '{Name}' ({Depth} x {Width})";
}

public sealed class MemoryReadPort
{
    internal MemoryReadPort(Memory memory, bool synchronous, int index, SourceLocation location)
    {
        Memory = memory;
        Synchronous = synchronous;
        Index = index;
        Location = location;
        Address = new Signal(SignalKind.Wire, Shape.U(memory.AddressWidth), location) { Default = 0, Port = this };
        Enable = new Signal(SignalKind.Wire, Shape.Bool, location) { Default = 1, Port = this };
        Data = new Signal(SignalKind.MemoryData, memory.Shape, location) { Port = this };
    }

    public Memory Memory { get; }

    public bool Synchronous { get; }

    public int Index { get; }

    public SourceLocation Location { get; }

    public string? Name { get; internal set; }

    /// <summary>The word address (default 0).</summary>
    public Signal Address { get; }

    /// <summary>Read enable of a synchronous port (default 1); <c>Data</c> holds its value while it is 0.</summary>
    public Signal Enable { get; }

    /// <summary>The word read.</summary>
    public Signal Data { get; }

    internal IEnumerable<Signal> Signals => Synchronous ? [Address, Enable, Data] : [Address, Data];
}

public sealed class MemoryWritePort
{
    internal MemoryWritePort(Memory memory, int? granularity, int index, SourceLocation location)
    {
        Memory = memory;
        Granularity = granularity;
        Index = index;
        Location = location;
        Address = new Signal(SignalKind.Wire, Shape.U(memory.AddressWidth), location) { Default = 0, Port = this };
        Data = new Signal(SignalKind.Wire, memory.Shape, location) { Default = 0, Port = this };
        Enable = new Signal(SignalKind.Wire, Shape.Bool, location) { Default = 0, Port = this };
        if (granularity is { } g)
            Mask = new Signal(SignalKind.Wire, Shape.U(memory.Width / g), location) { Default = 0, Port = this };
    }

    public Memory Memory { get; }

    public int? Granularity { get; }

    public int Index { get; }

    public SourceLocation Location { get; }

    public string? Name { get; internal set; }

    /// <summary>The word address (default 0).</summary>
    public Signal Address { get; }

    /// <summary>The word to write (default 0).</summary>
    public Signal Data { get; }

    /// <summary>Write enable (default 0).</summary>
    public Signal Enable { get; }

    /// <summary>One bit per lane when the port has a granularity; otherwise null.</summary>
    public Signal? Mask { get; }

    internal IEnumerable<Signal> Signals => Mask is null ? [Address, Data, Enable] : [Address, Data, Enable, Mask];
}

/// <summary>What a synchronous read of a word written in the same cycle returns.</summary>
public enum ReadDuringWrite
{
    /// <summary>
    /// The word as it was before the write, as simulation gives it. iCE40 block RAM does not promise it, so Yosys
    /// adds a register and a multiplexer beside the RAM to guarantee it.
    /// </summary>
    OldData,

    /// <summary>
    /// Undefined: the design never uses that value (it forwards the written word itself), so no logic is added. The
    /// memory is emitted with Yosys's <c>no_rw_check</c> attribute; simulation still gives the old word.
    /// </summary>
    Undefined,
}
