using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using HwGen.Designs.Boards;
using HwGen.Gen.Fpga;
using HwGen.Gen.Output;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using Spectre.Console;

// The tests plug their own small top into the fpga command through its internal factory parameter.
[assembly: InternalsVisibleTo("HwGen.Cli.Tests")]

namespace HwGen.Cli.Commands;

/// <summary>The design built for a board: its top module, and the clock plan behind the core clock.</summary>
/// <param name="Top">The top module; its ports are the pins of the board's pcf.</param>
/// <param name="TargetMHz">The core clock the plan achieves, asked of place and route.</param>
/// <param name="ClockDescription">The plan in one line, from <see cref="HwGen.Designs.Ice40.ClockPlan.Describe"/> (<c>6.000 MHz: 12 MHz oscillator divided by 2, …</c>).</param>
public sealed record BoardTop(Module Top, double TargetMHz, string ClockDescription)
{
    /// <summary>Clocks other than the core's with a frequency of their own, by net name (the oscillator feeding a divider).</summary>
    public IReadOnlyDictionary<string, double> OtherClocksMHz { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The top uses only some of the board's pins (the core alone on three of them): the pcf's lines for other
    /// ports become comments in the constraints given to nextpnr, instead of being errors.
    /// </summary>
    public bool UsesSomePins { get; init; }

    /// <summary>The options given to Yosys's <c>synth_ice40</c> unless <c>--yosys-options</c> gives others.</summary>
    public IReadOnlyList<string> SynthesisOptions { get; init; } = FpgaFlow.DefaultSynthesisOptions;
}

/// <summary>
/// <c>hwgen fpga build --board NAME|FILE.json [--design soc|core|pex|tagged] [--freq MHZ] [--seed N] [--strict] [--areas] [--pack-only] [--json] [--out DIR]</c>:
/// emit the design's Verilog (the board SoC, or the core alone in a registered wrapper), check it against the board's
/// pins, synthesise, place and route, pack the bitstream and report the resources, Fmax and the critical path, and
/// with <c>--areas</c> each module instance's cells.
/// </summary>
internal static class FpgaCommand
{
    /// <summary>The <c>fpga</c> group with the board SoC and the core alone as the designs.</summary>
    public static Command Create(CliContext context) => Create(context, BoardDesign.All);

    /// <summary>The <c>fpga</c> group with <paramref name="design"/> as its only design, <c>soc</c>.</summary>
    public static Command Create(CliContext context, Func<Board, double?, BoardTop> design) =>
        Create(context, new Dictionary<string, Func<Board, double?, BoardTop>> { ["soc"] = design });

