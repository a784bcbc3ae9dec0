using System.CommandLine;
using System.Globalization;
using HwGen.Designs.Boards;
using HwGen.Designs.Pex;
using HwGen.Firmware;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Policy;
using HwGen.Gen.Tools;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen fpga flash --board NAME|FILE [--app APP|ELF] [--policy P] [--bitstream FILE] [--dry-run] [--out DIR]</c>:
/// compose the board's flash image (the bitstream at 0, 0xFF up to the board's firmware offset, then the firmware image
/// the boot loader reads) and write it to the board's SPI flash with openFPGALoader.
/// </summary>
/// <remarks>
/// With <c>--policy</c> the flash is for the tagged board SoC (<c>hwgen fpga build --design tagged</c>): the unikernel
/// application APP is built through the firmware builder under the policy (as <c>hwgen firmware build APP --board B
/// --policy P</c>), and the firmware is the tagged layout (<see cref="TaggedFlashImage"/>): the PEX firmware for that
/// policy and image, the program, its initial tags.
/// </remarks>
internal static class FpgaFlashCommand
{
    /// <summary>The bundled application flashed when <c>--app</c> is not given.</summary>
    public const string DefaultApp = "hello";

    internal static Command Create(CliContext context)
    {
        var board = new Option<string>("--board")
        {
            Description = $"A built-in board ({string.Join(", ", Board.BuiltIn)}) or a board file (.json).",
            HelpName = "NAME|FILE",
            Required = true,
        };
        var app = new Option<string>("--app")
        {
            Description = $"A bundled board application ({string.Join(", ", BoardApps.Names)}), a C or assembly source (built with the runtime for the board), or an RV32 ELF linked for the board's RAM.",
            HelpName = "APP|FILE.c|ELF",
            DefaultValueFactory = _ => DefaultApp,
        };
        var bitstream = new Option<string?>("--bitstream")
        {
            Description = "The bitstream to put at flash offset 0 [default: the one 'hwgen fpga build' wrote to out/fpga/<board>/].",
            HelpName = "FILE",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Write the flash image and print the layout and the programmer command, without programming.",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Where to write the flash image <app>.bin and the app's build [default: out/flash/<board>].",
            HelpName = "DIR",
        };
        var freq = new Option<double?>("--freq")
        {
            Description = "The core clock the bitstream was built for (as given to 'hwgen fpga build --freq'), which programs are built for [default: the board's].",
            HelpName = "MHZ",
        };
        var policy = new Option<string?>("--policy")
        {
            Description = "For the tagged board SoC (fpga build --design tagged): build the unikernel application APP under this policy (e.g. nxd-nwc+ret) and flash the PEX firmware, the program and its initial tags.",
            HelpName = "P",
        };
        var command = new Command("flash", "Write the bitstream and a program to the board's SPI flash.") { board, app, policy, bitstream, freq, dryRun, output };
        HwGenCommandLine.SetHandler(command, r => Run(context, r.GetRequiredValue(board), r.GetRequiredValue(app), r.GetValue(policy), r.GetValue(bitstream), r.GetValue(freq), r.GetValue(dryRun), r.GetValue(output)));
        return command;
    }

    /// <summary>The folder where <c>hwgen fpga build --board NAME</c> leaves its bitstream.</summary>
    internal static string BuildDirectory(string boardName) => Path.Combine("out", "fpga", boardName);

