using System.Diagnostics;
using HwGen.Hdl.Ir;

namespace HwGen.Hdl;

/// <summary>The checks that run on the IR. Each reports into the bag; none stops the others.</summary>
internal static class Checks
{
    public static void Run(IReadOnlyList<IrModule> modules, DiagnosticBag diagnostics)
    {
        foreach (var ir in modules)
        {
            if (ir.IsBlackBox)
                continue;
            var assigns = CollectAssignments(ir);
            CheckWidths(ir, diagnostics);
            CheckDrivers(ir, assigns, diagnostics);
            CheckUndrivenAndLatches(ir, assigns, diagnostics);
            CheckLoops(ir, diagnostics);
            CheckUnused(ir, diagnostics);
        }
    }

    /// <summary>Every assignment of each target, with whether it sits at the top level (unconditional).</summary>
    private static Dictionary<Signal, List<(AssignStmt Stmt, bool TopLevel)>> CollectAssignments(IrModule ir)
    {
        var result = new Dictionary<Signal, List<(AssignStmt, bool)>>();
        void Visit(IEnumerable<Stmt> body, bool top)
        {
            foreach (var stmt in body)
            {
                switch (stmt)
                {
                    case AssignStmt a:
                        if (!result.TryGetValue(a.Target, out var list))
                            result[a.Target] = list = [];
                        list.Add((a, top));
                        break;
                    case WhenStmt w:
                        // An arm behind a condition that is constant 0 never runs (nor does anything after a
                        // constant 1): what it assigns does not count as driven.
                        bool reachable = true;
                        foreach (var arm in w.Arms)
                        {
                            if (reachable && !IsConstant(arm.Condition, 0))
                                Visit(arm.Body, false);
                            if (IsConstant(arm.Condition, 1))
                                reachable = false;
                        }
                        if (w.Otherwise is not null && reachable)
                            Visit(w.Otherwise, false);
                        break;
                    case SwitchStmt sw:
                        foreach (var c in sw.Cases)
                            Visit(c.Body, false);
                        if (sw.Default is not null)
                            Visit(sw.Default, false);
                        break;
                }
            }
        }
        Visit(ir.Body, true);
        return result;
    }

    private static bool IsConstant(Expr e, ulong value) => e is Const c && c.Value == value;

    private static void CheckWidths(IrModule ir, DiagnosticBag diagnostics)
    {
        foreach (var a in Statements(ir.Body).OfType<AssignStmt>())
        {
            if (a.Value.Width > a.Target.Width)
            {
                diagnostics.Error(DiagnosticCodes.WidthMismatch, a.Location,
                    $"width mismatch: {a.Target.Width}-bit '{a.Target.Name}' assigned from {a.Value.Width}-bit {Describe(a.Value)}; narrow it explicitly with .Resize({a.Target.Width}) or a slice");
            }
        }
    }

    private static string Describe(Expr e) => e is Signal s ? $"'{s.Name}'" : $"value {Expr.Describe(e)}";

    private static void CheckDrivers(IrModule ir, Dictionary<Signal, List<(AssignStmt Stmt, bool TopLevel)>> assigns, DiagnosticBag diagnostics)
    {
        var connectionOf = ConnectionPorts(ir);
        foreach (var (target, list) in assigns)
        {
            var first = list[0].Stmt;
            if (ir.InstanceDriven.Contains(target))
            {
                var (inst, port) = connectionOf[target];
                diagnostics.Error(DiagnosticCodes.MultipleDrivers, first.Location,
                    $"'{port.Name}' is an output of instance '{inst.Name}' ({inst.Module.Source.ModuleName}), which drives it; it is also driven at {first.Location.Short}{Why(port)}");
                continue;
            }
            switch (target.Kind)
            {
                case SignalKind.Input when !connectionOf.ContainsKey(target):
                    diagnostics.Error(DiagnosticCodes.MultipleDrivers, first.Location,
                        $"input '{target.Name}' of {ir.Source.ModuleName} is driven from outside; it cannot also be driven inside at {first.Location.Short}{Why(target)}");
                    continue;
                case SignalKind.MemoryData:
                    diagnostics.Error(DiagnosticCodes.MultipleDrivers, first.Location,
                        $"'{target.Name}' is the data of a memory read port, driven by the memory; it cannot also be driven at {first.Location.Short}");
                    continue;
            }
            var unconditional = list.Where(x => x.TopLevel).Select(x => x.Stmt).ToList();
            if (unconditional.Count > 1)
            {
                diagnostics.Error(DiagnosticCodes.MultipleDrivers, unconditional[1].Location,
                    $"'{target.Name}' is driven unconditionally at {unconditional[0].Location.Short} and {unconditional[1].Location.Short}; the first assignment would never take effect");
            }
        }
    }

