using HwGen.Designs.Ice40;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The execute stage's operands, from the register file's read data (zero when not the source), the forwarded
/// results and the decoded fields: every output is two LUT levels deep, the register file's value entering at
/// the second (the forwarded values are ORed in the first). A module of its own that synthesis keeps
/// (<see cref="Module.KeepHierarchy"/>), so that the mapper does not trade this depth for area in the flattened
/// design: these levels sit in front of the carry chains.
/// </summary>
/// <remarks>
/// With <see cref="Cells"/> each bit is seven iCE40 LUTs placed by hand (<see cref="Lut4"/>): the forwarded part of
/// rs1 and of rs2 (the memory's and writeback's results with their selects), the adder's immediate, each in the first
/// level; the register file's value joins them in the second, in the LUT of each output (A, the target's base, B and
/// the addend), so that rs1 and rs2 are never formed on their own. The mapper, left to itself, forms them and takes
/// nine LUTs a bit at the same depth. Without <see cref="Cells"/>, the same function in generic Verilog, which
/// simulates alike.
/// </remarks>
public sealed class OperandSelect : Module
{
    /// <summary>The operands, from LUT instances when <paramref name="cells"/> (see the remarks), else generic.</summary>
    public OperandSelect(bool cells = false) => Cells = cells;

    /// <summary>Built from <c>SB_LUT4</c> instances (iCE40 only); false: generic Verilog.</summary>
    [Parameter]
    public bool Cells { get; }

    public override bool KeepHierarchy => true;

    /// <summary>The register file's values of rs1 and rs2 (zero when another source is chosen or the register is not read).</summary>
    public readonly Signal Rs1Value = In(32);
    public readonly Signal Rs2Value = In(32);
    /// <summary>The registered results of the instructions in the memory and writeback stages.</summary>
    public readonly Signal MemoryResult = In(32);
    public readonly Signal WritebackResult = In(32);
    public readonly OperandSource Rs1Source = In(new OperandSource());
    public readonly OperandSource Rs2Source = In(new OperandSource());
    public readonly Signal Pc = In(32);
    /// <summary>The ALU's first operand is the pc rather than rs1.</summary>
    public readonly Signal PcOperand = In(1);
    /// <summary>The target adder adds to rs1 (jalr, a load or store) rather than to the pc.</summary>
    public readonly Signal TargetFromRs1 = In(1);
    public readonly Signal Immediate = In(32);
    public readonly Signal UseImmediate = In(1);
    /// <summary>The adder's immediate (<see cref="DecodeToExecute.AddendImmediate"/>) and whether rs2 is complemented.</summary>
    public readonly Signal AddendImmediate = In(2);
    public readonly Signal SubtractRs2 = In(1);

    /// <summary>The ALU's operands: A, B (for the logic operations, the shift amount and the equality), and the adder's second operand.</summary>
    public readonly Signal OperandA = Out(32);
    public readonly Signal OperandB = Out(32);
    public readonly Signal Addend = Out(32);
    /// <summary>What the target adder adds the immediate to.</summary>
    public readonly Signal TargetBase = Out(32);

