using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Pex;

/// <summary>
/// The call port alone on Verilator, its AP side and its PEX side driven by the test: the PEX reads the pending call's
/// op (the word's low bits) and arguments from the port's registers by name, the result replaces ARG0, and the AP's
/// read-back of ARG0, ARG1 and RESULT is what they hold.
/// </summary>
[TestFixture]
public sealed class PexCallPortTests
{
    private static readonly MemoryMap s_map = MemoryMap.Simulation;

    private static uint Offset(string register) => s_map.PexCall.Register(register).Offset;

    private static PexCallPort NewPort(out Bench tb)
    {
        var port = new PexCallPort(s_map.PexCall, TagConfig.ForMemoryMap(s_map));
        tb = Bench.Create(port);
        tb.Reset(2);
        return port;
    }

    private static void ApWrite(Bench tb, PexCallPort port, string register, uint value)
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
    private static uint ApRead(Bench tb, PexCallPort port, string register)
    {
        tb.Poke(port.Select, 1);
        tb.Poke(port.Write, 0);
        tb.Poke(port.Offset, Offset(register));
        tb.Step();
        tb.Poke(port.Select, 0);
        return (uint)tb.Peek(port.Rdata);
    }

    /// <summary>The PEX names a register (op, arg0, arg1, or none): its word in the next cycle.</summary>
    private static uint PexRead(Bench tb, PexCallPort port, bool op, bool arg0, bool arg1)
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
}
