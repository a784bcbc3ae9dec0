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
/// <see cref="SocRam.Spram"/> one SPRAM block of 32 KiB, <see cref="SpramWordRam"/>, whose accesses take two cycles:
/// the interconnect holds fetches and loads for the second). The console is a byte stream
/// (<see cref="ConsoleValid"/>, <see cref="ConsoleData"/>) for the firmware's debugging output; nothing is received (a
/// board's map has no console).
/// The PEX has no timer, and its core has no CSRs (<see cref="CsrSet.None"/>): it takes no interrupt, reads no counter
/// and stops on a trap. It runs only its own code (the policy firmware, on a board the boot agent: RV32I words, written
/// only by the PEX and its boot loader), so its core does not look for illegal words
/// (<see cref="MultiCycleCore.TrapsIllegalWords"/> false).
/// <para>On a board (<see cref="PexMemoryMap.Board"/>, with <see cref="BoardParts"/>) the PEX is the boot agent: it
/// starts in its boot ROM (block RAM), reads the configuration flash through the SPI master
/// (<see cref="FlashSck"/> ...) and writes the AP's RAM through the APRAM window (<see cref="ApLoader"/>, which drives
/// the AP's loader port).</para>
/// </remarks>
public sealed class PexSoc : Module
{
    /// <param name="config">The AP's tag configuration.</param>
    /// <param name="map">The PEX's memory map; null: <see cref="PexMemoryMap.Default"/>.</param>
    /// <param name="ram">How the RAM is built.</param>
    /// <param name="image">The RAM's contents at configuration (a generic RAM only); null: none, the loader writes it.</param>
    /// <param name="board">The boot ROM and the SPI master of a boot agent (the map must have their regions and APRAM); null: none.</param>
    public PexSoc(TagConfig config, MemoryMap? map = null, SocRam ram = SocRam.DualPort, IReadOnlyList<uint>? image = null, PexBoardParts? board = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Map = map ?? PexMemoryMap.Default;
        Map.Validate(alignedForDecoder: true);
        if (Map.RamSize < 8 || (Map.RamSize & (Map.RamSize - 1)) != 0)
            throw new ArgumentException($"the PEX RAM size {Map.RamSize} is not a power of two of at least 8 bytes", nameof(map));
        Config = config;
        var (codeBase, codeSize) = CodeRange(Map);
        CoreConfig = new CoreConfig(Map.ResetVector)
        {
            CodeBase = codeBase,
            CodeSize = codeSize,
            Microarchitecture = CoreMicroarchitecture.MultiCycle,
            WithM = false,
            Counters = false,
            Csrs = CsrSet.None,
            BranchPredictor = BranchPredictorKind.None,
        };
        // The store's value as it is on the data bus: the RAM places it by the byte enables, the devices take the low
        // bits. The PEX runs only its own code (the policy firmware and the boot agent, RV32I words that only it and its
        // boot loader write): its core does not look for illegal words. The interconnect's read data is 0 but in the cycle
        // of an answer (below): the word loaded needs no select in the core's result.
        core = new MultiCycleCore(CoreConfig, storeValueUnplaced: true, trapsIllegalWords: false, readDataQuiet: true);
        RamKind = ram;
        // The multi-cycle core fetches the next word only once its load or store is answered: one read-data AND-OR
        // answers both its masters. Tag control, the console, the SPI master and the AP RAM window read 0 but in the
        // cycle after their reads (tag control: after its wait): their read data joins it without read selects. So do
        // an SPRAM (quiet: it gives a word only in the cycle of its answer) and a boot ROM with a word of 0 to spare
        // (its last, addressed in every cycle without an access).
        int romWords = (int)(Map.BootRomSize / 4);
        RomQuiet = board is not null && (board.BootRom.Count < romWords || board.BootRom[romWords - 1] == 0);
        var quiet = new List<string> { PexMemoryMap.TagControlName, MemoryMap.UartName, MemoryMap.SpiFlashName, PexMemoryMap.ApRamName };
        if (ram == SocRam.Spram)
            quiet.Add(MemoryMap.RamName);
        if (RomQuiet)
            quiet.Add(MemoryMap.BootRomName);
        interconnect = new Interconnect(Map, ram == SocRam.DualPort ? [MemoryMap.RamName] : [],
            ram == SocRam.Spram ? [PexMemoryMap.TagControlName, MemoryMap.RamName] : [PexMemoryMap.TagControlName],
            responsesApart: CoreConfig.Microarchitecture == CoreMicroarchitecture.MultiCycle,
            quietRegions: quiet.Where(name => Map.Find(name) is not null));
        tagControl = new TagControl(config, Map.Region(PexMemoryMap.TagControlName), missReport: board?.MissReport ?? true,
            tagRead: board?.TagRead ?? true);
        // A board's map has no console (PexMemoryMap.Board).
        console = Map.Find(MemoryMap.UartName) is null ? null : new Uart(Map);
        int ramWords = (int)(Map.RamSize / 4);
        RamIndexBits = Shape.BitsFor((ulong)ramWords);
        if (ram == SocRam.Spram)
        {
            if (image is not null)
                throw new ArgumentException("an SPRAM cannot be initialised at configuration: give the PEX RAM image to a generic RAM", nameof(image));
            if (Map.RamSize > SpramWordRam.Words * 4u)
                throw new ArgumentException($"the PEX RAM of {Map.RamSize} bytes is larger than one SPRAM block ({SpramWordRam.Words * 4 / 1024} KiB)", nameof(map));
            // The core's store data (rs2 as read when the word arrived) is
            // held until the next word arrives: the SPRAM's high half is written from it without a copy. The address
            // (the core's onward pc, the fetch's and the data access's word index alike) is held until the response
            // (MultiCycleCore's remarks): the high half is addressed from it without a copy either.
            // The value is placed in the lanes by the SPRAM unit (the core's store value is unplaced).
            spram = new SpramWordRam(writeDataHeld: true, addressHeld: true, valueUnplaced: true, quiet: true);
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

        BoardParts = board;
        if (board is not null)
        {
            if (!Map.HasBootRom || Map.Find(MemoryMap.SpiFlashName) is null || Map.Find(PexMemoryMap.ApRamName) is null)
                throw new ArgumentException($"a boot agent's map needs a boot ROM, {MemoryMap.SpiFlashName} and {PexMemoryMap.ApRamName} (PexMemoryMap.Board)", nameof(board));
            if (board.BootRom.Count > romWords)
                throw new ArgumentException($"the PEX boot ROM image has {board.BootRom.Count} words but the ROM holds {romWords}", nameof(board));
            bootRom = Mem(32, romWords, init: [.. board.BootRom.Select(w => (ulong)w), .. new ulong[romWords - board.BootRom.Count]]);
            bootRomPort = bootRom.ReadPort();
            spi = new SpiMaster(Map, board.SpiClocksPerHalfBit);
            ApLoader = Out(new LoaderPort());
            FlashSck = Out(1);
            FlashSs = Out(1);
            FlashMosi = Out(1);
            FlashMiso = In(1);
        }
        else if (Map.HasBootRom)
        {
            throw new ArgumentException("the PEX's map has a boot ROM: give its contents (board)", nameof(map));
        }
    }

    /// <summary>
    /// The smallest range, a power of two aligned to its size, that holds every executable region of
    /// <paramref name="map"/>: the PEX core's code range (its pc keeps the bits that vary inside it); size 0: the whole
    /// address space.
    /// </summary>
    public static (uint Base, ulong Size) CodeRange(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var executable = map.Regions.Where(r => r.Executable).ToArray();
        if (executable.Length == 0)
            return (0, 0);
        uint first = executable.Min(r => r.Base);
        ulong end = executable.Max(r => r.Base + (ulong)r.Size);
        for (int bits = 2; bits < 32; bits++)
        {
            uint rangeBase = first & ~(uint)((1UL << bits) - 1);
            if (rangeBase + (1UL << bits) >= end)
                return (rangeBase, 1UL << bits);
        }
        return (0, 0);
    }

    /// <summary>
    /// The boot ROM reads 0 but in the cycle after an access (a quiet device for the interconnect): the boot loader
    /// leaves its last word 0, which the ROM reads in every cycle without an access.
    /// </summary>
    public bool RomQuiet { get; }

    /// <summary>The boot agent's parts; null when the PEX has none.</summary>
    public PexBoardParts? BoardParts { get; }

    /// <summary>The APRAM window's writes: the AP's loader port (a boot agent only).</summary>
    public readonly LoaderPort? ApLoader;

    /// <summary>The SPI flash's lines (a boot agent only); <see cref="FlashSs"/> is active low.</summary>
    public readonly Signal? FlashSck;
    public readonly Signal? FlashSs;
    public readonly Signal? FlashMosi;
    public readonly Signal? FlashMiso;

    public MemoryMap Map { get; }

    public TagConfig Config { get; }

    public CoreConfig CoreConfig { get; }

    /// <summary>The core traps on illegal words: false, it runs only the PEX's own code (<see cref="MultiCycleCore.TrapsIllegalWords"/>).</summary>
    public bool CoreTrapsIllegalWords => core.TrapsIllegalWords;

    /// <summary>The core takes the word loaded without a select: true, its interconnect's read data is 0 but in the cycle of an answer (<see cref="MultiCycleCore.ReadDataQuiet"/>).</summary>
    public bool CoreReadDataQuiet => core.ReadDataQuiet;

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

    /// <summary>The last denial, DENY's word: <c>(policy &lt;&lt; 16) | reason</c>.</summary>
    public readonly Signal DenyInfo = Out(32);

    /// <summary>AP_CONTROL bit 0: the AP is held, fetching nothing (1 from reset until the firmware releases it).</summary>
    public readonly Signal ApReset = Out(1);

    /// <summary>A byte the firmware writes to its console (none on a board: <see cref="PexMemoryMap.Board"/>).</summary>
    public readonly Signal ConsoleValid = Out(1);
    public readonly Signal ConsoleData = Out(8);

    private readonly MultiCycleCore core;
    private readonly Interconnect interconnect;
    private readonly TagControl tagControl;
    private readonly Uart? console;
    private readonly Memory? ram;
    private readonly SpramWordRam? spram;
    private readonly Memory? bootRom;
    private readonly MemoryReadPort? bootRomPort;
    private readonly SpiMaster? spi;
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
        if (spram is not null)
        {
            // Two cycles an access: the port waits for the second. The loader is for a generic RAM: here the boot
            // loader fills the RAM itself.
            spram.Address.Set(port.Offset[index + 1, 2].ZeroExtend(spram.Address.Width));
            spram.Select.Set(port.Select);
            spram.Write.Set(port.Write);
            spram.Mask.Set(port.ByteEnable);
            spram.Wdata.Set(port.WriteData);
            port.ReadData.Set(spram.Rdata);
            port.Wait!.Set(spram.Wait);
        }
        else
        {
            var ramWrite = (Loader.Valid | (port.Select & port.Write)).Named("ramWrite");
            var ramAddress = Mux(Loader.Valid, Loader.Address.Resize(index), port.Offset[index + 1, 2]).Named("ramAddress");
            // The store's value in every lane of its size (the core's store value is unplaced).
            var isWord = port.ByteEnable.Eq(0b1111);
            var isHalf = port.ByteEnable.Eq(0b0011) | port.ByteEnable.Eq(0b1100);
            var ramWdata = Mux(Loader.Valid, Loader.Data, LoadStoreLanes.StoreData(Cat(isWord, isHalf), port.WriteData));
            var ramMask = Mux(Loader.Valid, 0b1111, port.ByteEnable);
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

        // The boot agent's parts: the boot ROM (one port, read every cycle: quiet, its last word of 0 without an access),
        // the SPI master, the AP RAM window.
        if (bootRom is not null && bootRomPort is not null && spi is not null && ApLoader is not null)
        {
            var rom = interconnect.Port(MemoryMap.BootRomName);
            var romIndex = rom.Offset[bootRom.AddressWidth + 1, 2];
            bootRomPort.Address.Set(RomQuiet ? (romIndex | (~rom.Select).Replicate(bootRom.AddressWidth)).Named("romAddress") : romIndex);
            bootRomPort.Enable.Set(1);
            rom.ReadData.Set(bootRomPort.Data);

            interconnect.Port(MemoryMap.SpiFlashName).Attach(MemoryMap.SpiFlashName, spi.Select, spi.Write, spi.Offset, spi.Wdata, spi.Rdata);
            FlashSck!.Set(spi.Sck);
            FlashSs!.Set(spi.Ss);
            FlashMosi!.Set(spi.Mosi);
            spi.Miso.Set(FlashMiso!);

            var window = interconnect.Port(PexMemoryMap.ApRamName);
            ApLoader.Valid.Set(window.Select & window.Write);
            ApLoader.Address.Set(window.Offset[window.Offset.Width - 1, 2].ZeroExtend(ApLoader.Address.Width));
            ApLoader.Data.Set(window.WriteData);
            window.ReadData.Set(0);
        }

        // The tag-control device and the console.
        interconnect.Port(PexMemoryMap.TagControlName).Attach(PexMemoryMap.TagControlName,
            tagControl.Select, tagControl.Write, tagControl.Offset, tagControl.Wdata, tagControl.Rdata, tagControl.Wait);
        Tags.Connect(tagControl.Tags);
        Call.Connect(tagControl.Call);
        DenyInfo.Set(tagControl.DenyInfo);
        ApReset.Set(tagControl.ApReset);

        if (console is null)
        {
            ConsoleValid.Set(0);
            ConsoleData.Set(0);
        }
        else
        {
            interconnect.Port(MemoryMap.UartName).Attach(MemoryMap.UartName,
                console.Select, console.Write, console.Offset, console.Wdata, console.Rdata);
            console.RxValid.Set(0);
            console.RxData.Set(0);
            ConsoleValid.Set(console.TxValid);
            ConsoleData.Set(console.TxData);
        }
    }
}

/// <summary>What a boot agent PEX adds (<see cref="PexSoc"/> on a board), and what it leaves out.</summary>
/// <param name="BootRom">The boot loader's words from the boot ROM's base.</param>
/// <param name="SpiClocksPerHalfBit">The SPI master's clock divisor.</param>
/// <param name="MissReport">
/// TAGCTL's MISS_PC, MISS_INSN and MISS_ADDR read the miss's report fields (<see cref="TagControl.MissReport"/>); by
/// default they read 0 on a board, where nothing reads them (the policy firmware does not), and the AP's logic
/// that gives them is left out.
/// </param>
/// <param name="TagRead">
/// TAGCTL's TAG_DATA reads the tag memory (<see cref="TagControl.TagRead"/>); by default a read of it gives 0 on a board,
/// whose boot loader and policy firmware only write tags, and the tag unit's read data is left out.
/// </param>
public sealed record PexBoardParts(IReadOnlyList<uint> BootRom, int SpiClocksPerHalfBit, bool MissReport = false, bool TagRead = false);
