using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Sim.Tests.Testbench;

/// <summary>A 100-bit register with a load enable, and the sum of its halves: ports wider than 64 bits.</summary>
public sealed class WideRegister : Module
{
    public readonly Signal Load = In(1);
    public readonly Signal D = In(100);
    public readonly Signal Q = Out(100);
    /// <summary>Combinational: D's low 50 bits plus its high 50 bits, 51 bits.</summary>
    public readonly Signal HalfSum = Out(51);

    private readonly Signal value = Reg(100, reset: 0);

    protected override void Build()
    {
        When(Load, () => value.Set(D));
        Q.Set(value);
        HalfSum.Set(D[49, 0].ZeroExtend(51) + D[99, 50].ZeroExtend(51));
    }
}

/// <summary>A table with an asynchronous read port, its data registered on the way out.</summary>
public sealed class Table : Module
{
    public Table(int width, int depth)
    {
        Address = In(Shape.BitsFor((ulong)depth - 1));
        Data = Out(width);
        Words = Mem(width, depth);
        read = Words.ReadPort(synchronous: false);
        delayed = Reg(width, reset: 0);
    }

    public readonly Signal Address;
    public readonly Signal Data;
    /// <summary>Combinational: the word at <see cref="Address"/> now.</summary>
    public readonly Signal Now = Out(1);
    public readonly Memory Words;

    private readonly MemoryReadPort read;
    private readonly Signal delayed;

    protected override void Build()
    {
        read.Address.Set(Address);
        delayed.Set(read.Data);
        Data.Set(delayed);
        Now.Set(read.Data.Any());
    }
}

/// <summary>Two tables inside one module: memories below the top are reached by their instance.</summary>
public sealed class TwoTables : Module
{
    public readonly Table Low = new(8, 16);
    public readonly Table High = new(72, 4);
    public readonly Signal Address = In(4);
    public readonly Signal LowData = Out(8);
    public readonly Signal HighData = Out(72);

    protected override void Build()
    {
        Low.Address.Set(Address);
        High.Address.Set(Address[1, 0]);
        LowData.Set(Low.Data);
        HighData.Set(High.Data);
    }
}

/// <summary>A register without a reset value: a module without a reset port.</summary>
public sealed class Delay : Module
{
    public readonly Signal D = In(8);
    public readonly Signal Q = Out(8);

    private readonly Signal value = Reg(8);

    protected override void Build()
    {
        value.Set(D);
        Q.Set(value);
    }
}
