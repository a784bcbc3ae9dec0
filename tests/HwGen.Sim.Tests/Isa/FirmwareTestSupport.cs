using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Isa;

/// <summary>A program built by <see cref="FirmwareTestSupport.BuildAndRun"/> and its run on the golden model.</summary>
internal sealed record FirmwareRun(BuildResult Build, IssRunResult Result, string WorkDirectory)
{
    /// <summary>
    /// A description of the run for a failure message: status, exit code, UART output, and the
    /// disassembly around the failing pc when the program printed one (<c>pc 0x…</c>, <c>mepc 0x…</c>).
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Path.GetFileName(Build.ElfPath)}: {Result.Status}, exit code {Result.ExitCode}, {Result.Instret} instructions retired");
        text.AppendLine();
        if (Result.UartOutput.Length > 0)
            text.AppendLine("UART output:").AppendLine(Result.UartOutput.TrimEnd());
        if (FirmwareTestSupport.FailingPc(Result.UartOutput) is { } pc)
        {
            var listing = FirmwareTestSupport.Toolchain.Disassemble(Build.ElfPath);
            if (listing is not null)
                text.AppendLine(CultureInfo.InvariantCulture, $"disassembly around 0x{pc:x8}:").Append(FirmwareTestSupport.DisassemblyAround(listing, pc));
        }
        text.Append("build folder: ").Append(WorkDirectory);
        return text.ToString();
    }
}

