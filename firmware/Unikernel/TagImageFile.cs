using System.Globalization;
using System.Text;
using HwGen.Sim.Policy;

namespace HwGen.Firmware.Unikernel;

/// <summary>
/// The initial tag image as a text file (<c>APP.tags</c>): what tag memory holds when the program starts under a
/// policy, word address to tag, and what each tag means.
/// </summary>
/// <remarks>
/// Lines starting with <c>#</c> are comments. <c>set TAG ATOMS</c> gives the metadata set of each tag the image uses
/// (tag 0, the empty set, is never listed), e.g. <c>set 1 {Code, Entry, Function=1}</c>. <c>FIRST END TAG</c> (byte
/// addresses in hex, <c>END</c> exclusive, both word aligned) gives <c>TAG</c> (decimal) to every word in
/// <c>[FIRST, END)</c>; ranges ascend and do not overlap. A word in no range has tag 0.
/// </remarks>
public static class TagImageFile
{
    /// <summary>The file's text for <paramref name="image"/> of <paramref name="application"/> under <paramref name="policy"/>.</summary>
    public static string Format(string application, Composite policy, InitialTagImage image, int tagWidth)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(image);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# hwgen initial tag image: {application} under {policy.Name}, {tagWidth}-bit tags, one per 32-bit word\n");
        text.Append("# set TAG ATOMS: the metadata set of TAG; FIRST END TAG: every word in [FIRST, END) has TAG; other words have tag 0\n");
        foreach (var tag in image.Words.Values.Distinct().Order())
            text.Append(CultureInfo.InvariantCulture, $"set {tag} {image.Interner[tag]}\n");
        foreach (var (first, end, tag) in Ranges(image.Words))
            text.Append(CultureInfo.InvariantCulture, $"0x{first:x8} 0x{end:x8} {tag}\n");
        return text.ToString();
    }

    /// <summary>The word tags of a file <see cref="Format"/> wrote: word address to tag, for every word with a tag other than 0.</summary>
    /// <exception cref="FormatException">A line that is neither a comment, a set nor a range (its number in the message).</exception>
    public static IReadOnlyDictionary<uint, ushort> ParseWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new SortedDictionary<uint, ushort>();
        int number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("set ", StringComparison.Ordinal))
                continue;
            var fields = line.Split(' ');
            if (fields.Length != 3 || !TryHex(fields[0], out uint first) || !TryHex(fields[1], out uint end)
                || !ushort.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out ushort tag) || end < first || ((first | end) & 3) != 0)
                throw new FormatException($"tag image line {number}: '{line}' is not 'FIRST END TAG' (word-aligned hex addresses, a decimal tag)");
            for (ulong address = first; address < end; address += 4)
                words[(uint)address] = tag;
        }
        return words;
    }

    /// <summary>How many words carry each tag (tag 0 not counted), by tag.</summary>
    public static IReadOnlyList<(ushort Tag, string Set, int Words)> Summary(InitialTagImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return [.. image.Words.Values.GroupBy(t => t).OrderBy(g => g.Key).Select(g => (g.Key, image.Interner[g.Key].ToString(), g.Count()))];
    }

    private static IEnumerable<(uint First, uint End, ushort Tag)> Ranges(IReadOnlyDictionary<uint, ushort> words)
    {
        uint first = 0, end = 0;
        ushort tag = 0;
        bool open = false;
        foreach (var (address, value) in words.OrderBy(w => w.Key))
        {
            if (open && address == end && value == tag)
            {
                end += 4;
                continue;
            }
            if (open)
                yield return (first, end, tag);
            (first, end, tag, open) = (address, address + 4, value, true);
        }
        if (open)
            yield return (first, end, tag);
    }

    private static bool TryHex(string field, out uint value)
    {
        value = 0;
        return field.StartsWith("0x", StringComparison.Ordinal)
            && uint.TryParse(field.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
