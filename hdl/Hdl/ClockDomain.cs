namespace HwGen.Hdl;

/// <summary>
/// A clock and its synchronous, active-high reset. Every module that holds state in a domain gets the
/// domain's clock (and, when some register has a reset value, its reset) as input ports, connected
/// automatically through the hierarchy.
/// </summary>
public sealed class ClockDomain
{
    public ClockDomain(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The default domain: ports <c>clk</c> and <c>rst</c>.</summary>
    public static ClockDomain Default { get; } = new("sync");

    public string Name { get; }

    public bool IsDefault => ReferenceEquals(this, Default);

    /// <summary>The clock port name: <c>clk</c> for the default domain, <c>NAME_clk</c> otherwise.</summary>
    public string ClockName => IsDefault ? "clk" : Name + "_clk";

    /// <summary>The reset port name: <c>rst</c> for the default domain, <c>NAME_rst</c> otherwise.</summary>
    public string ResetName => IsDefault ? "rst" : Name + "_rst";

    public override string ToString() => Name;
}
