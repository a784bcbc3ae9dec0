using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Pex;

/// <summary>
/// The policy execution coprocessor's system: a small core (no M extension, no branch prediction), its RAM, the
/// tag-control device (<see cref="TagControl"/>) and a console UART, laid out by a PEX <see cref="MemoryMap"/>
/// (<see cref="PexMemoryMap.Default"/>) and joined by an <see cref="Interconnect"/> generated from it. The RAM is
/// loaded through <see cref="Loader"/> while the PEX is held in reset; the tag unit's side of the PEX's work is
/// <see cref="Tags"/>, the AP's calls come through <see cref="Call"/>.
/// </summary>
/// <remarks>
/// The RAM is a generic memory with an instruction port and a data port (simulation). The console is a byte stream
/// (<see cref="ConsoleValid"/>, <see cref="ConsoleData"/>) for the firmware's debugging output; nothing is received.
/// The PEX has no timer: its core's timer interrupt is never raised and its time reads 0.
/// </remarks>
public sealed class PexSoc : Module
{
    public PexSoc(TagConfig config, MemoryMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Map = map ?? PexMemoryMap.Default;
        Map.Validate(alignedForDecoder: true);
        if (Map.RamSize < 8 || (Map.RamSize & (Map.RamSize - 1)) != 0)
            throw new ArgumentException($"the PEX RAM size {Map.RamSize} is not a power of two of at least 8 bytes", nameof(map));
        Config = config;
        CoreConfig = new CoreConfig(Map.RamBase) { WithM = false, BranchPredictor = BranchPredictorKind.None };
        core = new Core(CoreConfig);
        interconnect = new Interconnect(Map, [MemoryMap.RamName], [PexMemoryMap.TagControlName]);
        tagControl = new TagControl(config, Map.Region(PexMemoryMap.TagControlName));
        console = new Uart(Map);
        int ramWords = (int)(Map.RamSize / 4);
        RamIndexBits = Shape.BitsFor((ulong)ramWords);
        ram = Mem(32, ramWords);
        instructionPort = ram.ReadPort();
        dataPort = ram.ReadPort();
        writePort = ram.WritePort(granularity: 8);
        Tags = In(new PexPort(config));
        Call = In(new PexCallLink(config));
    }

    public MemoryMap Map { get; }

    public TagConfig Config { get; }

    public CoreConfig CoreConfig { get; }

    [Parameter]
    public uint RamBase => Map.RamBase;

    [Parameter]
    public uint RamSize => Map.RamSize;

    /// <summary>The width of a RAM word index.</summary>
    public int RamIndexBits { get; }

    /// <summary>Writes words into the PEX's RAM (word index within it).</summary>
    public readonly LoaderPort Loader = In(new LoaderPort());

    /// <summary>The tag unit, as <see cref="TagControl"/> sees it.</summary>
    public readonly PexPort Tags;

    /// <summary>The AP's call port.</summary>
    public readonly PexCallLink Call;

    /// <summary>DENY_INFO: <c>(policy &lt;&lt; 16) | reason</c> of the last denial.</summary>
    public readonly Signal DenyInfo = Out(32);

    /// <summary>AP_CONTROL bit 0: the AP is held in reset (1 from reset until the firmware releases it).</summary>
    public readonly Signal ApReset = Out(1);

    /// <summary>A byte the firmware writes to its console.</summary>
    public readonly Signal ConsoleValid = Out(1);
    public readonly Signal ConsoleData = Out(8);

    private readonly Core core;
    private readonly Interconnect interconnect;
    private readonly TagControl tagControl;
    private readonly Uart console;
    private readonly Memory ram;
    private readonly MemoryReadPort instructionPort;
    private readonly MemoryReadPort dataPort;
    private readonly MemoryWritePort writePort;

    protected override void Build()
    {
        interconnect.Data.Connect(core.Data);
        interconnect.Instr.Connect(core.Instr);
        core.TimerInterrupt.Set(0);
        core.Mtime.Set(0);

        // The RAM: the loader first, then the data port; fetches on their own port.
        int index = RamIndexBits;
        var port = interconnect.Port(MemoryMap.RamName);
        var ramWrite = (Loader.Valid | (port.Select & port.Write)).Named("ramWrite");
        var ramAddress = Mux(Loader.Valid, Loader.Address.Resize(index), port.Offset[index + 1, 2]).Named("ramAddress");
        dataPort.Address.Set(ramAddress);
        dataPort.Enable.Set(~ramWrite);
        writePort.Address.Set(ramAddress);
        writePort.Data.Set(Mux(Loader.Valid, Loader.Data, port.WriteData));
        writePort.Mask!.Set(Mux(Loader.Valid, 0b1111, port.ByteEnable));
        writePort.Enable.Set(ramWrite);
        port.ReadData.Set(dataPort.Data);
        var fetch = interconnect.FetchPort(MemoryMap.RamName)!;
        instructionPort.Address.Set(fetch.Offset[index + 1, 2]);
        instructionPort.Enable.Set(fetch.Select);
        fetch.ReadData.Set(instructionPort.Data);

        // The tag-control device and the console.
        interconnect.Port(PexMemoryMap.TagControlName).Attach(PexMemoryMap.TagControlName,
            tagControl.Select, tagControl.Write, tagControl.Offset, tagControl.Wdata, tagControl.Rdata, tagControl.Wait);
        Tags.Connect(tagControl.Tags);
        Call.Connect(tagControl.Call);
        DenyInfo.Set(tagControl.DenyInfo);
        ApReset.Set(tagControl.ApReset);

        interconnect.Port(MemoryMap.UartName).Attach(MemoryMap.UartName,
            console.Select, console.Write, console.Offset, console.Wdata, console.Rdata);
        console.RxValid.Set(0);
        console.RxData.Set(0);
        ConsoleValid.Set(console.TxValid);
        ConsoleData.Set(console.TxData);
    }
}
