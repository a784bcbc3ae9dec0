using System.Diagnostics;
using System.Reflection;
using HwGen.Hdl.Ir;

namespace HwGen.Hdl;

/// <summary>
/// Turns a module tree into an <see cref="IrDesign"/>. The phases, in order:
/// naming by reflection → build (run every <c>Build</c>) → hierarchy and connection resolution →
/// clock and reset ports → name allocation → checks (widths, drivers, undriven, latches, loops, unused).
/// Every error is collected; if any is found, <see cref="ElaborationException"/> lists them all.
/// </summary>
public static class Elaborator
{
    public static IrDesign Elaborate(Module top)
    {
        ArgumentNullException.ThrowIfNull(top);
        var session = new Session();
        return session.Run(top);
    }

    private sealed class Session
    {
        private readonly DiagnosticBag _diagnostics = new();
        private readonly Dictionary<Module, IrModule> _ir = [];
        private readonly List<IrModule> _order = [];

        public IrDesign Run(Module top)
        {
            if (top.Parent is not null)
                throw new ArgumentException($"{top} is instantiated inside {top.Parent}; elaborate the top module", nameof(top));
            Claim(top);
            BuildTree(top);
            if (!_diagnostics.HasErrors)
            {
                Lower(top);
                AddClockPorts(top);
                foreach (var m in _order)
                    AllocateNames(m);
                Checks.Run(_order, _diagnostics);
            }
            if (_diagnostics.HasErrors)
                throw new ElaborationException(Sorted(_diagnostics.Items));
            return new IrDesign(_ir[top], _order, Sorted(_diagnostics.Warnings.ToList()));
        }

        private static List<Diagnostic> Sorted(IEnumerable<Diagnostic> items) =>
            items.Distinct().OrderBy(d => d.Severity == Severity.Error ? 0 : 1)
                .ThenBy(d => d.Location.File, StringComparer.Ordinal).ThenBy(d => d.Location.Line).ToList();

        // ---- phase 1: naming by reflection ---------------------------------------------------------

        /// <summary>Adopts and names everything a module holds in its fields, and registers field submodules.</summary>
        private void Claim(Module module)
        {
            if (module.Claimed)
                return;
            module.Claimed = true;
            foreach (var (name, value) in Bundle.EnumerateMembers(module))
                ClaimMember(module, name, value);
        }

        private void ClaimMember(Module module, string name, object value)
        {
            switch (value)
            {
                case Signal s:
                    if (s.Owner is not null && !ReferenceEquals(s.Owner, module))
                        return; // a reference to another module's signal, kept in a field for convenience
                    if (s.Kind == SignalKind.Unbound)
                    {
                        _diagnostics.Error(DiagnosticCodes.Usage, s.Location,
                            $"'{name}' in {module.ModuleName} was declared with UInt/SInt/Bool, which declare bundle members; declare a signal with In, Out, Wire or Reg");
                        return;
                    }
                    module.Adopt(s);
                    if (s.Name is null)
                        s.Name = name;
                    break;
                case Bundle b:
                    foreach (var (memberName, member) in b.Members)
                        ClaimMember(module, name + "_" + memberName, member);
                    break;
                case Memory mem:
                    if (mem.Owner is not null && !ReferenceEquals(mem.Owner, module))
                        return;
                    module.Adopt(mem);
                    mem.Name ??= name;
                    break;
                case MemoryReadPort rp:
                    rp.Name ??= name;
                    break;
                case MemoryWritePort wp:
                    wp.Name ??= name;
                    break;
                case Module child:
                    if (child.Parent is null)
                    {
                        child.InstanceName ??= name;
                        module.AddChild(child, name, SourceLocation.Unknown);
                    }
                    if (ReferenceEquals(child.Parent, module))
                        Claim(child);
                    break;
                case System.Collections.IEnumerable items:
                    if (value is Vec<Signal> vs)
                        vs.Name ??= name;
                    int i = 0;
                    foreach (var item in items)
                    {
                        if (item is not null)
                            ClaimMember(module, $"{name}_{i}", item);
                        i++;
                    }
                    break;
            }
        }

