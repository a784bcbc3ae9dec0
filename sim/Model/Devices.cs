using System.Text;
using HwGen.Designs.Soc;

namespace HwGen.Sim.Model;

/// <summary>
/// A region of the golden model's address space and what answers there. An access is split in two, like an
/// instruction: <see cref="Read"/> and <see cref="CanWrite"/> decide what would happen without changing anything
/// (so an instruction whose commit check denies it leaves every device as it was), and
/// <see cref="CommitRead"/> / <see cref="CommitWrite"/> carry out the side effects when the instruction commits.
/// </summary>
/// <remarks>Accesses are naturally aligned (the simulator traps misaligned ones first) and lie inside
/// <see cref="Region"/>; <c>size</c> is 1, 2 or 4 bytes; values are little-endian, in the low bits.</remarks>
public interface IMemoryDevice
{
    /// <summary>The region of the memory map the device answers.</summary>
    MemoryRegion Region { get; }

    /// <summary>
    /// True when a read may legally return another value on the RTL (a register that changes by itself, input from
    /// outside): co-simulation copies the RTL's value into the golden model.
    /// </summary>
    bool Volatile { get; }

    /// <summary>The value a read would return, without side effects. False: the device refuses the access (an access fault).</summary>
    bool Read(uint address, int size, out uint value);

    /// <summary>Whether the device accepts a write of that size there, without changing anything. False: an access fault.</summary>
    bool CanWrite(uint address, int size);

    /// <summary>Commit: the side effects of a read that <see cref="Read"/> accepted (e.g. the UART takes the received byte).</summary>
    void CommitRead(uint address, int size);

    /// <summary>Commit: the write that <see cref="CanWrite"/> accepted.</summary>
    void CommitWrite(uint address, int size, uint value);
}

/// <summary>The devices of a memory map, one per region of <see cref="MemoryMap.Regions"/>.</summary>
internal static class MemoryDevices
{
    /// <summary>
    /// The device for every region of <paramref name="iss"/>'s map, in address order: the one of <paramref name="given"/>
    /// for the same region name, else RAM, the CLINT (mtime and mtimecmp of <paramref name="iss"/>), the UART, GPIO, the
    /// SPI flash master, the PEX call port and the boot ROM, by their names in <see cref="MemoryMap"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">A region the golden model has no device for.</exception>
    internal static IMemoryDevice[] For(Rv32Iss iss, IReadOnlyList<IMemoryDevice> given) =>
        [.. iss.Map.Regions.Select(region => given.FirstOrDefault(d => d.Region.Name == region.Name) ?? Create(iss, region))];

    private static IMemoryDevice Create(Rv32Iss iss, MemoryRegion region) => region.Name switch
    {
        MemoryMap.RamName => new RamDevice(iss, region),
        MemoryMap.ClintName => new ClintDevice(iss, region),
        MemoryMap.UartName => new UartDevice(iss.Map, region),
        MemoryMap.GpioName => new OpenBusDevice(region, wordsOnly: false),
        MemoryMap.PexCallName => new PexCallDevice(region),
        MemoryMap.SpiFlashName => new OpenBusDevice(region, wordsOnly: true),
        MemoryMap.BootRomName => new BootRomDevice(region),
        _ => throw new NotSupportedException($"the golden model has no device for memory region {region.Name} at 0x{region.Base:x8}; add one in {nameof(MemoryDevices)}.{nameof(Create)}, or give one in {nameof(IssOptions)}.{nameof(IssOptions.Devices)}"),
    };
}

/// <summary>RAM: bytes, every size, no side effects on read; a write invalidates the decoded instructions it covers and may end the program (<c>tohost</c>).</summary>
internal sealed class RamDevice(Rv32Iss iss, MemoryRegion region) : IMemoryDevice
{
    public MemoryRegion Region { get; } = region;

    public bool Volatile => false;

