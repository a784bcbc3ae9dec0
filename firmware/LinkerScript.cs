using HwGen.Designs.Soc;

namespace HwGen.Firmware;

/// <summary>
/// The GNU ld script for programs that run on the application processor, generated from the
/// memory map through <c>firmware/Templates/linker.ld.sbn</c>.
/// </summary>
/// <remarks>
/// Layout: <c>.text.init</c> (the reset entry <c>_start</c>) at the RAM base, then <c>.text</c>,
/// <c>.rodata</c>, <c>.data</c>, <c>.sdata</c> (with <c>__global_pointer$</c>), the thread-local block
/// <c>.tdata</c> (at <c>__tls_base</c>) and <c>.tbss</c>, <c>.sbss</c>/<c>.bss</c> (<c>.tbss</c> to <c>.bss</c>
/// between <c>__bss_start</c> and <c>__bss_end</c>), the <c>.tohost</c> section holding the 8-byte words
/// <c>tohost</c> and <c>fromhost</c> <see cref="FromhostOffset"/> bytes apart, then <c>_end</c> (the heap
/// start, also <c>__heap_start</c>) and the NOLOAD section <c>.stack_reserve</c> of <see cref="MinimumStackBytes"/>
/// bytes. <c>__stack_top</c> is the end of RAM and <c>__heap_end</c> that many bytes below it; the link fails
/// when the reserve does not fit, the linker naming <c>.stack_reserve</c> (or an earlier section) as the one
/// that overflows RAM.
/// </remarks>
public static class LinkerScript
{
    /// <summary>The name under which the firmware builder writes the script beside the ELF it builds.</summary>
    public const string FileName = "hwgen.ld";

    /// <summary>Bytes of RAM that must stay free for the stack, checked by the script at link time.</summary>
    public const uint MinimumStackBytes = 4096;

    /// <summary>Distance between <c>tohost</c> and <c>fromhost</c>, and the alignment of both.</summary>
    public const uint FromhostOffset = 64;

    public static string Render(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var ram = map.Ram;
        if (ram.Size < MinimumStackBytes * 2)
            throw new ArgumentException(
                $"memory map: RAM of {ram.Size} bytes at {Hex.Word(ram.Base)} is too small for a program and a {MinimumStackBytes}-byte stack",
                nameof(map));
        if (map.ProgramBase != ram.Base)
            throw new ArgumentException(
                $"memory map: the program base {Hex.Word(map.ProgramBase)} is not the RAM base {Hex.Word(ram.Base)}, where the linker script places .text.init",
                nameof(map));
        if ((ulong)ram.Base + ram.Size > 1UL << 32)
            throw new ArgumentException(
                $"memory map: RAM at {Hex.Word(ram.Base)} with {ram.Size} bytes runs past the end of the 32-bit address space",
                nameof(map));

        var model = new LinkerScriptModel(
            FileName: FileName,
            Ram: ram.Name,
            RamAttributes: Attributes(ram),
            RamBase: Hex.Word(ram.Base),
            RamSize: Hex.Word(ram.Size),
            ResetVector: Hex.Word(map.ProgramBase),
            TohostAlignment: FromhostOffset,
            FromhostOffset: FromhostOffset,
            MinimumStack: Hex.Word(MinimumStackBytes));
        return FirmwareTemplates.Render("linker.ld.sbn", model);
    }

    /// <summary>The attributes of a MEMORY line for <paramref name="region"/>: <c>r</c>, <c>w</c>, <c>x</c> as it allows.</summary>
    internal static string Attributes(MemoryRegion region) =>
        (region.Readable ? "r" : "") + (region.Writable ? "w" : "") + (region.Executable ? "x" : "");

    private sealed record LinkerScriptModel(
        string FileName,
        string Ram,
        string RamAttributes,
        string RamBase,
        string RamSize,
        string ResetVector,
        uint TohostAlignment,
        uint FromhostOffset,
        string MinimumStack);
}
