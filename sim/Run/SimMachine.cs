using System.Collections.Concurrent;
using System.Text;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using HwGen.Sim.Cosim;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Verilator;

namespace HwGen.Sim.Run;

/// <summary>
/// The Verilated AP SoC of one configuration, elaborated and built once, and run as often as needed: each
/// run gets a fresh model instance (the shared library stays loaded), so thousands of programs cost one build.
/// </summary>
public sealed class SimMachine
{
    private static readonly ConcurrentDictionary<(MemoryMap, CoreConfig?, WaveFormat, SocParts), Lazy<SimMachine>> Machines = new();
    private const int BatchRecords = 4096;
    private const string LoaderValid = nameof(ApSoc.Loader) + "_" + nameof(LoaderPort.Valid);
    private const string LoaderAddress = nameof(ApSoc.Loader) + "_" + nameof(LoaderPort.Address);
    private const string LoaderData = nameof(ApSoc.Loader) + "_" + nameof(LoaderPort.Data);
    private const string PexLoaderValid = nameof(TaggedSoc.PexLoader) + "_" + nameof(LoaderPort.Valid);
    private const string PexLoaderAddress = nameof(TaggedSoc.PexLoader) + "_" + nameof(LoaderPort.Address);
    private const string PexLoaderData = nameof(TaggedSoc.PexLoader) + "_" + nameof(LoaderPort.Data);
    private const string TagLoaderValid = nameof(TaggedSoc.TagLoader) + "_" + nameof(TagLoaderPort.Valid);
    private const string TagLoaderIndex = nameof(TaggedSoc.TagLoader) + "_" + nameof(TagLoaderPort.Index);
    private const string TagLoaderTag = nameof(TaggedSoc.TagLoader) + "_" + nameof(TagLoaderPort.Tag);

    private SimMachine(MemoryMap map, HarnessBinding binding, TraceLayout layout, string library)
    {
        Map = map;
        Binding = binding;
        Library = library;
        Layout = layout;
    }

    public MemoryMap Map { get; }

    public HarnessBinding Binding { get; }

    /// <summary>The model's shared library.</summary>
    public string Library { get; }

    public TraceLayout Layout { get; }

    /// <summary>The machine for a configuration: built on first use (or found in the build cache), then shared.</summary>
    public static SimMachine Get(MemoryMap map, CoreConfig? core = null, WaveFormat wave = WaveFormat.None, Action<string>? progress = null, SocParts? parts = null) =>
        Machines.GetOrAdd((map, core, wave, parts ?? SocParts.Simulation), key => new Lazy<SimMachine>(() =>
        {
            // A model prepared by an earlier process needs no elaboration.
            var prepared = PreparedModels.Key(key.Item1, key.Item2, key.Item3, key.Item4);
            if (prepared is not null && PreparedModels.TryLoad(prepared) is { } found)
            {
                progress?.Invoke($"using the cached model {Path.GetDirectoryName(found.Library)}, elaborated by an earlier run");
                return new SimMachine(key.Item1, found.Binding, found.Layout, found.Library) { Parts = key.Item4, Tags = key.Item2?.Tags };
            }
            var (verilog, binding, layout) = SimRunner.Prepare(key.Item1, key.Item2, key.Item4);
            var library = VerilatorBuild.Build(verilog, binding, key.Item3, progress);
            if (prepared is not null)
                PreparedModels.Store(prepared, library, binding, layout);
            return new SimMachine(key.Item1, binding, layout, library) { Parts = key.Item4, Tags = key.Item2?.Tags };
        })).Value;

    /// <summary>The parts the SoC was built with (see <see cref="SocParts"/>).</summary>
    public SocParts Parts { get; private init; } = SocParts.Simulation;

    /// <summary>The tag unit's parameters of a tagged core (the machine is a <see cref="TaggedSoc"/>); null untagged.</summary>
    public TagConfig? Tags { get; private init; }

