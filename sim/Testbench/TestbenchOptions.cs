namespace HwGen.Sim.Testbench;

/// <summary>How a <see cref="Testbench"/> is built.</summary>
public sealed record TestbenchOptions
{
    /// <summary>
    /// Where to write a waveform of the whole run (<c>.fst</c> writes FST, any other name VCD); null for none.
    /// A model with a waveform is a build of its own, cached beside the one without.
    /// </summary>
    public string? Wave { get; init; }

    /// <summary>Hears what the build is doing (Verilating, compiling, using the cache).</summary>
    public Action<string>? Progress { get; init; }
}
