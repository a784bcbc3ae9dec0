using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Programs;

/// <summary>
/// The CRC-32 benchmark (firmware/bench/crc32.c) on the golden model: it must print the value that
/// <see cref="Reference"/> computes and end with exit code 0.
/// </summary>
[TestFixture]
public sealed class Crc32Tests
{
    // The defaults of crc32.c; a test below overrides them through -D to check the reference once more.
    private const int BufferWords = 4096;
    private const int Rounds = 19;
    private const uint Seed = 0x2545f491;

    [Test]
    public void PrintsTheReferenceValue()
    {
        var run = Run(defines: null);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
            Assert.That(run.Result.UartOutput, Is.EqualTo(ExpectedOutput(BufferWords, Rounds)), run.Describe);
            // The benchmark is sized for about 20 million instructions.
            Assert.That(run.Result.Instret, Is.InRange(15_000_000UL, 30_000_000UL), run.Describe);
        });
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crc32: {run.Result.Instret} instructions retired"));
    }

    [Test]
    public void PrintsTheReferenceValueForOtherSizes()
    {
        var run = Run(new Dictionary<string, string?> { ["CRC32_BUFFER_WORDS"] = "333", ["CRC32_ROUNDS"] = "3" });

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
            Assert.That(run.Result.UartOutput, Is.EqualTo(ExpectedOutput(333, 3)), run.Describe);
        });
    }

    /// <summary>The reference itself, against the standard CRC-32 check value of "123456789".</summary>
    [Test]
    public void ReferenceCrcMatchesTheStandardCheckValue()
    {
        Assert.That(~CrcUpdate(0xffffffff, "123456789"u8), Is.EqualTo(0xcbf43926u));
    }

    private static FirmwareRun Run(IReadOnlyDictionary<string, string?>? defines)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-firmware-tests", "bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var source = FirmwareSources.WriteBenchmark("crc32.c", directory);
            return FirmwareTestSupport.BuildAndRun([source], includeRuntime: true, maxInstructions: 100_000_000, defines: defines);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string ExpectedOutput(int bufferWords, int rounds) =>
        string.Create(CultureInfo.InvariantCulture, $"crc32 0x{Reference(bufferWords, rounds):x8}\n");

    /// <summary>crc32.c's computation, step by step.</summary>
    internal static uint Reference(int bufferWords, int rounds)
    {
        var buffer = new uint[bufferWords];
        uint state = Seed;
        for (int i = 0; i < buffer.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            buffer[i] = state;
        }

        var bytes = new byte[bufferWords * 4];
        uint result = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < buffer.Length; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), buffer[i]);
            uint crc = ~CrcUpdate(0xffffffff, bytes);

            uint accumulator = crc;
            for (int i = 0; i < buffer.Length; i++)
            {
                uint word = BitOperations.RotateLeft(buffer[i] ^ accumulator, (int)(((uint)i + crc) & 31));
                word += word >> 7;
                accumulator = BitOperations.RotateLeft(accumulator, 3) ^ word;
                buffer[i] = word;
            }
            result = BitOperations.RotateLeft(result, 5) ^ crc ^ accumulator;
        }
        return result;
    }

    private static uint CrcUpdate(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
        return crc;
    }
}
