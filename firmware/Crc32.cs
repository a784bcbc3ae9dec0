namespace HwGen.Firmware;

/// <summary>
/// CRC-32 as zlib, Ethernet and PNG compute it (IEEE 802.3: reflected polynomial 0xEDB88320, initial value
/// and final xor 0xFFFFFFFF). <c>Compute("123456789")</c> is <c>0xCBF43926</c>. The boot loader computes the
/// same function bit by bit (firmware/boot/boot.c).
/// </summary>
public static class Crc32
{
    private const uint Polynomial = 0xEDB8_8320;

    private static readonly uint[] s_table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFF_FFFF, data);

    /// <summary>
    /// Folds <paramref name="data"/> into a running CRC register; start with 0xFFFFFFFF and invert the
    /// result (which is what <see cref="Compute"/> does).
    /// </summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++)
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
