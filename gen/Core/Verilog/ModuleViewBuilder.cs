using System.Diagnostics;
using HwGen.Hdl;
using HwGen.Hdl.Ir;

namespace HwGen.Gen.Verilog;

/// <summary>
/// Lays one <see cref="IrModule"/> out as Verilog constructs: continuous assignments, one
/// combinational block per conditionally driven signal, one clocked block per (clock, reset, enable)
/// group of registers, memory ports and instances. Expressions are sized exactly (every operand has its
/// operator's width), so Verilog's context-dependent widths never change a result.
/// </summary>
internal sealed class ModuleViewBuilder
{
    private readonly IrModule _ir;
    private readonly Func<IrModule, string> _moduleName;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<Expr, string> _temps = [];
    private readonly List<DeclarationView> _tempDeclarations = [];
    private readonly List<AssignView> _tempAssigns = [];
    private readonly List<CombBlockView> _tempBlocks = [];
    private readonly Dictionary<string, bool[]> _readBits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _widths = new(StringComparer.Ordinal);
    private string _hint = "t";

    /// <summary>The statement being laid out: where a helper wire made for one of its values comes from.</summary>
    private SourceLocation _context;

    public ModuleViewBuilder(IrModule ir, Func<IrModule, string> moduleName)
    {
        _ir = ir;
        _moduleName = moduleName;
        foreach (var s in ir.Ports.Concat(ir.Signals))
        {
            _names.Add(s.Name!);
            _widths[s.Name!] = s.Width;
        }
        foreach (var m in ir.Memories)
            _names.Add(m.Name!);
        foreach (var i in ir.Instances)
            _names.Add(i.Name);
        _names.Add("unused");
    }

