namespace HwGen.Sim.Verilator;

/// <summary>Whether a Verilated model can write a waveform, and in which format.</summary>
public enum WaveFormat
{
    None,
    /// <summary>Value change dump: large, read by every viewer.</summary>
    Vcd,
    /// <summary>GTKWave's compressed format.</summary>
    Fst,
}

public static class WaveFormats
{
    /// <summary>The format implied by a file name: <c>.fst</c> is FST, anything else VCD.</summary>
    public static WaveFormat FromPath(string path) =>
        string.Equals(Path.GetExtension(path), ".fst", StringComparison.OrdinalIgnoreCase) ? WaveFormat.Fst : WaveFormat.Vcd;
}
