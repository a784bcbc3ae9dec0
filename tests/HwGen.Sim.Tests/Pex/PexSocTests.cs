using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Pex;

/// <summary>
/// The PEX's system on Verilator: its core runs tests/pex/tagctl.S, which uses every register of the tag-control
/// device, while the test plays the tag unit (misses with known fields, tag memory answered after a delay, the
/// statistics) and the AP's call port, and checks what the program read and what reached the tag unit.
/// </summary>
[TestFixture]
public sealed class PexSocTests
{
    private static readonly TagConfig s_tags = TagConfig.ForMemoryMap(MemoryMap.Simulation);

    private sealed record Miss(uint Opgroup, uint PcTag, uint CiTag, uint Rs1Tag, uint Rs2Tag, uint MemTag, uint Pc, uint Insn, uint Address);

    /// <summary>A tag memory request: the word's index, and whether the address written to TAG_ADDR is in the tagged memory.</summary>
    private sealed record TagRequest(bool Write, uint Index, bool Inside, uint Data);

    private static TagRequest Request(bool write, uint address, uint data = 0) => new(write, s_tags.WordIndexOf(address), s_tags.Contains(address), data);

    private sealed record Resolution(bool Allow, uint PcTag, uint Tag);

    private sealed class Observed
    {
        public List<(uint Index, uint Value, uint Care)> Opgroups { get; } = [];
        public List<uint> DeviceTags { get; } = [];
        public List<uint> CallResultTags { get; } = [];
        public int Flushes { get; set; }
        public List<Resolution> Resolutions { get; } = [];
        public List<TagRequest> TagRequests { get; } = [];
        public List<uint> CallResults { get; } = [];
        public List<byte> Console { get; } = [];
        /// <summary>The cycles at which the tag unit answered a tag request, with AP_CONTROL's reset bit then.</summary>
        public List<bool> ApResetAtTagDone { get; } = [];
        public ulong? Released { get; set; }
        public uint CallResultTagAtDone { get; set; }
    }

    private static readonly Miss s_first = new(3, 0x0101, 0x0202, 0x0303, 0x0404, 0x0505, 0x8000_1234, 0x00B5_2023, 0x8000_2000);
    private static readonly Miss s_second = new(2, 0x0011, 0x0022, 0x0033, 0, 0x0044, 0x8000_1238, 0x0005_2503, 0x8000_2004);

