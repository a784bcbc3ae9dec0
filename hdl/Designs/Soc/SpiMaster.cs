using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// An SPI master for the board's configuration flash: mode 0 (<see cref="Sck"/> idles low, both sides sample
/// on its rising edge and change on its falling edge), 8-bit transfers, most significant bit first, SCK at
/// clk / (2 × <see cref="ClocksPerHalfBit"/>). Registers at the offsets of the <see cref="MemoryMap"/>; reads
/// answer in the cycle after the access, like the RAM.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>register</term><description>access</description></listheader>
/// <item><term><c>SpiDataOffset</c> write</term><description>start a transfer: the low byte goes out on
/// <see cref="Mosi"/> while a byte comes in on <see cref="Miso"/>. A write while a transfer is in progress
/// (control bit 1) is ignored: software polls the busy bit first.</description></item>
/// <item><term><c>SpiDataOffset</c> read</term><description>bits 7:0: the byte received by the last transfer
/// (while a transfer is in progress, the bits shifted so far).</description></item>
/// <item><term><c>SpiControlOffset</c> write</term><description>bit 0: select (1 drives <see cref="Ss"/> low).
/// Takes effect at once, also during a transfer.</description></item>
/// <item><term><c>SpiControlOffset</c> read</term><description>bit 0: select; bit 1: busy, a transfer is in
/// progress. A transfer takes 16 × <see cref="ClocksPerHalfBit"/> cycles from the write.</description></item>
/// </list>
/// MOSI holds the first bit from the write on; SCK rises <see cref="ClocksPerHalfBit"/> cycles later. MISO is
/// sampled on the clock edge that raises SCK: the flash drives it from the previous falling edge, so it has
/// one half bit to settle.
/// </remarks>
public sealed class SpiMaster : Module
{
    /// <param name="map">The memory map giving the register offsets and the size of the device's region.</param>
    /// <param name="clocksPerHalfBit">Clock cycles per half SCK period, at least 1 (SCK = clk / 2).</param>
    public SpiMaster(MemoryMap map, int clocksPerHalfBit = 1)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(clocksPerHalfBit, 1);
        DataOffset = map.SpiDataOffset;
        ControlOffset = map.SpiControlOffset;
        ClocksPerHalfBit = clocksPerHalfBit;
        Offset = In(Shape.BitsFor(map.SpiFlashSize));
        if (clocksPerHalfBit > 1)
            divider = Reg(Shape.BitsFor((ulong)clocksPerHalfBit), reset: 0);
    }

    [Parameter]
    public uint DataOffset { get; }

    [Parameter]
    public uint ControlOffset { get; }

    /// <summary>Clock cycles per half period of SCK.</summary>
    [Parameter]
    public int ClocksPerHalfBit { get; }

    /// <summary>1 when the processor accesses this device in this cycle.</summary>
    public readonly Signal Select = In(1);
    public readonly Signal Write = In(1);
    /// <summary>The byte offset of the access within the device.</summary>
    public readonly Signal Offset;
    public readonly Signal Wdata = In(32);
    /// <summary>The register read, in the cycle after the access; 0 in every other cycle (a quiet device for the <see cref="Interconnect"/>).</summary>
    public readonly Signal Rdata = Out(32);

    /// <summary>The SPI clock (idles low).</summary>
    public readonly Signal Sck = Out(1);
    /// <summary>Chip select, active low: 0 while the select bit is 1.</summary>
    public readonly Signal Ss = Out(1);
    /// <summary>Data to the flash.</summary>
    public readonly Signal Mosi = Out(1);
    /// <summary>Data from the flash.</summary>
    public readonly Signal Miso = In(1);

    /// <summary>Out from bit 7, in at bit 0 on each falling edge: after eight bits it holds the byte received.</summary>
    private readonly Signal shifter = Reg(8, reset: 0);
    /// <summary>MISO as sampled on the last rising edge of SCK.</summary>
    private readonly Signal sampled = Reg(1, reset: 0);
    private readonly Signal sck = Reg(1, reset: 0);
    private readonly Signal ssN = Reg(1, reset: 1, init: 1);
    private readonly Signal busy = Reg(1, reset: 0);
    /// <summary>Falling edges of SCK so far in this transfer.</summary>
    private readonly Signal bitCount = Reg(3, reset: 0);
    private readonly Signal? divider;
    private readonly Signal readData = Reg(8, reset: 0);

    protected override void Build()
    {
        var isData = Offset.Eq(DataOffset).Named("isData");
        var isControl = Offset.Eq(ControlOffset).Named("isControl");
        var write = (Select & Write).Named("write");
        var read = (Select & ~Write).Named("read");

        Expr halfDone = U(1, 1);
        if (divider is not null)
        {
            var done = divider.Eq(ClocksPerHalfBit - 1).Named("halfDone");
            halfDone = done;
            When(busy, () => divider.Set(Mux(done, U(0, divider.Width), divider + 1)))
                .Otherwise(() => divider.Set(0));
        }

        When(busy, () =>
        {
            When(halfDone, () =>
            {
                sck.Set(~sck);
                When(~sck, () => sampled.Set(Miso))
                    .Otherwise(() =>
                    {
                        shifter.Set(Cat(shifter[6, 0], sampled));
                        bitCount.Set(bitCount + 1);
                        When(bitCount.Eq(7), () => busy.Set(0));
                    });
            });
        }).ElseWhen(write & isData, () =>
        {
            shifter.Set(Wdata[7, 0]);
            busy.Set(1);
        });
        When(write & isControl, () => ssN.Set(~Wdata[0]));

        When(read & isData, () => readData.Set(shifter))
            .ElseWhen(read & isControl, () => readData.Set(Cat(U(0, 6), busy, ~ssN)))
            .Otherwise(() => readData.Set(0));

        Rdata.Set(readData.ZeroExtend(32));
        Sck.Set(sck);
        Ss.Set(ssN);
        Mosi.Set(shifter[7]);
    }
}
