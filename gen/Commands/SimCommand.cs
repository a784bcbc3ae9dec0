using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using HwGen.Designs.Riscv;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen sim ELF|APP [--cosim] [--max-cycles N] [--wave FILE] [--uart-in FILE] [--predictor none|static|btb]
/// [--btb-entries N] [--no-m] [--json]</c>: run a program on the Verilated application-processor SoC, its core built
/// with the options given.
/// </summary>
internal static class SimCommand
{
    public static Command Create(CliContext context)
    {
        var program = new Argument<string>("program")
        {
            Description = "An RV32 ELF linked for the RAM, a C or assembly source (built with the firmware runtime), or a bundled program: " +
                string.Join(", ", FirmwareSources.BenchmarkFiles.Select(Path.GetFileNameWithoutExtension)) + ".",
            HelpName = "ELF|APP",
        };
        var cosim = new Option<bool>("--cosim") { Description = "Run the golden model in lockstep and compare every retired instruction." };
        var maxCycles = new Option<ulong>("--max-cycles")
        {
            Description = "Stop after this many clock cycles (exit code 5).",
            DefaultValueFactory = _ => 200_000_000,
        };
        var wave = new Option<string?>("--wave") { Description = "Write a waveform of the whole run (.vcd, or .fst).", HelpName = "FILE" };
        var trace = new Option<string?>("--trace") { Description = "Write every retired instruction to FILE, one line each: pc, word, disassembly, register and memory effects.", HelpName = "FILE" };
        var uartIn = new Option<string?>("--uart-in") { Description = "Bytes fed to the UART's receive side.", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Print one JSON result object on stdout." };
        var core = new CoreOptions();
        var command = new Command("sim", "Run a program on the Verilated SoC.") { program, cosim, maxCycles, wave, trace, uartIn, json };
        foreach (var option in core.All)
            command.Add(option);
        HwGenCommandLine.SetHandler(command, r => Run(context, r.GetRequiredValue(program), r.GetValue(cosim), r.GetValue(maxCycles),
            r.GetValue(wave), r.GetValue(trace), r.GetValue(uartIn), core.Read(r), r.GetValue(json)));
        return command;
    }

    private static ExitCode Run(CliContext context, string program, bool cosim, ulong maxCycles, string? wave, string? trace, string? uartIn,
        CoreChoice core, bool json)
    {
        if (maxCycles == 0)
            throw new UsageException("--max-cycles must be at least 1");
        byte[] input = [];
        if (uartIn is not null)
        {
            if (!File.Exists(uartIn))
                throw new UsageException($"--uart-in {uartIn}: no such file");
            input = File.ReadAllBytes(uartIn);
        }
        var elf = ProgramResolver.Resolve(program, context);

        void Progress(string message)
        {
            if (!json)
                context.Error.WriteLine($"hwgen: {message}");
        }

        var map = new SimOptions(elf).Map;
        SimResult result;
        try
        {
            result = SimRunner.Run(new SimOptions(elf)
            {
                Core = core.Any ? core.Apply(CoreConfig.ForMemoryMap(map)) : null,
                Cosim = cosim,
                MaxCycles = maxCycles,
                WavePath = wave,
                TracePath = trace,
                UartInput = input,
                UartEcho = json ? null : text => { context.Out.Write(text); context.Out.Flush(); },
                Progress = Progress,
            });
        }
        catch (ElfFormatException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(ToJson(result), JsonOptions));
        }
        else
        {
            if (result.Uart.Length > 0 && !result.Uart.EndsWith('\n'))
                context.Out.WriteLine();
            context.Out.WriteLine(Summary(result));
            if (result.Divergence is { } d)
                context.Out.WriteLine(d.Describe());
        }
        return result.Status switch
        {
            SimStatus.Passed => ExitCode.Success,
            SimStatus.Failed => ExitCode.Failure,
            SimStatus.Violation => ExitCode.PolicyViolation,
            SimStatus.Divergence => ExitCode.Divergence,
            SimStatus.Timeout => ExitCode.CycleLimit,
            _ => ExitCode.Failure,
        };
    }

    private static string Summary(SimResult r)
    {
        var status = r.Status switch
        {
            SimStatus.Passed => "passed",
            SimStatus.Failed => $"failed with exit code {r.ExitCode}",
            SimStatus.Divergence => "diverged from the golden model",
            SimStatus.Timeout => "stopped at the cycle limit",
            _ => r.Status.ToString().ToLowerInvariant(),
        };
        var trap = r.Trap is { } t ? $"; last trap: {t.Description} at 0x{t.Pc:x8}" : "";
        return $"hwgen: {status}: {r.Instret} instructions in {r.Cycles} cycles (CPI {r.Cpi:F3}){trap}";
    }

    private static object ToJson(SimResult r) => new
    {
        status = r.Status.ToString().ToLowerInvariant(),
        exitCode = r.ExitCode,
        cycles = r.Cycles,
        instret = r.Instret,
        cpi = Math.Round(r.Cpi, 4),
        uart = r.Uart,
        trap = r.Trap is { } t ? new { cause = t.Cause, pc = $"0x{t.Pc:x8}", description = t.Description } : null,
        violations = Array.Empty<object>(),
        divergence = r.Divergence is { } d
            ? new
            {
                field = d.Difference.Field,
                rtl = $"0x{d.Difference.Rtl:x8}",
                model = $"0x{d.Difference.Model:x8}",
                order = d.Order,
                cycle = d.Cycle,
                wave = d.WavePath,
            }
            : null,
    };

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>Turns the <c>program</c> argument into an ELF: a file as is, a source built with the runtime, or a bundled program.</summary>
internal static class ProgramResolver
{
    public static string Resolve(string program, CliContext context)
    {
        if (File.Exists(program))
        {
            var ext = Path.GetExtension(program).ToLowerInvariant();
            return ext is ".c" or ".s" ? Build([Path.GetFullPath(program)], Path.GetFileNameWithoutExtension(program), context) : program;
        }
        var bundled = FirmwareSources.BenchmarkFiles.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == program);
        if (bundled is not null)
        {
            var dir = Path.Combine("out", "firmware", program);
            Directory.CreateDirectory(dir);
            var source = FirmwareSources.WriteBenchmark(bundled, dir);
            return Build([source], program, context);
        }
        throw new UsageException($"{program}: no such file, and not a bundled program ({string.Join(", ", FirmwareSources.BenchmarkFiles.Select(Path.GetFileNameWithoutExtension))})");
    }

    private static string Build(IReadOnlyList<string> sources, string name, CliContext context)
    {
        var output = Path.GetFullPath(Path.Combine("out", "firmware", name, name + ".elf"));
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        try
        {
            return RiscvToolchain.Find().Build(new BuildRequest(sources, output)).ElfPath;
        }
        catch (FirmwareBuildException ex)
        {
            context.Error.WriteLine(ex.CompilerOutput.TrimEnd());
            throw new UsageException($"{name}: the program does not build: {ex.Message}", ex);
        }
    }
}
