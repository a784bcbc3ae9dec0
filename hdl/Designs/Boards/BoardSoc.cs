using HwGen.Designs.Ice40;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Boards;

/// <summary>
/// The AP SoC on an FPGA board: the pins of the board file, the clock made from the oscillator by the
/// <see cref="ClockPlan"/> (the oscillator itself, an integer divider, or the PLL), a power-on reset, and the
/// <see cref="ApSoc"/> with the board's parts: single-port RAM (SPRAM on an UltraPlus), the boot ROM, a serial UART
/// at the board's baud rate, GPIO on the LEDs and buttons, and the SPI master on the configuration flash.
/// </summary>
/// <remarks>
/// Ports (the pcf places each one): <c>CLK</c>, <c>UART_RX</c>, <c>UART_TX</c>, <c>LED</c>, <c>BTN</c> (when the board
/// has buttons), <c>FLASH_SCK</c>, <c>FLASH_SS</c>, <c>FLASH_MOSI</c>, <c>FLASH_MISO</c>. The core is held in reset for
/// <see cref="ResetCycles"/> cycles after configuration (at least <see cref="MinResetMicroseconds"/> µs), and until the
/// PLL reports lock.
/// <para><b>Tagged</b> (<see cref="BoardPex"/>): the AP's core is tagged, its tags in one SPRAM
/// (<see cref="TagMemoryKind.Spram"/>: the tags of 64 KiB, the AP's RAM two other blocks), the board's tag
/// configuration otherwise (<see cref="TagConfig.ForBoard"/>), and beside it the policy coprocessor (<see cref="PexSoc"/>), its RAM the fourth SPRAM block. The
/// PEX is the boot agent: the boot ROM is the PEX's (the AP has none and starts at its RAM's base), and so is the SPI
/// master. Its boot loader reads the tagged flash image (<c>HwGen.Firmware.FlashImage</c>'s tagged layout): the policy
/// firmware into the PEX's RAM, the AP's program into the AP's RAM (through the PEX's APRAM window, the AP's loader
/// port), the AP's initial tags into tag memory (TAGCTL); then it enters the firmware, which programs the tag unit and
/// releases the AP.</para>
/// </remarks>
public sealed class BoardSoc : Module
{
    /// <summary>The shortest power-on reset, in cycles of the core clock.</summary>
    public const int MinResetCycles = 16;

    /// <summary>
    /// The shortest power-on reset, in microseconds: iCE40 block RAM reads 0 for a few microseconds after
    /// configuration, and the boot ROM is block RAM.
    /// </summary>
    public const double MinResetMicroseconds = 20;

    private static readonly ClockDomain Oscillator = new("osc");

