using System.Collections.Concurrent;
using System.Text;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware;
using HwGen.Sim.Cosim;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;
using Tb = HwGen.Sim.Testbench.Testbench;
using TrapCause = HwGen.Designs.Riscv.TrapCause;

namespace HwGen.Sim.Tests.Tags;

/// <summary>A miss as the PEX saw it on the SoC's PexPort: the masked rule input and the instruction's pc, word and address.</summary>
/// <param name="Retired">The records retired before the miss was seen.</param>
internal sealed record ObservedMiss(int Opgroup, uint PcTag, uint CiTag, uint Rs1Tag, uint Rs2Tag, uint MemTag, uint Pc, uint Insn, uint Address, int Retired)
{
    public RuleKey Key => new(Opgroup, PcTag, CiTag, Rs1Tag, Rs2Tag, MemTag);
}

/// <summary>A rule's input (after the care mask).</summary>
internal readonly record struct RuleKey(int Opgroup, uint PcTag, uint CiTag, uint Rs1Tag, uint Rs2Tag, uint MemTag)
{
    public override string ToString() => $"(opgroup {(Opgroup)Opgroup}, pc {PcTag:x}, ci {CiTag:x}, rs1 {Rs1Tag:x}, rs2 {Rs2Tag:x}, mem {MemTag:x})";
}

/// <summary>What a test's PEX answers for a rule: allow with (PC tag, result tag), or deny.</summary>
internal readonly record struct RuleAnswer(bool Allow, uint PcTag, uint ResultTag);

/// <summary>The outcome of a <see cref="TagUnitRun"/>: the trace, the misses, the statistics and the end state.</summary>
internal sealed record TaggedRunResult(
    int ExitCode,
    IReadOnlyList<RetireRecord> Trace,
    IReadOnlyList<ObservedMiss> Misses,
    DivergenceReport? Divergence,
    string? TagMismatch,
    ulong Lookups,
    ulong Hits,
    ulong MissCount,
    ulong MissCycles,
    ulong Cycles)
{
    /// <summary>The shadow model at the end of the run.</summary>
    public required ShadowTags Shadow { get; init; }

    /// <summary>Tag memory at the end, read through the PexPort, for the addresses asked for.</summary>
    public required IReadOnlyDictionary<uint, uint> FinalTags { get; init; }

    public string Describe(TraceTable table) =>
        $"exit code {ExitCode}, {Trace.Count} records, {Misses.Count} misses, {Cycles} cycles\n" +
        (Divergence?.Describe() ?? "") + (TagMismatch ?? "") + "\nlast records:\n" +
        string.Join("\n", Trace.TakeLast(12).Select(r => "  " + r.ToString(table)));
}

/// <summary>
/// Runs a program on the tagged simulation SoC (<see cref="ApSoc"/> with <see cref="CoreConfig.Tags"/>) through the C#
/// testbench, with a C# stand-in for the PEX that answers every miss on the SoC's <see cref="PexPort"/> with a fixed
/// function of the key (after a few cycles, so the core waits). Every record is compared with the golden model (the
/// standard fields, in lockstep), and its tags with a shadow model of the tag semantics (the tag register file, the
/// tag of every word, the PC tag and its saved copy) that evaluates the same function: so a wrong key at any
/// forwarding distance, a wrong memory or CI tag, or a hit with outputs of another rule shows as a tag mismatch.
/// </summary>
internal static class TagUnitRun
{
    public static readonly MemoryMap Map = MemoryMap.Simulation;

    private static readonly ConcurrentDictionary<int, Lazy<string>> Built = new();

    /// <summary>The tagged core for <see cref="Map"/> with a rule cache of <paramref name="entries"/> entries.</summary>
    public static CoreConfig Config(int entries = 64, int ways = 1) => CoreConfig.ForMemoryMap(Map) with
    {
        Tags = TagConfig.ForMemoryMap(Map) with { RuleCacheEntries = entries, RuleCacheWays = ways },
    };

