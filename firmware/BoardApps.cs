using System.Globalization;
using HwGen.Designs.Boards;

namespace HwGen.Firmware;

/// <summary>
/// The programs bundled for the boards (firmware/board, e.g. <c>hello</c>), built with the runtime for a
/// board's memory map, and the firmware image the boot loader loads.
/// </summary>
public static class BoardApps
{
    private static readonly EmbeddedFiles s_sources = new("HwGen.Firmware.Board.", "firmware/board");

    /// <summary>The bundled applications, by name (the source file without <c>.c</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = s_sources.Names
        .Where(n => n.EndsWith(".c", StringComparison.Ordinal))
        .Select(n => n[..^2])
        .ToArray();

    /// <summary>
    /// Builds the bundled application <paramref name="app"/> for <paramref name="board"/> (its memory map,
    /// <c>HWGEN_BOARD_CLOCK_HZ</c> from its core clock) into <c><paramref name="workDirectory"/>/APP.elf</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="app"/> is not a bundled application.</exception>
    /// <exception cref="FirmwareBuildException">The compiler failed.</exception>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler is not installed.</exception>
    public static BuildResult Build(string app, Board board, string workDirectory, double? requestedMHz = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        if (!Names.Contains(app, StringComparer.Ordinal))
            throw new ArgumentException($"{app}: not a bundled board application ({string.Join(", ", Names)})", nameof(app));
        var directory = Path.GetFullPath(workDirectory);
        var sources = Path.Combine(directory, "apps");
        s_sources.WriteAll(sources);
        return BuildSource(Path.Combine(sources, app + ".c"), board, directory, requestedMHz);
    }

    /// <summary>
    /// Builds a C or assembly source of the user's (<c>.c</c>, <c>.S</c>, <c>.s</c>) with the runtime for
    /// <paramref name="board"/>, as a bundled application is built, into <c><paramref name="workDirectory"/>/NAME.elf</c>.
    /// </summary>
    /// <exception cref="FirmwareBuildException">The compiler failed.</exception>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler is not installed.</exception>
    public static BuildResult BuildSource(string source, Board board, string workDirectory, double? requestedMHz = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(board);
        var directory = Path.GetFullPath(workDirectory);
        Directory.CreateDirectory(directory);
        var clockHz = (uint)Math.Round(ClockMHz(board, requestedMHz) * 1e6);
        var name = Path.GetFileNameWithoutExtension(source);
        return RiscvToolchain.Find().Build(new BuildRequest([Path.GetFullPath(source)], Path.Combine(directory, name + ".elf"))
        {
            MemoryMap = board.MemoryMap,
            Defines = new Dictionary<string, string?> { ["HWGEN_BOARD_CLOCK_HZ"] = clockHz.ToString(CultureInfo.InvariantCulture) + "u" },
        });
    }

    /// <summary>
    /// The core clock of <paramref name="board"/>'s SoC when <c>hwgen fpga build</c> is asked for
    /// <paramref name="requestedMHz"/> (the board's frequency when null): what the clock plan achieves. Programs get
    /// it as <c>HWGEN_BOARD_CLOCK_HZ</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No clock plan reaches the request.</exception>
    public static double ClockMHz(Board board, double? requestedMHz = null)
    {
        ArgumentNullException.ThrowIfNull(board);
        return HwGen.Designs.Ice40.ClockPlan.For(board.OscillatorMHz, requestedMHz ?? board.FrequencyMHz).AchievedMHz;
    }

    /// <summary>True for the file names <see cref="Image"/> compiles rather than reads: C and assembly sources.</summary>
    public static bool IsSource(string path) =>
        path.EndsWith(".c", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".S", StringComparison.Ordinal) || path.EndsWith(".s", StringComparison.Ordinal);

    /// <summary>
    /// The firmware image of <paramref name="appOrElf"/> for <paramref name="board"/>: an ELF file as it is, or a C or
    /// assembly source or a bundled application built into <paramref name="workDirectory"/> first.
    /// </summary>
    /// <exception cref="FlashImageException">Neither a file nor a bundled application, or an ELF the boot loader cannot load.</exception>
    /// <exception cref="FirmwareBuildException">A bundled application does not build.</exception>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler is not installed.</exception>
    public static FlashImage Image(string appOrElf, Board board, string workDirectory, double? requestedMHz = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(appOrElf);
        ArgumentNullException.ThrowIfNull(board);
        if (File.Exists(appOrElf) && IsSource(appOrElf))
            return FlashImage.FromElf(BuildSource(appOrElf, board, workDirectory, requestedMHz).ElfPath, board.MemoryMap);
        if (File.Exists(appOrElf))
            return FlashImage.FromElf(appOrElf, board.MemoryMap);
        if (!Names.Contains(appOrElf, StringComparer.Ordinal))
            throw new FlashImageException($"{appOrElf}: no such file, and not a bundled board application ({string.Join(", ", Names)})");
        return FlashImage.FromElf(Build(appOrElf, board, workDirectory, requestedMHz).ElfPath, board.MemoryMap);
    }
}
