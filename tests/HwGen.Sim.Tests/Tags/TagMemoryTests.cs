using HwGen.Designs.Tags;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Tags;

/// <summary>Tag memory in Verilator: the loader, the core's read and write ports, the PEX's requests among them.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TagMemoryTests
{
    private const uint Base = 0x8000_0000;
    private const uint Size = 0x400;
    private const int Words = (int)(Size / 4);

    private static readonly TagConfig s_config = new(Base, Size);

    /// <summary>The inputs of one cycle; the PEX's request is held by the caller until TagDone.</summary>
    private sealed record Inputs
    {
        public bool FetchEnable { get; init; }
        public int FetchIndex { get; init; }
        public bool DataEnable { get; init; }
        public int DataIndex { get; init; }
        public bool WriteEnable { get; init; }
        public int WriteIndex { get; init; }
        public uint WriteTag { get; init; }
        public bool LoadValid { get; init; }
        public int LoadIndex { get; init; }
        public uint LoadTag { get; init; }
        public bool TagValid { get; init; }
        public bool TagWrite { get; init; }
        public uint TagAddress { get; init; }
        public uint TagWdata { get; init; }
    }

    private sealed record Outputs(uint FetchTag, uint DataTag, bool TagDone, uint TagRdata);

    /// <summary>Tag memory as its documentation describes it.</summary>
    private sealed class Model
    {
        public readonly uint[] Tags = new uint[Words];
        private uint _fetch, _data, _pexRead;
        private bool _done;

        public Outputs Cycle(Inputs i)
        {
            var outputs = new Outputs(_fetch, _data, _done, _pexRead);
            bool coreOrLoader = i.LoadValid || i.WriteEnable;
            int writeIndex = i.LoadValid ? i.LoadIndex : i.WriteIndex;
            uint writeTag = i.LoadValid ? i.LoadTag : i.WriteTag;
            bool serve = i.TagValid && !_done && (!i.TagWrite || !coreOrLoader);
            uint offset = i.TagAddress - Base;
            bool inRange = offset < Size;
            if (i.FetchEnable)
                _fetch = Tags[i.FetchIndex];
            if (i.DataEnable)
                _data = coreOrLoader && writeIndex == i.DataIndex ? writeTag : Tags[i.DataIndex];
            if (serve && !i.TagWrite)
                _pexRead = inRange ? Tags[offset / 4] : 0;
            _done = serve;
            if (coreOrLoader)
                Tags[writeIndex] = writeTag;
            else if (serve && i.TagWrite && inRange)
                Tags[offset / 4] = i.TagWdata;
            return outputs;
        }
    }

    private sealed class Driver(TagMemory dut, Bench tb)
    {
        public Outputs Cycle(Inputs i)
        {
            tb.Poke(dut.FetchEnable, i.FetchEnable);
            tb.Poke(dut.FetchIndex, (ulong)i.FetchIndex);
            tb.Poke(dut.DataEnable, i.DataEnable);
            tb.Poke(dut.DataIndex, (ulong)i.DataIndex);
            tb.Poke(dut.WriteEnable, i.WriteEnable);
            tb.Poke(dut.WriteIndex, (ulong)i.WriteIndex);
            tb.Poke(dut.WriteTag, i.WriteTag);
            tb.Poke(dut.LoadValid, i.LoadValid);
            tb.Poke(dut.LoadIndex, (ulong)i.LoadIndex);
            tb.Poke(dut.LoadTag, i.LoadTag);
            tb.Poke(dut.TagValid, i.TagValid);
            tb.Poke(dut.TagWrite, i.TagWrite);
            tb.Poke(dut.TagIndex, s_config.WordIndexOf(i.TagAddress));
            tb.Poke(dut.TagInside, s_config.Contains(i.TagAddress));
            tb.Poke(dut.TagWdata, i.TagWdata);
            var o = new Outputs((uint)tb.Peek(dut.FetchTag), (uint)tb.Peek(dut.DataTag), tb.Peek(dut.TagDone) != 0, (uint)tb.Peek(dut.TagRdata));
            tb.Step();
            return o;
        }

        /// <summary>A PEX request, held until done: the read tag (or 0 for a write) and the cycles it waited to be served.</summary>
        public (uint Rdata, int Waited) Pex(bool write, uint address, uint wdata = 0, Func<int, Inputs>? beside = null)
        {
            for (int n = 0; n < 20; n++)
            {
                var i = (beside?.Invoke(n) ?? new Inputs()) with { TagValid = true, TagWrite = write, TagAddress = address, TagWdata = wdata };
                var o = Cycle(i);
                if (o.TagDone)
                    return (o.TagRdata, n - 1);
            }
            throw new AssertionException($"the PEX request to 0x{address:X8} was not served");
        }
    }

    [Test]
    public void TheLoaderFillsItAndTheCorePortsReadTheNextCycle()
    {
        var dut = new TagMemory(s_config);
        using var tb = Bench.Create(dut);
        tb.Reset();
        var d = new Driver(dut, tb);
        var tags = Enumerable.Range(0, Words).Select(i => (uint)(i * 0x9E37 + 1) & 0xFFFF).ToArray();
        for (int i = 0; i < Words; i++)
            d.Cycle(new Inputs { LoadValid = true, LoadIndex = i, LoadTag = tags[i] });
        for (int i = 0; i < Words; i++)
        {
            int j = Words - 1 - i;
            d.Cycle(new Inputs { FetchEnable = true, FetchIndex = i, DataEnable = true, DataIndex = j });
            var o = d.Cycle(new Inputs { FetchIndex = j, DataIndex = i });
            Assert.That((o.FetchTag, o.DataTag), Is.EqualTo((tags[i], tags[j])), $"words {i} and {j}");
            o = d.Cycle(new Inputs { FetchIndex = j, DataIndex = i });
            Assert.That((o.FetchTag, o.DataTag), Is.EqualTo((tags[i], tags[j])), "held while the enables are 0");
        }
        Assert.That(d.Pex(write: false, Base + 4 * 77).Rdata, Is.EqualTo(tags[77]), "the PEX reads what the loader wrote");
    }

    [Test]
    public void AStoreIsSeenByTheDataPortInItsCycleAndByTheFetchPortAfter()
    {
        var dut = new TagMemory(s_config);
        using var tb = Bench.Create(dut);
        tb.Reset();
        var d = new Driver(dut, tb);
        d.Cycle(new Inputs { LoadValid = true, LoadIndex = 9, LoadTag = 0x1111 });
        d.Cycle(new Inputs { WriteEnable = true, WriteIndex = 9, WriteTag = 0x2222, FetchEnable = true, FetchIndex = 9, DataEnable = true, DataIndex = 9 });
        var o = d.Cycle(new Inputs { FetchEnable = true, FetchIndex = 9 });
        Assert.That(o.DataTag, Is.EqualTo(0x2222), "the data port: the tag written in the cycle of the read");
        Assert.That(o.FetchTag, Is.EqualTo(0x1111), "the fetch port: the old tag");
        o = d.Cycle(new Inputs());
        Assert.That(o.FetchTag, Is.EqualTo(0x2222), "read a cycle later: the new tag");

        // A write to another word in the cycle of the read does not touch the word read.
        d.Cycle(new Inputs { WriteEnable = true, WriteIndex = 10, WriteTag = 0x3333, DataEnable = true, DataIndex = 9 });
        Assert.That(d.Cycle(new Inputs()).DataTag, Is.EqualTo(0x2222));
        // The loader's write is bypassed the same way, and it wins over the core's.
        d.Cycle(new Inputs { LoadValid = true, LoadIndex = 9, LoadTag = 0x4444, WriteEnable = true, WriteIndex = 9, WriteTag = 0x5555, DataEnable = true, DataIndex = 9 });
        Assert.That(d.Cycle(new Inputs { DataEnable = true, DataIndex = 10 }).DataTag, Is.EqualTo(0x4444));
        Assert.That(d.Cycle(new Inputs()).DataTag, Is.EqualTo(0x3333));
    }

    [Test]
    public void ThePexReadsAndWritesBetweenTheCoresWritesAndIgnoresAddressesOutside()
    {
        var dut = new TagMemory(s_config);
        using var tb = Bench.Create(dut);
        tb.Reset();
        var d = new Driver(dut, tb);
        for (int i = 0; i < Words; i++)
            d.Cycle(new Inputs { LoadValid = true, LoadIndex = i, LoadTag = (uint)i + 0x100 });

        Assert.That(d.Pex(write: true, Base + 8, 0xBEEF), Is.EqualTo((0u, 0)), "a write served at once");
        Assert.That(d.Pex(write: false, Base + 8), Is.EqualTo((0xBEEFu, 0)));
        Assert.That(d.Pex(write: false, Base + 11).Rdata, Is.EqualTo(0xBEEF), "a byte address inside the word");

        // While the core writes, the PEX's write waits; its read does not.
        Func<int, Inputs> coreWrites3 = n => n < 3 ? new Inputs { WriteEnable = true, WriteIndex = 20 + n, WriteTag = 0xC0 + (uint)n } : new Inputs();
        Assert.That(d.Pex(write: true, Base + 4 * 30, 0xAAAA, coreWrites3).Waited, Is.EqualTo(3), "served in the first cycle without a core write");
        Assert.That(d.Pex(write: false, Base + 4 * 31, beside: coreWrites3), Is.EqualTo((0x100u + 31, 0)), "a read beside a core write");
        Assert.That(d.Pex(write: false, Base + 4 * 30).Rdata, Is.EqualTo(0xAAAA));
        Assert.That(d.Pex(write: false, Base + 4 * 21).Rdata, Is.EqualTo(0xC1), "the core's write went in");
        Func<int, Inputs> loaderWrites2 = n => n < 2 ? new Inputs { LoadValid = true, LoadIndex = 40, LoadTag = 0x77 } : new Inputs();
        Assert.That(d.Pex(write: true, Base + 4 * 40, 0x88, loaderWrites2).Waited, Is.EqualTo(2), "the loader too");
        Assert.That(d.Pex(write: false, Base + 4 * 40).Rdata, Is.EqualTo(0x88), "the PEX's write came last");

        // Outside: reads 0, writes change nothing.
        var before = Enumerable.Range(0, Words).Select(i => d.Pex(write: false, Base + 4 * (uint)i).Rdata).ToArray();
        foreach (var address in new[] { Base - 4, Base - 1, Base + Size, Base + Size + 4, 0u, 0xFFFF_FFFC, Base ^ 0x4000_0000 })
        {
            Assert.That(d.Pex(write: true, address, 0x5A5A), Is.EqualTo((0u, 0)), $"write to 0x{address:X8}");
            Assert.That(d.Pex(write: false, address).Rdata, Is.Zero, $"read of 0x{address:X8}");
        }
        var after = Enumerable.Range(0, Words).Select(i => d.Pex(write: false, Base + 4 * (uint)i).Rdata).ToArray();
        Assert.That(after, Is.EqualTo(before), "no word changed by a write outside");
        Assert.That(d.Pex(write: false, Base + Size - 4).Rdata, Is.EqualTo(before[^1]), "the last word is inside");
    }

    [Test]
    public void MatchesTheModelWithEveryPortBusy()
    {
        var dut = new TagMemory(s_config);
        using var tb = Bench.Create(dut);
        tb.Reset();
        var d = new Driver(dut, tb);
        var model = new Model();
        var random = new Random(17);
        Inputs? request = null;
        int served = 0, waited = 0, outside = 0;
        for (int cycle = 0; cycle < 20_000; cycle++)
        {
            if (request is null && random.Next(3) == 0)
            {
                uint address = random.Next(10) == 0
                    ? (uint)random.NextInt64(1L << 32)
                    : Base + (uint)random.Next((int)Size + 8) - 4;
                outside += address - Base >= Size ? 1 : 0;
                request = new Inputs { TagValid = true, TagWrite = random.Next(2) == 0, TagAddress = address, TagWdata = (uint)random.Next(1 << 16) };
            }
            bool core = random.Next(3) == 0;
            var input = (request ?? new Inputs()) with
            {
                FetchEnable = random.Next(2) == 0,
                FetchIndex = random.Next(Words),
                DataEnable = random.Next(2) == 0,
                DataIndex = random.Next(16),
                WriteEnable = core,
                WriteIndex = random.Next(16),
                WriteTag = (uint)random.Next(1 << 16),
                LoadValid = random.Next(20) == 0,
                LoadIndex = random.Next(Words),
                LoadTag = (uint)random.Next(1 << 16),
            };
            waited += request is { TagWrite: true } && (input.WriteEnable || input.LoadValid) ? 1 : 0;
            var expected = model.Cycle(input);
            var actual = d.Cycle(input);
            Assert.That((actual.FetchTag, actual.DataTag, actual.TagDone), Is.EqualTo((expected.FetchTag, expected.DataTag, expected.TagDone)), $"cycle {cycle}");
            if (expected.TagDone)
            {
                if (!request!.TagWrite)
                    Assert.That(actual.TagRdata, Is.EqualTo(expected.TagRdata), $"cycle {cycle}: the PEX's read of 0x{request.TagAddress:X8}");
                request = null;
                served++;
            }
        }
        for (int i = 0; i < Words; i++)
            Assert.That(d.Pex(write: false, Base + 4 * (uint)i).Rdata, Is.EqualTo(model.Tags[i]), $"word {i} at the end");
        Assert.That(served, Is.GreaterThan(3000));
        Assert.That(outside, Is.GreaterThan(100));
        Assert.That(waited, Is.GreaterThan(500), "writes met the core's and the loader's");
    }
}
