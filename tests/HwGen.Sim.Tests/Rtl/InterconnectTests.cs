using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Sim.Verilator;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// A small map with a region of each sort, a memory behind every region (initialised with a pattern), and the
/// two masters each through a <see cref="WaitStateInjector"/>: the interconnect under test, driven from C#.
/// </summary>
internal sealed class InterconnectBench : Module
{
    public static readonly MemoryMap TestMap = new([
        MemoryRegion.Rom("ROM", 0x0001_0000, 0x100, "boot ROM"),
        MemoryRegion.Device("WORDS", 0x1000_0000, 0x100, "word-only registers", AccessWidths.Word),
        MemoryRegion.Device("ANY", 0x1000_1000, 0x100, "registers of any width", AccessWidths.Any),
        MemoryRegion.Device("HALVES", 0x1000_2000, 0x40, "halfwords and words", AccessWidths.Halfword | AccessWidths.Word),
        MemoryRegion.Device("READONLY", 0x2000_0000, 0x40, "read only", AccessWidths.Word) with { Writable = false },
        MemoryRegion.Device("WRITEONLY", 0x2000_1000, 0x40, "write only", AccessWidths.Word) with { Readable = false },
        MemoryRegion.Ram("RAM", 0x8000_0000, 0x400, "main memory"),
    ]);

    public InterconnectBench(bool dualPortRam, bool responsesApart = false)
    {
        interconnect = new Interconnect(TestMap, dualPortRam ? ["RAM"] : null, responsesApart: responsesApart);
        dataWaits = new WaitStateInjector(stallOneIn: 4, maxResponseDelay: 3);
        instrWaits = new WaitStateInjector(stallOneIn: 2, maxResponseDelay: 3);
    }

    public readonly SystemBus Data = In(new SystemBus());
    public readonly SystemBus Instr = In(new SystemBus());
    public readonly Signal Seed = In(32);
    public readonly Signal WaitStates = In(1);

    private readonly Interconnect interconnect;
    private readonly WaitStateInjector dataWaits;
    private readonly WaitStateInjector instrWaits;

    /// <summary>The initial word <paramref name="index"/> of region <paramref name="region"/>.</summary>
    public static uint InitialWord(MemoryRegion region, int index) => (region.Base ^ 0x5A5A_0000u) + (uint)index * 0x0101_0101u;

    protected override void Build()
    {
        dataWaits.Master.Connect(Data);
        instrWaits.Master.Connect(Instr);
        interconnect.Data.Connect(dataWaits.Slave);
        interconnect.Instr.Connect(instrWaits.Slave);
        dataWaits.Enable.Set(WaitStates);
        instrWaits.Enable.Set(WaitStates);
        // Different seeds for the two masters.
        dataWaits.Seed.Set(Seed);
        instrWaits.Seed.Set(Seed ^ 0x9E37_79B9u);

        foreach (var region in interconnect.Regions)
        {
            int words = (int)(region.Size / 4);
            var memory = Mem(32, words, init: [.. Enumerable.Range(0, words).Select(i => (ulong)InitialWord(region, i))]);
            var port = interconnect.Port(region.Name);
            int indexBits = port.Offset.Width - 2;
            var read = memory.ReadPort();
            read.Address.Set(port.Offset[indexBits + 1, 2]);
            read.Enable.Set(port.Select & ~port.Write);
            port.ReadData.Set(read.Data);
            if (region.Writable)
            {
                var write = memory.WritePort(granularity: 8);
                write.Address.Set(port.Offset[indexBits + 1, 2]);
                write.Data.Set(port.WriteData);
                write.Mask!.Set(port.ByteEnable);
                write.Enable.Set(port.Select & port.Write);
            }
            if (interconnect.FetchPort(region.Name) is { } fetch)
            {
                var fetchRead = memory.ReadPort();
                fetchRead.Address.Set(fetch.Offset[indexBits + 1, 2]);
                fetchRead.Enable.Set(fetch.Select);
                fetch.ReadData.Set(fetchRead.Data);
            }
        }
    }
}

