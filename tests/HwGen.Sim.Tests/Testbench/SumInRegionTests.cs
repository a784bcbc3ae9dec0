using HwGen.Designs.Riscv;
using HwGen.Hdl;
using NUnit.Framework;
using static HwGen.Hdl.Hw;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Testbench;

/// <summary>
/// <see cref="TagUnit.SumInRegion"/> against the region test of the sum itself (<see cref="TagUnit.InRegion"/>) and
/// against C#, for regions of the board's shapes (the tagged RAM, the call port, a region at 0, one ending at the top of
/// the address space, one of a size that is not a power of two), on operands whose sums fall just inside and just
/// outside each region's ends and on random ones.
/// </summary>
[TestFixture]
public sealed class SumInRegionTests
{
    private static readonly (uint Base, uint Size)[] Regions =
    [
        (0x0001_0000, 0x1_0000), (0x4000_0000, 0x10), (0, 0x1_0000), (0xFFFF_0000, 0x1_0000), (0x2000_0000, 0x3000),
        (0x8000_0000, 0x8000_0000),
    ];

    private sealed class RegionTests : Module
    {
        public readonly Signal A = In(32);
        public readonly Signal B = In(32);
        public readonly Signal Fast = Out(Regions.Length);
        public readonly Signal Plain = Out(Regions.Length);

        protected override void Build()
        {
            var sum = (A + B).Resize(32);
            Fast.Set(Cat(Regions.Reverse().Select(r => TagUnit.SumInRegion(A, B, sum, r.Base, r.Size)).ToArray()));
            Plain.Set(Cat(Regions.Reverse().Select(r => TagUnit.InRegion(sum, r.Base, r.Size)).ToArray()));
        }
    }

    [Test]
    public void TheTestOfTheOperandsAgreesWithTheTestOfTheirSum()
    {
        var dut = new RegionTests();
        using var tb = Bench.Create(dut);
        uint state = 0x9E37_79B9;
        uint Next()
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            return state;
        }
        var sums = new List<uint>();
        foreach (var (b, size) in Regions)
            foreach (var s in new[] { b - 1, b, b + 1, b + size - 1, b + size, b + size + 1, b + size / 2 })
                sums.Add(s);
        int checks = 0, inside = 0;
        for (int i = 0; i < 4000; i++)
        {
            uint a = Next();
            uint sum = i < 2000 ? sums[i % sums.Count] : Next();
            uint b = i % 3 == 0 ? Next() : sum - a;
            sum = a + b;
            tb.Poke(dut.A, a);
            tb.Poke(dut.B, b);
            ulong expected = 0;
            for (int r = 0; r < Regions.Length; r++)
                if (sum - Regions[r].Base < Regions[r].Size)
                    expected |= 1UL << r;
            tb.Expect(dut.Plain, expected, $"0x{a:X8} + 0x{b:X8}: the sum's own test");
            tb.Expect(dut.Fast, expected, $"0x{a:X8} + 0x{b:X8}");
            checks++;
            inside += System.Numerics.BitOperations.PopCount(expected);
        }
        Assert.That(inside, Is.GreaterThan(checks / 2), "the sums fall inside the regions often enough to test");
    }
}
