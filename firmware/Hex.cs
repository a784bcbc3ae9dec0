using System.Globalization;

namespace HwGen.Firmware;

internal static class Hex
{
    /// <summary><c>0x</c> and eight upper-case hex digits: the form every generated file uses for addresses.</summary>
    public static string Word(uint value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);
}
