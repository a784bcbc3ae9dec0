using HwGen.Designs.Riscv;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Testbench;

/// <summary>
/// The AP's <see cref="Multiplier"/> driven from C#: every operation on edge and random operands against the
/// products in C#, with <see cref="Multiplier.Result"/> 0 in every cycle but the one of <see cref="Multiplier.Done"/>
/// (the execute stage ORs it into its result without a select), also after a multiplication abandoned in any cycle.
/// </summary>
[TestFixture]
public sealed class MultiplierTests
{
    private static uint Expected(int funct3, uint a, uint b) => funct3 switch
    {
        0 => a * b,
        1 => (uint)((ulong)((long)(int)a * (int)b) >> 32),
        2 => (uint)((ulong)((long)(int)a * (long)b) >> 32),
        _ => (uint)(((ulong)a * b) >> 32),
    };

    [Test]
    public void TheResultIsTheProductInTheDoneCycleAndZeroInEveryOther()
    {
        var dut = new Multiplier();
        using var tb = Bench.Create(dut);
        tb.Reset();
        uint[] edges = [0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF, 0x1_0000, 0x8000_8000];
        uint state = 0x2545_F491;
        uint Next()
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            return state;
        }
        int products = 0, abandoned = 0;
        for (int i = 0; i < 3000; i++)
        {
            int funct3 = i % 4;
            uint a = i < 4 * edges.Length * edges.Length ? edges[i / 4 % edges.Length] : Next();
            uint b = i < 4 * edges.Length * edges.Length ? edges[i / 4 / edges.Length % edges.Length] : Next();
            // One multiplication in eight is abandoned in one of its cycles (0: none).
            int abortAt = Next() % 8 == 0 ? 1 + (int)(Next() % Multiplier.Latency) : 0;
            tb.Poke(dut.A, a);
            tb.Poke(dut.B, b);
            tb.Poke(dut.Sum, a + b);
            tb.Poke(dut.Funct3, (ulong)funct3);
            tb.Poke(dut.Start, true);
            tb.Poke(dut.Abort, false);
            var what = $"funct3 {funct3}, 0x{a:X8} x 0x{b:X8}";
            for (int cycle = 0; cycle <= Multiplier.Latency; cycle++)
            {
                bool done = tb.Peek(dut.Done) == 1;
                if (done)
                {
                    tb.Expect(dut.Result, Expected(funct3, a, b), what);
                    products++;
                }
                else
                {
                    tb.Expect(dut.Result, 0, $"{what}: cycle {cycle}, not done");
                }
                if (done || (abortAt != 0 && cycle == abortAt))
                {
                    tb.Poke(dut.Abort, !done);
                    abandoned += done ? 0 : 1;
                    tb.Poke(dut.Start, false);
                    tb.Step();
                    tb.Poke(dut.Abort, false);
                    tb.Expect(dut.Busy, 0, $"{what}: idle after {(done ? "done" : "the abort")}");
                    tb.Expect(dut.Result, 0, $"{what}: after {(done ? "done" : "the abort")}");
                    break;
                }
                Assert.That(cycle, Is.LessThan(Multiplier.Latency), $"{what}: no done");
                tb.Step();
                tb.Poke(dut.Start, false);
                // The sum is the operands' in the cycle of the start only.
                tb.Poke(dut.Sum, Next());
            }
        }
        Assert.That(products, Is.GreaterThan(2000));
        Assert.That(abandoned, Is.GreaterThan(100));
    }
}