    /// <summary>
    /// A source register's value: from the register file, or forwarded from the memory or writeback stage as
    /// <paramref name="source"/> says. The register file reads zero when it is not the source, so the choice is an OR.
    /// </summary>
    public static Expr Forwarded(Expr fromFile, OperandSource source, Expr memory, Expr writeback)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Mux(source.Memory, memory, 0) | Mux(source.Writeback, writeback, 0) | fromFile;
    }

    /// <summary>The first level's forwarded part of a source register: <c>I0 &amp; I1 | I2 &amp; I3</c> (memory select, memory result, writeback select, writeback result).</summary>
    public static ushort ForwardTable { get; } = Lut4.Table((memorySelect, memory, writebackSelect, writeback) => (memorySelect && memory) || (writebackSelect && writeback));

    /// <summary>A choice of the pc or the register: <c>I0 ? I1 : (I2 | I3)</c> (choose the pc, pc, forwarded part, register file's value).</summary>
    public static ushort PcOrRegisterTable { get; } = Lut4.Table((takePc, pc, forwarded, fromFile) => takePc ? pc : forwarded || fromFile);

    /// <summary>The target's base: <c>I0 ? (I2 | I3) : I1</c> (take rs1, pc, forwarded part, register file's value).</summary>
    public static ushort RegisterOrPcTable { get; } = Lut4.Table((takeRegister, pc, forwarded, fromFile) => takeRegister ? forwarded || fromFile : pc);

    /// <summary>B: <c>I0 | I1 | (I2 &amp; I3)</c> (forwarded part, register file's value, use the immediate, immediate).</summary>
    public static ushort OperandBTable { get; } = Lut4.Table((forwarded, fromFile, useImmediate, immediate) => forwarded || fromFile || (useImmediate && immediate));

    /// <summary>The addend: <c>((I0 | I1) ^ I2) | I3</c> (forwarded part, register file's value, complement, the adder's immediate).</summary>
    public static ushort AddendTable { get; } = Lut4.Table((forwarded, fromFile, complement, immediate) => ((forwarded || fromFile) ^ complement) || immediate);

    protected override void Build()
    {
        if (Cells)
        {
            BuildCells();
            return;
        }
        // rs1 and rs2 themselves are no output: every reader in execute takes them from OperandA and OperandB (see
        // ExecuteStage), and the retirement record forms its own, which goes with the record where it is left out.
        var rs1 = Forwarded(Rs1Value, Rs1Source, MemoryResult, WritebackResult).Named("rs1");
        var rs2 = Forwarded(Rs2Value, Rs2Source, MemoryResult, WritebackResult).Named("rs2");
        OperandA.Set(Mux(PcOperand, Pc, rs1));
        // An instruction whose second operand is the immediate reads no rs2 (it is zero here): an OR again. The
        // adder's immediate is zero when rs2 is read, complemented for slti and sltiu, 4 for a link: one LUT of
        // registers, in the level of the forwarding's first.
        OperandB.Set(rs2 | Mux(UseImmediate, Immediate, 0));
        var kind = AddendImmediate;
        var addendImmediate = (Mux(kind.Eq((int)AddendImmediateKind.Four), U(4, 32), 0) |
            Mux(kind.Eq((int)AddendImmediateKind.Immediate), Immediate, 0) |
            Mux(kind.Eq((int)AddendImmediateKind.Complemented), ~Immediate, 0)).Named("addendImmediate");
        Addend.Set(Mux(SubtractRs2, ~rs2, rs2) | addendImmediate);
        TargetBase.Set(Mux(TargetFromRs1, rs1, Pc));
    }

    /// <summary>The same function from LUT instances, seven a bit (see the remarks).</summary>
    private void BuildCells()
    {
        var kind = AddendImmediate;
        int width = OperandA.Width;
        var a = new Expr[width];
        var b = new Expr[width];
        var addend = new Expr[width];
        var targetBase = new Expr[width];
        Expr Lut(ushort table, string name, Expr i0, Expr i1, Expr i2, Expr i3)
        {
            var lut = Instance(new Lut4(table), name);
            lut.I0.Set(i0);
            lut.I1.Set(i1);
            lut.I2.Set(i2);
            lut.I3.Set(i3);
            return lut.O;
        }
        for (int i = 0; i < width; i++)
        {
            var forwarded1 = Lut(ForwardTable, $"forward1_{i}", Rs1Source.Memory, MemoryResult[i], Rs1Source.Writeback, WritebackResult[i]);
            var forwarded2 = Lut(ForwardTable, $"forward2_{i}", Rs2Source.Memory, MemoryResult[i], Rs2Source.Writeback, WritebackResult[i]);
            // The adder's immediate: the immediate, its complement, or at bit 2 the 4 of a link; 0 when rs2 is read.
            int bit = i;
            var immediate = Lut(Lut4.Table((kind0, kind1, value, _) =>
                    ((kind1 ? 2 : 0) | (kind0 ? 1 : 0)) switch
                    {
                        (int)AddendImmediateKind.Immediate => value,
                        (int)AddendImmediateKind.Complemented => !value,
                        (int)AddendImmediateKind.Four => bit == 2,
                        _ => false,
                    }),
                $"addendImmediate{i}", kind[0], kind[1], Immediate[i], U(0, 1));
            a[width - 1 - i] = Lut(PcOrRegisterTable, $"operandA{i}", PcOperand, Pc[i], forwarded1, Rs1Value[i]);
            targetBase[width - 1 - i] = Lut(RegisterOrPcTable, $"targetBase{i}", TargetFromRs1, Pc[i], forwarded1, Rs1Value[i]);
            b[width - 1 - i] = Lut(OperandBTable, $"operandB{i}", forwarded2, Rs2Value[i], UseImmediate, Immediate[i]);
            addend[width - 1 - i] = Lut(AddendTable, $"addend{i}", forwarded2, Rs2Value[i], SubtractRs2, immediate);
        }
        OperandA.Set(Cat(a));
        OperandB.Set(Cat(b));
        Addend.Set(Cat(addend));
        TargetBase.Set(Cat(targetBase));
    }
}

/// <summary>
/// The execute stage's result: the adder's sum when selected, ORed with the AND-OR of the other sources. One LUT
/// level after the carry chain; a module that synthesis keeps (<see cref="Module.KeepHierarchy"/>), so that the
/// sum is not merged into the deeper logic of the other sources.
/// </summary>
public sealed class ResultSelect : Module
{
    public override bool KeepHierarchy => true;

    public readonly Signal Sum = In(32);
    public readonly Signal SumSelect = In(1);
    /// <summary>The other sources, already selected (zero when the sum is the result).</summary>
    public readonly Signal Others = In(32);
    public readonly Signal Result = Out(32);

    protected override void Build() => Result.Set(Mux(SumSelect, Sum, 0) | Others);
}

/// <summary>
/// The execute stage's result sources other than the adder's sum, each with its select (decoded from registered
/// fields; the multiplier's result is 0 when not selected): one AND-OR, two LUT levels, in a module that synthesis keeps (<see cref="Module.KeepHierarchy"/>). Its
/// output is <see cref="ResultSelect.Others"/>.
/// </summary>
public sealed class OthersSelect : Module
{
    public override bool KeepHierarchy => true;

    /// <summary>
    /// The ALU's logic operation (<see cref="Common.Alu.Logic"/>, unmasked: its select is this module's, one LUT of
    /// registered fields for all bits), the shift's first rotation, and the units' results.
    /// </summary>
    public readonly Signal Logic = In(32);
    public readonly Signal LogicSelect = In(1);
    public readonly Signal Rotated = In(32);
    public readonly Signal RotatedSelect = In(1);
    /// <summary>
    /// The multiplier's result, 0 but in the cycle it is done (<see cref="Riscv.Multiplier.Result"/>): ORed in without a
    /// select, so that each bit's second LUT takes it beside the first's output and the divider's two inputs.
    /// </summary>
    public readonly Signal Multiplier = In(32);
    public readonly Signal Divider = In(32);
    public readonly Signal DividerSelect = In(1);
    public readonly Signal Result = Out(32);

    protected override void Build() => Result.Set(Mux(LogicSelect, Logic, 0) | Mux(RotatedSelect, Rotated, 0)
        | Multiplier | Mux(DividerSelect, Divider, 0));
}
