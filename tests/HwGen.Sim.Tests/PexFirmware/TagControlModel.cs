using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Sim.Model;

namespace HwGen.Sim.Tests.PexFirmware;

/// <summary>A rule input the tag unit hands the PEX: the masked fields, and the report fields.</summary>
internal readonly record struct MissInput(int Opgroup, uint PcTag, uint CiTag, uint Rs1Tag, uint Rs2Tag, uint MemTag, uint Pc = 0, uint Insn = 0, uint Address = 0);

/// <summary>How the PEX ended a miss: allowed (ALLOW, with the output tags of its word) or denied (DENY, with its word).</summary>
internal readonly record struct MissResolution(bool Allow, uint PcTag, uint ResultTag, uint DenyInfo);

/// <summary>A call from the AP: op, arguments, the caller's (CI) tag.</summary>
internal readonly record struct CallInput(uint Op, uint Arg0, uint Arg1, uint CallerTag);

/// <summary>How the PEX completed a call: CALL_RESULT and the CALL_RESULT_TAG written before it.</summary>
internal readonly record struct CallCompletion(uint Result, uint ResultTag);

/// <summary>
/// The tag unit and call port as the PEX sees them through TAGCTL, in C#: the test raises a miss or a call; the model
/// answers the firmware's register reads from it, records what the firmware writes (ALLOW and its outputs, DENY, the
/// tables, tag memory, the call's completion) and ends the miss or call as the hardware does.
/// </summary>
/// <remarks>Registers are found by name in the region (<see cref="PexMemoryMap.TagControl"/>), never by number.</remarks>
internal sealed class TagControlModel(MemoryRegion region) : IMemoryDevice
{
    private readonly Dictionary<uint, string> _names = region.Registers.ToDictionary(r => region.Base + r.Offset, r => r.Name);
    private uint _callResultTag;
    private uint _tagAddress;

    public MemoryRegion Region { get; } = region;

    private static readonly uint PcTagMask = (1u << PexMemoryMap.AllowResultTagShift) - 1;

    public bool Volatile => true;

    /// <summary>The miss pending (STATUS bit 0), or null.</summary>
    public MissInput? Miss { get; set; }

    /// <summary>The call pending (STATUS bit 1), or null.</summary>
    public CallInput? Call { get; set; }

    /// <summary>How the last miss ended; set when the firmware writes ALLOW or DENY, which clears <see cref="Miss"/>.</summary>
    public MissResolution? Resolution { get; set; }

    /// <summary>How the last call completed; set when the firmware writes CALL_RESULT, which clears <see cref="Call"/>.</summary>
    public CallCompletion? Completion { get; set; }

    public uint DenyInfo { get; set; }

    /// <summary>AP tag memory: the tag of each word written or preset (byte address of the word → tag); others are 0.</summary>
    public Dictionary<uint, uint> TagMemory { get; } = [];

    /// <summary>Every write to the opgroup table, care masks, device tag, in order: (register name, value).</summary>
    public List<(string Register, uint Value)> TableWrites { get; } = [];

    /// <summary>AP_CONTROL: bit 0 holds the AP in reset (1 after reset).</summary>
    public uint ApControl { get; private set; } = 1;

    /// <summary>Writes to FLUSH.</summary>
    public int Flushes { get; private set; }

    /// <summary>The hardware's statistics, which the firmware may read (it must not keep its own).</summary>
    public uint Lookups { get; set; }

    public bool Read(uint address, int size, out uint value)
    {
        value = !_names.TryGetValue(address, out var name) ? 0 : name switch
        {
            "STATUS" => (Miss is null ? 0u : 1u) | (Call is null ? 0u : 2u),
            "MISS_OPGROUP" => (uint)(Miss?.Opgroup ?? 0),
            "MISS_PC_TAG" => Miss?.PcTag ?? 0,
            "MISS_CI_TAG" => Miss?.CiTag ?? 0,
            "MISS_RS1_TAG" => Miss?.Rs1Tag ?? 0,
            "MISS_RS2_TAG" => Miss?.Rs2Tag ?? 0,
            "MISS_MEM_TAG" => Miss?.MemTag ?? 0,
            "MISS_PC" => Miss?.Pc ?? 0,
            "MISS_INSN" => Miss?.Insn ?? 0,
            "MISS_ADDR" => Miss?.Address ?? 0,
            "TAG_DATA" => TagMemory.GetValueOrDefault(_tagAddress & ~3u),
            "AP_CONTROL" => ApControl,
            "LOOKUPS" => Lookups,
            "CALL_OP" => Call?.Op ?? 0,
            "CALL_ARG0" => Call?.Arg0 ?? 0,
            "CALL_ARG1" => Call?.Arg1 ?? 0,
            "CALL_CALLER_TAG" => Call?.CallerTag ?? 0,
            _ => 0,
        };
        return size == 4;
    }

    public bool CanWrite(uint address, int size) => size == 4;

    public void CommitRead(uint address, int size)
    {
    }

    public void CommitWrite(uint address, int size, uint value)
    {
        if (!_names.TryGetValue(address, out var name))
            return;
        switch (name)
        {
            case "ALLOW" when Miss is not null:
                Resolution = new MissResolution(true, value & PcTagMask, value >> PexMemoryMap.AllowResultTagShift, DenyInfo);
                Miss = null;
                break;
            case "DENY" when Miss is not null:
                DenyInfo = value;
                Resolution = new MissResolution(false, 0, 0, value);
                Miss = null;
                break;
            case "TAG_ADDR":
                _tagAddress = value;
                break;
            case "TAG_DATA":
                TagMemory[_tagAddress & ~3u] = value;
                break;
            case "OPGROUP" or "DEVICE_TAG":
                TableWrites.Add((name, value));
                break;
            case "CALL_RESULT_TAG":
                _callResultTag = value;
                break;
            case "CALL_RESULT" when Call is not null:
                Completion = new CallCompletion(value, _callResultTag);
                Call = null;
                break;
            case "FLUSH":
                Flushes++;
                break;
            case "AP_CONTROL":
                ApControl = value & 1;
                break;
        }
    }
}