    /// <summary>Builds assembly <paramref name="sources"/> (no runtime) into an ELF for <see cref="Map"/>.</summary>
    public static ElfImage Build(IReadOnlyList<string> sources, IReadOnlyList<string>? includeDirectories = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-tagunit-tests", Guid.NewGuid().ToString("N"));
        var build = FirmwareTestSupport.Toolchain.Build(new BuildRequest(sources, Path.Combine(directory, "program.elf"))
        {
            MemoryMap = Map,
            IncludeRuntime = false,
            IncludeDirectories = includeDirectories ?? [FirmwareTestSupport.InRepository("tests/isa")],
        });
        return ElfImage.Load(build.ElfPath, Map);
    }

    /// <summary>A tag image: every word of the program's segments gets a tag from its index (non-zero, varied).</summary>
    public static Dictionary<uint, uint> ImageTags(ElfImage image, int tagWidth = 16)
    {
        var tags = new Dictionary<uint, uint>();
        uint mask = (1u << tagWidth) - 1;
        foreach (var segment in image.Segments)
        {
            for (uint offset = 0; offset < segment.Size; offset += 4)
            {
                uint address = (segment.Address + offset) & ~3u;
                tags[address] = ((address >> 2) * 0x9E37u % 13 + 1) & mask;
            }
        }
        return tags;
    }

    /// <summary>
    /// The default PEX: allow, with outputs that mix every field of the key into a few values (so that loops reach
    /// rules they have seen, and a wrong field gives another answer).
    /// </summary>
    public static RuleAnswer Mixing(RuleKey k)
    {
        uint h = (uint)k.Opgroup * 0x01000193u;
        foreach (var v in new[] { k.PcTag, k.CiTag, k.Rs1Tag, k.Rs2Tag, k.MemTag })
            h = (h ^ v) * 0x01000193u;
        h ^= h >> 15;
        return new RuleAnswer(true, (h >> 3) % 5, (h >> 8) % 11 + (h & 1) * 0x20);
    }

