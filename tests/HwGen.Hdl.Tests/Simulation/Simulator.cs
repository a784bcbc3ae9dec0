namespace HwGen.Hdl.Tests.Simulation;

/// <summary>The simulators every test bench runs under.</summary>
public enum Simulator
{
    /// <summary>Verilator, building the bench into a program with <c>--binary --timing</c>.</summary>
    Verilator,

    /// <summary>Icarus Verilog: <c>iverilog -g2012</c>, then <c>vvp</c>.</summary>
    Icarus,
}
