using HwGen.Designs.Riscv;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// Two <see cref="ControlStatusRegisters"/> from the same inputs: one built with <see cref="CoreConfig.Ice40Cells"/>
/// (counters in DSP blocks, mscratch, mtval and mtvec's copy in block RAM) and the generic one, which the lockstep
/// co-simulation checks against the golden model, for benches that compare them cycle by cycle. The unit's timer
/// inputs and mret are 0; a trap's pc is <see cref="Operand"/>.
/// </summary>
internal sealed class CsrUnitPair : Module
{
    public CsrUnitPair(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        cells = new ControlStatusRegisters(config with { Ice40Cells = true });
        generic = new ControlStatusRegisters(config with { Ice40Cells = false });
        Select = In(ControlStatusRegisters.ReadSources.Count);
        NextSelect = In(ControlStatusRegisters.ReadSources.Count);
        TrapCause = In(ControlStatusRegisters.CauseBits(tagged: config.Tags is not null));
    }

    public readonly Signal Access = In(1);
    public readonly Signal Address = In(12);
    public readonly Signal Select;
    /// <summary>The select of the instruction coming next (the cell unit's block RAM reads a cycle ahead).</summary>
    public readonly Signal NextSelect;
    public readonly Signal Stays = In(1);
    public readonly Signal Op = In(2);
    public readonly Signal Operand = In(32);
    public readonly Signal Write = In(1);
    public readonly Signal Trap = In(1);
    public readonly Signal TrapCause;
    public readonly Signal TrapValue = In(32);
    public readonly Signal Interrupt = In(1);
    public readonly Signal Retired = In(1);
    public readonly Signal CellsRead = Out(32);
    public readonly Signal GenericRead = Out(32);
    public readonly Signal CellsVector = Out(32);
    public readonly Signal GenericVector = Out(32);
    public readonly Signal CellsLoading = Out(1);
    public readonly Signal GenericLoading = Out(1);
    private readonly ControlStatusRegisters cells;
    private readonly ControlStatusRegisters generic;

    protected override void Build()
    {
        foreach (var unit in new[] { cells, generic })
        {
            unit.Access.Set(Access);
            unit.Address.Set(Address);
            unit.Select.Set(Select);
            unit.NextSelect?.Set(NextSelect);
            unit.Stays?.Set(Stays);
            unit.Op.Set(Op);
            unit.Operand.Set(Operand);
            unit.Write.Set(Write);
            unit.Trap.Set(Trap);
            unit.TrapCause.Set(TrapCause);
            unit.TrapPc.Set(Operand);
            unit.TrapValue.Set(TrapValue);
            unit.Return.Set(0);
            unit.Interrupt.Set(Interrupt);
            unit.Retired.Set(Retired);
            unit.TimerPending.Set(0);
            unit.Mtime.Set(0);
        }
        CellsRead.Set(cells.ReadData);
        GenericRead.Set(generic.ReadData);
        CellsVector.Set(cells.TrapVector);
        GenericVector.Set(generic.TrapVector);
        CellsLoading.Set(cells.CounterLoading);
        GenericLoading.Set(generic.CounterLoading);
    }
}
