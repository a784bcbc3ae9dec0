using System.Buffers.Binary;
using System.Text;
using HwGen.Designs.Soc;

namespace HwGen.Sim.Model.Elf;

/// <summary>
/// An RV32 executable read from an ELF32 little-endian file: its loadable segments, sections and
/// symbols. <see cref="Load"/> checks everything the simulators rely on (class, byte order, machine, no compressed instructions,
/// type, header bounds, every segment and the entry point inside RAM) and reports the first problem
/// as an <see cref="ElfFormatException"/> whose one-line message names the file.
/// </summary>
public sealed class ElfImage
{
    private const int HeaderSize = 52;
    private const int ProgramHeaderSize = 32;
    private const int SectionHeaderSize = 40;
    private const int SymbolSize = 16;
    private const ushort EmRiscv = 243;
    private const uint PtLoad = 1;
    private const uint EfRiscvRvc = 0x1;

    private readonly Dictionary<string, ElfSymbol> _symbolsByName;

    private ElfImage(string path, uint entry, IReadOnlyList<ElfSegment> segments, IReadOnlyList<ElfSection> sections, IReadOnlyList<ElfSymbol> symbols)
    {
        Path = path;
        Entry = entry;
        Segments = segments;
        Sections = sections;
        Symbols = symbols;
        _symbolsByName = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            // A global definition wins over a local one of the same name; otherwise the first one.
            if (!_symbolsByName.TryGetValue(symbol.Name, out var existing) || (!existing.IsGlobal && symbol.IsGlobal))
                _symbolsByName[symbol.Name] = symbol;
        }
        Tohost = TryGetSymbol("tohost", out uint tohost) ? tohost : null;
    }

    /// <summary>The file this image was read from, as given to <see cref="Load"/>.</summary>
    public string Path { get; }

    /// <summary>The entry point (<c>e_entry</c>).</summary>
    public uint Entry { get; }

    /// <summary>The non-empty PT_LOAD segments, in file order.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>Every section header except the null one at index 0.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The named entries of <c>.symtab</c> (empty for a stripped file).</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>Address of the <c>tohost</c> symbol, through which the program reports its exit code; null when absent.</summary>
    public uint? Tohost { get; }

    /// <summary>Looks a symbol up by name (a global definition is preferred over a local one).</summary>
    public bool TryGetSymbol(string name, out uint address)
    {
        if (_symbolsByName.TryGetValue(name, out var symbol))
        {
            address = symbol.Value;
            return true;
        }
        address = 0;
        return false;
    }

    /// <summary>The symbol record for <paramref name="name"/>, or null.</summary>
    public ElfSymbol? FindSymbol(string name) => _symbolsByName.GetValueOrDefault(name);

    /// <summary>The first section by that name, or null.</summary>
    public ElfSection? FindSection(string name) => Sections.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// Reads and validates <paramref name="path"/> for the memory map <paramref name="map"/>.
    /// </summary>
    /// <exception cref="ElfFormatException">The file is missing, is not an RV32 little-endian executable,
    /// is truncated or corrupt, or places a segment or its entry point outside RAM.</exception>
    public static ElfImage Load(string path, MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(map);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new ElfFormatException($"{path}: file not found", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new ElfFormatException($"{path}: file not found (no such directory)", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ElfFormatException($"{path}: cannot read the file: {ex.Message}", ex);
        }
        return Parse(path, bytes, map);
    }

    /// <summary>Validates an ELF image already in memory; <paramref name="path"/> is used in messages only.</summary>
    public static ElfImage Parse(string path, ReadOnlySpan<byte> file, MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var reader = new Reader(path, file.ToArray());
        reader.CheckIdent();
        var h = reader.ReadHeader();
        var sections = reader.ReadSections(h, out var rawSections);
        var symbols = reader.ReadSymbols(rawSections);
        var segments = reader.ReadSegments(h, sections, map);

        var ram = map.Ram;
        if (!ram.Contains(h.Entry, 4))
            throw new ElfFormatException($"{path}: entry point {Hex(h.Entry)} lies outside RAM {Range(ram.Base, ram.Size)}");
        return new ElfImage(path, h.Entry, segments, sections, symbols);
    }

    internal static string Hex(uint value) => $"0x{value:x8}";

    /// <summary>An address range as <c>0xFIRST..0xLAST</c> (inclusive).</summary>
    internal static string Range(uint start, uint size) =>
        size == 0 ? $"{Hex(start)} (empty)" : $"{Hex(start)}..{Hex((uint)(start + (ulong)size - 1))}";

    private static string MachineName(ushort machine) => machine switch
    {
        0 => "no machine (EM_NONE)",
        2 => "SPARC",
        3 => "Intel 80386",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        22 => "IBM S/390",
        40 => "ARM",
        42 => "SuperH",
        50 => "IA-64",
        62 => "x86-64",
        83 => "AVR",
        94 => "Xtensa",
        105 => "MSP430",
        183 => "AArch64",
        243 => "RISC-V",
        247 => "eBPF",
        258 => "LoongArch",
        _ => "an unknown machine",
    };

    private static string TypeName(ushort type) => type switch
    {
        0 => "ET_NONE (no file type)",
        1 => "ET_REL (a relocatable object: link it into an executable)",
        3 => "ET_DYN (a shared object or position-independent executable: link with -static -no-pie)",
        4 => "ET_CORE (a core dump)",
        _ => $"{type} (unknown)",
    };

    private readonly record struct Header(
        ushort Type, ushort Machine, uint Entry, uint PhOff, uint ShOff, uint Flags,
        ushort PhEntSize, ushort PhNum, ushort ShEntSize, uint ShNum, uint ShStrNdx);

    private readonly record struct Shdr(uint NameOffset, uint Type, uint Flags, uint Addr, uint Offset, uint Size, uint Link, uint EntSize);

    private readonly record struct RawSection(ElfSection Section, Shdr Raw);

    private sealed class Reader(string path, byte[] file)
    {
        private string Corrupt(string what) => $"{path}: truncated or corrupt ELF: {what}";

        private ushort U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset, 2));

        private uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset, 4));

        /// <summary>True when [offset, offset + length) lies inside the file.</summary>
        private bool InFile(ulong offset, ulong length) => offset <= (ulong)file.Length && length <= (ulong)file.Length - offset;

        public void CheckIdent()
        {
            if (file.Length < 4 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            {
                string found = file.Length == 0
                    ? "the file is empty"
                    : "it starts with " + string.Join(' ', file.Take(4).Select(b => b.ToString("x2")));
                throw new ElfFormatException($"{path}: not an ELF file (bad magic: {found}, expected 7f 45 4c 46)");
            }
            if (file.Length < 16)
                throw new ElfFormatException(Corrupt($"the file is {file.Length} bytes long, shorter than the 16-byte ELF identification"));
            switch (file[4])
            {
                case 1:
                    break;
                case 2:
                    throw new ElfFormatException($"{path}: 64-bit ELF file (ELFCLASS64); HwGen runs RV32 programs (ELFCLASS32)");
                default:
                    throw new ElfFormatException(Corrupt($"invalid ELF class {file[4]} in e_ident[EI_CLASS]; HwGen runs RV32 programs (ELFCLASS32)"));
            }
            switch (file[5])
            {
                case 1:
                    break;
                case 2:
                    throw new ElfFormatException($"{path}: big-endian ELF file (ELFDATA2MSB); HwGen runs little-endian RV32 programs (ELFDATA2LSB)");
                default:
                    throw new ElfFormatException(Corrupt($"invalid data encoding {file[5]} in e_ident[EI_DATA]; expected little-endian (ELFDATA2LSB)"));
            }
        }

        public Header ReadHeader()
        {
            if (file.Length < HeaderSize)
                throw new ElfFormatException(Corrupt($"the file is {file.Length} bytes long, shorter than the {HeaderSize}-byte ELF32 header"));
            var h = new Header(
                Type: U16(16), Machine: U16(18), Entry: U32(24), PhOff: U32(28), ShOff: U32(32), Flags: U32(36),
                PhEntSize: U16(42), PhNum: U16(44), ShEntSize: U16(46), ShNum: U16(48), ShStrNdx: U16(50));
            if (h.Machine != EmRiscv)
                throw new ElfFormatException($"{path}: built for {MachineName(h.Machine)} (e_machine {h.Machine}), not RISC-V (EM_RISCV = {EmRiscv})");
            if ((h.Flags & EfRiscvRvc) != 0)
                throw new ElfFormatException($"{path}: built with compressed instructions (EF_RISCV_RVC in e_flags), but the core has no C extension; build with -march=rv32im_zicsr -mabi=ilp32");
            if (h.Type != 2)
                throw new ElfFormatException($"{path}: not an executable: e_type is {TypeName(h.Type)}; HwGen runs ET_EXEC files");
            if (h.PhNum == 0)
                throw new ElfFormatException($"{path}: the executable has no program headers, so nothing to load");
            if (h.PhEntSize != ProgramHeaderSize)
                throw new ElfFormatException(Corrupt($"e_phentsize is {h.PhEntSize}, expected {ProgramHeaderSize} for ELF32"));
            if (!InFile(h.PhOff, (ulong)h.PhNum * ProgramHeaderSize))
                throw new ElfFormatException(Corrupt($"the program header table (offset {Hex(h.PhOff)}, {h.PhNum} entries) extends past the end of the file ({file.Length} bytes)"));
            if (h.ShOff == 0)
                return h with { ShNum = 0, ShStrNdx = 0 };
            if (h.ShEntSize != SectionHeaderSize)
                throw new ElfFormatException(Corrupt($"e_shentsize is {h.ShEntSize}, expected {SectionHeaderSize} for ELF32"));
            if (!InFile(h.ShOff, SectionHeaderSize))
                throw new ElfFormatException(Corrupt($"the section header table (offset {Hex(h.ShOff)}) starts past the end of the file ({file.Length} bytes)"));
            // Extended numbering: with 0xff00 or more sections the real count and string-table index
            // live in section header 0 (sh_size and sh_link).
            uint shnum = h.ShNum == 0 ? U32((int)h.ShOff + 20) : h.ShNum;
            uint shstrndx = h.ShStrNdx == 0xFFFF ? U32((int)h.ShOff + 24) : h.ShStrNdx;
            if (!InFile(h.ShOff, (ulong)shnum * SectionHeaderSize))
                throw new ElfFormatException(Corrupt($"the section header table (offset {Hex(h.ShOff)}, {shnum} entries) extends past the end of the file ({file.Length} bytes)"));
            if (shnum != 0 && shstrndx >= shnum)
                throw new ElfFormatException(Corrupt($"e_shstrndx {shstrndx} is not a section index (there are {shnum} sections)"));
            return h with { ShNum = shnum, ShStrNdx = shstrndx };
        }

        public List<ElfSection> ReadSections(Header h, out List<RawSection> raw)
        {
            raw = [];
            var sections = new List<ElfSection>();
            if (h.ShNum == 0)
                return sections;
            // e_shstrndx = SHN_UNDEF: the file has no section names.
            Shdr? names = h.ShStrNdx == 0 ? null : SectionHeader(h, h.ShStrNdx);
            for (uint i = 1; i < h.ShNum; i++)
            {
                var s = SectionHeader(h, i);
                string name = names is { } table ? ReadString(table, s.NameOffset, $"the name of section {i}") : "";
                var section = new ElfSection(name, s.Addr, s.Size, (ElfSectionType)s.Type, s.Flags);
                sections.Add(section);
                raw.Add(new RawSection(section, s));
            }
            return sections;
        }

        private Shdr SectionHeader(Header h, uint index)
        {
            int o = checked((int)(h.ShOff + index * SectionHeaderSize));
            var s = new Shdr(U32(o), U32(o + 4), U32(o + 8), U32(o + 12), U32(o + 16), U32(o + 20), U32(o + 24), U32(o + 36));
            if (s.Type != (uint)ElfSectionType.NoBits && s.Type != (uint)ElfSectionType.Null && !InFile(s.Offset, s.Size))
                throw new ElfFormatException(Corrupt($"section {index} (offset {Hex(s.Offset)}, {s.Size} bytes) extends past the end of the file ({file.Length} bytes)"));
            return s;
        }

        /// <summary>A NUL-terminated string at <paramref name="offset"/> inside the string-table section.</summary>
        private string ReadString(Shdr table, uint offset, string what)
        {
            if (offset >= table.Size)
                throw new ElfFormatException(Corrupt($"{what} points past the end of its string table (offset {offset}, table size {table.Size})"));
            if (!InFile(table.Offset, table.Size))
                throw new ElfFormatException(Corrupt($"the string table for {what} (offset {Hex(table.Offset)}, {table.Size} bytes) lies outside the file"));
            var span = file.AsSpan((int)(table.Offset + offset), (int)(table.Size - offset));
            int end = span.IndexOf((byte)0);
            if (end < 0)
                throw new ElfFormatException(Corrupt($"{what} is not NUL-terminated inside its string table"));
            return Encoding.UTF8.GetString(span[..end]);
        }

        public List<ElfSymbol> ReadSymbols(List<RawSection> sections)
        {
            var symbols = new List<ElfSymbol>();
            foreach (var symtab in sections.Where(s => s.Section.Type == ElfSectionType.SymTab))
            {
                // sh_link of a symbol table is the (1-based) header index of its string table;
                // raw[] omits the null header 0.
                if (symtab.Raw.Link == 0 || symtab.Raw.Link > sections.Count)
                    throw new ElfFormatException(Corrupt($"symbol table {symtab.Section.Name} links to section {symtab.Raw.Link}, which does not exist"));
                var strtab = sections[(int)symtab.Raw.Link - 1];
                if (strtab.Section.Type != ElfSectionType.StrTab)
                    throw new ElfFormatException(Corrupt($"symbol table {symtab.Section.Name} links to {strtab.Section.Name}, which is not a string table"));
                if (symtab.Raw.EntSize != SymbolSize)
                    throw new ElfFormatException(Corrupt($"symbol table {symtab.Section.Name} has entries of {symtab.Raw.EntSize} bytes, expected {SymbolSize}"));
                uint count = symtab.Section.Size / SymbolSize;
                for (uint i = 1; i < count; i++)
                {
                    int o = checked((int)(symtab.Raw.Offset + i * SymbolSize));
                    uint nameOffset = U32(o);
                    if (nameOffset == 0)
                        continue;
                    string name = ReadString(strtab.Raw, nameOffset, $"the name of symbol {i} in {symtab.Section.Name}");
                    byte info = file[o + 12];
                    var kind = (info & 15) switch
                    {
                        1 => ElfSymbolKind.Object,
                        2 => ElfSymbolKind.Function,
                        _ => ElfSymbolKind.Other,
                    };
                    var binding = (info >> 4) switch
                    {
                        0 => ElfSymbolBinding.Local,
                        2 => ElfSymbolBinding.Weak,
                        _ => ElfSymbolBinding.Global,
                    };
                    symbols.Add(new ElfSymbol(name, U32(o + 4), U32(o + 8), kind, binding));
                }
            }
            return symbols;
        }

        public List<ElfSegment> ReadSegments(Header h, List<ElfSection> sections, MemoryMap map)
        {
            var segments = new List<ElfSegment>();
            var ram = map.Ram;
            for (int i = 0; i < h.PhNum; i++)
            {
                int o = checked((int)(h.PhOff + (uint)i * ProgramHeaderSize));
                if (U32(o) != PtLoad)
                    continue;
                uint offset = U32(o + 4), vaddr = U32(o + 8), paddr = U32(o + 12);
                uint filesz = U32(o + 16), memsz = U32(o + 20), flags = U32(o + 24);
                if (filesz > memsz)
                    throw new ElfFormatException(Corrupt($"PT_LOAD segment {i} has p_filesz {filesz} larger than p_memsz {memsz}"));
                if (!InFile(offset, filesz))
                    throw new ElfFormatException(Corrupt($"PT_LOAD segment {i} (offset {Hex(offset)}, {filesz} bytes) extends past the end of the file ({file.Length} bytes)"));
                if (memsz == 0)
                    continue;
                if (!ram.Contains(paddr, memsz))
                {
                    var names = sections
                        .Where(s => s.IsAlloc && s.Size != 0 && s.Address - vaddr < memsz)
                        .Select(s => s.Name)
                        .ToArray();
                    string which = names.Length == 0 ? "" : $" ({string.Join(", ", names)})";
                    // GNU ld given only -Ttext maps the ELF headers into the first segment, just below the text.
                    string hint = filesz != 0 && offset < h.PhOff + (uint)h.PhNum * ProgramHeaderSize
                        ? "; the segment starts with the ELF headers (link with a linker script, or add -Wl,-N)"
                        : "";
                    throw new ElfFormatException(
                        $"{path}: PT_LOAD segment {Range(paddr, memsz)}{which} lies outside RAM {Range(ram.Base, ram.Size)}{hint}");
                }
                var data = new byte[memsz];
                file.AsSpan((int)offset, (int)filesz).CopyTo(data);
                segments.Add(new ElfSegment(paddr, vaddr, data, filesz, flags));
            }
            return segments;
        }
    }
}
