using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// MEM: issues a load or store on the data bus. The bus carries the word address and one enable bit per
/// byte lane; store data is placed in its lanes here. A load's word arrives one cycle later, in writeback.
/// </summary>
public sealed class MemoryStage : Module
{
    public readonly ExecuteToMemory FromExecute = In(new ExecuteToMemory());

    public readonly Signal DataReq = Out(1);
    public readonly Signal DataWe = Out(1);
    /// <summary>The address of the word, bits 1..0 zero.</summary>
    public readonly Signal DataAddr = Out(32);
    /// <summary>One bit per byte lane of the word: the bytes written by a store, read by a load.</summary>
    public readonly Signal DataBe = Out(4);
    public readonly Signal DataWdata = Out(32);

    public readonly MemoryToWriteback ToWriteback = Out(new MemoryToWriteback());
    /// <summary>The value this stage's instruction will write, for forwarding (never a load's, which is not read yet).</summary>
    public readonly RegisterWrite Forward = Out(new RegisterWrite());

    private readonly MemoryToWriteback writeback = Reg(new MemoryToWriteback());

    protected override void Build()
    {
        var m = FromExecute;
        var address = m.Result;
        var offset = address[1, 0];
        var lanes = Wire(4).Named("lanes");
        var data = Wire(32).Named("data");
        Switch(m.Funct3[1, 0])
            .Case(0b00, () =>
            {
                lanes.Set(U(1, 4).Shl(offset));
                data.Set(m.StoreData[7, 0].Replicate(4));
            })
            .Case(0b01, () =>
            {
                lanes.Set(Mux(offset[1], U(0b1100, 4), U(0b0011, 4)));
                data.Set(m.StoreData[15, 0].Replicate(2));
            })
            .Default(() =>
            {
                lanes.Set(0b1111);
                data.Set(m.StoreData);
            });

        DataReq.Set(m.Valid & (m.Load | m.Store));
        DataWe.Set(m.Valid & m.Store);
        DataAddr.Set(Cat(address[31, 2], U(0, 2)));
        DataBe.Set(lanes);
        DataWdata.Set(data);

        Forward.Enable.Set(m.Valid & m.WritesRd & ~m.Load);
        Forward.Address.Set(m.Rd);
        Forward.Data.Set(m.Result);

        writeback.Valid.Set(m.Valid);
        writeback.Rd.Set(m.Rd);
        writeback.WritesRd.Set(m.WritesRd);
        writeback.Result.Set(m.Result);
        writeback.Load.Set(m.Load);
        writeback.Funct3.Set(m.Funct3);
        var laneBits = Cat(lanes[3].Replicate(8), lanes[2].Replicate(8), lanes[1].Replicate(8), lanes[0].Replicate(8));
        writeback.ReadMask.Set(Mux(m.Load, lanes, 0));
        writeback.WriteMask.Set(Mux(m.Store, lanes, 0));
        writeback.WriteData.Set(Mux(m.Store, data & laneBits, 0));
        writeback.Retire.Set(m.Retire);
        ToWriteback.Set(writeback);
    }
}