/// <summary>Finding the sources, building programs with the RISC-V toolchain and running them on the golden model.</summary>
internal static partial class FirmwareTestSupport
{
    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);
    private static readonly Lazy<RiscvToolchain> s_toolchain = new(FindToolchain);

    /// <summary>The checkout: the folder holding HwGen.sln.</summary>
    public static string RepositoryRoot => s_repositoryRoot.Value;

    public static RiscvToolchain Toolchain => s_toolchain.Value;

    /// <summary>A path under the checkout, from forward-slash parts (<c>tests/isa</c>).</summary>
    public static string InRepository(string relativePath) =>
        Path.Combine([RepositoryRoot, .. relativePath.Split('/')]);

    /// <summary>
    /// Builds <paramref name="sources"/> into <c>program.elf</c> and runs it on the golden model for at most
    /// <paramref name="maxInstructions"/> instructions. Without <paramref name="workDirectory"/> the build goes
    /// to a fresh temporary folder, deleted when the run passes and kept (and named in
    /// <see cref="FirmwareRun.Describe"/>) otherwise; a given <paramref name="workDirectory"/> belongs to the caller.
    /// </summary>
    public static FirmwareRun BuildAndRun(
        IReadOnlyList<string> sources,
        bool includeRuntime,
        long maxInstructions,
        IReadOnlyList<string>? includeDirectories = null,
        IReadOnlyDictionary<string, string?>? defines = null,
        byte[]? uartInput = null,
        MemoryMap? map = null,
        string? workDirectory = null)
    {
        map ??= MemoryMap.Simulation;
        var directory = workDirectory ?? Path.Combine(Path.GetTempPath(), "hwgen-firmware-tests", Guid.NewGuid().ToString("N"));
        var build = Toolchain.Build(new BuildRequest(sources, Path.Combine(directory, "program.elf"))
        {
            MemoryMap = map,
            IncludeRuntime = includeRuntime,
            IncludeDirectories = includeDirectories ?? [],
            Defines = defines ?? new Dictionary<string, string?>(),
        });
        var iss = new Rv32Iss(map);
        iss.Load(ElfImage.Load(build.ElfPath, map));
        if (uartInput is not null)
            iss.EnqueueUartInput(uartInput);
        var result = iss.Run(maxInstructions);
        if (result.Status == IssStatus.Passed && workDirectory is null)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Another process still looks at it; the temporary folder is cleaned up later.
            }
        }
        return new FirmwareRun(build, result, directory);
    }

    /// <summary>The first <c>pc 0x…</c> (a failed check) or <c>mepc 0x…</c> (an unexpected trap) in the UART output.</summary>
    public static uint? FailingPc(string uartOutput)
    {
        var match = FailingPcPattern().Match(uartOutput);
        return match.Success ? uint.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The lines of an objdump listing within <paramref name="context"/> instructions of <paramref name="pc"/>, the pc marked.</summary>
    public static string DisassemblyAround(string listing, uint pc, int context = 8)
    {
        var lines = listing.Split('\n');
        int at = -1;
        for (int i = 0; i < lines.Length; i++)
        {
            var match = ListingAddress().Match(lines[i]);
            if (match.Success && uint.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) == pc)
            {
                at = i;
                break;
            }
        }
        if (at < 0)
            return $"  (0x{pc:x8} is not in the listing)\n";
        var text = new StringBuilder();
        for (int i = Math.Max(0, at - context); i <= Math.Min(lines.Length - 1, at + context); i++)
            text.Append(i == at ? "=> " : "   ").Append(lines[i].TrimEnd()).Append('\n');
        return text.ToString();
    }

    private static RiscvToolchain FindToolchain()
    {
        try
        {
            return RiscvToolchain.Find();
        }
        catch (RiscvToolchainNotFoundException ex)
        {
            Assert.Fail(ex.Message);
            throw;
        }
    }

    /// <summary>
    /// The checkout, found in this order: the HWGEN_REPO_ROOT environment variable; a folder above the test
    /// assembly or the working directory that holds HwGen.sln (a build inside the tree); the project path
    /// that NuGet restore recorded in obj/project.assets.json beside the build output (a build moved out of
    /// the tree by HWGEN_BUILD_ROOT), and the folder above it that holds HwGen.sln.
    /// </summary>
    private static string FindRepositoryRoot()
    {
        var configured = Environment.GetEnvironmentVariable("HWGEN_REPO_ROOT");
        if (!string.IsNullOrEmpty(configured))
        {
            if (!File.Exists(Path.Combine(configured, "HwGen.sln")))
                throw new InvalidOperationException($"HWGEN_REPO_ROOT={configured}: no HwGen.sln there");
            return Path.GetFullPath(configured);
        }
        string[] starts = [AppContext.BaseDirectory, Environment.CurrentDirectory];
        foreach (var start in starts)
        {
            if (SolutionFolderAbove(start) is { } root)
                return root;
        }
        if (RestoredProjectPath(AppContext.BaseDirectory) is { } projectPath && SolutionFolderAbove(Path.GetDirectoryName(projectPath)!) is { } fromProject)
            return fromProject;
        throw new InvalidOperationException(
            $"cannot find the HwGen checkout (HwGen.sln) above {string.Join(" or ", starts.Distinct())}, nor through obj/project.assets.json; set HWGEN_REPO_ROOT to it");
    }

    private static string? SolutionFolderAbove(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HwGen.sln")))
                return directory.FullName;
        }
        return null;
    }

    /// <summary>The <c>project.restore.projectPath</c> of the nearest obj/project.assets.json above <paramref name="start"/>.</summary>
    private static string? RestoredProjectPath(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var assets = Path.Combine(directory.FullName, "obj", "project.assets.json");
            if (!File.Exists(assets))
                continue;
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(assets));
            if (document.RootElement.TryGetProperty("project", out var project)
                && project.TryGetProperty("restore", out var restore)
                && restore.TryGetProperty("projectPath", out var path)
                && path.GetString() is { Length: > 0 } value)
            {
                return value;
            }
            return null;
        }
        return null;
    }

    [GeneratedRegex(@"\b(?:pc|mepc) 0x([0-9a-f]{8})")]
    private static partial Regex FailingPcPattern();

    [GeneratedRegex(@"^\s*([0-9a-f]{8}):")]
    private static partial Regex ListingAddress();
}
