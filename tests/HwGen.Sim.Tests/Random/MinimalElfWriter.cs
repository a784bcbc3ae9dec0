using System.Buffers.Binary;
using System.Text;

namespace HwGen.Sim.Tests.RandomPrograms;

/// <summary>A symbol of an image written by <see cref="MinimalElfWriter"/>.</summary>
public sealed record ElfWriterSymbol(string Name, uint Address, uint Size, bool IsFunction);

/// <summary>A PROGBITS section of an image written by <see cref="MinimalElfWriter"/>: <paramref name="Length"/> bytes from <paramref name="Offset"/> in the image.</summary>
public sealed record ElfWriterSection(string Name, int Offset, int Length, bool Executable);

/// <summary>
/// Writes the smallest RV32 executable the simulators load: the ELF header, one PT_LOAD program header
/// that places the whole image at its address (readable, writable, executable), one section
/// (<c>.text</c>) covering it or the given sections (which tell a tagged core's policies code from data), and a symbol table with the given global symbols (<c>tohost</c>,
/// <c>_start</c>, …).
/// </summary>
public static class MinimalElfWriter
{
    private const int HeaderSize = 52, ProgramHeaderSize = 32, SectionHeaderSize = 40, SymbolSize = 16;
    private const int ImageOffset = 0x60;
    private const ushort EtExec = 2, EmRiscv = 243;
    private const uint PtLoad = 1, PfRwx = 7;
    private const uint ShtProgbits = 1, ShtSymtab = 2, ShtStrtab = 3;
    private const uint ShfWriteAlloc = 3, ShfWriteAllocExec = 7;