    public static TaggedRunResult Run(ElfImage image, CoreConfig config, Func<RuleKey, RuleAnswer> pex,
        IReadOnlyDictionary<uint, uint>? imageTags = null, ulong maxCycles = 400_000, int pexLatency = 3, uint deviceTag = 0,
        IReadOnlyList<uint>? readTagsAt = null, bool lockstep = true, SocParts? parts = null, TagTables? tables = null,
        (int Miss, TagTables Tables)? reprogram = null)
    {
        var tags = config.Tags!;
        var soc = new ApSoc(Map, config);
        using var tb = Tb.Create(soc, new Sim.Testbench.TestbenchOptions { Progress = TestContext.Progress.WriteLine });
        var pexPort = soc.Pex!;
        var imageTagMap = imageTags ?? ImageTags(image, tags.TagWidth);

        // Load the program and the tag image while the core is held in reset.
        tb.Poke(soc.Loader.Valid, 1);
        foreach (var segment in image.Segments)
        {
            for (int offset = 0; offset < segment.Data.Length; offset += 4)
            {
                uint word = 0;
                for (int b = 0; b < 4 && offset + b < segment.Data.Length; b++)
                    word |= (uint)segment.Data[offset + b] << (8 * b);
                tb.Poke(soc.Loader.Address, (segment.Address + (uint)offset - Map.RamBase) >> 2);
                tb.Poke(soc.Loader.Data, word);
                tb.Reset();
            }
        }
        tb.Poke(soc.Loader.Valid, 0);
        tb.Poke(soc.TagLoader!.Valid, 1);
        foreach (var (address, tag) in imageTagMap)
        {
            tb.Poke(soc.TagLoader.Index, (address - tags.TaggedBase) >> 2);
            tb.Poke(soc.TagLoader.Tag, tag);
            tb.Reset();
        }
        tb.Poke(soc.TagLoader.Valid, 0);
        tb.Reset();
        // The PEX's table writes, while the core is held in reset (as the loader's): before the first instruction's
        // opgroup is read. The tag unit keeps its opgroup's care mask in every entry of the opgroup table, so the PEX
        // writes each entry whose opgroup or care mask changes, one a cycle.
        tables ??= TagTables.Default;
        var programmed = Enumerable.Range(0, Opgroups.TableSize).Select(i => TagTables.Default.Entry(i)).ToArray();
        var entryWrites = new Queue<(int Index, int Entry)>();
        void QueueTableWrites(TagTables merged)
        {
            for (int index = 0; index < Opgroups.TableSize; index++)
            {
                int entry = merged.Entry(index);
                if (entry != programmed[index])
                    entryWrites.Enqueue((index, programmed[index] = entry));
            }
        }
        void WriteEntry((int Index, int Entry) write)
        {
            tb.Poke(pexPort.OpgroupWrite, 1);
            tb.Poke(pexPort.OpgroupIndex, (ulong)write.Index);
            tb.Poke(pexPort.OpgroupValue, (ulong)(write.Entry & ((1 << TagConfig.OpgroupBits) - 1)));
            tb.Poke(pexPort.OpgroupCare, (ulong)(write.Entry >> TagConfig.OpgroupBits));
        }
        QueueTableWrites(tables);
        while (entryWrites.Count > 0)
        {
            WriteEntry(entryWrites.Dequeue());
            tb.Reset();
        }
        tb.Poke(pexPort.OpgroupWrite, 0);
        if (deviceTag != 0)
        {
            tb.Poke(pexPort.DeviceTag, deviceTag);
            tb.Poke(pexPort.DeviceTagWrite, 1);
            tb.Step();
            tb.Poke(pexPort.DeviceTagWrite, 0);
        }

        var golden = new Rv32Iss(Map, new IssOptions { AutonomousInterrupts = false });
        golden.Load(image);
        var goldenLockstep = lockstep ? new Lockstep(golden, new TraceLayout(RetirementFields.Table, "Trace_")) : null;
        var shadow = new ShadowTags(imageTagMap, pex, tags, deviceTag, tables);
        var trace = new List<RetireRecord>();
        var misses = new List<ObservedMiss>();
        var table = TagTraceFields.Table;
        ObservedMiss? pending = null;
        int waited = 0;
        DivergenceReport? divergence = null;
        string? mismatch = null;
        int exitCode = -1;
        ulong start = tb.Cycle;
        uint tohost = image.Tohost ?? throw new InvalidOperationException("the program has no tohost symbol");
        while (tb.Cycle - start < maxCycles)
        {
            // The PEX: take a miss, answer it a few cycles later.
            if (pending is null && tb.Peek(pexPort.MissValid) == 1)
            {
                pending = new ObservedMiss((int)tb.Peek(pexPort.MissOpgroup), (uint)tb.Peek(pexPort.MissPcTag), (uint)tb.Peek(pexPort.MissCiTag),
                    (uint)tb.Peek(pexPort.MissRs1Tag), (uint)tb.Peek(pexPort.MissRs2Tag), (uint)tb.Peek(pexPort.MissMemTag),
                    (uint)tb.Peek(pexPort.MissPc), (uint)tb.Peek(pexPort.MissInsn), (uint)tb.Peek(pexPort.MissAddress), trace.Count);
                misses.Add(pending);
                waited = 0;
            }
            // The PEX reprograms the tables while the core waits on the miss chosen, an entry a cycle, and answers after
            // the last: the instruction that missed was checked with the old ones, every later one with the new.
            if (reprogram is { } r && pending is not null && misses.Count - 1 == r.Miss && waited == 1)
            {
                var merged = shadow.Tables.Over(r.Tables);
                QueueTableWrites(merged);
                shadow.Reprogram(pending, merged);
            }
            bool reprogramming = pending is not null && entryWrites.Count > 0;
            if (reprogramming)
                WriteEntry(entryWrites.Dequeue());
            bool resolving = pending is not null && waited++ >= pexLatency && !reprogramming;
            if (resolving)
            {
                Assert.That(tb.Peek(pexPort.MissValid), Is.EqualTo(1UL), "MissValid fell before the PEX resolved the miss");
                var answer = pex(pending!.Key);
                tb.Poke(pexPort.Resolve, 1);
                tb.Poke(pexPort.Allow, answer.Allow ? 1UL : 0);
                tb.Poke(pexPort.ResultPcTag, answer.PcTag);
                tb.Poke(pexPort.ResultTag, answer.ResultTag);
            }

            if (tb.Peek(soc.Trace.Valid) == 1)
            {
                var record = new RetireRecord();
                foreach (var field in table)
                    record[field] = tb.Peek(soc.Trace[field]);
                trace.Add(record);
                divergence ??= goldenLockstep?.Check(record, tb.Cycle - start);
                mismatch ??= shadow.Check(record, misses);
                if (divergence is not null || mismatch is not null)
                    break;
                if (!record.Trap && record.MemWmask != 0 && record.MemAddr == (tohost & ~3u))
                {
                    exitCode = (int)(record.MemWdata >> 1);
                    break;
                }
            }
            tb.Step();
            if (reprogramming)
                tb.Poke(pexPort.OpgroupWrite, 0);
            if (resolving)
            {
                tb.Poke(pexPort.Resolve, 0);
                pending = null;
            }
        }
        ulong cycles = tb.Cycle - start;
        var statistics = (tb.Peek(pexPort.Lookups), tb.Peek(pexPort.Hits), tb.Peek(pexPort.Misses), tb.Peek(pexPort.MissCycles));
        // Tag memory through the PEX's request: held until TagDone.
        var finalTags = new Dictionary<uint, uint>();
        foreach (var address in readTagsAt ?? [])
        {
            tb.Poke(pexPort.TagValid, 1);
            tb.Poke(pexPort.TagWrite, 0);
            tb.Poke(pexPort.TagIndex, tags.WordIndexOf(address));
            tb.Poke(pexPort.TagInside, tags.Contains(address));
            tb.RunUntil(pexPort.TagDone, 1, 100);
            finalTags[address] = (uint)tb.Peek(pexPort.TagRdata);
            tb.Poke(pexPort.TagValid, 0);
            tb.Step();
        }
        return new TaggedRunResult(exitCode, trace, misses, divergence, mismatch,
            statistics.Item1, statistics.Item2, statistics.Item3, statistics.Item4, cycles)
        {
            Shadow = shadow,
            FinalTags = finalTags,
        };
    }
}

