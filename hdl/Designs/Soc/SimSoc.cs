using HwGen.Designs.Riscv;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// The simulation system on chip: one <see cref="Core"/> and the RAM of a <see cref="MemoryMap"/>, loaded
/// with a program image. The RAM has a read port for instructions, a read port for data and a byte-masked
/// write port. A store to the <c>tohost</c> address shows on <see cref="ToHostValid"/> and
/// <see cref="ToHostData"/> (it also writes the RAM when the address is in it), for a test bench to end the run.
/// </summary>
public sealed class SimSoc : Module
{
    /// <param name="image">The RAM's initial words from its base address up (e.g. an <c>objcopy -O binary</c> file).</param>
    /// <param name="toHostAddress">The byte address of the <c>tohost</c> word (4-byte aligned).</param>
    /// <param name="map">The memory map (default <see cref="MemoryMap.Simulation"/>).</param>
    /// <param name="config">The core's configuration (default: the application processor's for <paramref name="map"/>).</param>
    public SimSoc(IReadOnlyList<uint> image, uint toHostAddress, MemoryMap? map = null, CoreConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        Map = map ?? MemoryMap.Simulation;
        if (Map.RamSize < 8 || (Map.RamSize & (Map.RamSize - 1)) != 0)
            throw new ArgumentException($"the RAM size {Map.RamSize} is not a power of two of at least 8 bytes", nameof(map));
        if ((toHostAddress & 3) != 0)
            throw new ArgumentException($"the tohost address 0x{toHostAddress:X8} is not 4-byte aligned", nameof(toHostAddress));
        int words = (int)(Map.RamSize / 4);
        if (image.Count > words)
            throw new ArgumentException($"the image has {image.Count} words but the RAM at 0x{Map.RamBase:X8} holds {words}", nameof(image));
        ToHostAddress = toHostAddress;
        core = new Core(config ?? CoreConfig.ForMemoryMap(Map));
        ram = Mem(32, words, image.Select(w => (ulong)w).ToArray());
    }

    public MemoryMap Map { get; }

    [Parameter]
    public uint RamBase => Map.RamBase;

    [Parameter]
    public uint RamSize => Map.RamSize;

    [Parameter]
    public uint ToHostAddress { get; }

    /// <summary>1 in a cycle where the core stores to the <c>tohost</c> address.</summary>
    public readonly Signal ToHostValid = Out(1);
    /// <summary>The word stored to <c>tohost</c>.</summary>
    public readonly Signal ToHostData = Out(32);

    private readonly Core core;
    private readonly Memory ram;

    protected override void Build()
    {
        int indexBits = ram.AddressWidth;
        var instructionOffset = (core.InstrAddr - RamBase).Named("instructionOffset");
        var instructions = ram.ReadPort();
        instructions.Address.Set(instructionOffset[indexBits + 1, 2]);
        instructions.Enable.Set(core.InstrReq);
        core.InstrRdata.Set(instructions.Data);

        var dataOffset = (core.DataAddr - RamBase).Named("dataOffset");
        var inRam = (dataOffset < RamSize).Named("inRam");
        var data = ram.ReadPort();
        data.Address.Set(dataOffset[indexBits + 1, 2]);
        data.Enable.Set(core.DataReq & ~core.DataWe);
        core.DataRdata.Set(data.Data);

        var write = ram.WritePort(granularity: 8);
        write.Address.Set(dataOffset[indexBits + 1, 2]);
        write.Data.Set(core.DataWdata);
        write.Mask!.Set(core.DataBe);
        write.Enable.Set(core.DataReq & core.DataWe & inRam);

        ToHostValid.Set(core.DataReq & core.DataWe & core.DataAddr.Eq(ToHostAddress));
        ToHostData.Set(core.DataWdata);
    }
}
