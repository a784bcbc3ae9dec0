using System.Numerics;
using HwGen.Designs.Examples;
using HwGen.Sim.Testbench;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Testbench;

/// <summary>The C# testbench API over Verilator: ports, steps, reset, run-until, memories, waveforms and its errors.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TestbenchTests
{
    [Test]
    public void CounterCountsWrapsAndClears()
    {
        var dut = new Counter(width: 4);
        using var tb = Bench.Create(dut);
        tb.Reset();
        tb.Expect(dut.Count, 0);
        tb.Poke(dut.Enable, 1);
        tb.Step(5);
        tb.Expect(dut.Count, 5);
        tb.Poke(dut.Clear, 1);
        tb.Step();
        tb.Expect(dut.Count, 0, "Clear wins over Enable");
        tb.Poke(dut.Clear, 0);
        tb.Step(15);
        Assert.That(tb.Peek(dut.Count), Is.EqualTo(15));
        Assert.That(tb.Peek(dut.Wrap), Is.EqualTo(1), "Wrap is 1 at the maximum with Enable");
        tb.Poke(dut.Enable, 0);
        Assert.That(tb.Peek(dut.Wrap), Is.Zero, "Wrap follows Enable at once (combinational)");
        tb.Poke(dut.Enable, 1);
        tb.Step();
        Assert.That(tb.Peek(dut.Count), Is.Zero);
        Assert.That(tb.Cycle, Is.EqualTo(1 + 5 + 1 + 15 + 1));
    }

    [Test]
    public void ResetReturnsRegistersToTheirResetValues()
    {
        var dut = new Counter(width: 8);
        using var tb = Bench.Create(dut);
        tb.Poke(dut.Enable, 1);
        tb.Reset();
        tb.Step(3);
        tb.Expect(dut.Count, 3);
        tb.Reset(2);
        tb.Expect(dut.Count, 0);
        tb.Step();
        tb.Expect(dut.Count, 1, "the reset is released after Reset");
    }

    [Test]
    public void WidePortsCarryEveryBit()
    {
        var dut = new WideRegister();
        using var tb = Bench.Create(dut);
        tb.Reset();
        var value = (BigInteger.One << 99) | (BigInteger.One << 64) | (BigInteger.One << 63) | 0x1234_5678_9ABC;
        tb.Poke(dut.D, value);
        var low = value & ((BigInteger.One << 50) - 1);
        Assert.That(tb.PeekBig(dut.HalfSum), Is.EqualTo(low + (value >> 50)), "combinational output of a wide input");
        Assert.That(tb.PeekBig(dut.Q), Is.EqualTo(BigInteger.Zero), "not loaded yet");
        tb.Poke(dut.Load, 1);
        tb.Step();
        Assert.That(tb.PeekBig(dut.Q), Is.EqualTo(value));
        tb.Poke(dut.D, (BigInteger.One << 100) - 1);
        tb.Step();
        Assert.That(tb.PeekBig(dut.Q), Is.EqualTo((BigInteger.One << 100) - 1));
        tb.Poke(dut.D, 5UL);
        tb.Step();
        Assert.That(tb.PeekBig(dut.Q), Is.EqualTo(new BigInteger(5)), "a 64-bit poke clears the upper words");
    }

    [Test]
    public void MemoriesAreReadAndWrittenForTestSetup()
    {
        var dut = new TwoTables();
        using var tb = Bench.Create(dut);
        tb.Reset();
        tb.LoadMemory(dut.Low.Words, 0, Enumerable.Range(0, 16).Select(i => (ulong)(i * 7 + 1)));
        var wide = (BigInteger.One << 71) | 0xABCD;
        tb.WriteMemory(dut.High.Words, 3, wide);
        Assert.That(tb.ReadMemory(dut.Low.Words, 9), Is.EqualTo(64));
        Assert.That(tb.ReadMemoryBig(dut.High.Words, 3), Is.EqualTo(wide));
        Assert.That(tb.ReadMemoryBig(dut.High.Words, 2), Is.EqualTo(BigInteger.Zero));
        tb.Poke(dut.Address, 11);
        tb.Step();
        tb.Expect(dut.LowData, 11 * 7 + 1);
        Assert.That(tb.PeekBig(dut.HighData), Is.EqualTo(wide), "address 11 is word 3 of the 4-word table");
    }

    [Test]
    public void AMemoryWriteShowsAtOnceThroughAnAsynchronousReadPort()
    {
        var dut = new Table(8, 16);
        using var tb = Bench.Create(dut);
        tb.Poke(dut.Address, 3);
        tb.Expect(dut.Now, 0);
        tb.WriteMemory(dut.Words, 3, 5);
        tb.Expect(dut.Now, 1, "the write is evaluated without a step");
        tb.WriteMemory(dut.Words, 3, 0);
        tb.Expect(dut.Now, 0);
        Assert.That(tb.Cycle, Is.Zero);
    }

    [Test]
    public void InstancesOnSeveralThreadsKeepTheirOwnState()
    {
        var counts = Enumerable.Range(1, 4).AsParallel().WithDegreeOfParallelism(4).Select(n =>
        {
            var dut = new Counter(width: 16);
            using var tb = Bench.Create(dut);
            tb.Reset();
            for (int i = 0; i < 10_000 * n; i++)
            {
                tb.Poke(dut.Enable, i % n == 0);
                tb.Step();
            }
            return (n, tb.Peek(dut.Count));
        }).ToList();
        foreach (var (n, count) in counts)
            Assert.That(count, Is.EqualTo(10_000UL), $"instance {n}: every n-th of 10,000 x n cycles enabled");
    }

    [Test]
    public void RunUntilStopsWhenTheConditionHolds()
    {
        var dut = new UartTx(clocksPerBit: 4);
        using var tb = Bench.Create(dut);
        tb.Reset();
        tb.Poke(dut.Data, 0x55);
        tb.Poke(dut.Valid, 1);
        tb.Step();
        tb.Poke(dut.Valid, 0);
        var cycles = tb.RunUntil(dut.Ready, 1, maxCycles: 100);
        Assert.That(cycles, Is.EqualTo(10 * 4), "ten bits of four cycles");
    }

    [Test]
    public void TwoModelsLiveSideBySide()
    {
        var small = new Counter(width: 4);
        var large = new Counter(width: 12);
        using var a = Bench.Create(small);
        using var b = Bench.Create(large);
        using var c = Bench.Create(new Counter(width: 4));
        a.Reset();
        b.Reset();
        a.Poke(small.Enable, 1);
        b.Poke(large.Enable, 1);
        a.Step(20);
        b.Step(20);
        Assert.That(a.Peek(small.Count), Is.EqualTo(20 % 16));
        Assert.That(b.Peek(large.Count), Is.EqualTo(20));
        Assert.That(a.Cycle, Is.EqualTo(21));
        Assert.That(c.Cycle, Is.Zero, "a third instance of the same model is untouched");
    }

    [Test]
    public void AWaveformIsWrittenOnRequest([Values(".vcd", ".fst")] string extension)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"hwgen-tb-wave-{Guid.NewGuid():N}");
        try
        {
            var wave = Path.Combine(dir, "counter" + extension);
            var dut = new Counter(width: 4);
            using (var tb = Bench.Create(dut, new TestbenchOptions { Wave = wave }))
            {
                tb.Reset();
                tb.Poke(dut.Enable, 1);
                tb.Step(10);
            }
            Assert.That(new FileInfo(wave).Length, Is.GreaterThan(100));
            if (extension == ".vcd")
                Assert.That(File.ReadAllText(wave), Does.Contain("Count"));
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void AValueWiderThanTheInputIsRefused()
    {
        var dut = new Counter(width: 4);
        using var tb = Bench.Create(dut);
        tb.Step(3);
        var error = Assert.Throws<TestbenchException>(() => tb.Poke(dut.Enable, 2))!;
        Assert.That(error.Message, Is.EqualTo("Counter, cycle 3: 0x2 does not fit the 1-bit input 'Enable'"));
        var wide = new WideRegister();
        using var wtb = Bench.Create(wide);
        Assert.That(Assert.Throws<TestbenchException>(() => wtb.Poke(wide.D, BigInteger.One << 100))!.Message,
            Does.Contain("does not fit the 100-bit input 'D'"));
        Assert.That(Assert.Throws<TestbenchException>(() => wtb.Peek(wide.Q))!.Message,
            Is.EqualTo("WideRegister, cycle 0: 'Q' is 100 bits wide: read it with PeekBig"));
    }

    [Test]
    public void UnknownSignalsAndOutputsAreNamed()
    {
        var dut = new Counter(width: 4);
        var other = new Counter(width: 4);
        using var tb = Bench.Create(dut);
        Assert.That(Assert.Throws<TestbenchException>(() => tb.Poke(dut.Count, 1))!.Message,
            Is.EqualTo("Counter, cycle 0: 'Count' is an output: only inputs can be poked"));
        Assert.That(Assert.Throws<TestbenchException>(() => tb.Peek(other.Count))!.Message,
            Does.StartWith("Counter, cycle 0: the signal declared at Counter.cs(13) is not a signal of Counter: only the top module's ports").And.Contain("ports: rst, Enable, Clear, Count, Wrap"));
        var table = new TwoTables();
        using var ttb = Bench.Create(table);
        Assert.That(Assert.Throws<TestbenchException>(() => ttb.Peek(table.Low.Data))!.Message,
            Does.Contain("'Low.Data' is not a signal of TwoTables"));
        Assert.That(Assert.Throws<TestbenchException>(() => ttb.ReadMemory(table.Low.Words, 16))!.Message,
            Is.EqualTo("TwoTables, cycle 0: address 16 is outside memory 'Words' (0 to 15)"));
        Assert.That(Assert.Throws<TestbenchException>(() => ttb.WriteMemory(table.Low.Words, 0, 256))!.Message,
            Is.EqualTo("TwoTables, cycle 0: 0x100 does not fit the 8-bit words of memory 'Words'"));
    }

    [Test]
    public void ExpectAndTheCycleLimitNameSignalAndCycle()
    {
        var dut = new Counter(width: 4);
        using var tb = Bench.Create(dut);
        tb.Reset();
        tb.Poke(dut.Enable, 1);
        tb.Step(2);
        Assert.That(Assert.Throws<TestbenchException>(() => tb.Expect(dut.Count, 3))!.Message,
            Is.EqualTo("Counter, cycle 3: 'Count' is 2 (0x2), expected 3 (0x3)"));
        Assert.That(Assert.Throws<TestbenchException>(() => tb.RunUntil(dut.Wrap, 1, maxCycles: 5))!.Message,
            Is.EqualTo("Counter, cycle 8: cycle limit: 'Wrap' == 1 did not hold within 5 cycles"));
        var delay = new Delay();
        using var dtb = Bench.Create(delay);
        Assert.That(Assert.Throws<TestbenchException>(() => dtb.Reset())!.Message,
            Is.EqualTo("Delay, cycle 0: Delay has no reset: none of its registers has a reset value"));
        dtb.Poke(delay.D, 0xA5);
        dtb.Step();
        dtb.Expect(delay.Q, 0xA5);
    }
}