    /// <summary>Why a bundle port's member has its direction, for the messages about driving it from the wrong side.</summary>
    private static string Why(Signal port) => port.DirectionNote is { } note ? $" ({note})" : "";

    private static Dictionary<Signal, (IrInstance Instance, Signal Port)> ConnectionPorts(IrModule ir)
    {
        var result = new Dictionary<Signal, (IrInstance, Signal)>();
        foreach (var inst in ir.Instances)
            foreach (var (port, value) in inst.Connections)
                if (!ir.Clocks.ContainsValue(value) && !ir.Resets.ContainsValue(value))
                    result[value] = (inst, port);
        return result;
    }

    private static void CheckUndrivenAndLatches(IrModule ir, Dictionary<Signal, List<(AssignStmt Stmt, bool TopLevel)>> assigns, DiagnosticBag diagnostics)
    {
        var connectionOf = ConnectionPorts(ir);
        var definitely = DefinitelyAssigned(ir.Body);
        foreach (var s in ir.Ports.Concat(ir.Signals))
        {
            bool assigned = assigns.TryGetValue(s, out var list);
            switch (s.Kind)
            {
                case SignalKind.Input:
                case SignalKind.MemoryData:
                    continue;
                case SignalKind.Register:
                    if (!assigned)
                    {
                        if (s.Reset is null)
                            diagnostics.Error(DiagnosticCodes.Undriven, s.Location, $"register '{s.Name}' is never assigned and has no reset value");
                        else
                            diagnostics.Warning(DiagnosticCodes.ConstantRegister, s.Location, $"register '{s.Name}' is never assigned; it always holds its reset value {s.Reset}");
                    }
                    continue;
            }
            if (ir.InstanceDriven.Contains(s))
                continue;
            if (!assigned)
            {
                if (s.Default is not null)
                    continue;
                if (connectionOf.TryGetValue(s, out var c))
                {
                    diagnostics.Error(DiagnosticCodes.UnconnectedInput, c.Instance.Location.IsKnown ? c.Instance.Location : c.Port.Location,
                        $"input '{c.Port.Name}' of instance '{c.Instance.Name}' ({c.Instance.Module.Source.ModuleName}) is not connected");
                }
                else
                {
                    string what = s.Kind == SignalKind.Output ? "output" : "wire";
                    diagnostics.Error(DiagnosticCodes.Undriven, s.Location, $"{what} '{s.Name}' of {ir.Source.ModuleName} is never driven");
                }
                continue;
            }
            if (s.Default is null && !definitely.Contains(s))
            {
                var where = list![0].Stmt.Location;
                diagnostics.Error(DiagnosticCodes.Latch, where,
                    $"latch: '{s.Name}' is not assigned on every path (first assigned at {where.Short}); assign it before the conditions, add an Otherwise/Default, or declare it with a default value");
            }
        }
    }

    /// <summary>The targets assigned on every path through <paramref name="body"/>.</summary>
    internal static HashSet<Signal> DefinitelyAssigned(IEnumerable<Stmt> body)
    {
        var result = new HashSet<Signal>();
        foreach (var stmt in body)
        {
            switch (stmt)
            {
                case AssignStmt a:
                    result.Add(a.Target);
                    break;
                case WhenStmt w when w.Otherwise is not null:
                {
                    var common = DefinitelyAssigned(w.Otherwise);
                    foreach (var arm in w.Arms)
                        common.IntersectWith(DefinitelyAssigned(arm.Body));
                    result.UnionWith(common);
                    break;
                }
                case SwitchStmt sw when sw.Default is not null || CoversAll(sw):
                {
                    var common = sw.Default is not null ? DefinitelyAssigned(sw.Default) : null;
                    foreach (var c in sw.Cases)
                    {
                        var assigned = DefinitelyAssigned(c.Body);
                        if (common is null)
                            common = assigned;
                        else
                            common.IntersectWith(assigned);
                    }
                    if (common is not null)
                        result.UnionWith(common);
                    break;
                }
            }
        }
        return result;
    }

    internal static bool CoversAll(SwitchStmt sw) =>
        sw.Selector.Width < 20 && (ulong)sw.Cases.Sum(c => c.Values.Count) == 1UL << sw.Selector.Width;

    // ---- combinational loops -----------------------------------------------------------------------

