using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Tags;

/// <summary>
/// The opgroup table and the care masks of the tag unit. The table maps an instruction's index
/// (<see cref="Opgroups.IndexOf"/>, formed from the word by <see cref="IndexOf(Expr)"/>) to its <see cref="Opgroup"/>:
/// 1024 x 4 bits in block RAM, starting as <see cref="Opgroups.DefaultTable"/> (its initial contents, not touched by
/// reset) so a core works before the PEX programs it. The care masks say per opgroup which <see cref="TagField"/>s
/// its rules read (bit n = field n): a register of 5 bits for each of the <see cref="Opgroups.Count"/> opgroups
/// defined, reset to all ones; an opgroup beyond them (the table holds 4 bits) cares for every field.
/// </summary>
/// <remarks>
/// The table is read synchronously: the entry of <see cref="ReadIndex"/> in a cycle <see cref="ReadEnable"/> is 1 is
/// out in <see cref="Opgroup"/> in the next, and holds while <see cref="ReadEnable"/> is 0. A read of the entry
/// written in the same cycle gives an undefined entry: no logic beside the block RAM keeps the old one. The PEX writes
/// the table while the core is held in reset or waits at the commit point (on a miss, or on a PEX call's response),
/// and what decode reads then belongs to an instruction that is dropped and fetched again after the waiting one, so
/// that it reads the entry anew. The care mask of <see cref="CareSelect"/> is out in <see cref="Care"/> in the same
/// cycle; a care mask written in a cycle is seen from the next.
/// </remarks>
public sealed class OpgroupTable : Module
{
    /// <summary>All fields cared for: the care masks' reset value.</summary>
    public const int AllFields = (1 << TagConfig.InputTags) - 1;

    public OpgroupTable()
    {
        table = Mem(TagConfig.OpgroupBits, Opgroups.TableSize, init: [.. Opgroups.DefaultTable.Select(g => (ulong)g)]);
        // A read in the cycle of a write is never used (see the remarks): no register and multiplexer beside the RAM.
        table.ReadDuringWrite = ReadDuringWrite.Undefined;
        careMasks = [.. Enumerable.Range(0, Opgroups.Count).Select(_ => Reg(TagConfig.InputTags, reset: AllFields))];
    }

    // ---- the table ----------------------------------------------------------------------------------

    /// <summary>Read entry <see cref="ReadIndex"/> in this cycle.</summary>
    public readonly Signal ReadEnable = In(1);
    /// <summary>The instruction's index (<see cref="IndexOf(Expr)"/>).</summary>
    public readonly Signal ReadIndex = In(Opgroups.IndexBits);
    /// <summary>The entry read: the instruction's opgroup.</summary>
    public readonly Signal Opgroup = Out(TagConfig.OpgroupBits);

    /// <summary>Set entry <see cref="OpgroupIndex"/> to <see cref="OpgroupValue"/> (PexPort).</summary>
    public readonly Signal OpgroupWrite = In(1);
    public readonly Signal OpgroupIndex = In(Opgroups.IndexBits);
    public readonly Signal OpgroupValue = In(TagConfig.OpgroupBits);

    // ---- the care masks -----------------------------------------------------------------------------

    /// <summary>Set the care mask of <see cref="CareOpgroup"/> to <see cref="CareMask"/> (PexPort); ignored for an opgroup not defined.</summary>
    public readonly Signal CareWrite = In(1);
    public readonly Signal CareOpgroup = In(TagConfig.OpgroupBits);
    public readonly Signal CareMask = In(TagConfig.InputTags);
    /// <summary>The opgroup whose care mask <see cref="Care"/> gives.</summary>
    public readonly Signal CareSelect = In(TagConfig.OpgroupBits);
    /// <summary>The care mask of <see cref="CareSelect"/> (combinational).</summary>
    public readonly Signal Care = Out(TagConfig.InputTags);

    private readonly Memory table;
    private readonly Signal[] careMasks;

    /// <summary>
    /// The opgroup table's index of instruction word <paramref name="insn"/> (32 bits), as <see cref="Opgroups.IndexOf"/>
    /// gives it: <c>{rd == 0, variant, opcode[6:2], funct3}</c>, the variant being funct7 bit 0 for the OP opcode and
    /// "rs1 is x1 or x5" for the others.
    /// </summary>
    public static Expr IndexOf(Expr insn)
    {
        ArgumentNullException.ThrowIfNull(insn);
        if (insn.Width != 32)
            throw new HdlException($"an instruction word is 32 bits, not {insn.Width}");
        var rdZero = ~insn[11, 7].Any();
        var rs1 = insn[19, 15];
        var linkRs1 = rs1.Eq(1) | rs1.Eq(5);
        var opcode = insn[6, 2];
        var variant = Mux(opcode.Eq(0b01100), insn[25], linkRs1);
        return Cat(rdZero, variant, opcode, insn[14, 12]);
    }

    protected override void Build()
    {
        var read = table.ReadPort();
        read.Address.Set(ReadIndex);
        read.Enable.Set(ReadEnable);
        Opgroup.Set(read.Data);

        var write = table.WritePort();
        write.Address.Set(OpgroupIndex);
        write.Data.Set(OpgroupValue);
        write.Enable.Set(OpgroupWrite);

        // An opgroup beyond those defined cares for every field.
        var everyField = Wire(TagConfig.InputTags, @default: AllFields).Named("everyField");
        var masks = Vector(1 << TagConfig.OpgroupBits, i => i < careMasks.Length ? careMasks[i] : everyField);
        for (int g = 0; g < careMasks.Length; g++)
        {
            var mask = careMasks[g];
            When(CareWrite & CareOpgroup.Eq(g), () => mask.Set(CareMask));
        }
        Care.Set(masks.At(CareSelect));
    }
}
