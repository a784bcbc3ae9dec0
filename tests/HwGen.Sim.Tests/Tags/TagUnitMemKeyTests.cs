using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The memory tag of the rule's key (<see cref="TagCheckPort.MemKey"/>) on the tag unit alone, driven cycle by cycle: the
/// tag memory's word in the cycle after its read and while the port serves others after it, the device tag and the
/// call result tag after the one cycle the instruction waits for them (<see cref="TagCheckPort.KeyWait"/>), a tag
/// written by the PEX meanwhile followed after one more wait, and 0 for an instruction that is no load or store, also
/// right after one that left a tag in the key.
/// </summary>
[TestFixture]
public sealed class TagUnitMemKeyTests
{
    private const uint WordTag = 0x2A;
    private const int WordIndex = 5;

    private static readonly MemoryMap s_map = MemoryMap.Simulation;

    /// <summary>An instruction enters the memory stage: a load at <paramref name="address"/>, or no load or store.</summary>
    private static void Enter(Bench tb, TagUnit unit, uint address, bool load)
    {
        tb.Poke(unit.Lookup.Enable, 1);
        tb.Poke(unit.Lookup.Load, load);
        tb.Poke(unit.Lookup.Address, address);
        tb.Step();
        tb.Poke(unit.Lookup.Enable, 0);
        tb.Poke(unit.Lookup.Load, 0);
        // At the commit point, its registered address.
        tb.Poke(unit.Check.Address, address);
    }

    private static (ulong Key, ulong Wait) Check(Bench tb, TagUnit unit) => (tb.Peek(unit.Check.MemKey), tb.Peek(unit.Check.KeyWait));

    [TestCase(TagMemoryKind.SinglePort)]
    [TestCase(TagMemoryKind.MultiPort)]
    public void TheKeysMemoryTagIsTheWordsTheDevicesOrZero(TagMemoryKind memory)
    {
        var config = TagConfig.ForMemoryMap(s_map) with { Memory = memory };
        var unit = new TagUnit(config);
        using var tb = Bench.Create(unit);
        tb.Reset(2);
        uint device = s_map.ClintBase, callPort = s_map.PexCallBase, word = config.TaggedBase + WordIndex * 4;
        Assume.That(config.Contains(device) || config.Contains(callPort), Is.False);

        // The word's tag, loaded; the device tag and the call result tag, written by the PEX.
        tb.Poke(unit.Loader.Valid, 1);
        tb.Poke(unit.Loader.Index, WordIndex);
        tb.Poke(unit.Loader.Tag, WordTag);
        tb.Step();
        tb.Poke(unit.Loader.Valid, 0);
        tb.Poke(unit.Pex.DeviceTag, 0x1D);
        tb.Poke(unit.Pex.DeviceTagWrite, 1);
        tb.Poke(unit.Pex.CallResultTag, 0x33);
        tb.Poke(unit.Pex.CallResultTagWrite, 1);
        tb.Step();
        tb.Poke(unit.Pex.DeviceTagWrite, 0);
        tb.Poke(unit.Pex.CallResultTagWrite, 0);
        Assert.That(Check(tb, unit).Wait, Is.EqualTo(1), "the cycle after the PEX wrote the tags waits");
        // A load decoded (its opgroup's care mask, all ones after reset, read from the table).
        tb.Poke(unit.Instruction, 0x0002_A283); // lw t0, 0(t0)
        tb.Poke(unit.FetchPc, config.TaggedBase);
        tb.Poke(unit.FetchEnable, 1);
        tb.Step();
        tb.Poke(unit.FetchEnable, 0);

        Enter(tb, unit, word, load: true);
        Assert.That(Check(tb, unit), Is.EqualTo(((ulong)WordTag, 0UL)), "the word's tag in the cycle after its read, no wait");
        tb.Poke(unit.FetchEnable, 1);
        tb.Poke(unit.FetchPc, config.TaggedBase + 0x40);
        tb.Step(3);
        tb.Poke(unit.FetchEnable, 0);
        Assert.That(Check(tb, unit), Is.EqualTo(((ulong)WordTag, 0UL)), "the word's tag kept while the port reads others");

        Enter(tb, unit, word, load: false);
        Assert.That(Check(tb, unit), Is.EqualTo((0UL, 0UL)), "no load or store: 0 at once, after a load that left its tag");

        // A load outside the tagged memory: its tag after a cycle's wait, and a tag the PEX writes meanwhile after one more.
        void WaitsForItsTag(uint address, Signal write, Signal tag, ulong first, ulong second, string what)
        {
            Enter(tb, unit, address, load: true);
            Assert.That(Check(tb, unit).Wait, Is.EqualTo(1), $"a load of {what} waits a cycle for its tag");
            tb.Step();
            Assert.That(Check(tb, unit), Is.EqualTo((first, 0UL)), $"the tag of {what}");
            tb.Poke(tag, second);
            tb.Poke(write, 1);
            tb.Step();
            tb.Poke(write, 0);
            Assert.That(Check(tb, unit).Wait, Is.EqualTo(1), $"a tag of {what} written while the load waits: one cycle more");
            tb.Step();
            Assert.That(Check(tb, unit), Is.EqualTo((second, 0UL)), $"the new tag of {what}");
        }

        WaitsForItsTag(device, unit.Pex.DeviceTagWrite, unit.Pex.DeviceTag, 0x1D, 0x2B, "a device");
        WaitsForItsTag(callPort, unit.Pex.CallResultTagWrite, unit.Pex.CallResultTag, 0x33, 0x21, "the call port");

        Enter(tb, unit, callPort, load: false);
        Assert.That(Check(tb, unit), Is.EqualTo((0UL, 0UL)), "no load or store after a device's: 0 at once");
    }
}
