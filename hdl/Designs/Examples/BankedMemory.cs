using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Examples;

/// <summary>
/// A memory bus declared once: the request goes from the master to the memory, the response (flipped) comes back.
/// A master declares it <c>Out(new MemoryBus())</c>, a memory <c>In(new MemoryBus())</c>, and one
/// <c>Connect</c> joins both directions at each level.
/// </summary>
/// <remarks>
/// A request is one cycle with <c>Valid</c> 1; the memory answers in the next cycle with <c>Ready</c> 1 and, for a
/// read, the word in <c>ReadData</c>.
/// </remarks>
public sealed class MemoryBus : Bundle
{
    public MemoryBus(int addressWidth, int dataWidth)
    {
        Address = UInt(addressWidth);
        WriteData = UInt(dataWidth);
        ReadData = Flipped(UInt(dataWidth));
    }

    public readonly Signal Valid = Bool();
    public readonly Signal Write = Bool();
    public readonly Signal Address;
    public readonly Signal WriteData;
    /// <summary>The word read, the cycle after the request.</summary>
    public readonly Signal ReadData;
    /// <summary>1 the cycle after a request: the answer.</summary>
    public readonly Signal Ready = Flipped(Bool());
}

/// <summary>One bank of block RAM behind a <see cref="MemoryBus"/>; it decodes the low address bits.</summary>
public sealed class MemoryBank : Module
{
    public MemoryBank(int addressWidth, int dataWidth, int bankAddressWidth)
    {
        Bus = In(new MemoryBus(addressWidth, dataWidth));
        storage = Mem(dataWidth, 1 << bankAddressWidth);
        readPort = storage.ReadPort();
        writePort = storage.WritePort();
    }

    public readonly MemoryBus Bus;
    private readonly Memory storage;
    private readonly MemoryReadPort readPort;
    private readonly MemoryWritePort writePort;
    private readonly Signal answered = Reg(1, reset: 0);

    protected override void Build()
    {
        var word = Bus.Address.Low(storage.AddressWidth);
        writePort.Address.Set(word);
        writePort.Data.Set(Bus.WriteData);
        writePort.Enable.Set(Bus.Valid & Bus.Write);
        readPort.Address.Set(word);
        readPort.Enable.Set(Bus.Valid & ~Bus.Write);
        answered.Set(Bus.Valid);
        Bus.ReadData.Set(readPort.Data);
        Bus.Ready.Set(answered);
    }
}

/// <summary>Sends each request to one of two buses by the top address bit, and returns that bus's answer.</summary>
public sealed class BusSplitter : Module
{
    public BusSplitter(int addressWidth, int dataWidth)
    {
        Up = In(new MemoryBus(addressWidth, dataWidth));
        Low = Out(new MemoryBus(addressWidth, dataWidth));
        High = Out(new MemoryBus(addressWidth, dataWidth));
    }

    public readonly MemoryBus Up;
    public readonly MemoryBus Low;
    public readonly MemoryBus High;
    /// <summary>Which bus the last request went to: its answer comes back now.</summary>
    private readonly Signal highAnswers = Reg(1, reset: 0);

    protected override void Build()
    {
        var high = Up.Address.Msb;
        foreach (var (down, selected) in new[] { (Low, ~high), (High, high) })
        {
            down.Valid.Set(Up.Valid & selected);
            down.Write.Set(Up.Write);
            down.Address.Set(Up.Address);
            down.WriteData.Set(Up.WriteData);
        }
        When(Up.Valid, () => highAnswers.Set(high));
        Up.ReadData.Set(Mux(highAnswers, High.ReadData, Low.ReadData));
        Up.Ready.Set(Mux(highAnswers, High.Ready, Low.Ready));
    }
}

/// <summary>
/// Two banks of block RAM behind one <see cref="MemoryBus"/> port: the bus is declared once and passes through
/// three levels with one <c>Connect</c> each.
/// </summary>
public sealed class BankedMemory : Module
{
    public BankedMemory(int addressWidth = 6, int dataWidth = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(addressWidth, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(dataWidth, 1);
        AddressWidth = addressWidth;
        DataWidth = dataWidth;
        Bus = In(new MemoryBus(addressWidth, dataWidth));
        splitter = new BusSplitter(addressWidth, dataWidth);
        low = new MemoryBank(addressWidth, dataWidth, addressWidth - 1);
        high = new MemoryBank(addressWidth, dataWidth, addressWidth - 1);
    }

    [Parameter]
    public int AddressWidth { get; }

    [Parameter]
    public int DataWidth { get; }

    public readonly MemoryBus Bus;
    private readonly BusSplitter splitter;
    private readonly MemoryBank low;
    private readonly MemoryBank high;

    protected override void Build()
    {
        splitter.Up.Connect(Bus);
        low.Bus.Connect(splitter.Low);
        high.Bus.Connect(splitter.High);
    }
}