/// <summary>The speed of the port block: a poke, a step and a peek a cycle, and batched steps.</summary>
[TestFixture]
[NonParallelizable]
public sealed class TestbenchSpeedTests
{
    [Test]
    public void ACycleDrivenFromCSharpCostsWellUnderAMicrosecond()
    {
        TestbenchSpeed.CounterCyclesPerSecond(cycles: 100_000); // warm up: the model's build and the JIT
        var best = Enumerable.Range(0, 3).Max(_ => TestbenchSpeed.CounterCyclesPerSecond(cycles: 2_000_000));
        TestContext.Out.WriteLine($"{best / 1e6:F2} M cycles/s");
        Assert.That(best, Is.GreaterThan(1e6));
    }

    [Test]
    public void BatchedStepsRunAtVerilatorsSpeed()
    {
        var dut = new Counter(width: 16);
        using var tb = Bench.Create(dut);
        tb.Reset();
        tb.Poke(dut.Enable, 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        tb.Step(20_000_000);
        var rate = 20_000_000 / clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"{rate / 1e6:F2} M cycles/s batched");
        tb.Expect(dut.Count, 20_000_000 % 65536);
        Assert.That(rate, Is.GreaterThan(5e6));
    }
}

/// <summary>A module without state: evaluated on every peek, refused a step.</summary>
[TestFixture]
public sealed class CombinationalTestbenchTests
{
    [Test]
    public void AStepOfAModuleWithoutClockIsRefused()
    {
        var dut = new HwGen.Designs.Common.Alu(width: 8);
        using var tb = Bench.Create(dut);
        tb.Poke(dut.A, 200);
        tb.Poke(dut.B, 100);
        tb.Poke(dut.Op, (ulong)HwGen.Designs.Common.AluOp.Add);
        tb.Expect(dut.Result, 44);
        Assert.That(Assert.Throws<TestbenchException>(() => tb.Step())!.Message,
            Is.EqualTo("Alu, cycle 0: Alu has no clock (it holds no state): poke its inputs and peek its outputs, without steps"));
    }
}