        // ---- phase 2: build -----------------------------------------------------------------------

        private void BuildTree(Module module)
        {
            if (!module.IsBuilt)
            {
                module.IsBuilt = true;
                var ctx = Builder.Enter(module, out var scope, Claim);
                using (scope)
                {
                    try
                    {
                        module.RunBuild();
                    }
                    catch (HdlException ex)
                    {
                        _diagnostics.Error(DiagnosticCodes.Usage, ex.Location.IsKnown ? ex.Location : LocateInUserCode(ex), ex.Message);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        _diagnostics.Error(DiagnosticCodes.ConstructionFailed, LocateInUserCode(ex),
                            $"Build() of {module.ModuleName} threw {ex.GetType().Name}: {ex.Message}");
                    }
                }
                // Submodules claim what they hold in fields; the rest created during Build is ours.
                foreach (var child in module.Children)
                    Claim(child);
                // A module made here but never instantiated still owns its ports, so that reading
                // them is reported as such rather than as a stray signal.
                foreach (var made in ctx.CreatedModules)
                    if (made.Parent is null)
                        Claim(made);
                foreach (var created in ctx.Created)
                {
                    if (created is Signal s && s.Owner is null)
                        module.Adopt(s);
                    else if (created is Memory m && m.Owner is null)
                        module.Adopt(m);
                }
            }
            foreach (var child in module.Children.ToArray())
                BuildTree(child);
        }

        /// <summary>The innermost frame of an exception that lies in the description rather than in the HDL library.</summary>
        internal static SourceLocation LocateInUserCode(Exception ex)
        {
            var hdl = typeof(Module).Assembly;
            var trace = new StackTrace(ex, fNeedFileInfo: true);
            foreach (var frame in trace.GetFrames())
            {
                var method = frame.GetMethod();
                if (method?.DeclaringType?.Assembly == hdl)
                    continue;
                if (frame.GetFileName() is { Length: > 0 } file)
                    return new SourceLocation(file, frame.GetFileLineNumber());
            }
            return SourceLocation.Unknown;
        }

        // ---- phase 3: lowering into IR ----------------------------------------------------------------

        private void Lower(Module module)
        {
            foreach (var child in module.Children)
                Lower(child);

            var ir = new IrModule(module);
            _ir[module] = ir;
            foreach (var s in module.OwnedSignals)
            {
                if (s.IsPort)
                    ir.Ports.Add(s);
                else
                    ir.Signals.Add(s);
            }
            ir.Memories.AddRange(module.OwnedMemories);

            // Connection wires for every port of every child.
            var connection = new Dictionary<Signal, Signal>();
            var usedInstanceNames = new HashSet<string>(StringComparer.Ordinal);
            int unnamed = 0;
            foreach (var child in module.Children)
            {
                var childIr = _ir[child];
                var instanceName = Identifiers.Legalize(child.InstanceName ?? $"{child.ModuleName}_{unnamed++}");
                while (!usedInstanceNames.Add(instanceName))
                    instanceName += "_";
                child.InstanceName = instanceName;
                var instance = new IrInstance(instanceName, childIr, child.InstanceLocation);
                ir.Instances.Add(instance);
                foreach (var port in childIr.Ports)
                {
                    var wire = new Signal(SignalKind.Wire, port.Shape, child.InstanceLocation.IsKnown ? child.InstanceLocation : port.Location)
                    {
                        Name = $"{instanceName}_{port.Name}",
                        Owner = module,
                    };
                    connection[port] = wire;
                    ir.Signals.Add(wire);
                    instance.Connections.Add((port, wire));
                    if (port.Kind == SignalKind.Output)
                        ir.InstanceDriven.Add(wire);
                }
            }

            var rewriter = new Rewriter(module, connection, _diagnostics);
            foreach (var stmt in module.Body)
                ir.Body.Add(rewriter.Rewrite(stmt));
            foreach (var s in ir.Signals.Where(s => s.Enable is not null).ToArray())
                s.Enable = rewriter.Rewrite(s.Enable!, s.Location);
            _order.Add(ir);
        }

