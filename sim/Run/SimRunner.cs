using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Sim.Cosim;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Verilator;

namespace HwGen.Sim.Run;

/// <summary>What to simulate and how.</summary>
public sealed record SimOptions(string ElfPath)
{
    public MemoryMap Map { get; init; } = MemoryMap.Simulation;

    public CoreConfig? Core { get; init; }

    /// <summary>The SoC's parts; the simulator's defaults when null (see <see cref="SocParts"/>).</summary>
    public SocParts? Parts { get; init; }

    /// <summary>Step the golden model in lockstep and compare every retired instruction.</summary>
    public bool Cosim { get; init; }

    public ulong MaxCycles { get; init; } = 200_000_000;

    /// <summary>Write the whole run's waveform here (VCD, or FST for <c>.fst</c>).</summary>
    public string? WavePath { get; init; }

    /// <summary>Write every retired instruction here, one readable line each (pc, word, disassembly, effects).</summary>
    public string? TracePath { get; init; }

    /// <summary>Bytes fed to the UART's receive side.</summary>
    public byte[] UartInput { get; init; } = [];

    /// <summary>Receives the UART output as it is produced.</summary>
    public Action<string>? UartEcho { get; init; }

    /// <summary>Receives progress messages (model builds).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>
    /// The program the golden model runs, when it is not the RTL's (for testing the comparison itself: a
    /// deliberately different image must diverge).
    /// </summary>
    public ElfImage? GoldenImage { get; init; }

    /// <summary>Where a co-simulation divergence writes its waveform window (default: beside the ELF; empty: none).</summary>
    public string? DivergenceWavePath { get; init; }

    /// <summary>Regions of RAM whose contents at the end of the run go into <see cref="SimResult.Memory"/>.</summary>
    public IReadOnlyList<MemoryRange> Capture { get; init; } = [];

    /// <summary>
    /// Run on the tagged SoC (the AP with its tag unit and the PEX) under this policy; null: the untagged SoC. The
    /// core's <see cref="CoreConfig.Tags"/> gives the tag unit's parameters (default: the map's RAM tagged).
    /// </summary>
    public SimPolicy? Policy { get; init; }

    /// <summary>
    /// Without a <see cref="Policy"/>, a tagged core's PEX firmware of one's own (an ELF for the PEX's RAM) and the
    /// initial tags (byte address of the word, tag; others 0). The golden model has no tag engine then, so such a run
    /// is not co-simulated.
    /// </summary>
    public ElfImage? PexImage { get; init; }

    /// <inheritdoc cref="PexImage"/>
    public IReadOnlyList<(uint Address, uint Tag)> TagImage { get; init; } = [];

    /// <summary>
    /// Inputs of the top held at a value for the whole run, reset included (a model built from a netlist with more
    /// inputs than the SoC's, such as a mutant selector).
    /// </summary>
    public IReadOnlyList<(string Port, ulong Value)> HeldInputs { get; init; } = [];
}

/// <summary>
/// The policy of a run on the tagged SoC: the composite the golden model evaluates, and the PEX firmware that enforces
/// it for a program's initial tag image (built by the firmware builder, which the simulator does not reference: the
/// caller supplies it, e.g. <c>PexFirmware.Build(composite, map, image.Interner.Sets, tags).Words</c>).
/// </summary>
/// <param name="Composite">The composite policy.</param>
/// <param name="PexFirmware">The PEX RAM's words, from its base, for an initial tag image.</param>
public sealed record SimPolicy(Composite Composite, Func<InitialTagImage, IReadOnlyList<uint>> PexFirmware);

/// <summary>The rule cache's statistics at the end of a run on the tagged SoC (the fields of <c>ruleCache</c> in <c>hwgen sim --json</c>).</summary>
/// <param name="Lookups">Instructions checked.</param>
/// <param name="Hits">Lookups that found their rule.</param>
/// <param name="Misses">Lookups the PEX resolved.</param>
/// <param name="Evictions">Installs that replaced a valid entry.</param>
/// <param name="PexCycles">Cycles the AP waited for the PEX on misses.</param>
public sealed record RuleCacheStatistics(ulong Lookups, ulong Hits, ulong Misses, ulong Evictions, ulong PexCycles)
{
    /// <summary>Hits per lookup (1 with no lookup).</summary>
    public double HitRate => Lookups == 0 ? 1 : (double)Hits / Lookups;

    /// <summary>Mean cycles the AP waited per miss.</summary>
    public double PexCyclesPerMiss => Misses == 0 ? 0 : (double)PexCycles / Misses;
}

/// <summary><see cref="Length"/> bytes of memory from <see cref="Address"/>.</summary>
public readonly record struct MemoryRange(uint Address, uint Length)
{
    /// <summary>The first address after the range.</summary>
    public ulong End => (ulong)Address + Length;
}

public enum SimStatus
{
    Passed,
    Failed,
    Violation,
    Divergence,
    Timeout,
}

/// <summary>The last trap the program took.</summary>
public sealed record TrapInfo(uint Cause, uint Pc, string Description);

