using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Firmware.Pex;
using HwGen.Firmware.Unikernel;
using HwGen.Designs.Pex;
using HwGen.Designs.Tags;
using HwGen.Sim.Policy;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;
using HwGen.Sim.Verilator;
using Spectre.Console;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen sim ELF|APP|DIR… [--cosim] [--max-cycles N] [--wave FILE] [--trace FILE] [--uart-in FILE] [--jobs N]
/// [--junit FILE] [--predictor none|static|btb] [--btb-entries N] [--no-m] [--json]</c>: run one program, or many, on the
/// Verilated application-processor SoC, its core built with the options given. The SoC is elaborated and its model
/// loaded once; every program gets a fresh instance of the model, up to <c>--jobs</c> of them at a time.
/// </summary>
internal static class SimCommand
{
    public static Command Create(CliContext context)
    {
        var programs = new Argument<string[]>("programs")
        {
            Description = "RV32 ELF files linked for the RAM, folders of them (every ELF file below the folder), C or assembly sources " +
                "(built with the firmware runtime), or bundled programs (a unikernel application is built with hwgen firmware build): " +
                ProgramResolver.BundledPrograms + ".",
            HelpName = "ELF|APP|DIR",
            Arity = ArgumentArity.OneOrMore,
        };
        var cosim = new Option<bool>("--cosim") { Description = "Run the golden model in lockstep and compare every retired instruction." };
        var maxCycles = new Option<ulong>("--max-cycles")
        {
            Description = "Stop a program after this many clock cycles (exit code 5).",
            DefaultValueFactory = _ => 200_000_000,
        };
        var wave = new Option<string?>("--wave") { Description = "Write a waveform of the whole run (.vcd, or .fst); one program only.", HelpName = "FILE" };
        var trace = new Option<string?>("--trace") { Description = "Write every retired instruction to FILE, one line each: pc, word, disassembly, register and memory effects; one program only.", HelpName = "FILE" };
        var uartIn = new Option<string?>("--uart-in") { Description = "Bytes fed to the UART's receive side (of every program).", HelpName = "FILE" };
        var jobs = new Option<int?>("--jobs")
        {
            Description = "Programs run at a time, each on its own instance of the model [default: the number of processors].",
            HelpName = "N",
        };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report, one test case per program.", HelpName = "FILE" };
        var signature = new Option<string?>("--signature")
        {
            Description = "Write the words between the ELF's begin_signature and end_signature symbols when the program ends, " +
                "one lower-case hex word per line (the riscv-arch-test format); one program only.",
            HelpName = "FILE",
        };
        var dump = new Option<string[]>("--dump")
        {
            Description = "Write LEN bytes of RAM from ADDR (hex 0x… or decimal) when the program ends, as they are; one program only.",
            HelpName = "ADDR:LEN FILE",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on stdout: one object for one program, an array for several or a folder." };
        var policy = new Option<string?>("--policy")
        {
            Description = "Run on the tagged SoC (the tag unit, the rule cache and the PEX) under this policy: " +
                string.Join(", ", PolicyRegistry.Names) + ", or a composite such as nxd-nwc+ret+heap; a denied instruction traps, and the run ends with exit code 3.",
            HelpName = "P",
        };
        var ruleCacheEntries = new Option<int?>("--rule-cache-entries")
        {
            Description = "Entries of the rule cache (with --policy), a power of two from 1 to 4096, in at most 64 sets [default: 64].",
            HelpName = "N",
        };
        var ruleCacheWays = new Option<int?>("--rule-cache-ways")
        {
            Description = "Ways of the rule cache (with --policy): entries per set, a power of two [default: 2].",
            HelpName = "N",
        };
        var core = new CoreOptions();
        var command = new Command("sim", "Run programs on the Verilated SoC.")
        {
            programs, cosim, maxCycles, wave, trace, uartIn, signature, dump, jobs, junit, policy, ruleCacheEntries, ruleCacheWays, json,
        };
        foreach (var option in core.All)
            command.Add(option);
        HwGenCommandLine.SetHandler(command, r => Run(context, new SimRequest(r.GetRequiredValue(programs), r.GetValue(cosim), r.GetValue(maxCycles),
            r.GetValue(wave), r.GetValue(trace), r.GetValue(uartIn), r.GetValue(signature), r.GetValue(dump), r.GetValue(jobs) ?? Environment.ProcessorCount, r.GetValue(junit),
            core.Read(r), r.GetValue(policy), r.GetValue(ruleCacheEntries), r.GetValue(ruleCacheWays), r.GetValue(json))));
        return command;
    }

    private sealed record SimRequest(string[] Programs, bool Cosim, ulong MaxCycles, string? Wave, string? Trace, string? UartIn,
        string? Signature, string[]? Dump, int Jobs, string? Junit, CoreChoice Core, string? Policy, int? RuleCacheEntries, int? RuleCacheWays, bool Json);

    private static ExitCode Run(CliContext context, SimRequest request)
    {
        if (request.MaxCycles == 0)
            throw new UsageException("--max-cycles must be at least 1");
        if (request.Jobs < 1)
            throw new UsageException($"--jobs {request.Jobs}: give at least 1");
        byte[] input = [];
        if (request.UartIn is not null)
        {
            if (!File.Exists(request.UartIn))
                throw new UsageException($"--uart-in {request.UartIn}: no such file");
            input = File.ReadAllBytes(request.UartIn);
        }

        var map = MemoryMap.Simulation;
        var dump = request.Dump is { Length: 2 } given ? (Range: ParseRegion(given[0], map), Path: given[1]) : ((MemoryRange Range, string Path)?)null;
        var programs = Expand(request.Programs, context, map);
        // One program named on its own keeps the single result; a folder or several programs give a list.
        bool single = request.Programs.Length == 1 && programs.Count == 1 && !Directory.Exists(request.Programs[0]);
        if (!single)
        {
            foreach (var (option, value) in new[] { ("--wave", request.Wave), ("--trace", request.Trace), ("--signature", request.Signature), ("--dump", dump?.Path) })
            {
                if (value is not null)
                    throw new UsageException($"{option} {value}: writes the run of one program; {programs.Count} programs were given");
            }
        }
        foreach (var program in programs.Where(p => p.Image.Tohost is null))
        {
            context.Error.WriteLine($"hwgen: {program.Name}: no 'tohost' symbol, so the program cannot report its end: the run stops only at " +
                $"the cycle limit ({request.MaxCycles} cycles, --max-cycles){(request.Cosim ? " or at a divergence" : "")}");
        }

        // The regions whose contents the run hands back: the signature, then the dump.
        List<MemoryRange> capture = [];
        if (request.Signature is not null)
            capture.Add(SignatureRegion(programs[0].Image, map));
        if (dump is { } region)
            capture.Add(region.Range);

        void Progress(string message)
        {
            if (!request.Json)
                context.Error.WriteLine($"hwgen: {message}");
        }

        var wave = request.Wave is null ? WaveFormat.None : WaveFormats.FromPath(request.Wave);
        var coreConfig = request.Core.Any ? request.Core.Apply(CoreConfig.ForMemoryMap(map)) : null;
        var tags = TagsFor(request, map);
        var simPolicy = request.Policy is null ? null : PolicyFor(context, request.Policy, tags);
        if (simPolicy is not null)
            coreConfig = (coreConfig ?? CoreConfig.ForMemoryMap(map)) with { Tags = tags };
        var machine = SimMachine.Get(map, coreConfig, wave, Progress);

        SimOptions Options(SimProgram program, Action<string>? echo) => new(program.Image.Path)
        {
            Capture = capture,
            Cosim = request.Cosim,
            MaxCycles = request.MaxCycles,
            WavePath = request.Wave,
            TracePath = request.Trace,
            UartInput = input,
            UartEcho = echo,
            Progress = Progress,
            DivergenceWavePath = Path.Combine("out", "sim", program.Key, program.Key + ".divergence.vcd"),
            Core = coreConfig,
            Policy = simPolicy,
        };

        if (single)
        {
            var program = programs[0];
            var clock = Stopwatch.StartNew();
            var result = machine.Run(program.Image, Options(program, request.Json ? null : text => { context.Out.Write(text); context.Out.Flush(); }));
            var run = new ProgramRun(program.Name, result, clock.Elapsed);
            if (request.Json)
            {
                context.Out.WriteLine(SimReports.Json(run));
            }
            else
            {
                if (result.Uart.Length > 0 && !result.Uart.EndsWith('\n'))
                    context.Out.WriteLine();
                context.Out.WriteLine("hwgen: " + SimReports.Summary(result));
                if (result.Divergence is { } d)
                    context.Out.WriteLine(d.Describe());
            }
            WriteJunit(request.Junit, [run], clock.Elapsed);
            int next = 0;
            if (request.Signature is not null)
                WriteOutput("--signature", request.Signature, SignatureText(result.Memory[next++]));
            if (dump is { } written)
                WriteOutput("--dump", written.Path, result.Memory[next]);
            return SimReports.ExitCodeOf(result.Status);
        }

        var runs = new ProgramRun[programs.Count];
        var total = Stopwatch.StartNew();
        void RunAll(Action? advance)
        {
            try
            {
                Parallel.For(0, programs.Count, new ParallelOptions { MaxDegreeOfParallelism = request.Jobs }, i =>
                {
                    var clock = Stopwatch.StartNew();
                    var result = machine.Run(programs[i].Image, Options(programs[i], null));
                    runs[i] = new ProgramRun(programs[i].Name, result, clock.Elapsed);
                    advance?.Invoke();
                });
            }
            catch (AggregateException ex)
            {
                ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
            }
        }

        if (request.Json || !context.Console.Profile.Capabilities.Interactive)
        {
            RunAll(null);
        }
        else
        {
            context.Console.Progress().Start(ctx =>
            {
                var task = ctx.AddTask($"running {programs.Count} programs ({Math.Min(request.Jobs, programs.Count)} at a time)", maxValue: programs.Count);
                RunAll(() => task.Increment(1));
            });
        }
        if (request.Json)
        {
            context.Out.WriteLine(SimReports.Json(runs));
        }
        else
        {
            context.Console.Write(SimReports.Table(runs));
            foreach (var run in runs.Where(r => r.Result.Divergence is not null))
                context.Out.WriteLine($"{run.Name}: {run.Result.Divergence!.Describe()}");
            context.Out.WriteLine("hwgen: " + SimReports.BatchSummary(runs, total.Elapsed));
        }
        WriteJunit(request.Junit, runs, total.Elapsed);
        return SimReports.Worst(runs);
    }

    /// <summary>The tag unit's parameters: the map's RAM tagged, the rule cache of <c>--rule-cache-entries</c> and <c>--rule-cache-ways</c>.</summary>
    private static TagConfig TagsFor(SimRequest request, MemoryMap map)
    {
        var (entries, ways) = (request.RuleCacheEntries, request.RuleCacheWays);
        if (request.Policy is null && (entries ?? ways) is not null)
            throw new UsageException($"{(entries is not null ? "--rule-cache-entries" : "--rule-cache-ways")}: the rule cache is built only with --policy");
        var defaults = TagConfig.ForMemoryMap(map);
        var tags = defaults with { RuleCacheEntries = entries ?? defaults.RuleCacheEntries, RuleCacheWays = ways ?? defaults.RuleCacheWays };
        try
        {
            tags.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"{(ex.ParamName == nameof(TagConfig.RuleCacheWays) ? $"--rule-cache-ways {ways}" : $"--rule-cache-entries {entries}")}: {ex.Message}", ex);
        }
        return tags;
    }

