using HwGen.Designs.Soc;
using HwGen.Designs.Tags;

namespace HwGen.Designs.Pex;

/// <summary>
/// The memory map of the policy execution coprocessor (PEX): its RAM (code, data and stack of the policy firmware),
/// the tag-control device TAGCTL through which it serves the tag unit and the AP's calls, and a console UART for its
/// debugging output. The single source of the PEX's addresses: its interconnect, <see cref="TagControl"/>'s register
/// decode, the firmware's linker script and C header (<c>HWGEN_TAGCTL_*</c>) are derived from it.
/// </summary>
/// <remarks>
/// Every TAGCTL register is a 32-bit word (word accesses only). Tags are <see cref="TagConfig.TagWidth"/> bits, in the
/// low bits of a register; the other bits read 0 and are ignored on writes. A read of a write-only register, or of an
/// offset no register has, gives an unspecified word (<see cref="Pex.TagControl"/> decodes its reads from the offset bits
/// that tell apart the registers that can be read).
/// </remarks>
public static class PexMemoryMap
{
    /// <summary>The name of the tag-control device's region.</summary>
    public const string TagControlName = "TAGCTL";

    public const uint RamBase = 0x8000_0000;

    /// <summary>32 KiB: half an SPRAM pair; on the board one SPRAM block.</summary>
    public const uint RamSize = 32u << 10;

    public const uint TagControlBase = 0x3000_0000;

    /// <summary>128 bytes: the registers' offsets, decoded from 7 bits; an access past them is answered with an error.</summary>
    public const uint TagControlSize = 0x80;

    /// <summary>Where ALLOW's word holds the rule's result tag (its PC tag is in the low bits).</summary>
    public const int AllowResultTagShift = TagConfig.MaxTagWidth;

    /// <summary>Where OPGROUP's word holds the entry's care mask (the opgroup and the index are in the low bits).</summary>
    public const int OpgroupCareShift = 16;

    /// <summary>
    /// 8 bytes: the size of the PEX's UART and SPI master regions, their two registers (decoded from 3 offset bits; an
    /// access past them is answered with an error).
    /// </summary>
    public const uint DeviceSize = 8;

    /// <summary>The PEX's map: RAM, TAGCTL and the console UART.</summary>
    public static MemoryMap Default { get; } = new([
        MemoryRegion.Ram(MemoryMap.RamName, RamBase, RamSize, "PEX memory: the policy firmware's code, data and stack"),
        TagControl(),
        MemoryMap.DefaultRegions(RamBase, RamSize).Single(r => r.Name == MemoryMap.UartName) with
        {
            Size = DeviceSize,
            Description = "PEX console: data and status registers (debugging output in simulation)",
        },
    ]);

    /// <summary>The name of the window through which the board's PEX writes the AP's RAM while the AP is held.</summary>
    public const string ApRamName = "APRAM";

    public const uint ApRamBase = 0x4000_0000;

    /// <summary>
    /// The PEX's map on a board, where the PEX is the boot agent: the default regions but the console (no one sees a
    /// board PEX's console, and neither the boot loader nor the policy firmware writes to it), a boot ROM of
    /// <paramref name="bootRomSize"/> bytes (at most <see cref="RamSize"/>) right after the RAM (the reset vector: the
    /// PEX's code lies in one range of twice the RAM's size, whose 16 address bits its pc keeps, see <see cref="PexSoc.CodeRange"/>), the SPI
    /// master on the configuration flash (the AP's boot ROM reads the flash through the same unit) and APRAM, a
    /// write-only window of words onto the AP's RAM of <paramref name="apRamSize"/> bytes (offset 0 is the AP RAM's first
    /// word). The boot loader in the ROM loads the PEX's RAM, the AP's RAM and the AP's tags from the flash, then enters
    /// the policy firmware, which releases the AP.
    /// </summary>
    public static MemoryMap Board(uint bootRomSize, uint apRamSize)
    {
        var defaults = MemoryMap.DefaultRegions(RamBase, RamSize);
        return new MemoryMap([
            .. Default.Regions.Where(r => r.Name != MemoryMap.UartName),
            defaults.Single(r => r.Name == MemoryMap.SpiFlashName) with { Size = DeviceSize },
            MemoryRegion.Device(ApRamName, ApRamBase, apRamSize, "the AP's RAM, written by the boot loader while the AP is held (write only)", AccessWidths.Word) with
            {
                Readable = false,
            },
        ]) { BootRomBase = RamBase + RamSize, BootRomSize = bootRomSize };
    }

