using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Tags;

/// <summary>
/// The opgroup table of the tag unit, with the care masks. The table maps an instruction's index
/// (<see cref="Opgroups.IndexOf"/>, formed from the word by <see cref="IndexOf(Expr)"/>) to its <see cref="Opgroup"/>
/// and the care mask of that opgroup, which says which <see cref="TagField"/>s its rules read (bit n = field n): 1024
/// entries of 4 + 5 bits in block RAM, starting as <see cref="Opgroups.DefaultTable"/> with every field cared for (their
/// initial contents, not touched by reset) so a core works before the PEX programs it. The care mask lives in every
/// entry rather than once per opgroup, so that it is read with the opgroup, from the same RAM word, with no register
/// per opgroup and no multiplexer after the read: the PEX writes each entry whole, its opgroup's mask with it.
/// </summary>
/// <remarks>
/// The table is read synchronously: the entry of <see cref="ReadIndex"/> in a cycle <see cref="ReadEnable"/> is 1 is
/// out in <see cref="Opgroup"/> and <see cref="Care"/> in the next, and holds while <see cref="ReadEnable"/> is 0. A
/// read of the entry written in the same cycle gives an undefined entry: no logic beside the block RAM keeps the old
/// one. The PEX writes the table while the core is held in reset or waits at the commit point (on a miss, or on a PEX
/// call's response), and what decode reads then belongs to an instruction that is dropped and fetched again after the
/// waiting one, so that it reads the entry anew.
/// </remarks>
public sealed class OpgroupTable : Module
{
    /// <summary>All fields cared for: the care masks' initial value.</summary>
    public const int AllFields = (1 << TagConfig.InputTags) - 1;

    /// <summary>Bits of an entry: the opgroup in the low <see cref="TagConfig.OpgroupBits"/>, the care mask above.</summary>
    public const int EntryBits = TagConfig.OpgroupBits + TagConfig.InputTags;

    public OpgroupTable()
    {
        table = Mem(EntryBits, Opgroups.TableSize, init: [.. Opgroups.DefaultTable.Select(g => (ulong)AllFields << TagConfig.OpgroupBits | g)]);
        // A read in the cycle of a write is never used (see the remarks): no register and multiplexer beside the RAM.
        table.ReadDuringWrite = ReadDuringWrite.Undefined;
    }

    /// <summary>Read entry <see cref="ReadIndex"/> in this cycle.</summary>
    public readonly Signal ReadEnable = In(1);
    /// <summary>The instruction's index (<see cref="IndexOf(Expr)"/>).</summary>
    public readonly Signal ReadIndex = In(Opgroups.IndexBits);
    /// <summary>The entry read: the instruction's opgroup.</summary>
    public readonly Signal Opgroup = Out(TagConfig.OpgroupBits);
    /// <summary>The entry read: the care mask of <see cref="Opgroup"/> (bit n = <see cref="TagField"/> n).</summary>
    public readonly Signal Care = Out(TagConfig.InputTags);

    /// <summary>Set entry <see cref="OpgroupIndex"/> to <see cref="OpgroupValue"/> and <see cref="OpgroupCare"/> (PexPort).</summary>
    public readonly Signal OpgroupWrite = In(1);
    public readonly Signal OpgroupIndex = In(Opgroups.IndexBits);
    public readonly Signal OpgroupValue = In(TagConfig.OpgroupBits);
    public readonly Signal OpgroupCare = In(TagConfig.InputTags);

    private readonly Memory table;

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
        Opgroup.Set(read.Data[TagConfig.OpgroupBits - 1, 0]);
        Care.Set(read.Data[EntryBits - 1, TagConfig.OpgroupBits]);

        var write = table.WritePort();
        write.Address.Set(OpgroupIndex);
        write.Data.Set(Cat(OpgroupCare, OpgroupValue));
        write.Enable.Set(OpgroupWrite);
    }
}
