namespace HwGen.Hdl;

/// <summary>A statement of a module's body: an assignment or a conditional over nested statements.</summary>
public abstract class Stmt
{
    private protected Stmt(SourceLocation location) => Location = location;

    public SourceLocation Location { get; }
}

/// <summary><c>Target.Set(Value)</c>. The value already has the target's width.</summary>
public sealed class AssignStmt : Stmt
{
    public AssignStmt(Signal target, Expr value, SourceLocation location)
        : base(location)
    {
        Target = target;
        Value = value;
    }

    public Signal Target { get; }

    public Expr Value { get; }
}

/// <summary>One arm of a <see cref="WhenStmt"/>.</summary>
public sealed class WhenArm(Expr condition, List<Stmt> body, SourceLocation location)
{
    public Expr Condition { get; } = condition;

    public List<Stmt> Body { get; } = body;

    public SourceLocation Location { get; } = location;
}

/// <summary><c>When(c1, …).ElseWhen(c2, …).Otherwise(…)</c>: the first arm whose condition holds runs.</summary>
public sealed class WhenStmt : Stmt
{
    public WhenStmt(SourceLocation location)
        : base(location)
    {
    }

    public List<WhenArm> Arms { get; } = [];

    /// <summary>The statements of <c>Otherwise</c>, or null when there is none.</summary>
    public List<Stmt>? Otherwise { get; set; }

    public SourceLocation OtherwiseLocation { get; set; }
}

/// <summary>One arm of a <see cref="SwitchStmt"/>.</summary>
public sealed class SwitchCase(IReadOnlyList<ulong> values, List<Stmt> body, SourceLocation location)
{
    public IReadOnlyList<ulong> Values { get; } = values;

    public List<Stmt> Body { get; } = body;

    public SourceLocation Location { get; } = location;
}

/// <summary><c>Switch(sel).Case(v, …).Default(…)</c>.</summary>
public sealed class SwitchStmt : Stmt
{
    public SwitchStmt(Expr selector, SourceLocation location)
        : base(location)
    {
        Selector = selector;
    }

    public Expr Selector { get; }

    public List<SwitchCase> Cases { get; } = [];

    public List<Stmt>? Default { get; set; }

    public SourceLocation DefaultLocation { get; set; }
}
