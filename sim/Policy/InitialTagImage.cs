using HwGen.Designs.Tags;
using HwGen.Sim.Model.Elf;

namespace HwGen.Sim.Policy;

/// <summary>
/// The tags a program starts with, from its ELF: (a) the golden model's initial tag state, (b) the words the
/// simulator's loader writes into tag memory, (c) the PEX's initial set table (<see cref="Interner"/>'s snapshot).
/// </summary>
/// <remarks>
/// Every word of an executable PROGBITS section (<c>.text</c>, <c>.text.init</c>, ...) gets <see cref="Flag.Code"/>
/// and each policy's <see cref="TagPolicy.CodeAtoms"/>; every other word (data, bss, stack, heap) is 0. Functions: the
/// FUNC symbols with a non-zero size, in ascending address order, symbols at the same address being one function, are
/// numbered 1, 2, ...; a code word belongs to the last-starting function that covers it (0: none); a word holding a
/// FUNC symbol's address (any size) is an entry. Interning: the code words' sets in ascending word address order,
/// then the composite's device set.
/// </remarks>
public sealed class InitialTagImage
{
    private InitialTagImage(IReadOnlyDictionary<uint, ushort> words, TagInterner interner, ushort deviceTag)
    {
        Words = words;
        Interner = interner;
        DeviceTag = deviceTag;
    }

    /// <summary>The word addresses whose tag is not 0, with their tags.</summary>
    public IReadOnlyDictionary<uint, ushort> Words { get; }

    /// <summary>The set table after the image and the device set (copy it before interning more: <see cref="TagInterner.Clone"/>).</summary>
    public TagInterner Interner { get; }

    /// <summary>The tag of the composite's device set.</summary>
    public ushort DeviceTag { get; }

    /// <summary>No tagged word: only the device set of <paramref name="rules"/> is interned.</summary>
    public static InitialTagImage Empty(IRuleFunction rules, int tagWidth = 16)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var interner = new TagInterner(tagWidth);
        ushort device = interner.Intern(rules.DeviceSet);
        return new InitialTagImage(new Dictionary<uint, ushort>(), interner, device);
    }

    /// <summary>The image of <paramref name="elf"/> under <paramref name="composite"/> (see the remarks).</summary>
    /// <exception cref="ArgumentException">A code word lies outside the tagged memory of <paramref name="config"/>.</exception>
    public static InitialTagImage Build(ElfImage elf, Composite composite, TagConfig config)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ArgumentNullException.ThrowIfNull(composite);
        ArgumentNullException.ThrowIfNull(config);
        var functions = Functions(elf);
        var entries = new HashSet<uint>(elf.Symbols.Where(s => s.Kind == ElfSymbolKind.Function).Select(s => s.Value & ~3u));
        var interner = new TagInterner(config.TagWidth);
        var words = new SortedDictionary<uint, ushort>();
        // The functions with an indirect jump in them (a jalr that neither links nor returns).
        var jumping = new HashSet<int>();
        foreach (var segment in elf.Segments.Where(s => s.IsExecutable))
        {
            for (uint offset = 0; offset + 4 <= segment.Size; offset += 4)
            {
                uint insn = BitConverter.ToUInt32(segment.Data, (int)offset);
                if ((insn & 0x7F) == 0b1100111 && Opgroups.Classify(insn) == Opgroup.Jump && FunctionAt(functions, segment.Address + offset) is int f and >= 0)
                    jumping.Add(f);
            }
        }
        var code = elf.Sections.Where(s => s.IsExec && s.IsAlloc && s.Type == ElfSectionType.ProgBits && s.Size > 0)
            .OrderBy(s => s.Address);
        foreach (var section in code)
        {
            uint first = section.Address & ~3u, end = section.Address + section.Size;
            for (uint address = first; address < end && address >= first; address += 4)
            {
                if (address - config.TaggedBase >= config.TaggedSize)
                    throw new ArgumentException($"{elf.Path}: code word 0x{address:x8} of section {section.Name} lies outside the tagged memory 0x{config.TaggedBase:x8}..0x{config.TaggedBase + config.TaggedSize - 1:x8}", nameof(elf));
                int function = FunctionAt(functions, address);
                var word = new CodeWord(address, (ushort)(function + 1), function >= 0 ? functions[function].Name : null, entries.Contains(address))
                {
                    FunctionJumps = function >= 0 && jumping.Contains(function),
                };
                ushort tag = interner.Intern(composite.CodeTag(word));
                if (tag != 0)
                    words[address] = tag;
            }
        }
        ushort device = interner.Intern(composite.DeviceSet);
        return new InitialTagImage(words, interner, device);
    }

    /// <summary>The functions (FUNC symbols with a size, one per address, the first name in ordinal order), by address.</summary>
    private static List<(uint Start, uint End, string Name)> Functions(ElfImage elf) =>
        [.. elf.Symbols.Where(s => s.Kind == ElfSymbolKind.Function && s.Size > 0)
            .GroupBy(s => s.Value)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var first = g.OrderBy(s => s.Name, StringComparer.Ordinal).First();
                return (g.Key, g.Key + g.Max(s => s.Size), first.Name);
            })];

    /// <summary>The index of the last-starting function covering <paramref name="address"/>, or -1.</summary>
    private static int FunctionAt(List<(uint Start, uint End, string Name)> functions, uint address)
    {
        for (int i = functions.Count - 1; i >= 0; i--)
        {
            if (functions[i].Start <= address && address < functions[i].End)
                return i;
        }
        return -1;
    }
}
