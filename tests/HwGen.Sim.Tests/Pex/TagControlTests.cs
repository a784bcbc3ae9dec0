using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Pex;

/// <summary>
/// The tag-control device alone on Verilator, its bus side driven by the test: the miss report registers with and
/// without <see cref="TagControl.MissReport"/>, the statistics with and without <see cref="TagConfig.Statistics"/>, the
/// read data that is 0 but in the cycle of an answer, the table writes that leave in the cycle of the bus write, and the miss's answer and tag writes taken from the word the
/// core holds on the bus.
/// </summary>
[TestFixture]
public sealed class TagControlTests
{
    private static readonly TagConfig s_tags = TagConfig.ForMemoryMap(MemoryMap.Simulation);

    private static uint Offset(string register) => PexMemoryMap.TagControl().Register(register).Offset;

    /// <summary>The PEX reads a register: its word in the next cycle.</summary>
    private static uint ReadRegister(Bench tb, TagControl device, string register)
    {
        tb.Poke(device.Select, 1);
        tb.Poke(device.Write, 0);
        tb.Poke(device.Offset, Offset(register));
        tb.Step();
        tb.Poke(device.Select, 0);
        return (uint)tb.Peek(device.Rdata);
    }

    /// <summary>The PEX writes a register in one cycle; <paramref name="pulse"/>, which comes in the next, is 0 in it.</summary>
    private static void WriteRegister(Bench tb, TagControl device, string register, uint word, HwGen.Hdl.Signal pulse, string what)
    {
        tb.Poke(device.Select, 1);
        tb.Poke(device.Write, 1);
        tb.Poke(device.Offset, Offset(register));
        tb.Poke(device.Wdata, word);
        Assert.That(tb.Peek(pulse), Is.Zero, $"{register}: no {what} in the cycle of the write");
        tb.Step();
        tb.Poke(device.Select, 0);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheMissReportReadsTheMissOrZero(bool report)
    {
        var device = new TagControl(s_tags, missReport: report);
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var p = device.Tags;
        tb.Poke(p.MissValid, 1);
        tb.Poke(p.MissPcTag, 0x1234);
        tb.Poke(p.MissPc, 0x8000_0124);
        tb.Poke(p.MissInsn, 0x00B5_2023);
        tb.Poke(p.MissAddress, 0x8000_2000);

        uint Read(string register) => ReadRegister(tb, device, register);

        Assert.Multiple(() =>
        {
            Assert.That(Read("MISS_PC"), Is.EqualTo(report ? 0x8000_0124u : 0u), "MISS_PC");
            Assert.That(Read("MISS_INSN"), Is.EqualTo(report ? 0x00B5_2023u : 0u), "MISS_INSN");
            Assert.That(Read("MISS_ADDR"), Is.EqualTo(report ? 0x8000_2000u : 0u), "MISS_ADDR");
            Assert.That(Read("MISS_PC_TAG"), Is.EqualTo(0x1234u), "MISS_PC_TAG, whatever the report");
            Assert.That(Read("STATUS"), Is.EqualTo(1u), "STATUS: the miss");
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheStatisticsReadTheCountersOrZero(bool statistics)
    {
        var device = new TagControl(s_tags with { Statistics = statistics });
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var p = device.Tags;
        tb.Poke(p.Lookups, 1001);
        tb.Poke(p.Hits, 1002);
        tb.Poke(p.Misses, 1003);
        tb.Poke(p.Evictions, 1004);
        tb.Poke(p.MissCycles, 0x8000_1005);

        uint Read(string register) => ReadRegister(tb, device, register);

        var expected = statistics ? new[] { 1001u, 1002u, 1003u, 1004u, 0x8000_1005u } : new uint[5];
        Assert.That(new[] { "LOOKUPS", "HITS", "MISSES", "EVICTIONS", "MISS_CYCLES" }.Select(Read), Is.EqualTo(expected),
            statistics ? "the counters" : "no statistics: 0");
    }

    /// <summary>
    /// Every register that reads other than 0 reads its own source (distinct values in all of them), and the ones that read
    /// 0 in the configuration (the miss report, the statistics, the pending call's with no call, TAG_DATA without
    /// <see cref="TagControl.TagRead"/>) read 0: the read decode, from the few offset bits that tell the registers apart,
    /// confuses none of them.
    /// </summary>
    [TestCase(true, true, true)]
    [TestCase(false, false, false)]
    [TestCase(false, true, false)]
    public void EachRegisterReadsItsOwnSourceOrZero(bool report, bool statistics, bool tagRead)
    {
        var device = new TagControl(s_tags with { Statistics = statistics }, missReport: report, tagRead: tagRead);
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var p = device.Tags;
        ulong tagMask = (1ul << device.TagWidth) - 1;
        var sources = new (string Register, HwGen.Hdl.Signal Source, ulong Value, bool Reads)[]
        {
            ("MISS_OPGROUP", p.MissOpgroup, 0x9, true),
            ("MISS_PC_TAG", p.MissPcTag, 0x101 & tagMask, true),
            ("MISS_CI_TAG", p.MissCiTag, 0x202 & tagMask, true),
            ("MISS_RS1_TAG", p.MissRs1Tag, 0x304 & tagMask, true),
            ("MISS_RS2_TAG", p.MissRs2Tag, 0x048 & tagMask, true),
            ("MISS_MEM_TAG", p.MissMemTag, 0x190 & tagMask, true),
            ("CALL_CALLER_TAG", device.Call.CallerTag, 0x0A3 & tagMask, true),
            ("MISS_PC", p.MissPc, 0x8000_0124, report),
            ("MISS_INSN", p.MissInsn, 0x00B5_2023, report),
            ("MISS_ADDR", p.MissAddress, 0x8000_2000, report),
            ("LOOKUPS", p.Lookups, 1001, statistics),
            ("HITS", p.Hits, 1002, statistics),
            ("MISSES", p.Misses, 1003, statistics),
            ("EVICTIONS", p.Evictions, 1004, statistics),
            ("MISS_CYCLES", p.MissCycles, 0x8000_1005, statistics),
        };
        tb.Poke(p.MissValid, 1);
        foreach (var (_, source, value, _) in sources)
            tb.Poke(source, value);

        uint Read(string register) => ReadRegister(tb, device, register);

        Assert.Multiple(() =>
        {
            foreach (var (register, _, value, reads) in sources)
                Assert.That(Read(register), Is.EqualTo(reads ? value : 0ul), register);
            Assert.That(Read("STATUS"), Is.EqualTo(1u), "STATUS: the miss");
            Assert.That(Read("AP_CONTROL"), Is.EqualTo(1u), "AP_CONTROL: the AP held after reset");
            foreach (var register in new[] { "CALL_OP", "CALL_ARG0", "CALL_ARG1" })
                Assert.That(Read(register), Is.Zero, $"{register}: no call pending");
        });

        // TAG_DATA: the read waits for the tag memory, then gives its tag (without TagRead, 0).
        tb.Poke(device.Select, 1);
        tb.Poke(device.Write, 0);
        tb.Poke(device.Offset, Offset("TAG_DATA"));
        tb.Step();
        tb.Poke(device.Select, 0);
        Assert.That((tb.Peek(device.Wait), tb.Peek(device.Rdata)), Is.EqualTo((1ul, 0ul)), "TAG_DATA waits, reading 0");
        tb.Poke(p.TagRdata, 0x5A5 & tagMask);
        tb.Poke(p.TagDone, 1);
        tb.Step();
        tb.Poke(p.TagDone, 0);
        Assert.That((tb.Peek(device.Wait), tb.Peek(device.Rdata)), Is.EqualTo((0ul, tagRead ? 0x5A5 & tagMask : 0ul)),
            tagRead ? "the tag with the response" : "without TagRead: 0 with the response");
    }

    [Test]
    public void ReadDataIsZeroButInTheCycleOfTheAnswer()
    {
        var device = new TagControl(s_tags);
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var p = device.Tags;
        tb.Poke(p.MissValid, 1);
        tb.Poke(p.MissPcTag, 0x1234);

        Assert.That(ReadRegister(tb, device, "MISS_PC_TAG"), Is.EqualTo(0x1234u), "the word in the cycle after the read");
        tb.Step();
        Assert.That(tb.Peek(device.Rdata), Is.Zero, "0 in the cycle after the answer (a quiet device)");

        // TAG_DATA: 0 while the read waits for the tag memory, the tag in the cycle after it answers, then 0.
        tb.Poke(device.Select, 1);
        tb.Poke(device.Write, 0);
        tb.Poke(device.Offset, Offset("TAG_DATA"));
        tb.Step();
        tb.Poke(device.Select, 0);
        tb.Step();
        Assert.That((tb.Peek(device.Wait), tb.Peek(device.Rdata)), Is.EqualTo((1ul, 0ul)), "waiting: 0");
        tb.Poke(p.TagRdata, 0x5A5A);
        tb.Poke(p.TagDone, 1);
        tb.Step();
        tb.Poke(p.TagDone, 0);
        Assert.That((tb.Peek(device.Wait), tb.Peek(device.Rdata)), Is.EqualTo((0ul, 0x5A5Aul)), "the tag with the response");
        tb.Step();
        Assert.That(tb.Peek(device.Rdata), Is.Zero, "0 after the answer");
    }

    [Test]
    public void ATableWriteLeavesInTheCycleOfTheBusWrite()
    {
        var device = new TagControl(s_tags);
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var p = device.Tags;
        tb.Poke(device.Select, 1);
        tb.Poke(device.Write, 1);
        tb.Poke(device.Offset, Offset("OPGROUP"));
        tb.Poke(device.Wdata, (0x13u << PexMemoryMap.OpgroupCareShift) | (0x2A5u << TagConfig.OpgroupBits) | 6);
        Assert.Multiple(() =>
        {
            Assert.That(tb.Peek(p.OpgroupWrite), Is.EqualTo(1ul), "OPGROUP's pulse with the write");
            Assert.That(tb.Peek(p.OpgroupIndex), Is.EqualTo(0x2A5ul), "the index");
            Assert.That(tb.Peek(p.OpgroupValue), Is.EqualTo(6ul), "the opgroup");
            Assert.That(tb.Peek(p.OpgroupCare), Is.EqualTo(0x13ul), "the opgroup's care mask");
            Assert.That(tb.Peek(p.DeviceTagWrite) | tb.Peek(p.CallResultTagWrite), Is.Zero, "no other table's");
        });
        tb.Poke(device.Offset, Offset("DEVICE_TAG"));
        tb.Poke(device.Wdata, 0x1_A5A5);
        Assert.Multiple(() =>
        {
            Assert.That(tb.Peek(p.DeviceTagWrite), Is.EqualTo(1ul), "DEVICE_TAG's pulse");
            Assert.That(tb.Peek(p.DeviceTag), Is.EqualTo(0xA5A5ul), "the tag, to the tag width");
            Assert.That(tb.Peek(p.OpgroupWrite), Is.Zero, "not OPGROUP's");
        });
        tb.Poke(device.Write, 0);
        Assert.That(tb.Peek(p.DeviceTagWrite), Is.Zero, "a read writes no table");
        tb.Poke(device.Write, 1);
        tb.Poke(device.Select, 0);
        Assert.That(tb.Peek(p.DeviceTagWrite), Is.Zero, "nothing without the device selected");
    }

    [Test]
    public void AllowAndDenyAnswerTheMissInTheNextCycleFromTheHeldWord()
    {
        var device = new TagControl(s_tags);
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var p = device.Tags;
        tb.Poke(p.MissValid, 1);

        void Write(string register, uint word) => WriteRegister(tb, device, register, word, p.Resolve, "answer");

        Write("TAG_ADDR", 0x8000_0040);
        Assert.That(tb.Peek(p.Resolve), Is.Zero, "another register's write is no answer");
        Write("ALLOW", 0xBEEF_1234);
        Assert.Multiple(() =>
        {
            Assert.That((tb.Peek(p.Resolve), tb.Peek(p.Allow)), Is.EqualTo((1ul, 1ul)), "ALLOW: the answer in the next cycle");
            Assert.That((tb.Peek(p.ResultPcTag), tb.Peek(p.ResultTag)), Is.EqualTo((0x1234ul, 0xBEEFul)), "the word's PC tag and result tag");
        });
        tb.Step();
        Assert.That(tb.Peek(p.Resolve), Is.Zero, "a pulse");
        Write("DENY", 0x0003_002A);
        Assert.Multiple(() =>
        {
            Assert.That((tb.Peek(p.Resolve), tb.Peek(p.Allow)), Is.EqualTo((1ul, 0ul)), "DENY: the answer in the next cycle");
            Assert.That(tb.Peek(device.DenyInfo), Is.EqualTo(0x0003_002Aul), "its word is the denial");
        });
    }

    [Test]
    public void CallResultCompletesThePendingCallInTheNextCycleFromTheHeldWord()
    {
        var device = new TagControl(s_tags);
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var call = device.Call;

        void Write(string register, uint word) => WriteRegister(tb, device, register, word, call.Done, "completion");

        Write("CALL_RESULT", 0x1111_2222);
        Assert.That(tb.Peek(call.Done), Is.Zero, "no call pending: no completion");
        tb.Poke(call.Valid, 1);
        Write("CALL_ARG0", 0x3333_4444);
        Assert.That(tb.Peek(call.Done), Is.Zero, "another register's write completes nothing");
        Write("CALL_RESULT", 0x8000_2040);
        Assert.Multiple(() =>
        {
            Assert.That(tb.Peek(call.Done), Is.EqualTo(1ul), "the completion in the next cycle");
            Assert.That(tb.Peek(call.Result), Is.EqualTo(0x8000_2040ul), "its result: the word the core still holds");
        });
        tb.Step();
        Assert.That(tb.Peek(call.Done), Is.Zero, "a pulse");
    }

    [TestCase("CALL_OP")]
    [TestCase("CALL_ARG0")]
    [TestCase("CALL_ARG1")]
    public void ACallRegisterIsReadFromTheCallPortByName(string register)
    {
        var device = new TagControl(s_tags);
        using var tb = Bench.Create(device);
        tb.Reset(2);
        var call = device.Call;
        (ulong Op, ulong Arg0, ulong Arg1) Named() => (tb.Peek(call.ReadOp), tb.Peek(call.ReadArg0), tb.Peek(call.ReadArg1));
        var expected = register switch { "CALL_OP" => (1ul, 0ul, 0ul), "CALL_ARG0" => (0ul, 1ul, 0ul), _ => (0ul, 0ul, 1ul) };

        foreach (bool pending in new[] { true, false })
        {
            tb.Poke(call.Valid, pending);
            tb.Poke(device.Select, 1);
            tb.Poke(device.Write, 0);
            tb.Poke(device.Offset, Offset(register));
            Assert.That(Named(), Is.EqualTo(expected), $"{register} names its register in the cycle of the read");
            tb.Step();
            tb.Poke(device.Select, 0);
            Assert.That(Named(), Is.EqualTo((0ul, 0ul, 0ul)), "nothing named without a read");
            // The call port's word, in the cycle after the read.
            tb.Poke(call.Word, 0x8000_3000);
            Assert.That(tb.Peek(device.Wait), Is.Zero, "no wait");
            Assert.That(tb.Peek(device.Rdata), Is.EqualTo(pending ? 0x8000_3000ul : 0ul), pending ? "the call port's word" : "no call: 0");
            tb.Step();
            Assert.That(tb.Peek(device.Rdata), Is.Zero, "the call port's word only in the cycle of the answer");
            tb.Poke(call.Word, 0);
        }
        tb.Poke(device.Select, 1);
        tb.Poke(device.Offset, Offset("CALL_CALLER_TAG"));
        Assert.That(Named(), Is.EqualTo((0ul, 0ul, 0ul)), "CALL_CALLER_TAG names none");
    }
}