    public ModuleView Build(string name, string generator)
    {
        var assigns = new List<AssignView>();
        var combBlocks = new List<CombBlockView>();
        var seqBlocks = new List<SeqBlockView>();
        var procedural = new HashSet<Signal>();

        var byTarget = new Dictionary<Signal, List<(AssignStmt Stmt, bool TopLevel)>>();
        CollectAssignments(_ir.Body, true, byTarget);

        // Combinational signals.
        foreach (var s in _ir.Ports.Concat(_ir.Signals))
        {
            if (s.Kind is not (SignalKind.Wire or SignalKind.Output) || _ir.InstanceDriven.Contains(s))
                continue;
            byTarget.TryGetValue(s, out var list);
            list ??= [];
            if (list.Count == 0)
            {
                if (s.Default is { } d)
                    assigns.Add(new AssignView(s.Name!, Constant(d, s.Width), Where(s.Location)));
                continue;
            }
            if (list.Count == 1 && list[0].TopLevel)
            {
                _hint = s.Name!;
                _context = list[0].Stmt.Location;
                assigns.Add(new AssignView(s.Name!, View(Sized(list[0].Stmt.Value, s)), Where(list[0].Stmt.Location, list[0].Stmt.Value)));
                continue;
            }
            _hint = s.Name!;
            var body = new List<StmtView>();
            if (s.Default is { } def)
                body.Add(new StmtView { Kind = "assign", Target = s.Name, Value = Constant(def, s.Width), Location = Where(s.Location) });
            body.AddRange(Filter(_ir.Body, [s], nonblocking: false));
            combBlocks.Add(new CombBlockView(s.Name!, body));
            procedural.Add(s);
        }

        // Registers, grouped by clock, reset and enable.
        var registers = _ir.Ports.Concat(_ir.Signals).Where(s => s.Kind == SignalKind.Register).ToList();
        foreach (var group in registers.GroupBy(r => (r.Domain!, HasReset: r.Reset is not null, r.Enable)))
        {
            var members = group.ToHashSet();
            procedural.UnionWith(members);
            var (domain, hasReset, enable) = group.Key;
            _hint = members.First().Name!;
            var resetBody = hasReset
                ? members.Select(r => new StmtView { Kind = "assign", Target = r.Name, Value = Constant(r.Reset!.Value, r.Width), Nonblocking = true, Location = Where(r.Location) }).ToList()
                : [];
            var body = Filter(_ir.Body, members, nonblocking: true);
            if (body.Count == 0 && !hasReset)
                continue;
            var clock = _ir.Clocks[domain].Name!;
            MarkRead(clock, null);
            string? reset = hasReset ? _ir.Resets[domain].Name : null;
            if (reset is not null)
                MarkRead(reset, null);
            seqBlocks.Add(new SeqBlockView(clock, reset, enable is null ? null : View(enable), resetBody, body));
        }

        // Memories.
        var memories = new List<MemoryView>();
        foreach (var mem in _ir.Memories)
        {
            var clock = _ir.Clocks[mem.Domain].Name!;
            MarkRead(clock, null);
            var writes = mem.WritePorts.Select(wp =>
            {
                MarkRead(wp.Enable.Name!, null);
                MarkRead(wp.Address.Name!, null);
                MarkRead(wp.Data.Name!, null);
                if (wp.Mask is not null)
                    MarkRead(wp.Mask.Name!, null);
                var lanes = wp.Granularity is { } g
                    ? Enumerable.Range(0, mem.Width / g).Select(i => new LaneView(i, (i * g) + g - 1, i * g)).ToList()
                    : [];
                return new MemoryWriteView(clock, wp.Enable.Name!, wp.Address.Name!, wp.Data.Name!, wp.Mask?.Name, lanes, Where(wp.Location));
            }).ToList();
            var reads = mem.ReadPorts.Select(rp =>
            {
                MarkRead(rp.Address.Name!, null);
                if (rp.Synchronous)
                {
                    MarkRead(rp.Enable.Name!, null);
                    procedural.Add(rp.Data);
                }
                return new MemoryReadView(rp.Synchronous, clock, rp.Enable.Name!, rp.Address.Name!, rp.Data.Name!, Where(rp.Location));
            }).ToList();
            var init = mem.Init?.Select((v, i) => new MemoryInitView(i, Constant(v, mem.Width))).ToList() ?? [];
            memories.Add(new MemoryView(mem.Name!, mem.Width, mem.Depth, Where(mem.Location), init, writes, reads,
                NoReadWriteCheck: mem.ReadDuringWrite == ReadDuringWrite.Undefined));
        }

        // Instances.
        var instances = new List<InstanceView>();
        foreach (var inst in _ir.Instances)
        {
            var connections = new List<ConnectionView>();
            foreach (var (port, value) in inst.Connections)
            {
                if (port.Kind == SignalKind.Input)
                    MarkRead(value.Name!, null);
                connections.Add(new ConnectionView(port.Name!, value.Name!));
            }
            var parameters = inst.Module.Source is BlackBox bb
                ? bb.VerilogParameters.Select(p => new ParameterView(p.Key, FormatParameter(p.Value), p.Value is string)).ToList()
                : [];
            instances.Add(new InstanceView(_moduleName(inst.Module), inst.Name, parameters, connections, Where(inst.Location)));
        }

        var ports = _ir.Ports.Select(p => new PortView(
            p.Kind == SignalKind.Input ? "input" : "output",
            procedural.Contains(p), p.Width, p.Name!, Where(p.Location))).ToList();
        var declarations = _ir.Signals.Select(s => new DeclarationView(procedural.Contains(s), s.Width, s.Name!, Where(s.Location), Note(s),
                s.Init is { } init ? Constant(init, s.Width) : null))
            .Concat(_tempDeclarations).ToList();

        return new ModuleView
        {
            Name = name,
            Generator = generator,
            SourceClass = _ir.SourceClass,
            SourceLocation = _ir.Location.ToString(),
            KeepHierarchy = _ir.Source.KeepHierarchy,
            Parameters = _ir.Parameters.Select(p => new KeyValueView(p.Key, p.Value)).ToList(),
            Ports = ports,
            Declarations = declarations,
            Memories = memories,
            Assigns = [.. assigns, .. _tempAssigns],
            CombBlocks = [.. combBlocks, .. _tempBlocks],
            SeqBlocks = seqBlocks,
            Instances = instances,
            Unused = UnusedBits(),
        };
    }

    private string? Note(Signal s) => s.Kind switch
    {
        SignalKind.Register => "register" + (s.Reset is { } r ? $", reset {r}" : "") + (s.Init is { } i ? $", power-on {i}" : ""),
        SignalKind.MemoryData => "memory read data",
        _ => _ir.InstanceDriven.Contains(s) ? "instance output" : null,
    };