    private static void CheckLoops(IrModule ir, DiagnosticBag diagnostics)
    {
        var deps = CombinationalDependencies(ir);
        var comb = deps.Keys.ToHashSet();

        // Tarjan's strongly connected components over the combinational signals.
        int index = 0;
        var indices = new Dictionary<Signal, int>();
        var low = new Dictionary<Signal, int>();
        var onStack = new HashSet<Signal>();
        var stack = new Stack<Signal>();
        var components = new List<List<Signal>>();

        void Connect(Signal v)
        {
            // Iterative DFS to survive deep netlists.
            var work = new Stack<(Signal Node, IEnumerator<Signal> Next)>();
            indices[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            work.Push((v, deps[v].Where(comb.Contains).GetEnumerator()));
            while (work.Count > 0)
            {
                var (node, next) = work.Peek();
                if (next.MoveNext())
                {
                    var w = next.Current;
                    if (!indices.ContainsKey(w))
                    {
                        indices[w] = low[w] = index++;
                        stack.Push(w);
                        onStack.Add(w);
                        work.Push((w, deps[w].Where(comb.Contains).GetEnumerator()));
                    }
                    else if (onStack.Contains(w))
                    {
                        low[node] = Math.Min(low[node], indices[w]);
                    }
                    continue;
                }
                work.Pop();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
                if (low[node] == indices[node])
                {
                    var component = new List<Signal>();
                    Signal w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        component.Add(w);
                    }
                    while (!ReferenceEquals(w, node));
                    if (component.Count > 1 || deps[node].Contains(node))
                        components.Add(component);
                }
            }
        }

        foreach (var s in deps.Keys)
            if (!indices.ContainsKey(s))
                Connect(s);

        var assignSites = Statements(ir.Body).OfType<AssignStmt>()
            .GroupBy(a => a.Target)
            .ToDictionary(g => g.Key, g => g.First().Location);
        foreach (var component in components)
        {
            var cycle = FindCycle(component, deps);
            var hops = cycle.Select(s => assignSites.TryGetValue(s, out var loc) ? $"'{s.Name}' ({loc.Short})" : $"'{s.Name}'");
            var first = cycle[0];
            var where = assignSites.TryGetValue(first, out var l) ? l : first.Location;
            diagnostics.Error(DiagnosticCodes.CombinationalLoop, where,
                $"combinational loop in {ir.Source.ModuleName}: {string.Join(" -> ", hops)} -> '{first.Name}'; break it with a register");
        }

        // Summarise, for the parent's loop check, which inputs each output depends on combinationally.
        var inputs = ir.Ports.Where(p => p.Kind == SignalKind.Input).ToHashSet();
        foreach (var output in ir.Ports.Where(p => p.Kind == SignalKind.Output))
        {
            var reached = new HashSet<Signal>();
            var visited = new HashSet<Signal>();
            var work = new Stack<Signal>([output]);
            while (work.Count > 0)
            {
                var s = work.Pop();
                if (!visited.Add(s))
                    continue;
                if (inputs.Contains(s))
                    reached.Add(s);
                if (deps.TryGetValue(s, out var d))
                    foreach (var x in d)
                        work.Push(x);
            }
            ir.CombinationalPaths[output] = reached;
        }
    }

    /// <summary>A cycle through the component, in dependency order (each signal feeds the next).</summary>
    private static List<Signal> FindCycle(List<Signal> component, Dictionary<Signal, HashSet<Signal>> deps)
    {
        var members = component.ToHashSet();
        var start = component.OrderBy(s => s.Name, StringComparer.Ordinal).First();
        // Breadth-first search from start back to start, following "is read by" edges inside the component.
        var readers = members.ToDictionary(s => s, s => members.Where(t => deps[t].Contains(s)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList());
        var previous = new Dictionary<Signal, Signal>();
        var queue = new Queue<Signal>([start]);
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            foreach (var t in readers[s])
            {
                if (ReferenceEquals(t, start))
                {
                    var path = new List<Signal> { s };
                    while (!ReferenceEquals(path[^1], start))
                        path.Add(previous[path[^1]]);
                    path.Reverse();
                    return path;
                }
                if (previous.TryAdd(t, s))
                    queue.Enqueue(t);
            }
        }
        return component;
    }

