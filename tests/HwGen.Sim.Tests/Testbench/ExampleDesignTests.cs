using HwGen.Designs.Common;
using HwGen.Designs.Examples;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Testbench;

/// <summary>
/// The example designs driven from C# through the testbench API, each against a reference model in C#, cycle by
/// cycle: directed cases first, then random stimulus (xorshift32, the same on every run).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ExampleDesignTests
{
    private sealed class Random32(uint state = 0x2545_F491)
    {
        public uint Next()
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            return state;
        }

        public bool Chance(int percent) => Next() % 100 < (uint)percent;
    }

    [TestCase(3)]
    [TestCase(8)]
    public void Counter(int width)
    {
        var dut = new Counter(width);
        using var tb = Bench.Create(dut);
        tb.Reset();
        ulong max = (1UL << width) - 1, model = 0;
        var random = new Random32();
        int wraps = 0, clears = 0;
        for (int cycle = 0; cycle < 5000; cycle++)
        {
            // Directed first: count to the maximum and over it, then random with rare clears.
            bool enable = cycle < 3 * (int)max || random.Chance(80);
            bool clear = cycle >= 3 * (int)max && random.Chance(5);
            tb.Poke(dut.Enable, enable);
            tb.Poke(dut.Clear, clear);
            bool wrap = enable && !clear && model == max;
            tb.Expect(dut.Wrap, wrap ? 1UL : 0UL, "before the edge");
            tb.Step();
            model = clear ? 0 : enable ? (model + 1) & max : model;
            wraps += wrap ? 1 : 0;
            clears += clear ? 1 : 0;
            tb.Expect(dut.Count, model);
        }
        Assert.That(wraps, Is.GreaterThan(2));
        Assert.That(clears, Is.GreaterThan(10));
    }

    [TestCase(8, 4)]
    [TestCase(16, 16)]
    public void Fifo(int width, int depth)
    {
        var dut = new Fifo(width, depth);
        using var tb = Bench.Create(dut);
        tb.Reset();
        tb.Expect(dut.Empty, 1);
        tb.Expect(dut.Full, 0);
        tb.Expect(dut.Level, 0);
        var queue = new Queue<ulong>();
        var random = new Random32();
        ulong mask = (1UL << width) - 1;
        int pushed = 0, popped = 0, fullSeen = 0, refusedPushes = 0;
        bool wasEmptyWithData = false;
        for (int cycle = 0; cycle < 4000; cycle++)
        {
            // Phases: fill past full, drain, then random traffic.
            int phase = cycle / 100;
            bool write = phase switch { 0 => true, 1 => false, _ => random.Chance(55) };
            bool read = phase switch { 0 => false, 1 => true, _ => random.Chance(50) };
            ulong data = random.Next() & mask;

            bool empty = tb.Peek(dut.Empty) == 1, full = tb.Peek(dut.Full) == 1;
            tb.Expect(dut.Level, (ulong)queue.Count, "Level counts every entry held");
            if (!empty)
                tb.Expect(dut.ReadData, queue.Peek(), "ReadData presents the oldest entry");
            Assert.That(!(empty && wasEmptyWithData), $"cycle {tb.Cycle}: Empty stayed 1 with {queue.Count} entries held");
            wasEmptyWithData = empty && queue.Count > 0;
            if (full)
            {
                fullSeen++;
                Assert.That(queue.Count, Is.GreaterThanOrEqualTo(depth), $"cycle {tb.Cycle}: Full with {queue.Count} entries");
            }
            else
            {
                Assert.That(queue.Count, Is.LessThanOrEqualTo(depth), $"cycle {tb.Cycle}: not Full with {queue.Count} entries");
            }

            tb.Poke(dut.WriteEnable, write);
            tb.Poke(dut.WriteData, data);
            tb.Poke(dut.ReadEnable, read);
            tb.Step();
            if (read && !empty)
            {
                queue.Dequeue();
                popped++;
            }
            if (write && !full)
            {
                queue.Enqueue(data);
                pushed++;
            }
            refusedPushes += write && full ? 1 : 0;
        }
        Assert.That(fullSeen, Is.GreaterThan(0));
        Assert.That(refusedPushes, Is.GreaterThan(0));
        Assert.That(popped, Is.GreaterThan(1000));
        Assert.That(pushed - popped, Is.EqualTo(queue.Count));
    }

    [TestCase(4)]
    [TestCase(7)]
    public void UartTx(int clocksPerBit)
    {
        var dut = new UartTx(clocksPerBit);
        using var tb = Bench.Create(dut);
        tb.Reset();
        tb.Expect(dut.Tx, 1, "the line idles high");
        tb.Expect(dut.Ready, 1);
        var random = new Random32();
        foreach (var value in new ulong[] { 0x00, 0xFF, 0x55, 0xA5 }.Concat(Enumerable.Range(0, 20).Select(_ => (ulong)(random.Next() & 0xFF))))
        {
            tb.Step(random.Next() % 5);
            tb.Expect(dut.Ready, 1);
            tb.Poke(dut.Data, value);
            tb.Poke(dut.Valid, 1);
            tb.Step();
            tb.Poke(dut.Valid, 0);
            tb.Poke(dut.Data, random.Next() & 0xFF); // the byte was taken: the input may change
            tb.Expect(dut.Ready, 0, "busy while sending");
            // Sample each bit in its middle: start, eight data bits LSB first, stop.
            ulong received = 0;
            for (int bit = 0; bit < 10; bit++)
            {
                tb.Step((ulong)(bit == 0 ? clocksPerBit / 2 : clocksPerBit) - (bit == 0 ? 1UL : 0UL));
                var level = tb.Peek(dut.Tx);
                if (bit == 0)
                    Assert.That(level, Is.Zero, $"cycle {tb.Cycle}: start bit of 0x{value:X2}");
                else if (bit == 9)
                    Assert.That(level, Is.EqualTo(1), $"cycle {tb.Cycle}: stop bit of 0x{value:X2}");
                else
                    received |= level << (bit - 1);
            }
            Assert.That(received, Is.EqualTo(value));
            tb.RunUntil(dut.Ready, 1, maxCycles: (ulong)clocksPerBit);
            tb.Expect(dut.Tx, 1);
        }
    }

    [Test]
    public void BankedMemory()
    {
        var dut = new BankedMemory(addressWidth: 6, dataWidth: 8);
        using var tb = Bench.Create(dut);
        tb.Reset();
        var model = new ulong[64];
        var random = new Random32();
        int reads = 0;
        for (int cycle = 0; cycle < 5000; cycle++)
        {
            // Directed: write every word once, then random requests (and idle cycles) over both banks.
            bool directed = cycle < 64;
            bool valid = directed || random.Chance(70);
            bool write = directed || random.Chance(40);
            uint address = directed ? (uint)cycle : random.Next() & 63;
            ulong data = random.Next() & 0xFF;
            tb.Poke(dut.Bus.Valid, valid);
            tb.Poke(dut.Bus.Write, write);
            tb.Poke(dut.Bus.Address, address);
            tb.Poke(dut.Bus.WriteData, data);
            tb.Step();
            // The answer to the request of the cycle before.
            tb.Expect(dut.Bus.Ready, valid ? 1UL : 0UL, "Ready the cycle after a request");
            if (valid && !write)
            {
                tb.Expect(dut.Bus.ReadData, model[address], $"read of word {address}");
                reads++;
            }
            if (valid && write)
                model[address] = data;
        }
        Assert.That(reads, Is.GreaterThan(1000));
    }

    [Test]
    public void Alu()
    {
        var dut = new Alu(width: 32);
        using var tb = Bench.Create(dut);
        var random = new Random32();
        uint[] edges = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 31, 32];
        var ops = Enum.GetValues<AluOp>();
        for (int i = 0; i < 20_000; i++)
        {
            var op = ops[i % ops.Length];
            uint a = i < 700 ? edges[i / ops.Length % edges.Length] : random.Next();
            uint b = i < 700 ? edges[i / ops.Length / edges.Length % edges.Length] : random.Next();
            if (i % 3 == 0)
                b = i < 700 ? b : a; // equal operands often
            bool subtract = op is AluOp.Sub or AluOp.Slt or AluOp.Sltu;
            tb.Poke(dut.A, a);
            tb.Poke(dut.B, b);
            tb.Poke(dut.Op, (ulong)op);
            tb.Poke(dut.Subtract, subtract);
            int shamt = (int)(b & 31);
            uint expected = op switch
            {
                AluOp.Add => a + b,
                AluOp.Sub => a - b,
                AluOp.Sll => a << shamt,
                AluOp.Slt => (int)a < (int)b ? 1u : 0u,
                AluOp.Sltu => a < b ? 1u : 0u,
                AluOp.Xor => a ^ b,
                AluOp.Srl => a >> shamt,
                AluOp.Sra => (uint)((int)a >> shamt),
                AluOp.Or => a | b,
                AluOp.And => a & b,
                _ => throw new InvalidOperationException(op.ToString()),
            };
            var what = $"{op} 0x{a:X8}, 0x{b:X8}";
            tb.Expect(dut.Result, expected, what);
            tb.Expect(dut.Sum, subtract ? a - b : a + b, what + ": the adder's sum, whatever the op");
            tb.Expect(dut.Others, op is AluOp.Add or AluOp.Sub ? 0 : expected, what + ": the result but for the adder");
            uint logic = ((int)op & 0b11) switch { 0b10 => a | b, 0b11 => a & b, _ => a ^ b };
            tb.Expect(dut.Logic, logic, what + ": the logic operation of op bits 1..0, whatever the op");
            tb.Expect(dut.Zero, expected == 0 ? 1UL : 0UL, what);
            tb.Expect(dut.Equal, a == b ? 1UL : 0UL, what);
            if (subtract)
            {
                tb.Expect(dut.Less, (int)a < (int)b ? 1UL : 0UL, what);
                tb.Expect(dut.LessUnsigned, a < b ? 1UL : 0UL, what);
            }
        }
    }

    [Test]
    public void RegisterFile()
    {
        var dut = new RegisterFile(width: 32, count: 32);
        using var tb = Bench.Create(dut);
        tb.Reset();
        var model = new uint[32];
        var random = new Random32();
        int bypasses = 0, masked = 0;
        for (int cycle = 0; cycle < 6000; cycle++)
        {
            // Directed: write every register (x0 too) and read it back on both ports; then random traffic.
            bool directed = cycle < 64;
            uint wa = directed ? (uint)(cycle / 2) : random.Next() & 31;
            bool we = directed ? cycle % 2 == 0 : random.Chance(60);
            uint wd = random.Next();
            uint ra1 = directed ? (uint)(cycle / 2) : random.Chance(30) ? wa : random.Next() & 31;
            uint ra2 = directed ? (uint)(cycle / 2) : random.Chance(30) ? wa : random.Next() & 31;
            bool m1 = !directed && random.Chance(10), m2 = !directed && random.Chance(10);
            tb.Poke(dut.WriteEnable, we);
            tb.Poke(dut.WriteAddress, wa);
            tb.Poke(dut.WriteData, wd);
            tb.Poke(dut.ReadAddress1, ra1);
            tb.Poke(dut.ReadAddress2, ra2);
            tb.Poke(dut.Mask1, m1);
            tb.Poke(dut.Mask2, m2);
            tb.Step();
            if (we && wa != 0)
                model[wa] = wd;
            bypasses += we && wa != 0 && (wa == ra1 || wa == ra2) ? 1 : 0;
            masked += m1 || m2 ? 1 : 0;
            // The addresses at the edge select what the ports show after it, the write of that edge included.
            tb.Expect(dut.ReadData1, m1 ? 0 : model[ra1], $"port 1 reading x{ra1}{(m1 ? " masked" : "")}");
            tb.Expect(dut.ReadData2, m2 ? 0 : model[ra2], $"port 2 reading x{ra2}{(m2 ? " masked" : "")}");
        }
        Assert.That(bypasses, Is.GreaterThan(100));
        Assert.That(masked, Is.GreaterThan(100));
    }
}
