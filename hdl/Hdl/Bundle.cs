using System.Reflection;

namespace HwGen.Hdl;

/// <summary>
/// A record of signals, declared as fields with <see cref="Hw.UInt"/>, <see cref="Hw.SInt"/>, <see cref="Hw.Bool"/>
/// (or nested bundles and vectors). A bundle becomes ports, wires or registers with <c>In(b)</c>, <c>Out(b)</c>,
/// <c>Wire(b)</c> or <c>Reg(b)</c>; its members are named <c>bundle_member</c> in the Verilog.
/// </summary>
/// <example>
/// <code>
/// public sealed class ExecuteToMemory : Bundle
/// {
///     public readonly Signal Valid = Bool(reset: 0);
///     public readonly Signal Pc = UInt(32);
///     public readonly Signal Result = UInt(32);
/// }
/// </code>
/// </example>
public abstract class Bundle
{
    /// <summary>The members, in declaration order, with their field names.</summary>
    public IEnumerable<(string Name, object Value)> Members => EnumerateMembers(this);

    /// <summary>All leaf signals, in declaration order.</summary>
    public IEnumerable<Signal> Signals
    {
        get
        {
            foreach (var (_, value) in Members)
            {
                switch (value)
                {
                    case Signal s:
                        yield return s;
                        break;
                    case Bundle b:
                        foreach (var s in b.Signals)
                            yield return s;
                        break;
                    case System.Collections.IEnumerable items:
                        foreach (var item in items)
                        {
                            if (item is Signal si)
                                yield return si;
                            else if (item is Bundle bi)
                                foreach (var s in bi.Signals)
                                    yield return s;
                        }
                        break;
                }
            }
        }
    }

    /// <summary>Assigns every member from the same member of <paramref name="source"/> (same bundle type).</summary>
    public void Set(Bundle source, [System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
    {
        var location = new SourceLocation(file, line);
        if (source.GetType() != GetType())
            throw new HdlException($"cannot assign a {source.GetType().Name} to a {GetType().Name}", location);
        using var to = Signals.GetEnumerator();
        using var from = source.Signals.GetEnumerator();
        while (to.MoveNext() && from.MoveNext())
            Builder.Assign(to.Current, from.Current, location);
    }

    /// <summary>All members concatenated, the first declared member in the most significant bits.</summary>
    public Expr Flatten([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerLineNumber] int line = 0) =>
        Hw.Cat([.. Signals], file, line);

    internal void Bind(SignalKind kind, ClockDomain? domain, bool resetToZero, SourceLocation location)
    {
        foreach (var s in Signals)
        {
            if (s.Kind != SignalKind.Unbound)
                throw new HdlException($"bundle {GetType().Name} is already used (its member '{s.Name}' is a {s.Kind.ToString().ToLowerInvariant()}); create a new bundle object for each use", location);
            s.Kind = kind;
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
            Builder.Adopt(s);
        }
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