    /// <summary>
    /// The policy of <c>--policy</c>: the composite, and its PEX firmware built (or taken from the firmware cache) for
    /// each program's initial tag image.
    /// </summary>
    internal static SimPolicy PolicyFor(CliContext context, string spec, TagConfig tags)
    {
        Composite composite;
        try
        {
            composite = Composite.Parse(spec);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--policy {spec}: {ex.Message}", ex);
        }
        return new SimPolicy(composite, image =>
        {
            try
            {
                return PexFirmware.Build(composite, PexMemoryMap.Default, image.Interner.Sets, tags).Words;
            }
            catch (Exception ex) when (ex is FirmwareConfigException or RiscvToolchainNotFoundException)
            {
                throw new UsageException($"--policy {spec}: {ex.Message}", ex);
            }
            catch (FirmwareBuildException ex)
            {
                context.Error.WriteLine(ex.CompilerOutput.TrimEnd());
                throw new UsageException($"--policy {spec}: the PEX firmware does not build: {ex.Message}", ex);
            }
        });
    }

    private static void WriteJunit(string? path, IReadOnlyList<ProgramRun> runs, TimeSpan elapsed)
    {
        if (path is not null)
            WriteOutput("--junit", path, SimReports.Junit(runs, elapsed));
    }

    private static void WriteOutput(string option, string path, byte[] bytes)
    {
        try
        {
            OutputFile.WriteAtomically(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path}: cannot write the file: {ex.Message}", ex);
        }
    }