    public bool Read(uint address, int size, out uint value)
    {
        value = iss.ReadRam(address - Region.Base, size);
        return true;
    }

    public bool CanWrite(uint address, int size) => true;

    public void CommitRead(uint address, int size)
    {
    }

    public void CommitWrite(uint address, int size, uint value) => iss.CommitRamStore(address - Region.Base, size, value);
}

/// <summary>
/// The CLINT: <c>mtime</c> and <c>mtimecmp</c>, 64 bits each as two words (low word first), held by the simulator
/// (which advances mtime). Words only: a byte or halfword access faults. Other words read 0 and ignore writes.
/// </summary>
internal sealed class ClintDevice(Rv32Iss iss, MemoryRegion region) : IMemoryDevice
{
    private readonly uint _mtime = iss.Map.Mtime;
    private readonly uint _mtimecmp = iss.Map.Mtimecmp;

    public MemoryRegion Region { get; } = region;

    public bool Volatile => true;

    public bool Read(uint address, int size, out uint value)
    {
        value = address == _mtime ? (uint)iss.Mtime
            : address == _mtime + 4 ? (uint)(iss.Mtime >> 32)
            : address == _mtimecmp ? (uint)iss.Mtimecmp
            : address == _mtimecmp + 4 ? (uint)(iss.Mtimecmp >> 32)
            : 0;
        return size == 4;
    }

    public bool CanWrite(uint address, int size) => size == 4;

    public void CommitRead(uint address, int size)
    {
    }

    public void CommitWrite(uint address, int size, uint value)
    {
        if (address == _mtime)
            iss.Mtime = (iss.Mtime & 0xFFFF_FFFF_0000_0000) | value;
        else if (address == _mtime + 4)
            iss.Mtime = (iss.Mtime & 0xFFFF_FFFF) | ((ulong)value << 32);
        else if (address == _mtimecmp)
            iss.Mtimecmp = (iss.Mtimecmp & 0xFFFF_FFFF_0000_0000) | value;
        else if (address == _mtimecmp + 4)
            iss.Mtimecmp = (iss.Mtimecmp & 0xFFFF_FFFF) | ((ulong)value << 32);
    }
}

/// <summary>
/// The UART, at any width: an access addresses the register at its first byte, so <c>sb</c>/<c>sh</c>/<c>sw</c> to the
/// data register send the low byte and a load of any width from it takes the next received byte (0 when none); a load
/// from the status register gives bit 0 = ready to send (always 1), bit 1 = a received byte is waiting. An access
/// whose first byte is not a register's (data + 1, say) reads 0 and ignores writes, as do other words.
/// </summary>
internal sealed class UartDevice(MemoryMap map, MemoryRegion region) : IMemoryDevice
{
    private readonly uint _data = map.UartData;
    private readonly uint _status = map.UartStatus;

    public MemoryRegion Region { get; } = region;

    public bool Volatile => true;

    /// <summary>Bytes sent so far.</summary>
    public StringBuilder Output { get; } = new();

    /// <summary>Bytes waiting to be read.</summary>
    public Queue<byte> Input { get; } = new();

    public bool Read(uint address, int size, out uint value)
    {
        value = address == _data ? (Input.TryPeek(out byte b) ? b : 0u)
            : address == _status ? 1u | (Input.Count > 0 ? 2u : 0u)
            : 0;
        return true;
    }

    public bool CanWrite(uint address, int size) => true;

    public void CommitRead(uint address, int size)
    {
        if (address == _data)
            Input.TryDequeue(out _);
    }

    public void CommitWrite(uint address, int size, uint value)
    {
        if (address == _data)
            Output.Append((char)(value & 0xFF));
    }
}

/// <summary>Serves the calls the application processor makes through the PEX call port (<see cref="PexCallDevice"/>).</summary>
public interface IPexCallHandler
{
    /// <summary>Runs call <paramref name="op"/> with its arguments, when the store to OP commits; returns RESULT.</summary>
    uint Call(uint op, uint arg0, uint arg1);
}

