using System.CommandLine;
using System.Globalization;
using HwGen.Designs.Boards;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Policy;
using Spectre.Console;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen firmware build APP [--policy P] [--board NAME|FILE] [--source DIR] [--out DIR]</c>: build a unikernel image
/// (the application with the micro-libraries it declares) for the simulator's SoC or a board, and print its sections
/// against the RAM; under a policy also the initial tag image and the PEX firmware, and how many words each tag has.
/// </summary>
internal static class FirmwareCommand
{
    public static Command Create(CliContext context)
    {
        var app = new Argument<string>("APP")
        {
            Description = $"The application to build: a bundled one ({string.Join(", ", UnikernelTree.Bundled.Applications.Keys.Order(StringComparer.Ordinal))}) or one under --source.",
        };
        var board = new Option<string?>("--board")
        {
            Description = $"Build for a board's memory map and clock: a built-in board ({string.Join(", ", Board.BuiltIn)}) or a board file (.json) [default: the simulator's SoC].",
            HelpName = "NAME|FILE",
        };
        var source = new Option<string?>("--source")
        {
            Description = "A folder with applications (apps/NAME/app.json) and micro-libraries (kernel/NAME/library.json) of your own, searched before the bundled ones.",
            HelpName = "DIR",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Where to write the image, its build and manifest.json [default: out/firmware/<app>, out/firmware/<board>/<app> with --board].",
            HelpName = "DIR",
        };
        var policy = new Option<string?>("--policy")
        {
            Description = $"Also write the initial tag image (APP.tags) and the PEX firmware (APP.pex.elf, APP.pex.hex) for a policy or a composite joined by + ({string.Join(", ", PolicyRegistry.Names)}).",
            HelpName = "P",
        };
        var build = new Command("build", "Build a unikernel image: ELF, memory image (hex, raw), flash image and manifest; under --policy its tag image and PEX firmware.") { app, policy, board, source, output };
        HwGenCommandLine.SetHandler(build, r => Build(context, r.GetRequiredValue(app), r.GetValue(policy), r.GetValue(board), r.GetValue(source), r.GetValue(output)));
        return new Command("firmware", "Build unikernel images for the application processor.") { build };
    }

    private static ExitCode Build(CliContext context, string app, string? policyArgument, string? boardArgument, string? source, string? output)
    {
        if (output is not null && string.IsNullOrWhiteSpace(output))
            throw new UsageException("--out is empty; give a directory");
        Composite? policy = null;
        if (policyArgument is not null)
        {
            try
            {
                policy = Composite.Parse(policyArgument);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"--policy {policyArgument}: {ex.Message}", ex);
            }
        }
        MemoryMap map = MemoryMap.Simulation;
        var defines = new Dictionary<string, string?>();
        Board? board = null;
        if (boardArgument is not null)
        {
            try
            {
                board = Board.Load(boardArgument);
            }
            catch (BoardException ex)
            {
                throw new UsageException(ex.Message, ex);
            }
            map = board.MemoryMap;
            var clockHz = (uint)Math.Round(BoardApps.ClockMHz(board) * 1e6);
            defines["HWGEN_BOARD_CLOCK_HZ"] = clockHz.ToString(CultureInfo.InvariantCulture) + "u";
        }
        var directory = output ?? (board is null ? Path.Combine("out", "firmware", app) : Path.Combine("out", "firmware", board.Name, app));
        if (File.Exists(directory))
            throw new UsageException($"--out {directory}: is a file; give a directory");

        IReadOnlyList<UnikernelTree> trees;
        try
        {
            trees = source is null ? [UnikernelTree.Bundled] : [UnikernelTree.FromDirectory(source), UnikernelTree.Bundled];
        }
        catch (FirmwareConfigException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        var result = BuildImage(context, new UnikernelBuildOptions(app, directory)
        {
            MemoryMap = map,
            Board = board?.Name,
            Defines = defines,
            Trees = trees,
            Policy = policy,
        });

        if (result.CompilerOutput.Length > 0)
            context.Error.WriteLine(result.CompilerOutput.TrimEnd());
        WriteSummary(context, result, board?.Name);
        return ExitCode.Success;
    }

