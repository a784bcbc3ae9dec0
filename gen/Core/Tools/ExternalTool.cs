namespace HwGen.Gen.Tools;

/// <summary>An external program HwGen drives (or a file it uses, such as a C library), and the Debian package that provides it.</summary>
/// <param name="Command">Executable name looked up on PATH; for a tool that is not a program, its name.</param>
/// <param name="DebianPackage">Package that installs it (<c>apt-get install</c>).</param>
/// <param name="VersionArguments">Arguments that make it print its version; empty for tools that have no such
/// option (the icestorm tools), whose version is then the Debian package's.</param>
/// <param name="Purpose">What HwGen uses it for (shown by <c>hwgen doctor</c>).</param>
public sealed record ExternalTool(string Command, string DebianPackage, string VersionArguments, string Purpose)
{
    /// <summary>For a tool that is not a program (a library): the file that shows it is installed, instead of a command on PATH.</summary>
    public string? InstalledFile { get; init; }

    /// <summary>Full path of the executable on PATH (or of <see cref="InstalledFile"/>), or null when it is not installed.</summary>
    public string? Locate()
    {
        if (InstalledFile is not null)
            return File.Exists(InstalledFile) ? InstalledFile : null;
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
        if (VersionArguments.Length == 0)
        {
            var package = ProcessRunner.Run("dpkg-query", ["-W", "-f", "${Version}", DebianPackage], timeout: TimeSpan.FromSeconds(20));
            return package.Succeeded && package.Stdout.Trim().Length > 0 ? $"{DebianPackage} {package.Stdout.Trim()}" : "installed (no version option)";
        }
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
    public static ExternalTool NextpnrIce40 { get; } = new("nextpnr-ice40", "nextpnr-ice40", "--version", "places and routes for iCE40 FPGAs, reports Fmax");
    public static ExternalTool Icepack { get; } = new("icepack", "fpga-icestorm", "", "packs the placed design into an iCE40 bitstream");
    public static ExternalTool Icetime { get; } = new("icetime", "fpga-icestorm", "", "static timing of a packed iCE40 design, for a second opinion on nextpnr's Fmax (by hand)");
    public static ExternalTool Picolibc { get; } = new("picolibc", "picolibc-riscv64-unknown-elf", "", "the C library (printf, string functions) the unikernel links, for RV32 with the RISC-V GCC")
    {
        InstalledFile = "/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs",
    };
    public static ExternalTool OpenFpgaLoader { get; } = new("openFPGALoader", "openfpgaloader", "--Version", "programs the board's SPI flash over its USB programmer");

    /// <summary>The tools the simulation flow and the test suite need.</summary>
    public static IReadOnlyList<ExternalTool> Simulation { get; } = [Verilator, Gxx, Make, Iverilog, Vvp, Yosys, RiscvGcc, Picolibc];

    /// <summary>The tools the FPGA flow needs: synthesis, place and route, bitstream packing and programming.</summary>
    public static IReadOnlyList<ExternalTool> Fpga { get; } = [Yosys, NextpnrIce40, Icepack, Icetime, OpenFpgaLoader, RiscvGcc];

    /// <summary>Every tool HwGen knows.</summary>
    public static IReadOnlyList<ExternalTool> All { get; } = [.. Simulation, .. Fpga.Except(Simulation)];

    /// <summary>The Debian packages that provide the missing tools of <paramref name="tools"/>, without repeats.</summary>
    public static IReadOnlyList<string> MissingPackages(IEnumerable<ExternalTool> tools) =>
        tools.Where(t => !t.IsInstalled).Select(t => t.DebianPackage).Distinct().ToArray();

    /// <summary>The command line that installs <paramref name="packages"/> on Debian.</summary>
    public static string InstallCommand(IEnumerable<string> packages) =>
        "apt-get update && apt-get install -y " + string.Join(' ', packages);
}
