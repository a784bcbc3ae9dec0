using HwGen.Designs.Soc;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Soc;

/// <summary>
/// The console UART on serial lines against its bench (Benches/SerialUart_tb.v) with the board's serial monitor
/// (sim/Board/uart_monitor.v) on its output, under both simulators; and the divisor helper.
/// </summary>
[TestFixture]
public sealed class SerialUartTests
{
    private static readonly string[] s_scenarios =
        ["tx-back-to-back", "tx-after-idle", "rx-nominal", "rx-slow", "rx-fast", "rx-framing-error", "rx-glitch", "rx-overrun"];

    [Test]
    public void SendsAndReceivesFramesUnderEverySimulator([Values] Simulator simulator, [Values(4, 16)] int rxFifoDepth)
    {
        var map = MemoryMap.Ice40Up5k;
        var uart = new SerialUart(map, clocksPerBit: 16, rxFifoDepth: rxFifoDepth);
        var lines = DeviceBench.AssertPasses(
            "serial-uart", uart, simulator,
            new Dictionary<string, int>
            {
                ["CLOCKS_PER_BIT"] = uart.ClocksPerBit,
                ["RX_FIFO_DEPTH"] = uart.RxFifoDepth,
                ["DATA_OFFSET"] = (int)map.UartDataOffset,
                ["STATUS_OFFSET"] = (int)map.UartStatusOffset,
            },
            models: ["uart_monitor.v"],
            expectedLines: [.. s_scenarios.Select(s => "PASS " + s)]);
        // The monitor printed what the UART sent: "U*Hw" and a newline.
        Assert.That(lines, Does.Contain("U*Hw"));
    }

    [TestCase(12e6, 115_200, ExpectedResult = 104)]
    [TestCase(12e6, 9_600, ExpectedResult = 1250)]
    [TestCase(48e6, 1_000_000, ExpectedResult = 48)]
    [TestCase(30e6, 115_200, ExpectedResult = 260)]
    [TestCase(1_000_000, 125_000, ExpectedResult = 8)]
    public int ClocksPerBitRounds(double clockHz, int baud) => SerialUart.ClocksPerBitFor(clockHz, baud);

    [TestCase(1_000_000, 150_000, "at least 8")]     // 6.7 rounds to 7
    [TestCase(12e6, 1_300_000, "off")]              // 9.2 rounds to 9: 1,333,333 baud
    [TestCase(12e6, 0, "positive")]
    [TestCase(0.0, 9_600, "positive")]
    public void ClocksPerBitRefusesWhatTheReceiverCannotTake(double clockHz, int baud, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => SerialUart.ClocksPerBitFor(clockHz, baud));
        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void TheConstructorRefusesFewerThanEightClocksPerBit() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SerialUart(MemoryMap.Ice40Up5k, clocksPerBit: 7));
}
