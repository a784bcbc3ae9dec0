using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Model;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Pex;

/// <summary>
/// The tagged system on Verilator, the PEX running tests/pex/serve.S (every rule allowed, calls answered with
/// ARG0 + ARG1 and tag 0x77): the AP is held until the PEX releases it, and a call through the call port makes the
/// AP's store to OP wait for the PEX, hands over the caller's tag, and gives the result with its tag; ARG0 and ARG1
/// read back, the result replaces ARG0, OP and the words after RESULT read 0.
/// </summary>
[TestFixture]
public sealed class TaggedSocTests
{
    private const uint CallerTag = 0x0005;

    private const string ApProgram = """
            li s1, PEXCALL_BASE
            li t0, 0x80003000
            sw t0, 4(s1)
            li t0, 64
            sw t0, 8(s1)
            lw a1, 4(s1)
            li t1, 0x80003000
            bne a1, t1, 2f
            li t0, 1
        callsite:
            sw t0, 0(s1)
            lw a0, 12(s1)
            li t1, 0x80003040
            bne a0, t1, 1f
            lw a2, 8(s1)
            li t1, 64
            bne a2, t1, 3f
            lw a3, 0(s1)
            bnez a3, 4f
            lw a4, 16(s1)
            bnez a4, 4f
            lw a5, 12(s1)
            bne a5, a0, 5f
            lw a6, 4(s1)
            bne a6, a0, 6f
            EXIT 0
        1:  EXIT 1
        2:  EXIT 2
        3:  EXIT 3
        4:  EXIT 4
        5:  EXIT 5
        6:  EXIT 6
        """;

    [Test]
    public void TheApWaitsForThePexThenCallsIt()
    {
        var map = MemoryMap.Ice40Up5k;
        var soc = new TaggedSoc(map);
        var ap = ElfImage.Load(TestPrograms.Assemble(ApProgram), map);
        var pex = PexPrograms.Build("serve.S");
        Assert.That(ap.TryGetSymbol("callsite", out uint callsite) && ap.Tohost is not null, "the AP program's symbols");
        using var tb = Bench.Create(soc);

        // Load both RAMs and the tag of the call's store while the system is held in reset.
        Load(tb, soc.Loader.Valid, soc.Loader.Address, soc.Loader.Data, ap, map.RamBase);
        Load(tb, soc.PexLoader.Valid, soc.PexLoader.Address, soc.PexLoader.Data, pex, PexMemoryMap.RamBase);
        tb.Poke(soc.TagLoader.Valid, 1);
        tb.Poke(soc.TagLoader.Index, (callsite - map.RamBase) / 4);
        tb.Poke(soc.TagLoader.Tag, CallerTag);
        tb.Reset(1);
        tb.Poke(soc.TagLoader.Valid, 0);
        tb.Reset(2);

        var trace = soc.Trace;
        ulong? released = null, lookupsAtRelease = null;
        int retiredWhileHeld = 0;
        (uint Value, uint Tag)? result = null;
        uint? exit = null;
        for (ulong cycle = 0; cycle < 20_000 && exit is null; cycle++)
        {
            bool held = tb.Peek(soc.ApHeld) == 1;
            if (!held && released is null)
            {
                released = cycle;
                lookupsAtRelease = tb.Peek(soc.RuleCacheLookups) + tb.Peek(soc.RuleCacheMisses);
            }
            if (tb.Peek(trace.Valid) == 1)
            {
                if (held)
                    retiredWhileHeld++;
                uint pc = (uint)tb.Peek(trace.PcRdata);
                if (pc == callsite + 4)
                    result = ((uint)tb.Peek(trace.RdWdata), (uint)tb.Peek(trace[TagTraceFields.RdTag]));
                if (tb.Peek(trace.MemWmask) != 0 && (uint)tb.Peek(trace.MemAddr) == ap.Tohost)
                    exit = (uint)tb.Peek(trace.MemWdata);
            }
            tb.Step();
        }

        Assert.That(pex.TryGetSymbol("results", out uint results));
        uint R(int n) => (uint)tb.ReadMemory(soc.Pex.Ram!, (int)((results - PexMemoryMap.RamBase) / 4) + n);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1u), "the AP program passes (tohost 3: RESULT is not ARG0 + ARG1 after the call; 5: ARG0 does not read back; "
                + "7: ARG1 does not read back after the call; 9: OP or the word after RESULT does not read 0; 11: RESULT does not read again; "
                + "13: ARG0 does not read the result after the call)");
            Assert.That(released, Is.GreaterThan(200), "the PEX releases the AP after its delay loop");
            Assert.That(retiredWhileHeld, Is.Zero, "nothing retires while the AP is held");
            Assert.That(lookupsAtRelease, Is.Zero, "nothing reaches the rule check while the AP is held");
            Assert.That(R(4), Is.Zero, "STATUS just before the release: no miss of the AP's, no call");
            Assert.That(result, Is.EqualTo((0x8000_3040u, 0x77u)), "the load of RESULT: the result, its tag the call result tag");
            Assert.That(R(3), Is.EqualTo(1u), "one call served");
            Assert.That(R(1), Is.EqualTo(CallerTag), "the caller's tag: the tag of the store to OP");
            Assert.That(R(2), Is.EqualTo(1u), "the call's op");
            Assert.That(R(0), Is.GreaterThan(0u), "misses served by the PEX");
            Assert.That(tb.Peek(soc.RuleCacheMisses), Is.EqualTo((ulong)R(0)), "the rule cache's misses, as the PEX served them");
            Assert.That(tb.Peek(soc.DenyInfo), Is.Zero, "no denial");
        });
    }

    /// <summary>Writes <paramref name="image"/>'s words through a loader port, one per reset cycle.</summary>
    private static void Load(Bench tb, Signal valid, Signal address, Signal data, ElfImage image, uint ramBase)
    {
        tb.Poke(valid, 1);
        foreach (var segment in image.Segments)
        {
            for (int offset = 0; offset < segment.Data.Length; offset += 4)
            {
                uint word = 0;
                for (int b = 0; b < 4 && offset + b < segment.Data.Length; b++)
                    word |= (uint)segment.Data[offset + b] << (8 * b);
                tb.Poke(address, (segment.Address + (uint)offset - ramBase) >> 2);
                tb.Poke(data, word);
                tb.Reset(1);
            }
        }
        tb.Poke(valid, 0);
    }
}
