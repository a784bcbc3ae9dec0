using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Fpga;
using HwGen.Gen.Templates;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Sim.Run;
using HwGen.Sim.Verilator;

namespace HwGen.Sim.Mutation;

/// <summary>Yosys could not list or apply the mutations; the message holds the tool's own words.</summary>
public sealed class MutationException(string message) : Exception(message);

/// <summary>
/// The SoC with N mutations of its core, all in one netlist, in the manner of YosysHQ's mcy: Yosys flattens the core,
/// lists N mutations spread evenly over its cells, bits and source locations (<c>mutate -list N -seed S</c>), and applies
/// each behind its own value of an added input of the core and of the SoC, <see cref="Control"/> (<c>mutate -ctrl</c>), so
/// one Verilator build serves every mutant; the value 0 is the design as it was. The core alone, so mutated, is kept as
/// RTLIL for the equivalence checks.
/// </summary>
public sealed class MutantNetlist
{
    /// <summary>The input that selects the mutant.</summary>
    public const string Control = "mutsel";

    /// <summary>
    /// The input that turns on the SoC's wait-state injectors (<see cref="WaitStateInjector"/>), added when the SoC has
    /// them: their <c>Enable</c> inputs, tied to 1 by the SoC, are connected to it, so one model runs each program with
    /// and without wait states.
    /// </summary>
    public const string WaitControl = "waitstates";

    private static readonly TemplateSet Templates = new(typeof(MutantNetlist).Assembly, "HwGen.Sim.Templates.Mutation/");

    /// <summary>Mutations that Yosys lists but that have no meaning at run time: a memory's initial contents.</summary>
    private static readonly string[] Unrunnable = ["$meminit"];

    private MutantNetlist(PreparedSoc soc, IReadOnlyList<Mutation> mutations, int width, bool waitStates, string verilog, string coreRtlil, string directory)
    {
        WaitStates = waitStates;
        Soc = soc;
        Mutations = mutations;
        Width = width;
        Verilog = verilog;
        CoreRtlil = coreRtlil;
        Directory = directory;
        VerilogLines = soc.Verilog.VerilogFiles.ToDictionary(f => f.RelativePath, f => f.Content.Split('\n'), StringComparer.Ordinal);
    }

    /// <summary>The SoC as elaborated (mutant 0).</summary>
    public PreparedSoc Soc { get; }

    /// <summary>The mutations, mutant i at index i - 1.</summary>
    public IReadOnlyList<Mutation> Mutations { get; }

    /// <summary>Bits of <see cref="Control"/>.</summary>
    public int Width { get; }

    /// <summary>The SoC has wait-state injectors, switched by <see cref="WaitControl"/>.</summary>
    public bool WaitStates { get; }

    /// <summary>The mutated SoC's Verilog, one file (Yosys's <c>write_verilog</c>).</summary>
    public string Verilog { get; }

    /// <summary>The mutated core (flattened, with its <see cref="Control"/> input) as RTLIL, for the equivalence checks.</summary>
    public string CoreRtlil { get; }

    /// <summary>The folder of the Yosys runs (scripts, logs, the mutation list).</summary>
    public string Directory { get; }

    /// <summary>The SoC's Verilog files by name, as lines (for the C# locations of the mutations).</summary>
    public IReadOnlyDictionary<string, string[]> VerilogLines { get; }

    private VerilogSourceMap? _sourceMap;
    private string _coreInstance = "";

    /// <summary>
    /// The C# location (<c>file:line</c>) of <paramref name="mutation"/>: the comment of its innermost Verilog line, else
    /// the declaration of the wire it changes; null when neither is known.
    /// </summary>
    public string? Locate(Mutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        if (mutation.SourceLocation(VerilogLines) is { } line)
            return line;
        return mutation.Wire is { } wire ? _sourceMap?.Locate(_coreInstance + "." + wire)?.Split(',')[0] : null;
    }

    /// <summary>The core's module name in the Verilog.</summary>
    public static string CoreModule => nameof(Core);

