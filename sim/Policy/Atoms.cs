namespace HwGen.Sim.Policy;

/// <summary>
/// The flag atoms of a metadata set: one bit of <see cref="MetaSet.Flags"/> each, the enum's value being the bit
/// number. The policy library fixes this table (not a composite), so a tag means the same set whatever policies run;
/// a new policy takes a free bit here.
/// </summary>
public enum Flag
{
    /// <summary>A word of code (every word of an executable section). nxd-nwc.</summary>
    Code = 0,

    /// <summary>The first word of a function (a FUNC symbol's address). cfi.</summary>
    Entry = 1,

    /// <summary>A value that came from input (a device). taint.</summary>
    Taint = 2,

    /// <summary>A value written by a call's link. ret.</summary>
    ReturnAddr = 3,

    /// <summary>A word of code of the allocator, which may ask the PEX to colour memory. heap.</summary>
    Allocator = 4,

    /// <summary>In the PC tag: the last instruction was an indirect call. cfi.</summary>
    IndirectCall = 5,

    /// <summary>In the PC tag: the last instruction was an indirect jump. cfi.</summary>
    IndirectJump = 6,
}

/// <summary>
/// The slots of a metadata set: each numbered atom family holds at most one 16-bit number per set (0 = none). The
/// enum's value is the slot's index in <see cref="MetaSet"/> and in a set-table entry.
/// </summary>
public enum Slot
{
    /// <summary>A value's pointer colour. heap.</summary>
    Colour = 0,

    /// <summary>A location's colour (<see cref="Heap.Freed"/> once released). heap.</summary>
    Region = 1,

    /// <summary>The 1-based index of the function a code word belongs to; in the PC tag after an indirect jump. cfi.</summary>
    Function = 2,

    /// <summary>Not used by the library's policies.</summary>
    Spare = 3,
}
