using HwGen.Designs.Ice40;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Pex;

/// <summary>
/// The policy execution coprocessor's system: a small core (<see cref="MultiCycleCore"/>: RV32I, one instruction at a time), its RAM, the
/// tag-control device (<see cref="TagControl"/>) and a console UART, laid out by a PEX <see cref="MemoryMap"/>
/// (<see cref="PexMemoryMap.Default"/>) and joined by an <see cref="Interconnect"/> generated from it. The RAM is
/// loaded through <see cref="Loader"/> while the PEX is held in reset; the tag unit's side of the PEX's work is
/// <see cref="Tags"/>, the AP's calls come through <see cref="Call"/>.
/// </summary>
/// <remarks>
/// The RAM (<see cref="Ram"/>) is a generic memory with an instruction port and a data port (simulation,
/// <see cref="SocRam.DualPort"/>), or one port shared by fetches and data (<see cref="SocRam.SinglePort"/>; with
/// <see cref="SocRam.Spram"/> a pair of SPRAM blocks, of which the PEX's RAM takes the first half). The console is a byte stream
/// (<see cref="ConsoleValid"/>, <see cref="ConsoleData"/>) for the firmware's debugging output; nothing is received.
/// The PEX has no timer: its core's timer interrupt is never raised and its time reads 0.
/// </remarks>
public sealed class PexSoc : Module
{
    /// <param name="config">The AP's tag configuration.</param>
    /// <param name="map">The PEX's memory map; null: <see cref="PexMemoryMap.Default"/>.</param>
    /// <param name="ram">How the RAM is built.</param>
    /// <param name="image">The RAM's contents at configuration (a generic RAM only: on the board, block RAM holding the
    /// firmware); null: none, the loader writes it.</param>
    public PexSoc(TagConfig config, MemoryMap? map = null, SocRam ram = SocRam.DualPort, IReadOnlyList<uint>? image = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Map = map ?? PexMemoryMap.Default;
        Map.Validate(alignedForDecoder: true);
        if (Map.RamSize < 8 || (Map.RamSize & (Map.RamSize - 1)) != 0)
            throw new ArgumentException($"the PEX RAM size {Map.RamSize} is not a power of two of at least 8 bytes", nameof(map));
        Config = config;
        CoreConfig = new CoreConfig(Map.RamBase)
        {
            Microarchitecture = CoreMicroarchitecture.MultiCycle,
            WithM = false,
            Counters = false,
            BranchPredictor = BranchPredictorKind.None,
        };
        core = RiscvCore.Create(CoreConfig);
        RamKind = ram;
        interconnect = new Interconnect(Map, ram == SocRam.DualPort ? [MemoryMap.RamName] : [], [PexMemoryMap.TagControlName]);
        tagControl = new TagControl(config, Map.Region(PexMemoryMap.TagControlName));
        console = new Uart(Map);
        int ramWords = (int)(Map.RamSize / 4);
        RamIndexBits = Shape.BitsFor((ulong)ramWords);
        if (ram == SocRam.Spram)
        {
            if (image is not null)
                throw new ArgumentException("an SPRAM cannot be initialised at configuration: give the PEX RAM image to a generic RAM", nameof(image));
            if (Map.RamSize > 64u << 10)
                throw new ArgumentException($"the PEX RAM of {Map.RamSize} bytes is larger than a pair of SPRAM blocks (64 KiB)", nameof(map));
            spram = new SpramRam(64);
        }
        else
        {
            if (image is not null && image.Count > ramWords)
                throw new ArgumentException($"the PEX RAM image of {image.Count} words is larger than the RAM of {ramWords}", nameof(image));
            this.ram = Mem(32, ramWords, image?.Select(w => (ulong)w).ToArray());
            if (ram == SocRam.DualPort)
                instructionPort = this.ram.ReadPort();
            dataPort = this.ram.ReadPort();
            writePort = this.ram.WritePort(granularity: 8);
        }
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

    /// <summary>How the RAM is built.</summary>
    [Parameter]
    public SocRam RamKind { get; }

    /// <summary>The generic RAM (for a testbench that reads it); null with SPRAM.</summary>
    public Memory? Ram => ram;

    /// <summary>Writes words into the PEX's RAM (word index within it).</summary>
    public readonly LoaderPort Loader = In(new LoaderPort());

    /// <summary>The tag unit, as <see cref="TagControl"/> sees it.</summary>
    public readonly PexPort Tags;

    /// <summary>The AP's call port.</summary>
    public readonly PexCallLink Call;

    /// <summary>DENY_INFO: <c>(policy &lt;&lt; 16) | reason</c> of the last denial.</summary>
    public readonly Signal DenyInfo = Out(32);

    /// <summary>AP_CONTROL bit 0: the AP is held, fetching nothing (1 from reset until the firmware releases it).</summary>
    public readonly Signal ApReset = Out(1);

    /// <summary>A byte the firmware writes to its console.</summary>
    public readonly Signal ConsoleValid = Out(1);
    public readonly Signal ConsoleData = Out(8);

    private readonly IRiscvCore core;
    private readonly Interconnect interconnect;
    private readonly TagControl tagControl;
    private readonly Uart console;
    private readonly Memory? ram;
    private readonly SpramRam? spram;
    private readonly MemoryReadPort? instructionPort;
    private readonly MemoryReadPort? dataPort;
    private readonly MemoryWritePort? writePort;

    protected override void Build()
    {
        interconnect.Data.Connect(core.Data);
        interconnect.Instr.Connect(core.Instr);
        core.TimerInterrupt.Set(0);
        core.Mtime.Set(0);

        // The RAM: the loader first, then its port (data first, then fetch, when they share it).
        int index = RamIndexBits;
        var port = interconnect.Port(MemoryMap.RamName);
        var ramWrite = (Loader.Valid | (port.Select & port.Write)).Named("ramWrite");
        var ramAddress = Mux(Loader.Valid, Loader.Address.Resize(index), port.Offset[index + 1, 2]).Named("ramAddress");
        var ramWdata = Mux(Loader.Valid, Loader.Data, port.WriteData);
        var ramMask = Mux(Loader.Valid, 0b1111, port.ByteEnable);
        if (spram is not null)
        {
            spram.Address.Set(ramAddress.ZeroExtend(spram.Address.Width));
            spram.Enable.Set(1);
            spram.Write.Set(ramWrite);
            spram.Mask.Set(ramMask);
            spram.Wdata.Set(ramWdata);
            port.ReadData.Set(spram.Rdata);
        }
        else
        {
            dataPort!.Address.Set(ramAddress);
            dataPort.Enable.Set(~ramWrite);
            writePort!.Address.Set(ramAddress);
            writePort.Data.Set(ramWdata);
            writePort.Mask!.Set(ramMask);
            writePort.Enable.Set(ramWrite);
            port.ReadData.Set(dataPort.Data);
            if (instructionPort is not null && interconnect.FetchPort(MemoryMap.RamName) is { } fetch)
            {
                instructionPort.Address.Set(fetch.Offset[index + 1, 2]);
                instructionPort.Enable.Set(fetch.Select);
                fetch.ReadData.Set(instructionPort.Data);
            }
        }

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
