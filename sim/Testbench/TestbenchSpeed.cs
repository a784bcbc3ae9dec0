using System.Diagnostics;
using HwGen.Designs.Examples;

namespace HwGen.Sim.Testbench;

/// <summary>How fast a testbench drives a design cycle by cycle from C#.</summary>
public static class TestbenchSpeed
{
    /// <summary>
    /// Drives a 16-bit <see cref="Counter"/> for <paramref name="cycles"/> cycles, each with one poke (Enable, on in two
    /// cycles of three), one step and one peek (Count, checked against a C# model), and returns cycles per second.
    /// </summary>
    public static double CounterCyclesPerSecond(int cycles = 2_000_000, Action<string>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        var dut = new Counter(width: 16);
        using var tb = Testbench.Create(dut, new TestbenchOptions { Progress = progress });
        tb.Reset();
        ulong expected = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < cycles; i++)
        {
            bool enable = i % 3 != 0;
            tb.Poke(dut.Enable, enable);
            tb.Step();
            if (enable)
                expected = (expected + 1) & 0xFFFF;
            if (tb.Peek(dut.Count) != expected)
                throw new TestbenchException($"Counter, cycle {tb.Cycle}: Count is {tb.Peek(dut.Count)}, expected {expected}");
        }
        return cycles / clock.Elapsed.TotalSeconds;
    }
}
