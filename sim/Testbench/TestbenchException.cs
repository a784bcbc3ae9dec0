namespace HwGen.Sim.Testbench;

/// <summary>
/// A testbench was misused (an unknown signal, a value that does not fit, a cycle limit) or a check failed;
/// the message names the signal, the module and the cycle.
/// </summary>
public sealed class TestbenchException(string message) : Exception(message);
