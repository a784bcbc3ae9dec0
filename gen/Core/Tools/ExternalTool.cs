namespace HwGen.Gen.Tools;

/// <summary>An external program HwGen drives, and the Debian package that provides it.</summary>
/// <param name="Command">Executable name looked up on PATH.</param>
/// <param name="DebianPackage">Package that installs it (<c>apt-get install</c>).</param>
/// <param name="VersionArguments">Arguments that make it print its version.</param>
/// <param name="Purpose">What HwGen uses it for (shown by <c>hwgen doctor</c>).</param>
public sealed record ExternalTool(string Command, string DebianPackage, string VersionArguments, string Purpose)
{
    /// <summary>Full path of the executable on PATH, or null when it is not installed.</summary>
    public string? Locate()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, Command);
            if (File.Exists(candidate))
                return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe"))
                return candidate + ".exe";
        }
        return null;
    }

    public bool IsInstalled => Locate() is not null;

    /// <summary>The first line the tool prints for its version, or null when it is missing.</summary>
    public string? Version()
    {
        if (Locate() is not { } exe)
            return null;
        var result = ProcessRunner.Run(exe, VersionArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), timeout: TimeSpan.FromSeconds(20));
        var text = (result.Stdout.Length > 0 ? result.Stdout : result.Stderr).Trim();
        return text.Split('\n', 2)[0].Trim();
    }
}

/// <summary>
/// Every external tool HwGen knows, in one table. <c>hwgen doctor</c>, <c>hwgen demo</c>, the test
/// suite and CI all install from this list.
/// </summary>
public static class ExternalTools
{
    public static ExternalTool Verilator { get; } = new("verilator", "verilator", "--version", "lint and cycle-accurate simulation of the generated Verilog");
    public static ExternalTool Iverilog { get; } = new("iverilog", "iverilog", "-V", "second simulator: cross-checks the generated Verilog");
    public static ExternalTool Vvp { get; } = new("vvp", "iverilog", "-V", "runs Icarus Verilog simulations");
    public static ExternalTool Yosys { get; } = new("yosys", "yosys", "-V", "synthesis and structural checks");
    public static ExternalTool RiscvGcc { get; } = new("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf", "--version", "builds RV32 firmware and test programs");
    public static ExternalTool Gxx { get; } = new("g++", "g++", "--version", "compiles Verilator models");
    public static ExternalTool Make { get; } = new("make", "make", "--version", "drives Verilator model builds");

    /// <summary>The tools the simulation flow and the test suite need.</summary>
    public static IReadOnlyList<ExternalTool> Simulation { get; } = [Verilator, Gxx, Make, Iverilog, Vvp, Yosys, RiscvGcc];

    /// <summary>Every tool HwGen knows.</summary>
    public static IReadOnlyList<ExternalTool> All { get; } = Simulation;

    /// <summary>The Debian packages that provide the missing tools of <paramref name="tools"/>, without repeats.</summary>
    public static IReadOnlyList<string> MissingPackages(IEnumerable<ExternalTool> tools) =>
        tools.Where(t => !t.IsInstalled).Select(t => t.DebianPackage).Distinct().ToArray();

    /// <summary>The command line that installs <paramref name="packages"/> on Debian.</summary>
    public static string InstallCommand(IEnumerable<string> packages) =>
        "apt-get update && apt-get install -y " + string.Join(' ', packages);
}
