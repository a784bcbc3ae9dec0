using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Common;

/// <summary>
/// A RISC-V style register file in block RAM: two synchronous read ports, one write port, register 0
/// reads as zero. A read of the register written in the same cycle returns the new value. A read port whose
/// mask input is 1 reads zero (a pipeline that takes the value from elsewhere masks it, so that its
/// operand multiplexer is an OR).
/// </summary>
public sealed class RegisterFile : Module
{
    public RegisterFile(int width = 32, int count = 32)
    {
        if (count < 2 || (count & (count - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "the register count must be a power of two of at least 2");
        Width = width;
        Count = count;
        int a = Shape.BitsFor((ulong)count);
        ReadAddress1 = In(a);
        ReadAddress2 = In(a);
        WriteAddress = In(a);
        WriteData = In(width);
        ReadData1 = Out(width);
        ReadData2 = Out(width);
        // The bypass below gives the word written in the cycle of the read, so what the RAM itself returns then does
        // not matter: no logic beside the block RAM to define it.
        bank1 = Mem(width, count);
        bank2 = Mem(width, count);
        bank1.ReadDuringWrite = ReadDuringWrite.Undefined;
        bank2.ReadDuringWrite = ReadDuringWrite.Undefined;
        bypass1 = Reg(1, reset: 0);
        bypass2 = Reg(1, reset: 0);
        zero1 = Reg(1, reset: 1);
        zero2 = Reg(1, reset: 1);
        written = Reg(width);
    }

    [Parameter]
    public int Width { get; }

    [Parameter]
    public int Count { get; }

    public readonly Signal ReadAddress1;
    public readonly Signal ReadAddress2;
    public readonly Signal ReadData1;
    public readonly Signal ReadData2;
    public readonly Signal WriteEnable = In(1);
    /// <summary>1: the read of this cycle on port 1 (2) gives zero in the next.</summary>
    public readonly Signal Mask1 = In(1);
    public readonly Signal Mask2 = In(1);
    public readonly Signal WriteAddress;
    public readonly Signal WriteData;

    // One bank per read port: each maps to one block RAM with one read and one write port.
    private readonly Memory bank1;
    private readonly Memory bank2;
    private readonly Signal bypass1;
    private readonly Signal bypass2;
    private readonly Signal zero1;
    private readonly Signal zero2;
    private readonly Signal written;

    protected override void Build()
    {
        var write = (WriteEnable & WriteAddress.Any()).Named("write");
        foreach (var bank in new[] { bank1, bank2 })
        {
            var port = bank.WritePort();
            port.Address.Set(WriteAddress);
            port.Data.Set(WriteData);
            port.Enable.Set(write);
        }

        var read1 = bank1.ReadPort();
        var read2 = bank2.ReadPort();
        read1.Address.Set(ReadAddress1);
        read2.Address.Set(ReadAddress2);

        bypass1.Set(write & WriteAddress.Eq(ReadAddress1));
        bypass2.Set(write & WriteAddress.Eq(ReadAddress2));
        zero1.Set(~ReadAddress1.Any() | Mask1);
        zero2.Set(~ReadAddress2.Any() | Mask2);
        written.Set(WriteData);

        ReadData1.Set(Mux(zero1, 0, Mux(bypass1, written, read1.Data)));
        ReadData2.Set(Mux(zero2, 0, Mux(bypass2, written, read2.Data)));
    }
}
