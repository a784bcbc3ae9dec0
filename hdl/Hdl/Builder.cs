namespace HwGen.Hdl;

/// <summary>
/// The state of the module whose <see cref="Module.Build"/> is running on this thread: where
/// statements go, and who owns the signals created now.
/// </summary>
internal static class Builder
{
    [ThreadStatic]
    private static BuildContext? t_current;

    internal sealed class BuildContext(Module module)
    {
        public Module Module { get; } = module;

        public Stack<List<Stmt>> Bodies { get; } = new([module.Body]);

        /// <summary>
        /// Signals and memories created while this Build ran. Those that no submodule claims as its
        /// fields belong to this module (a submodule made inside Build creates its ports here too).
        /// </summary>
        public List<object> Created { get; } = [];

        /// <summary>Modules constructed while this Build ran (instantiated or not).</summary>
        public List<Module> CreatedModules { get; } = [];

        /// <summary>The elaborator's naming pass (names and adopts what a module holds in its fields); idempotent.</summary>
        public Action<Module>? Claim { get; init; }

        /// <summary>
        /// Runs the naming pass on the modules made so far in this Build, so that their ports belong to them
        /// before the Build ends (as they would after it).
        /// </summary>
        public void ClaimCreatedModules()
        {
            if (Claim is null)
                return;
            foreach (var made in CreatedModules.ToArray())
                Claim(made);
        }
    }

    internal static BuildContext? Current => t_current;

    internal static BuildContext Require(string what, SourceLocation location) =>
        t_current ?? throw new HdlException(
            $"{what} is only allowed inside a module's Build() method (statements describe a module's behaviour)", location);

    internal static BuildContext Enter(Module module, out IDisposable scope, Action<Module>? claim = null)
    {
        var previous = t_current;
        var ctx = new BuildContext(module) { Claim = claim };
        t_current = ctx;
        scope = new Scope(() => t_current = previous);
        return ctx;
    }

    /// <summary>Records a signal created now; it belongs to the module being built unless a submodule claims it.</summary>
    internal static Signal Adopt(Signal signal)
    {
        if (t_current is { } ctx && signal.Owner is null)
            ctx.Created.Add(signal);
        return signal;
    }

    /// <summary>Records a memory created now (see <see cref="Adopt(Signal)"/>).</summary>
    internal static void Adopt(Memory memory)
    {
        if (t_current is { } ctx && memory.Owner is null)
            ctx.Created.Add(memory);
    }

    internal static void Append(Stmt statement) =>
        Require("a statement", statement.Location).Bodies.Peek().Add(statement);

    internal static void Assign(Signal target, Expr value, SourceLocation location)
    {
        var ctx = Require($"assigning '{target.DisplayName}'", location);
        if (target.Kind == SignalKind.Unbound)
            throw new HdlException($"'{target.DisplayName}' is a bundle member that was never made a port, wire or register (use Wire(...), Reg(...), In(...) or Out(...) on its bundle)", location);
        if (value is Const { IsLiteral: true } literal)
        {
            if (literal.Signed && !target.Signed)
                throw new HdlException($"the negative literal {literal.SignedValue} cannot be assigned to the unsigned '{target.DisplayName}'; write the bit pattern", location);
            int needed = literal.Width + (target.Signed && !literal.Signed ? 1 : 0);
            if (needed > target.Width)
                throw new HdlException($"width mismatch: the literal {Expr.Describe(literal)} needs {needed} bits but '{target.DisplayName}' has {target.Width}", location);
            value = new Const(literal.Value, target.Shape);
        }
        ctx.Bodies.Peek().Add(new AssignStmt(target, value, location));
    }

    /// <summary>Runs <paramref name="body"/> collecting its statements into <paramref name="into"/>.</summary>
    internal static void Collect(List<Stmt> into, Action body, SourceLocation location)
    {
        var ctx = Require("a conditional", location);
        ctx.Bodies.Push(into);
        try
        {
            body();
        }
        finally
        {
            ctx.Bodies.Pop();
        }
    }

    internal static Signal NameExpression(Expr value, string name, SourceLocation location)
    {
        var ctx = Require($"naming a value '{name}'", location);
        var wire = new Signal(SignalKind.Wire, value.Shape, location).Named(name);
        ctx.Module.Adopt(wire);
        // The value does not depend on the branch it is named in: assign it at the top level.
        ctx.Module.Body.Add(new AssignStmt(wire, value, location));
        return wire;
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