/// <summary>
/// The tag semantics of the specification for the instructions a trace retires, with the rules of one PEX function:
/// the expected key of each instruction, and the tags it must leave.
/// </summary>
/// <summary>What the PEX programs into the tag unit's tables: care masks (bit n = <see cref="TagField"/> n) and opgroup table entries.</summary>
internal sealed record TagTables(IReadOnlyDictionary<Opgroup, int> Care, IReadOnlyDictionary<int, Opgroup> Opgroups)
{
    public static TagTables Default { get; } = new(new Dictionary<Opgroup, int>(), new Dictionary<int, Opgroup>());

    /// <summary>The opgroup of table entry <paramref name="index"/> (the default table's where none is programmed).</summary>
    public Opgroup OpgroupOf(int index) => Opgroups.TryGetValue(index, out var programmed) ? programmed : HwGen.Designs.Tags.Opgroups.Classify(index);

    /// <summary>The care mask of <paramref name="opgroup"/> (every field where none is programmed).</summary>
    public int CareOf(Opgroup opgroup) => Care.TryGetValue(opgroup, out var mask) ? mask : OpgroupTable.AllFields;

    /// <summary>The tag unit's word for entry <paramref name="index"/>: its opgroup, and that opgroup's care mask above.</summary>
    public int Entry(int index)
    {
        var opgroup = OpgroupOf(index);
        return CareOf(opgroup) << TagConfig.OpgroupBits | (int)opgroup;
    }

    /// <summary>These tables with <paramref name="written"/> written over them, entry by entry and mask by mask.</summary>
    public TagTables Over(TagTables written)
    {
        var care = new Dictionary<Opgroup, int>(Care);
        foreach (var (opgroup, mask) in written.Care)
            care[opgroup] = mask;
        var entries = new Dictionary<int, Opgroup>(Opgroups);
        foreach (var (index, opgroup) in written.Opgroups)
            entries[index] = opgroup;
        return new TagTables(care, entries);
    }
}

