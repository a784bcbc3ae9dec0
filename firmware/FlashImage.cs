using System.Buffers.Binary;
using HwGen.Designs.Soc;
using HwGen.Sim.Model.Elf;

namespace HwGen.Firmware;

/// <summary>A firmware image that cannot be made or read; the message is one line naming the file.</summary>
public sealed class FlashImageException : Exception
{
    public FlashImageException(string message)
        : base(message)
    {
    }

    public FlashImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A program as the boot loader finds it in the SPI flash: a 24-byte header, then the payload, the bytes
/// it copies into RAM before it jumps to the entry point.
/// </summary>
/// <remarks>
/// <para>Header: six little-endian 32-bit words.</para>
/// <list type="table">
/// <item><term>+0</term><description><see cref="Magic"/>: the ASCII bytes <c>HWG1</c> (word 0x31475748)</description></item>
/// <item><term>+4</term><description>payload length in bytes</description></item>
/// <item><term>+8</term><description>load address: where the payload's first byte goes</description></item>
/// <item><term>+12</term><description>entry address: where the boot loader jumps</description></item>
/// <item><term>+16</term><description>CRC-32 (<see cref="Crc32"/>) of the payload</description></item>
/// <item><term>+20</term><description>CRC-32 of the header's bytes +0 to +19</description></item>
/// </list>
/// <para>The boot loader (firmware/boot/boot.c) accepts an image when the magic and both CRCs match, the
/// payload fits between the load address and <see cref="BootStackReserve"/> bytes below the end of RAM, and
/// the entry point lies inside the payload; <see cref="Validate"/> applies the same rules.</para>
/// </remarks>
public sealed class FlashImage
{
    /// <summary>The first header word: the bytes <c>H</c> <c>W</c> <c>G</c> <c>1</c> read as a little-endian word.</summary>
    public const uint Magic = 0x3147_5748;

    /// <summary>The size of the header in bytes.</summary>
    public const int HeaderBytes = 24;

    /// <summary>
    /// Bytes at the top of RAM that the payload may not reach: the boot loader's stack lives there while it
    /// copies.
    /// </summary>
    public const uint BootStackReserve = 1024;

    private readonly byte[] _payload;

    private FlashImage(uint loadAddress, uint entryAddress, byte[] payload)
    {
        LoadAddress = loadAddress;
        EntryAddress = entryAddress;
        _payload = payload;
        PayloadCrc = Crc32.Compute(payload);
        HeaderCrc = Crc32.Compute(HeaderPrefix(loadAddress, entryAddress, (uint)payload.Length, PayloadCrc));
    }

    /// <summary>Where the boot loader copies the payload.</summary>
    public uint LoadAddress { get; }

    /// <summary>Where the boot loader jumps once the payload is in RAM.</summary>
    public uint EntryAddress { get; }

    /// <summary>The bytes copied into RAM.</summary>
    public ReadOnlySpan<byte> Payload => _payload;

    /// <summary>The payload's length in bytes (header word +4).</summary>
    public uint PayloadLength => (uint)_payload.Length;

    /// <summary>CRC-32 of the payload (header word +16).</summary>
    public uint PayloadCrc { get; }

    /// <summary>CRC-32 of the header's first five words (header word +20).</summary>
    public uint HeaderCrc { get; }

    /// <summary>The image's size in the flash: header and payload.</summary>
    public int TotalBytes => HeaderBytes + _payload.Length;

    /// <summary>An image of <paramref name="payload"/> for <paramref name="loadAddress"/>, entered at <paramref name="entryAddress"/>.</summary>
    public static FlashImage Create(uint loadAddress, uint entryAddress, ReadOnlySpan<byte> payload) =>
        new(loadAddress, entryAddress, payload.ToArray());

    /// <summary>The largest payload the boot loader copies to the RAM base of <paramref name="map"/>.</summary>
    public static uint MaxPayloadBytes(MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.RamSize > BootStackReserve ? map.RamSize - BootStackReserve : 0;
    }

