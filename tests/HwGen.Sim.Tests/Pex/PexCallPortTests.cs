using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using NUnit.Framework;
using static HwGen.Hdl.Hw;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Pex;

/// <summary>
/// The call port with the CLINT that keeps its arguments (<see cref="Clint.KeptLow"/>, <see cref="Clint.KeptHigh"/>), as
/// the AP's system joins them: the CLINT's memories write the bus's data but the result in the cycle of the call's
/// completion; the CLINT itself is never selected.
/// </summary>
internal sealed class CallPortBench : Module
{
    public CallPortBench(MemoryMap map, TagConfig config)
    {
        port = new PexCallPort(map.PexCall, config);
        clint = new Clint(map);
        Offset = In(port.OffsetBits);
        CallerTag = In(config.TagWidth);
        Call = Out(new PexCallLink(config));
    }

    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    public readonly Signal Rdata = Out(32);
    public readonly Signal Wait = Out(1);
    public readonly Signal CallerTag;
    public readonly PexCallLink Call;
    /// <summary>The CLINT's timer request, dropped through a call.</summary>
    public readonly Signal TimerInterrupt = Out(1);

    private readonly PexCallPort port;
    private readonly Clint clint;

    protected override void Build()
    {
        port.Select.Set(Select);
        port.Write.Set(Write);
        port.Offset.Set(Offset);
        port.Wdata.Set(Wdata);
        port.CallerTag.Set(CallerTag);
        Rdata.Set(port.Rdata);
        Wait.Set(port.Wait);
        Call.Connect(port.Call);
        clint.Select.Set(0);
        clint.Write.Set(0);
        clint.Offset.Set(0);
        clint.Wdata.Set(Wdata);
        clint.MemoryWdata.Set(Mux(port.Completing, Call.Result, Wdata));
        clint.KeptLow.Connect(port.Arg0);
        clint.KeptHigh.Connect(port.Arg1);
        TimerInterrupt.Set(clint.TimerInterrupt);
    }
}

/// <summary>
/// The call port on Verilator (with the CLINT that keeps its arguments), its AP side and its PEX side driven by the test: the
/// PEX reads the pending call's op (the word's low bits) and arguments from the port's registers by name, the result
/// replaces ARG0, and the AP's read-back of ARG0, ARG1 and RESULT is what they hold.
/// </summary>
[TestFixture]
public sealed class PexCallPortTests
{
    private static readonly MemoryMap s_map = MemoryMap.Simulation;

    private static uint Offset(string register) => s_map.PexCall.Register(register).Offset;

    private static CallPortBench NewPort(out Bench tb)
    {
        var port = new CallPortBench(s_map, TagConfig.ForMemoryMap(s_map));
        tb = Bench.Create(port);
        tb.Reset(2);
        return port;
    }

    private static void ApWrite(Bench tb, CallPortBench port, string register, uint value)
    {
        tb.Poke(port.Select, 1);
        tb.Poke(port.Write, 1);
        tb.Poke(port.Offset, Offset(register));
        tb.Poke(port.Wdata, value);
        tb.Step();
        tb.Poke(port.Select, 0);
        tb.Poke(port.Write, 0);
    }

    /// <summary>The AP reads: the word in the next cycle.</summary>
    private static uint ApRead(Bench tb, CallPortBench port, string register)
    {
        tb.Poke(port.Select, 1);
        tb.Poke(port.Write, 0);
        tb.Poke(port.Offset, Offset(register));
        tb.Step();
        tb.Poke(port.Select, 0);
        return (uint)tb.Peek(port.Rdata);
    }

    /// <summary>The PEX names a register (op, arg0, arg1, or none): its word in the next cycle.</summary>
    private static uint PexRead(Bench tb, CallPortBench port, bool op, bool arg0, bool arg1)
    {
        tb.Poke(port.Call.ReadOp, op);
        tb.Poke(port.Call.ReadArg0, arg0);
        tb.Poke(port.Call.ReadArg1, arg1);
        tb.Step();
        tb.Poke(port.Call.ReadOp, 0);
        tb.Poke(port.Call.ReadArg0, 0);
        tb.Poke(port.Call.ReadArg1, 0);
        return (uint)tb.Peek(port.Call.Word);
    }

