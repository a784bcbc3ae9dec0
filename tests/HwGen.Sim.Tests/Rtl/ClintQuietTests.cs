using HwGen.Designs.Soc;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The quiet CLINT (<see cref="Clint.Quiet"/>, the tagged SoC's, whose select comes from registers): its read data is
/// the register read in the cycle after the read, and 0 in every other cycle, so the interconnect ORs it in without a
/// read select.
/// </summary>
[TestFixture]
public sealed class ClintQuietTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void TheWordComesInTheCycleAfterTheReadAndIsZeroElse(bool quiet)
    {
        var map = MemoryMap.Ice40Up5k;
        var clint = new Clint(map, earlyRead: true, quiet: quiet);
        using var tb = Bench.Create(clint);
        tb.Reset(2);

        void Access(uint offset, bool write, uint word)
        {
            tb.Poke(clint.Select, 1);
            tb.Poke(clint.ReadWanted!, write ? 0 : 1);
            tb.Poke(clint.Write, write ? 1 : 0);
            tb.Poke(clint.Offset, offset);
            tb.Poke(clint.Wdata, word);
            tb.Poke(clint.MemoryWdata, word);
            tb.Step();
            tb.Poke(clint.Select, 0);
            tb.Poke(clint.ReadWanted!, 0);
            tb.Poke(clint.Write, 0);
        }

        Access(map.MtimecmpOffset, write: true, 0x1234_5678);
        tb.Step(2);
        Assert.That(tb.Peek(clint.Rdata) == 0, Is.EqualTo(quiet), "no read: a quiet CLINT reads 0");
        Access(map.MtimecmpOffset, write: false, 0);
        Assert.That(tb.Peek(clint.Rdata), Is.EqualTo(0x1234_5678ul), "mtimecmp's low half in the cycle after its read");
        tb.Step();
        Assert.That(tb.Peek(clint.Rdata) == 0, Is.EqualTo(quiet), "the cycle after: 0 when quiet");
        Access(map.MtimeOffset + 4, write: false, 0);
        Assert.That(tb.Peek(clint.Rdata), Is.Zero, "mtime's high half: 0 this early");
        Access(map.MtimeOffset, write: false, 0);
        Assert.That(tb.Peek(clint.Rdata), Is.Not.Zero, "mtime's low half counts");
        tb.Step();
        Assert.That(tb.Peek(clint.Rdata) == 0, Is.EqualTo(quiet), "and after it, 0 when quiet");
    }
}
