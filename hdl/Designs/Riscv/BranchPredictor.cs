using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

// The branch predictors of the fetch stage (CoreConfig.BranchPredictor). Both look at the instruction whose
// word arrives this cycle (the one in decode, at FetchStage's pc) and say whether fetch should go to Target
// next instead of to pc + 4. A prediction is never trusted: the execute stage compares the pc fetched after
// each instruction with the real next pc, and the memory stage redirects fetch when they differ.

/// <summary>
/// <see cref="BranchPredictorKind.StaticBackwardTaken"/>: predicts from the fetched word alone. A <c>jal</c> and
/// a conditional branch with a negative offset (the end of a loop) are taken, to pc + offset; a <c>jalr</c>
/// and a forward branch are not.
/// </summary>
public sealed class StaticBranchPredictor : Module
{
    /// <summary>The address of the instruction in decode.</summary>
    public readonly Signal Pc = In(32);
    /// <summary>Its word (the instruction memory's read data).</summary>
    public readonly Signal Instruction = In(32);

    public readonly Signal Taken = Out(1);
    public readonly Signal Target = Out(32);

    protected override void Build()
    {
        var i = Instruction;
        var opcode = i[6, 0];
        var branch = opcode.Eq(0b110_0011).Named("branch");
        var jal = opcode.Eq(0b110_1111).Named("jal");
        var branchOffset = Cat(i[31].Replicate(20), i[7], i[30, 25], i[11, 8], U(0, 1)).Named("branchOffset");
        var jumpOffset = Cat(i[31].Replicate(12), i[19, 12], i[20], i[30, 21], U(0, 1)).Named("jumpOffset");
        Taken.Set(jal | (branch & i[31]));
        Target.Set(Pc + Mux(jal, jumpOffset, branchOffset));
    }
}

