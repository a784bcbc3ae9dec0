using HwGen.Designs.Soc;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>The machine timer against its bench (Benches/Clint_tb.v) under both simulators.</summary>
[TestFixture]
public sealed class ClintTests
{
    [Test]
    public void TheComparisonHoldsFromTheCycleMtimeReachesMtimecmp([Values] Simulator simulator)
    {
        var map = MemoryMap.Ice40Up5k;
        DeviceBench.AssertPasses(
            "clint", new Clint(map), simulator,
            new Dictionary<string, int>
            {
                ["MTIME_OFFSET"] = (int)map.MtimeOffset,
                ["MTIMECMP_OFFSET"] = (int)map.MtimecmpOffset,
            },
            models: []);
    }
}
