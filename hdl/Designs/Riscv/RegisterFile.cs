using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The 32 integer registers in block RAM: two synchronous read ports (the value appears one cycle after
/// the address), one write port, x0 reads as zero and is never written. A read of the register written in
/// the same cycle returns the value being written.
/// </summary>
public sealed class RegisterFile : Module
{
    public readonly Signal ReadAddress1 = In(5);
    public readonly Signal ReadAddress2 = In(5);
    public readonly Signal ReadData1 = Out(32);
    public readonly Signal ReadData2 = Out(32);
    public readonly RegisterWrite Write = In(new RegisterWrite());

    // One bank per read port: each maps to one block RAM with one read and one write port.
    private readonly Memory bank1 = Mem(32, 32);
    private readonly Memory bank2 = Mem(32, 32);
    private readonly Signal bypass1 = Reg(1, reset: 0);
    private readonly Signal bypass2 = Reg(1, reset: 0);
    private readonly Signal zero1 = Reg(1, reset: 1);
    private readonly Signal zero2 = Reg(1, reset: 1);
    private readonly Signal written = Reg(32);

    protected override void Build()
    {
        var write = (Write.Enable & Write.Address.Any()).Named("write");
        foreach (var bank in new[] { bank1, bank2 })
        {
            var port = bank.WritePort();
            port.Address.Set(Write.Address);
            port.Data.Set(Write.Data);
            port.Enable.Set(write);
        }

        var read1 = bank1.ReadPort();
        var read2 = bank2.ReadPort();
        read1.Address.Set(ReadAddress1);
        read2.Address.Set(ReadAddress2);

        bypass1.Set(write & Write.Address.Eq(ReadAddress1));
        bypass2.Set(write & Write.Address.Eq(ReadAddress2));
        zero1.Set(~ReadAddress1.Any());
        zero2.Set(~ReadAddress2.Any());
        written.Set(Write.Data);

        ReadData1.Set(Mux(zero1, 0, Mux(bypass1, written, read1.Data)));
        ReadData2.Set(Mux(zero2, 0, Mux(bypass2, written, read2.Data)));
    }
}
