using System.Reflection;
using System.Runtime.CompilerServices;

namespace HwGen.Hdl;

/// <summary>
/// A record of signals, declared as fields with <see cref="Hw.UInt"/>, <see cref="Hw.SInt"/>, <see cref="Hw.Bool"/>
/// (or nested bundles and vectors). A bundle becomes ports, wires or registers with <c>In(b)</c>, <c>Out(b)</c>,
/// <c>Wire(b)</c> or <c>Reg(b)</c>; its members are named <c>bundle_member</c> in the Verilog.
/// </summary>
/// <remarks>
/// <para>An interface whose members go both ways (a bus: a request out, a response back) is declared once, with
/// the members that flow against the bundle marked <see cref="Hw.Flipped(Signal, string, int)"/> (a nested bundle
/// can be flipped as a whole). The sending end declares the port <c>Out(new Bus())</c>: members become outputs,
/// flipped members inputs. The receiving end declares it <c>In(new Bus())</c>, and every direction is reversed.
/// This is Chisel's <c>Flipped</c> and Amaranth's <c>In</c>/<c>Out</c> signature members.</para>
/// <para><see cref="Connect"/> joins two bundles of the same type, each member in the direction its ports give
/// (a parent's port to a child's, or two children's ports): one call for a whole bus.
/// <see cref="Set"/> assigns a bundle from another: members flow from the source, flipped members back to it.</para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class ExecuteToMemory : Bundle
/// {
///     public readonly Signal Valid = Bool(reset: 0);
///     public readonly Signal Pc = UInt(32);
///     public readonly Signal Result = UInt(32);
/// }
///
/// public sealed class DataBus : Bundle
/// {
///     public readonly Signal Request = Bool();
///     public readonly Signal Address = UInt(32);
///     public readonly Signal ReadData = Flipped(UInt(32));   // comes back from the memory
/// }
///
/// // in the master:  public readonly DataBus Bus = Out(new DataBus());
/// // in the memory:  public readonly DataBus Bus = In(new DataBus());
/// // in their parent's Build:  ram.Bus.Connect(master.Bus);
/// </code>
/// </example>
public abstract class Bundle
{
    /// <summary>The members, in declaration order, with their field names.</summary>
    public IEnumerable<(string Name, object Value)> Members => DeclaredMembers();

    /// <summary>
    /// The members of this bundle: by default its fields that hold hardware, in declaration order, named after the
    /// fields. A bundle whose members come from data (a table of fields) overrides this and returns the same signal
    /// objects, in the same order, on every call.
    /// </summary>
    protected virtual IEnumerable<(string Name, object Value)> DeclaredMembers() => EnumerateMembers(this);

    /// <summary>True when the bundle, as a member of another or as a port, flows against its parent (see <see cref="Hw.Flipped{T}(T, string, int)"/>).</summary>
    public bool IsFlipped { get; internal set; }

    /// <summary>How the bundle was made hardware (<c>In</c>, <c>Out</c>, <c>Wire</c>, <c>Reg</c>); null before.</summary>
    internal SignalKind? BoundAs { get; private set; }

    /// <summary>Where it was made hardware.</summary>
    internal SourceLocation BoundAt { get; private set; }

    /// <summary>All leaf signals, in declaration order.</summary>
    public IEnumerable<Signal> Signals => Leaves().Select(l => l.Signal);

