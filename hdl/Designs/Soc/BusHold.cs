using HwGen.Designs.Riscv;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// Sits between a master and the interconnect on a <see cref="SystemBus"/> and, while <see cref="Hold"/> is 1, passes
/// no request on (the master's <see cref="SystemBus.Ready"/> is 0, so it keeps presenting it). Responses always pass.
/// On a core's instruction bus from reset, it keeps the core at its reset pc with nothing fetched until released.
/// </summary>
public sealed class BusHold : Module
{
    /// <summary>From the master.</summary>
    public readonly SystemBus Master = In(new SystemBus());

    /// <summary>To the interconnect.</summary>
    public readonly SystemBus Slave = Out(new SystemBus());

    /// <summary>1: no request is passed on.</summary>
    public readonly Signal Hold = In(1);

    protected override void Build()
    {
        Slave.Valid.Set(Master.Valid & ~Hold);
        Slave.Address.Set(Master.Address);
        Slave.Write.Set(Master.Write);
        Slave.ByteEnable.Set(Master.ByteEnable);
        Slave.WriteData.Set(Master.WriteData);
        Master.Ready.Set(Slave.Ready & ~Hold);
        Master.ResponseValid.Set(Slave.ResponseValid);
        Master.ReadData.Set(Slave.ReadData);
        Master.Error.Set(Slave.Error);
    }
}