        /// <summary>Rewrites references to child ports into connection wires and checks that every read signal is visible.</summary>
        private sealed class Rewriter(Module module, Dictionary<Signal, Signal> connection, DiagnosticBag diagnostics)
        {
            private readonly HashSet<(Signal, SourceLocation)> _reported = [];

            public Stmt Rewrite(Stmt stmt) => stmt switch
            {
                AssignStmt a => new AssignStmt(RewriteTarget(a.Target, a.Location), Rewrite(a.Value, a.Location), a.Location),
                WhenStmt w => RewriteWhen(w),
                SwitchStmt sw => RewriteSwitch(sw),
                _ => throw new UnreachableException(),
            };

            private WhenStmt RewriteWhen(WhenStmt w)
            {
                var result = new WhenStmt(w.Location);
                foreach (var arm in w.Arms)
                    result.Arms.Add(new WhenArm(Rewrite(arm.Condition, arm.Location), arm.Body.Select(Rewrite).ToList(), arm.Location));
                result.Otherwise = w.Otherwise?.Select(Rewrite).ToList();
                result.OtherwiseLocation = w.OtherwiseLocation;
                return result;
            }

            private SwitchStmt RewriteSwitch(SwitchStmt sw)
            {
                var result = new SwitchStmt(Rewrite(sw.Selector, sw.Location), sw.Location);
                foreach (var c in sw.Cases)
                    result.Cases.Add(new SwitchCase(c.Values, c.Body.Select(Rewrite).ToList(), c.Location));
                result.Default = sw.Default?.Select(Rewrite).ToList();
                result.DefaultLocation = sw.DefaultLocation;
                return result;
            }

            private Signal RewriteTarget(Signal target, SourceLocation location)
            {
                if (connection.TryGetValue(target, out var wire))
                    return wire; // driving a child's port: checked by the driver rules
                if (!ReferenceEquals(target.Owner, module))
                    ReportForeign(target, location, driving: true);
                return target;
            }

            public Expr Rewrite(Expr e, SourceLocation location)
            {
                switch (e)
                {
                    case Signal s:
                        if (connection.TryGetValue(s, out var wire))
                            return wire;
                        if (!ReferenceEquals(s.Owner, module))
                            ReportForeign(s, location, driving: false);
                        return s;
                    case Const or ClockExpr or ResetExpr:
                        return e;
                    default:
                        var operands = e.Operands;
                        var rewritten = new Expr[operands.Count];
                        bool changed = false;
                        for (int i = 0; i < operands.Count; i++)
                        {
                            rewritten[i] = Rewrite(operands[i], location);
                            changed |= !ReferenceEquals(rewritten[i], operands[i]);
                        }
                        return changed ? e.WithOperands(rewritten) : e;
                }
            }

            private void ReportForeign(Signal s, SourceLocation location, bool driving)
            {
                if (!_reported.Add((s, location)))
                    return;
                string verb = driving ? "drives" : "reads";
                if (s.Owner is null)
                {
                    diagnostics.Error(DiagnosticCodes.Hierarchy, location,
                        $"{module.ModuleName} {verb} a signal declared at {s.Location.Short} that belongs to no module: keep it in a field of its module, or create it inside Build()");
                }
                else if (s.Owner.Parent is null && !ReferenceEquals(s.Owner, module))
                {
                    diagnostics.Error(DiagnosticCodes.NotInstantiated, location,
                        $"{module.ModuleName} {verb} '{s.Name}' of a {s.Owner.ModuleName} that is not instantiated anywhere: hold the module in a field or add it with Instance(...)");
                }
                else if (s.Owner.Parent is { } p && ReferenceEquals(p, module))
                {
                    diagnostics.Error(DiagnosticCodes.Hierarchy, location,
                        $"{module.ModuleName} {verb} '{s.Name}' inside instance '{s.Owner.InstanceName}', which is not one of its ports");
                }
                else
                {
                    diagnostics.Error(DiagnosticCodes.Hierarchy, location,
                        $"{module.ModuleName} {verb} '{s.DisplayName}' of {s.Owner}, which is not this module or one of its direct instances; pass the value through ports");
                }
            }
        }

