using HwGen.Designs.Riscv;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The device side of one region of the map, declared from the interconnect's side: an access in the cycle
/// <see cref="Select"/> is 1, and for a read the word in <see cref="ReadData"/> in the next cycle (as the RAM's
/// synchronous read port and the SoC's devices give it). The device holds <see cref="ReadData"/> at anything it
/// likes in other cycles: the interconnect only looks at it in the cycle after a read.
/// </summary>
public sealed class DevicePort : Bundle
{
    /// <param name="offsetBits">The width of <see cref="Offset"/>: log2 of the region's size.</param>
    public DevicePort(int offsetBits)
    {
        Offset = UInt(offsetBits);
    }

    /// <summary>1: an access to this region in this cycle.</summary>
    public readonly Signal Select = Bool();
    public readonly Signal Write = Bool();
    /// <summary>One bit per byte lane of the word: the bytes written, or read.</summary>
    public readonly Signal ByteEnable = UInt(4);
    /// <summary>The byte offset of the access in the region (bits 1..0 are 0).</summary>
    public readonly Signal Offset;
    public readonly Signal WriteData = UInt(32);
    /// <summary>The word read, in the cycle after a read.</summary>
    public readonly Signal ReadData = Flipped(UInt(32));
}

/// <summary>
/// The SoC side of the core's two <see cref="SystemBus"/> masters, generated from a <see cref="MemoryMap"/>: it decodes
/// every request against the map's regions, answers the ones no region takes with an error, and passes the others to
/// the region's <see cref="DevicePort"/>. Every response comes in the cycle after its request was taken.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Decoding.</b> Each region is a power of two in size and aligned to it (the map is checked with
/// <see cref="MemoryMap.Validate"/> and <c>alignedForDecoder</c>), so a region is found by comparing the address bits
/// above its size, and the offset is the bits below (<see cref="AddressDecode"/>).</item>
/// <item><b>Errors.</b> A request is taken and answered with <see cref="SystemBus.Error"/> (read data 0, nothing
/// written, no device selected) when its address lies in no region; its width (from the byte enables: one byte, an
/// aligned halfword, the word) is one the region does not take, or the byte enables are none of those; it writes a
/// region that is not writable or reads one that is not readable; or it comes from the instruction master and the
/// region is not executable, or it writes, or it is not a whole word (a fetch reads a word).</item>
/// <item><b>Arbitration.</b> A region has one port, which both masters share, the data master first: the
/// instruction master's <see cref="SystemBus.Ready"/> is 0 in a cycle where the data master's request (valid, to that
/// region) takes the port and the fetch address may lie in it (the address bits that tell it from the other
/// executable regions say so: a fetch to no region may wait too). A region named in <c>separateFetchPorts</c> (a dual-port RAM) has a second, read-only port
/// for the instruction master (<see cref="FetchPort"/>), and no conflict. The data master's Ready is always 1.</item>
/// <item><b>Responses.</b> One cycle after the request was taken, in order (there is never more than one
/// outstanding per master): <see cref="SystemBus.ResponseValid"/>, <see cref="SystemBus.Error"/>, and for a read
/// the device's read data, routed by a register per region and master.</item>
/// </list>
/// The instruction master's write data is never read: the instruction bus only fetches.
/// </remarks>
public sealed class Interconnect : Module
{