    /// <summary>The tag-control device's region with its registers, at <see cref="TagControlBase"/>.</summary>
    public static MemoryRegion TagControl() =>
        MemoryRegion.Device(TagControlName, TagControlBase, TagControlSize, "tag control: rule-cache misses, tag memory, tables, the AP's hold, AP calls", AccessWidths.Word,
            new DeviceRegister("STATUS", 0x00, "what waits for the PEX (read only)")
            {
                Bits = [new("MISS", 1u << 0, "a rule-cache miss is pending"), new("CALL", 1u << 1, "a call from the AP is pending")],
            },
            new DeviceRegister("MISS_OPGROUP", 0x04, "the pending miss: its opgroup (read only)"),
            new DeviceRegister("MISS_PC_TAG", 0x08, "the pending miss: the PC tag, after the care mask (read only)"),
            new DeviceRegister("MISS_CI_TAG", 0x0C, "the pending miss: the instruction's tag, after the care mask (read only)"),
            new DeviceRegister("MISS_RS1_TAG", 0x10, "the pending miss: rs1's tag, after the care mask (read only)"),
            new DeviceRegister("MISS_RS2_TAG", 0x14, "the pending miss: rs2's tag, after the care mask (read only)"),
            new DeviceRegister("MISS_MEM_TAG", 0x18, "the pending miss: the memory tag, after the care mask (read only)"),
            new DeviceRegister("MISS_PC", 0x1C, "the pending miss: the AP's pc of the instruction (read only)"),
            new DeviceRegister("MISS_INSN", 0x20, "the pending miss: the instruction word (read only)"),
            new DeviceRegister("MISS_ADDR", 0x24, "the pending miss: the data address of a load or store, else 0 (read only)"),
            new DeviceRegister("ALLOW", 0x28, "ends the pending miss with an allow (write only): the rule with the word's output tags is installed, the AP resumes")
            {
                Bits = [new("PC_TAG", (1u << AllowResultTagShift) - 1, "the rule's PC tag"), new("RESULT_TAG", ~((1u << AllowResultTagShift) - 1), "the rule's result tag: rd's, or a store's word's")],
            },
            new DeviceRegister("DENY", 0x2C, "ends the pending miss with a denial (write only): the AP traps (mcause 24); the word is the denial the simulator reports (the PEX keeps its own copy)")
            {
                Bits = [new("REASON", 0x0000_FFFFu, "the policy's reason code"), new("POLICY", 0xFFFF_0000u, "the denying policy's index in the composite")],
            },
            new DeviceRegister("TAG_ADDR", 0x30, "the AP byte address TAG_DATA reads or writes the tag of (write only)"),
            new DeviceRegister("TAG_DATA", 0x34, "the tag of the AP word at TAG_ADDR: a read waits for the tag memory, a write sets it"),
            new DeviceRegister("OPGROUP", 0x38, "sets one entry of the opgroup table: its opgroup and that opgroup's care mask (write only)")
            {
                Bits = [new("GROUP", (1u << TagConfig.OpgroupBits) - 1, "the opgroup"), new("INDEX", ((1u << Opgroups.IndexBits) - 1) << TagConfig.OpgroupBits, "the table index (Opgroups.IndexOf of an instruction word)"),
                    new("CARE", ((1u << TagConfig.InputTags) - 1) << OpgroupCareShift, "the fields the opgroup's rules read, bit n = tag field n: PC, CI, RS1, RS2, MEM (the same in every entry of the opgroup)")],
            },
            new DeviceRegister("DEVICE_TAG", 0x40, "the memory tag of loads and stores outside the tagged memory (write only)"),
            new DeviceRegister("CALL_RESULT_TAG", 0x44, "the memory tag of the next call result the AP loads (write only)"),
            new DeviceRegister("FLUSH", 0x48, "any write invalidates every rule-cache entry, a set a cycle (32 cycles by default, in which every lookup misses and no rule is installed) (write only)"),
            new DeviceRegister("AP_CONTROL", 0x4C, "the AP's control (read/write)")
            {
                Bits = [new("RESET", 1u << 0, "the AP is held: it fetches nothing (1 after reset: the PEX releases the AP once it has programmed the tag unit)")],
            },
            new DeviceRegister("LOOKUPS", 0x50, "rule-cache lookups: instructions checked (read only)"),
            new DeviceRegister("HITS", 0x54, "rule-cache hits (read only)"),
            new DeviceRegister("MISSES", 0x58, "rule-cache misses (read only)"),
            new DeviceRegister("EVICTIONS", 0x5C, "rule-cache installs that replaced a valid entry (read only)"),
            new DeviceRegister("MISS_CYCLES", 0x60, "cycles the AP waited on misses (read only)"),
            new DeviceRegister("CALL_OP", 0x64, "the pending call: its op (read only)"),
            new DeviceRegister("CALL_ARG0", 0x68, "the pending call: its first argument (read only)"),
            new DeviceRegister("CALL_ARG1", 0x6C, "the pending call: its second argument (read only)"),
            new DeviceRegister("CALL_CALLER_TAG", 0x70, "the pending call: the tag of the instruction that made it (read only)"),
            new DeviceRegister("CALL_RESULT", 0x74, "completes the pending call with this result, its tag CALL_RESULT_TAG (write only)"));
}