    /// <summary>
    /// The image of the RV32 executable <paramref name="elfPath"/> for <paramref name="map"/>: its loadable
    /// segments laid out from the RAM base (gaps zero-filled, the zero tail of a segment such as .bss left
    /// out, the length rounded up to whole words), entered at the ELF's entry point.
    /// </summary>
    /// <exception cref="FlashImageException">The file is missing or not an RV32 executable, a segment or the
    /// entry lies outside RAM, or the image does not fit in RAM below the boot loader's stack.</exception>
    public static FlashImage FromElf(string elfPath, MemoryMap map)
    {
        ArgumentException.ThrowIfNullOrEmpty(elfPath);
        ArgumentNullException.ThrowIfNull(map);
        ElfImage elf;
        try
        {
            elf = ElfImage.Load(elfPath, map);
        }
        catch (ElfFormatException ex)
        {
            throw new FlashImageException(ex.Message, ex);
        }

        uint ramBase = map.RamBase;
        ulong end = ramBase;
        foreach (var segment in elf.Segments.Where(s => s.FileSize > 0))
            end = Math.Max(end, (ulong)segment.Address + segment.FileSize);
        if (end == ramBase)
            throw new FlashImageException($"{elfPath}: no loadable bytes: every PT_LOAD segment is empty in the file (only .bss?)");
        ulong length = (end - ramBase + 3) & ~3UL;
        uint limit = MaxPayloadBytes(map);
        if (length > limit)
            throw new FlashImageException(
                $"{elfPath}: the program is {length} bytes from the RAM base {Hex.Word(ramBase)}, {length - limit} more than the {limit} bytes " +
                $"the boot loader can fill (RAM of {map.RamSize} bytes less {BootStackReserve} for its stack)");
        if (elf.Entry - ramBase >= length)
            throw new FlashImageException(
                $"{elfPath}: the entry point {Hex.Word(elf.Entry)} is not inside the loaded bytes {Hex.Word(ramBase)}..{Hex.Word((uint)(ramBase + length - 1))}");

        var payload = new byte[length];
        foreach (var segment in elf.Segments.Where(s => s.FileSize > 0))
            segment.Data.AsSpan(0, (int)segment.FileSize).CopyTo(payload.AsSpan((int)(segment.Address - ramBase)));
        return new FlashImage(ramBase, elf.Entry, payload);
    }

    /// <summary>The header followed by the payload, as written to the flash.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[TotalBytes];
        HeaderPrefix(LoadAddress, EntryAddress, PayloadLength, PayloadCrc).CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), HeaderCrc);
        _payload.CopyTo(bytes.AsSpan(HeaderBytes));
        return bytes;
    }

    /// <summary>
    /// Reads an image from the start of <paramref name="bytes"/> (anything after the payload is ignored) and
    /// checks its magic, both CRCs and that the payload is all there; <paramref name="origin"/> names it in errors.
    /// </summary>
    /// <exception cref="FlashImageException">The bytes are not an intact image.</exception>
    public static FlashImage Parse(ReadOnlySpan<byte> bytes, string origin)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        if (bytes.Length < HeaderBytes)
            throw new FlashImageException($"{origin}: {bytes.Length} bytes, shorter than the {HeaderBytes}-byte image header");
        static uint Word(ReadOnlySpan<byte> header, int index) => BinaryPrimitives.ReadUInt32LittleEndian(header[(index * 4)..]);
        uint magic = Word(bytes, 0), length = Word(bytes, 1), load = Word(bytes, 2), entry = Word(bytes, 3);
        uint payloadCrc = Word(bytes, 4), headerCrc = Word(bytes, 5);
        if (magic != Magic)
            throw new FlashImageException($"{origin}: no firmware image (magic {Hex.Word(magic)}, expected {Hex.Word(Magic)} \"HWG1\")");
        uint computedHeader = Crc32.Compute(bytes[..20]);
        if (computedHeader != headerCrc)
            throw new FlashImageException($"{origin}: bad header crc: image {Hex.Word(headerCrc)}, computed {Hex.Word(computedHeader)}");
        if ((ulong)length > (ulong)bytes.Length - HeaderBytes)
            throw new FlashImageException($"{origin}: the header announces {length} payload bytes, but only {bytes.Length - HeaderBytes} follow it");
        var payload = bytes.Slice(HeaderBytes, (int)length);
        uint computedPayload = Crc32.Compute(payload);
        if (computedPayload != payloadCrc)
            throw new FlashImageException($"{origin}: bad crc: image {Hex.Word(payloadCrc)}, computed {Hex.Word(computedPayload)}");
        return new FlashImage(load, entry, payload.ToArray());
    }

    /// <summary>
    /// Checks what the boot loader checks before it copies: the payload lies in the RAM of <paramref name="map"/>
    /// below the boot loader's stack, and the entry point inside the payload.
    /// </summary>
    /// <exception cref="FlashImageException">The boot loader would refuse the image.</exception>
    public void Validate(MemoryMap map, string origin)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        var ram = map.Ram;
        uint limit = MaxPayloadBytes(map);
        if (!ram.Contains(LoadAddress))
            throw new FlashImageException($"{origin}: load address {Hex.Word(LoadAddress)} is outside RAM {Hex.Word(ram.Base)}..{Hex.Word(ram.End - 1)}");
        if (LoadAddress - ram.Base > limit || PayloadLength > limit - (LoadAddress - ram.Base))
            throw new FlashImageException(
                $"{origin}: {PayloadLength} bytes at {Hex.Word(LoadAddress)} reach into the last {BootStackReserve} bytes of RAM, where the boot loader keeps its stack");
        if (EntryAddress - LoadAddress >= PayloadLength)
            throw new FlashImageException($"{origin}: entry point {Hex.Word(EntryAddress)} is not inside the payload at {Hex.Word(LoadAddress)} ({PayloadLength} bytes)");
    }

    private static byte[] HeaderPrefix(uint load, uint entry, uint length, uint payloadCrc)
    {
        var header = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), load);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), entry);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), payloadCrc);
        return header;
    }
}