    [Test]
    public void TheFirmwareUsesEveryTagControlRegister()
    {
        var soc = new PexSoc(s_tags);
        var image = PexPrograms.Build("tagctl.S");
        using var tb = Bench.Create(soc);
        foreach (var (index, words) in PexPrograms.RamWords(image))
            tb.LoadMemory(soc.Ram!, index, words);
        var p = soc.Tags;
        tb.Poke(p.Lookups, 1001);
        tb.Poke(p.Hits, 1002);
        tb.Poke(p.Misses, 1003);
        tb.Poke(p.Evictions, 1004);
        tb.Poke(p.MissCycles, 1005);
        tb.Reset(2);

        var seen = Run(tb, soc);

        Assert.That(image.TryGetSymbol("results", out uint results), "the program's results symbol");
        uint R(int n) => (uint)tb.ReadMemory(soc.Ram!, (int)((results - PexMemoryMap.RamBase) / 4) + n);
        Assert.Multiple(() =>
        {
            Assert.That(R(30), Is.EqualTo(1u), "the program ran to its end");
            Assert.That(R(0), Is.EqualTo(1u), "AP_CONTROL reads 1 after reset");
            Assert.That(R(1), Is.EqualTo(0u), "STATUS: nothing pending at first");
            Assert.That(R(2), Is.EqualTo(0x1357u), "TAG_DATA read: the tag unit's answer, after its delay");
            Assert.That(R(3), Is.EqualTo(0xBEEFu), "TAG_DATA read of the word written (tag width 16)");
            Assert.That(R(4), Is.EqualTo(0u), "AP_CONTROL after the release");
            Assert.That(R(5), Is.EqualTo(1u), "STATUS: a miss");
            Assert.That(Enumerable.Range(6, 9).Select(R), Is.EqualTo(new[]
            {
                s_first.Opgroup, s_first.PcTag, s_first.CiTag, s_first.Rs1Tag, s_first.Rs2Tag, s_first.MemTag, s_first.Pc, s_first.Insn, s_first.Address,
            }), "MISS_OPGROUP .. MISS_ADDR");
            Assert.That(R(15), Is.EqualTo(1u), "STATUS after a write to another register: still the miss");
            Assert.That(R(16), Is.EqualTo(0u), "STATUS right after ALLOW: answered");
            Assert.That(R(17), Is.EqualTo(s_second.Pc), "the second miss's pc");
            Assert.That(R(18), Is.Zero, "STATUS right after DENY: answered");
            Assert.That(Enumerable.Range(19, 5).Select(R), Is.EqualTo(new uint[] { 1001, 1002, 1003, 1004, 1005 }), "LOOKUPS .. MISS_CYCLES");
            Assert.That(R(24), Is.EqualTo(2u), "STATUS: a call");
            Assert.That(Enumerable.Range(25, 4).Select(R), Is.EqualTo(new uint[] { 1, 0x8000_3000, 64, 0x0033 }), "CALL_OP .. CALL_CALLER_TAG");
            Assert.That(R(29), Is.EqualTo(0u), "STATUS right after CALL_RESULT: answered");

            Assert.That(seen.Opgroups, Is.EqualTo(new[] { (0x123u, 5u, 0x15u) }), "OPGROUP: one table write, with its care mask");
            Assert.That(seen.DeviceTags, Is.EqualTo(new[] { 0xA5A5u }), "DEVICE_TAG");
            Assert.That(seen.Flushes, Is.EqualTo(1), "FLUSH: one pulse");
            Assert.That(seen.TagRequests, Is.EqualTo(new[]
            {
                Request(true, 0x8000_0040, 0xBEEF), Request(false, 0x8000_0044), Request(false, 0x8000_0040),
                new TagRequest(true, s_tags.WordIndexOf(0x7FFF_FFFC), false, 0x1111), new TagRequest(true, 0, false, 0x2222),
                new TagRequest(true, s_tags.WordIndexOf(0x803F_FFFC), true, 0x3333),
            }), "the tag memory requests");
            Assert.That(seen.ApResetAtTagDone, Is.All.True, "the AP is held in reset until the firmware releases it");
            Assert.That(seen.Released, Is.Not.Null, "the AP was released");
            Assert.That(seen.Resolutions, Is.EqualTo(new[]
            {
                new Resolution(true, s_first.PcTag + 1, s_first.Rs1Tag ^ s_first.Rs2Tag), new Resolution(false, 0, 0),
            }), "ALLOW with its word's PC tag and result tag, then DENY; no answer from another register's write");
            Assert.That(tb.Peek(soc.DenyInfo), Is.EqualTo(0x0002_0007u), "DENY's word is exported");
            Assert.That(seen.CallResultTags, Is.EqualTo(new[] { 0x5A5Au }), "CALL_RESULT_TAG");
            Assert.That(seen.CallResults, Is.EqualTo(new[] { 0x8000_3040u }), "CALL_RESULT completes the call with ARG0 + ARG1");
            Assert.That(seen.CallResultTagAtDone, Is.EqualTo(0x5A5Au), "the result tag is set before the call completes");
            Assert.That(seen.Console, Is.EqualTo("P"u8.ToArray()), "the console");
        });
    }