    /// <param name="map">The regions; each must be aligned for the decoder.</param>
    /// <param name="separateFetchPorts">Names of executable regions that have a second port for instruction fetches (a dual-port RAM).</param>
    /// <exception cref="MemoryMapException">The map is not valid, or a region is not aligned for the decoder.</exception>
    /// <exception cref="ArgumentException">A separate fetch port names a region that is not in the map or not executable.</exception>
    public Interconnect(MemoryMap map, IEnumerable<string>? separateFetchPorts = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        map.Validate(alignedForDecoder: true);
        Map = map;
        var fetch = (separateFetchPorts ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var name in fetch)
        {
            var region = map.Find(name) ?? throw new ArgumentException($"a separate fetch port for {name}, which the map does not have (its regions: {string.Join(", ", map.Regions.Select(r => r.Name))})", nameof(separateFetchPorts));
            if (!region.Executable)
                throw new ArgumentException($"a separate fetch port for {name}, which is not executable", nameof(separateFetchPorts));
        }
        Regions = map.Regions;
        ports = new DevicePort[Regions.Count];
        fetchPorts = new DevicePort?[Regions.Count];
        for (int i = 0; i < Regions.Count; i++)
        {
            var region = Regions[i];
            ports[i] = NamePort(Out(new DevicePort(OffsetBits(region))), region.Name);
            if (fetch.Contains(region.Name))
                fetchPorts[i] = NamePort(Out(new DevicePort(OffsetBits(region))), region.Name + "_fetch");
        }
        SeparateFetchPorts = [.. Regions.Where(r => fetch.Contains(r.Name)).Select(r => r.Name)];
        dataResponse = Reg(1, reset: 0);
        dataError = Reg(1, reset: 0);
        instrResponse = Reg(1, reset: 0);
        instrError = Reg(1, reset: 0);
    }

    public MemoryMap Map { get; }

    /// <summary>The regions, in the order of their ports (address order).</summary>
    public IReadOnlyList<MemoryRegion> Regions { get; }

    /// <summary>The regions that have a separate fetch port.</summary>
    public IReadOnlyList<string> SeparateFetchPorts { get; }

