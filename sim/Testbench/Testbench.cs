using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using HwGen.Gen.Templates;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Hdl.Ir;
using HwGen.Sim.Verilator;

namespace HwGen.Sim.Testbench;

/// <summary>
/// Drives one module, simulated by Verilator, from C#: <see cref="Poke(Signal, ulong)"/> its inputs and
/// <see cref="Peek"/> its outputs by the module's own signal fields, <see cref="Step"/> the clock,
/// <see cref="Reset"/>, run until a condition holds, read and write its memories.
/// </summary>
/// <remarks>
/// The model is built once per design (Verilog, waveform format) and kept in the hash-keyed model cache
/// (<see cref="VerilatorBuild.CacheRoot"/>). The ports are a block of 32-bit words in unmanaged memory shared
/// with the native side: a poke or a peek is a memory access, and a step of any number of cycles is one native
/// call. Instances are independent: several can live side by side and on several threads, one thread each.
/// </remarks>
public sealed unsafe class Testbench : IDisposable
{
    private static readonly TemplateSet Templates = new(typeof(Testbench).Assembly, "HwGen.Sim.Templates.");
    private static readonly ConcurrentDictionary<string, Api> Libraries = new(StringComparer.Ordinal);

    private readonly Api _api;
    private readonly Dictionary<Signal, TestbenchPort> _ports;
    private readonly Dictionary<Memory, TestbenchMemory> _memories;
    private readonly TestbenchPort? _reset;
    private readonly uint* _block;
    private nint _handle;
    private readonly bool _clocked;
    private bool _inputsChanged;
    private ulong _cycle;

    private Testbench(Module module, IrDesign design, string library, TestbenchLayout layout, string? wave)
    {
        Module = module;
        TopModule = layout.Top;
        _clocked = layout.Clock is not null;
        _ports = layout.Ports.Where(p => p.Signal is not null).ToDictionary(p => p.Signal!, p => p);
        _memories = layout.Memories.ToDictionary(m => m.Memory, m => m);
        _reset = design.Top.Resets.TryGetValue(ClockDomain.Default, out var rst) ? layout.Ports.First(p => p.Name == rst.Name) : null;
        _api = Libraries.GetOrAdd(Path.GetFullPath(library), p => new Api(NativeLibrary.Load(p)));
        _block = (uint*)NativeMemory.AllocZeroed((nuint)Math.Max(1, layout.Words), sizeof(uint));
        if (wave is not null)
        {
            var full = Path.GetFullPath(wave);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var bytes = System.Text.Encoding.UTF8.GetBytes(full + "\0");
            fixed (byte* p = bytes)
                _handle = _api.Create(_block, p);
        }
        else
        {
            _handle = _api.Create(_block, null);
        }
    }

    /// <summary>
    /// Elaborates and checks <paramref name="module"/>, builds its Verilated model (or takes it from the cache) and
    /// makes an instance, with every input 0 and the clock at cycle 0. Throws <see cref="ElaborationException"/> for
    /// a design with errors and <see cref="VerilatorBuildException"/> when the model cannot be built.
    /// </summary>
    public static Testbench Create(Module module, TestbenchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= new TestbenchOptions();
        var design = Elaborator.Elaborate(module);
        var emitted = VerilogEmitter.Emit(design);
        var layout = TestbenchLayout.For(design, emitted.TopModule);
        var wave = options.Wave is null ? WaveFormat.None : WaveFormats.FromPath(options.Wave);
        var files = new List<GeneratedFile> { new("testbench.cpp", RenderHarness(layout, wave)) };
        if (layout.Memories.Count > 0)
            files.Add(new GeneratedFile("memories.vlt", RenderConfig(layout)));
        var library = VerilatorBuild.Build(emitted, layout.Top, files, wave, options.Progress);
        return new Testbench(module, design, library, layout, options.Wave);
    }

    /// <summary>The module under test (the object whose signal fields are poked and peeked).</summary>
    public Module Module { get; }

    /// <summary>The top module's name in the Verilog.</summary>
    public string TopModule { get; }

    /// <summary>Clock cycles run so far.</summary>
    public ulong Cycle => _cycle;

    /// <summary>Sets input <paramref name="signal"/> to <paramref name="value"/> from the next step (or peek) on.</summary>
    public void Poke(Signal signal, ulong value)
    {
        var port = Input(signal);
        if (port.Width < 64 && value >> port.Width != 0)
            throw Fail($"0x{value:X} does not fit the {port.Width}-bit input '{port.Name}'");
        uint* w = _block + port.Offset;
        w[0] = (uint)value;
        if (port.Words > 1)
        {
            w[1] = (uint)(value >> 32);
            for (int i = 2; i < port.Words; i++)
                w[i] = 0;
        }
        _inputsChanged = true;
    }