    public BoardSoc(Board board, ClockPlan clock, IReadOnlyList<ulong> bootRom, CoreConfig? core = null, BoardPex? pex = null)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(bootRom);
        Board = board;
        Clock = clock;
        var map = board.MemoryMap;
        var parts = new SocParts
        {
            Ram = board.Ram == RamKind.Spram ? SocRam.Spram : SocRam.SinglePort,
            BootRom = bootRom,
            UartClocksPerBit = SerialUart.ClocksPerBitFor(clock.AchievedMHz * 1e6, board.UartBaud),
            Leds = board.Leds.Count,
            Buttons = board.Buttons.Count,
            SpiClocksPerHalfBit = SpiClocksPerHalfBitFor(clock.AchievedMHz),
        };
        if (pex is not null)
        {
            if (board.Ram != RamKind.Spram || map.RamSize > SpramTagMemory.SpramWords * 4)
                throw new ArgumentException($"a tagged board SoC keeps its tags in one SPRAM: its RAM must be SPRAM of at most {SpramTagMemory.SpramWords * 4 / 1024} KiB, not {board.Ram} of {map.RamSize / 1024} KiB", nameof(pex));
            // The PEX boots the system: the boot ROM and the SPI master are its own; the AP starts at its RAM's base.
            map = board.TaggedMemoryMap;
            Tags = TagConfig.ForBoard(map) with { Memory = TagMemoryKind.Spram };
            core = (core ?? CoreConfig.ForMemoryMap(map)) with { Tags = Tags };
            parts = parts with { BootRom = null, SpiClocksPerHalfBit = null };
            this.pex = new PexSoc(Tags, pex.Map, SocRam.Spram, board: new PexBoardParts(bootRom.Select(w => (uint)w).ToArray(), SpiClocksPerHalfBitFor(clock.AchievedMHz)));
        }
        // Every board is an iCE40: the core's counters are built from its logic cells.
        soc = new ApSoc(map, (core ?? CoreConfig.ForMemoryMap(map)) with { Ice40Cells = true }, parts);
        LED = Out(board.Leds.Count);
        if (board.Buttons.Count > 0)
            BTN = In(board.Buttons.Count);
        ResetCycles = Math.Max(MinResetCycles, (int)Math.Ceiling(MinResetMicroseconds * clock.AchievedMHz));
        resetCount = Reg(Shape.BitsFor((ulong)ResetCycles + 1), init: 0);
        if (clock.Source == ClockSource.Pll)
            pll = board.ClockPinIsPllPad ? new Pll40Pad(clock.Pll!) : new Pll40Core(clock.Pll!);
        else if (clock.Source == ClockSource.Divider)
        {
            divideCount = Reg(Shape.BitsFor((ulong)clock.Divider), domain: Oscillator, init: 0);
            dividedClock = Reg(1, domain: Oscillator, init: 0);
        }
    }

    public Board Board { get; }

    /// <summary>The policy coprocessor of a tagged board SoC; null when untagged.</summary>
    public PexSoc? Pex => pex;

    /// <summary>The tag configuration of a tagged board SoC; null when untagged.</summary>
    public TagConfig? Tags { get; }

    public ClockPlan Clock { get; }

    [Parameter]
    public string BoardName => Board.Name;

    /// <summary>Cycles of the core clock the power-on reset lasts: <see cref="MinResetMicroseconds"/>, at least <see cref="MinResetCycles"/>.</summary>
    [Parameter]
    public int ResetCycles { get; }

    [Parameter]
    public string ClockPlanText => Clock.Describe();

    /// <summary>The board's oscillator.</summary>
    public readonly Signal CLK = In(1);
    public readonly Signal UART_RX = In(1);
    public readonly Signal UART_TX = Out(1);
    /// <summary>The LEDs, at the board's polarity.</summary>
    public readonly Signal LED;
    /// <summary>The buttons, at the board's polarity; null when the board has none.</summary>
    public readonly Signal? BTN;
    public readonly Signal FLASH_SCK = Out(1);
    public readonly Signal FLASH_SS = Out(1);
    public readonly Signal FLASH_MOSI = Out(1);
    public readonly Signal FLASH_MISO = In(1);

    private readonly ApSoc soc;
    private readonly PexSoc? pex;
    private readonly Pll40? pll;
    private readonly Signal? divideCount;
    private readonly Signal? dividedClock;
    /// <summary>Counts the power-on reset; its power-on value is 0, the FPGA's configuration sets it.</summary>
    private readonly Signal resetCount;
    private readonly Signal lockSync = Reg(2, init: 0);

    protected override void Build()
    {
        Expr coreClock = CLK;
        Expr locked = U(1, 1);
        if (pll is not null)
        {
            // The PLL takes the oscillator straight from its pad when the board wires it there, else from the fabric.
            if (pll is Pll40Pad pad)
                pad.PACKAGEPIN.Set(CLK);
            else if (pll is Pll40Core core)
                core.REFERENCECLK.Set(CLK);
            pll.ConnectSimple();
            coreClock = pll.PLLOUTGLOBAL;
            locked = pll.LOCK;
        }
        else if (divideCount is not null && dividedClock is not null)
        {
            // An integer divider of the oscillator: the clock is high for the first half of every count.
            DriveDomain(Oscillator, CLK);
            int n = Clock.Divider;
            When(divideCount.Eq(n - 1), () => divideCount.Set(0)).Otherwise(() => divideCount.Set(divideCount + 1));
            dividedClock.Set(divideCount < (n / 2));
            coreClock = dividedClock;
        }

        // Power-on reset: ResetCycles cycles after configuration, and while the PLL has not locked.
        lockSync.Set(Cat(lockSync[0], locked));
        var resetDone = resetCount.Eq(ResetCycles).Named("resetDone");
        When(~lockSync[1], () => resetCount.Set(0)).ElseWhen(~resetDone, () => resetCount.Set(resetCount + 1));
        DriveDomain(ClockDomain.Default, coreClock, reset: ~resetDone);

        soc.UartRxd!.Set(UART_RX);
        UART_TX.Set(soc.UartTxd!);
        LED.Set(Board.Leds.ActiveLow ? ~soc.Leds! : soc.Leds!);
        if (BTN is not null)
            soc.Buttons!.Set(Board.Buttons.ActiveLow ? ~BTN : BTN);

        if (pex is null)
        {
            soc.Loader.Valid.Set(0);
            soc.Loader.Address.Set(0);
            soc.Loader.Data.Set(0);
            FLASH_SCK.Set(soc.FlashSck!);
            FLASH_SS.Set(soc.FlashSs!);
            FLASH_MOSI.Set(soc.FlashMosi!);
            soc.FlashMiso!.Set(FLASH_MISO);
        }
        else
        {
            // The tagged system, as TaggedSoc joins it; the PEX's boot loader writes the AP's RAM (its loader port)
            // and its tags (through TAGCTL), so the tag loader is idle.
            soc.Loader.Connect(pex.ApLoader!);
            soc.TagLoader!.Valid.Set(0);
            soc.TagLoader.Index.Set(0);
            soc.TagLoader.Tag.Set(0);
            pex.Loader.Valid.Set(0);
            pex.Loader.Address.Set(0);
            pex.Loader.Data.Set(0);
            pex.Tags.Connect(soc.Pex!);
            pex.Call.Connect(soc.PexCall!);
            soc.Hold!.Set(pex.ApReset);
            FLASH_SCK.Set(pex.FlashSck!);
            FLASH_SS.Set(pex.FlashSs!);
            FLASH_MOSI.Set(pex.FlashMosi!);
            pex.FlashMiso!.Set(FLASH_MISO);
        }
    }

    /// <summary>The SPI clock divisor that keeps SCK at or below 25 MHz (the flash's READ command allows 50).</summary>
    public static int SpiClocksPerHalfBitFor(double clockMHz) => Math.Max(1, (int)Math.Ceiling(clockMHz / 50.0));
}

/// <summary>The policy coprocessor of a tagged board SoC, the boot agent: its memory map (<see cref="PexMemoryMap.Board"/>).</summary>
/// <remarks>The board SoC's boot ROM image is then the PEX's boot loader.</remarks>
public sealed record BoardPex(MemoryMap Map);
