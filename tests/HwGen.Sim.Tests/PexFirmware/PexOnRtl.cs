using HwGen.Designs.Pex;
using HwGen.Designs.Tags;
using HwGen.Firmware.Pex;
using HwGen.Sim.Policy;
using NUnit.Framework;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>A PEX running its firmware, driven one miss or call at a time: on the ISS or on the RTL.</summary>
internal interface IPexUnderTest
{
    /// <summary>Runs the start-up until the firmware releases the AP.</summary>
    void Start();

    /// <summary>The writes to the opgroup table, the care masks and the device tag, in order: (TAGCTL register, value).</summary>
    IReadOnlyList<(string Register, uint Value)> TableWrites { get; }

    /// <summary>AP tag memory as the firmware wrote it (word address → tag).</summary>
    IReadOnlyDictionary<uint, uint> TagMemory { get; }

    /// <summary>Raises <paramref name="miss"/> and runs until the firmware resolves it: how, and what it cost (instructions on the ISS, cycles on the RTL).</summary>
    (MissResolution Resolution, ulong Cost) Serve(MissInput miss);

    /// <summary>Raises <paramref name="call"/> and runs until the firmware completes it.</summary>
    CallCompletion Serve(CallInput call);

    /// <summary>The firmware's interning table: the sets of tags 1, 2, ... (read from its RAM).</summary>
    IReadOnlyList<MetaSet> InternedSets();
}

/// <summary>
/// The PEX firmware on the PEX's RTL (the PEX system on Verilator), the test playing the tag unit and the call port
/// through the PEX port: a miss or call raised, held until the firmware answers, then lowered for a cycle; tag memory
/// requests answered in the cycle after they are seen. The cost of a miss is the cycles from its raising to ALLOW or DENY.
/// </summary>
internal sealed class PexOnRtl : IPexUnderTest, IDisposable
{
    private const ulong CycleLimit = 2_000_000;

    private readonly PexSoc _soc;
    private readonly Bench _tb;
    private readonly PexPort _p;
    private readonly TagConfig _tags;
    private readonly uint _tableAddress;
    private readonly uint _countAddress;
    private readonly List<(string Register, uint Value)> _tableWrites = [];
    private readonly Dictionary<uint, uint> _tagMemory = [];
    private uint _callResultTag;
    private bool _tagDone;
    private MissResolution? _resolution;
    private CallCompletion? _completion;
    private CallInput? _call;
    private uint _callWord;

    public PexOnRtl(PexFirmwareImage firmware, TagConfig tags)
    {
        _tags = tags;
        _soc = new PexSoc(tags);
        _p = _soc.Tags;
        _tb = Bench.Create(_soc);
        _tb.LoadMemory(_soc.Ram!, 0, [.. firmware.Words.Select(w => (ulong)w)]);
        var elf = firmware.LoadElf(PexMemoryMap.Default);
        _tableAddress = elf.FindSymbol("intern_table")!.Value;
        _countAddress = elf.FindSymbol("intern_count")!.Value;
        _tb.Reset(2);
    }

    public IReadOnlyList<(string Register, uint Value)> TableWrites => _tableWrites;

    public IReadOnlyDictionary<uint, uint> TagMemory => _tagMemory;

    public void Start() => RunUntil(() => _tb.Peek(_soc.ApReset) == 0, "release the AP");

    public (MissResolution Resolution, ulong Cost) Serve(MissInput miss)
    {
        _tb.Poke(_p.MissOpgroup, (ulong)miss.Opgroup);
        _tb.Poke(_p.MissPcTag, miss.PcTag);
        _tb.Poke(_p.MissCiTag, miss.CiTag);
        _tb.Poke(_p.MissRs1Tag, miss.Rs1Tag);
        _tb.Poke(_p.MissRs2Tag, miss.Rs2Tag);
        _tb.Poke(_p.MissMemTag, miss.MemTag);
        _tb.Poke(_p.MissPc, miss.Pc);
        _tb.Poke(_p.MissInsn, miss.Insn);
        _tb.Poke(_p.MissAddress, miss.Address);
        _tb.Poke(_p.MissValid, 1);
        _resolution = null;
        ulong cycles = RunUntil(() => _resolution is not null, $"resolve {miss}");
        Lowered();
        return (_resolution!.Value, cycles);
    }

