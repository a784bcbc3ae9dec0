using HwGen.Designs.Soc;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Pex;

/// <summary>
/// A device that holds its response (<see cref="DevicePort.Wait"/>), cycle by cycle on Verilator: the response waits
/// while the device waits and comes in the first cycle it does not, no new request is taken meanwhile, and a
/// device's Wait without an access of its own holds nothing.
/// </summary>
[TestFixture]
public sealed class InterconnectWaitTests
{
    private static readonly MemoryMap s_map = new([
        MemoryRegion.Ram(MemoryMap.RamName, 0x8000_0000, 0x1000, "memory"),
        MemoryRegion.Device("SLOW", 0x3000_0000, 0x1000, "a device that takes its time", AccessWidths.Word),
    ]);

    [Test]
    public void TheResponseWaitsForTheDevice()
    {
        var ic = new Interconnect(s_map, waitingRegions: ["SLOW"]);
        using var tb = Bench.Create(ic);
        var bus = ic.Data;
        var slow = ic.Port("SLOW");
        var ram = ic.Port(MemoryMap.RamName);
        tb.Reset(2);
        tb.Poke(ic.Instr.Valid, 0);
        tb.Poke(bus.ByteEnable, 0b1111);

        // A word read of the device: taken at once.
        tb.Poke(bus.Valid, 1);
        tb.Poke(bus.Address, 0x3000_0004);
        tb.Poke(bus.Write, 0);
        Assert.That((tb.Peek(bus.Ready), tb.Peek(slow.Select), tb.Peek(slow.Offset)), Is.EqualTo((1UL, 1UL, 4UL)), "the read is taken");
        tb.Step();

        // The device waits two cycles; a request presented meanwhile is not taken.
        tb.Poke(slow.Wait!, 1);
        tb.Poke(bus.Address, 0x8000_0000);
        for (int i = 0; i < 2; i++)
        {
            Assert.That((tb.Peek(bus.ResponseValid), tb.Peek(bus.Ready), tb.Peek(ram.Select)), Is.EqualTo((0UL, 0UL, 0UL)), $"waiting, cycle {i}");
            tb.Step();
        }
        tb.Poke(bus.Valid, 0);

        // It answers: the response and its word in the same cycle.
        tb.Poke(slow.Wait!, 0);
        tb.Poke(slow.ReadData, 0x1234_5678);
        Assert.That((tb.Peek(bus.ResponseValid), tb.Peek(bus.ReadData), tb.Peek(bus.Error), tb.Peek(bus.Ready)), Is.EqualTo((1UL, 0x1234_5678UL, 0UL, 1UL)), "the response");
        tb.Step();
        Assert.That(tb.Peek(bus.ResponseValid), Is.Zero, "one response");

        // The device's Wait without an access of its own holds nothing: a RAM read answers in the next cycle.
        tb.Poke(slow.Wait!, 1);
        tb.Poke(bus.Valid, 1);
        Assert.That((tb.Peek(bus.Ready), tb.Peek(ram.Select)), Is.EqualTo((1UL, 1UL)), "the RAM read is taken");
        tb.Step();
        tb.Poke(bus.Valid, 0);
        tb.Poke(ram.ReadData, 0xCAFE_F00D);
        Assert.That((tb.Peek(bus.ResponseValid), tb.Peek(bus.ReadData)), Is.EqualTo((1UL, 0xCAFE_F00DUL)), "the RAM's response, not held");
        tb.Step();

        // A write to the device waits too, and the device answers at once when it does not wait.
        tb.Poke(slow.Wait!, 0);
        tb.Poke(bus.Valid, 1);
        tb.Poke(bus.Write, 1);
        tb.Poke(bus.Address, 0x3000_0008);
        tb.Step();
        tb.Poke(bus.Valid, 0);
        tb.Poke(slow.Wait!, 1);
        Assert.That(tb.Peek(bus.ResponseValid), Is.Zero, "the write waits");
        tb.Step();
        tb.Poke(slow.Wait!, 0);
        Assert.That((tb.Peek(bus.ResponseValid), tb.Peek(bus.Error)), Is.EqualTo((1UL, 0UL)), "the write's response");
    }