    /// <summary>Sets a one-bit input <paramref name="signal"/>.</summary>
    public void Poke(Signal signal, bool value) => Poke(signal, value ? 1UL : 0UL);

    /// <summary>Sets input <paramref name="signal"/>, of any width, to the non-negative <paramref name="value"/>.</summary>
    public void Poke(Signal signal, BigInteger value)
    {
        var port = Input(signal);
        if (value.Sign < 0 || value.GetBitLength() > port.Width)
            throw Fail($"0x{value:X} does not fit the {port.Width}-bit input '{port.Name}'");
        WriteWords(_block + port.Offset, port.Words, value);
        _inputsChanged = true;
    }

    /// <summary>The value of <paramref name="signal"/> (a port of at most 64 bits) now.</summary>
    public ulong Peek(Signal signal)
    {
        var port = Port(signal);
        if (port.Width > 64)
            throw Fail($"'{port.Name}' is {port.Width} bits wide: read it with PeekBig");
        if (_inputsChanged)
            Settle();
        uint* w = _block + port.Offset;
        return port.Words == 1 ? w[0] : w[0] | ((ulong)w[1] << 32);
    }

    /// <summary>The value of <paramref name="signal"/> (a port of any width) now.</summary>
    public BigInteger PeekBig(Signal signal)
    {
        var port = Port(signal);
        if (_inputsChanged)
            Settle();
        return ReadWords(_block + port.Offset, port.Words);
    }

    /// <summary>Throws a <see cref="TestbenchException"/> naming the signal and the cycle unless <paramref name="signal"/> is <paramref name="expected"/>.</summary>
    public void Expect(Signal signal, ulong expected, string? because = null)
    {
        var actual = Peek(signal);
        if (actual != expected)
            throw Fail($"'{Port(signal).Name}' is {actual} (0x{actual:X}), expected {expected} (0x{expected:X}){(because is null ? "" : ": " + because)}");
    }

    /// <summary>Runs <paramref name="cycles"/> clock cycles with the inputs as poked: one rising edge each.</summary>
    public void Step(ulong cycles = 1)
    {
        if (!_clocked)
            throw Fail($"{TopModule} has no clock (it holds no state): poke its inputs and peek its outputs, without steps");
        _cycle = _api.Step(Handle, cycles);
        _inputsChanged = false;
    }

    /// <summary>Holds the reset (<c>rst</c>) high for <paramref name="cycles"/> cycles, then releases it.</summary>
    public void Reset(ulong cycles = 1)
    {
        var reset = _reset ?? throw Fail($"{TopModule} has no reset: none of its registers has a reset value");
        _block[reset.Offset] = 1;
        _inputsChanged = true;
        Step(cycles);
        _block[reset.Offset] = 0;
        _inputsChanged = true;
    }

    /// <summary>
    /// Steps one cycle at a time until <paramref name="condition"/> holds (tested before each step) and returns the
    /// cycles run; throws a <see cref="TestbenchException"/> after <paramref name="maxCycles"/> cycles without it.
    /// </summary>
    public ulong RunUntil(Func<bool> condition, ulong maxCycles, string description = "the condition")
    {
        ArgumentNullException.ThrowIfNull(condition);
        for (ulong n = 0; ; n++)
        {
            if (condition())
                return n;
            if (n == maxCycles)
                throw Fail($"cycle limit: {description} did not hold within {maxCycles} cycles");
            Step();
        }
    }

    /// <summary>Steps until <paramref name="signal"/> is <paramref name="value"/>; see <see cref="RunUntil(Func{bool}, ulong, string)"/>.</summary>
    public ulong RunUntil(Signal signal, ulong value, ulong maxCycles) =>
        RunUntil(() => Peek(signal) == value, maxCycles, $"'{Port(signal).Name}' == {value}");

    /// <summary>Word <paramref name="address"/> of <paramref name="memory"/> (at most 64 bits wide).</summary>
    public ulong ReadMemory(Memory memory, int address)
    {
        var m = MemoryOf(memory, address);
        if (m.Width > 64)
            throw Fail($"memory '{m.Name}' is {m.Width} bits wide: read it with ReadMemoryBig");
        uint* w = stackalloc uint[2];
        w[1] = 0;
        _api.MemoryRead(Handle, m.Index, (uint)address, w);
        return w[0] | ((ulong)w[1] << 32);
    }

    /// <summary>Word <paramref name="address"/> of <paramref name="memory"/>, of any width.</summary>
    public BigInteger ReadMemoryBig(Memory memory, int address)
    {
        var m = MemoryOf(memory, address);
        uint* w = stackalloc uint[m.Words];
        _api.MemoryRead(Handle, m.Index, (uint)address, w);
        return ReadWords(w, m.Words);
    }