    /// <summary>
    /// The <c>fpga</c> group; <paramref name="designs"/> gives, by <c>--design</c> name (the first is the default), the
    /// top for a board and an optional requested MHz.
    /// </summary>
    public static Command Create(CliContext context, IReadOnlyDictionary<string, Func<Board, double?, BoardTop>> designs)
    {
        ArgumentNullException.ThrowIfNull(designs);
        var designName = new Option<string>("--design")
        {
            Description = $"What to build: {string.Join(", ", designs.Keys)} (soc: the board SoC; core: the core alone, every port registered, at {BoardDesign.CoreTargetMHz.ToString(CultureInfo.InvariantCulture)} MHz unless --freq; pex: the policy coprocessor's system alone, the same way; tagged: the board SoC with the tagged core, its tags in a third SPRAM, and the policy coprocessor, its RAM the fourth SPRAM, booting the system from the flash that 'fpga flash --policy' writes).",
            HelpName = string.Join('|', designs.Keys),
            DefaultValueFactory = _ => designs.Keys.First(),
        };
        var board = new Option<string>("--board")
        {
            Description = $"A built-in board ({string.Join(", ", Board.BuiltIn)}) or a board file (.json) with its pcf beside it.",
            HelpName = "NAME|FILE.json",
            Required = true,
        };
        var freq = new Option<double?>("--freq") { Description = "The core clock to ask for, in MHz [default: the board's for soc, 30 for core].", HelpName = "MHZ" };
        var seed = new Option<int>("--seed") { Description = "nextpnr's placement seed.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var strict = new Option<bool>("--strict") { Description = "Fail (exit code 1) when a clock misses the target frequency." };
        var json = new Option<bool>("--json") { Description = "Print one JSON result object on stdout." };
        var areas = new Option<bool>("--areas")
        {
            Description = "Also synthesise with the hierarchy kept (synth_ice40 -noflatten) and report each module instance's LUT4, DFF, carry, block RAM and DSP, and the registers whose flip-flops take a logic cell without logic.",
        };
        var yosysOptions = new Option<string?>("--yosys-options")
        {
            Description = $"The options given to Yosys's synth_ice40 besides -dsp and -top, in one argument (e.g. \"-abc2\"; \"\" for none) [default: the design's: \"{string.Join(' ', FpgaFlow.AreaSynthesisOptions)}\" for tagged, \"{string.Join(' ', FpgaFlow.DefaultSynthesisOptions)}\" for the others].",
            HelpName = "OPTIONS",
        };
        var nextpnrOptions = new Option<string?>("--nextpnr-options")
        {
            Description = $"The options given to nextpnr-ice40 besides the device, pins, files, --freq and --seed, in one argument (e.g. --nextpnr-options=\"--opt-timing\"; \"\" for none) [default: \"{string.Join(' ', FpgaFlow.DefaultPlaceAndRouteOptions)}\"].",
            HelpName = "OPTIONS",
        };
        var packOnly = new Option<bool>("--pack-only")
        {
            Description = "Stop after nextpnr's packing: report the cells a placement would use (exact), without placement, timing or a bitstream (minutes sooner for a large design).",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Output directory, replaced as a whole once the bitstream is written [default: out/fpga/<board>, out/fpga/<board>-<design> for a design other than soc].",
            HelpName = "DIR",
        };
        var build = new Command("build", "Synthesise, place and route and pack the board design; report resources, Fmax and the critical path.")
        {
            board, designName, freq, seed, strict, areas, yosysOptions, nextpnrOptions, packOnly, json, output,
        };
        HwGenCommandLine.SetHandler(build, r => Build(context, designs, new BuildOptions(
            r.GetRequiredValue(board), r.GetValue(designName)!, r.GetValue(freq), r.GetValue(seed), r.GetValue(strict), r.GetValue(areas), r.GetValue(json), r.GetValue(output))
        {
            SynthesisOptions = ToolOptions(r.GetValue(yosysOptions)),
            PlaceAndRouteOptions = ToolOptions(r.GetValue(nextpnrOptions)) ?? FpgaFlow.DefaultPlaceAndRouteOptions,
            PackOnly = r.GetValue(packOnly),
        }));
        return new Command("fpga", "Build the design for an FPGA board and program the board's flash.") { build, FpgaFlashCommand.Create(context) };
    }

    private sealed record BuildOptions(string Board, string Design, double? Freq, int Seed, bool Strict, bool Areas, bool Json, string? Out)
    {
        /// <summary>Null for the design's own (<see cref="BoardTop.SynthesisOptions"/>).</summary>
        public IReadOnlyList<string>? SynthesisOptions { get; init; }

        public IReadOnlyList<string> PlaceAndRouteOptions { get; init; } = FpgaFlow.DefaultPlaceAndRouteOptions;

        public bool PackOnly { get; init; }
    }

    /// <summary>The options of a tool, given as one argument separated by spaces; null when the argument was not given.</summary>
    private static string[]? ToolOptions(string? argument) => argument?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ExitCode Build(CliContext context, IReadOnlyDictionary<string, Func<Board, double?, BoardTop>> designs, BuildOptions options)
    {
        if (!designs.TryGetValue(options.Design, out var design))
            throw new UsageException($"--design {options.Design}: give one of {string.Join(", ", designs.Keys)}");
        if (options.Freq is { } f && !(f > 0 && double.IsFinite(f)))
            throw new UsageException($"--freq {f.ToString(CultureInfo.InvariantCulture)}: give the clock as a positive number of MHz");
        if (options.Seed < 0)
            throw new UsageException($"--seed {options.Seed}: give a seed of 0 or more");
        if (options.PackOnly && options.Strict)
            throw new UsageException("--strict checks the clocks of a placed and routed design: it cannot go with --pack-only");
        if (options.PlaceAndRouteOptions.Contains(FpgaFlow.PackOnlyOption, StringComparer.Ordinal))
            throw new UsageException($"--nextpnr-options: give --pack-only to fpga build itself, not to nextpnr (the build then writes no bitstream from the unplaced design)");
        if (options.Out is not null && string.IsNullOrWhiteSpace(options.Out))
            throw new UsageException("--out is empty; give a directory");
        Board board;
        try
        {
            board = Board.Load(options.Board);
        }
        catch (BoardException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        // The flow's tools, and the RISC-V compiler that builds the boot ROM.
        Gen.Tools.ToolInstaller.EnsureInstalled([.. FpgaFlow.Tools, Gen.Tools.ExternalTools.RiscvGcc], line => context.Error.WriteLine(line));

        var top = design(board, options.Freq);
        if (!(top.TargetMHz > 0 && double.IsFinite(top.TargetMHz)))
            throw new UsageException($"board '{board.Name}': the clock plan gives {top.TargetMHz.ToString(CultureInfo.InvariantCulture)} MHz");
        var ir = Elaborator.Elaborate(top.Top);
        var emitted = VerilogEmitter.Emit(ir);
        foreach (var warning in emitted.Warnings)
            context.Error.WriteLine(warning.ToString());

        var pcfName = board.Directory is null ? $"constraints/{board.Pcf}" : Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(board.Directory, board.Pcf));
        string pcfText;
        try
        {
            pcfText = board.ReadPcf();
        }
        catch (BoardException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        if (top.UsesSomePins)
            pcfText = PcfFile.KeepPorts(pcfText, emitted.TopModule, ir.Top.Ports.Select(p => p.Name ?? "").ToArray());
        IReadOnlyList<string> pinErrors;
        try
        {
            pinErrors = PcfFile.Parse(pcfText, pcfName).Check(emitted.TopModule, ir.Top.Ports.Select(p => (p.Name ?? "", p.Width)).ToArray());
        }
        catch (PcfException ex)
        {
            pinErrors = ex.Errors;
        }
        if (pinErrors.Count > 0)
        {
            foreach (var error in pinErrors)
                context.Error.WriteLine(error);
            context.WriteError($"the pins of {pcfName} do not match the ports of {emitted.TopModule}: {pinErrors.Count} error(s)");
            return ExitCode.UsageError;
        }

        // Designs other than the default get folders of their own: `fpga flash` takes its bitstream from out/fpga/<board>.
        var outDir = options.Out ?? Path.Combine("out", "fpga", options.Design == designs.Keys.First() ? board.Name : $"{board.Name}-{options.Design}");
        try
        {
            // The build replaces the folder as a whole: refuse one that is not an earlier build's.
            OutputDirectory.Check(outDir, marker: FpgaFlow.MarkerFile, "an FPGA build's output");
        }
        catch (OutputPathException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        var verilogDir = Path.Combine(Path.GetTempPath(), $"hwgen-fpga-{Environment.ProcessId}-{Guid.NewGuid():N}");
        FpgaFlowResult result;
        try
        {
            VerilogEmitter.WriteTo(emitted, verilogDir);
            var request = new FpgaFlowRequest(verilogDir, emitted.TopModule, new FpgaTarget(board.Device, board.Package, pcfText),
                top.TargetMHz, options.Seed, outDir)
            {
                ClockMHz = top.OtherClocksMHz,
                Areas = options.Areas,
                SynthesisOptions = options.SynthesisOptions ?? top.SynthesisOptions,
                PlaceAndRouteOptions = options.PlaceAndRouteOptions,
                PackOnly = options.PackOnly,
            };
            result = RunFlow(context, request, options.Json);
        }
        catch (FpgaToolException ex)
        {
            context.Error.WriteLine(ex.LogTail);
            context.WriteError(ex.Message);
            return ExitCode.Failure;
        }
        finally
        {
            if (Directory.Exists(verilogDir))
                Directory.Delete(verilogDir, recursive: true);
        }

        var report = result.Report;
        if (options.Json)
            context.Out.WriteLine(JsonSerializer.Serialize(ToJson(board, options.Design, top, report, result, options.PackOnly), s_json));
        else
            Print(context, board, options.Design, top, report, result);
        if (options.PackOnly && !options.Json && report.Fits)
            context.Out.WriteLine("packed only (--pack-only): the cells are exact; no placement, timing or bitstream");

        if (!report.Fits)
        {
            context.WriteError($"{report.NotFitting ?? "the design does not fit"}; no bitstream written");
            return ExitCode.Failure;
        }
        var missed = report.Fmax.Where(c => !c.Met).ToArray();
        foreach (var clock in missed)
        {
            context.WriteError($"{(options.Strict ? "error" : "warning")}: clock {clock.Clock} reaches {Mhz(clock.AchievedMHz)} MHz, " +
                $"short of the {Mhz(clock.TargetMHz)} MHz target ({top.ClockDescription})");
        }
        return missed.Length > 0 && options.Strict ? ExitCode.Failure : ExitCode.Success;
    }

    private static FpgaFlowResult RunFlow(CliContext context, FpgaFlowRequest request, bool json)
    {
        if (json)
            return FpgaFlow.Run(request);
        void Finished(FpgaStep step) =>
            context.Console.MarkupLine($"{Markup.Escape(step.Name)}: {step.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s [grey]({Markup.Escape(step.CommandLine)}; log {Markup.Escape(step.Log)})[/]");
        if (!context.Console.Profile.Capabilities.Interactive)
            return FpgaFlow.Run(request, step => { if (step.Elapsed > TimeSpan.Zero) Finished(step); });
        FpgaFlowResult? result = null;
        context.Console.Status().Start("building", status => result = FpgaFlow.Run(request, step =>
        {
            if (step.Elapsed == TimeSpan.Zero)
                status.Status(Markup.Escape($"{step.Name}…"));
            else
                Finished(step);
        }));
        return result!;
    }

    private static void Print(CliContext context, Board board, string design, BoardTop top, FpgaReport report, FpgaFlowResult result)
    {
        var cells = new Table().Title(Markup.Escape($"{board.Title}: {board.Device}-{board.Package}, {design} ({top.Top.ModuleName})"));
        cells.AddColumns("resource", "cell", "used", "available", "%");
        foreach (var c in report.Cells)
        {
            var percent = double.IsInfinity(c.Percent) ? "-" : c.Percent.ToString("F1", CultureInfo.InvariantCulture);
            var used = c.Fits ? c.Used.ToString(CultureInfo.InvariantCulture) : $"[red]{c.Used}[/]";
            cells.AddRow(Markup.Escape(c.Description), Markup.Escape(c.Primitive), used, c.Available.ToString(CultureInfo.InvariantCulture), percent);
        }
        context.Console.Write(cells);

        if (report.Fmax.Count > 0)
        {
            var clocks = new Table().Title(Markup.Escape($"clocks ({top.ClockDescription})"));
            clocks.AddColumns("clock", "Fmax (MHz)", "target (MHz)", "");
            foreach (var c in report.Fmax)
                clocks.AddRow(Markup.Escape(c.Clock), Mhz(c.AchievedMHz), Mhz(c.TargetMHz), c.Met ? "[green]met[/]" : "[red]missed[/]");
            context.Console.Write(clocks);
        }

        if (report.CriticalPath is { } path)
        {
            static string At(string? location) => location is null ? "" : $" @ {location}";
            context.Out.WriteLine($"critical path: {path.From}{At(path.FromLocation)} -> {path.To}{At(path.ToLocation)}: " +
                string.Create(CultureInfo.InvariantCulture, $"{path.DelayNs:F2} ns, {path.LogicLevels} logic level(s), {path.Nets.Count} net(s)"));
            // Runs of nets from one C# line (the stages of a carry chain) are shown as one line.
            for (int i = 0; i < path.Nets.Count;)
            {
                int end = i + 1;
                while (end < path.Nets.Count && path.Nets[i].Location is not null && path.Nets[end].Location == path.Nets[i].Location)
                    end++;
                var nets = end - i == 1 ? path.Nets[i].Net
                    : end - i == 2 ? $"{path.Nets[i].Net}, {path.Nets[end - 1].Net}"
                    : $"{path.Nets[i].Net} … {path.Nets[end - 1].Net} ({end - i} nets)";
                context.Out.WriteLine($"  {nets}{At(path.Nets[i].Location)}");
                i = end;
            }
        }
        if (result.Areas is { } areas)
            context.Console.Write(AreaTable(areas, report));
        if (result.LoneFlipFlops is { } lone)
        {
            context.Out.WriteLine($"flip-flops alone in a logic cell: {lone.Alone.ToString("N0", CultureInfo.InvariantCulture)} of {lone.FlipFlops.ToString("N0", CultureInfo.InvariantCulture)}");
            context.Console.Write(LoneFlipFlopTable(lone));
        }
        if (result.Bitstream is not null)
            context.Out.WriteLine($"bitstream: {result.Bitstream}");
    }

    /// <summary>One row per module instance, indented by depth, and the sum against the flattened synthesis's LUT4.</summary>
    private static Table AreaTable(IReadOnlyList<ModuleArea> areas, FpgaReport report)
    {
        var total = ModuleArea.Total(areas);
        var flat = report.Cells.FirstOrDefault(c => c.Kind == "lut4")?.Used ?? 0;
        var table = new Table().Title("area by module instance (own cells, without submodules)")
            .Caption(Markup.Escape($"From a second synthesis that keeps the hierarchy (synth_ice40 -dsp -noflatten): nothing is optimised across " +
                $"module boundaries (outputs no one reads stay), so the sum ({total.Lut4} LUT4) differs from the flattened design's {flat} LUT4 above."));
        table.AddColumns("instance", "module");
        foreach (var column in new[] { "LUT4", "DFF", "carry", "BRAM", "DSP" })
            table.AddColumn(new TableColumn(column).RightAligned());
        static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        foreach (var a in areas)
        {
            var name = a.Depth == 0 ? "(top)" : new string(' ', 2 * (a.Depth - 1)) + a.Path.Split('.')[^1];
            table.AddRow(Markup.Escape(name), Markup.Escape(a.Module), N(a.Lut4), N(a.Dff), N(a.Carry), N(a.Bram), N(a.Dsp));
        }
        table.AddRow("[bold]sum[/]", "", N(total.Lut4), N(total.Dff), N(total.Carry), N(total.Bram), N(total.Dsp));
        return table;
    }

    /// <summary>How many registers in the flattened design take a logic cell without logic, the largest registers first.</summary>
    private static Table LoneFlipFlopTable(LoneFlipFlopReport lone)
    {
        const int Shown = 20;
        static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var table = new Table()
            .Caption(Markup.Escape("A flip-flop packs into its LUT's cell only when that LUT drives it alone; one loaded from another register, " +
                "a RAM, a DSP, a carry or a LUT with other readers takes a cell of its own. " +
                (lone.Registers.Count > Shown ? $"The {Shown} largest of {N(lone.Registers.Count)} registers." : "")));
        table.AddColumn("register");
        table.AddColumn(new TableColumn("flip-flops").RightAligned());
        foreach (var r in lone.Registers.Take(Shown))
            table.AddRow(Markup.Escape(r.Name), N(r.Bits));
        return table;
    }

    private static object ToJson(Board board, string design, BoardTop top, FpgaReport report, FpgaFlowResult result, bool packOnly) => new
    {
        board = board.Name,
        design,
        device = board.Device,
        package = board.Package,
        fits = report.Fits,
        notFitting = report.NotFitting,
        cells = report.Cells.ToDictionary(c => c.Kind, c => new { used = c.Used, available = c.Available }),
        fmaxMHz = report.Fmax.ToDictionary(c => c.Clock, c => Math.Round(c.AchievedMHz, 2)),
        targetMHz = top.TargetMHz,
        meetsTarget = report.MeetsTarget,
        clockPlan = top.ClockDescription,
        bitstream = result.Bitstream,
        packOnly,
        criticalPath = report.CriticalPath is { } p
            ? new
            {
                from = p.From,
                fromLocation = p.FromLocation,
                to = p.To,
                toLocation = p.ToLocation,
                delayNs = Math.Round(p.DelayNs, 3),
                logicLevels = p.LogicLevels,
                nets = p.Nets.Select(n => new { net = n.Net, location = n.Location }).ToArray(),
            }
            : null,
        areas = result.Areas?.Select(a => new { path = a.Path, module = a.Module, lut4 = a.Lut4, dff = a.Dff, carry = a.Carry, bram = a.Bram, dsp = a.Dsp }).ToArray(),
        loneFlipFlops = result.LoneFlipFlops is { } lone
            ? new { flipFlops = lone.FlipFlops, alone = lone.Alone, registers = lone.Registers.Select(r => new { name = r.Name, bits = r.Bits }).ToArray() }
            : null,
        steps = result.Steps.Select(s => new { name = s.Name, seconds = Math.Round(s.Elapsed.TotalSeconds, 2), log = s.Log }).ToArray(),
    };

    private static string Mhz(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
