using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Firmware;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Firmware;

/// <summary>
/// The bundled unikernel applications, built by the firmware builder and run on the Verilated SoC in lockstep with the
/// golden model: the console output is asserted.
/// </summary>
[TestFixture]
public sealed partial class UnikernelAppTests
{
    [Test]
    public void HelloGreetsFromTwoThreadsWhileTheTimerTicks()
    {
        var build = UnikernelTestSupport.Built("hello");

        var result = SimRunner.Run(new SimOptions(build.ElfPath) { Cosim = true, MaxCycles = 5_000_000, Progress = TestContext.Progress.WriteLine });

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), result.Uart);
            Assert.That(result.Uart, Is.EqualTo("""
                Hello from the HwGen unikernel!
                ping: line 1 of 3 (thread 1)
                pong!: line 1 of 3 (thread 2)
                ping: line 2 of 3 (thread 1)
                pong!: line 2 of 3 (thread 2)
                ping: line 3 of 3 (thread 1)
                pong!: line 3 of 3 (thread 2)
                joined: ping returned 4, pong returned 5
                timer: ticking

                """));
        });
    }

    [Test]
    public void BenchComputesTheReferenceResultsAndCountsCyclesAndInstructions()
    {
        var build = UnikernelTestSupport.Built("bench");

        var result = SimRunner.Run(new SimOptions(build.ElfPath) { Cosim = true, MaxCycles = 20_000_000, Progress = TestContext.Progress.WriteLine });

        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), result.Uart);
        var lines = result.Uart.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2), result.Uart);
        var crc = ParseReport(lines[0], "crc");
        var mix = ParseReport(lines[1], "mix");
        Assert.Multiple(() =>
        {
            Assert.That(crc.Result, Is.EqualTo(BenchReference.Crc()), "crc result");
            Assert.That(mix.Result, Is.EqualTo(BenchReference.Mix()), "mix result");
            // Each byte of the CRC takes a handful of instructions; each mix element a call and a few loads and stores.
            Assert.That(crc.Instructions, Is.InRange(BenchReference.Words * 4 * BenchReference.CrcRounds * 5UL, BenchReference.Words * 4 * BenchReference.CrcRounds * 20UL));
            Assert.That(mix.Instructions, Is.InRange(BenchReference.Words * BenchReference.MixRounds * 8UL, BenchReference.Words * BenchReference.MixRounds * 40UL));
            // The two workloads are most of the run, and every instruction takes at least a cycle.
            Assert.That(crc.Instructions + mix.Instructions, Is.InRange(result.Instret * 9 / 10, result.Instret));
            Assert.That(crc.Cycles, Is.GreaterThanOrEqualTo(crc.Instructions));
            Assert.That(mix.Cycles, Is.GreaterThanOrEqualTo(mix.Instructions));
            Assert.That(crc.Cpi, Is.EqualTo((double)crc.Cycles / crc.Instructions).Within(0.0006));
        });
    }

    private sealed record Report(uint Result, ulong Instructions, ulong Cycles, double Cpi);

    private static Report ParseReport(string line, string name)
    {
        var match = ReportLine().Match(line);
        Assert.That(match.Success && match.Groups["name"].Value == name, Is.True, $"not a '{name}' report: {line}");
        return new Report(
            uint.Parse(match.Groups["result"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(match.Groups["instructions"].Value, CultureInfo.InvariantCulture),
            ulong.Parse(match.Groups["cycles"].Value, CultureInfo.InvariantCulture),
            double.Parse(match.Groups["cpi"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<name>\w+): result 0x(?<result>[0-9a-f]{8}), (?<instructions>\d+) instructions, (?<cycles>\d+) cycles, CPI (?<cpi>\d+\.\d{3})$")]
    private static partial Regex ReportLine();
}

/// <summary>firmware/apps/bench/bench.c's workloads, step by step, at its default sizes.</summary>
internal static class BenchReference
{
    public const int Words = 1024;
    public const int CrcRounds = 4;
    public const int MixRounds = 8;
    private const uint Seed = 0x2545f491;

    public static uint Crc()
    {
        var buffer = new uint[Words];
        uint crc = Seed;
        for (int round = 0; round < CrcRounds; round++)
        {
            Fill(buffer, crc == 0 ? Seed : crc);
            var bytes = new byte[Words * 4];
            for (int i = 0; i < Words; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), buffer[i]);
            crc = Crc32.Compute(bytes);
        }
        return crc;
    }

    public static uint Mix()
    {
        var buffer = new uint[Words];
        Fill(buffer, Seed);
        for (int round = 0; round < MixRounds; round++)
        {
            for (uint i = 0; i < Words; i++)
                buffer[i] = ((buffer[i] << 5) ^ (buffer[(i * 7 + 3) % Words] >> 3)) + i;
        }
        uint sum = 0;
        foreach (var word in buffer)
            sum = (sum ^ word) * 0x01000193u;
        return sum;
    }

    private static void Fill(uint[] buffer, uint state)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            buffer[i] = state;
        }
    }
}
