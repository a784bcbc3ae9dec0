using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Sim.Cosim;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
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
    /// A tagged core (<see cref="CoreConfig.Tags"/> of <see cref="Core"/>): the PEX firmware, loaded into the PEX's
    /// RAM (<see cref="PexMemoryMap.Default"/>); it releases the AP once it has programmed the tag unit.
    /// </summary>
    public ElfImage? PexImage { get; init; }

    /// <summary>A tagged core: the initial tags of the AP's memory words (byte address of the word, tag); others are 0.</summary>
    public IReadOnlyList<(uint Address, uint Tag)> TagImage { get; init; } = [];
}

/// <summary>What the PEX's side of a tagged run reports: the last denial and the rule cache's statistics.</summary>
/// <param name="DenyInfo"><c>(policy &lt;&lt; 16) | reason</c> of the last denial (the PEX's DENY_INFO), 0 when none.</param>
public sealed record TagRunReport(uint DenyInfo, ulong Lookups, ulong Hits, ulong Misses, ulong Evictions, ulong MissCycles);

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

    /// <summary>A tagged run: the PEX's report when the run ended; null untagged.</summary>
    public TagRunReport? Tags { get; init; }
}

/// <summary>
/// Runs an ELF on the Verilated application-processor SoC: elaborates the SoC, builds (or reuses) its
/// model, loads the program through the loader port, and runs it to its <c>tohost</c> store, optionally in
/// lockstep with the golden model.
/// </summary>
public static class SimRunner
{
    // Port names follow the DSL's rule for bundle members (field_member), taken from the declarations.
    internal const string TracePrefix = nameof(ApSoc.Trace) + "_";

    /// <summary>The SoC, its Verilog, the harness binding and the trace layout (from the SoC's trace table) for <paramref name="map"/>.</summary>
    /// <remarks>
    /// A tagged core (<see cref="CoreConfig.Tags"/>) runs in the <see cref="TaggedSoc"/> (simulation parts only), whose
    /// AP ports have the ApSoc's names, so the same harness drives it.
    /// </remarks>
    public static (EmitResult Verilog, HarnessBinding Binding, TraceLayout Layout) Prepare(MemoryMap map, CoreConfig? core, SocParts? parts = null)
    {
        Module soc;
        TraceTable table;
        if (core?.Tags is { } tags)
        {
            if (parts is not null && parts != SocParts.Simulation)
                throw new ArgumentException("a tagged core runs in the simulator's SoC only (no SocParts)", nameof(parts));
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
        return (verilog, HarnessBinding.For(design, verilog.TopModule, run), layout);
    }

    /// <summary>Loads the ELF and runs it on the SoC model for <paramref name="options"/> (built or taken from the cache).</summary>
    public static SimResult Run(SimOptions options)
    {
        var image = ElfImage.Load(options.ElfPath, options.Map);
        var wave = options.WavePath is null ? WaveFormat.None : WaveFormats.FromPath(options.WavePath);
        return SimMachine.Get(options.Map, options.Core, wave, options.Progress, options.Parts).Run(image, options);
    }
}
