using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HwGen.Designs.Boards;
using HwGen.Designs.Ice40;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Sim.Verilator;

namespace HwGen.Sim.Boards;

/// <summary>What one run of the board simulation printed and showed.</summary>
/// <param name="Uart">Every byte the SoC sent on its serial console, decoded from the line.</param>
/// <param name="Leds">Each change of the LED pins: the pins' bits (as the board sees them) and the oscillator cycle.</param>
/// <param name="Cycles">The oscillator cycles simulated.</param>
public sealed record BoardRun(string Uart, IReadOnlyList<(string Bits, ulong Cycle)> Leds, ulong Cycles);

/// <summary>
/// The board SoC on a simulated board, under Verilator: the oscillator, a behavioural SPI flash that holds the flash
/// image (bitstream area and firmware image), and a UART monitor on the serial console. Proves the boot path — the
/// boot ROM reading the firmware image from the flash into RAM and running it — without a board. The simulator
/// program is built once per design (cached under <see cref="VerilatorBuild.CacheRoot"/> by a hash of its sources)
/// and runs each flash image in a fresh process.
/// </summary>
public sealed class BoardSimulation
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(20);
    private const string Bench = "board_tb";

    private BoardSimulation(string executable, BoardSoc top)
    {
        Executable = executable;
        Top = top;
    }

    /// <summary>The simulator program.</summary>
    public string Executable { get; }

    public BoardSoc Top { get; }

    /// <summary>
    /// Emits <paramref name="top"/> and builds the board simulation (or takes it from the cache).
    /// <paramref name="progress"/> hears about a build.
    /// </summary>
    public static BoardSimulation Build(BoardSoc top, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(top);
        var verilog = VerilogEmitter.Emit(top);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in verilog.VerilogFiles)
            sources["rtl/" + file.RelativePath] = file.Content;
        foreach (var (name, text) in Ice40Models.Files)
            sources["models/" + name] = text;
        foreach (var name in new[] { "spi_flash_model.v", "uart_monitor.v", Bench + ".v" })
            sources["bench/" + name] = ReadResource(name);

        var board = top.Board;
        double oscHz = board.OscillatorMHz * 1e6;
        var parameters = new[]
        {
            $"-GOSC_HALF_PERIOD_PS={Math.Round(1e12 / oscHz / 2).ToString(CultureInfo.InvariantCulture)}",
            $"-GUART_OSC_CLOCKS_PER_BIT={Math.Round(oscHz / board.UartBaud).ToString(CultureInfo.InvariantCulture)}",
            $"-GLEDS={board.Leds.Count.ToString(CultureInfo.InvariantCulture)}",
            $"-GBUTTONS={Math.Max(1, board.Buttons.Count).ToString(CultureInfo.InvariantCulture)}",
            $"-GFLASH_BYTES={board.Flash.Bytes.ToString(CultureInfo.InvariantCulture)}",
            $"-GBUTTONS_IDLE={(board.Buttons.ActiveLow ? (1L << board.Buttons.Count) - 1 : 0).ToString(CultureInfo.InvariantCulture)}",
        };
        string[] flags =
        [
            "--binary", "--timing", "-Wno-fatal", "--top-module", Bench,
            "-j", "2", "-MAKEFLAGS", "OPT_FAST=-O1 OPT_SLOW=-O1 OPT_GLOBAL=-O1",
            .. parameters,
            .. board.Buttons.Count > 0 ? new[] { "-DBOARD_HAS_BUTTONS" } : [],
        ];

        var hash = Hash(sources, flags, (ExternalTools.Verilator.Version() ?? "") + "\0" + (ExternalTools.Gxx.Version() ?? ""));
        var directory = Path.Combine(VerilatorBuild.CacheRoot, "board-" + hash[..16]);
        var executable = Path.Combine(directory, "obj_dir", Bench);
        if (File.Exists(executable))
            return new BoardSimulation(executable, top);

        progress?.Invoke($"building the board simulation of {board.Name} with Verilator (once per design; cached in {directory})");
        var staging = directory + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var paths = new List<string>();
        foreach (var (relative, text) in sources)
        {
            var path = Path.Combine(staging, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            if (relative.EndsWith(".v", StringComparison.Ordinal))
                paths.Add(relative);
        }
        var verilator = ExternalTools.Verilator.Locate() ?? throw new ToolsMissingException([ExternalTools.Verilator], [ExternalTools.Verilator.DebianPackage]);
        var run = ProcessRunner.Run(verilator, [.. flags, "-Mdir", "obj_dir", "-o", Bench, .. paths], staging, s_buildTimeout);
        if (!run.Succeeded)
            throw new VerilatorBuildException($"the board simulation did not build (kept in {staging}):\n{run.Stderr}{run.Stdout}");
        try
        {
            Directory.Move(staging, directory);
        }
        catch (IOException) when (File.Exists(executable))
        {
            // Another build of the same design finished first: its result is the same.
            Directory.Delete(staging, recursive: true);
        }
        return new BoardSimulation(executable, top);
    }

    /// <summary>
    /// Runs the board for <paramref name="cycles"/> oscillator cycles with <paramref name="flash"/> (the whole
    /// flash from offset 0; bytes beyond it read as erased, 0xFF) in the SPI flash.
    /// </summary>
    public BoardRun Run(ReadOnlySpan<byte> flash, ulong cycles, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var hex = Path.Combine(workDirectory, "flash.hex");
        File.WriteAllText(hex, FlashHex(flash));
        var result = ProcessRunner.Run(Executable,
            [$"+flash={hex}", string.Create(CultureInfo.InvariantCulture, $"+cycles={cycles}")],
            workDirectory, TimeSpan.FromMinutes(10));
        if (!result.Succeeded)
            throw new InvalidOperationException($"the board simulation failed (exit {result.ExitCode}):\n{result.Stderr}");
        var leds = new List<(string, ulong)>();
        foreach (var line in result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts is ["led", var bits, "at", var cycle])
                leds.Add((bits, ulong.Parse(cycle, CultureInfo.InvariantCulture)));
        }
        // Verilator's closing line ("- board_tb.v:77: Verilog $finish") goes to stdout after the UART text; cut it off.
        var uart = result.Stdout;
        var finish = uart.LastIndexOf(": Verilog $finish", StringComparison.Ordinal);
        if (finish >= 0)
        {
            var lineStart = uart.LastIndexOf("- ", finish, StringComparison.Ordinal);
            if (lineStart >= 0)
                uart = uart[..lineStart];
        }
        return new BoardRun(uart, leds, cycles);
    }

    /// <summary>The flash contents in <c>$readmemh</c> form, one byte per line, runs of erased bytes skipped with <c>@</c> addresses.</summary>
    public static string FlashHex(ReadOnlySpan<byte> flash)
    {
        var text = new StringBuilder();
        bool skipping = true;
        for (int i = 0; i < flash.Length; i++)
        {
            if (flash[i] == 0xFF)
            {
                skipping = true;
                continue;
            }
            if (skipping)
            {
                text.Append('@').Append(i.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
                skipping = false;
            }
            text.Append(flash[i].ToString("x2", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    private static string Hash(SortedDictionary<string, string> sources, IEnumerable<string> flags, string version)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, text) in sources)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name + "\0" + text + "\0"));
        }
        sha.AppendData(Encoding.UTF8.GetBytes(string.Join('\0', flags) + "\0" + version));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(BoardSimulation).Assembly.GetManifestResourceStream("HwGen.Sim.Board." + name)
            ?? throw new InvalidOperationException($"the board model {name} is not built into HwGen.Sim");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
