using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace HwGen.Sim.Verilator;

/// <summary>Why <see cref="VerilatedModel.Run"/> returned.</summary>
public enum RunStop
{
    /// <summary>The record buffer or the UART output buffer is full; call again to go on.</summary>
    BufferFull = 0,
    /// <summary>The program stored to <c>tohost</c> with bit 0 set.</summary>
    Halted = 1,
    /// <summary>The cycle limit was reached.</summary>
    CycleLimit = 2,
}

/// <summary>
/// One instance of a Verilated design, loaded in-process from the shared library that
/// <see cref="VerilatorBuild"/> made. Several instances (of one design or of several) can live side by side.
/// </summary>
public sealed unsafe class VerilatedModel : IDisposable
{
    private static readonly ConcurrentDictionary<string, Api> Libraries = new(StringComparer.Ordinal);

    private readonly Api _api;
    private nint _handle;

    public VerilatedModel(string libraryPath, HarnessBinding binding, string? wavePath = null)
    {
        Binding = binding;
        _api = Libraries.GetOrAdd(Path.GetFullPath(libraryPath), p => new Api(NativeLibrary.Load(p)));
        if (wavePath is not null)
        {
            var full = Path.GetFullPath(wavePath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var bytes = System.Text.Encoding.UTF8.GetBytes(full + "\0");
            fixed (byte* p = bytes)
                _handle = _api.Create(p);
        }
        else
        {
            _handle = _api.Create(null);
        }
    }

    public HarnessBinding Binding { get; }

    /// <summary>Clock cycles simulated so far.</summary>
    public ulong Cycles => _api.Cycles(Handle);

    /// <summary>Starts or stops writing the waveform (models built with one).</summary>
    public void Wave(bool on) => _api.Wave(Handle, on ? 1 : 0);

    public void Set(string port, ulong value)
    {
        var p = Binding.Port(port);
        if (!p.IsInput)
            throw new ArgumentException($"'{port}' is an output of {Binding.Top}", nameof(port));
        Span<uint> words = stackalloc uint[Math.Max(2, p.Words)];
        words.Clear();
        words[0] = (uint)value;
        words[1] = (uint)(value >> 32);
        fixed (uint* w = words)
            _api.Set(Handle, p.Index, w);
    }

    public ulong Get(string port)
    {
        var p = Binding.Port(port);
        Span<uint> words = stackalloc uint[Math.Max(2, p.Words)];
        words.Clear();
        fixed (uint* w = words)
            _api.Get(Handle, p.Index, w);
        return p.Width >= 64 ? words[0] | ((ulong)words[1] << 32) : (words[0] | ((ulong)words[1] << 32)) & ((1UL << p.Width) - 1);
    }

    /// <summary>Evaluates combinational logic after inputs changed.</summary>
    public void Eval() => _api.Eval(Handle);

    /// <summary>Runs <paramref name="count"/> full clock cycles.</summary>
    public void Tick(ulong count = 1) => _api.Tick(Handle, count);

    /// <summary>
    /// The fast loop: runs until <paramref name="records"/> is full (each record is
    /// <c>TraceFields.Count + 1</c> slots: the fields, then the cycle), <paramref name="uartOut"/> is full, the
    /// program halts, or <paramref name="maxCycles"/> is reached. No UART byte is dropped.
    /// </summary>
    /// <remarks>With <paramref name="allRecords"/> false only the records whose sparse field is set (and the
    /// halting one) are stored; <paramref name="retired"/> counts every record either way.</remarks>
    public RunStop Run(ulong maxCycles, Span<ulong> records, out int count, bool allRecords, out ulong retired, uint? tohost,
        Span<byte> uartOut, out int uartCount, ReadOnlySpan<byte> uartIn, out int uartInTaken)
    {
        if (Binding.Run is not { } run)
            throw new InvalidOperationException($"{Binding.Top} was built without a run loop");
        int capacity = records.Length / (run.TraceFields.Count + 1);
        if (run.UartTxValid is not null && uartOut.IsEmpty)
            throw new ArgumentException("the design sends UART bytes; give the run a buffer for them", nameof(uartOut));
        int n, u, taken;
        ulong all = 0;
        int status;
        fixed (ulong* r = records)
        fixed (byte* o = uartOut)
        fixed (byte* i = uartIn)
        {
            status = _api.Run(Handle, maxCycles, r, capacity, &n, allRecords ? 1 : 0, &all, tohost ?? 0, tohost is null ? 0 : 1, o, uartOut.Length, &u, i, uartIn.Length, &taken);
        }
        retired = all;
        count = n;
        uartCount = u;
        uartInTaken = taken;
        return (RunStop)status;
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(VerilatedModel));

    public void Dispose()
    {
        if (_handle != 0)
        {
            _api.Destroy(_handle);
            _handle = 0;
        }
    }

    private sealed class Api
    {
        public readonly delegate* unmanaged<byte*, nint> Create;
        public readonly delegate* unmanaged<nint, void> Destroy;
        public readonly delegate* unmanaged<nint, int, void> Wave;
        public readonly delegate* unmanaged<nint, ulong> Cycles;
        public readonly delegate* unmanaged<nint, void> Eval;
        public readonly delegate* unmanaged<nint, ulong, void> Tick;
        public readonly delegate* unmanaged<nint, int, uint*, void> Set;
        public readonly delegate* unmanaged<nint, int, uint*, void> Get;
        public readonly delegate* unmanaged<nint, ulong, ulong*, int, int*, int, ulong*, uint, int, byte*, int, int*, byte*, int, int*, int> Run;

        public Api(nint library)
        {
            Create = (delegate* unmanaged<byte*, nint>)NativeLibrary.GetExport(library, "hwgen_create");
            Destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "hwgen_destroy");
            Wave = (delegate* unmanaged<nint, int, void>)NativeLibrary.GetExport(library, "hwgen_wave");
            Cycles = (delegate* unmanaged<nint, ulong>)NativeLibrary.GetExport(library, "hwgen_cycles");
            Eval = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "hwgen_eval");
            Tick = (delegate* unmanaged<nint, ulong, void>)NativeLibrary.GetExport(library, "hwgen_tick");
            Set = (delegate* unmanaged<nint, int, uint*, void>)NativeLibrary.GetExport(library, "hwgen_set");
            Get = (delegate* unmanaged<nint, int, uint*, void>)NativeLibrary.GetExport(library, "hwgen_get");
            Run = NativeLibrary.TryGetExport(library, "hwgen_run", out var run)
                ? (delegate* unmanaged<nint, ulong, ulong*, int, int*, int, ulong*, uint, int, byte*, int, int*, byte*, int, int*, int>)run
                : null;
        }
    }
}