/// <summary>
/// The interconnect against a reference model of the map: every request's response (error or data) as the region
/// list says, reads and writes of each region, each kind of error, the data master first on a shared port, a
/// request every cycle without wait states, and responses in order under random wait states.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InterconnectTests
{
    private static readonly Dictionary<(bool, bool), (string Library, HarnessBinding Binding)> s_models = [];

    private static VerilatedModel Model(bool dualPortRam, bool responsesApart)
    {
        lock (s_models)
        {
            if (!s_models.TryGetValue((dualPortRam, responsesApart), out var built))
            {
                var design = Elaborator.Elaborate(new InterconnectBench(dualPortRam, responsesApart));
                var emitted = VerilogEmitter.Emit(design);
                var binding = HarnessBinding.For(design, emitted.TopModule);
                s_models[(dualPortRam, responsesApart)] = built = (VerilatorBuild.Build(emitted, binding, WaveFormat.None, TestContext.Progress.WriteLine), binding);
            }
            return new VerilatedModel(built.Library, built.Binding);
        }
    }

    private sealed record Request(uint Address, bool Write, uint ByteEnable, uint WriteData);

    /// <summary>The map's memories as the bench initialises them, and what each request must get.</summary>
    private sealed class Reference
    {
        private readonly Dictionary<uint, uint> words = [];

        public Reference()
        {
            foreach (var region in InterconnectBench.TestMap.Regions)
            {
                for (int i = 0; i < region.Size / 4; i++)
                    words[region.Base + (uint)(4 * i)] = InterconnectBench.InitialWord(region, i);
            }
        }

        public static bool Allowed(Request request, bool fetch)
        {
            var region = InterconnectBench.TestMap.RegionAt(request.Address);
            if (region is null)
                return false;
            var width = request.ByteEnable switch
            {
                0b0001 or 0b0010 or 0b0100 or 0b1000 => AccessWidths.Byte,
                0b0011 or 0b1100 => AccessWidths.Halfword,
                0b1111 => AccessWidths.Word,
                _ => AccessWidths.None,
            };
            if (fetch)
                return region.Executable && !request.Write && width == AccessWidths.Word;
            return region.Allows(width) && (request.Write ? region.Writable : region.Readable);
        }

        /// <summary>The response: (error, read data); a write changes the memory.</summary>
        public (bool Error, uint? Data) Apply(Request request, bool fetch)
        {
            if (!Allowed(request, fetch))
                return (true, null);
            if (!request.Write)
                return (false, words[request.Address]);
            uint mask = 0;
            for (int lane = 0; lane < 4; lane++)
            {
                if ((request.ByteEnable >> lane & 1) != 0)
                    mask |= 0xFFu << (8 * lane);
            }
            words[request.Address] = (words[request.Address] & ~mask) | (request.WriteData & mask);
            return (false, null);
        }
    }

    /// <summary>One master driven from C#: at most one request outstanding, the next one presented in the cycle its response arrives.</summary>
    private sealed class Master(VerilatedModel model, string bus, bool fetch)
    {
        private readonly Queue<Request> pending = [];
        private Request? presented;
        private Request? outstanding;
        private (bool Error, uint? Data) expected;

        public List<string> Failures { get; } = [];

        public int Completed { get; private set; }

        public int StalledCycles { get; private set; }

        public int Errors { get; private set; }

        public bool Idle => pending.Count == 0 && presented is null && outstanding is null;

        public void Enqueue(Request request) => pending.Enqueue(request);

        /// <summary>Before the clock edge, with the inputs of the previous cycle still applied: take a response.</summary>
        public void TakeResponse(long cycle)
        {
            if (model.Get($"{bus}_ResponseValid") == 0)
                return;
            if (outstanding is null)
            {
                Failures.Add($"{bus} cycle {cycle}: a response with no request outstanding");
                return;
            }
            var (error, data) = expected;
            bool gotError = model.Get($"{bus}_Error") != 0;
            if (gotError)
                Errors++;
            uint gotData = (uint)model.Get($"{bus}_ReadData");
            if (gotError != error || (data is { } d && !error && gotData != d) || (error && gotData != 0))
            {
                Failures.Add($"{bus} cycle {cycle}: {Describe(outstanding)} answered error={gotError} data=0x{gotData:X8}, expected error={error}" + (data is { } e ? $" data=0x{e:X8}" : "") + (error ? " data=0" : ""));
            }
            outstanding = null;
            Completed++;
        }

        /// <summary>Presents the next request (or holds the one not yet taken).</summary>
        public void Drive()
        {
            if (presented is null && outstanding is null && pending.Count > 0)
                presented = pending.Dequeue();
            model.Set($"{bus}_Valid", presented is null ? 0u : 1u);
            var r = presented ?? new Request(0, false, 0, 0);
            model.Set($"{bus}_Address", r.Address);
            model.Set($"{bus}_Write", r.Write ? 1u : 0u);
            model.Set($"{bus}_ByteEnable", r.ByteEnable);
            model.Set($"{bus}_WriteData", r.WriteData);
        }

        /// <summary>
        /// After evaluation, before the clock edge: whether the request is taken. A request takes effect when it is
        /// taken (the interconnect passes it on in that cycle), so the reference computes its response then.
        /// </summary>
        public void Handshake(Reference reference)
        {
            if (presented is null)
                return;
            if (model.Get($"{bus}_Ready") != 0)
            {
                expected = reference.Apply(presented, fetch);
                outstanding = presented;
                presented = null;
            }
            else
            {
                StalledCycles++;
            }
        }

        private static string Describe(Request r) =>
            $"{(r.Write ? "write" : "read")} 0x{r.Address:X8} be {Convert.ToString(r.ByteEnable, 2).PadLeft(4, '0')}" + (r.Write ? $" data 0x{r.WriteData:X8}" : "");
    }

    /// <summary>Runs both masters until both are idle; returns the cycles taken.</summary>
    private static long Run(VerilatedModel model, Master data, Master instr, Reference reference, long limit = 200_000)
    {
        long cycle = 0;
        while (!(data.Idle && instr.Idle))
        {
            Assert.That(cycle, Is.LessThan(limit), "the masters did not finish");
            model.Eval();
            data.TakeResponse(cycle);
            instr.TakeResponse(cycle);
            data.Drive();
            instr.Drive();
            model.Eval();
            // A fetch and a store taken in the same cycle (two RAM ports): the fetch reads the word before the store.
            instr.Handshake(reference);
            data.Handshake(reference);
            model.Tick();
            cycle++;
        }
        model.Set("Data_Valid", 0);
        model.Set("Instr_Valid", 0);
        return cycle;
    }

    private static VerilatedModel Start(bool dualPortRam, bool waitStates, uint seed, bool responsesApart = false)
    {
        var model = Model(dualPortRam, responsesApart);
        model.Set("Seed", seed);
        model.Set("WaitStates", waitStates ? 1u : 0u);
        model.Set("rst", 1);
        model.Tick(2);
        model.Set("rst", 0);
        return model;
    }

    private static Request Read(uint address, uint byteEnable = 0b1111) => new(address, false, byteEnable, 0);

    private static Request Write(uint address, uint data, uint byteEnable = 0b1111) => new(address, true, byteEnable, data);

    /// <summary>
    /// A master that changes a request the injector passed on and the interconnect did not take breaks the protocol:
    /// from then on every response is an error (read data 0), so a co-simulation shows it. One that holds its
    /// requests gets plain answers.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void AMasterThatChangesARequestNotYetTakenGetsErrorsFromThenOn(bool change)
    {
        using var model = Start(dualPortRam: true, waitStates: true, seed: 3);
        model.Set("Instr_Valid", 0);
        model.Set("Data_Write", 0);
        model.Set("Data_ByteEnable", 0b1111);
        var ram = InterconnectBench.TestMap.Find("RAM")!;
        uint address = ram.Base;
        var errors = new List<bool>();
        bool changed = false;
        bool waiting = false;
        for (int cycle = 0; cycle < 400 && errors.Count < 40; cycle++)
        {
            bool valid = !waiting;
            model.Set("Data_Valid", valid ? 1u : 0u);
            model.Set("Data_Address", address);
            model.Eval();
            if (model.Get("Data_ResponseValid") != 0)
            {
                errors.Add(model.Get("Data_Error") != 0);
                Assert.That(model.Get("Data_Error") == 0 || model.Get("Data_ReadData") == 0, "an error reads 0");
                waiting = false;
            }
            if (valid && model.Get("Data_Ready") != 0)
            {
                waiting = true;
            }
            else if (valid && change && !changed)
            {
                // Not taken: the next cycle presents another address.
                address += 4;
                changed = true;
            }
            model.Tick();
        }

        Assert.That(errors, Has.Count.GreaterThanOrEqualTo(20));
        if (change)
        {
            Assert.That(changed, Is.True, "the injector held a request back");
            Assert.That(errors.Skip(errors.Count - 5), Is.All.True, "after the change every response is an error");
        }
        else
        {
            Assert.That(errors, Is.All.False);
        }
    }

    [Test]
    public void EachRegionIsReadAndWrittenAsItsAttributesSay([Values] bool dualPortRam)
    {
        using var model = Start(dualPortRam, waitStates: false, seed: 1);
        var reference = new Reference();
        var data = new Master(model, "Data", fetch: false);
        var instr = new Master(model, "Instr", fetch: true);
        foreach (var region in InterconnectBench.TestMap.Regions)
        {
            uint a = region.Base + 8;
            data.Enqueue(Read(a));
            data.Enqueue(Write(a, 0xDEAD_BEEF));
            data.Enqueue(Read(a));
            data.Enqueue(Write(a + 4, 0x1234_5678, 0b0001));
            data.Enqueue(Write(a + 4, 0xABCD_0000, 0b1100));
            data.Enqueue(Read(a + 4));
            data.Enqueue(Read(a + 4, 0b0010));
            data.Enqueue(Read(a + 4, 0b0011));
            data.Enqueue(Read(a + 4, 0b0110));
            data.Enqueue(Read(a + 4, 0b0000));
            instr.Enqueue(Read(region.Base + 12));
        }
        Run(model, data, instr, reference);
        Assert.That(data.Failures.Concat(instr.Failures), Is.Empty);
        Assert.That((data.Completed, instr.Completed), Is.EqualTo((10 * 7, 7)));
    }

    [Test]
    public void EachKindOfErrorIsAnswered()
    {
        using var model = Start(dualPortRam: false, waitStates: false, seed: 1);
        var data = new Master(model, "Data", fetch: false);
        var instr = new Master(model, "Instr", fetch: true);
        var cases = new (Master Master, Request Request, string What)[]
        {
            (data, Read(0x4000_0000), "no region"),
            (data, Read(0x0001_0100), "just past the ROM"),
            (data, Read(0x1000_0000, 0b0001), "a byte from a word-only region"),
            (data, Write(0x1000_0000, 1, 0b0011), "a halfword to a word-only region"),
            (data, Read(0x1000_2000, 0b0100), "a byte from a halfword region"),
            (data, Read(0x8000_0000, 0b0101), "byte enables that are no width"),
            (data, Write(0x0001_0000, 1), "a write to the ROM"),
            (data, Write(0x2000_0000, 1), "a write to a read-only region"),
            (data, Read(0x2000_1000), "a read of a write-only region"),
            (instr, Read(0x1000_1000), "a fetch from a device"),
            (instr, Read(0x4000_0000), "a fetch from no region"),
            (instr, Write(0x8000_0000, 1), "a write on the instruction bus"),
            (instr, Read(0x8000_0000, 0b0011), "a fetch of a halfword"),
        };
        foreach (var (master, request, what) in cases)
            Assert.That(Reference.Allowed(request, ReferenceEquals(master, instr)), Is.False, what);

        foreach (var (master, request, _) in cases)
        {
            master.Enqueue(request);
            // The same address in an access the region takes: no error.
            var region = InterconnectBench.TestMap.RegionAt(request.Address);
            if (region is not null)
                data.Enqueue(Read(region.Base, region.Readable ? 0b1111u : 0b0000u));
        }
        Run(model, data, instr, new Reference());
        int dataCases = cases.Count(c => c.Master == data);
        int readable = cases.Count(c => InterconnectBench.TestMap.RegionAt(c.Request.Address) is { Readable: false });
        Assert.That(data.Failures.Concat(instr.Failures), Is.Empty);
        Assert.That((data.Errors, instr.Errors), Is.EqualTo((dataCases + readable, cases.Length - dataCases)));
    }

    [Test]
    public void TheDataMasterHasASharedPortFirst()
    {
        using var model = Start(dualPortRam: false, waitStates: false, seed: 1);
        // Both to the RAM in the same cycle: data is taken, the fetch waits.
        model.Set("Data_Valid", 1);
        model.Set("Data_Address", 0x8000_0010);
        model.Set("Data_Write", 0);
        model.Set("Data_ByteEnable", 0b1111);
        model.Set("Instr_Valid", 1);
        model.Set("Instr_Address", 0x8000_0020);
        model.Set("Instr_ByteEnable", 0b1111);
        model.Set("Instr_Write", 0);
        model.Eval();
        Assert.That((model.Get("Data_Ready"), model.Get("Instr_Ready")), Is.EqualTo((1UL, 0UL)), "RAM and RAM");
        // The fetch from the ROM while data goes to the RAM: no conflict.
        model.Set("Instr_Address", 0x0001_0004);
        model.Eval();
        Assert.That(model.Get("Instr_Ready"), Is.EqualTo(1), "ROM while data reads RAM");
        // Data to the ROM: the fetch from the ROM waits.
        model.Set("Data_Address", 0x0001_0008);
        model.Eval();
        Assert.That(model.Get("Instr_Ready"), Is.EqualTo(0), "ROM and ROM");
        // Data to a device: fetches go ahead.
        model.Set("Data_Address", 0x1000_1000);
        model.Eval();
        Assert.That(model.Get("Instr_Ready"), Is.EqualTo(1), "ROM while data reads a device");
        // No data request: fetches go ahead.
        model.Set("Data_Valid", 0);
        model.Set("Data_Address", 0x8000_0020);
        model.Set("Instr_Address", 0x8000_0020);
        model.Eval();
        Assert.That(model.Get("Instr_Ready"), Is.EqualTo(1), "RAM with no data request");
    }

    [Test]
    public void WithTwoRamPortsFetchesNeverWait()
    {
        using var model = Start(dualPortRam: true, waitStates: false, seed: 1);
        model.Set("Data_Valid", 1);
        model.Set("Data_Address", 0x8000_0010);
        model.Set("Data_ByteEnable", 0b1111);
        model.Set("Instr_Valid", 1);
        model.Set("Instr_Address", 0x8000_0010);
        model.Set("Instr_ByteEnable", 0b1111);
        model.Eval();
        Assert.That((model.Get("Data_Ready"), model.Get("Instr_Ready")), Is.EqualTo((1UL, 1UL)));
        model.Tick();
        model.Set("Data_Valid", 0);
        model.Set("Instr_Valid", 0);
        model.Eval();
        uint expected = InterconnectBench.InitialWord(InterconnectBench.TestMap.Ram, 4);
        Assert.That((model.Get("Data_ReadData"), model.Get("Instr_ReadData")), Is.EqualTo(((ulong)expected, (ulong)expected)));
    }

    [Test]
    public void WithoutWaitStatesARequestIsTakenEveryCycle([Values] bool dualPortRam)
    {
        using var model = Start(dualPortRam, waitStates: false, seed: 1);
        var reference = new Reference();
        var data = new Master(model, "Data", fetch: false);
        var instr = new Master(model, "Instr", fetch: true);
        const int count = 64;
        for (int i = 0; i < count; i++)
        {
            data.Enqueue(i % 2 == 0 ? Write(0x1000_1000 + (uint)(4 * (i % 16)), (uint)i * 77) : Read(0x1000_1000 + (uint)(4 * (i % 16))));
            instr.Enqueue(Read(0x8000_0000 + (uint)(4 * i)));
        }
        long cycles = Run(model, data, instr, reference);
        Assert.That(data.Failures.Concat(instr.Failures), Is.Empty);
        Assert.That(cycles, Is.EqualTo(count + 1), "one request a cycle, the last response one cycle after");
        Assert.That(instr.StalledCycles, Is.Zero);
    }

    [Test]
    public void RandomTrafficIsAnsweredInOrderUnderRandomWaitStates([Values(1u, 2u, 3u)] uint seed, [Values] bool dualPortRam)
    {
        using var model = Start(dualPortRam, waitStates: true, seed: seed);
        var reference = new Reference();
        var data = new Master(model, "Data", fetch: false);
        var instr = new Master(model, "Instr", fetch: true);
        var random = new Random((int)seed);
        var regions = InterconnectBench.TestMap.Regions;
        uint Address(bool wide)
        {
            if (random.Next(10) == 0)
                return (uint)random.Next() & ~3u;   // mostly unmapped
            var region = regions[random.Next(regions.Count)];
            return region.Base + (uint)random.Next((int)Math.Min(region.Size, wide ? 64 : 16) / 4) * 4;
        }
        uint[] enables = [0b1111, 0b1111, 0b0001, 0b0010, 0b0100, 0b1000, 0b0011, 0b1100, 0b0110, 0b0000];
        for (int i = 0; i < 3000; i++)
        {
            bool write = random.Next(2) == 0;
            data.Enqueue(new Request(Address(true), write, enables[random.Next(enables.Length)], (uint)random.Next()));
            var fetchRegion = random.Next(4) == 0 ? regions[random.Next(regions.Count)] : InterconnectBench.TestMap.Ram;
            instr.Enqueue(random.Next(20) == 0
                ? new Request(Address(false), random.Next(2) == 0, enables[random.Next(enables.Length)], (uint)random.Next())
                : Read(fetchRegion.Base + (uint)random.Next(16) * 4));
        }
        long cycles = Run(model, data, instr, reference);
        Assert.That(data.Failures.Concat(instr.Failures).Take(10), Is.Empty);
        Assert.That((data.Completed, instr.Completed), Is.EqualTo((3000, 3000)));
        Assert.That(data.StalledCycles, Is.GreaterThan(100), "the injector stalled requests");
        Assert.That(cycles, Is.GreaterThan(3000 * 2), "responses were delayed");
        TestContext.Out.WriteLine($"seed {seed}: {cycles} cycles, data stalled {data.StalledCycles}, fetch stalled {instr.StalledCycles}");
    }

    /// <summary>
    /// With responsesApart (one read-data AND-OR for both masters) and the masters taking turns, as a core that runs one
    /// instruction at a time does: every response as the map says, the fetches' words too (from the RAM's fetch port
    /// with two ports), under random wait states.
    /// </summary>
    [Test]
    public void MastersTakingTurnsGetTheirWordsFromOneReadMultiplexer([Values(1u, 2u)] uint seed, [Values] bool dualPortRam)
    {
        using var model = Start(dualPortRam, waitStates: true, seed: seed, responsesApart: true);
        var reference = new Reference();
        var data = new Master(model, "Data", fetch: false);
        var instr = new Master(model, "Instr", fetch: true);
        var random = new Random((int)seed);
        var regions = InterconnectBench.TestMap.Regions;
        uint[] enables = [0b1111, 0b1111, 0b0001, 0b0100, 0b0011, 0b1100];
        for (int i = 0; i < 600; i++)
        {
            var region = regions[random.Next(regions.Count)];
            uint address = region.Base + (uint)random.Next((int)Math.Min(region.Size, 32) / 4) * 4;
            data.Enqueue(new Request(address, random.Next(3) == 0, enables[random.Next(enables.Length)], (uint)random.Next()));
            Run(model, data, instr, reference);
            var fetchRegion = random.Next(3) == 0 ? regions[random.Next(regions.Count)] : InterconnectBench.TestMap.Ram;
            instr.Enqueue(Read(fetchRegion.Base + (uint)random.Next(8) * 4));
            Run(model, data, instr, reference);
        }
        Assert.That(data.Failures.Concat(instr.Failures).Take(10), Is.Empty);
        Assert.That((data.Completed, instr.Completed), Is.EqualTo((600, 600)));
        Assert.That(data.Errors + instr.Errors, Is.LessThan(600), "most requests are answered with data");
    }
}
