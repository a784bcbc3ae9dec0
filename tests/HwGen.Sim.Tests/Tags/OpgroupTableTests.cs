using HwGen.Designs.Tags;
using HwGen.Hdl;
using NUnit.Framework;
using static HwGen.Hdl.Hw;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Tags;

/// <summary>The opgroup table with its care masks, and the index formed from an instruction word, in Verilator.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OpgroupTableTests
{
    /// <summary><see cref="OpgroupTable.IndexOf(Expr)"/> alone: an instruction word in, its index out.</summary>
    private sealed class IndexProbe : Module
    {
        public readonly Signal Instruction = In(32);
        public readonly Signal Index = Out(Opgroups.IndexBits);

        protected override void Build() => Index.Set(OpgroupTable.IndexOf(Instruction));
    }

    private static ulong Read(Bench tb, OpgroupTable dut, int index)
    {
        tb.Poke(dut.ReadEnable, 1);
        tb.Poke(dut.ReadIndex, (ulong)index);
        tb.Step();
        tb.Poke(dut.ReadEnable, 0);
        return tb.Peek(dut.Opgroup);
    }

    [Test]
    public void TheTableStartsAsTheDefaultTableAndTakesWrites()
    {
        // The table has no register to reset: its contents are the RAM's initial values.
        var dut = new OpgroupTable();
        using var tb = Bench.Create(dut);
        for (int i = 0; i < Opgroups.TableSize; i++)
            Assert.That(Read(tb, dut, i), Is.EqualTo(Opgroups.DefaultTable[i]), $"entry {i}");

        var random = new Random(3);
        var expected = Opgroups.DefaultTable.Select(g => (ulong)g).ToArray();
        for (int n = 0; n < 300; n++)
        {
            int index = random.Next(Opgroups.TableSize);
            var value = (ulong)random.Next(16);
            // A read of another entry in the cycle of a write gives that entry (a read of the entry written is undefined).
            int other = (index + 1 + random.Next(Opgroups.TableSize - 1)) % Opgroups.TableSize;
            tb.Poke(dut.OpgroupWrite, 1);
            tb.Poke(dut.OpgroupIndex, (ulong)index);
            tb.Poke(dut.OpgroupValue, value);
            tb.Poke(dut.ReadEnable, 1);
            tb.Poke(dut.ReadIndex, (ulong)other);
            tb.Step();
            tb.Poke(dut.OpgroupWrite, 0);
            tb.Poke(dut.ReadEnable, 0);
            Assert.That(tb.Peek(dut.Opgroup), Is.EqualTo(expected[other]), $"write {n}: entry {other} read in the cycle of the write of {index}");
            expected[index] = value;
            Assert.That(Read(tb, dut, index), Is.EqualTo(value), $"write {n}: entry {index} read after its write");
        }
        // The read holds while ReadEnable is 0.
        Assert.That(Read(tb, dut, 5), Is.EqualTo(expected[5]));
        tb.Poke(dut.ReadIndex, 6);
        tb.Step(3);
        Assert.That(tb.Peek(dut.Opgroup), Is.EqualTo(expected[5]));
        for (int i = 0; i < Opgroups.TableSize; i++)
            Assert.That(Read(tb, dut, i), Is.EqualTo(expected[i]), $"entry {i} after the writes");
    }

    /// <summary>
    /// Every entry starts caring for every field; a write sets an entry's care mask with its opgroup, and the read gives
    /// both from the same word, in the same cycle.
    /// </summary>
    [Test]
    public void EachEntryCarriesItsCareMaskWrittenWithItsOpgroup()
    {
        // The table has no register to reset: its contents are the RAM's initial values.
        var dut = new OpgroupTable();
        using var tb = Bench.Create(dut);
        for (int i = 0; i < Opgroups.TableSize; i++)
        {
            Assert.That(Read(tb, dut, i), Is.EqualTo(Opgroups.DefaultTable[i]), $"entry {i}");
            Assert.That(tb.Peek(dut.Care), Is.EqualTo((ulong)OpgroupTable.AllFields), $"entry {i}'s care mask at first");
        }
        var random = new Random(5);
        var expected = Opgroups.DefaultTable.Select(g => ((ulong)g, (ulong)OpgroupTable.AllFields)).ToArray();
        for (int n = 0; n < 300; n++)
        {
            int index = random.Next(Opgroups.TableSize);
            var entry = ((ulong)random.Next(16), (ulong)random.Next(32));
            tb.Poke(dut.OpgroupWrite, 1);
            tb.Poke(dut.OpgroupIndex, (ulong)index);
            tb.Poke(dut.OpgroupValue, entry.Item1);
            tb.Poke(dut.OpgroupCare, entry.Item2);
            tb.Step();
            tb.Poke(dut.OpgroupWrite, 0);
            expected[index] = entry;
            int shown = random.Next(Opgroups.TableSize);
            Assert.That((Read(tb, dut, shown), tb.Peek(dut.Care)), Is.EqualTo(expected[shown]), $"write {n}: entry {shown}");
            Assert.That((Read(tb, dut, index), tb.Peek(dut.Care)), Is.EqualTo(entry), $"write {n}: entry {index} after its write");
        }
        Assert.That(Enumerable.Range(0, Opgroups.TableSize).Count(i => (Read(tb, dut, i), tb.Peek(dut.Care)) != expected[i]), Is.Zero,
            "every entry after the writes");
    }

    [Test]
    public void TheIndexFormedInHardwareIsOpgroupsIndexOf()
    {
        var dut = new IndexProbe();
        using var tb = Bench.Create(dut);
        var random = new Random(11);
        var words = new List<uint>();
        // Every opcode with rd 0 or not, rs1 x0, x1, x5, x6 and funct7 bit 0 set or not, then random words.
        foreach (uint opcode in Enumerable.Range(0, 32).Select(o => (uint)(o << 2 | 3)))
            foreach (uint rd in new uint[] { 0, 1, 5 })
                foreach (uint rs1 in new uint[] { 0, 1, 5, 6 })
                    foreach (uint funct7 in new uint[] { 0, 1, 0x20 })
                        words.Add(funct7 << 25 | rs1 << 15 | (uint)random.Next(8) << 12 | rd << 7 | opcode);
        words.AddRange(Enumerable.Range(0, 20_000).Select(_ => (uint)random.NextInt64(1L << 32)));
        foreach (var word in words)
        {
            tb.Poke(dut.Instruction, word);
            Assert.That(tb.Peek(dut.Index), Is.EqualTo((ulong)Opgroups.IndexOf(word)), $"instruction 0x{word:X8}");
        }
    }
}