/// <summary>
/// The flash contents a tagged board boots from, at the board's firmware offset: three <see cref="FlashImage"/>s back
/// to back, which the PEX's boot loader (firmware/boot/boot.c, built for a boot agent) reads in one pass.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><see cref="PexFirmware"/>: the policy firmware, loaded at the PEX RAM's base and entered.</item>
/// <item><see cref="Program"/>: the AP's program, as <see cref="FlashImage.FromElf"/> makes it for the AP's map (written
/// through the PEX's APRAM window; the AP starts at its RAM's base when the firmware releases it).</item>
/// <item><see cref="Tags"/>: the AP's initial tags, one little-endian 16-bit tag per word from the AP RAM's base up to
/// the last word whose tag is not 0 (or the program's end, whichever is further); its entry field is its load address.
/// The boot loader first sets every tag of the AP's RAM to 0.</item>
/// </list>
/// </remarks>
public sealed record TaggedFlashImage(FlashImage PexFirmware, FlashImage Program, FlashImage Tags)
{
    /// <summary>The three images of an AP program, its initial tags (word address to tag) and the PEX firmware.</summary>
    /// <param name="program">The AP's program image.</param>
    /// <param name="tags">The initial tag of every word whose tag is not 0.</param>
    /// <param name="pexFirmware">The policy firmware's image for the PEX's map (<see cref="FlashImage.FromElf"/>).</param>
    /// <param name="apMap">The AP's map: the tags must lie in its RAM.</param>
    /// <exception cref="FlashImageException">A tagged word lies outside the AP's RAM, or is not word aligned.</exception>
    public static TaggedFlashImage Create(FlashImage program, IReadOnlyDictionary<uint, ushort> tags, FlashImage pexFirmware, MemoryMap apMap)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(pexFirmware);
        ArgumentNullException.ThrowIfNull(apMap);
        var ram = apMap.Ram;
        uint words = program.PayloadLength / 4;
        foreach (var (address, tag) in tags)
        {
            if (tag == 0)
                continue;
            if (!ram.Contains(address) || address % 4 != 0)
                throw new FlashImageException($"tag image: the word {Hex.Word(address)} is not a word of the AP's RAM {Hex.Word(ram.Base)}..{Hex.Word(ram.End - 1)}");
            words = Math.Max(words, (address - ram.Base) / 4 + 1);
        }
        var tagBytes = new byte[words * 2];
        foreach (var (address, tag) in tags.Where(t => t.Value != 0))
            BinaryPrimitives.WriteUInt16LittleEndian(tagBytes.AsSpan((int)((address - ram.Base) / 4 * 2)), tag);
        return new TaggedFlashImage(pexFirmware, program, FlashImage.Create(ram.Base, ram.Base, tagBytes));
    }

    /// <summary>
    /// The three images of a unikernel built under a policy (<see cref="Unikernel.UnikernelBuildOptions.Policy"/>) for
    /// the tagged board's AP map <paramref name="apMap"/>: its PEX firmware (built for the PEX's default map, whose RAM
    /// and TAGCTL the board's PEX has at the same addresses), its program and its initial tags.
    /// </summary>
    /// <exception cref="FlashImageException">The build has no tag products, or an image does not fit.</exception>
    public static TaggedFlashImage Create(Unikernel.UnikernelBuildResult build, MemoryMap apMap)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(apMap);
        if (build.TagImage is null || !build.Files.TryGetValue("pex-elf", out var pexElf))
            throw new FlashImageException($"{build.Application}: built without a policy: no tag image and no PEX firmware to flash");
        return Create(FlashImage.FromElf(build.ElfPath, apMap), build.TagImage.Words, FlashImage.FromElf(pexElf, HwGen.Designs.Pex.PexMemoryMap.Default), apMap);
    }

    /// <summary>The three images' bytes, as written at the firmware offset.</summary>
    public byte[] ToBytes() => [.. PexFirmware.ToBytes(), .. Program.ToBytes(), .. Tags.ToBytes()];

    /// <summary>
    /// Reads the three images from the start of <paramref name="bytes"/>, each checked as <see cref="FlashImage.Parse"/>
    /// does; <paramref name="origin"/> names the bytes in errors.
    /// </summary>
    public static TaggedFlashImage Parse(ReadOnlySpan<byte> bytes, string origin)
    {
        var pex = FlashImage.Parse(bytes, origin + " (PEX firmware)");
        bytes = bytes[pex.TotalBytes..];
        var program = FlashImage.Parse(bytes, origin + " (program)");
        bytes = bytes[program.TotalBytes..];
        var tags = FlashImage.Parse(bytes, origin + " (tags)");
        return new TaggedFlashImage(pex, program, tags);
    }

    /// <summary>The tag of each word of <see cref="Tags"/>, by AP byte address (0s included).</summary>
    public IReadOnlyDictionary<uint, ushort> TagWords()
    {
        var words = new SortedDictionary<uint, ushort>();
        var payload = Tags.Payload;
        for (int i = 0; i + 1 < payload.Length; i += 2)
            words[Tags.LoadAddress + (uint)(i * 2)] = BinaryPrimitives.ReadUInt16LittleEndian(payload[i..]);
        return words;
    }
}