    /// <summary>For each combinational signal, the signals its value depends on within the same cycle.</summary>
    internal static Dictionary<Signal, HashSet<Signal>> CombinationalDependencies(IrModule ir)
    {
        var deps = new Dictionary<Signal, HashSet<Signal>>();
        HashSet<Signal> Of(Signal s)
        {
            if (!deps.TryGetValue(s, out var set))
                deps[s] = set = new HashSet<Signal>();
            return set;
        }

        void Visit(IEnumerable<Stmt> body, List<Expr> conditions)
        {
            foreach (var stmt in body)
            {
                switch (stmt)
                {
                    case AssignStmt a when a.Target.Kind is not SignalKind.Register:
                    {
                        var set = Of(a.Target);
                        AddReads(set, a.Value);
                        foreach (var c in conditions)
                            AddReads(set, c);
                        break;
                    }
                    case WhenStmt w:
                    {
                        var conds = new List<Expr>(conditions);
                        foreach (var arm in w.Arms)
                        {
                            conds.Add(arm.Condition);
                            Visit(arm.Body, conds);
                        }
                        if (w.Otherwise is not null)
                            Visit(w.Otherwise, conds);
                        break;
                    }
                    case SwitchStmt sw:
                    {
                        var conds = new List<Expr>(conditions) { sw.Selector };
                        foreach (var c in sw.Cases)
                            Visit(c.Body, conds);
                        if (sw.Default is not null)
                            Visit(sw.Default, conds);
                        break;
                    }
                }
            }
        }
        Visit(ir.Body, []);

        foreach (var s in ir.Ports.Concat(ir.Signals))
            if (s.Kind is SignalKind.Wire or SignalKind.Output)
                Of(s);
        foreach (var mem in ir.Memories)
            foreach (var rp in mem.ReadPorts.Where(p => !p.Synchronous))
                Of(rp.Data).Add(rp.Address);
        foreach (var inst in ir.Instances)
        {
            var byPort = inst.Connections.ToDictionary(c => c.Port, c => c.Value);
            foreach (var (output, inputs) in inst.Module.CombinationalPaths)
                if (byPort.TryGetValue(output, out var wire))
                    foreach (var input in inputs)
                        if (byPort.TryGetValue(input, out var source))
                            Of(wire).Add(source);
        }
        return deps;
    }

    private static void AddReads(HashSet<Signal> set, Expr e)
    {
        foreach (var node in Walk(e))
            if (node is Signal s)
                set.Add(s);
    }

    // ---- unused ---------------------------------------------------------------------------------------

    private static void CheckUnused(IrModule ir, DiagnosticBag diagnostics)
    {
        var read = ReadSignals(ir);
        var connectionWires = ir.Instances.SelectMany(i => i.Connections.Select(c => c.Value)).ToHashSet();
        var clockPorts = ir.Clocks.Values.Concat(ir.Resets.Values).ToHashSet();
        foreach (var s in ir.Ports.Concat(ir.Signals))
        {
            if (s.Kind == SignalKind.Output || s.Port is not null || connectionWires.Contains(s) || clockPorts.Contains(s) || read.Contains(s))
                continue;
            string what = s.Kind switch
            {
                SignalKind.Input => "input",
                SignalKind.Register => "register",
                SignalKind.MemoryData => "memory data",
                _ => "wire",
            };
            diagnostics.Warning(DiagnosticCodes.Unused, s.Location, $"{what} '{s.Name}' of {ir.Source.ModuleName} is never read");
        }
    }

    /// <summary>The signals read anywhere in the module (expressions, enables, memory ports, instance inputs).</summary>
    internal static HashSet<Signal> ReadSignals(IrModule ir)
    {
        var read = new HashSet<Signal>();
        foreach (var e in AllExpressions(ir))
            AddReads(read, e);
        foreach (var mem in ir.Memories)
        {
            foreach (var rp in mem.ReadPorts)
            {
                read.Add(rp.Address);
                read.Add(rp.Enable);
            }
            foreach (var wp in mem.WritePorts)
            {
                read.Add(wp.Address);
                read.Add(wp.Data);
                read.Add(wp.Enable);
                if (wp.Mask is not null)
                    read.Add(wp.Mask);
            }
        }
        foreach (var inst in ir.Instances)
            foreach (var (port, value) in inst.Connections)
                if (port.Kind == SignalKind.Input)
                    read.Add(value);
        return read;
    }

    // ---- walking ----------------------------------------------------------------------------------------

    internal static IEnumerable<Stmt> Statements(IEnumerable<Stmt> body)
    {
        foreach (var stmt in body)
        {
            yield return stmt;
            IEnumerable<Stmt> nested = stmt switch
            {
                AssignStmt => [],
                WhenStmt w => w.Arms.SelectMany(a => a.Body).Concat(w.Otherwise ?? []),
                SwitchStmt sw => sw.Cases.SelectMany(c => c.Body).Concat(sw.Default ?? []),
                _ => throw new UnreachableException(),
            };
            foreach (var n in Statements(nested))
                yield return n;
        }
    }

    internal static IEnumerable<Expr> AllExpressions(IrModule ir)
    {
        foreach (var stmt in Statements(ir.Body))
        {
            switch (stmt)
            {
                case AssignStmt a:
                    yield return a.Value;
                    break;
                case WhenStmt w:
                    foreach (var arm in w.Arms)
                        yield return arm.Condition;
                    break;
                case SwitchStmt sw:
                    yield return sw.Selector;
                    break;
            }
        }
        foreach (var s in ir.Signals)
            if (s.Enable is not null)
                yield return s.Enable;
    }

    internal static IEnumerable<Expr> Walk(Expr e)
    {
        var stack = new Stack<Expr>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            foreach (var o in node.Operands)
                stack.Push(o);
        }
    }
}