internal sealed class ShadowTags
{
    private readonly uint[] _registers = new uint[32];
    private readonly Dictionary<uint, uint> _memory;
    private readonly Func<RuleKey, RuleAnswer> _pex;
    private readonly TagConfig _config;
    private readonly uint _deviceTag;
    private TagTables _tables;
    /// <summary>Tables the PEX wrote during a miss, in force from the record after the missing instruction's.</summary>
    private (ObservedMiss Miss, TagTables Tables)? _reprogrammed;
    private int _records;
    private uint _pcTag;
    private uint _savedPcTag;
    private int _missesChecked;

    public ShadowTags(IReadOnlyDictionary<uint, uint> imageTags, Func<RuleKey, RuleAnswer> pex, TagConfig config, uint deviceTag, TagTables tables)
    {
        _tables = tables;
        _memory = new Dictionary<uint, uint>(imageTags);
        _pex = pex;
        _config = config;
        _deviceTag = deviceTag;
    }

    /// <summary>The keys of the instructions checked so far, in order.</summary>
    public List<RuleKey> Keys { get; } = [];

    /// <summary>The tag of a word now.</summary>
    public uint MemoryTag(uint address) => _memory.GetValueOrDefault(address & ~3u);

    public uint RegisterTag(int register) => _registers[register];

    public uint PcTag => _pcTag;

    private bool Tagged(uint address) => address - _config.TaggedBase < _config.TaggedSize;

    /// <summary>
    /// The PEX wrote <paramref name="tables"/> (the whole tables now in force) while the instruction of
    /// <paramref name="miss"/> waited: every record after that instruction's is checked with them.
    /// </summary>
    public void Reprogram(ObservedMiss miss, TagTables tables) => _reprogrammed = (miss, tables);

    /// <summary>The tables in force for the next record checked.</summary>
    public TagTables Tables => _tables;

    /// <summary>Checks one record and advances; returns a description of the first difference, or null.</summary>
    public string? Check(RetireRecord r, IReadOnlyList<ObservedMiss> misses)
    {
        string? difference = CheckRecord(r, misses);
        int record = _records++;
        // The missing instruction retired: the tables written while it waited are in force from the next record.
        if (_reprogrammed is { } re && record >= re.Miss.Retired && r.PcRdata == re.Miss.Pc)
        {
            _reprogrammed = null;
            _tables = re.Tables;
        }
        return difference;
    }