    /// <summary>
    /// Every leaf signal in declaration order, with its path (<c>Request</c>, <c>Inner_Data</c>) and whether it flows
    /// against this bundle (an odd number of flips between here and the leaf; this bundle's own flip not counted).
    /// </summary>
    internal IEnumerable<(Signal Signal, string Path, bool Flipped)> Leaves()
    {
        foreach (var (name, value) in Members)
        {
            switch (value)
            {
                case Signal s:
                    yield return (s, name, s.IsFlipped);
                    break;
                case Bundle b:
                    foreach (var (s, path, flipped) in b.Leaves())
                        yield return (s, $"{name}_{path}", flipped ^ b.IsFlipped);
                    break;
                case System.Collections.IEnumerable items:
                    int i = 0;
                    foreach (var item in items)
                    {
                        if (item is Signal si)
                        {
                            yield return (si, $"{name}_{i}", si.IsFlipped);
                        }
                        else if (item is Bundle bi)
                        {
                            foreach (var (s, path, flipped) in bi.Leaves())
                                yield return (s, $"{name}_{i}_{path}", flipped ^ bi.IsFlipped);
                        }
                        i++;
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// Assigns this bundle from <paramref name="source"/> (same bundle type): every member takes the same member of
    /// the source, and every flipped member flows back, the source's taking this one's. For a bus,
    /// <c>receiver.Set(sender)</c>. <see cref="Connect"/> finds the directions from the ports instead.
    /// </summary>
    public void Set(Bundle source, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        foreach (var (to, from, _, flipped) in Pairs(source, "assign", location))
        {
            if (flipped)
                Builder.Assign(from, to, location);
            else
                Builder.Assign(to, from, location);
        }
    }

    /// <summary>
    /// Connects this bundle and <paramref name="other"/> (same bundle type) member by member, each in the direction
    /// the ports give: what an input port of this module or an output of a submodule carries drives the other side;
    /// an output of this module or an input of a submodule is driven. A wire or register of this module takes the
    /// direction of the port on the other side. One call connects a whole bus both ways, whichever side is written
    /// first: <c>ram.Bus.Connect(Bus)</c> or <c>Bus.Connect(ram.Bus)</c>.
    /// </summary>
    /// <exception cref="HdlException">Both sides of a member drive it or both are driven (a port declared with the
    /// wrong direction), both are wires or registers (no port gives a direction; use <see cref="Set"/>), or a side is
    /// not visible from the module being built.</exception>
    public void Connect(Bundle other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        var ctx = Builder.Require("Connect", location);
        // Submodules made in this Build own their ports from now on, so that their directions can be read.
        ctx.ClaimCreatedModules();
        foreach (var (mine, theirs, path, _) in Pairs(other, "connect", location))
        {
            var a = Role(ctx, mine, location);
            var b = Role(ctx, theirs, location);
            switch (a, b)
            {
                case (End.Receives, End.Drives) or (End.Receives, End.Free) or (End.Free, End.Drives):
                    Builder.Assign(mine, theirs, location);
                    break;
                case (End.Drives, End.Receives) or (End.Free, End.Receives) or (End.Drives, End.Free):
                    Builder.Assign(theirs, mine, location);
                    break;
                case (End.Free, End.Free):
                    throw new HdlException(
                        $"Connect cannot tell which way member {path} of {GetType().Name} flows: {Describe(ctx, mine)} and {Describe(ctx, theirs)} are both wires or registers of {ctx.Module.ModuleName}, and only a port gives a direction; write receiver.Set(sender) (members flow from the sender, flipped members back)", location);
                default:
                    var both = a == End.Drives ? "both drive it and nothing receives it" : "both receive it and nothing drives it";
                    throw new HdlException(
                        $"Connect joins member {path} of {GetType().Name} the wrong way round: {Describe(ctx, mine)}{Note(mine)} and {Describe(ctx, theirs)}{Note(theirs)} {both}; the port at one end of a bus is Out(...) and at the other In(...) (or Flipped(...))", location);
            }
        }
    }

    private enum End
    {
        /// <summary>Carries a value into the connection: an input of this module, an output of a submodule.</summary>
        Drives,

        /// <summary>Takes its value from the connection: an output of this module, an input of a submodule.</summary>
        Receives,

        /// <summary>A wire or register of this module: either.</summary>
        Free,
    }

    private static End Role(Builder.BuildContext ctx, Signal s, SourceLocation location)
    {
        var module = ctx.Module;
        var owner = s.Owner;
        if (owner is null || ReferenceEquals(owner, module))
        {
            return s.Kind switch
            {
                SignalKind.Input or SignalKind.MemoryData => End.Drives,
                SignalKind.Output => End.Receives,
                _ => End.Free,
            };
        }
        if (ReferenceEquals(owner.Parent, module) && s.IsPort)
            return s.Kind == SignalKind.Output ? End.Drives : End.Receives;
        var why = owner.Parent is null
            ? $"{owner.ModuleName} is not instantiated (hold it in a field, or add it with Instance(...) before connecting)"
            : $"it is not a port of {module.ModuleName} or of one of its instances";
        throw new HdlException($"Connect cannot reach '{s.DisplayName}' of {owner}: {why}", location);
    }

    private static string Describe(Builder.BuildContext ctx, Signal s)
    {
        var kind = s.Kind.ToString().ToLowerInvariant();
        return s.Owner is { } owner && !ReferenceEquals(owner, ctx.Module)
            ? $"{kind} '{s.Name}' of instance '{owner.InstanceName}'"
            : $"{kind} '{s.Name ?? "<unnamed>"}' of {ctx.Module.ModuleName}";
    }

    private static string Note(Signal s) => s.DirectionNote is { } note ? $" ({note})" : "";

    /// <summary>The members of this bundle and of <paramref name="other"/>, side by side, with the path and flip of each.</summary>
    private List<(Signal Mine, Signal Theirs, string Path, bool Flipped)> Pairs(Bundle other, string verb, SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.GetType() != GetType())
            throw new HdlException($"cannot {verb} a {GetType().Name} and a {other.GetType().Name}: the bundles must be of one type", location);
        var mine = Leaves().ToList();
        var theirs = other.Leaves().ToList();
        if (mine.Count != theirs.Count)
            throw new HdlException($"cannot {verb} two {GetType().Name} bundles with different members ({mine.Count} and {theirs.Count})", location);
        var result = new List<(Signal, Signal, string, bool)>(mine.Count);
        for (int i = 0; i < mine.Count; i++)
        {
            if (mine[i].Flipped != theirs[i].Flipped)
                throw new HdlException($"cannot {verb} two {GetType().Name} bundles whose member {mine[i].Path} is flipped in one and not in the other", location);
            result.Add((mine[i].Signal, theirs[i].Signal, mine[i].Path, mine[i].Flipped));
        }
        return result;
    }

    /// <summary>All members concatenated, the first declared member in the most significant bits.</summary>
    public Expr Flatten([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Hw.Cat([.. Signals], file, line);

    internal void Bind(SignalKind kind, ClockDomain? domain, bool resetToZero, SourceLocation location)
    {
        foreach (var (s, path, flipped) in Leaves())
        {
            if (s.Kind != SignalKind.Unbound)
                throw new HdlException($"bundle {GetType().Name} is already used (its member '{s.Name ?? path}' is a {s.Kind.ToString().ToLowerInvariant()}); create a new bundle object for each use", location);
            // A port's members flow with the port; flipped ones (counting the bundle's own flip) against it.
            s.Kind = (kind, flipped ^ IsFlipped) switch
            {
                (SignalKind.Input, true) => SignalKind.Output,
                (SignalKind.Output, true) => SignalKind.Input,
                _ => kind,
            };
            if (kind == SignalKind.Register)
            {
                s.Domain = domain ?? ClockDomain.Default;
                if (s.Reset is null && resetToZero)
                    s.Reset = 0;
            }
            else
            {
                s.Reset = null;
            }
            s.Member = (this, path, flipped);
            Builder.Adopt(s);
        }
        BoundAs = kind;
        BoundAt = location;
    }

    internal static IEnumerable<(string Name, object Value)> EnumerateMembers(object owner)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var fields = new List<FieldInfo>();
        for (var t = owner.GetType(); t is not null && t != typeof(object) && t != typeof(Bundle) && t != typeof(Module); t = t.BaseType)
            fields.InsertRange(0, t.GetFields(flags | BindingFlags.DeclaredOnly).OrderBy(f => f.MetadataToken));
        foreach (var field in fields)
        {
            var value = field.GetValue(owner);
            if (value is null)
                continue;
            if (value is Signal or Bundle or Memory or Module or MemoryReadPort or MemoryWritePort || IsHardwareCollection(value))
                yield return (FieldName(field), value);
        }
    }

    private static bool IsHardwareCollection(object value) =>
        value is System.Collections.IEnumerable and not string &&
        value.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>) &&
            (typeof(Signal).IsAssignableFrom(i.GetGenericArguments()[0]) || typeof(Bundle).IsAssignableFrom(i.GetGenericArguments()[0]) ||
             typeof(Module).IsAssignableFrom(i.GetGenericArguments()[0]) || typeof(Memory).IsAssignableFrom(i.GetGenericArguments()[0])));

    /// <summary>The C# name of a field; <c>&lt;Name&gt;k__BackingField</c> becomes <c>Name</c>.</summary>
    internal static string FieldName(FieldInfo field)
    {
        var name = field.Name;
        if (name.StartsWith('<') && name.IndexOf('>') is > 1 and var end)
            return name[1..end];
        return name.TrimStart('_');
    }
}

/// <summary>A fixed-size vector of hardware items (signals, bundles or modules), named <c>name_0</c>, <c>name_1</c>, ….</summary>
public sealed class Vec<T> : IReadOnlyList<T>
{
    private readonly T[] _items;

    internal Vec(T[] items) => _items = items;

    public string? Name { get; internal set; }

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();
}

/// <summary>Dynamic indexing of a vector of signals.</summary>
public static class VecExtensions
{
    /// <summary>The element selected by <paramref name="index"/>: read it as a value, or <c>Set</c> it.</summary>
    public static VecSlot At(this Vec<Signal> vec, Expr index) => new(vec, index);
}

/// <summary>An element of a <see cref="Vec{T}"/> chosen at run time.</summary>
public readonly struct VecSlot
{
    private readonly Vec<Signal> _vec;
    private readonly Expr _index;

    internal VecSlot(Vec<Signal> vec, Expr index)
    {
        if (index.Signed)
            throw new HdlException($"the index {Expr.Describe(index)} of vector '{vec.Name}' must be unsigned");
        if (vec.Count == 0)
            throw new HdlException("cannot index an empty vector");
        var shape = vec[0].Shape;
        if (vec.Any(s => s.Shape != shape))
            throw new HdlException($"dynamic indexing needs elements of one shape; vector '{vec.Name}' mixes shapes");
        _vec = vec;
        _index = index;
    }

    /// <summary>The selected element's value (an out-of-range index reads the last element).</summary>
    public Expr Value => new ArrayReadExpr(_vec.Name ?? "vec", [.. _vec], _index);

    public static implicit operator Expr(VecSlot slot) => slot.Value;

    /// <summary>Assigns the selected element (no element changes for an out-of-range index).</summary>
    public void Set(Expr value, [System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
    {
        var sw = Hw.Switch(_index, file, line);
        int limit = (int)Math.Min((ulong)_vec.Count, _index.Width >= 31 ? int.MaxValue : 1UL << _index.Width);
        for (int i = 0; i < limit; i++)
        {
            var target = _vec[i];
            sw.Case(i, () => target.Set(value, file, line), file, line);
        }
    }
}