/// <summary>
/// <see cref="BranchPredictorKind.Btb"/>: a direct-mapped branch target buffer with a 2-bit saturating counter
/// per entry. It is a block RAM read with the address the instruction memory is read with (<see cref="FetchPc"/>),
/// so its entry arrives one cycle later together with the instruction word, and a predicted taken branch or
/// jump is followed by its target with no bubble.
/// </summary>
/// <remarks>
/// An entry is <c>{valid, tag, target, counter}</c>, indexed by pc bits <c>[log2(entries) + 1 : 2]</c> and tagged
/// with the bits above, so a hit is an exact pc match. When the code lives in one region whose size is a power
/// of two and whose base is aligned to it (the RAM), the tag and the target keep only the bits that vary inside
/// it: a pc outside the region can then hit an entry, and a target is always inside it, but such a prediction is
/// wrong only where fetch faults anyway, and the execute stage catches it like any other.
/// <para>The memory stage's <see cref="BranchResolution"/> updates the entry of the instruction that commits
/// there:</para>
/// <list type="bullet">
/// <item>a taken branch or jump (<c>jal</c>, <c>jalr</c>) writes its target; the counter goes up, or starts at 2
/// (weakly taken) when the instruction had no entry;</item>
/// <item>a branch not taken with an entry counts down (a branch without an entry is not allocated);</item>
/// <item>an instruction that is no branch or jump but hits (the code was rewritten) invalidates its entry.</item>
/// </list>
/// The counter written is the one read when the instruction was fetched, carried down the pipeline
/// (<see cref="BranchPrediction"/>), so the update needs no second read port. The contents start invalid (the
/// memory's initial value) and are not cleared by a reset: a stale entry only costs a misprediction.
/// </remarks>
public sealed class BranchTargetBuffer : Module
{
    /// <param name="entries">The number of entries, a power of two, at least 2.</param>
    /// <param name="codeBase">The first address of the range all code is fetched from; see the remarks.</param>
    /// <param name="codeSize">The size of that range; 0: anywhere.</param>
    public BranchTargetBuffer(int entries, uint codeBase = 0, ulong codeSize = 0)
    {
        if (entries < 2 || (entries & (entries - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(entries), entries, "the branch target buffer needs a power of two of entries, at least 2");
        Entries = entries;
        IndexBits = Shape.BitsFor((ulong)entries);
        int codeBits = CoreConfig.CodeBitsOf(codeBase, codeSize);
        AddressBits = codeBits == 32 ? 32 : Math.Max(codeBits, IndexBits + 3);
        this.codeBase = AddressBits == 32 ? 0 : codeBase & ~(uint)((1UL << AddressBits) - 1);
        TagBits = AddressBits - IndexBits - 2;
        table = Mem(EntryBits, entries, init: new ulong[entries]);
        // An entry read in the cycle it is written may be the old one or garbage: a prediction only, checked in
        // execute like any other. No bypass logic between the commit decision, which enables the write, and the
        // read of the next address's entry.
        table.ReadDuringWrite = ReadDuringWrite.Undefined;
    }

    [Parameter]
    public int Entries { get; }

    /// <summary>The pc bits that select an entry (above the two bits of the byte offset).</summary>
    public int IndexBits { get; }

    /// <summary>The low pc bits that the tag and the target keep: 32, or those that vary inside the code region.</summary>
    [Parameter]
    public int AddressBits { get; }

    /// <summary>The pc bits between the index and <see cref="AddressBits"/>.</summary>
    public int TagBits { get; }

    /// <summary>The width of an entry: valid, tag, target word address, counter.</summary>
    public int EntryBits => 1 + TagBits + (AddressBits - 2) + 2;

    /// <summary>The address requested from the instruction memory this cycle; its entry is read for the next.</summary>
    public readonly Signal FetchPc = In(32);
    /// <summary>The address requested in the previous cycle: the instruction in decode, whose entry is out now.</summary>
    public readonly Signal Pc = In(32);
    /// <summary>The outcome of the instruction committing in the memory stage.</summary>
    public readonly BranchResolution Update = In(new BranchResolution());

    /// <summary>Fetch <see cref="Target"/> next rather than pc + 4.</summary>
    public readonly Signal Taken = Out(1);
    public readonly Signal Target = Out(32);
    /// <summary>The entry's state for the instruction in decode, to be handed back in <see cref="Update"/>.</summary>
    public readonly Signal Hit = Out(1);
    public readonly Signal Counter = Out(2);

    private readonly uint codeBase;
    private readonly Memory table;

    protected override void Build()
    {
        var read = table.ReadPort();
        read.Address.Set(FetchPc[IndexBits + 1, 2]);
        var entry = read.Data;
        var valid = entry[EntryBits - 1];
        var tag = entry[EntryBits - 2, AddressBits];
        var target = entry[AddressBits - 1, 2];
        var counter = entry[1, 0];

        var hit = (valid & tag.Eq(Pc[AddressBits - 1, IndexBits + 2])).Named("hit");
        Hit.Set(hit);
        Counter.Set(Mux(hit, counter, 0));
        Taken.Set(hit & counter[1]);
        Target.Set(AddressBits == 32
            ? Cat(target, U(0, 2))
            : Cat(U(codeBase >> AddressBits, 32 - AddressBits), target, U(0, 2)));

        var u = Update;
        var old = u.Counter;
        var counterNext = Wire(2).Named("counterNext");
        When(~u.Hit, () => counterNext.Set(0b10))
            .ElseWhen(u.Taken, () => counterNext.Set(Mux(old.All(), old, old + 1)))
            .Otherwise(() => counterNext.Set(Mux(old.Any(), old - 1, old)));
        var write = table.WritePort();
        write.Enable.Set(u.Valid & (u.Taken | u.Hit));
        write.Address.Set(u.Pc[IndexBits + 1, 2]);
        write.Data.Set(Cat(u.Transfer, u.Pc[AddressBits - 1, IndexBits + 2], u.Target[AddressBits - 1, 2], counterNext));
    }
}