/// <summary>The outcome of a run (the fields of <c>hwgen sim --json</c>).</summary>
public sealed record SimResult(
    SimStatus Status,
    int ExitCode,
    ulong Cycles,
    ulong Instret,
    string Uart,
    TrapInfo? Trap,
    DivergenceReport? Divergence)
{
    public double Cpi => Instret == 0 ? 0 : (double)Cycles / Instret;

    /// <summary>The contents of the <see cref="SimOptions.Capture"/> regions when the run ended, in their order.</summary>
    public IReadOnlyList<byte[]> Memory { get; init; } = [];

    /// <summary>The instructions the policy denied, in order (a run on the tagged SoC).</summary>
    public IReadOnlyList<Violation> Violations { get; init; } = [];

    /// <summary>The rule cache's statistics (a run on the tagged SoC; else null).</summary>
    public RuleCacheStatistics? RuleCache { get; init; }
}

/// <summary>An elaborated SoC: the design, its Verilog, the harness binding of its top and its trace layout.</summary>
public sealed record PreparedSoc(HwGen.Hdl.Ir.IrDesign Design, EmitResult Verilog, HarnessBinding Binding, TraceLayout Layout);

/// <summary>
/// Runs an ELF on the Verilated application-processor SoC: elaborates the SoC, builds (or reuses) its
/// model, loads the program through the loader port, and runs it to its <c>tohost</c> store, optionally in
/// lockstep with the golden model.
/// </summary>
public static class SimRunner
{
    // Port names follow the DSL's rule for bundle members (field_member), taken from the declarations.
    internal const string TracePrefix = nameof(ApSoc.Trace) + "_";

    /// <summary>
    /// The SoC, its Verilog, the harness binding and the trace layout (from the SoC's trace table) for
    /// <paramref name="map"/>: the <see cref="ApSoc"/>, or with a tagged core (<see cref="CoreConfig.Tags"/>) the
    /// <see cref="TaggedSoc"/>, whose AP ports have the same names.
    /// </summary>
    public static (EmitResult Verilog, HarnessBinding Binding, TraceLayout Layout) Prepare(MemoryMap map, CoreConfig? core, SocParts? parts = null)
    {
        var prepared = Elaborate(map, core, parts);
        return (prepared.Verilog, prepared.Binding, prepared.Layout);
    }

    /// <summary>As <see cref="Prepare"/>, with the elaborated design (its modules and instances) beside the Verilog.</summary>
    public static PreparedSoc Elaborate(MemoryMap map, CoreConfig? core, SocParts? parts = null)
    {
        Module soc;
        TraceTable table;
        if (core?.Tags is { } tags)
        {
            if (parts is not null && parts != SocParts.Simulation)
                throw new ArgumentException("the tagged SoC is simulated with the default parts", nameof(parts));
            var tagged = new TaggedSoc(map, tags, core);
            (soc, table) = (tagged, tagged.Trace.Table);
        }
        else
        {
            var ap = new ApSoc(map, core, parts);
            (soc, table) = (ap, ap.Trace.Table);
        }
        var design = Elaborator.Elaborate(soc);
        var verilog = VerilogEmitter.Emit(design);
        var layout = new TraceLayout(table, TracePrefix);
        var run = new RunLoopBinding(
            Valid: TracePrefix + nameof(RetirementTrace.Valid),
            TraceFields: layout.PortNames,
            MemAddr: layout.Port(RetirementFields.MemAddr),
            MemWmask: layout.Port(RetirementFields.MemWmask),
            MemWdata: layout.Port(RetirementFields.MemWdata),
            Sparse: layout.Port(RetirementFields.Trap),
            UartTxValid: nameof(ApSoc.UartTxValid),
            UartTxData: nameof(ApSoc.UartTxData),
            UartRxValid: nameof(ApSoc.UartRxValid),
            UartRxData: nameof(ApSoc.UartRxData),
            UartRxReady: nameof(ApSoc.UartRxReady));
        return new PreparedSoc(design, verilog, HarnessBinding.For(design, verilog.TopModule, run), layout);
    }

    /// <summary>Loads the ELF and runs it on the SoC model for <paramref name="options"/> (built or taken from the cache).</summary>
    public static SimResult Run(SimOptions options)
    {
        var image = ElfImage.Load(options.ElfPath, options.Map);
        var wave = options.WavePath is null ? WaveFormat.None : WaveFormats.FromPath(options.WavePath);
        return SimMachine.Get(options.Map, CoreFor(options), wave, options.Progress, options.Parts).Run(image, options);
    }

    /// <summary>The core configuration a run needs: the options' own, with the map's RAM tagged when the run has a policy and the core no tag unit.</summary>
    public static CoreConfig? CoreFor(SimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Policy is null || options.Core?.Tags is not null)
            return options.Core;
        return (options.Core ?? CoreConfig.ForMemoryMap(options.Map)) with { Tags = TagConfig.ForMemoryMap(options.Map) };
    }
}