    /// <summary>The regions as the decoder sees them: name, base, size, read/write/execute, widths (b, h, w), and a separate fetch port (f).</summary>
    [Parameter]
    public string Decoded => string.Join(", ", Regions.Select(r =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Name} 0x{r.Base:X8}+0x{r.Size:X} ")
        + (r.Readable ? "r" : "-") + (r.Writable ? "w" : "-") + (r.Executable ? "x" : "-")
        + (r.Allows(AccessWidths.Byte) ? "b" : "") + (r.Allows(AccessWidths.Halfword) ? "h" : "") + (r.Allows(AccessWidths.Word) ? "w" : "")
        + (SeparateFetchPorts.Contains(r.Name) ? " f" : "")));

    /// <summary>The data master: loads and stores. It has the shared ports first.</summary>
    public readonly SystemBus Data = In(new SystemBus());

    /// <summary>The instruction master: fetches (word reads from executable regions).</summary>
    public readonly SystemBus Instr = In(new SystemBus());

    private readonly DevicePort[] ports;
    private readonly DevicePort?[] fetchPorts;

    /// <summary>The device port of each region, in the order of <see cref="Regions"/>; its signals are named <c>REGION_Select</c>, ...</summary>
    public IReadOnlyList<DevicePort> Ports => ports;

    private readonly Signal dataResponse;
    private readonly Signal dataError;
    private readonly Signal instrResponse;
    private readonly Signal instrError;

    /// <summary>The device port of the region called <paramref name="region"/>.</summary>
    public DevicePort Port(string region) => ports[IndexOf(region)];

    /// <summary>The separate fetch port of <paramref name="region"/> (named <c>REGION_fetch_Select</c>, ...), or null when fetches share its port.</summary>
    public DevicePort? FetchPort(string region) => fetchPorts[IndexOf(region)];

    /// <summary>The width of the offset of <paramref name="region"/>: log2 of its size.</summary>
    public static int OffsetBits(MemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return Math.Max(1, System.Numerics.BitOperations.Log2(region.Size));
    }

    protected override void Build()
    {
        var dataWidth = Widths(Data.ByteEnable, "data");
        var instrWord = Instr.ByteEnable.Eq(0b1111).Named("instr_word");

        Expr dataOk = U(0, 1);
        Expr instrOk = U(0, 1);
        Expr instrBlocked = U(0, 1);
        Expr dataRead = U(0, 32);
        Expr instrRead = U(0, 32);
        for (int i = 0; i < Regions.Count; i++)
        {
            var region = Regions[i];
            var port = ports[i];
            var fetchPort = fetchPorts[i];
            string name = region.Name;

            // The data master: the region, and whether it takes this access.
            var dataHit = (Data.Valid & AddressDecode.Contains(Data.Address, region)).Named($"{name}_dataHit");
            var dataAllowed = Mux(Data.Write, region.Writable, region.Readable) & dataWidth.Allowed(region);
            var dataGo = (dataHit & dataAllowed).Named($"{name}_dataGo");
            dataOk |= dataGo;

            // The instruction master: word reads of executable regions.
            Expr instrGo = U(0, 1);
            if (region.Executable)
            {
                var instrHit = (Instr.Valid & AddressDecode.Contains(Instr.Address, region)).Named($"{name}_instrHit");
                var instrAllowed = ~Instr.Write & instrWord;
                // The fetch waits while data takes this region's shared port and the fetch address may be in it: told
                // from the other executable regions by a bit or two, not the full decode, so that Ready does not wait
                // for the fetch address's comparison.
                if (fetchPort is null)
                    instrBlocked |= dataHit & AddressDecode.RatherThan(Instr.Address, region, Regions.Where(r => r.Executable && r != region));
                instrGo = (instrHit & instrAllowed & (fetchPort is null ? ~dataHit : U(1, 1))).Named($"{name}_instrGo");
                instrOk |= instrHit & instrAllowed;
            }

            var dataOffset = AddressDecode.Offset(Data.Address, region, port.Offset.Width - 1, 0);
            var instrOffset = AddressDecode.Offset(Instr.Address, region, port.Offset.Width - 1, 0);
            bool shared = region.Executable && fetchPort is null;
            port.Select.Set(shared ? dataGo | instrGo : dataGo);
            port.Write.Set(dataGo & Data.Write);
            port.ByteEnable.Set(shared ? Mux(dataHit, Data.ByteEnable, 0b1111) : Data.ByteEnable);
            port.Offset.Set(shared ? Mux(dataHit, dataOffset, instrOffset) : dataOffset);
            port.WriteData.Set(Data.WriteData);
            if (fetchPort is not null)
            {
                fetchPort.Select.Set(instrGo);
                fetchPort.Write.Set(0);
                fetchPort.ByteEnable.Set(0b1111);
                fetchPort.Offset.Set(instrOffset);
                fetchPort.WriteData.Set(0);
            }

            // Read data: a register per master and region remembers who reads what.
            var dataReads = Reg(1, reset: 0).Named($"{name}_dataReads");
            dataReads.Set(dataGo & ~Data.Write);
            dataRead |= Mux(dataReads, port.ReadData, 0);
            if (region.Executable)
            {
                var instrReads = Reg(1, reset: 0).Named($"{name}_instrReads");
                instrReads.Set(instrGo);
                instrRead |= Mux(instrReads, (fetchPort ?? port).ReadData, 0);
            }
        }

        Data.Ready.Set(1);
        var instrReady = (~instrBlocked).Named("instrReady");
        Instr.Ready.Set(instrReady);

        dataResponse.Set(Data.Valid);
        dataError.Set(Data.Valid & ~dataOk);
        Data.ResponseValid.Set(dataResponse);
        Data.Error.Set(dataError);
        Data.ReadData.Set(dataRead);

        instrResponse.Set(Instr.Valid & instrReady);
        instrError.Set(Instr.Valid & instrReady & ~instrOk);
        Instr.ResponseValid.Set(instrResponse);
        Instr.Error.Set(instrError);
        Instr.ReadData.Set(instrRead);
    }

    private static AccessWidth Widths(Expr byteEnable, string master)
    {
        var one = (byteEnable.Eq(0b0001) | byteEnable.Eq(0b0010) | byteEnable.Eq(0b0100) | byteEnable.Eq(0b1000)).Named($"{master}_byte");
        var half = (byteEnable.Eq(0b0011) | byteEnable.Eq(0b1100)).Named($"{master}_halfword");
        var word = byteEnable.Eq(0b1111).Named($"{master}_word");
        return new AccessWidth(one, half, word);
    }

    private int IndexOf(string region)
    {
        for (int i = 0; i < Regions.Count; i++)
        {
            if (Regions[i].Name == region)
                return i;
        }
        throw new KeyNotFoundException($"the interconnect has no region {region} (its regions: {string.Join(", ", Regions.Select(r => r.Name))})");
    }

    private static DevicePort NamePort(DevicePort port, string prefix)
    {
        foreach (var (member, value) in port.Members)
        {
            if (value is Signal signal)
                signal.Named($"{prefix}_{member}");
        }
        return port;
    }
}