    [Test]
    public void ThePexReadsTheCallByNameAndTheApReadsBackWhatItWrote()
    {
        var port = NewPort(out var tb);
        using (tb)
        {
            ApWrite(tb, port, "ARG0", 0x8000_3000);
            ApWrite(tb, port, "ARG1", 0x0000_0040);
            tb.Poke(port.CallerTag, 0x0033);
            Assert.That(tb.Peek(port.Call.Valid), Is.Zero, "no call before the store to OP");
            Assert.That(PexRead(tb, port, op: false, arg0: true, arg1: false), Is.Zero, "ARG0 reads 0 on the PEX's side with no call pending");
            ApWrite(tb, port, "OP", 0x7700_0102);
            tb.Poke(port.CallerTag, 0x0044);
            Assert.Multiple(() =>
            {
                Assert.That(tb.Peek(port.Call.Valid), Is.EqualTo(1ul), "the call is pending");
                Assert.That(tb.Peek(port.Wait), Is.EqualTo(1ul), "the store to OP waits");
                Assert.That(tb.Peek(port.Call.CallerTag), Is.EqualTo(0x0033ul), "the caller's tag, taken with the store");
                Assert.That(PexRead(tb, port, op: true, arg0: false, arg1: false), Is.EqualTo(2u), "CALL_OP: the op's bits alone");
                Assert.That(PexRead(tb, port, op: false, arg0: true, arg1: false), Is.EqualTo(0x8000_3000u), "CALL_ARG0");
                Assert.That(PexRead(tb, port, op: false, arg0: false, arg1: true), Is.EqualTo(0x40u), "CALL_ARG1");
                Assert.That(PexRead(tb, port, op: false, arg0: false, arg1: false), Is.Zero, "nothing named: 0");
            });
            for (int i = 0; i < 3; i++)
                tb.Step();
            Assert.That(tb.Peek(port.Call.Valid), Is.EqualTo(1ul), "still pending until the PEX completes it");

            tb.Poke(port.Call.Result, 0x8000_3040);
            tb.Poke(port.Call.Done, 1);
            tb.Step();
            tb.Poke(port.Call.Done, 0);
            tb.Poke(port.Call.Result, 0xDEAD_BEEF);
            Assert.Multiple(() =>
            {
                Assert.That(tb.Peek(port.Call.Valid), Is.Zero, "completed");
                Assert.That(tb.Peek(port.Wait), Is.Zero, "the store to OP answers");
                Assert.That(ApRead(tb, port, "RESULT"), Is.EqualTo(0x8000_3040u), "RESULT: the call's result, not its op");
                Assert.That(ApRead(tb, port, "ARG0"), Is.EqualTo(0x8000_3040u), "ARG0: the result replaced it");
                Assert.That(ApRead(tb, port, "ARG1"), Is.EqualTo(0x40u), "ARG1 reads back");
                Assert.That(ApRead(tb, port, "OP"), Is.Zero, "OP reads 0");
                Assert.That(ApRead(tb, port, "RESULT"), Is.EqualTo(0x8000_3040u), "RESULT again: the pulse's later value is not taken");
            });
        }
    }

    [Test]
    public void ThePexNamingARegisterWithNoCallPendingDoesNotSpoilTheApsRead()
    {
        var port = NewPort(out var tb);
        using (tb)
        {
            ApWrite(tb, port, "ARG0", 0x1111_1111);
            ApWrite(tb, port, "ARG1", 0x2222_2222);
            // The AP reads ARG1 while the PEX names the other argument and the op.
            tb.Poke(port.Select, 1);
            tb.Poke(port.Offset, Offset("ARG1"));
            tb.Poke(port.Call.ReadArg0, 1);
            tb.Poke(port.Call.ReadOp, 1);
            tb.Step();
            tb.Poke(port.Select, 0);
            tb.Poke(port.Call.ReadArg0, 0);
            tb.Poke(port.Call.ReadOp, 0);
            Assert.That(tb.Peek(port.Rdata), Is.EqualTo(0x2222_2222u), "ARG1 alone");
            tb.Step();
            Assert.That(tb.Peek(port.Rdata), Is.Zero, "nothing after the answer's cycle");
            Assert.That(ApRead(tb, port, "RESULT"), Is.EqualTo(0x1111_1111u), "before any call RESULT reads ARG0's register");
            Assert.That(ApRead(tb, port, "ARG0"), Is.EqualTo(0x1111_1111u), "ARG0 reads back");
        }
    }

    /// <summary>Completes the pending call with <paramref name="result"/>.</summary>
    private static void PexDone(Bench tb, CallPortBench port, uint result)
    {
        tb.Poke(port.Call.Result, result);
        tb.Poke(port.Call.Done, 1);
        tb.Step();
        tb.Poke(port.Call.Done, 0);
    }

    [Test]
    public void EachCallReadsTheArgumentsWrittenLastFromTheClintsBlockRam()
    {
        var port = NewPort(out var tb);
        using (tb)
        {
            ApWrite(tb, port, "ARG1", 0x1357_9BDF);
            ApWrite(tb, port, "OP", 1);
            Assert.That(PexRead(tb, port, op: false, arg0: false, arg1: true), Is.EqualTo(0x1357_9BDFu), "CALL_ARG1 at once");
            tb.Step();
            Assert.That(PexRead(tb, port, op: false, arg0: false, arg1: true), Is.EqualTo(0x1357_9BDFu), "CALL_ARG1 again");
            PexDone(tb, port, 7);
            // The next call's ARG1, written and read back by the AP in the very next cycles, then the PEX's.
            ApWrite(tb, port, "ARG1", 0xFEDC_BA98);
            Assert.That(ApRead(tb, port, "ARG1"), Is.EqualTo(0xFEDC_BA98u), "ARG1 read back just after its write");
            ApWrite(tb, port, "ARG0", 0x0000_0011);
            ApWrite(tb, port, "OP", 2);
            Assert.Multiple(() =>
            {
                Assert.That(PexRead(tb, port, op: false, arg0: false, arg1: true), Is.EqualTo(0xFEDC_BA98u), "the second call's CALL_ARG1");
                Assert.That(PexRead(tb, port, op: false, arg0: true, arg1: false), Is.EqualTo(0x11u), "its CALL_ARG0");
                Assert.That(PexRead(tb, port, op: true, arg0: false, arg1: false), Is.EqualTo(2u), "its CALL_OP");
            });
            PexDone(tb, port, 9);
            Assert.That(ApRead(tb, port, "ARG1"), Is.EqualTo(0xFEDC_BA98u), "ARG1 after the call");
        }
    }
}
