using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Mutation;
using HwGen.Sim.Programs;
using HwGen.Sim.Verilator;
using Spectre.Console;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen mutate --design core [--count N] [--programs …] [--jobs N] [--seed S] [--json]</c>: mutation coverage of the
/// core. Yosys lists N mutations of the core's netlist, spread evenly over it, and builds one netlist with all of them
/// behind a selector input, so one Verilator model serves every mutant; each mutant runs the programs in lockstep with
/// the golden model until one kills it; Yosys then tries to prove each survivor equivalent to the core by induction. Exit 0 when the
/// run completed: the kill rate is a figure, not a verdict.
/// </summary>
internal static class MutateCommand
{
    /// <summary>The designs that can be mutated.</summary>
    private static readonly string[] Designs = ["core"];

    /// <summary>The default programs: the ISA suite, the hazard programs and the long programs of the repository, built bare.</summary>
    private static readonly string[] DefaultSuites = ["tests/isa", "tests/hazards", "tests/long"];

    /// <summary>Random programs among the default programs (<see cref="RandomProgram"/>, seeds 1 to this).</summary>
    private const int RandomSample = 8;

    public static Command Create(CliContext context)
    {
        var design = new Option<string>("--design")
        {
            Description = "The design whose netlist is mutated: " + string.Join(", ", Designs) + " (the AP core, run in its SoC).",
            HelpName = "NAME",
            Required = true,
        };
        var count = new Option<int>("--count") { Description = "Mutations to list and run.", HelpName = "N", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of Yosys's choice of mutations.", HelpName = "S", DefaultValueFactory = _ => 1 };
        var programs = new Option<string[]>("--programs")
        {
            Description = "The programs every mutant runs: RV32 ELF files, folders of them, C or assembly sources, or bundled programs " +
                "(as hwgen sim takes them) [default: the repository's " + string.Join(", ", DefaultSuites) + $" programs, the decoder table's and the CSR addresses' illegal corners and {RandomSample} random programs].",
            HelpName = "ELF|APP|DIR",
            AllowMultipleArgumentsPerToken = true,
        };
        var jobs = new Option<int?>("--jobs") { Description = "Model instances (and equivalence checks) at a time [default: the number of processors].", HelpName = "N" };
        var cycles = new Option<int>("--equivalence-cycles")
        {
            Description = "The longest induction Yosys tries to prove a survivor's core equivalent to the core: cycles after reset it compares them over, and cycles of equal outputs the induction step assumes.",
            HelpName = "N",
            DefaultValueFactory = _ => 6,
        };
        var timeout = new Option<int>("--equivalence-timeout")
        {
            Description = "Seconds one survivor's equivalence check may take, reading the core included; one that runs out is not proven.",
            HelpName = "S",
            DefaultValueFactory = _ => (int)new MutationOptions().EquivalenceTimeout.TotalSeconds,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object on stdout." };
        var command = new Command("mutate", "Mutation coverage: how many mutants of the core the programs kill.")
        {
            design, count, seed, programs, jobs, cycles, timeout, json,
        };
        HwGenCommandLine.SetHandler(command, r => Run(context, r.GetRequiredValue(design), r.GetValue(count), r.GetValue(seed),
            r.GetValue(programs) ?? [], r.GetValue(jobs) ?? Environment.ProcessorCount, r.GetValue(cycles), r.GetValue(timeout), r.GetValue(json)));
        return command;
    }

    private static ExitCode Run(CliContext context, string design, int count, int seed, string[] programArguments, int jobs, int cycles, int timeout, bool json)
    {
        if (!Designs.Contains(design, StringComparer.Ordinal))
            throw new UsageException($"--design {design}: no such design to mutate; the designs are {string.Join(", ", Designs)}");
        if (count < 1)
            throw new UsageException($"--count {count}: give at least 1 mutation");
        if (jobs < 1)
            throw new UsageException($"--jobs {jobs}: give at least 1");
        if (cycles < 1)
            throw new UsageException($"--equivalence-cycles {cycles}: give at least 1");
        if (timeout < 1)
            throw new UsageException($"--equivalence-timeout {timeout}: give at least 1 second");

        var map = MemoryMap.Simulation;
        var programs = (programArguments.Length > 0 ? SimCommand.Expand(programArguments, context, map) : DefaultPrograms(context, map))
            .Select(p => new MutationProgram(p.Name, p.Image))
            .ToList();
        foreach (var program in programs.Where(p => p.Image.Tohost is null))
            throw new UsageException($"{program.Name}: no 'tohost' symbol, so the program cannot report its end and cannot tell a mutant from the design");

        void Progress(string message)
        {
            if (!json)
                context.Error.WriteLine($"hwgen: {message}");
        }

        MutationReport report;
        var options = new MutationOptions { Count = count, Seed = seed, Jobs = jobs, EquivalenceCycles = cycles, EquivalenceTimeout = TimeSpan.FromSeconds(timeout), Progress = Progress };
        try
        {
            if (json || !context.Console.Profile.Capabilities.Interactive)
            {
                report = MutationCampaign.Run(map, programs, options);
            }
            else
            {
                report = null!;
                context.Console.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask($"{count} mutants, {programs.Count} programs each ({jobs} at a time), then the survivors' equivalence", maxValue: count);
                    report = MutationCampaign.Run(map, programs, options with { Advance = () => task.Increment(1), Progress = null });
                });
            }
        }
        catch (MutationProgramException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (MutationException ex)
        {
            context.WriteError(ex.Message);
            return ExitCode.Failure;
        }
        catch (VerilatorBuildException ex)
        {
            context.WriteError(ex.Message);
            return ExitCode.Failure;
        }

        if (json)
        {
            context.Out.WriteLine(Json(report));
        }
        else
        {
            context.Console.Write(Table(report));
            context.Out.WriteLine("hwgen: " + Summary(report));
        }
        return ExitCode.Success;
    }

    /// <summary>
    /// The repository's ISA and hazard programs, the decoder table's and the CSR addresses' illegal corners
    /// (<see cref="DecoderCorners"/>, <see cref="CsrCorners"/>) and a sample of random programs, built bare (their own <c>_start</c>) into <c>out/mutate/programs</c>.
    /// </summary>
    private static List<SimCommand.SimProgram> DefaultPrograms(CliContext context, MemoryMap map)
    {
        var root = FindRepository() ?? throw new UsageException(
            $"the default programs are the repository's {string.Join(", ", DefaultSuites)} programs, not found from {Environment.CurrentDirectory}: run in the checkout or give --programs");
        var isa = Path.Combine(root, "tests", "isa");
        var output = Path.GetFullPath(Path.Combine("out", "mutate", "programs"));
        var toolchain = RiscvToolchain.Find();
        var elves = new List<string>();
        string Build(string source, string name)
        {
            try
            {
                return toolchain.Build(new BuildRequest([source], Path.Combine(output, name + ".elf"))
                {
                    MemoryMap = map,
                    IncludeRuntime = false,
                    IncludeDirectories = [isa],
                }).ElfPath;
            }
            catch (FirmwareBuildException ex)
            {
                context.Error.WriteLine(ex.CompilerOutput.TrimEnd());
                throw new UsageException($"{source}: the program does not build: {ex.Message}", ex);
            }
        }

        foreach (var suite in DefaultSuites)
        {
            foreach (var source in Directory.EnumerateFiles(Path.Combine(root, suite), "*.S").Order(StringComparer.Ordinal))
                elves.Add(Build(source, Path.GetFileName(suite) + "-" + Path.GetFileNameWithoutExtension(source)));
        }
        string Generated(string name, string text)
        {
            var source = Path.Combine(output, name + ".S");
            Directory.CreateDirectory(output);
            File.WriteAllText(source, text);
            return Build(source, name);
        }

        // The decoder table's and the CSR addresses' illegal corners, for the core the campaign mutates.
        var core = CoreConfig.ForMemoryMap(map);
        elves.Add(Generated("isa-" + DecoderCorners.ProgramName, DecoderCorners.Program(core)));
        elves.Add(Generated("isa-" + CsrCorners.ProgramName, CsrCorners.Program(core)));
        // A sample of the constrained-random programs the simulator's tests run in lockstep: seeds 1 to RandomSample.
        for (int seed = 1; seed <= RandomSample; seed++)
            elves.Add(Generated(string.Create(CultureInfo.InvariantCulture, $"random-{seed}"), RandomProgram.Generate(seed).Assembly));
        // Reported by their file names (isa-branches, hazards-forwarding, random-1).
        return [.. SimCommand.Expand(elves, context, map).Select(p => p with { Name = p.Key })];
    }

    private static string? FindRepository()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (DefaultSuites.All(suite => Directory.Exists(Path.Combine(directory.FullName, suite))))
                return directory.FullName;
        }
        return null;
    }

    private static string ResultName(MutantOutcome outcome) => outcome switch
    {
        MutantOutcome.Killed => "killed",
        MutantOutcome.Equivalent => "equivalent",
        MutantOutcome.NotProven => "not proven (review)",
        _ => "survived",
    };

    /// <summary>The JSON name of an outcome.</summary>
    private static string JsonName(MutantOutcome outcome) => outcome switch
    {
        MutantOutcome.NotProven => "notProven",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>The one-line summary: the outcomes, the kill rate over the mutants not proven equivalent, the time.</summary>
    internal static string Summary(MutationReport report)
    {
        var programs = report.Programs.Select(p => p.Name).Distinct().Count();
        var runs = report.Programs.Any(p => p.WaitStates) ? " (each without and with wait states)" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{report.Mutants.Count} mutants of the core, {programs} programs{runs}: {report.Killed} killed, {report.Equivalent} proven equivalent, " +
            $"{report.NotProven} not proven (review), {report.Survived} survived; kill rate {report.KillRate * 100:0.0} % of {report.Mutants.Count - report.Equivalent} non-equivalent, " +
            $"in {report.Elapsed.TotalSeconds:0.0} s");
    }

    private static Table Table(MutationReport report)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "mutant", "location", "source", "mutation", "result", "killer" })
            table.AddColumn(column);
        foreach (var m in report.Mutants)
        {
            var killer = m.Outcome == MutantOutcome.Killed ? $"{m.Killer}{(m.WaitStates ? " (wait states)" : "")}: {m.Reason}" : m.Reason ?? "";
            table.AddRow(
                Markup.Escape(m.Mutation.Index.ToString(CultureInfo.InvariantCulture)),
                Markup.Escape(m.Location ?? ""),
                Markup.Escape(m.Mutation.VerilogSource ?? ""),
                Markup.Escape($"{m.Mutation.Mode} {m.Mutation.Port}[{m.Mutation.PortBit}]" + (m.Mutation.Wire is null ? "" : $" {m.Mutation.Wire}")),
                Markup.Escape(ResultName(m.Outcome)),
                Markup.Escape(killer));
        }
        return table;
    }

    internal static string Json(MutationReport report) => JsonSerializer.Serialize(new
    {
        design = "core",
        seed = report.Seed,
        programs = report.Programs.Select(p => new { name = p.Name, waitStates = p.WaitStates, cycles = p.Cycles, instret = p.Instret }),
        mutants = report.Mutants.Select(m => new
        {
            index = m.Mutation.Index,
            mode = m.Mutation.Mode,
            cell = m.Mutation.Cell,
            port = m.Mutation.Port,
            portBit = m.Mutation.PortBit,
            wire = m.Mutation.Wire,
            source = m.Mutation.VerilogSource,
            location = m.Location,
            result = JsonName(m.Outcome),
            killer = m.Killer,
            waitStates = m.Outcome == MutantOutcome.Killed ? m.WaitStates : (bool?)null,
            reason = m.Reason,
            cycle = m.Cycle,
        }),
        killed = report.Killed,
        equivalent = report.Equivalent,
        notProven = report.NotProven,
        survived = report.Survived,
        killRate = report.KillRate,
        equivalenceCycles = report.EquivalenceCycles,
        seconds = report.Elapsed.TotalSeconds,
    }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