    private static ExitCode Run(CliContext context, string boardArgument, string app, string? policyArgument, string? bitstreamArgument, double? freq, bool dryRun, string? output)
    {
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
        Board board;
        try
        {
            board = Board.Load(boardArgument);
        }
        catch (BoardException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        var flash = board.Flash;
        var bitstreamPath = bitstreamArgument ?? FindBitstream(board, boardArgument);
        if (!File.Exists(bitstreamPath))
            throw new UsageException($"--bitstream {bitstreamPath}: no such file");
        var bitstream = File.ReadAllBytes(bitstreamPath);
        if (bitstream.Length == 0)
            throw new UsageException($"{bitstreamPath}: the bitstream is empty");
        if (bitstream.Length > flash.FirmwareOffset)
            throw new UsageException(
                $"{bitstreamPath}: the bitstream ({bitstream.Length} bytes) runs past flash offset 0x{flash.FirmwareOffset:X}, where board '{board.Name}' keeps the firmware");

        // Beside the build folder, not in it: "hwgen fpga build" replaces its folder as a whole.
        var directory = output ?? Path.Combine("out", "flash", board.Name);
        if (string.IsNullOrWhiteSpace(directory))
            throw new UsageException("--out is empty; give a directory");
        if (File.Exists(directory))
            throw new UsageException($"--out {directory}: is a file; give a directory");
        var appName = File.Exists(app) ? Path.GetFileNameWithoutExtension(app) : app;
        if (freq is { } mhz)
        {
            try
            {
                BoardApps.ClockMHz(board, mhz);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new UsageException($"--freq {mhz.ToString(CultureInfo.InvariantCulture)}: give the core clock as a positive number of MHz, at most {HwGen.Designs.Ice40.ClockPlan.PllMaxMHz.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        var work = Path.Combine(directory, "build", appName);
        var images = policy is null
            ? [("firmware", FirmwareImage(context, app, board, work, freq))]
            : TaggedImages(context, app, policy, board, work, freq);
        var firmwareBytes = images.SelectMany(i => i.Image.ToBytes()).ToArray();

        long total = (long)flash.FirmwareOffset + firmwareBytes.Length;
        if (total > flash.Bytes)
            throw new UsageException(
                $"{app}: the firmware image ({firmwareBytes.Length} bytes at flash offset 0x{flash.FirmwareOffset:X}) does not fit in the {flash.Bytes}-byte flash of board '{board.Name}'");

        var image = new byte[total];
        bitstream.CopyTo(image, 0);
        image.AsSpan(bitstream.Length, (int)flash.FirmwareOffset - bitstream.Length).Fill(0xFF);
        firmwareBytes.CopyTo(image, (int)flash.FirmwareOffset);

        // Read the firmware back from the composed image, as the boot loader will.
        var imagePath = Path.GetFullPath(Path.Combine(directory, appName + ".bin"));
        var origin = $"{imagePath} at 0x{flash.FirmwareOffset:X}";
        try
        {
            if (policy is null)
            {
                FlashImage.Parse(image.AsSpan((int)flash.FirmwareOffset), origin).Validate(board.MemoryMap, app);
            }
            else
            {
                var tagged = TaggedFlashImage.Parse(image.AsSpan((int)flash.FirmwareOffset), origin);
                tagged.PexFirmware.Validate(PexMemoryMap.Default, app + " (PEX firmware)");
                tagged.Program.Validate(board.TaggedMemoryMap, app);
            }
        }
        catch (FlashImageException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        WriteAtomically(imagePath, image);

        var programmer = new List<string>(board.Programmer.Arguments) { "-f", "--offset", "0", imagePath };
        context.Out.WriteLine($"{board.Name}: {imagePath} ({image.Length} bytes): bitstream {bitstreamPath}, firmware {app}" + (policy is null ? "" : $" under {policy.Name}"));
        WriteLayout(context, bitstream, flash.FirmwareOffset, images, image);
        context.Out.WriteLine("openFPGALoader " + string.Join(' ', programmer.Select(Quote)));
        if (dryRun)
            return ExitCode.Success;

        var loader = ExternalTools.OpenFpgaLoader;
        var executable = loader.Locate()
            ?? throw new UsageException(
                $"{loader.Command} is not installed; it {loader.Purpose}. Install it with: {ExternalTools.InstallCommand([loader.DebianPackage])} (or use --dry-run to only write the image)");
        var result = ProcessRunner.Run(executable, programmer, timeout: TimeSpan.FromMinutes(10));
        if (result.Succeeded)
        {
            context.Out.WriteLine($"{board.Name}: flashed {image.Length} bytes; the board boots {appName} after its reset");
            return ExitCode.Success;
        }
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var notFound = lines.FirstOrDefault(l =>
            l.Contains("device not found", StringComparison.OrdinalIgnoreCase)
            || l.Contains("unable to open", StringComparison.OrdinalIgnoreCase)
            || l.Contains("failed to claim cable", StringComparison.OrdinalIgnoreCase)
            || l.Contains("no cable", StringComparison.OrdinalIgnoreCase)
            || l.Contains("no device", StringComparison.OrdinalIgnoreCase));
        if (notFound is not null)
            throw new UsageException(
                $"programmer not found: openFPGALoader {string.Join(' ', board.Programmer.Arguments)} reports '{notFound}'; is the {board.Title} plugged in over USB?");
        var reason = result.TimedOut ? "did not finish within 10 minutes" : $"failed with exit code {result.ExitCode}: {lines.LastOrDefault() ?? "no output"}";
        context.Error.WriteLine(result.Output);
        context.WriteError($"openFPGALoader {reason}");
        return ExitCode.Failure;
    }

    /// <summary>The bitstream <c>hwgen fpga build</c> left for <paramref name="board"/>: the one <c>.bin</c> file in its build folder.</summary>
    private static string FindBitstream(Board board, string boardArgument)
    {
        var folder = BuildDirectory(board.Name);
        var candidates = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.bin").Order(StringComparer.Ordinal).ToArray()
            : [];
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new UsageException(
                $"no bitstream for board '{board.Name}' in {folder}: run 'hwgen fpga build --board {boardArgument}' first, or give --bitstream FILE"),
            _ => throw new UsageException(
                $"several bitstreams in {folder} ({string.Join(", ", candidates.Select(Path.GetFileName))}): choose one with --bitstream FILE"),
        };
    }

    private static FlashImage FirmwareImage(CliContext context, string app, Board board, string workDirectory, double? freq)
    {
        try
        {
            return BoardApps.Image(app, board, workDirectory, freq);
        }
        catch (FlashImageException ex)
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
            throw new UsageException($"{app}: the program does not build for board '{board.Name}'", ex);
        }
    }

    /// <summary>
    /// The tagged layout's images for the unikernel application <paramref name="app"/> under <paramref name="policy"/>,
    /// built through the firmware builder for the tagged board's map, by name: the PEX firmware, the program, the tags.
    /// </summary>
    private static (string Name, FlashImage Image)[] TaggedImages(CliContext context, string app, Composite policy, Board board, string workDirectory, double? freq)
    {
        var clockHz = (uint)Math.Round(BoardApps.ClockMHz(board, freq) * 1e6);
        var result = FirmwareCommand.BuildImage(context, new UnikernelBuildOptions(app, workDirectory)
        {
            MemoryMap = board.TaggedMemoryMap,
            Board = board.Name,
            Defines = new Dictionary<string, string?> { ["HWGEN_BOARD_CLOCK_HZ"] = clockHz.ToString(CultureInfo.InvariantCulture) + "u" },
            Policy = policy,
        });
        if (result.CompilerOutput.Length > 0)
            context.Error.WriteLine(result.CompilerOutput.TrimEnd());
        try
        {
            var tagged = TaggedFlashImage.Create(result, board.TaggedMemoryMap);
            return [("pex", tagged.PexFirmware), ("program", tagged.Program), ("tags", tagged.Tags)];
        }
        catch (FlashImageException ex)
        {
            throw new UsageException($"{app}: {ex.Message}", ex);
        }
    }

    private static void WriteLayout(CliContext context, byte[] bitstream, uint firmwareOffset, IReadOnlyList<(string Name, FlashImage Image)> images, byte[] image)
    {
        var rows = new List<(string Region, long Offset, long Size, uint Crc)>
        {
            ("bitstream", 0, bitstream.Length, Crc32.Compute(bitstream)),
            ("0xff fill", bitstream.Length, firmwareOffset - bitstream.Length, Crc32.Compute(image.AsSpan(bitstream.Length, (int)firmwareOffset - bitstream.Length))),
        };
        long offset = firmwareOffset;
        foreach (var (name, firmware) in images)
        {
            var firmwareBytes = firmware.ToBytes();
            rows.Add((name, offset, firmwareBytes.Length, Crc32.Compute(firmwareBytes)));
            rows.Add(("  header", offset, FlashImage.HeaderBytes, Crc32.Compute(firmwareBytes.AsSpan(0, FlashImage.HeaderBytes))));
            rows.Add(("  payload", offset + FlashImage.HeaderBytes, firmware.PayloadLength, firmware.PayloadCrc));
            offset += firmwareBytes.Length;
        }
        rows.Add(("image", 0, image.Length, Crc32.Compute(image)));
        context.Out.WriteLine($"{"region",-10} {"offset",-10} {"size",10} crc32");
        foreach (var (region, start, size, crc) in rows)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{region,-10} 0x{start:x8} {size,10} 0x{crc:x8}"));
        foreach (var (name, firmware) in images)
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: load 0x{firmware.LoadAddress:x8}, entry 0x{firmware.EntryAddress:x8}, {firmware.PayloadLength} bytes"));
        }
    }

    /// <summary>Writes <paramref name="path"/> through a temporary file beside it, so no reader sees half an image.</summary>
    private static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or ',')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