/// <summary>
/// The PEX call port: word registers OP (+0x0), ARG0 (+0x4), ARG1 (+0x8), RESULT (+0xC). The program writes ARG0 and
/// ARG1, then OP: the store to OP runs the call (<see cref="Handler"/>; without one every call gives 0), and a load of
/// RESULT gives its result. The op is OP's low bits (<see cref="MemoryMap.PexCallOpMask"/>). RESULT and ARG0 are one
/// register: the call's result replaces the first argument (and a store to ARG0 the last result). ARG0, ARG1 and
/// RESULT read back; OP and every other word read 0; a byte or halfword access reads 0 and is ignored.
/// </summary>
public sealed class PexCallDevice(MemoryRegion region) : IMemoryDevice
{
    public const uint Op = 0x0;
    public const uint Arg0 = 0x4;
    public const uint Arg1 = 0x8;
    public const uint Result = 0xC;

    /// <summary>ARG0, and RESULT: a call's result replaces the first argument.</summary>
    private uint _arg0;
    private uint _arg1;

    public MemoryRegion Region { get; } = region;

    public bool Volatile => true;

    /// <summary>Who serves the calls (a tag engine); null: every call gives 0.</summary>
    public IPexCallHandler? Handler { get; set; }

    public bool Read(uint address, int size, out uint value)
    {
        value = size != 4 ? 0 : (address - Region.Base) switch
        {
            Arg0 or Result => _arg0,
            Arg1 => _arg1,
            _ => 0,
        };
        return true;
    }

    public bool CanWrite(uint address, int size) => true;

    public void CommitRead(uint address, int size)
    {
    }

    public void CommitWrite(uint address, int size, uint value)
    {
        if (size != 4)
            return;
        switch (address - Region.Base)
        {
            case Arg0:
                _arg0 = value;
                break;
            case Arg1:
                _arg1 = value;
                break;
            case Op:
                _arg0 = Handler?.Call(value & MemoryMap.PexCallOpMask, _arg0, _arg1) ?? 0;
                break;
        }
    }
}

/// <summary>
/// A region whose registers the golden model does not model (GPIO, the SPI flash master, which
/// has no flash behind it in simulation): reads return 0, writes are ignored. <c>wordsOnly</c>: a byte or halfword
/// access faults.
/// </summary>
internal sealed class OpenBusDevice(MemoryRegion region, bool wordsOnly) : IMemoryDevice
{
    public MemoryRegion Region { get; } = region;

    public bool Volatile => true;

    public bool Read(uint address, int size, out uint value)
    {
        value = 0;
        return !wordsOnly || size == 4;
    }

    public bool CanWrite(uint address, int size) => !wordsOnly || size == 4;

    public void CommitRead(uint address, int size)
    {
    }

    public void CommitWrite(uint address, int size, uint value)
    {
    }
}

/// <summary>The boot ROM: read-only (a write faults), every size; its words are 0 unless <see cref="Words"/> is filled.</summary>
internal sealed class BootRomDevice(MemoryRegion region) : IMemoryDevice
{
    public MemoryRegion Region { get; } = region;

    public bool Volatile => false;

    /// <summary>The ROM's contents, one little-endian word per 4 bytes.</summary>
    public uint[] Words { get; } = new uint[(region.Size + 3) / 4];

    public bool Read(uint address, int size, out uint value)
    {
        uint offset = address - Region.Base;
        uint word = Words[offset >> 2] >> (int)((offset & 3) * 8);
        value = size == 4 ? word : size == 2 ? word & 0xFFFF : word & 0xFF;
        return true;
    }

    public bool CanWrite(uint address, int size) => false;

    public void CommitRead(uint address, int size)
    {
    }

    public void CommitWrite(uint address, int size, uint value) =>
        throw new InvalidOperationException("the boot ROM is read-only");
}