    /// <summary>Runs <paramref name="image"/> to its <c>tohost</c> store, the cycle limit or a divergence.</summary>
    public SimResult Run(ElfImage image, SimOptions options)
    {
        using var model = new VerilatedModel(Library, Binding, options.WavePath);
        if (options.WavePath is not null)
            model.Wave(true);
        Reset(model, image, Map, options);
        var start = model.Cycles;

        Lockstep? lockstep = null;
        if (options.Cosim)
        {
            var golden = new Rv32Iss(Map, new IssOptions { AutonomousInterrupts = false });
            golden.Load(options.GoldenImage ?? image);
            lockstep = new Lockstep(golden, Layout);
        }

        using var trace = options.TracePath is null ? null : new StreamWriter(options.TracePath);
        var memory = options.Capture.Select(range => new MemoryCapture(range, image)).ToArray();
        bool allRecords = lockstep is not null || trace is not null || memory.Length > 0;
        var records = new ulong[BatchRecords * Layout.Stride];
        var uartBuffer = new byte[BatchRecords];
        var uart = new StringBuilder();
        int uartTaken = 0;
        ulong instret = 0;
        TrapInfo? trap = null;
        RetireRecord last = default;
        while (true)
        {
            // Without co-simulation only the trapping records (and the halting one) cross into C#.
            var stop = model.Run(start + options.MaxCycles, records, out int count, allRecords, out ulong retired, image.Tohost,
                uartBuffer, out int uartCount, options.UartInput.AsSpan(uartTaken), out int taken);
            // With every record at hand the count follows them one by one, so a divergence reports its own; otherwise
            // the loop's count stands for the records it did not hand over.
            if (!allRecords)
                instret += retired;
            uartTaken += taken;
            if (uartCount > 0)
            {
                var text = Encoding.Latin1.GetString(uartBuffer, 0, uartCount);
                uart.Append(text);
                options.UartEcho?.Invoke(text);
            }
            for (int i = 0; i < count; i++)
            {
                var slots = records.AsSpan(i * Layout.Stride, Layout.Stride);
                var record = Layout.ToRecord(slots);
                if (record.Trap)
                {
                    trap = new TrapInfo(record.Cause, record.PcRdata, Model.TrapCause.Describe(record.Cause));
                    if (!allRecords)
                        instret--;
                }
                else if (allRecords)
                {
                    instret++;
                }
                last = record;
                trace?.WriteLine(record.ToString(Layout.Table));
                if (!record.Trap && record.MemWmask != 0)
                {
                    foreach (var capture in memory)
                        capture.Store(record.MemAddr, record.MemWmask, record.MemWdata);
                }
                // Cycles count from the program's first cycle, after loading.
                var cycle = Layout.Cycle(slots) - start;
                if (lockstep is not null && lockstep.Check(record, cycle) is { } divergence)
                {
                    // The state at the diverging instruction: its cycle, the instructions retired up to it, its own trap.
                    var report = divergence with { WavePath = WriteDivergenceWave(options, image, start + cycle) };
                    var own = record.Trap ? trap : null;
                    return new SimResult(SimStatus.Divergence, 0, cycle, instret, uart.ToString(), own, report) { Memory = Captured(memory), Tags = TagReport(model) };
                }
            }
            if (stop == RunStop.Halted)
            {
                int code = (int)(last.MemWdata >> 1);
                return new SimResult(code == 0 ? SimStatus.Passed : SimStatus.Failed, code, model.Cycles - start, instret, uart.ToString(), trap, null)
                {
                    Memory = Captured(memory),
                    Tags = TagReport(model),
                };
            }
            if (stop == RunStop.CycleLimit)
                return new SimResult(SimStatus.Timeout, 0, model.Cycles - start, instret, uart.ToString(), trap, null) { Memory = Captured(memory), Tags = TagReport(model) };
        }
    }

    private static IReadOnlyList<byte[]> Captured(MemoryCapture[] memory) => [.. memory.Select(m => m.Bytes)];

    /// <summary>
    /// A region of RAM followed through the run: the program's image to begin with, then every store the core retires
    /// (the trace's word address, byte lanes and data).
    /// </summary>
    private sealed class MemoryCapture
    {
        private readonly uint _address;

        public MemoryCapture(MemoryRange range, ElfImage image)
        {
            _address = range.Address;
            Bytes = new byte[range.Length];
            foreach (var segment in image.Segments)
            {
                ulong from = Math.Max(segment.Address, range.Address), to = Math.Min((ulong)segment.Address + segment.Size, range.End);
                if (from < to)
                    segment.Data.AsSpan((int)(from - segment.Address), (int)(to - from)).CopyTo(Bytes.AsSpan((int)(from - range.Address)));
            }
        }

        public byte[] Bytes { get; }

        public void Store(uint wordAddress, uint lanes, uint data)
        {
            for (int lane = 0; lane < 4; lane++)
            {
                ulong offset = (ulong)wordAddress + (uint)lane - _address;
                if ((lanes >> lane & 1) != 0 && offset < (ulong)Bytes.Length)
                    Bytes[offset] = (byte)(data >> (8 * lane));
            }
        }
    }

