using HwGen.Designs.Tags;

namespace HwGen.Sim.Policy;

/// <summary>
/// <c>heap</c>: heap memory safety by colours. The allocator (code with <see cref="Flag.Allocator"/>) asks the PEX to
/// colour a block: its words get <see cref="Slot.Region"/> n and the returned pointer <see cref="Slot.Colour"/> n;
/// a load or store through a pointer whose colour is not the word's region is denied (overflow into another block,
/// use after release).
/// </summary>
public sealed class Heap : TagPolicy
{
    /// <summary>The region of released memory: no pointer has this colour.</summary>
    public const ushort Freed = 0xFFFF;

    /// <summary>The allocator's functions by name (the unikernel's): these, and every function whose name starts with <c>heap_</c>.</summary>
    public static IReadOnlyList<string> AllocatorFunctions { get; } = ["malloc", "free", "calloc", "realloc"];

    public override string Name => "heap";

    public override string Description => "a load or store through a pointer whose colour is not the memory's (overflow, use after free)";

    /// <summary>True for the allocator's functions.</summary>
    public static bool IsAllocator(string? function) =>
        function is not null && (AllocatorFunctions.Contains(function) || function.StartsWith("heap_", StringComparison.Ordinal));

    protected internal override MetaSet CodeAtoms(in CodeWord word) =>
        IsAllocator(word.FunctionName) ? MetaSet.Of(Flag.Allocator) : MetaSet.Empty;

    protected override void Define()
    {
        For(Opgroup.Alu).Result.Set(Slot.Colour, Rs1.Slot(Slot.Colour).OrElse(Rs2.Slot(Slot.Colour)));

        For(Opgroup.Load, Opgroup.Store).Deny("pointer colour does not match")
            .When(Mem.Slot(Slot.Region) != 0 & Rs1.Slot(Slot.Colour) != Mem.Slot(Slot.Region));
        For(Opgroup.Load).Result.Set(Slot.Colour, Mem.Slot(Slot.Colour));
        For(Opgroup.Store).Result.Set(Slot.Region, Mem.Slot(Slot.Region));
        For(Opgroup.Store).Result.Set(Slot.Colour, Rs2.Slot(Slot.Colour));

        OnCall(PexCallOp.Colour, "COLOUR", Colour);
        OnCall(PexCallOp.Release, "RELEASE", Release);
    }

    /// <summary>COLOUR(base, size): the next colour n (1, 2, ...); the block's words get {Region n}; the result is base with {Colour n}.</summary>
    private static CallResult Colour(CallRequest call, ICallContext context)
    {
        if (!call.Caller.Has(Flag.Allocator))
            return CallResult.Refused;
        int colour = context.Next("heap.colour");
        if (colour >= Freed)
            return CallResult.Refused;
        context.SetWords(call.Arg0, call.Arg1, MetaSet.Empty.With(Slot.Region, (ushort)colour));
        return new CallResult(call.Arg0, MetaSet.Empty.With(Slot.Colour, (ushort)colour));
    }

    /// <summary>RELEASE(base, size): the block's words get {Region <see cref="Freed"/>}; result 0.</summary>
    private static CallResult Release(CallRequest call, ICallContext context)
    {
        if (!call.Caller.Has(Flag.Allocator))
            return CallResult.Refused;
        context.SetWords(call.Arg0, call.Arg1, MetaSet.Empty.With(Slot.Region, Freed));
        return new CallResult(0, MetaSet.Empty);
    }
}
