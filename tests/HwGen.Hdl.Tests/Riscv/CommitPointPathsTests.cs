using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// Where a tagged core's rule compare goes in the cycle it is made (the memory stage's combinational paths from the
/// rule cache's hit): to the redirect (a miss is fetched again) and to the data bus's request, never to the hold of the
/// younger stages (<see cref="MemoryStage.Waits"/>), which reaches every pipeline register's enable and the read
/// enables of the memories read in execute; the PEX's miss and a request outside tagged memory (a device's) are
/// presented from registers, and in the SoC no device's select comes from the late request.
/// </summary>
[TestFixture]
public sealed class CommitPointPathsTests
{
    [Test]
    public void TheHitReachesTheRedirectAndTheRequestButNotTheHold([Values] bool cells)
    {
        var map = MemoryMap.Ice40Up5k;
        var config = CoreConfig.ForMemoryMap(map) with { Tags = TagConfig.ForMemoryMap(map), Ice40Cells = cells };
        var design = Elaborator.Elaborate(new Core(config));
        var memory = design.Modules.Single(m => m.Source is MemoryStage);
        var stage = (MemoryStage)memory.Source;
        var hit = stage.Check!.Hit;
        var paths = memory.CombinationalPaths;
        Assert.Multiple(() =>
        {
            Assert.That(paths[stage.Redirect], Does.Contain(hit), "a miss is fetched again");
            Assert.That(paths[stage.Bus.Valid], Does.Contain(hit), "a load or store goes out when it commits");
            Assert.That(paths[stage.Waits], Does.Not.Contain(hit), "the hold");
            Assert.That(paths[stage.Check.MissValid], Does.Not.Contain(hit), "the miss presented to the PEX");
            Assert.That(paths[stage.DataEarlyValid!], Does.Not.Contain(hit), "a device's request");
        });
    }

    [Test]
    public void TheSocSelectsItsDevicesFromTheEarlyRequest()
    {
        var map = MemoryMap.Ice40Up5k;
        var config = CoreConfig.ForMemoryMap(map) with { Tags = TagConfig.ForMemoryMap(map) };
        var design = Elaborator.Elaborate(new ApSoc(map, config, SocParts.Simulation));
        var module = design.Modules.Single(m => m.Source is Interconnect);
        var interconnect = (Interconnect)module.Source;
        var paths = module.CombinationalPaths;
        Assert.That(interconnect.EarlyRegions, Is.EquivalentTo(map.Regions.Where(r => r.Name != MemoryMap.RamName).Select(r => r.Name)),
            "every region but the tagged RAM");
        Assert.Multiple(() =>
        {
            foreach (var region in interconnect.Regions)
            {
                var port = interconnect.Port(region.Name);
                bool early = region.Name != MemoryMap.RamName;
                Assert.That(paths[port.Select], early ? Does.Not.Contain(interconnect.Data.Valid) : Does.Contain(interconnect.Data.Valid), $"{region.Name}'s select");
                Assert.That(paths[port.Write], early ? Does.Not.Contain(interconnect.Data.Valid) : Does.Contain(interconnect.Data.Valid), $"{region.Name}'s write");
                if (early)
                    Assert.That(paths[port.Select], Does.Contain(interconnect.DataEarlyValid), $"{region.Name}'s select");
            }
        });
    }
}
