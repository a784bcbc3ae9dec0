using System.Globalization;
using HwGen.Designs.Boards;
using HwGen.Designs.Ice40;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware;
using HwGen.Gen.Fpga;

namespace HwGen.Cli.Commands;

/// <summary>
/// The designs <c>hwgen fpga build --design</c> builds for a board: the board SoC (its clock plan, its boot loader
/// built for that clock, and the top module), or the core alone in a <see cref="RegisteredWrapper"/>.
/// </summary>
internal static class BoardDesign
{
    /// <summary>The core clock the application processor is designed for: the default target of <c>--design core</c>.</summary>
    public const double CoreTargetMHz = 30;

    /// <summary>
    /// The LUT4s the application processor's core may take on the UP5K (its trace removed), so that the tagged SoC fits
    /// with the tag unit, the rule cache and the PEX beside it.
    /// </summary>
    public const int CoreLut4Budget = 2800;

    /// <summary>The core's port left unconnected in <see cref="CreateCore"/>: its retirement trace, which synthesis removes.</summary>
    public const string CoreTracePort = nameof(Core.Trace);

    /// <summary>The tagged memory of <c>--design core-tagged</c>: 512 words, their tags in 2 block RAMs per read port.</summary>
    public const uint TaggedBytesOnBlockRam = 2048;

    /// <summary>The designs by their <c>--design</c> name, the default first.</summary>
    public static IReadOnlyDictionary<string, Func<Board, double?, BoardTop>> All { get; } = new Dictionary<string, Func<Board, double?, BoardTop>>
    {
        ["soc"] = Create,
        ["core"] = (board, mhz) => CreateCore(board, mhz),
        ["core-tagged"] = (board, mhz) => CreateCore(board, mhz, tagged: true),
        ["pex"] = CreatePex,
        ["tagged"] = CreateTagged,
    };

    /// <summary>
    /// The tagged <see cref="BoardSoc"/> of <paramref name="board"/> (<see cref="BoardPex"/>): the board SoC with a
    /// tagged core, its tags in one SPRAM, and the PEX, its RAM the fourth SPRAM, booting the system from the flash with
    /// the boot loader in its boot ROM (<see cref="BootRom.CompileBootAgent"/>). The policy and the program are the
    /// flash's (<c>hwgen fpga flash --app APP --policy P</c>): the bitstream is the same for every one.
    /// </summary>
    public static BoardTop CreateTagged(Board board, double? requestedMHz) => Create(board, requestedMHz, tagged: true);

    /// <summary>
    /// The policy coprocessor's system (<see cref="PexSoc"/>, its RAM in one SPRAM block, as on the tagged board) for the tag
    /// configuration of <paramref name="board"/>'s memory map, alone in a <see cref="RegisteredWrapper"/> like the
    /// core (<see cref="CreateCore"/>), at the core's target unless <paramref name="requestedMHz"/>.
    /// </summary>
    public static BoardTop CreatePex(Board board, double? requestedMHz)
    {
        ArgumentNullException.ThrowIfNull(board);
        var target = requestedMHz ?? CoreTargetMHz;
        var pex = new PexSoc(TagConfig.ForMemoryMap(board.MemoryMap), ram: SocRam.Spram);
        var top = new RegisteredWrapper(pex, "pex");
        var mhz = target.ToString("0.###", CultureInfo.InvariantCulture);
        return new BoardTop(top, target, $"the CLK pin at {mhz} MHz")
        {
            UsesSomePins = true,
        };
    }

