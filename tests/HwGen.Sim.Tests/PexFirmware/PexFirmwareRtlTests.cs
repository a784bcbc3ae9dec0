using HwGen.Designs.Pex;
using HwGen.Designs.Tags;
using HwGen.Firmware;
using HwGen.Sim.Policy;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;
using PexFirmwareBuilder = HwGen.Firmware.Pex.PexFirmware;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The PEX firmware on the PEX's RTL (the PEX system on Verilator), the test playing the tag unit and the call port
/// through the PEX port: random misses and calls answered as the C# composite answers them, and the PEX cycles per
/// miss, from the cycle the miss is raised to the cycle of RESOLVE.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PexFirmwareRtlTests
{
    private const int Misses = 400;
    private const ulong CycleLimit = 2_000_000;

    [TestCase("none")]
    [TestCase("nxd-nwc+ret+heap+cfi+taint")]
    public void FirmwareOnThePexRtlAnswersAsTheComposite(string spec)
    {
        if (!RiscvToolchain.IsInstalled)
            Assert.Ignore("riscv64-unknown-elf-gcc is not installed");
        var composite = Composite.Parse(spec);
        var tags = PexFirmwareEquivalenceTests.s_tags;
        var rng = new Random(11);
        var imageSets = PexFirmwareEquivalenceTests.RandomSets(rng, 60);
        var firmware = PexFirmwareBuilder.Build(composite, PexMemoryMap.Default, imageSets, tags,
            new HwGen.Firmware.Pex.PexFirmwareOptions { CacheDirectory = PexFirmwareEquivalenceTests.TestCache });
        var reference = new ReferencePex(composite, imageSets, tags);

        var soc = new PexSoc(tags);
        using var tb = Bench.Create(soc);
        var words = firmware.Words.Select(w => (ulong)w).ToArray();
        tb.LoadMemory(soc.Ram!, 0, words);
        tb.Reset(2);
        var driver = new Driver(tb, soc);

        driver.RunUntil(() => tb.Peek(soc.ApReset) == 0, "release the AP");
        Assert.That(driver.TableWrites, Is.EqualTo(
            Enum.GetValues<Opgroup>().Select(o => ("CARE", ((uint)o << 8) | (uint)composite.CareMask(o))).Append(("DEVICE_TAG", (uint)reference.DeviceTag))),
            "the start-up's table writes");

        ulong cycles = 0;
        for (int i = 0; i < Misses; i++)
        {
            if (rng.Next(10) == 0)
            {
                var call = new CallInput((uint)rng.Next(1, 4), tags.TaggedBase + (uint)rng.Next(0, 512) * 4, (uint)rng.Next(0, 64), (uint)rng.Next(reference.Interner.Count + 1));
                var expectedCall = reference.Call(call);
                Assert.That(driver.Serve(call), Is.EqualTo(expectedCall), $"call {call}");
            }
            var opgroup = (Opgroup)rng.Next(Opgroups.Count);
            int care = composite.CareMask(opgroup);
            uint Field(TagField f) => (care & (1 << (int)f)) == 0 ? 0 : (uint)rng.Next(reference.Interner.Count + 1);
            var miss = new MissInput((int)opgroup, Field(TagField.Pc), Field(TagField.Ci), Field(TagField.Rs1), Field(TagField.Rs2), Field(TagField.Mem));
            var expected = reference.Resolve(miss);
            var (actual, cost) = driver.Serve(miss);
            cycles += cost;
            if (expected.Resolve == PexMemoryMap.ResolveAllow)
                Assert.That(actual, Is.EqualTo(expected with { DenyInfo = actual.DenyInfo }), $"miss {i}: {miss}");
            else
                Assert.That((actual.Resolve, actual.DenyInfo), Is.EqualTo((expected.Resolve, expected.DenyInfo)), $"miss {i}: {miss}");
        }
        Assert.That(driver.TagMemory, Is.EquivalentTo(reference.TagMemory), "the tags the calls wrote");
        TestContext.Progress.WriteLine($"PEX firmware {spec} on the PEX RTL: {(double)cycles / Misses:F1} cycles per miss (mean of {Misses}, from the miss raised to RESOLVE)");
    }

    /// <summary>The tag unit and the call port, cycle by cycle, as the PEX port and call link show them.</summary>
    private sealed class Driver(Bench tb, PexSoc soc)
    {
        private readonly PexPort _p = soc.Tags;
        private uint _callResultTag;
        private bool _tagDone;

        public List<(string Register, uint Value)> TableWrites { get; } = [];

        public Dictionary<uint, uint> TagMemory { get; } = [];

        public MissResolution? Resolution { get; private set; }

        public CallCompletion? Completion { get; private set; }

        public (MissResolution Resolution, ulong Cycles) Serve(MissInput miss)
        {
            tb.Poke(_p.MissOpgroup, (ulong)miss.Opgroup);
            tb.Poke(_p.MissPcTag, miss.PcTag);
            tb.Poke(_p.MissCiTag, miss.CiTag);
            tb.Poke(_p.MissRs1Tag, miss.Rs1Tag);
            tb.Poke(_p.MissRs2Tag, miss.Rs2Tag);
            tb.Poke(_p.MissMemTag, miss.MemTag);
            tb.Poke(_p.MissPc, miss.Pc);
            tb.Poke(_p.MissInsn, miss.Insn);
            tb.Poke(_p.MissAddress, miss.Address);
            tb.Poke(_p.MissValid, 1);
            Resolution = null;
            ulong cycles = RunUntil(() => Resolution is not null, $"resolve {miss}");
            Lowered();
            return (Resolution!.Value, cycles);
        }

        public CallCompletion Serve(CallInput call)
        {
            var link = soc.Call;
            tb.Poke(link.Op, call.Op);
            tb.Poke(link.Arg0, call.Arg0);
            tb.Poke(link.Arg1, call.Arg1);
            tb.Poke(link.CallerTag, call.CallerTag);
            tb.Poke(link.Valid, 1);
            Completion = null;
            RunUntil(() => Completion is not null, $"complete {call}");
            Lowered();
            return Completion!.Value;
        }

        /// <summary>One cycle with the miss or call lowered, as the tag unit and the call port lower them once answered.</summary>
        private void Lowered()
        {
            tb.Step();
            Observe();
        }

        /// <summary>Steps until <paramref name="done"/>; the cycles it took.</summary>
        public ulong RunUntil(Func<bool> done, string what)
        {
            for (ulong cycle = 0; cycle < CycleLimit; cycle++)
            {
                tb.Step();
                Observe();
                if (done())
                    return cycle + 1;
            }
            Assert.Fail($"the PEX did not {what} within {CycleLimit} cycles");
            return 0;
        }

        private void Observe()
        {
            if (tb.Peek(_p.Resolve) == 1)
            {
                bool allow = tb.Peek(_p.Allow) == 1;
                Resolution = new MissResolution(allow ? PexMemoryMap.ResolveAllow : PexMemoryMap.ResolveDeny,
                    (uint)tb.Peek(_p.ResultPcTag), (uint)tb.Peek(_p.ResultTag), (uint)tb.Peek(soc.DenyInfo));
                tb.Poke(_p.MissValid, 0);
            }
            if (tb.Peek(_p.OpgroupWrite) == 1)
                TableWrites.Add(("OPGROUP", (uint)(tb.Peek(_p.OpgroupIndex) << 4 | tb.Peek(_p.OpgroupValue))));
            if (tb.Peek(_p.CareWrite) == 1)
                TableWrites.Add(("CARE", (uint)(tb.Peek(_p.CareOpgroup) << 8 | tb.Peek(_p.CareMask))));
            if (tb.Peek(_p.DeviceTagWrite) == 1)
                TableWrites.Add(("DEVICE_TAG", (uint)tb.Peek(_p.DeviceTag)));
            if (tb.Peek(_p.CallResultTagWrite) == 1)
                _callResultTag = (uint)tb.Peek(_p.CallResultTag);
            if (tb.Peek(soc.Call.Done) == 1)
            {
                Completion = new CallCompletion((uint)tb.Peek(soc.Call.Result), _callResultTag);
                tb.Poke(soc.Call.Valid, 0);
            }
            // Tag memory: each request answered in the cycle after it is seen.
            if (_tagDone)
            {
                tb.Poke(_p.TagDone, 0);
                _tagDone = false;
            }
            else if (tb.Peek(_p.TagValid) == 1)
            {
                uint address = (uint)tb.Peek(_p.TagAddress);
                if (tb.Peek(_p.TagWrite) == 1)
                    TagMemory[address & ~3u] = (uint)tb.Peek(_p.TagWdata);
                tb.Poke(_p.TagRdata, TagMemory.GetValueOrDefault(address & ~3u));
                tb.Poke(_p.TagDone, 1);
                _tagDone = true;
            }
        }
    }
}