        // ---- phase 4: clocks and resets ---------------------------------------------------------------

        private void AddClockPorts(Module top)
        {
            foreach (var ir in _order)
            {
                var clocks = new List<ClockDomain>();
                var resets = new List<ClockDomain>();
                void Need(List<ClockDomain> list, ClockDomain d)
                {
                    if (!list.Contains(d))
                        list.Add(d);
                }
                foreach (var s in ir.Signals.Concat(ir.Ports))
                {
                    if (s.Kind == SignalKind.Register)
                    {
                        Need(clocks, s.Domain!);
                        if (s.Reset is not null)
                            Need(resets, s.Domain!);
                    }
                }
                foreach (var m in ir.Memories)
                    Need(clocks, m.Domain);
                foreach (var e in Checks.AllExpressions(ir))
                {
                    foreach (var node in Checks.Walk(e))
                    {
                        if (node is ClockExpr c)
                            Need(clocks, c.Domain);
                        else if (node is ResetExpr r)
                            Need(resets, r.Domain);
                    }
                }
                foreach (var inst in ir.Instances)
                {
                    var childLocal = inst.Module.Source.LocalDomains;
                    foreach (var d in inst.Module.Clocks.Keys.Where(d => !childLocal.ContainsKey(d)))
                        Need(clocks, d);
                    foreach (var d in inst.Module.Resets.Keys.Where(d => !childLocal.ContainsKey(d)))
                        Need(resets, d);
                }

                // Domains this module drives itself (DriveDomain): their clock and reset are its own wires, not ports.
                var local = ir.Source.LocalDomains;
                foreach (var (d, drive) in local)
                {
                    ir.Clocks[d] = drive.Clock;
                    if (drive.Reset is not null)
                        ir.Resets[d] = drive.Reset;
                    else if (resets.Contains(d))
                        _diagnostics.Error(DiagnosticCodes.Usage, drive.Location,
                            $"clock domain '{d}' is driven in {ir.Source.ModuleName} without a reset, but registers in it have reset values; pass DriveDomain a reset");
                }
                clocks.RemoveAll(local.ContainsKey);
                resets.RemoveAll(local.ContainsKey);

                var ports = new List<Signal>();
                foreach (var d in clocks)
                {
                    var clk = new Signal(SignalKind.Input, Shape.Bool, SourceLocation.Unknown) { Name = d.ClockName, Owner = ir.Source };
                    ir.Clocks[d] = clk;
                    ports.Add(clk);
                }
                foreach (var d in resets)
                {
                    var rst = new Signal(SignalKind.Input, Shape.Bool, SourceLocation.Unknown) { Name = d.ResetName, Owner = ir.Source };
                    ir.Resets[d] = rst;
                    ports.Add(rst);
                }
                ir.Ports.InsertRange(0, ports);

                // Connect the children's clock and reset ports straight to ours.
                foreach (var inst in ir.Instances)
                {
                    var extra = new List<(Signal, Signal)>();
                    var childLocal = inst.Module.Source.LocalDomains;
                    foreach (var (d, port) in inst.Module.Clocks.Where(c => !childLocal.ContainsKey(c.Key)))
                        extra.Add((port, ir.Clocks[d]));
                    foreach (var (d, port) in inst.Module.Resets.Where(r => !childLocal.ContainsKey(r.Key)))
                        extra.Add((port, ir.Resets[d]));
                    inst.Connections.InsertRange(0, extra);
                }

                // Clock and reset values in expressions become the ports.
                for (int i = 0; i < ir.Body.Count; i++)
                    ir.Body[i] = ReplaceClocks(ir, ir.Body[i]);
            }
            _ = top;
        }

