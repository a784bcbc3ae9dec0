using System.Text;
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
    private const string LoaderValid = nameof(ApSoc.Loader) + "_" + nameof(LoaderPort.Valid);
    private const string LoaderAddress = nameof(ApSoc.Loader) + "_" + nameof(LoaderPort.Address);
    private const string LoaderData = nameof(ApSoc.Loader) + "_" + nameof(LoaderPort.Data);

    /// <summary>The SoC, its Verilog and the harness binding for <paramref name="map"/>.</summary>
    public static (EmitResult Verilog, HarnessBinding Binding) Prepare(MemoryMap map, CoreConfig? core)
    {
        var design = Elaborator.Elaborate(new ApSoc(map, core));
        var verilog = VerilogEmitter.Emit(design);
        var traceFields = design.Top.Ports
            .Where(p => p.Name!.StartsWith(TracePrefix, StringComparison.Ordinal) && p.Name != TracePrefix + nameof(RetirementTrace.Valid))
            .Select(p => p.Name!).ToList();
        var run = new RunLoopBinding(
            Valid: TracePrefix + nameof(RetirementTrace.Valid),
            TraceFields: traceFields,
            MemAddr: TracePrefix + nameof(RetirementTrace.MemAddr),
            MemWmask: TracePrefix + nameof(RetirementTrace.MemWmask),
            MemWdata: TracePrefix + nameof(RetirementTrace.MemWdata),
            Sparse: TracePrefix + nameof(RetirementTrace.Trap),
            UartTxValid: nameof(ApSoc.UartTxValid),
            UartTxData: nameof(ApSoc.UartTxData),
            UartRxValid: nameof(ApSoc.UartRxValid),
            UartRxData: nameof(ApSoc.UartRxData),
            UartRxReady: nameof(ApSoc.UartRxReady));
        return (verilog, HarnessBinding.For(design, verilog.TopModule, run));
    }

    /// <summary>Loads the ELF and runs it on the SoC model for <paramref name="options"/> (built or taken from the cache).</summary>
    public static SimResult Run(SimOptions options)
    {
        var image = ElfImage.Load(options.ElfPath, options.Map);
        var wave = options.WavePath is null ? WaveFormat.None : WaveFormats.FromPath(options.WavePath);
        return SimMachine.Get(options.Map, options.Core, wave, options.Progress).Run(image, options);
    }

    /// <summary>Holds the core in reset while the program's segments are written through the loader port.</summary>
    internal static void Reset(VerilatedModel model, ElfImage image, MemoryMap map)
    {
        model.Set(ClockDomain.Default.ResetName, 1);
        model.Tick(2);
        model.Set(LoaderValid, 1);
        foreach (var segment in image.Segments)
        {
            var data = segment.Data;
            for (int offset = 0; offset < data.Length; offset += 4)
            {
                uint word = 0;
                for (int b = 0; b < 4 && offset + b < data.Length; b++)
                    word |= (uint)data[offset + b] << (8 * b);
                model.Set(LoaderAddress, (segment.Address + (uint)offset - map.RamBase) >> 2);
                model.Set(LoaderData, word);
                model.Tick();
            }
        }
        model.Set(LoaderValid, 0);
        model.Tick();
        model.Set(ClockDomain.Default.ResetName, 0);
    }

    /// <summary>Runs the program again with the waveform on for the cycles around a divergence.</summary>
    internal static string? WriteDivergenceWave(SimOptions options, ElfImage image, HarnessBinding binding, ulong cycle)
    {
        try
        {
            var (verilog, _) = Prepare(options.Map, options.Core);
            var path = options.DivergenceWavePath ?? Path.ChangeExtension(options.ElfPath, ".divergence.vcd");
            if (path.Length == 0)
                return null;
            var waveLibrary = VerilatorBuild.Build(verilog, binding, WaveFormats.FromPath(path), options.Progress);
            using var model = new VerilatedModel(waveLibrary, binding, path);
            Reset(model, image, options.Map);
            const ulong before = 200, after = 20;
            var start = cycle > before ? cycle - before : 0;
            var records = new ulong[4096 * (binding.Run!.TraceFields.Count + 1)];
            var uart = new byte[4096];
            while (model.Cycles < start)
            {
                if (model.Run(start, records, out _, false, out _, null, uart, out _, options.UartInput, out _) == RunStop.CycleLimit)
                    break;
            }
            model.Wave(true);
            if (cycle + after > model.Cycles)
                model.Tick(cycle + after - model.Cycles);
            model.Wave(false);
            return path;
        }
        catch (Exception ex) when (ex is IOException or VerilatorBuildException)
        {
            options.Progress?.Invoke($"could not write the divergence waveform: {ex.Message}");
            return null;
        }
    }
}
