using HwGen.Designs.Riscv;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Soc;

/// <summary>
/// For simulation: sits between a master and the interconnect on a <see cref="SystemBus"/> and adds pseudo-random
/// wait states, so that a master can be tested against a slow system: cycles where a request is not passed on
/// (its <see cref="SystemBus.Ready"/> is 0), and responses held back for a few cycles. The choices come from a
/// 32-bit linear-feedback shift register loaded from <see cref="Seed"/> in the first cycle after reset (a seed of 0
/// counts as 1), so a run is repeated exactly by its seed. With <see cref="Enable"/> 0 it passes everything through
/// unchanged.
/// </summary>
/// <remarks>
/// It also checks the master's side of the protocol: a request not taken (its Ready 0, here or behind) must be
/// presented again, unchanged, in the next cycle (valid, address, direction, byte enables, and for a write the data). A master that
/// withdraws or changes one gets every later response as an error, so that the fault shows (a co-simulation
/// diverges at the next access) rather than going unnoticed behind an interconnect that keeps no state.
/// <para>The bus protocol holds on both sides: a request passed on stays until taken (the stall only delays the start of
/// a request), every response is delivered once and in order, and with at most one request outstanding per master
/// a held response is always delivered before the next one arrives. A stall starts a request with probability
/// 1/<see cref="StallOneIn"/>; a response is delayed by 0 to <see cref="MaxResponseDelay"/> cycles, evenly.</para>
/// </remarks>
public sealed class WaitStateInjector : Module
{
    /// <summary>The Galois feedback of the shift register: x^32 + x^22 + x^2 + x + 1.</summary>
    private const uint Taps = 0x8020_0003;

    /// <param name="stallOneIn">A request waits a cycle with probability 1/this: a power of two from 2 to 256.</param>
    /// <param name="maxResponseDelay">The longest delay of a response, in cycles: one less than a power of two, 0 to 15.</param>
    public WaitStateInjector(int stallOneIn = 4, int maxResponseDelay = 3)
    {
        if (stallOneIn < 2 || stallOneIn > 256 || (stallOneIn & (stallOneIn - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(stallOneIn), stallOneIn, "a power of two from 2 to 256");
        if (maxResponseDelay < 0 || maxResponseDelay > 15 || ((maxResponseDelay + 1) & maxResponseDelay) != 0)
            throw new ArgumentOutOfRangeException(nameof(maxResponseDelay), maxResponseDelay, "one less than a power of two, from 0 to 15");
        StallOneIn = stallOneIn;
        MaxResponseDelay = maxResponseDelay;
    }

    [Parameter]
    public int StallOneIn { get; }

    [Parameter]
    public int MaxResponseDelay { get; }

    /// <summary>From the master.</summary>
    public readonly SystemBus Master = In(new SystemBus());

    /// <summary>To the interconnect.</summary>
    public readonly SystemBus Slave = Out(new SystemBus());

    /// <summary>The seed of the random choices, taken in the first cycle after reset.</summary>
    public readonly Signal Seed = In(32);

    /// <summary>0: no wait states.</summary>
    public readonly Signal Enable = In(1);

    protected override void Build()
    {
        // The random source: the seed in the first cycle, then one shift a cycle.
        var started = Reg(1, reset: 0);
        var lfsr = Reg(32, reset: 1);
        var seed = Mux(Seed.Eq(0), U(1, 32), Seed);
        var random = Mux(started, lfsr, seed).Named("random");
        started.Set(1);
        lfsr.Set(Mux(random[0], (random >> 1) ^ Taps, random >> 1));

        // Requests: a stall may delay the start of a request, never withdraw one already passed on.
        int stallBits = System.Numerics.BitOperations.Log2((uint)StallOneIn);
        var presented = Reg(1, reset: 0);
        var stall = (Enable & random[stallBits - 1, 0].Eq(0) & ~presented).Named("stall");
        Slave.Valid.Set(Master.Valid & ~stall);
        Slave.Address.Set(Master.Address);
        Slave.Write.Set(Master.Write);
        Slave.ByteEnable.Set(Master.ByteEnable);
        Slave.WriteData.Set(Master.WriteData);
        Master.Ready.Set(Slave.Ready & ~stall);
        presented.Set(Master.Valid & ~stall & ~Slave.Ready);

        // The master's side: a request not taken (held back here, or not taken behind) comes again unchanged.
        var notTaken = Reg(1, reset: 0).Named("notTaken");
        notTaken.Set(Master.Valid & ~(Slave.Ready & ~stall));
        var heldAddress = Reg(32);
        var heldWrite = Reg(1);
        var heldByteEnable = Reg(4);
        var heldWriteData = Reg(32);
        heldAddress.Set(Master.Address);
        heldWrite.Set(Master.Write);
        heldByteEnable.Set(Master.ByteEnable);
        heldWriteData.Set(Master.WriteData);
        var changed = (~Master.Valid | Master.Address.Ne(heldAddress) | Master.Write.Ne(heldWrite) |
            Master.ByteEnable.Ne(heldByteEnable) | (Master.Write & Master.WriteData.Ne(heldWriteData))).Named("changed");
        var broken = Reg(1, reset: 0).Named("broken");
        When(notTaken & changed, () => broken.Set(1));

        // Responses: passed on at once, or held for a random number of cycles.
        if (MaxResponseDelay == 0)
        {
            Master.ResponseValid.Set(Slave.ResponseValid);
            Master.ReadData.Set(Mux(broken, 0, Slave.ReadData));
            Master.Error.Set(Slave.Error | broken);
            return;
        }
        int delayBits = System.Numerics.BitOperations.Log2((uint)MaxResponseDelay + 1);
        // Bits of the shift register that the stall does not use, so the two choices are not tied.
        var delay = (random[stallBits + delayBits - 1, stallBits] & Mux(Enable, U((ulong)MaxResponseDelay, delayBits), U(0, delayBits))).Named("delay");
        var holding = Reg(1, reset: 0);
        var remaining = Reg(delayBits, reset: 0);
        var heldData = Reg(32, reset: 0);
        var heldError = Reg(1, reset: 0);
        var arrives = Slave.ResponseValid;
        var hold = (arrives & delay.Ne(0)).Named("hold");
        var release = (holding & remaining.Eq(0)).Named("release");
        When(hold, () =>
        {
            holding.Set(1);
            remaining.Set(delay - 1);
            heldData.Set(Slave.ReadData);
            heldError.Set(Slave.Error);
        }).ElseWhen(release, () => holding.Set(0))
          .ElseWhen(holding, () => remaining.Set(remaining - 1));
        var now = (arrives & ~hold).Named("now");
        Master.ResponseValid.Set(now | release);
        Master.ReadData.Set(Mux(broken, 0, Mux(release, heldData, Slave.ReadData)));
        Master.Error.Set(Mux(release, heldError, Slave.Error) | broken);
    }
}
