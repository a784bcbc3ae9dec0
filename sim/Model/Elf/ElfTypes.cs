namespace HwGen.Sim.Model.Elf;

/// <summary>
/// A loadable (PT_LOAD) segment. <see cref="Data"/> is the memory image: <c>p_filesz</c> bytes from
/// the file followed by zeros up to <c>p_memsz</c>.
/// </summary>
/// <param name="Address">Load address (<c>p_paddr</c>, where the bytes go in memory).</param>
/// <param name="VirtualAddress">Run address (<c>p_vaddr</c>); equal to <see cref="Address"/> for our programs.</param>
/// <param name="Data">The memory image, <c>p_memsz</c> bytes long.</param>
/// <param name="FileSize">How many of those bytes come from the file (<c>p_filesz</c>); the rest are zero.</param>
/// <param name="Flags">Permissions: <c>PF_X</c> = 1, <c>PF_W</c> = 2, <c>PF_R</c> = 4.</param>
public sealed record ElfSegment(uint Address, uint VirtualAddress, byte[] Data, uint FileSize, uint Flags)
{
    public uint Size => (uint)Data.Length;
    public bool IsExecutable => (Flags & 1) != 0;
    public bool IsWritable => (Flags & 2) != 0;
    public bool IsReadable => (Flags & 4) != 0;
}

/// <summary>Section types (<c>sh_type</c>) HwGen recognises; other values appear as their number.</summary>
public enum ElfSectionType : uint
{
    Null = 0,
    ProgBits = 1,
    SymTab = 2,
    StrTab = 3,
    Rela = 4,
    Hash = 5,
    Dynamic = 6,
    Note = 7,
    NoBits = 8,
    Rel = 9,
    DynSym = 11,
    InitArray = 14,
    FiniArray = 15,
    PreinitArray = 16,
    Group = 17,
    SymTabShndx = 18,
    RiscvAttributes = 0x7000_0003,
}

/// <summary>One section header.</summary>
/// <param name="Name">Name from the section-name string table (e.g. <c>.text</c>).</param>
/// <param name="Address">Run address (<c>sh_addr</c>); 0 for sections that are not loaded.</param>
/// <param name="Size">Size in bytes (<c>sh_size</c>).</param>
/// <param name="Type">Section type (<c>sh_type</c>).</param>
/// <param name="Flags">Raw <c>sh_flags</c>: SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4.</param>
public sealed record ElfSection(string Name, uint Address, uint Size, ElfSectionType Type, uint Flags)
{
    public bool IsWrite => (Flags & 1) != 0;
    public bool IsAlloc => (Flags & 2) != 0;
    public bool IsExec => (Flags & 4) != 0;

    /// <summary>True when the section occupies memory at run time but takes no file space (<c>.bss</c>).</summary>
    public bool IsNoBits => Type == ElfSectionType.NoBits;

    public bool Contains(uint address) => address - Address < Size;
}

/// <summary>What a symbol names (<c>STT_*</c>).</summary>
public enum ElfSymbolKind
{
    /// <summary>STT_FUNC: code.</summary>
    Function,
    /// <summary>STT_OBJECT: data.</summary>
    Object,
    /// <summary>Anything else: STT_NOTYPE (assembly labels), STT_SECTION, STT_FILE, …</summary>
    Other,
}

/// <summary>A symbol's binding (<c>STB_*</c>).</summary>
public enum ElfSymbolBinding
{
    Local,
    Global,
    Weak,
}

/// <summary>One entry of <c>.symtab</c>.</summary>
/// <param name="Name">Symbol name (never empty: unnamed entries are skipped).</param>
/// <param name="Value">Address (<c>st_value</c>).</param>
/// <param name="Size">Size in bytes (<c>st_size</c>), 0 when unknown.</param>
/// <param name="Kind">Function, object or other.</param>
/// <param name="Binding">Local, global or weak.</param>
public sealed record ElfSymbol(string Name, uint Value, uint Size, ElfSymbolKind Kind, ElfSymbolBinding Binding)
{
    /// <summary>True for global and weak symbols (visible outside their object file).</summary>
    public bool IsGlobal => Binding != ElfSymbolBinding.Local;
}
