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
using HwGen.Sim.Policy;
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
    private const string TagLoaderValid = nameof(TaggedSoc.TagLoader) + "_" + nameof(TagLoaderPort.Valid);
    private const string TagLoaderIndex = nameof(TaggedSoc.TagLoader) + "_" + nameof(TagLoaderPort.Index);
    private const string TagLoaderTag = nameof(TaggedSoc.TagLoader) + "_" + nameof(TagLoaderPort.Tag);
    private const string PexLoaderValid = nameof(TaggedSoc.PexLoader) + "_" + nameof(LoaderPort.Valid);
    private const string PexLoaderAddress = nameof(TaggedSoc.PexLoader) + "_" + nameof(LoaderPort.Address);
    private const string PexLoaderData = nameof(TaggedSoc.PexLoader) + "_" + nameof(LoaderPort.Data);

    /// <summary>The most cycles the PEX firmware may take to program the tag unit and release the AP.</summary>
    private const ulong PexStartCycles = 1_000_000;

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
            var table = key.Item2?.Tags is null ? RetirementFields.Table : TagTraceFields.Table;
            if (prepared is not null && PreparedModels.TryLoad(prepared, table) is { } found)
            {
                progress?.Invoke($"using the cached model {Path.GetDirectoryName(found.Library)}, elaborated by an earlier run");
                return new SimMachine(key.Item1, found.Binding, found.Layout, found.Library) { Parts = key.Item4, Tags = key.Item2?.Tags, WithM = key.Item2?.WithM ?? true, Counters = key.Item2?.Counters ?? true, Csrs = key.Item2?.Csrs ?? CsrSet.Full, Core = key.Item2 };
            }
            var (verilog, binding, layout) = SimRunner.Prepare(key.Item1, key.Item2, key.Item4);
            var library = VerilatorBuild.Build(verilog, binding, key.Item3, progress);
            if (prepared is not null)
                PreparedModels.Store(prepared, library, binding, layout);
            return new SimMachine(key.Item1, binding, layout, library) { Parts = key.Item4, Tags = key.Item2?.Tags, WithM = key.Item2?.WithM ?? true, Counters = key.Item2?.Counters ?? true, Csrs = key.Item2?.Csrs ?? CsrSet.Full, Core = key.Item2 };
        })).Value;

    /// <summary>
    /// A machine for a model built from another netlist of the untagged SoC (e.g. one with mutations behind a selector
    /// input): its library, the binding of its top (the SoC's ports and any added inputs) and the SoC's trace layout.
    /// Its runs do not write a divergence waveform (there is no design to build one from): give them an empty
    /// <see cref="SimOptions.DivergenceWavePath"/>.
    /// </summary>
    public static SimMachine FromLibrary(MemoryMap map, string library, HarnessBinding binding, TraceLayout layout) => new(map, binding, layout, library);

    /// <summary>The parts the SoC was built with (see <see cref="SocParts"/>).</summary>
    public SocParts Parts { get; private init; } = SocParts.Simulation;

    /// <summary>The core has the M extension (<see cref="CoreConfig.WithM"/>): the golden model of a lockstep run is configured the same.</summary>
    public bool WithM { get; private init; } = true;

    /// <summary>The core has the counter CSRs (<see cref="CoreConfig.Counters"/>); the golden model is configured the same.</summary>
    public bool Counters { get; private init; } = true;

    /// <summary>The core's CSRs (<see cref="CoreConfig.Csrs"/>); the golden model is configured the same.</summary>
    public CsrSet Csrs { get; private init; } = CsrSet.Full;

    /// <summary>The core's configuration (null: <see cref="CoreConfig.ForMemoryMap"/> of the map); the golden model takes mtvec's legal values from it.</summary>
    public CoreConfig? Core { get; private init; }

    /// <summary>The tag unit's parameters when the machine is the tagged SoC (<see cref="TaggedSoc"/>); else null.</summary>
    public TagConfig? Tags { get; private init; }

    /// <summary>
    /// What a run on the tagged SoC loads besides the program: the initial tags (word address, tag), the PEX firmware's
    /// words, and under a policy the initial tag image the golden model's tag engine starts from.
    /// </summary>
    private sealed record TaggedLoad(IEnumerable<(uint Address, uint Tag)> Words, IReadOnlyList<uint> PexWords, InitialTagImage? Image);

    private TaggedLoad? PrepareTags(ElfImage image, SimOptions options)
    {
        if (Tags is null)
        {
            return options.Policy is null ? null
                : throw new ArgumentException($"the policy {options.Policy.Composite.Name} needs the tagged SoC: get the machine with a core whose Tags are set (SimRunner.CoreFor)", nameof(options));
        }
        if (options.Policy is { } policy)
        {
            var tags = InitialTagImage.Build(image, policy.Composite, Tags);
            return new TaggedLoad(tags.Words.Select(w => (w.Key, (uint)w.Value)), policy.PexFirmware(tags), tags);
        }
        if (options.PexImage is not { } pex)
            throw new ArgumentException("the tagged SoC runs under a policy (SimOptions.Policy) or with a PEX firmware of one's own (SimOptions.PexImage)", nameof(options));
        if (options.Cosim)
            throw new ArgumentException("a run with a PEX firmware of one's own has no policy for the golden model: it cannot be co-simulated", nameof(options));
        foreach (var (address, tag) in options.TagImage)
        {
            if (address % 4 != 0 || address - Tags.TaggedBase >= Tags.TaggedSize || tag >> Tags.TagWidth != 0)
                throw new ArgumentException($"the initial tag 0x{tag:X} of 0x{address:X8} is not a {Tags.TagWidth}-bit tag of a word of the tagged memory [0x{Tags.TaggedBase:X8}, 0x{(ulong)Tags.TaggedBase + Tags.TaggedSize:X8})", nameof(options));
        }
        return new TaggedLoad(options.TagImage, WordsOf(pex, PexMemoryMap.RamBase), null);
    }

    /// <summary>An image's loadable bytes as little-endian words from <paramref name="ramBase"/> (gaps 0).</summary>
    private static uint[] WordsOf(ElfImage image, uint ramBase)
    {
        ulong end = image.Segments.Select(s => (ulong)s.Address + (ulong)s.Data.Length).DefaultIfEmpty((ulong)ramBase).Max();
        var words = new uint[(end - ramBase + 3) / 4];
        foreach (var segment in image.Segments)
        {
            for (int i = 0; i < segment.Data.Length; i++)
                words[(segment.Address - ramBase + (uint)i) / 4] |= (uint)segment.Data[i] << (int)(8 * ((segment.Address + (uint)i) % 4));
        }
        return words;
    }

    /// <summary>Runs <paramref name="image"/> to its <c>tohost</c> store, the cycle limit or a divergence.</summary>
    public SimResult Run(ElfImage image, SimOptions options)
    {
        var tagged = PrepareTags(image, options);
        using var model = new VerilatedModel(Library, Binding, options.WavePath);
        foreach (var (port, value) in options.HeldInputs)
            model.Set(port, value);
        if (options.WavePath is not null)
            model.Wave(true);
        Reset(model, image, Map, tagged);
        var start = model.Cycles;

        Lockstep? lockstep = null;
        if (options.Cosim)
        {
            var golden = new Rv32Iss(Map, new IssOptions { AutonomousInterrupts = false, WithM = WithM, Counters = Counters, Csrs = Csrs, Core = Core });
            golden.Load(options.GoldenImage ?? image);
            if (tagged?.Image is { } tagImage)
                new TagEngine(Tags!, options.Policy!.Composite, tagImage).AttachTo(golden);
            lockstep = new Lockstep(golden, Layout);
        }
        var violations = new List<Violation>();

        using var trace = options.TracePath is null ? null : new StreamWriter(options.TracePath);
        var memory = options.Capture.Select(range => new MemoryCapture(range, image)).ToArray();
        bool allRecords = lockstep is not null || trace is not null || memory.Length > 0;
        var records = new ulong[BatchRecords * Layout.Stride];
        var uartBuffer = new byte[BatchRecords];
        var uart = new StringBuilder();
        int uartTaken = 0;
        ulong instret = 0;
        TrapInfo? trap = null;
        RetireRecord last = default, record = default;
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
                Layout.Read(slots, ref record);
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
                if (tagged is not null && record[TagTraceFields.Denied] != 0)
                    violations.Add(DescribeViolation(model, record, options.Policy?.Composite));
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
                    return new SimResult(SimStatus.Divergence, 0, cycle, instret, uart.ToString(), own, report)
                    {
                        Memory = Captured(memory),
                        Violations = violations,
                        RuleCache = Statistics(model),
                    };
                }
            }
            if (count > 0)
                last = record;
            if (stop == RunStop.Halted)
            {
                int code = (int)(last.MemWdata >> 1);
                var status = violations.Count > 0 ? SimStatus.Violation : code == 0 ? SimStatus.Passed : SimStatus.Failed;
                return new SimResult(status, code, model.Cycles - start, instret, uart.ToString(), trap, null)
                {
                    Memory = Captured(memory),
                    Violations = violations,
                    RuleCache = Statistics(model),
                };
            }
            if (stop == RunStop.CycleLimit)
            {
                return new SimResult(violations.Count > 0 ? SimStatus.Violation : SimStatus.Timeout, 0, model.Cycles - start, instret, uart.ToString(), trap, null)
                {
                    Memory = Captured(memory),
                    Violations = violations,
                    RuleCache = Statistics(model),
                };
            }
        }
    }

    private static IReadOnlyList<byte[]> Captured(MemoryCapture[] memory) => [.. memory.Select(m => m.Bytes)];

    /// <summary>
    /// A denied instruction: its pc and word from the trace, the policy and reason from the word of the PEX's DENY as the model
    /// shows it when the record is handed over (the last denial's: with several denials in one batch of records the
    /// earlier ones are reported with the last one's reason).
    /// </summary>
    private static Violation DescribeViolation(VerilatedModel model, in RetireRecord record, Composite? composite)
    {
        uint info = (uint)model.Get(nameof(TaggedSoc.DenyInfo));
        int policy = (int)(info >> 16), reason = (int)(info & 0xFFFF);
        var (name, text) = composite?.Describe(policy, reason) ?? ($"policy {policy}", $"reason {reason}");
        return new Violation(record.PcRdata, record.Insn, name, text, policy, reason);
    }

    private RuleCacheStatistics? Statistics(VerilatedModel model) => Tags is null ? null : new RuleCacheStatistics(
        model.Get(nameof(TaggedSoc.RuleCacheLookups)), model.Get(nameof(TaggedSoc.RuleCacheHits)), model.Get(nameof(TaggedSoc.RuleCacheMisses)),
        model.Get(nameof(TaggedSoc.RuleCacheEvictions)), model.Get(nameof(TaggedSoc.RuleCacheMissCycles)));

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
    /// Holds the core in reset while the program's segments are written through the loader port; on the tagged SoC
    /// also the initial tags (the tag loader) and the PEX firmware (the PEX's loader), then runs the PEX until it
    /// releases the AP, so the program's cycles count from its first fetch.
    /// </summary>
    private static void Reset(VerilatedModel model, ElfImage image, MemoryMap map, TaggedLoad? tagged)
    {
        model.Set(ClockDomain.Default.ResetName, 1);
        model.Tick(2);
        model.Set(LoaderValid, 1);
        foreach (var segment in image.Segments)
        {
            var data = segment.Data;
            for (int offset = 0; offset < data.Length; offset += 4)
            {
                uint word = 0;
                for (int b = 0; b < 4 && offset + b < data.Length; b++)
                    word |= (uint)data[offset + b] << (8 * b);
                model.Set(LoaderAddress, (segment.Address + (uint)offset - map.RamBase) >> 2);
                model.Set(LoaderData, word);
                model.Tick();
            }
        }
        model.Set(LoaderValid, 0);
        if (tagged is not null)
        {
            model.Set(TagLoaderValid, 1);
            foreach (var (address, tag) in tagged.Words)
            {
                if (tag == 0)
                    continue;
                model.Set(TagLoaderIndex, (address - map.RamBase) >> 2);
                model.Set(TagLoaderTag, tag);
                model.Tick();
            }
            model.Set(TagLoaderValid, 0);
            model.Set(PexLoaderValid, 1);
            for (int i = 0; i < tagged.PexWords.Count; i++)
            {
                model.Set(PexLoaderAddress, (ulong)i);
                model.Set(PexLoaderData, tagged.PexWords[i]);
                model.Tick();
            }
            model.Set(PexLoaderValid, 0);
        }
        model.Tick();
        model.Set(ClockDomain.Default.ResetName, 0);
        if (tagged is not null)
        {
            ulong limit = model.Cycles + PexStartCycles;
            while (model.Get(nameof(TaggedSoc.ApHeld)) != 0)
            {
                if (model.Cycles >= limit)
                    throw new InvalidOperationException($"the PEX firmware did not release the AP within {PexStartCycles} cycles (AP_CONTROL bit 0 still set)");
                model.Tick();
            }
        }
    }

    /// <summary>Runs the program again with the waveform on for the cycles around a divergence.</summary>
    private string? WriteDivergenceWave(SimOptions options, ElfImage image, ulong cycle)
    {
        try
        {
            var path = options.DivergenceWavePath ?? Path.ChangeExtension(options.ElfPath, ".divergence.vcd");
            if (path.Length == 0)
                return null;
            // The same design built with waveform support, run again up to the divergence.
            var traced = Get(Map, SimRunner.CoreFor(options), WaveFormats.FromPath(path), options.Progress, Parts);
            using var model = new VerilatedModel(traced.Library, traced.Binding, path);
            Reset(model, image, Map, PrepareTags(image, options));
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