        private static Stmt ReplaceClocks(IrModule ir, Stmt stmt)
        {
            Expr Fix(Expr e) => e switch
            {
                ClockExpr c => ir.Clocks[c.Domain],
                ResetExpr r => ir.Resets[r.Domain],
                Signal or Const => e,
                _ => e.Operands.Any(o => Checks.Walk(o).Any(n => n is ClockExpr or ResetExpr)) ? e.WithOperands(e.Operands.Select(Fix).ToArray()) : e,
            };
            switch (stmt)
            {
                case AssignStmt a:
                    return new AssignStmt(a.Target, Fix(a.Value), a.Location);
                case WhenStmt w:
                    var nw = new WhenStmt(w.Location) { Otherwise = w.Otherwise?.Select(s => ReplaceClocks(ir, s)).ToList(), OtherwiseLocation = w.OtherwiseLocation };
                    foreach (var arm in w.Arms)
                        nw.Arms.Add(new WhenArm(Fix(arm.Condition), arm.Body.Select(s => ReplaceClocks(ir, s)).ToList(), arm.Location));
                    return nw;
                case SwitchStmt sw:
                    var ns = new SwitchStmt(Fix(sw.Selector), sw.Location) { Default = sw.Default?.Select(s => ReplaceClocks(ir, s)).ToList(), DefaultLocation = sw.DefaultLocation };
                    foreach (var c in sw.Cases)
                        ns.Cases.Add(new SwitchCase(c.Values, c.Body.Select(s => ReplaceClocks(ir, s)).ToList(), c.Location));
                    return ns;
                default:
                    throw new UnreachableException();
            }
        }

        // ---- phase 5: names --------------------------------------------------------------------------

        private void AllocateNames(IrModule ir)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            string Unique(string wanted)
            {
                var name = Identifiers.Legalize(wanted);
                if (used.Add(name))
                    return name;
                for (int i = 1; ; i++)
                {
                    var candidate = $"{name}_{i}";
                    if (used.Add(candidate))
                        return candidate;
                }
            }

            foreach (var port in ir.Ports)
            {
                var name = port.Name ?? "port";
                var legal = ir.IsBlackBox ? name : Identifiers.Legalize(name);
                if (!used.Add(legal))
                {
                    _diagnostics.Error(DiagnosticCodes.Usage, port.Location, $"two ports of {ir.Source.ModuleName} are named '{legal}'");
                    continue;
                }
                port.Name = legal;
            }
            foreach (var mem in ir.Memories)
            {
                mem.Name = Unique(mem.Name ?? "memory");
                foreach (var rp in mem.ReadPorts)
                {
                    var prefix = rp.Name ?? $"{mem.Name}_r{rp.Index}";
                    rp.Name = prefix;
                    rp.Address.Name ??= prefix + "_addr";
                    rp.Enable.Name ??= prefix + "_en";
                    rp.Data.Name ??= prefix + "_data";
                }
                foreach (var wp in mem.WritePorts)
                {
                    var prefix = wp.Name ?? $"{mem.Name}_w{wp.Index}";
                    wp.Name = prefix;
                    wp.Address.Name ??= prefix + "_addr";
                    wp.Data.Name ??= prefix + "_data";
                    wp.Enable.Name ??= prefix + "_en";
                    if (wp.Mask is not null)
                        wp.Mask.Name ??= prefix + "_mask";
                }
            }
            // Named signals first so that field names win over generated ones.
            int anonymous = 0;
            foreach (var s in ir.Signals.OrderBy(s => s.Name is null ? 1 : 0).ToArray())
            {
                s.Name = Unique(s.Name ?? $"_{s.Kind.ToString().ToLowerInvariant()}{anonymous++}");
            }
        }
    }
}