    /// <summary>
    /// Builds a unikernel image; every error of the input (an unknown application or library, a dependency cycle, a
    /// compile error, an image that does not fit, no RISC-V GCC) becomes a usage error (exit 2), with GCC's output
    /// on the error stream.
    /// </summary>
    internal static UnikernelBuildResult BuildImage(CliContext context, UnikernelBuildOptions options)
    {
        try
        {
            return UnikernelBuilder.Build(options);
        }
        catch (FirmwareConfigException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (ImageDoesNotFitException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (RiscvToolchainNotFoundException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (FirmwareBuildException ex)
        {
            context.Error.WriteLine(ex.CompilerOutput.TrimEnd());
            var first = ex.Diagnostics.FirstOrDefault(d => d.Contains(" error: ", StringComparison.Ordinal)) ?? ex.Diagnostics.FirstOrDefault();
            throw new UsageException($"{options.Application}: the build failed" + (first is null ? "" : ": " + first), ex);
        }
    }

    private static void WriteSummary(CliContext context, UnikernelBuildResult result, string? board)
    {
        var target = board is null ? "the simulator's SoC" : $"board {board}";
        context.Out.WriteLine($"{result.Application} for {target}: {string.Join(", ", result.Libraries)}; " +
            (result.Compiled.Count == 0 && !result.Linked ? "up to date" : $"{result.Compiled.Count} compiled, {(result.Linked ? "linked" : "not linked again")}"));
        context.Console.Write(SectionTable(result));
        context.Out.WriteLine($"entry {Hex(result.Entry)}, tohost {(result.Symbols.TryGetValue("tohost", out var tohost) ? Hex(tohost) : "none")}");
        if (result.TagImage is { } tags)
        {
            context.Out.WriteLine($"initial tags under {result.Policy!.Name}: {tags.Words.Count} tagged words, {tags.Interner.Count} sets");
            context.Console.Write(TagTable(tags));
        }
        foreach (var kind in ((string[])["elf", "hex", "bin", "flash", "tags", "pex-elf", "pex-hex", "manifest"]).Where(result.Files.ContainsKey))
            context.Out.WriteLine($"{kind,-8} {Path.GetRelativePath(Environment.CurrentDirectory, result.Files[kind])}");
    }

    /// <summary>The initial tag image's summary: each tag, its set and how many words have it.</summary>
    internal static Table TagTable(InitialTagImage image)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("tag").RightAligned()).AddColumn("set").AddColumn(new TableColumn("words").RightAligned());
        foreach (var (tag, set, words) in TagImageFile.Summary(image))
            table.AddRow(tag.ToString(CultureInfo.InvariantCulture), Markup.Escape(set), words.ToString("N0", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>The image's sections against the RAM: address, size and share of RAM, then the program, the stack reserve and what is left.</summary>
    internal static Table SectionTable(UnikernelBuildResult result)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("section").AddColumn("address").AddColumn(new TableColumn("bytes").RightAligned())
            .AddColumn(new TableColumn("of RAM").RightAligned()).AddColumn("loaded");
        string Share(long bytes) => (100.0 * bytes / result.RamSize).ToString("0.00", CultureInfo.InvariantCulture) + "%";
        string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);
        foreach (var section in result.Sections)
            table.AddRow(Markup.Escape(section.Name), Hex(section.Address), Bytes(section.Size), Share(section.Size), section.Loaded ? "yes" : "no");
        long program = result.ProgramBytes;
        long free = result.RamSize - program - LinkerScript.MinimumStackBytes;
        table.AddEmptyRow();
        table.AddRow("program", Hex(result.RamBase), Bytes(program), Share(program), "up to _end");
        table.AddRow("heap and stack", Hex((uint)(result.RamBase + program)), Bytes(result.RamSize - program), Share(result.RamSize - program),
            $"at least {LinkerScript.MinimumStackBytes} for the stack");
        table.AddRow("RAM", Hex(result.RamBase), Bytes(result.RamSize), "100.00%", free >= 0 ? "" : "over");
        return table;
    }

    private static string Hex(uint value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture);
}
