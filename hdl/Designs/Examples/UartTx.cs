using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Examples;

/// <summary>
/// A UART transmitter, 8 data bits, no parity, one stop bit (8N1). A byte is taken when <c>Valid</c> and
/// <c>Ready</c> are both 1; <c>Tx</c> idles high.
/// </summary>
public sealed class UartTx : Module
{
    public UartTx(int clocksPerBit = 104)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clocksPerBit, 2);
        ClocksPerBit = clocksPerBit;
        baudCounter = Reg(Shape.BitsFor((ulong)clocksPerBit), reset: 0);
    }

    /// <summary>Clock cycles per bit: the clock frequency divided by the baud rate.</summary>
    [Parameter]
    public int ClocksPerBit { get; }

    public readonly Signal Data = In(8);
    public readonly Signal Valid = In(1);
    public readonly Signal Ready = Out(1);
    public readonly Signal Tx = Out(1);

    /// <summary>Stop bit, data bits (LSB first) and start bit, shifted out from bit 0.</summary>
    private readonly Signal shifter = Reg(10, reset: 0x3FF);
    private readonly Signal bitsLeft = Reg(4, reset: 0);
    private readonly Signal baudCounter;

    protected override void Build()
    {
        var idle = bitsLeft.Eq(0).Named("idle");
        var bitDone = baudCounter.Eq(ClocksPerBit - 1).Named("bitDone");

        When(idle, () =>
        {
            When(Valid, () =>
            {
                shifter.Set(Cat(U(1, 1), Data, U(0, 1)));
                bitsLeft.Set(10);
                baudCounter.Set(0);
            });
        }).Otherwise(() =>
        {
            When(bitDone, () =>
            {
                baudCounter.Set(0);
                shifter.Set(Cat(U(1, 1), shifter[9, 1]));
                bitsLeft.Set(bitsLeft - 1);
            }).Otherwise(() => baudCounter.Set(baudCounter + 1));
        });

        Ready.Set(idle);
        Tx.Set(shifter[0]);
    }
}
