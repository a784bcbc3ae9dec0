using HwGen.Designs.Riscv;
using HwGen.Designs.Pex;
using HwGen.Designs.Tags;
using HwGen.Firmware.Pex;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using NUnit.Framework;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>
/// The PEX firmware running on the golden model's ISS with the PEX's memory map, its TAGCTL played by a
/// <see cref="TagControlModel"/>: start-up, then one miss or call at a time, each run until the firmware ends it.
/// </summary>
internal sealed class PexOnIss : IPexUnderTest
{
    /// <summary>Instructions a miss or a call may take before the test calls the firmware stuck.</summary>
    public const int StepLimit = 200_000;

    private readonly Rv32Iss _iss;
    private readonly ElfImage _elf;

    public PexOnIss(PexFirmwareImage image)
    {
        var map = PexMemoryMap.Default;
        Device = new TagControlModel(map.Region(PexMemoryMap.TagControlName));
        // The PEX's hart, as its core is configured (PexSoc.CoreConfig): RV32I without counters, without CSRs.
        _iss = new Rv32Iss(map, new IssOptions { Devices = [Device], WithM = false, Counters = false, Csrs = CsrSet.None });
        _elf = image.LoadElf(map);
        _iss.Load(_elf);
    }

    public TagControlModel Device { get; }

    public IReadOnlyList<(string Register, uint Value)> TableWrites => Device.TableWrites;

    public IReadOnlyDictionary<uint, uint> TagMemory => Device.TagMemory;

    /// <summary>Instructions the PEX has retired.</summary>
    public ulong Instret => _iss.Instret;

    /// <summary>Runs the start-up until the firmware releases the AP (AP_CONTROL bit 0 cleared).</summary>
    public void Start() => RunUntil(() => Device.ApControl == 0, "release the AP");

    /// <summary>Raises <paramref name="miss"/>, runs until the firmware resolves it; the resolution and the instructions it took.</summary>
    public (MissResolution Resolution, ulong Cost) Serve(MissInput miss)
    {
        Device.Resolution = null;
        Device.Miss = miss;
        ulong before = _iss.Instret;
        RunUntil(() => Device.Resolution is not null, $"resolve the miss {miss}");
        return (Device.Resolution!.Value, _iss.Instret - before);
    }

    /// <summary>Raises <paramref name="call"/>, runs until the firmware completes it.</summary>
    public CallCompletion Serve(CallInput call)
    {
        Device.Completion = null;
        Device.Call = call;
        RunUntil(() => Device.Completion is not null, $"complete the call {call}");
        return Device.Completion!.Value;
    }

    /// <summary>The firmware's interning table: the sets of tags 1, 2, ... (read from its RAM).</summary>
    public IReadOnlyList<MetaSet> InternedSets()
    {
        uint count = _iss.ReadWord(_elf.FindSymbol("intern_count")!.Value);
        uint table = _elf.FindSymbol("intern_table")!.Value;
        var bytes = new byte[MetaSet.Bytes];
        var sets = new List<MetaSet>();
        for (uint tag = 1; tag < count; tag++)
        {
            _iss.ReadMemory(table + tag * MetaSet.Bytes, bytes);
            sets.Add(MetaSet.ReadFrom(bytes));
        }
        return sets;
    }

    private void RunUntil(Func<bool> done, string what)
    {
        for (int i = 0; i < StepLimit && !done(); i++)
        {
            if (_iss.Halted)
                Assert.Fail($"the PEX firmware ended (exit code 0x{_iss.ExitCode:x}) on its way to {what}");
            _iss.Step(out var record);
            if (record.Trap)
                Assert.Fail($"the PEX firmware trapped (cause {record.Cause}, pc 0x{record.PcRdata:x8}, instruction 0x{record.Insn:x8}) on its way to {what}");
        }
        if (!done())
            Assert.Fail($"the PEX firmware did not {what} within {StepLimit} instructions (pc 0x{_iss.Pc:x8})");
    }
}

/// <summary>
/// The reference the firmware is held to: the C# composite and interner, interning in the contract's order (the image's
/// sets, the device set, then per rule allowed the PC output and the result), and a call context over a tag memory.
/// </summary>
internal sealed class ReferencePex : ICallContext
{
    private readonly Composite _composite;
    private readonly TagConfig _tags;
    private readonly Dictionary<string, int> _counters = [];

    public ReferencePex(Composite composite, IReadOnlyList<MetaSet> imageSets, TagConfig tags)
    {
        _composite = composite;
        _tags = tags;
        foreach (var set in imageSets)
            Interner.Intern(set);
        DeviceTag = Interner.Intern(composite.DeviceSet);
    }

    public TagInterner Interner { get; } = new();

    public ushort DeviceTag { get; }

    public Dictionary<uint, uint> TagMemory { get; } = [];

    public uint LastViolation { get; private set; }

    /// <summary>What the PEX must answer to <paramref name="miss"/>.</summary>
    public MissResolution Resolve(MissInput miss)
    {
        var sets = new RuleSets(Set(miss.PcTag), Set(miss.CiTag), Set(miss.Rs1Tag), Set(miss.Rs2Tag), Set(miss.MemTag));
        var outcome = _composite.Evaluate((Opgroup)miss.Opgroup, sets);
        if (!outcome.Allowed)
        {
            LastViolation = outcome.DenyInfo;
            return new MissResolution(false, 0, 0, outcome.DenyInfo);
        }
        uint pc = Interner.Intern(outcome.PcOut);
        uint result = Interner.Intern(outcome.Result);
        return new MissResolution(true, pc, result, LastViolation);
    }

    /// <summary>What the PEX must answer to <paramref name="call"/>.</summary>
    public CallCompletion Call(CallInput call)
    {
        var result = _composite.Call(new CallRequest(call.Op, call.Arg0, call.Arg1, Set(call.CallerTag)), this);
        return new CallCompletion(result.Value, Interner.Intern(result.Tag));
    }

    public void SetWords(uint address, uint size, MetaSet set)
    {
        uint tag = Interner.Intern(set);
        ulong end = (ulong)address + size, taggedEnd = (ulong)_tags.TaggedBase + _tags.TaggedSize;
        for (ulong word = address & ~3UL; word < end; word += 4)
        {
            if (word >= _tags.TaggedBase && word < taggedEnd)
                TagMemory[(uint)word] = tag;
        }
    }

    public int Next(string name) => _counters[name] = _counters.GetValueOrDefault(name) + 1;

    private MetaSet Set(uint tag) => Interner[(ushort)tag];
}