    public CallCompletion Serve(CallInput call)
    {
        var link = _soc.Call;
        _tb.Poke(link.CallerTag, call.CallerTag);
        _tb.Poke(link.Valid, 1);
        _call = call;
        _completion = null;
        RunUntil(() => _completion is not null, $"complete {call}");
        // The completion is seen in the cycle of the PEX's write to CALL_RESULT; the call port lowers the call in the
        // cycle after it, when it has taken the result.
        _tb.Step();
        _tb.Poke(link.Valid, 0);
        _call = null;
        Observe();
        Lowered();
        return _completion!.Value;
    }

    public IReadOnlyList<MetaSet> InternedSets()
    {
        uint Word(uint address) => (uint)_tb.ReadMemory(_soc.Ram!, (int)((address - PexMemoryMap.RamBase) / 4));
        uint count = Word(_countAddress);
        var bytes = new byte[MetaSet.Bytes];
        var sets = new List<MetaSet>();
        for (uint tag = 1; tag < count; tag++)
        {
            for (uint w = 0; w < 3; w++)
                BitConverter.TryWriteBytes(bytes.AsSpan((int)(4 * w)), Word(_tableAddress + tag * MetaSet.Bytes + 4 * w));
            sets.Add(MetaSet.ReadFrom(bytes));
        }
        return sets;
    }

    public void Dispose() => _tb.Dispose();

    /// <summary>One cycle with the miss or call lowered, as the tag unit and the call port lower them once answered.</summary>
    private void Lowered()
    {
        _tb.Step();
        Observe();
    }

    /// <summary>Steps until <paramref name="done"/>; the cycles it took.</summary>
    private ulong RunUntil(Func<bool> done, string what)
    {
        for (ulong cycle = 0; cycle < CycleLimit; cycle++)
        {
            _tb.Step();
            Observe();
            if (done())
                return cycle + 1;
        }
        Assert.Fail($"the PEX did not {what} within {CycleLimit} cycles");
        return 0;
    }

    private void Observe()
    {
        if (_tb.Peek(_p.Resolve) == 1)
        {
            bool allow = _tb.Peek(_p.Allow) == 1;
            // The output tags are ALLOW's alone (DENY's word is the denial).
            _resolution = new MissResolution(allow, allow ? (uint)_tb.Peek(_p.ResultPcTag) : 0, allow ? (uint)_tb.Peek(_p.ResultTag) : 0,
                (uint)_tb.Peek(_soc.DenyInfo));
            _tb.Poke(_p.MissValid, 0);
        }
        if (_tb.Peek(_p.OpgroupWrite) == 1)
            _tableWrites.Add(("OPGROUP", (uint)(_tb.Peek(_p.OpgroupCare) << PexMemoryMap.OpgroupCareShift |
                _tb.Peek(_p.OpgroupIndex) << TagConfig.OpgroupBits | _tb.Peek(_p.OpgroupValue))));
        if (_tb.Peek(_p.DeviceTagWrite) == 1)
            _tableWrites.Add(("DEVICE_TAG", (uint)_tb.Peek(_p.DeviceTag)));
        if (_tb.Peek(_p.CallResultTagWrite) == 1)
            _callResultTag = (uint)_tb.Peek(_p.CallResultTag);
        if (_tb.Peek(_soc.Call.Done) == 1)
        {
            _completion = new CallCompletion((uint)_tb.Peek(_soc.Call.Result), _callResultTag);
        }
        if (_tagDone)
        {
            _tb.Poke(_p.TagDone, 0);
            _tagDone = false;
        }
        else if (_tb.Peek(_p.TagValid) == 1)
        {
            // The request names a word of the tagged memory by its index; outside it, it reads 0 and writes nothing.
            bool inside = _tb.Peek(_p.TagInside) == 1;
            uint word = _tags.TaggedBase + 4 * (uint)_tb.Peek(_p.TagIndex);
            if (inside && _tb.Peek(_p.TagWrite) == 1)
                _tagMemory[word] = (uint)_tb.Peek(_p.TagWdata);
            _tb.Poke(_p.TagRdata, inside ? _tagMemory.GetValueOrDefault(word) : 0);
            _tb.Poke(_p.TagDone, 1);
            _tagDone = true;
        }
        AnswerCallReads();
    }

    /// <summary>As the call port: the register the PEX named in the cycle before (0 when none, or no call was pending).</summary>
    private void AnswerCallReads()
    {
        var link = _soc.Call;
        _tb.Poke(link.Word, _callWord);
        _callWord = _call is not { } call ? 0
            : _tb.Peek(link.ReadOp) == 1 ? call.Op
            : _tb.Peek(link.ReadArg0) == 1 ? call.Arg0
            : _tb.Peek(link.ReadArg1) == 1 ? call.Arg1
            : 0;
    }
}