    /// <summary>Plays the tag unit and the call port cycle by cycle until the program is done.</summary>
    private static Observed Run(Bench tb, PexSoc soc)
    {
        var p = soc.Tags;
        var call = soc.Call;
        var seen = new Observed();
        var tagMemory = new Dictionary<uint, uint> { [s_tags.WordIndexOf(0x8000_0044)] = 0x1357 };
        int[] delays = [1, 7, 3];
        int countdown = -1;
        TagRequest? request = null;
        bool missUp = false, callUp = false, tagDone = false;
        uint callResultTag = 0;
        int misses = 0;
        ulong quietSince = 0, consoleAt = 0;
        for (ulong cycle = 0; cycle < 50_000; cycle++)
        {
            // What the PEX did in the cycle before.
            if (tb.Peek(p.Resolve) == 1)
            {
                Assert.That(missUp, $"cycle {cycle}: an answer without a miss");
                // The output tags count with an allow alone (the tag unit installs them in this cycle).
                bool allow = tb.Peek(p.Allow) == 1;
                seen.Resolutions.Add(new Resolution(allow, allow ? (uint)tb.Peek(p.ResultPcTag) : 0, allow ? (uint)tb.Peek(p.ResultTag) : 0));
                missUp = false;
                tb.Poke(p.MissValid, 0);
                quietSince = cycle;
            }
            if (tb.Peek(p.OpgroupWrite) == 1)
                seen.Opgroups.Add(((uint)tb.Peek(p.OpgroupIndex), (uint)tb.Peek(p.OpgroupValue), (uint)tb.Peek(p.OpgroupCare)));
            if (tb.Peek(p.DeviceTagWrite) == 1)
                seen.DeviceTags.Add((uint)tb.Peek(p.DeviceTag));
            if (tb.Peek(p.CallResultTagWrite) == 1)
            {
                callResultTag = (uint)tb.Peek(p.CallResultTag);
                seen.CallResultTags.Add(callResultTag);
            }
            if (tb.Peek(p.Flush) == 1)
                seen.Flushes++;
            if (tb.Peek(call.Done) == 1)
            {
                Assert.That(callUp, $"cycle {cycle}: a call completed without one pending");
                seen.CallResults.Add((uint)tb.Peek(call.Result));
                seen.CallResultTagAtDone = callResultTag;
                callUp = false;
                tb.Poke(call.Valid, 0);
            }
            if (tb.Peek(soc.ConsoleValid) == 1)
            {
                seen.Console.Add((byte)tb.Peek(soc.ConsoleData));
                consoleAt = cycle;
            }
            if (seen.Released is null && tb.Peek(soc.ApReset) == 0)
            {
                seen.Released = cycle;
                quietSince = cycle;
            }

            // Tag memory: a request is held until it is answered, after a delay.
            if (tagDone)
            {
                tb.Poke(p.TagDone, 0);
                tagDone = false;
            }
            else if (tb.Peek(p.TagValid) == 1)
            {
                var now = new TagRequest(tb.Peek(p.TagWrite) == 1, (uint)tb.Peek(p.TagIndex), tb.Peek(p.TagInside) == 1, tb.Peek(p.TagWrite) == 1 ? (uint)tb.Peek(p.TagWdata) : 0);
                if (request is null)
                {
                    request = now;
                    seen.TagRequests.Add(now);
                    countdown = delays[(seen.TagRequests.Count - 1) % delays.Length];
                }
                Assert.That(now, Is.EqualTo(request), $"cycle {cycle}: the tag request changed before it was answered");
                if (--countdown == 0)
                {
                    if (request.Write && request.Inside)
                        tagMemory[request.Index] = request.Data;
                    tb.Poke(p.TagRdata, request.Write || !request.Inside ? 0 : tagMemory.GetValueOrDefault(request.Index));
                    tb.Poke(p.TagDone, 1);
                    seen.ApResetAtTagDone.Add(tb.Peek(soc.ApReset) == 1);
                    tagDone = true;
                    request = null;
                }
            }

            // Misses, then a call, each a while after the one before was answered (and the AP released).
            if (seen.Released is not null && !missUp && !callUp && cycle == quietSince + 20)
            {
                if (misses < 2)
                {
                    Raise(tb, p, misses == 0 ? s_first : s_second);
                    missUp = true;
                    misses++;
                }
                else if (seen.CallResults.Count == 0)
                {
                    tb.Poke(call.CallerTag, 0x0033);
                    tb.Poke(call.Valid, 1);
                    callUp = true;
                }
            }
            if (seen.Console.Count > 0 && cycle > consoleAt + 50)
                return seen;
            // The call port's registers, named by the PEX in the cycle of its read, their word in the next (0 when no
            // call is pending).
            int named = (tb.Peek(call.ReadOp) == 1 ? 1 : 0) + (tb.Peek(call.ReadArg0) == 1 ? 2 : 0) + (tb.Peek(call.ReadArg1) == 1 ? 4 : 0);
            Assert.That(named, Is.AnyOf(0, 1, 2, 4), $"cycle {cycle}: the PEX names one call register at a time");
            uint word = !callUp ? 0u : named switch { 1 => 1u, 2 => 0x8000_3000u, 4 => 64u, _ => 0u };
            tb.Step();
            tb.Poke(call.Word, word);
        }
        Assert.Fail("the program did not finish within 50,000 cycles");
        return seen;
    }

    private static void Raise(Bench tb, PexPort p, Miss miss)
    {
        tb.Poke(p.MissOpgroup, miss.Opgroup);
        tb.Poke(p.MissPcTag, miss.PcTag);
        tb.Poke(p.MissCiTag, miss.CiTag);
        tb.Poke(p.MissRs1Tag, miss.Rs1Tag);
        tb.Poke(p.MissRs2Tag, miss.Rs2Tag);
        tb.Poke(p.MissMemTag, miss.MemTag);
        tb.Poke(p.MissPc, miss.Pc);
        tb.Poke(p.MissInsn, miss.Insn);
        tb.Poke(p.MissAddress, miss.Address);
        tb.Poke(p.MissValid, 1);
    }
}
