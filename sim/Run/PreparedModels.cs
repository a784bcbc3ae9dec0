using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Sim.Cosim;
using HwGen.Sim.Verilator;

namespace HwGen.Sim.Run;

/// <summary>
/// What elaborating the SoC gives a run, kept beside the model cache so that a later process skips elaboration: the
/// model's library, the harness binding (the top's ports) and the trace's fields. An entry is keyed on everything
/// elaboration and the build depend on: the code of the DSL, the designs, the emitter and the simulator (their module
/// version ids), the configuration (memory map, core and parts, as JSON), the waveform format, the processor (<see cref="VerilatorBuild.NativeTarget"/>), and
/// the executables of Verilator and g++ (path, size, time). Anything missing or unreadable means elaborating as before.
/// </summary>
internal static class PreparedModels
{
    private sealed record Entry(string Library, HarnessBinding Binding, IReadOnlyList<string> TraceFields);

    /// <summary>The entry's key, or null when the configuration cannot be described (then nothing is cached).</summary>
    public static string? Key(MemoryMap map, CoreConfig? core, WaveFormat wave, SocParts parts)
    {
        string configuration;
        try
        {
            configuration = JsonSerializer.Serialize(new { map, core, parts }, KeyOptions);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
        {
            return null;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        Add("hwgen-prepared-1");
        foreach (var assembly in new[] { typeof(Module).Assembly, typeof(ApSoc).Assembly, typeof(VerilogEmitter).Assembly, typeof(PreparedModels).Assembly })
            Add(assembly.ManifestModule.ModuleVersionId.ToString());
        Add(configuration);
        Add(wave.ToString());
        Add(VerilatorBuild.NativeTarget);
        foreach (var tool in new[] { ExternalTools.Verilator, ExternalTools.Gxx })
        {
            var file = tool.Locate() is { } path ? new FileInfo(path) : null;
            Add(file is null ? "missing" : $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}");
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>The prepared model for <paramref name="key"/>, when one was stored and its library is still there.</summary>
    public static (string Library, HarnessBinding Binding, TraceLayout Layout)? TryLoad(string key, TraceTable table)
    {
        try
        {
            var path = PathOf(key);
            if (!File.Exists(path))
                return null;
            var entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(path));
            // The SoC's trace is the standard table (the tagged table with a tag unit); an entry that says otherwise is elaborated again.
            var layout = new TraceLayout(table, SimRunner.TracePrefix);
            if (entry is null || !File.Exists(entry.Library) || !entry.TraceFields.SequenceEqual(layout.PortNames))
                return null;
            return (entry.Library, entry.Binding, layout);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Stores what elaboration gave, written whole (a temporary file renamed); a failure to write only costs the next run time.</summary>
    public static void Store(string key, string library, HarnessBinding binding, TraceLayout layout)
    {
        var path = PathOf(key);
        var temporary = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(temporary, JsonSerializer.Serialize(new Entry(library, binding, layout.PortNames)));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private static string PathOf(string key) => Path.Combine(VerilatorBuild.CacheRoot, "prepared", key + ".json");

    private static readonly JsonSerializerOptions KeyOptions = new() { WriteIndented = false, IncludeFields = true, MaxDepth = 64 };
}