    private static string? Where(SourceLocation location) => location.IsKnown ? location.ToString() : null;

    /// <summary>
    /// The location of a statement followed by the other lines that built its values with <c>Mux</c> or <c>Cat</c>:
    /// <c>hdl/X.cs:20,12</c> when line 12 of the same file made a Mux that line 20 assigns; other files follow
    /// after a space.
    /// </summary>
    private static string? Where(SourceLocation at, params IEnumerable<Expr> values)
    {
        var built = new List<SourceLocation>();
        var stack = new Stack<Expr>(values.Reverse());
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is MuxExpr or ConcatExpr && e.Location.IsKnown && e.Location != at && !built.Contains(e.Location))
                built.Add(e.Location);
            for (int i = e.Operands.Count - 1; i >= 0; i--)
                stack.Push(e.Operands[i]);
        }
        if (built.Count == 0)
            return Where(at);
        var groups = (at.IsKnown ? [at] : Enumerable.Empty<SourceLocation>())
            .Concat(built.OrderBy(l => l.File, StringComparer.Ordinal).ThenBy(l => l.Line))
            .GroupBy(l => l.File)
            .Select(g => $"{g.Key}:{string.Join(',', g.Select(l => l.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)))}");
        return string.Join(' ', groups);
    }

    private static string FormatParameter(object value) => value switch
    {
        string s => s,
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void CollectAssignments(IEnumerable<Stmt> body, bool top, Dictionary<Signal, List<(AssignStmt, bool)>> into)
    {
        foreach (var stmt in body)
        {
            switch (stmt)
            {
                case AssignStmt a:
                    if (!into.TryGetValue(a.Target, out var list))
                        into[a.Target] = list = [];
                    list.Add((a, top));
                    break;
                case WhenStmt w:
                    foreach (var arm in w.Arms)
                        CollectAssignments(arm.Body, false, into);
                    if (w.Otherwise is not null)
                        CollectAssignments(w.Otherwise, false, into);
                    break;
                case SwitchStmt sw:
                    foreach (var c in sw.Cases)
                        CollectAssignments(c.Body, false, into);
                    if (sw.Default is not null)
                        CollectAssignments(sw.Default, false, into);
                    break;
            }
        }
    }

    /// <summary>The statements of <paramref name="body"/> that assign <paramref name="targets"/>, with the conditions around them.</summary>
    private List<StmtView> Filter(IEnumerable<Stmt> body, HashSet<Signal> targets, bool nonblocking)
    {
        var result = new List<StmtView>();
        foreach (var stmt in body)
        {
            switch (stmt)
            {
                case AssignStmt a when targets.Contains(a.Target):
                    _context = a.Location;
                    result.Add(new StmtView
                    {
                        Kind = "assign",
                        Target = a.Target.Name,
                        Value = View(Sized(a.Value, a.Target)),
                        Nonblocking = nonblocking,
                        Location = Where(a.Location, a.Value),
                    });
                    break;
                case WhenStmt w:
                {
                    var arms = w.Arms.Select(arm => (arm.Condition, Body: Filter(arm.Body, targets, nonblocking))).ToList();
                    var otherwise = w.Otherwise is null ? null : Filter(w.Otherwise, targets, nonblocking);
                    if (otherwise is { Count: 0 })
                        otherwise = null;
                    // Trailing arms with nothing to do can go when nothing follows them.
                    if (otherwise is null)
                        while (arms.Count > 0 && arms[^1].Body.Count == 0)
                            arms.RemoveAt(arms.Count - 1);
                    if (arms.Count == 0)
                    {
                        if (otherwise is not null)
                            throw new UnreachableException();
                        break;
                    }
                    _context = w.Location;
                    result.Add(new StmtView
                    {
                        Kind = "if",
                        Arms = arms.Select(a => new ArmView { Condition = View(a.Condition), Body = a.Body }).ToList(),
                        Else = otherwise,
                        Location = Where(w.Location, arms.Select(a => a.Condition)),
                    });
                    break;
                }
                case SwitchStmt sw:
                {
                    var @default = sw.Default is null ? null : Filter(sw.Default, targets, nonblocking);
                    var cases = sw.Cases.Select(c => (c.Values, Body: Filter(c.Body, targets, nonblocking))).ToList();
                    if (@default is null or { Count: 0 })
                        cases.RemoveAll(c => c.Body.Count == 0);
                    if (cases.Count == 0 && @default is null or { Count: 0 })
                        break;
                    var width = sw.Selector.Width;
                    _context = sw.Location;
                    result.Add(new StmtView
                    {
                        Kind = "case",
                        Selector = View(sw.Selector),
                        Arms = cases.Select(c => new ArmView { Labels = c.Values.Select(v => Constant(v, width)).ToList(), Body = c.Body }).ToList(),
                        Else = @default ?? [],
                        Location = Where(sw.Location, sw.Selector),
                    });
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>Extends an assigned value to its target's width (the checks have ruled out narrowing).</summary>
    private static Expr Sized(Expr value, Signal target) =>
        value.Width == target.Width ? value : value.Signed ? value.SignExtend(target.Width) : value.ZeroExtend(target.Width);

    private static ExprView Constant(ulong value, int width) => new() { Kind = "const", Width = width, Value = value };

    // ---- expressions ---------------------------------------------------------------------------------

    private ExprView View(Expr e)
    {
        switch (e)
        {
            case Signal s:
                MarkRead(s.Name!, null);
                return new ExprView { Kind = "ref", Name = s.Name, Width = s.Width };
            case Const c:
                return Constant(c.Value, c.Width);
            case CastExpr x:
                return View(x.Value);
            case SliceExpr sl:
                return Bits(sl.Value, sl.Hi, sl.Lo);
            case ExtendExpr { Value: Const c } x:
                return Constant(c.Signed ? (ulong)c.SignedValue : c.Value, x.Width);
            case ExtendExpr { Value: CastExpr { Value: Const c } } x:
                return Constant(x.Signed ? (ulong)new Const(c.Value, Shape.S(c.Width)).SignedValue : c.Value, x.Width);
            case ExtendExpr x:
            {
                int pad = x.Width - x.Value.Width;
                if (!x.Value.Signed)
                    return new ExprView { Kind = "zext", Width = x.Width, Count = pad, Args = [View(x.Value)] };
                var msb = Bits(x.Value, x.Value.Width - 1, x.Value.Width - 1);
                return new ExprView { Kind = "sext", Width = x.Width, Count = pad, Args = [msb, View(x.Value)] };
            }
            case UnaryExpr u:
                return new ExprView
                {
                    Kind = "unary",
                    Width = u.Width,
                    Op = u.Op switch
                    {
                        UnaryOp.Not => "not",
                        UnaryOp.Negate => "neg",
                        UnaryOp.ReduceOr => "or",
                        UnaryOp.ReduceAnd => "and",
                        UnaryOp.ReduceXor => "xor",
                        _ => throw new UnreachableException(),
                    },
                    Args = [View(u.Operand)],
                };
            case BinaryExpr b:
                return new ExprView
                {
                    Kind = "binary",
                    Width = b.Width,
                    Op = b.Op.ToString().ToLowerInvariant(),
                    Signed = b.Left.Signed && b.Op is BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge or BinaryOp.Sra,
                    Args = [View(b.Left), View(b.Right)],
                };
            case ConcatExpr c:
                return new ExprView { Kind = "concat", Width = c.Width, Args = c.Parts.Select(View).ToList() };
            case ReplicateExpr r:
                return new ExprView { Kind = "repeat", Width = r.Width, Count = r.Count, Args = [View(r.Value)] };
            case MuxExpr m:
                return new ExprView { Kind = "mux", Width = m.Width, Args = [View(m.Condition), View(m.WhenTrue), View(m.WhenFalse)] };
            case ArrayReadExpr a:
                return Ref(ArrayTemp(a), a.Width);
            default:
                throw new InvalidOperationException($"cannot emit {e.GetType().Name}");
        }
    }

    /// <summary>Bits hi..lo of a value; a value that Verilog cannot index is first given a name.</summary>
    private ExprView Bits(Expr value, int hi, int lo)
    {
        while (true)
        {
            switch (value)
            {
                case CastExpr c:
                    value = c.Value;
                    continue;
                case SliceExpr s:
                    hi += s.Lo;
                    lo += s.Lo;
                    value = s.Value;
                    continue;
                case ExtendExpr x when hi < x.Value.Width:
                    value = x.Value;
                    continue;
            }
            break;
        }
        string name;
        int width;
        if (value is Signal sig)
        {
            name = sig.Name!;
            width = sig.Width;
        }
        else
        {
            name = Temp(value);
            width = value.Width;
        }
        MarkRead(name, (hi, lo));
        if (hi == width - 1 && lo == 0)
            return new ExprView { Kind = "ref", Name = name, Width = width };
        return new ExprView { Kind = "slice", Name = name, Hi = hi, Lo = lo, Width = hi - lo + 1 };
    }

    private ExprView Ref(string name, int width)
    {
        MarkRead(name, null);
        return new ExprView { Kind = "ref", Name = name, Width = width };
    }

    private string NewName(string hint)
    {
        for (int i = 0; ; i++)
        {
            var name = Identifiers.Legalize($"{hint}_t{i}");
            if (_names.Add(name))
                return name;
        }
    }

    /// <summary>A wire holding <paramref name="value"/>, so that its bits can be selected.</summary>
    private string Temp(Expr value)
    {
        if (_temps.TryGetValue(value, out var existing))
            return existing;
        var name = NewName(_hint);
        _temps[value] = name;
        _widths[name] = value.Width;
        var where = Where(value.Location.IsKnown ? value.Location : _context);
        _tempDeclarations.Add(new DeclarationView(false, value.Width, name, where, Expr.Describe(value)));
        _tempAssigns.Add(new AssignView(name, View(value), where));
        return name;
    }

    /// <summary>A combinational case block that selects one element of a vector.</summary>
    private string ArrayTemp(ArrayReadExpr a)
    {
        if (_temps.TryGetValue(a, out var existing))
            return existing;
        var name = NewName(a.ArrayName + "_at");
        _temps[a] = name;
        _widths[name] = a.Width;
        _tempDeclarations.Add(new DeclarationView(true, a.Width, name, null, Expr.Describe(a)));
        int width = a.Index.Width;
        int count = (int)Math.Min((ulong)a.Items.Count, width >= 31 ? int.MaxValue : 1UL << width);
        var arms = new List<ArmView>();
        for (int i = 0; i < count - 1; i++)
        {
            arms.Add(new ArmView
            {
                Labels = [Constant((ulong)i, width)],
                Body = [new StmtView { Kind = "assign", Target = name, Value = View(a.Items[i]) }],
            });
        }
        var last = new StmtView { Kind = "assign", Target = name, Value = View(a.Items[count - 1]) };
        var body = new StmtView { Kind = "case", Selector = View(a.Index), Arms = arms, Else = [last] };
        _tempBlocks.Add(new CombBlockView(name, [body]));
        return name;
    }

    private void MarkRead(string name, (int Hi, int Lo)? range)
    {
        if (!_widths.TryGetValue(name, out var width))
            return;
        if (!_readBits.TryGetValue(name, out var bits))
            _readBits[name] = bits = new bool[width];
        var (hi, lo) = range ?? (width - 1, 0);
        for (int i = lo; i <= hi; i++)
            bits[i] = true;
    }

    /// <summary>Every bit range that nothing reads (outputs excepted), for the lint sink.</summary>
    private List<ExprView> UnusedBits()
    {
        var result = new List<ExprView>();
        var outputs = _ir.Ports.Where(p => p.Kind == SignalKind.Output).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);
        var candidates = _ir.Ports.Concat(_ir.Signals).Select(s => (s.Name!, s.Width))
            .Concat(_temps.Values.Select(name => (name, _widths[name])));
        foreach (var (name, width) in candidates)
        {
            if (outputs.Contains(name))
                continue;
            _readBits.TryGetValue(name, out var bits);
            bits ??= new bool[width];
            // Ranges of unread bits, most significant first.
            for (int hi = width - 1; hi >= 0;)
            {
                if (bits[hi])
                {
                    hi--;
                    continue;
                }
                int lo = hi;
                while (lo > 0 && !bits[lo - 1])
                    lo--;
                result.Add(lo == 0 && hi == width - 1
                    ? new ExprView { Kind = "ref", Name = name, Width = width }
                    : new ExprView { Kind = "slice", Name = name, Hi = hi, Lo = lo, Width = hi - lo + 1 });
                hi = lo - 1;
            }
        }
        return result;
    }
}
