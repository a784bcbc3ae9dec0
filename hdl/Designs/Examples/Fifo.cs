using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Examples;

/// <summary>
/// A synchronous first-in first-out queue in block RAM, with a registered (first-word-fall-through)
/// output: <c>ReadData</c> holds the oldest entry whenever <c>Empty</c> is 0. It holds up to
/// <c>Depth + 1</c> entries: <c>Depth</c> in the RAM (<c>Full</c> says these are all taken) and the one presented
/// on <c>ReadData</c>.
/// </summary>
public sealed class Fifo : Module
{
    public Fifo(int width = 8, int depth = 16)
    {
        if (depth < 2 || (depth & (depth - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "the depth must be a power of two of at least 2");
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Width = width;
        Depth = depth;
        int addressWidth = Shape.BitsFor((ulong)depth);
        WriteData = In(width);
        ReadData = Out(width);
        Level = Out(addressWidth + 1);
        storage = Mem(width, depth);
        writePointer = Reg(addressWidth + 1, reset: 0);
        readPointer = Reg(addressWidth + 1, reset: 0);
        outputValid = Reg(1, reset: 0);
        readPort = storage.ReadPort();
        writePort = storage.WritePort();
    }

    [Parameter]
    public int Width { get; }

    [Parameter]
    public int Depth { get; }

    public readonly Signal WriteEnable = In(1);
    public readonly Signal WriteData;
    public readonly Signal ReadEnable = In(1);
    public readonly Signal ReadData;
    public readonly Signal Empty = Out(1);
    public readonly Signal Full = Out(1);
    /// <summary>Number of entries held, including the one presented on <c>ReadData</c>.</summary>
    public readonly Signal Level;

    private readonly Memory storage;
    private readonly MemoryReadPort readPort;
    private readonly MemoryWritePort writePort;
    private readonly Signal writePointer;
    private readonly Signal readPointer;
    private readonly Signal outputValid;

    protected override void Build()
    {
        int addressWidth = writePointer.Width - 1;
        var stored = (writePointer - readPointer).Named("stored");
        var full = stored.Eq(Depth).Named("full");
        var push = (WriteEnable & ~full).Named("push");
        var pop = (ReadEnable & outputValid).Named("pop");
        // The RAM's registered output is refilled when it is empty or being consumed.
        var fetch = (stored.Any() & (~outputValid | pop)).Named("fetch");

        writePort.Address.Set(writePointer.Low(addressWidth));
        writePort.Data.Set(WriteData);
        writePort.Enable.Set(push);
        When(push, () => writePointer.Set(writePointer + 1));

        readPort.Address.Set(readPointer.Low(addressWidth));
        readPort.Enable.Set(fetch);
        When(fetch, () =>
        {
            readPointer.Set(readPointer + 1);
            outputValid.Set(1);
        }).ElseWhen(pop, () => outputValid.Set(0));

        ReadData.Set(readPort.Data);
        Empty.Set(~outputValid);
        Full.Set(full);
        Level.Set(stored + outputValid.ZeroExtend(stored.Width));
    }
}
