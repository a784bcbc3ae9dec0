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
/// <remarks>
/// A region whose device may take longer (the interconnect's <c>waitingRegions</c>) has a <see cref="Wait"/> input:
/// in the cycles after an access, 1 holds the response back; the response (and for a read <see cref="ReadData"/>)
/// is taken in the first cycle after the access where <see cref="Wait"/> is 0.
/// </remarks>
public sealed class DevicePort : Bundle
{
    /// <param name="offsetBits">The width of <see cref="Offset"/>: log2 of the region's size.</param>
    /// <param name="canWait">The device may hold its response (<see cref="Wait"/>).</param>
    public DevicePort(int offsetBits, bool canWait = false)
    {
        Offset = UInt(offsetBits);
        if (canWait)
            Wait = Flipped(Bool());
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

    /// <summary>1 in a cycle after an access: the device has not answered yet (only a region that may wait has it).</summary>
    public readonly Signal? Wait;

    /// <summary>
    /// Wires a device's register interface to this port, in the module being built. The device sees the byte offset
    /// of the first byte the access touches (the word's offset and the lowest byte enabled), as the golden model
    /// does: a byte or halfword access addresses the register at that byte (<c>sb</c> to a UART's data register
    /// sends, one to data + 1 is no register's). Store data is in every lane (the core replicates a byte or
    /// halfword), so a register takes its value from the low bits. <paramref name="wait"/> is the device's
    /// <see cref="Wait"/> (only for a port that has one).
    /// </summary>
    public void Attach(string region, Signal select, Signal write, Signal offset, Signal wdata, Signal rdata, Signal? wait = null,
        [System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(region);
        if ((wait is null) != (Wait is null))
            throw new ArgumentException(Wait is null ? $"the port of {region} cannot wait: name the region among the interconnect's waiting regions" : $"the port of {region} waits: give the device's wait signal", nameof(wait));
        var lanes = ByteEnable;
        var firstByte = Mux(lanes[0], U(0, 2), Mux(lanes[1], U(1, 2), Mux(lanes[2], U(2, 2), U(3, 2))), file, line).Named(region.ToLowerInvariant() + "_firstByte");
        select.Set(Select, file, line);
        write.Set(Write, file, line);
        offset.Set(Offset | firstByte.ZeroExtend(Offset.Width), file, line);
        wdata.Set(WriteData, file, line);
        ReadData.Set(rdata, file, line);
        if (wait is not null)
            Wait!.Set(wait, file, line);
    }
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
/// <item><b>Errors.</b> A request is taken and answered with <see cref="SystemBus.Error"/> (read data 0, but see one fetch source; nothing
/// written, no device selected) when its address lies in no region; its width (from the byte enables: one byte, an
/// aligned halfword, the word) is one the region does not take, or the byte enables are none of those; it writes a
/// region that is not writable or reads one that is not readable; or it comes from the instruction master and the
/// region is not executable, or it writes, or it is not a whole word (a fetch reads a word).</item>
/// <item><b>Arbitration.</b> A region has one port, which both masters share, the data master first: the
/// instruction master's <see cref="SystemBus.Ready"/> is 0 in a cycle where the data master's request (valid, to that
/// region) takes the port and the fetch address may lie in it (the address bits that tell it from the other
/// executable regions say so: a fetch to no region may wait too). A region named in <c>separateFetchPorts</c> (a dual-port RAM) has a second, read-only port
/// for the instruction master (<see cref="FetchPort"/>), and no conflict. The data master's Ready is 1 but while a waiting device holds a response.</item>
/// <item><b>Responses.</b> One cycle after the request was taken, in order (there is never more than one
/// outstanding per master): <see cref="SystemBus.ResponseValid"/>, <see cref="SystemBus.Error"/>, and for a read
/// the device's read data, routed by a register per region and master.</item>
/// <item><b>Waiting devices.</b> A region named in <c>waitingRegions</c> (a device that answers when something
/// outside it is done) has <see cref="DevicePort.Wait"/>: while its device holds the response of a data access,
/// the response waits and the data master's Ready is 0. An executable waiting region (a memory slower than a cycle,
/// fetched from through the port it shares with data) holds a fetch's response the same way; while either master's
/// access to it waits, the port takes no other access: both masters' Ready is 0.</item>
/// <item><b>Quiet devices.</b> A region named in <c>quietRegions</c> has a device whose read data is 0 in every cycle
/// but the one after a read of it and the cycles its own response waits (a device that clears its read register when not
/// read, or gates its registers with registered read selects): its read data joins the data master's OR as it is, with
/// no read-select register and no AND with one. In the cycle of a data response the other quiet devices read 0, since
/// the data master has at most one access outstanding. With <c>responsesApart</c> an executable region on a shared port
/// may be quiet too (a memory that reads 0 but in the cycle of its answer): both masters' reads of it join the OR as
/// they are.</item>
/// <item><b>One fetch source.</b> With one executable region (and the masters' responses not apart), the instruction
/// master's read data is that region's port as it is, with no read select: an error response to a fetch (no region)
/// then reads whatever the port holds, not 0. The cores give a faulting fetch's word no effect (it traps, and its
/// instruction is traced as 0).</item>
/// <item><b>One response at a time.</b> With <c>responsesApart</c> (a core that runs one instruction at a time and
/// fetches the next only once its load or store is answered: the two masters never wait for a response in the same
/// cycle) one AND-OR of the devices' read data answers both masters, each of which looks at it only in the cycle of
/// its own response.</item>
/// <item><b>Early regions.</b> A region named in <c>earlyRegions</c> is one the data master's requests to which it also
/// presents from its registers (<see cref="DataEarlyValid"/>: a tagged core's loads and stores outside tagged memory,
/// which commit on the rule cache's hit of the cycle before): the region's select and write follow that, not
/// <see cref="SystemBus.Valid"/>, which may come late in the cycle, so its device's write enables never wait for the
/// master's late decision. Errors and responses follow <see cref="SystemBus.Valid"/> as for every region.</item>
/// </list>
/// The instruction master's write data is never read: the instruction bus only fetches.
/// </remarks>
public sealed class Interconnect : Module
{

    /// <param name="map">The regions; each must be aligned for the decoder.</param>
    /// <param name="separateFetchPorts">Names of executable regions that have a second port for instruction fetches (a dual-port RAM).</param>
    /// <param name="waitingRegions">Names of regions whose device may hold its response (<see cref="DevicePort.Wait"/>).</param>
    /// <param name="responsesApart">The masters never wait for a response in the same cycle: one read-data AND-OR answers both.</param>
    /// <param name="quietRegions">Names of regions whose device's read data is 0 but in the cycle after a read of it and while its response waits (see the remarks).</param>
    /// <param name="dataIntent">The data master says early whether it may present a request (<see cref="DataIntent"/>): a shared port's address and
    /// the fetch's arbitration follow it, not the request's late valid.</param>
    /// <param name="earlyRegions">Names of regions the data master's requests to which come from its registers too (<see cref="DataEarlyValid"/>; see the remarks).</param>
    /// <exception cref="MemoryMapException">The map is not valid, or a region is not aligned for the decoder.</exception>
    /// <exception cref="ArgumentException">A separate fetch port names a region that is not in the map or not executable; a waiting region is not in the map or is executable; a quiet region is not in the map, or is executable without <paramref name="responsesApart"/> or with a separate fetch port; an early region is not in the map.</exception>
    public Interconnect(MemoryMap map, IEnumerable<string>? separateFetchPorts = null, IEnumerable<string>? waitingRegions = null, bool responsesApart = false,
        IEnumerable<string>? quietRegions = null, bool dataIntent = false, IEnumerable<string>? earlyRegions = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        map.Validate(alignedForDecoder: true);
        Map = map;
        ResponsesApart = responsesApart;
        var fetch = (separateFetchPorts ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var name in fetch)
        {
            var region = map.Find(name) ?? throw new ArgumentException($"a separate fetch port for {name}, which the map does not have (its regions: {string.Join(", ", map.Regions.Select(r => r.Name))})", nameof(separateFetchPorts));
            if (!region.Executable)
                throw new ArgumentException($"a separate fetch port for {name}, which is not executable", nameof(separateFetchPorts));
        }
        var waiting = (waitingRegions ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var name in waiting)
        {
            var region = map.Find(name) ?? throw new ArgumentException($"a waiting device for {name}, which the map does not have (its regions: {string.Join(", ", map.Regions.Select(r => r.Name))})", nameof(waitingRegions));
            if (region.Executable && fetch.Contains(name))
                throw new ArgumentException($"a waiting device for {name}, which has a separate fetch port (fetches wait only on a port they share with data)", nameof(waitingRegions));
        }
        var quiet = (quietRegions ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var name in quiet)
        {
            var region = map.Find(name) ?? throw new ArgumentException($"a quiet device for {name}, which the map does not have (its regions: {string.Join(", ", map.Regions.Select(r => r.Name))})", nameof(quietRegions));
            if (region.Executable && (!responsesApart || fetch.Contains(name)))
                throw new ArgumentException($"a quiet device for {name}, which is executable (a memory's read port holds its word; only one that reads 0 but after each read, on a shared port, with the responses apart)", nameof(quietRegions));
        }
        var early = (earlyRegions ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var name in early)
        {
            if (map.Find(name) is null)
                throw new ArgumentException($"an early region {name}, which the map does not have (its regions: {string.Join(", ", map.Regions.Select(r => r.Name))})", nameof(earlyRegions));
        }
        Regions = map.Regions;
        ports = new DevicePort[Regions.Count];
        fetchPorts = new DevicePort?[Regions.Count];
        for (int i = 0; i < Regions.Count; i++)
        {
            var region = Regions[i];
            ports[i] = NamePort(Out(new DevicePort(OffsetBits(region), waiting.Contains(region.Name))), region.Name);
            if (fetch.Contains(region.Name))
                fetchPorts[i] = NamePort(Out(new DevicePort(OffsetBits(region))), region.Name + "_fetch");
        }
        SeparateFetchPorts = [.. Regions.Where(r => fetch.Contains(r.Name)).Select(r => r.Name)];
        WaitingRegions = [.. Regions.Where(r => waiting.Contains(r.Name)).Select(r => r.Name)];
        QuietRegions = [.. Regions.Where(r => quiet.Contains(r.Name)).Select(r => r.Name)];
        EarlyRegions = [.. Regions.Where(r => early.Contains(r.Name)).Select(r => r.Name)];
        if (dataIntent)
            DataIntent = In(1);
        if (EarlyRegions.Count > 0)
            DataEarlyValid = In(1);
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

    /// <summary>The regions whose device may hold its response.</summary>
    public IReadOnlyList<string> WaitingRegions { get; }

    /// <summary>The regions whose device's read data is 0 but after a read of it: ORed in without a read select.</summary>
    public IReadOnlyList<string> QuietRegions { get; }

    /// <summary>The regions whose select follows the data master's <see cref="DataEarlyValid"/>.</summary>
    public IReadOnlyList<string> EarlyRegions { get; }

    /// <summary>The masters' responses never meet: one read-data AND-OR answers both.</summary>
    [Parameter]
    public bool ResponsesApart { get; }

    /// <summary>The regions as the decoder sees them: name, base, size, read/write/execute, widths (b, h, w), a separate fetch port (f), a waiting device (wait), a quiet one (quiet), an early one (early).</summary>
    [Parameter]
    public string Decoded => string.Join(", ", Regions.Select(r =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Name} 0x{r.Base:X8}+0x{r.Size:X} ")
        + (r.Readable ? "r" : "-") + (r.Writable ? "w" : "-") + (r.Executable ? "x" : "-")
        + (r.Allows(AccessWidths.Byte) ? "b" : "") + (r.Allows(AccessWidths.Halfword) ? "h" : "") + (r.Allows(AccessWidths.Word) ? "w" : "")
        + (SeparateFetchPorts.Contains(r.Name) ? " f" : "") + (WaitingRegions.Contains(r.Name) ? " wait" : "") + (QuietRegions.Contains(r.Name) ? " quiet" : "") + (EarlyRegions.Contains(r.Name) ? " early" : "")));

    /// <summary>The data master: loads and stores. It has the shared ports first.</summary>
    public readonly SystemBus Data = In(new SystemBus());

    /// <summary>The instruction master: fetches (word reads from executable regions).</summary>
    public readonly SystemBus Instr = In(new SystemBus());

    /// <summary>
    /// Only with <c>dataIntent</c>: 1 when the data master may present a request this cycle, from its registers (every
    /// valid request has it; the decision to go may come late). A port the masters share presents the data master's
    /// address, and takes no fetch, in every cycle with it and the data address in the region, whether the request comes
    /// or not: the RAM's address does not wait for that decision, which enters only its write enable.
    /// </summary>
    public readonly Signal? DataIntent;

    /// <summary>
    /// Only with early regions: the data master's <see cref="SystemBus.Valid"/> for a request to one of them, from its
    /// registers (equal to it whenever the address lies in one of them; see the remarks).
    /// </summary>
    public readonly Signal? DataEarlyValid;

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

        // A waiting device holding the response of the data access before: no new request, no response yet. An
        // executable one holding either master's response takes no access from the other master either.
        Expr dataValid = Data.Valid;
        Expr dataHeld = U(0, 1);
        Expr instrHeld = U(0, 1);
        Expr sharedHeld = U(0, 1);
        var outstanding = new Signal?[Regions.Count];
        var instrOutstanding = new Signal?[Regions.Count];
        for (int i = 0; i < Regions.Count; i++)
        {
            if (ports[i].Wait is { } wait)
            {
                outstanding[i] = Reg(1, reset: 0).Named($"{Regions[i].Name}_outstanding");
                dataHeld |= outstanding[i]! & wait;
                if (Regions[i].Executable)
                {
                    instrOutstanding[i] = Reg(1, reset: 0).Named($"{Regions[i].Name}_instrOutstanding");
                    instrHeld |= instrOutstanding[i]! & wait;
                    sharedHeld |= outstanding[i]! & wait;
                }
            }
        }
        bool fetchWaits = instrOutstanding.Any(o => o is not null);
        if (fetchWaits)
        {
            instrHeld = instrHeld.Named("instrHeld");
            sharedHeld = sharedHeld.Named("sharedHeld");
        }
        Expr? earlyValid = DataEarlyValid;
        if (WaitingRegions.Count > 0)
        {
            dataHeld = dataHeld.Named("dataHeld");
            dataValid = (Data.Valid & ~dataHeld & (fetchWaits ? ~instrHeld : U(1, 1))).Named("dataValid");
            if (earlyValid is not null)
                earlyValid = (earlyValid & ~dataHeld & (fetchWaits ? ~instrHeld : U(1, 1))).Named("earlyValid");
        }

        Expr dataOk = U(0, 1);
        Expr instrOk = U(0, 1);
        Expr instrBlocked = U(0, 1);
        Expr dataRead = U(0, 32);
        Expr instrRead = U(0, 32);
        // The instruction master reads one region only: its read data as it is (see the remarks).
        bool oneFetchSource = !ResponsesApart && Regions.Count(r => r.Executable) == 1;
        for (int i = 0; i < Regions.Count; i++)
        {
            var region = Regions[i];
            var port = ports[i];
            var fetchPort = fetchPorts[i];
            string name = region.Name;

            // The data master: the region, and whether it takes this access.
            var dataHit = ((EarlyRegions.Contains(name) ? earlyValid! : dataValid) & AddressDecode.Contains(Data.Address, region)).Named($"{name}_dataHit");
            var dataAllowed = Mux(Data.Write, region.Writable, region.Readable) & dataWidth.Allowed(region);
            var dataGo = (dataHit & dataAllowed).Named($"{name}_dataGo");
            dataOk |= dataGo;
            // The data master's claim on a shared port: its request, or with an early intent that intent.
            bool shared = region.Executable && fetchPort is null;
            var dataWants = !shared || DataIntent is null ? dataHit
                : (DataIntent & AddressDecode.Contains(Data.Address, region)).Named($"{name}_dataWants");

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
                    instrBlocked |= dataWants & AddressDecode.RatherThan(Instr.Address, region, Regions.Where(r => r.Executable && r != region));
                var portFree = fetchPort is null ? ~dataWants : U(1, 1);
                if (fetchWaits)
                    portFree &= ~instrHeld & ~sharedHeld;
                instrGo = (instrHit & instrAllowed & portFree).Named($"{name}_instrGo");
                instrOk |= instrHit & instrAllowed;
            }

            var dataOffset = AddressDecode.Offset(Data.Address, region, port.Offset.Width - 1, 0);
            var instrOffset = AddressDecode.Offset(Instr.Address, region, port.Offset.Width - 1, 0);
            port.Select.Set(shared ? dataGo | instrGo : dataGo);
            port.Write.Set(dataGo & Data.Write);
            port.ByteEnable.Set(shared ? Mux(dataWants, Data.ByteEnable, 0b1111) : Data.ByteEnable);
            port.Offset.Set(shared ? Mux(dataWants, dataOffset, instrOffset) : dataOffset);
            port.WriteData.Set(Data.WriteData);
            if (fetchPort is not null)
            {
                fetchPort.Select.Set(instrGo);
                fetchPort.Write.Set(0);
                fetchPort.ByteEnable.Set(0b1111);
                fetchPort.Offset.Set(instrOffset);
                fetchPort.WriteData.Set(0);
            }

            // A waiting device's access holds until the device answers.
            Signal? holds = null;
            if (outstanding[i] is { } waiting && port.Wait is { } wait)
            {
                holds = (waiting & wait).Named($"{name}_holds");
                waiting.Set(dataGo | holds);
            }

            Expr? instrHolds = null;
            if (instrOutstanding[i] is { } instrWaiting && port.Wait is { } instrWait)
            {
                instrHolds = (instrWaiting & instrWait).Named($"{name}_instrHolds");
                instrWaiting.Set(instrGo | instrHolds);
            }

            // Read data: a quiet device's as it is (an executable one's answers both masters: their responses are
            // apart); any other's through a register per master and region that remembers who reads what.
            if (QuietRegions.Contains(name))
            {
                dataRead |= port.ReadData;
                continue;
            }
            var dataReads = Reg(1, reset: 0).Named($"{name}_dataReads");
            dataReads.Set(holds is null ? dataGo & ~Data.Write : (dataGo & ~Data.Write) | (dataReads & holds));
            Expr readSelect = dataReads;
            if (region.Executable)
            {
                if (oneFetchSource)
                {
                    instrRead = (fetchPort ?? port).ReadData;
                }
                else
                {
                    var instrReads = Reg(1, reset: 0).Named($"{name}_instrReads");
                    instrReads.Set(instrHolds is null ? instrGo : instrGo | (instrReads & instrHolds));
                    if (!ResponsesApart)
                        instrRead |= Mux(instrReads, (fetchPort ?? port).ReadData, 0);
                    else if (fetchPort is not null)
                        dataRead |= Mux(instrReads, fetchPort.ReadData, 0);
                    else
                        readSelect = (dataReads | instrReads).Named($"{name}_reads");
                }
            }
            dataRead |= Mux(readSelect, port.ReadData, 0);
        }
        if (ResponsesApart)
            instrRead = dataRead;

        Data.Ready.Set(WaitingRegions.Count == 0 ? U(1, 1) : fetchWaits ? ~dataHeld & ~instrHeld : ~dataHeld);
        var instrReady = (fetchWaits ? ~instrBlocked & ~instrHeld & ~sharedHeld : ~instrBlocked).Named("instrReady");
        Instr.Ready.Set(instrReady);

        dataError.Set(dataValid & ~dataOk);
        if (WaitingRegions.Count > 0)
        {
            dataResponse.Set(dataValid | (dataResponse & dataHeld));
            Data.ResponseValid.Set(dataResponse & ~dataHeld);
        }
        else
        {
            dataResponse.Set(dataValid);
            Data.ResponseValid.Set(dataResponse);
        }
        Data.Error.Set(dataError);
        Data.ReadData.Set(dataRead);

        if (fetchWaits)
        {
            instrResponse.Set((Instr.Valid & instrReady) | (instrResponse & instrHeld));
            instrError.Set((Instr.Valid & instrReady & ~instrOk) | (instrError & instrHeld));
            Instr.ResponseValid.Set(instrResponse & ~instrHeld);
        }
        else
        {
            instrResponse.Set(Instr.Valid & instrReady);
            instrError.Set(Instr.Valid & instrReady & ~instrOk);
            Instr.ResponseValid.Set(instrResponse);
        }
        Instr.Error.Set(instrError);
        Instr.ReadData.Set(instrRead);
    }

    internal static AccessWidth Widths(Expr byteEnable, string master)
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