    /// <summary>
    /// A memory that takes two cycles (the PEX's RAM in one SPRAM block), fetched from through the port it shares with
    /// data: a fetch's response waits like a load's; while either waits, the port takes no access from the other master
    /// (both Ready 0, no Select), and the held master's request is answered once.
    /// </summary>
    [Test]
    public void AnExecutableWaitingMemoryHoldsFetchesAndLoadsAndTakesOneAtATime()
    {
        var ic = new Interconnect(s_map, waitingRegions: [MemoryMap.RamName, "SLOW"]);
        using var tb = Bench.Create(ic);
        var data = ic.Data;
        var instr = ic.Instr;
        var ram = ic.Port(MemoryMap.RamName);
        tb.Reset(2);
        tb.Poke(data.Valid, 0);
        tb.Poke(data.ByteEnable, 0b1111);
        tb.Poke(instr.ByteEnable, 0b1111);
        tb.Poke(instr.Write, 0);

        // A fetch: taken, then held for a cycle; a load meanwhile is not taken and selects nothing.
        tb.Poke(instr.Valid, 1);
        tb.Poke(instr.Address, 0x8000_0010);
        Assert.That((tb.Peek(instr.Ready), tb.Peek(ram.Select), tb.Peek(ram.Offset)), Is.EqualTo((1UL, 1UL, 0x10UL)), "the fetch is taken");
        tb.Step();
        tb.Poke(ram.Wait!, 1);
        tb.Poke(instr.Address, 0x8000_0014);
        tb.Poke(data.Valid, 1);
        tb.Poke(data.Write, 0);
        tb.Poke(data.Address, 0x8000_0100);
        Assert.That((tb.Peek(instr.ResponseValid), tb.Peek(instr.Ready), tb.Peek(data.Ready), tb.Peek(ram.Select)), Is.EqualTo((0UL, 0UL, 0UL, 0UL)),
            "the fetch waits: nothing else is taken");
        tb.Step();

        // The memory answers the fetch; in the same cycle the load takes the port (data first) and the next fetch waits.
        tb.Poke(ram.Wait!, 0);
        tb.Poke(ram.ReadData, 0x0000_0013);
        Assert.That((tb.Peek(instr.ResponseValid), tb.Peek(instr.ReadData), tb.Peek(instr.Error)), Is.EqualTo((1UL, 0x13UL, 0UL)), "the fetch's word");
        Assert.That((tb.Peek(data.Ready), tb.Peek(ram.Select), tb.Peek(ram.Offset), tb.Peek(instr.Ready)), Is.EqualTo((1UL, 1UL, 0x100UL, 0UL)), "the load is taken, the fetch waits for the port");
        tb.Step();
        tb.Poke(data.Valid, 0);

        // The load is held: the fetch is not taken, and selects nothing.
        tb.Poke(ram.Wait!, 1);
        Assert.That((tb.Peek(data.ResponseValid), tb.Peek(instr.Ready), tb.Peek(instr.ResponseValid), tb.Peek(ram.Select)), Is.EqualTo((0UL, 0UL, 0UL, 0UL)), "the load waits, and so does the fetch");
        tb.Step();
        tb.Poke(ram.Wait!, 0);
        tb.Poke(ram.ReadData, 0xCAFE_F00D);
        Assert.That((tb.Peek(data.ResponseValid), tb.Peek(data.ReadData), tb.Peek(instr.ResponseValid)), Is.EqualTo((1UL, 0xCAFE_F00DUL, 0UL)), "the load's word, no fetch response");
        Assert.That((tb.Peek(instr.Ready), tb.Peek(ram.Select), tb.Peek(ram.Offset)), Is.EqualTo((1UL, 1UL, 0x14UL)), "now the fetch is taken");
        tb.Step();
        tb.Poke(instr.Valid, 0);
        tb.Poke(ram.ReadData, 0x0000_0073);
        Assert.That((tb.Peek(instr.ResponseValid), tb.Peek(instr.ReadData), tb.Peek(data.ResponseValid)), Is.EqualTo((1UL, 0x73UL, 0UL)), "answered at once when the memory does not wait");
        tb.Step();
        Assert.That((tb.Peek(instr.ResponseValid), tb.Peek(data.ResponseValid)), Is.EqualTo((0UL, 0UL)), "one response each");
    }

    [Test]
    public void AWaitingRegionMustBeADeviceOfTheMap()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new Interconnect(s_map, waitingRegions: ["GPIO"]),
                Throws.ArgumentException.With.Message.Contains("a waiting device for GPIO, which the map does not have (its regions: SLOW, RAM)"));
            Assert.That(() => new Interconnect(s_map, separateFetchPorts: [MemoryMap.RamName], waitingRegions: [MemoryMap.RamName]),
                Throws.ArgumentException.With.Message.Contains("a waiting device for RAM, which has a separate fetch port"));
            Assert.That(new Interconnect(s_map, waitingRegions: ["SLOW"]).Decoded, Does.Contain("SLOW 0x30000000+0x1000 rw-w wait"));
            Assert.That(new Interconnect(s_map).Port("SLOW").Wait, Is.Null, "no Wait unless named");
        });
    }
}
