using System.Security.Cryptography;
using System.Text;
using HwGen.Gen.Templates;
using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;

namespace HwGen.Sim.Verilator;

/// <summary>The Verilated model could not be built; the message holds the tool's own words.</summary>
public sealed class VerilatorBuildException(string message) : Exception(message);

/// <summary>
/// Builds a design's Verilog and its generated harness into a shared library with Verilator and g++,
/// and keeps it in a cache keyed by a hash of everything that goes into the build (the Verilog, the
/// harness, the flags, the tool versions and the processor): an unchanged design is never rebuilt.
/// </summary>
public static class VerilatorBuild
{
    private static readonly TemplateSet Templates = new(typeof(VerilatorBuild).Assembly, "HwGen.Sim.Templates.");

    /// <summary>Verilator's flags: optimised, X values resolved fast (to zero), no assertions.</summary>
    public static IReadOnlyList<string> VerilatorFlags { get; } =
        ["--cc", "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert", "-Wno-fatal", "--build", "-j", "2"];

    /// <summary>
    /// The C++ flags of the model and the harness, but for the optimisation level (see <see cref="MakeFlags"/>). With
    /// <c>-march=native</c> a model may use instructions only this processor has, so the cache keys on it (<see cref="NativeTarget"/>).
    /// Without GCC's straight-line vectoriser (<c>-fno-tree-slp-vectorize</c>) the SoC's model runs 2 % faster.
    /// </summary>
    public static IReadOnlyList<string> CxxFlags { get; } = ["-march=native", "-fPIC", "-fno-semantic-interposition", "-fno-stack-protector", "-fno-tree-slp-vectorize"];

    /// <summary>
    /// The processor models are compiled for: the first processor's vendor, family, model, name and feature flags in
    /// <c>/proc/cpuinfo</c> (or an ARM processor's implementer, part and features); where that file cannot be read, the
    /// process's architecture. A cache folder shared by machines with other processors then holds a model for each.
    /// </summary>
    public static string NativeTarget => NativeTargetText.Value;

    private static readonly Lazy<string> NativeTargetText = new(() => DescribeProcessor("/proc/cpuinfo"));