    /// <summary>
    /// The ELF file for <paramref name="image"/> loaded at <paramref name="address"/>, entered at <paramref name="entry"/>;
    /// <paramref name="sections"/> (consecutive, covering the image; the symbols name the first) or one <c>.text</c>.
    /// </summary>
    public static byte[] Write(uint address, ReadOnlySpan<byte> image, uint entry, IReadOnlyList<ElfWriterSymbol> symbols, IReadOnlyList<ElfWriterSection>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (image.Length == 0)
            throw new ArgumentException("the image is empty", nameof(image));
        sections ??= [new ElfWriterSection(".text", 0, image.Length, Executable: true)];
        int covered = 0;
        foreach (var section in sections)
        {
            if (section.Offset != covered || section.Length <= 0)
                throw new ArgumentException($"section {section.Name} at image offset {section.Offset} ({section.Length} bytes) does not follow the previous one at {covered}", nameof(sections));
            covered += section.Length;
        }
        if (covered != image.Length)
            throw new ArgumentException($"the sections cover {covered} of the image's {image.Length} bytes", nameof(sections));
        if ((ulong)address + (ulong)image.Length > 1UL << 32)
            throw new ArgumentException($"the image of {image.Length} bytes at 0x{address:x8} passes the end of the address space", nameof(image));
        if (entry - address >= (uint)image.Length)
            throw new ArgumentOutOfRangeException(nameof(entry), $"the entry point 0x{entry:x8} lies outside the image 0x{address:x8}..0x{address + (uint)image.Length - 1:x8}");
        foreach (var symbol in symbols)
        {
            if (symbol.Address - address > (uint)image.Length)
                throw new ArgumentException($"symbol {symbol.Name} at 0x{symbol.Address:x8} lies outside the image", nameof(symbols));
        }

        var strtab = new StringTable();
        var symbolNames = symbols.Select(s => strtab.Add(s.Name)).ToArray();
        var shstrtab = new StringTable();
        var sectionNames = sections.Select(section => shstrtab.Add(section.Name)).ToArray();
        uint symtabName = shstrtab.Add(".symtab"), strtabName = shstrtab.Add(".strtab"), shstrtabName = shstrtab.Add(".shstrtab");

        int symtabOffset = Align(ImageOffset + image.Length, 4);
        int symtabSize = (symbols.Count + 1) * SymbolSize;
        int strtabOffset = symtabOffset + symtabSize;
        int shstrtabOffset = strtabOffset + strtab.Length;
        int sectionHeadersOffset = Align(shstrtabOffset + shstrtab.Length, 4);
        int sectionCount = sections.Count + 4;
        var file = new byte[sectionHeadersOffset + sectionCount * SectionHeaderSize];
        var span = file.AsSpan();

        // ELF header
        "\u007fELF"u8.CopyTo(span);
        span[4] = 1; // ELFCLASS32
        span[5] = 1; // ELFDATA2LSB
        span[6] = 1; // EV_CURRENT
        U16(span, 16, EtExec);
        U16(span, 18, EmRiscv);
        U32(span, 20, 1);
        U32(span, 24, entry);
        U32(span, 28, HeaderSize);
        U32(span, 32, (uint)sectionHeadersOffset);
        U32(span, 36, 0); // e_flags: no compressed instructions, soft float
        U16(span, 40, HeaderSize);
        U16(span, 42, ProgramHeaderSize);
        U16(span, 44, 1);
        U16(span, 46, SectionHeaderSize);
        U16(span, 48, (ushort)sectionCount);
        U16(span, 50, (ushort)(sections.Count + 3)); // .shstrtab

        // the one PT_LOAD
        var ph = span[HeaderSize..];
        U32(ph, 0, PtLoad);
        U32(ph, 4, ImageOffset);
        U32(ph, 8, address);
        U32(ph, 12, address);
        U32(ph, 16, (uint)image.Length);
        U32(ph, 20, (uint)image.Length);
        U32(ph, 24, PfRwx);
        U32(ph, 28, 4);

        image.CopyTo(span[ImageOffset..]);

        // symbols: the null one, then the globals
        for (int i = 0; i < symbols.Count; i++)
        {
            var entryBytes = span.Slice(symtabOffset + (i + 1) * SymbolSize, SymbolSize);
            U32(entryBytes, 0, symbolNames[i]);
            U32(entryBytes, 4, symbols[i].Address);
            U32(entryBytes, 8, symbols[i].Size);
            entryBytes[12] = (byte)((1 << 4) | (symbols[i].IsFunction ? 2 : 1)); // STB_GLOBAL, STT_FUNC or STT_OBJECT
            U16(entryBytes, 14, 1); // the first section
        }
        strtab.CopyTo(span[strtabOffset..]);
        shstrtab.CopyTo(span[shstrtabOffset..]);

        // section headers: null, the image's, .symtab, .strtab, .shstrtab
        for (int i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            Section(span, sectionHeadersOffset, i + 1, sectionNames[i], ShtProgbits, section.Executable ? ShfWriteAllocExec : ShfWriteAlloc,
                address + (uint)section.Offset, (uint)(ImageOffset + section.Offset), (uint)section.Length, 0, 0, 4, 0);
        }
        int symtabIndex = sections.Count + 1;
        Section(span, sectionHeadersOffset, symtabIndex, symtabName, ShtSymtab, 0, 0, (uint)symtabOffset, (uint)symtabSize, (uint)symtabIndex + 1, 1, 4, SymbolSize);
        Section(span, sectionHeadersOffset, symtabIndex + 1, strtabName, ShtStrtab, 0, 0, (uint)strtabOffset, (uint)strtab.Length, 0, 0, 1, 0);
        Section(span, sectionHeadersOffset, symtabIndex + 2, shstrtabName, ShtStrtab, 0, 0, (uint)shstrtabOffset, (uint)shstrtab.Length, 0, 0, 1, 0);
        return file;
    }

    private static void Section(Span<byte> file, int tableOffset, int index, uint name, uint type, uint flags, uint address,
        uint offset, uint size, uint link, uint info, uint alignment, uint entrySize)
    {
        var header = file.Slice(tableOffset + index * SectionHeaderSize, SectionHeaderSize);
        U32(header, 0, name);
        U32(header, 4, type);
        U32(header, 8, flags);
        U32(header, 12, address);
        U32(header, 16, offset);
        U32(header, 20, size);
        U32(header, 24, link);
        U32(header, 28, info);
        U32(header, 32, alignment);
        U32(header, 36, entrySize);
    }

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static void U16(Span<byte> span, int offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], value);

    private static void U32(Span<byte> span, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], value);

    /// <summary>An ELF string table: a NUL byte, then each added name with its NUL.</summary>
    private sealed class StringTable
    {
        private readonly List<byte> _bytes = [0];

        public int Length => _bytes.Count;

        public uint Add(string name)
        {
            uint offset = (uint)_bytes.Count;
            _bytes.AddRange(Encoding.UTF8.GetBytes(name));
            _bytes.Add(0);
            return offset;
        }

        public void CopyTo(Span<byte> destination) => _bytes.ToArray().CopyTo(destination);
    }
}
