using System.Globalization;
using HwGen.Designs.Boards;
using HwGen.Designs.Ice40;
using HwGen.Firmware;

namespace HwGen.Cli.Commands;

/// <summary>The board SoC for a board: its clock plan, its boot loader built for that clock, and the top module.</summary>
internal static class BoardDesign
{
    /// <summary>
    /// The <see cref="BoardSoc"/> of <paramref name="board"/> at <paramref name="requestedMHz"/> (the board's default
    /// frequency when null): the clock plan decides the achieved frequency, and the boot ROM is compiled for it.
    /// </summary>
    public static BoardTop Create(Board board, double? requestedMHz)
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
            try
            {
                image = BootRom.Compile(BootLoaderOptions.For(board) with { ClockMHz = plan.AchievedMHz }, work);
            }
            catch (Exception ex) when (ex is BootRomException or FirmwareBuildException or RiscvToolchainNotFoundException)
            {
                throw new UsageException($"board '{board.Name}': the boot loader: {ex.Message}");
            }
            BoardSoc top;
            try
            {
                top = new BoardSoc(board, plan, image.Words.Select(w => (ulong)w).ToArray());
            }
            catch (ArgumentException ex)
            {
                // A part the board asks for cannot be built at this clock (the UART's divisor, the RAM size).
                throw new UsageException($"board '{board.Name}' at {plan.AchievedMHz.ToString("0.###", CultureInfo.InvariantCulture)} MHz: {FirstSentence(ex)}");
            }
            return new BoardTop(top, plan.AchievedMHz, plan.Describe())
            {
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