    /// <summary>The signature's words, one lower-case 8-digit hex word per line (the riscv-arch-test / RISCOF format).</summary>
    private static byte[] SignatureText(byte[] memory)
    {
        var text = new System.Text.StringBuilder();
        for (int offset = 0; offset + 4 <= memory.Length; offset += 4)
            text.Append(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(memory.AsSpan(offset)).ToString("x8", CultureInfo.InvariantCulture)).Append('\n');
        return System.Text.Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The words from <c>begin_signature</c> up to <c>end_signature</c>.</summary>
    private static MemoryRange SignatureRegion(ElfImage image, MemoryMap map)
    {
        uint Symbol(string name) => image.TryGetSymbol(name, out uint address)
            ? address
            : throw new UsageException($"--signature: {image.Path} has no '{name}' symbol; the signature is the words from begin_signature up to end_signature");
        uint begin = Symbol("begin_signature"), end = Symbol("end_signature");
        if (end < begin || begin % 4 != 0 || end % 4 != 0)
            throw new UsageException($"--signature: {image.Path}: begin_signature 0x{begin:x8} and end_signature 0x{end:x8} must be word-aligned, in that order");
        if (!map.Ram.Contains(begin, end - begin))
            throw new UsageException($"--signature: {image.Path}: the signature 0x{begin:x8}..0x{end:x8} lies outside RAM");
        return new MemoryRange(begin, end - begin);
    }

    /// <summary>Reads <c>--dump ADDR:LEN</c>: two numbers, hex with <c>0x</c> or decimal, a region inside RAM.</summary>
    private static MemoryRange ParseRegion(string text, MemoryMap map)
    {
        static uint? Number(string part) =>
            part.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint hex) ? hex : null
                : uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out uint dec) ? dec : null;
        var parts = text.Split(':');
        if (parts.Length != 2 || Number(parts[0]) is not { } address || Number(parts[1]) is not { } length || length == 0)
            throw new UsageException($"--dump {text}: expected ADDR:LEN, two numbers (hex 0x… or decimal) with LEN at least 1, e.g. 0x80001000:64");
        if (!map.Ram.Contains(address, length))
            throw new UsageException($"--dump {text}: the region 0x{address:x8}..0x{(ulong)address + length - 1:x8} is not inside RAM (0x{map.Ram.Base:x8}, {map.Ram.Size} bytes)");
        return new MemoryRange(address, length);
    }

    /// <summary>A program to run: the name it is reported under, its image, and a file-name-safe key for its outputs.</summary>
    internal sealed record SimProgram(string Name, ElfImage Image, string Key);

    /// <summary>
    /// The programs the arguments stand for, in order: a folder gives every ELF file below it (sorted by path), a source
    /// or a bundled name is built first. Every ELF is read and checked before anything runs.
    /// </summary>
    internal static List<SimProgram> Expand(IReadOnlyList<string> arguments, CliContext context, MemoryMap map)
    {
        var programs = new List<SimProgram>();
        foreach (var argument in arguments)
        {
            IEnumerable<(string Name, string Elf)> found;
            if (Directory.Exists(argument))
            {
                var files = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
                    .Where(IsElf)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                    throw new UsageException($"{argument}: no ELF file in the folder");
                found = files.Select(f => (f, f));
            }
            else
            {
                found = [(argument, ProgramResolver.Resolve(argument, context))];
            }
            foreach (var (name, elf) in found)
            {
                ElfImage image;
                try
                {
                    image = ElfImage.Load(elf, map);
                }
                catch (ElfFormatException ex)
                {
                    throw new UsageException(ex.Message, ex);
                }
                programs.Add(new SimProgram(name, image, Path.GetFileNameWithoutExtension(elf)));
            }
        }
        return programs;
    }

    private static bool IsElf(string path)
    {
        ReadOnlySpan<byte> elf = [0x7F, (byte)'E', (byte)'L', (byte)'F'];
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual(elf);
    }
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
        if (UnikernelTree.Bundled.Applications.ContainsKey(program))
        {
            var result = FirmwareCommand.BuildImage(context, new UnikernelBuildOptions(program, Path.Combine("out", "firmware", program)));
            if (result.CompilerOutput.Length > 0)
                context.Error.WriteLine(result.CompilerOutput.TrimEnd());
            return result.ElfPath;
        }
        var bundled = FirmwareSources.BenchmarkFiles.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == program);
        if (bundled is not null)
        {
            var dir = Path.Combine("out", "firmware", program);
            Directory.CreateDirectory(dir);
            var source = FirmwareSources.WriteBenchmark(bundled, dir);
            return Build([source], program, context);
        }
        throw new UsageException($"{program}: no such file, and not a bundled program ({BundledPrograms})");
    }

    /// <summary>The programs <c>hwgen sim</c> builds by name: the unikernel's applications and the bare benchmarks.</summary>
    public static string BundledPrograms => string.Join(", ",
        UnikernelTree.Bundled.Applications.Keys.Concat(FirmwareSources.BenchmarkFiles.Select(Path.GetFileNameWithoutExtension)).Order(StringComparer.Ordinal));

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