    /// <summary>The fields of the first processor in a <c>/proc/cpuinfo</c> file that decide what <c>-march=native</c> compiles for.</summary>
    public static string DescribeProcessor(string cpuinfoPath)
    {
        string[] keys = ["vendor_id", "cpu family", "model", "model name", "flags", "CPU implementer", "CPU architecture", "CPU variant", "CPU part", "Features"];
        try
        {
            var fields = File.ReadLines(cpuinfoPath)
                .TakeWhile(line => line.Trim().Length > 0)
                .Select(line => line.Split(':', 2))
                .Where(pair => pair.Length == 2 && keys.Contains(pair[0].Trim()))
                .Select(pair => $"{pair[0].Trim()}={pair[1].Trim()}");
            var text = string.Join('|', fields);
            if (text.Length > 0)
                return text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>
    /// The optimisation levels, given to the make run of Verilator's build: its makefile puts OPT_FAST (the model's
    /// per-cycle code and the harness), OPT_SLOW (construction and initial blocks) and OPT_GLOBAL (Verilator's runtime)
    /// after the -CFLAGS, so only these set the level (their default is -Os). -O3 runs the SoC 5 % faster than -O2;
    /// -Os took twice the CPU time; GCC's profile-guided build was slower (see the README's measurements).
    /// </summary>
    public static IReadOnlyList<string> MakeFlags { get; } = ["OPT_FAST=-O3", "OPT_SLOW=-O1", "OPT_GLOBAL=-O3"];

    /// <summary>
    /// The folder that holds built models: <c>$HWGEN_CACHE</c>, else <c>$XDG_CACHE_HOME/hwgen</c>, else
    /// <c>~/.cache/hwgen</c>.
    /// </summary>
    public static string CacheRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable("HWGEN_CACHE") is { Length: > 0 } explicitRoot)
                return Path.GetFullPath(explicitRoot);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = xdg is { Length: > 0 } ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "hwgen");
        }
    }

    /// <summary>The harness source for <paramref name="binding"/>.</summary>
    public static string RenderHarness(HarnessBinding binding, WaveFormat wave) =>
        Templates.Render("harness.cpp.sbn", new
        {
            VerilogEmitter.Generator,
            binding.Top,
            binding.Clock,
            Wave = wave.ToString().ToLowerInvariant(),
            Inputs = binding.Ports.Where(p => p.IsInput).ToList(),
            binding.Ports,
            binding.Run,
        });

    /// <summary>
    /// Returns the path of the shared library for this design, harness and wave format, building it
    /// when the cache does not have it. <paramref name="progress"/> hears what is going on.
    /// </summary>
    public static string Build(EmitResult design, HarnessBinding binding, WaveFormat wave, Action<string>? progress = null) =>
        Build(design, binding.Top, [new GeneratedFile("harness.cpp", RenderHarness(binding, wave))], wave, progress);

    /// <summary>
    /// Returns the path of the shared library of <paramref name="design"/> (top module <paramref name="top"/>) built with
    /// the given harness files (C++ sources and Verilator configuration files, <c>.vlt</c>), building it when the cache
    /// does not have it.
    /// </summary>
    public static string Build(EmitResult design, string top, IReadOnlyList<GeneratedFile> harnessFiles, WaveFormat wave, Action<string>? progress = null)
    {
        // The first file's text alone keys a one-file harness, as it always has; further files add their names.
        var harness = string.Join("\0", harnessFiles.Select((f, i) => i == 0 ? f.Content : f.RelativePath + "\0" + f.Content));
        var key = Key(design, harness, wave);
        var root = CacheRoot;
        Directory.CreateDirectory(root);
        var final = Path.Combine(root, $"{top}-{key}");
        var library = Path.Combine(final, LibraryName);
        if (File.Exists(library))
        {
            progress?.Invoke($"using the cached model {final}");
            return library;
        }

        // One builder at a time per model; others wait and then find it built.
        using var gate = AcquireLock(final + ".lock");
        if (File.Exists(library))
            return library;

        var work = final + $".build-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(work);
        try
        {
            var sources = new List<string>();
            foreach (var file in design.VerilogFiles)
            {
                File.WriteAllText(Path.Combine(work, file.RelativePath), file.Content);
                sources.Add(file.RelativePath);
            }
            foreach (var file in harnessFiles)
                File.WriteAllText(Path.Combine(work, file.RelativePath), file.Content);

            progress?.Invoke($"verilating {top} ({sources.Count} file(s)) and compiling the model");
            // --exe with -shared makes Verilator's own build link the harness, the model and its
            // runtime into one shared library, every object compiled position-independent.
            var args = new List<string>(VerilatorFlags)
            {
                "--exe", "--top-module", top, "-Mdir", "obj", "-o", Path.Combine("..", LibraryName),
                "-CFLAGS", string.Join(' ', CxxFlags), "-LDFLAGS", "-shared -pthread",
            };
            foreach (var flag in MakeFlags)
                args.AddRange(["-MAKEFLAGS", flag]);
            if (wave == WaveFormat.Vcd)
                args.Add("--trace");
            else if (wave == WaveFormat.Fst)
                args.Add("--trace-fst");
            args.AddRange(harnessFiles.Select(f => f.RelativePath));
            args.AddRange(sources);
            Run(ExternalTools.Verilator, args, work, TimeSpan.FromMinutes(30));
            if (!File.Exists(Path.Combine(work, LibraryName)))
                throw new VerilatorBuildException($"verilator finished but {LibraryName} was not produced in {work}");

            // Keep only what is needed: the library and the sources it was built from.
            Directory.Delete(Path.Combine(work, "obj"), recursive: true);
            if (Directory.Exists(final))
                Directory.Delete(final, recursive: true);
            Directory.Move(work, final);
            progress?.Invoke($"built {final}");
            return library;
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    public const string LibraryName = "libhwgen_model.so";

    private static string Key(EmitResult design, string harness, WaveFormat wave)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        Add("hwgen-verilator-1");
        foreach (var file in design.VerilogFiles)
        {
            Add(file.RelativePath);
            Add(file.Content);
        }
        Add(harness);
        Add(wave.ToString());
        Add(string.Join(' ', VerilatorFlags));
        Add(string.Join(' ', CxxFlags));
        Add(string.Join(' ', MakeFlags));
        Add(NativeTarget);
        Add(ToolVersions.Value);
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static readonly Lazy<string> ToolVersions = new(() =>
        $"{ExternalTools.Verilator.Version()}|{ExternalTools.Gxx.Version()}");

    private static void Run(ExternalTool tool, IReadOnlyList<string> args, string workDirectory, TimeSpan timeout)
    {
        var exe = tool.Locate() ?? throw new VerilatorBuildException(
            $"{tool.Command} is not installed: {ExternalTools.InstallCommand([tool.DebianPackage])}");
        var result = ProcessRunner.Run(exe, args, workDirectory, timeout);
        if (!result.Succeeded)
        {
            var lines = result.Output.Split('\n');
            var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
            throw new VerilatorBuildException($"{tool.Command} failed ({(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}):\n{tail}");
        }
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(40);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}