    private string? CheckRecord(RetireRecord r, IReadOnlyList<ObservedMiss> misses)
    {
        ulong pcTagSeen = r[TagTraceFields.PcTag], rdTagSeen = r[TagTraceFields.RdTag], memTagSeen = r[TagTraceFields.MemTag];
        bool denied = r[TagTraceFields.Denied] != 0;
        if (r.Intr)
        {
            _savedPcTag = _pcTag;
            _pcTag = 0;
        }
        string Where(string what, ulong rtl, ulong expected) =>
            $"\ntag mismatch at #{r.Order} pc 0x{r.PcRdata:x8} insn 0x{r.Insn:x8}: {what}: RTL 0x{rtl:x}, expected 0x{expected:x}";
        if (r.Trap && !denied)
        {
            // Not checked (an access fault too: the bus would refuse it at the commit point), changes no tag; the trap
            // saves the PC tag and clears it.
            if (pcTagSeen != _pcTag || rdTagSeen != 0 || memTagSeen != 0)
                return Where("a trapping instruction's tags (pc, rd, mem)", pcTagSeen << 32 | rdTagSeen << 16 | memTagSeen, (ulong)_pcTag << 32);
            _savedPcTag = _pcTag;
            _pcTag = 0;
            return null;
        }
        var key = ExpectedKey(r);
        Keys.Add(key);
        var answer = _pex(key);
        // A miss presented for this instruction must have had its key.
        while (_missesChecked < misses.Count && misses[_missesChecked].Pc == r.PcRdata)
        {
            var miss = misses[_missesChecked++];
            if (miss.Key != key)
                return $"\nmiss key mismatch at #{r.Order} pc 0x{r.PcRdata:x8}: the PEX saw {miss.Key}, expected {key}";
            if (miss.Insn != r.Insn)
                return $"\nmiss at #{r.Order}: insn 0x{miss.Insn:x8}, retired 0x{r.Insn:x8}";
        }
        if (_missesChecked < misses.Count - 1)
            return $"\nmiss #{_missesChecked} at pc 0x{misses[_missesChecked].Pc:x8} was not followed by that instruction's retirement (#{r.Order} pc 0x{r.PcRdata:x8})";
        if (denied != !answer.Allow)
            return Where("denied", denied ? 1UL : 0, answer.Allow ? 0UL : 1);
        if (denied)
        {
            if (pcTagSeen != _pcTag || rdTagSeen != 0 || memTagSeen != 0 || !r.Trap || r.Cause != (uint)TrapCause.PolicyViolation)
                return Where("a denied instruction's (pc tag, rd tag, mem tag, trap, cause)", pcTagSeen << 32 | rdTagSeen << 16 | memTagSeen,
                    (ulong)_pcTag << 32);
            _savedPcTag = _pcTag;
            _pcTag = 0;
            return null;
        }
        bool mret = r.Insn == 0x30200073;
        uint pcOut = mret ? _savedPcTag : answer.PcTag;
        uint rdTag = r.RdAddr != 0 ? answer.ResultTag : 0;
        uint memTag = 0;
        if (r.MemWmask != 0 && Tagged(r.MemAddr))
            memTag = answer.ResultTag;
        else if (r.MemRmask != 0 && Tagged(r.MemAddr))
            memTag = MemoryTag(r.MemAddr);
        if (pcTagSeen != pcOut)
            return Where($"pc tag left (key {key})", pcTagSeen, pcOut);
        if (rdTagSeen != rdTag)
            return Where($"rd tag (key {key})", rdTagSeen, rdTag);
        if (memTagSeen != memTag)
            return Where($"mem tag (key {key})", memTagSeen, memTag);
        _pcTag = pcOut;
        if (r.RdAddr != 0)
            _registers[r.RdAddr] = answer.ResultTag;
        if (r.MemWmask != 0 && Tagged(r.MemAddr))
            _memory[r.MemAddr & ~3u] = answer.ResultTag;
        return null;
    }

    /// <summary>The masked rule input of a retired instruction (the opgroup table and care masks as programmed).</summary>
    private RuleKey ExpectedKey(in RetireRecord r)
    {
        int index = Opgroups.IndexOf(r.Insn);
        var opgroup = _tables.OpgroupOf(index);
        int care = _tables.CareOf(opgroup);
        uint Cared(TagField field, uint tag) => (care >> (int)field & 1) != 0 ? tag : 0;
        uint mem = 0;
        bool load = (r.Insn & 0x7F) == 0x03, store = (r.Insn & 0x7F) == 0x23;
        if (load || store)
        {
            // The address from the instruction (a denied one has no memory fields in its record).
            int imm = store ? ((int)r.Insn >> 25 << 5) | (int)((r.Insn >> 7) & 31) : (int)r.Insn >> 20;
            uint address = r.Rs1Rdata + (uint)imm;
            mem = Tagged(address) ? MemoryTag(address) : InCallPort(address) ? 0 : _deviceTag;
        }
        uint ci = Tagged(r.PcRdata) ? MemoryTag(r.PcRdata) : 0;
        return new RuleKey((int)opgroup, Cared(TagField.Pc, _pcTag), Cared(TagField.Ci, ci), Cared(TagField.Rs1, _registers[r.Rs1Addr]),
            Cared(TagField.Rs2, _registers[r.Rs2Addr]), Cared(TagField.Mem, mem));
    }

    private bool InCallPort(uint address) => address - _config.CallPortBase < _config.CallPortSize;
}