    /// <summary>
    /// Lists <paramref name="count"/> mutations of the core of <paramref name="soc"/> with <paramref name="seed"/> and
    /// builds the netlist, in <paramref name="directory"/> (created).
    /// </summary>
    public static MutantNetlist Create(PreparedSoc soc, int count, int seed, string directory)
    {
        ArgumentNullException.ThrowIfNull(soc);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        System.IO.Directory.CreateDirectory(directory);
        // An earlier campaign's equivalence checks would be read as this one's.
        foreach (var stale in System.IO.Directory.EnumerateFiles(directory, "equivalence-*"))
            File.Delete(stale);
        var instance = soc.Design.Top.Instances.FirstOrDefault(i => i.Module.Name == CoreModule)
            ?? throw new MutationException($"{soc.Verilog.TopModule} has no instance of {CoreModule}");
        var injectors = soc.Design.Top.Instances.Where(i => i.Module.Name == nameof(WaitStateInjector)).Select(i => i.Name).ToList();
        var files = new List<string>();
        foreach (var file in soc.Verilog.Files)
        {
            File.WriteAllText(Path.Combine(directory, file.RelativePath), file.Content);
            if (file.RelativePath.EndsWith(".v", StringComparison.Ordinal))
                files.Add(file.RelativePath);
        }
        var common = new { VerilogEmitter.Generator, Files = files, Top = soc.Verilog.TopModule, Core = CoreModule };

        // Some listed mutations cannot run (a memory's initial contents): ask for more, keep the first runnable ones.
        var listPath = Path.Combine(directory, "mutations.ys");
        int asked = count + Math.Max(4, count / 4);
        RunYosys(directory, "list.ys", Templates.Render("list.ys.sbn", new { common.Generator, common.Files, common.Top, common.Core, Count = asked, Seed = seed, List = "mutations.ys" }));
        var mutations = File.ReadAllLines(listPath)
            .Select(line => Mutation.Parse(line, 0))
            .OfType<Mutation>()
            .Where(m => !Unrunnable.Any(prefix => m.Cell.Contains(prefix, StringComparison.Ordinal)))
            .Take(count)
            .Select((m, i) => m with { Index = i + 1 })
            .ToList();
        if (mutations.Count == 0)
            throw new MutationException($"Yosys listed no mutation of {CoreModule} (see {listPath})");

        int width = 1;
        while ((1 << width) <= mutations.Count)
            width++;
        RunYosys(directory, "apply.ys", Templates.Render("apply.ys.sbn", new
        {
            common.Generator, common.Files, common.Top, common.Core,
            Control, Width = width, Instance = instance.Name,
            WaitControl, Injectors = injectors,
            Mutations = mutations.Select(m => new { m.Index, m.Arguments }).ToList(),
            CoreRtlil = "core.il", Netlist = "mutants.v",
        }));
        return new MutantNetlist(soc, mutations, width, injectors.Count > 0, File.ReadAllText(Path.Combine(directory, "mutants.v")),
            Path.Combine(directory, "core.il"), directory)
        {
            _sourceMap = VerilogSourceMap.Load(directory, soc.Verilog.TopModule),
            _coreInstance = instance.Name,
        };
    }

    /// <summary>
    /// Builds the netlist with Verilator (or finds it in the model cache) and returns the machine that runs it on
    /// <paramref name="map"/> (the SoC's, as elaborated): the SoC's
    /// harness binding with the <see cref="Control"/> input added.
    /// </summary>
    public SimMachine Build(MemoryMap map, Action<string>? progress = null)
    {
        var binding = Soc.Binding with
        {
            Ports = [
                .. Soc.Binding.Ports,
                new HarnessPort(Soc.Binding.Ports.Count, Control, Width, IsInput: true),
                .. WaitStates ? [new HarnessPort(Soc.Binding.Ports.Count + 1, WaitControl, 1, IsInput: true)] : Array.Empty<HarnessPort>(),
            ],
        };
        var design = new EmitResult([new GeneratedFile("mutants.v", Verilog)], []) { TopModule = Soc.Verilog.TopModule };
        var library = VerilatorBuild.Build(design, binding, WaveFormat.None, progress);
        return SimMachine.FromLibrary(map, library, binding, Soc.Layout);
    }

    /// <summary>Runs Yosys on <paramref name="script"/> (written to <paramref name="name"/> in <paramref name="directory"/>), its log beside it.</summary>
    internal static ProcessResult RunYosys(string directory, string name, string script, TimeSpan? timeout = null, bool check = true)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, script);
        var yosys = ExternalTools.Yosys.Locate() ?? throw new MutationException(
            $"yosys is not installed: {ExternalTools.InstallCommand([ExternalTools.Yosys.DebianPackage])}");
        var log = Path.ChangeExtension(name, ".log");
        var result = ProcessRunner.Run(yosys, ["-q", "-l", log, "-s", name], directory, timeout ?? TimeSpan.FromMinutes(10));
        if (check && !result.Succeeded)
        {
            var lines = result.Output.Split('\n');
            throw new MutationException($"yosys failed on {path} ({(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}): " +
                string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 10))));
        }
        return result;
    }
}