    /// <summary>
    /// Holds the core in reset while the program's segments are written through the loader port; a tagged machine
    /// also loads the PEX firmware and the initial tags (<see cref="SimOptions.PexImage"/>, <see cref="SimOptions.TagImage"/>).
    /// </summary>
    private void Reset(VerilatedModel model, ElfImage image, MemoryMap map, SimOptions options)
    {
        model.Set(ClockDomain.Default.ResetName, 1);
        model.Tick(2);
        LoadWords(model, image, map.RamBase, LoaderValid, LoaderAddress, LoaderData);
        if (Tags is { } tags)
        {
            var pex = options.PexImage ?? throw new ArgumentException("a tagged core runs with the PEX firmware: give SimOptions.PexImage", nameof(options));
            LoadWords(model, pex, PexMemoryMap.RamBase, PexLoaderValid, PexLoaderAddress, PexLoaderData);
            model.Set(TagLoaderValid, 1);
            foreach (var (address, tag) in options.TagImage)
            {
                if (address % 4 != 0 || address - tags.TaggedBase >= tags.TaggedSize || tag >> tags.TagWidth != 0)
                    throw new ArgumentException($"the initial tag 0x{tag:X} of 0x{address:X8} is not a {tags.TagWidth}-bit tag of a word of the tagged memory [0x{tags.TaggedBase:X8}, 0x{(ulong)tags.TaggedBase + tags.TaggedSize:X8})", nameof(options));
                model.Set(TagLoaderIndex, (address - tags.TaggedBase) / 4);
                model.Set(TagLoaderTag, tag);
                model.Tick();
            }
            model.Set(TagLoaderValid, 0);
        }
        model.Tick();
        model.Set(ClockDomain.Default.ResetName, 0);
    }

    /// <summary>Writes <paramref name="image"/>'s segments word by word through a loader port (RAM at <paramref name="ramBase"/>).</summary>
    private static void LoadWords(VerilatedModel model, ElfImage image, uint ramBase, string valid, string address, string data)
    {
        model.Set(valid, 1);
        foreach (var segment in image.Segments)
        {
            var bytes = segment.Data;
            for (int offset = 0; offset < bytes.Length; offset += 4)
            {
                uint word = 0;
                for (int b = 0; b < 4 && offset + b < bytes.Length; b++)
                    word |= (uint)bytes[offset + b] << (8 * b);
                model.Set(address, (segment.Address + (uint)offset - ramBase) >> 2);
                model.Set(data, word);
                model.Tick();
            }
        }
        model.Set(valid, 0);
    }

    /// <summary>The PEX's report of a tagged machine (its DENY_INFO and the rule cache's statistics); null untagged.</summary>
    private TagRunReport? TagReport(VerilatedModel model) => Tags is null ? null : new TagRunReport(
        (uint)model.Get(nameof(TaggedSoc.DenyInfo)),
        model.Get(nameof(TaggedSoc.RuleCacheLookups)),
        model.Get(nameof(TaggedSoc.RuleCacheHits)),
        model.Get(nameof(TaggedSoc.RuleCacheMisses)),
        model.Get(nameof(TaggedSoc.RuleCacheEvictions)),
        model.Get(nameof(TaggedSoc.RuleCacheMissCycles)));

    /// <summary>Runs the program again with the waveform on for the cycles around a divergence.</summary>
    private string? WriteDivergenceWave(SimOptions options, ElfImage image, ulong cycle)
    {
        try
        {
            var path = options.DivergenceWavePath ?? Path.ChangeExtension(options.ElfPath, ".divergence.vcd");
            if (path.Length == 0)
                return null;
            // The same design built with waveform support, run again up to the divergence.
            var traced = Get(Map, options.Core, WaveFormats.FromPath(path), options.Progress, Parts);
            using var model = new VerilatedModel(traced.Library, traced.Binding, path);
            Reset(model, image, Map, options);
            const ulong before = 200, after = 20;
            var start = cycle > before ? cycle - before : 0;
            var records = new ulong[BatchRecords * traced.Layout.Stride];
            var uart = new byte[BatchRecords];
            while (model.Cycles < start)
            {
                if (model.Run(start, records, out _, false, out _, null, uart, out _, options.UartInput, out _) == RunStop.CycleLimit)
                    break;
            }
            model.Wave(true);
            if (cycle + after > model.Cycles)
                model.Tick(cycle + after - model.Cycles);
            model.Wave(false);
            return path;
        }
        catch (Exception ex) when (ex is IOException or VerilatorBuildException)
        {
            options.Progress?.Invoke($"could not write the divergence waveform: {ex.Message}");
            return null;
        }
    }
}