    /// <summary>
    /// The application processor's <see cref="Core"/> for <paramref name="board"/>'s memory map, alone in a
    /// <see cref="RegisteredWrapper"/> on the board's <c>CLK</c>, <c>UART_RX</c> and <c>UART_TX</c> pins, clocked
    /// straight from <c>CLK</c>: the target is <paramref name="requestedMHz"/>, or <see cref="CoreTargetMHz"/>.
    /// </summary>
    /// <param name="tagged">
    /// The core with its tag unit (<see cref="CoreConfig.Tags"/>), its PEX port and tag loader on the wrapper's registers.
    /// Its tag memory is a generic memory with a read port per reader, which block RAM holds only for a small tagged
    /// memory: here the first <see cref="TaggedBytesOnBlockRam"/> bytes of the RAM (the board's tags go to SPRAM). Otherwise
    /// the board's tag configuration (<see cref="TagConfig.ForBoard"/>).
    /// </param>
    public static BoardTop CreateCore(Board board, double? requestedMHz, bool tagged = false)
    {
        ArgumentNullException.ThrowIfNull(board);
        var target = requestedMHz ?? CoreTargetMHz;
        var config = CoreConfig.ForMemoryMap(board.MemoryMap) with { Ice40Cells = true };
        var tags = TagConfig.ForBoard(board.MemoryMap) with { TaggedSize = TaggedBytesOnBlockRam };
        var core = new Core(tagged ? config with { Tags = tags } : config);
        var top = new RegisteredWrapper(core, "core", [CoreTracePort]);
        var mhz = target.ToString("0.###", CultureInfo.InvariantCulture);
        return new BoardTop(top, target, requestedMHz is null ? $"the CLK pin at {mhz} MHz, the core's target" : $"the CLK pin at {mhz} MHz")
        {
            UsesSomePins = true,
        };
    }

    /// <summary>
    /// The <see cref="BoardSoc"/> of <paramref name="board"/> at <paramref name="requestedMHz"/> (the board's default
    /// frequency when null): the clock plan decides the achieved frequency, and the boot ROM is compiled for it.
    /// </summary>
    public static BoardTop Create(Board board, double? requestedMHz) => Create(board, requestedMHz, tagged: false);

    private static BoardTop Create(Board board, double? requestedMHz, bool tagged)
    {
        ArgumentNullException.ThrowIfNull(board);
        var requested = requestedMHz ?? board.FrequencyMHz;
        ClockPlan plan;
        try
        {
            plan = ClockPlan.For(board.OscillatorMHz, requested);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--freq {requested.ToString(CultureInfo.InvariantCulture)}: {FirstSentence(ex)}");
        }
        var work = Path.Combine(Path.GetTempPath(), "hwgen-boot-" + Guid.NewGuid().ToString("N"));
        try
        {
            BootRomImage image;
            BoardPex? pex = null;
            try
            {
                var options = BootLoaderOptions.For(board) with { ClockMHz = plan.AchievedMHz };
                if (tagged)
                {
                    (var pexMap, image) = BootRom.CompileBootAgent(board, options, work);
                    pex = new BoardPex(pexMap);
                }
                else
                {
                    image = BootRom.Compile(options, work);
                }
            }
            catch (Exception ex) when (ex is BootRomException or FirmwareBuildException or RiscvToolchainNotFoundException)
            {
                throw new UsageException($"board '{board.Name}': the boot loader: {ex.Message}");
            }
            BoardSoc top;
            try
            {
                top = new BoardSoc(board, plan, image.Words.Select(w => (ulong)w).ToArray(), pex: pex);
            }
            catch (ArgumentException ex)
            {
                // A part the board asks for cannot be built at this clock (the UART's divisor, the RAM size).
                throw new UsageException($"board '{board.Name}' at {plan.AchievedMHz.ToString("0.###", CultureInfo.InvariantCulture)} MHz: {FirstSentence(ex)}");
            }
            return new BoardTop(top, plan.AchievedMHz, plan.Describe())
            {
                // The tagged SoC must shrink to fit the device: the synthesis that gives fewer LUTs.
                SynthesisOptions = tagged ? FpgaFlow.AreaSynthesisOptions : FpgaFlow.DefaultSynthesisOptions,
                // The oscillator clocks the divider itself: constrain it at its own frequency.
                OtherClocksMHz = plan.Source == ClockSource.Divider
                    ? new Dictionary<string, double> { [nameof(BoardSoc.CLK)] = board.OscillatorMHz }
                    : new Dictionary<string, double>(),
            };
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    private static string FirstSentence(ArgumentException ex) => ex.Message.Split(" (Parameter", 2)[0];
}