    /// <summary>Sets word <paramref name="address"/> of <paramref name="memory"/> (for test setup: no write port is involved).</summary>
    public void WriteMemory(Memory memory, int address, BigInteger value)
    {
        var m = MemoryOf(memory, address);
        if (value.Sign < 0 || value.GetBitLength() > m.Width)
            throw Fail($"0x{value:X} does not fit the {m.Width}-bit words of memory '{m.Name}'");
        uint* w = stackalloc uint[m.Words];
        WriteWords(w, m.Words, value);
        _api.MemoryWrite(Handle, m.Index, (uint)address, w);
        _inputsChanged = false;
    }

    /// <summary>Sets words from <paramref name="address"/> on to <paramref name="values"/>.</summary>
    public void LoadMemory(Memory memory, int address, IEnumerable<ulong> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
            WriteMemory(memory, address++, value);
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            _api.Destroy(_handle);
            _handle = 0;
            NativeMemory.Free(_block);
        }
    }

    private void Settle()
    {
        _api.Eval(Handle);
        _inputsChanged = false;
    }

    private TestbenchException Fail(string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{TopModule}, cycle {_cycle}: {what}"));

    private TestbenchPort Port(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (_ports.TryGetValue(signal, out var port))
            return port;
        var where = ReferenceEquals(signal.Owner, Module) ? "an internal signal of" : "not a signal of";
        var what = signal.Name is null ? $"the signal declared at {signal.Location.Short}" : $"'{signal.DisplayName}'";
        throw Fail($"{what} is {where} {TopModule}: only the top module's ports can be poked and peeked " +
                   $"(ports: {string.Join(", ", _ports.Values.OrderBy(p => p.Offset).Select(p => p.Name))})");
    }

    private TestbenchPort Input(Signal signal)
    {
        var port = Port(signal);
        return port.IsInput ? port : throw Fail($"'{port.Name}' is an output: only inputs can be poked");
    }

    private TestbenchMemory MemoryOf(Memory memory, int address)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (!_memories.TryGetValue(memory, out var m))
            throw Fail($"{memory} is not a memory of {TopModule}");
        if (address < 0 || address >= m.Depth)
            throw Fail($"address {address} is outside memory '{m.Name}' (0 to {m.Depth - 1})");
        return m;
    }

    private static void WriteWords(uint* words, int count, BigInteger value)
    {
        for (int i = 0; i < count; i++)
        {
            words[i] = (uint)(value & uint.MaxValue);
            value >>= 32;
        }
    }

    private static BigInteger ReadWords(uint* words, int count)
    {
        var value = BigInteger.Zero;
        for (int i = count - 1; i >= 0; i--)
            value = (value << 32) | words[i];
        return value;
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(Testbench));

    private static string RenderHarness(TestbenchLayout layout, WaveFormat wave) =>
        Templates.Render("testbench.cpp.sbn", new
        {
            VerilogEmitter.Generator,
            layout.Top,
            layout.Clock,
            Wave = wave.ToString().ToLowerInvariant(),
            PortWords = layout.Words,
            Inputs = layout.Ports.Where(p => p.IsInput).ToList(),
            Outputs = layout.Ports.Where(p => !p.IsInput).ToList(),
            layout.Memories,
        });

    private static string RenderConfig(TestbenchLayout layout) =>
        Templates.Render("testbench.vlt.sbn", new { VerilogEmitter.Generator, Names = layout.Memories.Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToList() });

    private sealed class Api
    {
        public readonly delegate* unmanaged<uint*, byte*, nint> Create;
        public readonly delegate* unmanaged<nint, void> Destroy;
        public readonly delegate* unmanaged<nint, void> Eval;
        public readonly delegate* unmanaged<nint, ulong, ulong> Step;
        public readonly delegate* unmanaged<nint, int, uint, uint*, void> MemoryRead;
        public readonly delegate* unmanaged<nint, int, uint, uint*, void> MemoryWrite;

        public Api(nint library)
        {
            Create = (delegate* unmanaged<uint*, byte*, nint>)NativeLibrary.GetExport(library, "hwgen_tb_create");
            Destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "hwgen_tb_destroy");
            Eval = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "hwgen_tb_eval");
            Step = (delegate* unmanaged<nint, ulong, ulong>)NativeLibrary.GetExport(library, "hwgen_tb_step");
            MemoryRead = (delegate* unmanaged<nint, int, uint, uint*, void>)NativeLibrary.GetExport(library, "hwgen_tb_memory_read");
            MemoryWrite = (delegate* unmanaged<nint, int, uint, uint*, void>)NativeLibrary.GetExport(library, "hwgen_tb_memory_write");
        }
    }
}
