using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HwGen.Firmware;

internal static class Hex
{
    /// <summary><c>0x</c> and eight upper-case hex digits: the form every generated file uses for addresses.</summary>
    public static string Word(uint value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>
    /// The <c>$readmemh</c> text of a memory image: one <c>//</c> comment line (<paramref name="title"/>, the word count
    /// and <paramref name="baseAddress"/>), then one little-endian 32-bit word of <paramref name="payload"/> (a whole
    /// number of words) per line, eight lower-case hex digits.
    /// </summary>
    public static string Readmemh(string title, uint baseAddress, ReadOnlySpan<byte> payload)
    {
        var text = new StringBuilder(payload.Length / 4 * 9 + 80);
        text.Append(CultureInfo.InvariantCulture, $"// {title}: {payload.Length / 4} words from {Word(baseAddress)}, one per line\n");
        for (int offset = 0; offset + 4 <= payload.Length; offset += 4)
            text.Append(BinaryPrimitives.ReadUInt32LittleEndian(payload[offset..]).ToString("x8", CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }
}
