using System.Text.RegularExpressions;
using HwGen.Gen.Tools;

namespace HwGen.Firmware;

/// <summary>
/// Drives the RISC-V GCC cross compiler: builds C and assembly sources into an RV32IM ELF for the
/// application processor, linked with the linker script generated from the memory map.
/// </summary>
/// <remarks>
/// One build writes, into the folder of the ELF: <c>hwgen.ld</c>, <c>hwgen_soc.h</c> and (with the
/// runtime) <c>runtime/</c>; then compiles and links every source in one compiler run with
/// <see cref="StandardFlags"/>, the include folders (the ELF's folder, then <c>runtime/</c>, then the
/// request's), into a temporary file that is renamed onto the ELF only when the link succeeded.
/// </remarks>
public sealed partial class RiscvToolchain
{
    /// <summary>The instruction set and ABI of the application processor: RV32IM with Zicsr, soft float.</summary>
    public static IReadOnlyList<string> ArchitectureFlags { get; } = ["-march=rv32im_zicsr", "-mabi=ilp32"];

    /// <summary>
    /// The architecture a link names so that GCC picks the rv32im/ilp32 libraries (libgcc, picolibc): GCC 12 matches
    /// no library set to <c>rv32im_zicsr</c> and falls back to the 64-bit one. The libraries use no CSR instruction.
    /// </summary>
    public static IReadOnlyList<string> LibraryArchitectureFlags { get; } = ["-march=rv32im", "-mabi=ilp32"];

    /// <summary>The architecture, ABI and freestanding flags every build uses.</summary>
    public static IReadOnlyList<string> StandardFlags { get; } =
    [
        .. ArchitectureFlags, "-static", "-nostdlib", "-nostartfiles", "-ffreestanding",
        "-O2", "-g", "-Wall", "-Wl,--no-warn-rwx-segments",
    ];

    /// <summary>The runtime sources linked into every program built with <see cref="BuildRequest.IncludeRuntime"/>.</summary>
    public static IReadOnlyList<string> RuntimeSources { get; } = ["crt0.S", "console.c"];

    private static readonly string[] s_sourceExtensions = [".c", ".S", ".s"];

    public RiscvToolchain(string gccPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(gccPath);
        if (!File.Exists(gccPath))
            throw new RiscvToolchainNotFoundException($"{gccPath}: no such compiler");
        GccPath = gccPath;
    }

    /// <summary>The C compiler driver (<c>riscv64-unknown-elf-gcc</c>).</summary>
    public string GccPath { get; }

    /// <summary>The disassembler installed beside the compiler, or null when there is none.</summary>
    public string? ObjdumpPath
    {
        get
        {
            var name = Path.GetFileName(GccPath);
            var index = name.LastIndexOf("gcc", StringComparison.Ordinal);
            if (index < 0)
                return null;
            var objdump = Path.Combine(Path.GetDirectoryName(GccPath)!, name[..index] + "objdump" + name[(index + 3)..]);
            return File.Exists(objdump) ? objdump : null;
        }
    }

    /// <summary>True when <see cref="ExternalTools.RiscvGcc"/> is on PATH.</summary>
    public static bool IsInstalled => ExternalTools.RiscvGcc.IsInstalled;

    /// <summary>The toolchain on PATH.</summary>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler is not installed; the message says how to install it.</exception>
    public static RiscvToolchain Find()
    {
        var tool = ExternalTools.RiscvGcc;
        var path = tool.Locate()
            ?? throw new RiscvToolchainNotFoundException(
                $"{tool.Command} was not found on PATH; it {tool.Purpose}. Install it with: {ExternalTools.InstallCommand([tool.DebianPackage])}");
        return new RiscvToolchain(path);
    }

    /// <summary>Compiles and links <paramref name="request"/> into its ELF.</summary>
    /// <exception cref="ArgumentException">A source is missing or is not C or assembly.</exception>
    /// <exception cref="FirmwareBuildException">The compiler, assembler or linker failed; the message holds their <c>file:line</c> lines.</exception>
    public BuildResult Build(BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Sources.Count == 0)
            throw new ArgumentException("firmware build: no source files given", nameof(request));
        var sources = request.Sources.Select(Path.GetFullPath).ToArray();
        foreach (var source in sources)
        {
            if (!File.Exists(source))
                throw new ArgumentException($"{source}: no such source file", nameof(request));
            if (!s_sourceExtensions.Contains(Path.GetExtension(source), StringComparer.Ordinal))
                throw new ArgumentException($"{source}: not a C (.c) or assembly (.S, .s) source", nameof(request));
        }
        ArgumentException.ThrowIfNullOrEmpty(request.OutputPath);

        var elfPath = Path.GetFullPath(request.OutputPath);
        var outputDirectory = Path.GetDirectoryName(elfPath)!;
        Directory.CreateDirectory(outputDirectory);

        var linkerScriptPath = Path.Combine(outputDirectory, LinkerScript.FileName);
        FileWriter.WriteIfChanged(linkerScriptPath, LinkerScript.Render(request.MemoryMap));
        var headerPath = Path.Combine(outputDirectory, SocHeader.FileName);
        FileWriter.WriteIfChanged(headerPath, SocHeader.Render(request.MemoryMap));
        var runtimeDirectory = FirmwareSources.WriteRuntime(Path.Combine(outputDirectory, "runtime"));

        var arguments = new List<string>(StandardFlags)
        {
            "-I", outputDirectory,
            "-I", runtimeDirectory,
        };
        foreach (var include in request.IncludeDirectories)
        {
            arguments.Add("-I");
            arguments.Add(Path.GetFullPath(include));
        }
        arguments.AddRange(DefineFlags(request.Defines));
        arguments.Add("-T");
        arguments.Add(linkerScriptPath);
        arguments.AddRange(request.ExtraFlags);
        if (request.IncludeRuntime)
            arguments.AddRange(RuntimeSources.Select(s => Path.Combine(runtimeDirectory, s)));
        arguments.AddRange(sources);
        arguments.Add("-lgcc");

        var temporary = FileWriter.TemporaryPathBeside(elfPath);
        arguments.Add("-o");
        arguments.Add(temporary);
        try
        {
            var result = ProcessRunner.Run(GccPath, arguments, workingDirectory: outputDirectory, timeout: request.Timeout);
            if (result.TimedOut)
                throw new FirmwareBuildException(
                    $"{Path.GetFileName(GccPath)} did not finish building {elfPath} within {request.Timeout.TotalSeconds:0} s",
                    [], result.Output);
            if (!result.Succeeded || !File.Exists(temporary))
                throw Failure(elfPath, result);
            File.Move(temporary, elfPath, overwrite: true);
            return new BuildResult(elfPath, linkerScriptPath, headerPath, [GccPath, .. arguments[..^1], elfPath], result.Output);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// The compiler flags for <paramref name="defines"/>: <c>-DNAME</c> when the value is null, else <c>-DNAME=VALUE</c>,
    /// sorted by name.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty or holds white space or <c>=</c>.</exception>
    public static IReadOnlyList<string> DefineFlags(IReadOnlyDictionary<string, string?> defines)
    {
        ArgumentNullException.ThrowIfNull(defines);
        var flags = new List<string>();
        foreach (var (name, value) in defines.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace) || name.Contains('='))
                throw new ArgumentException($"firmware build: '{name}' is not a preprocessor macro name", nameof(defines));
            flags.Add(value is null ? $"-D{name}" : $"-D{name}={value}");
        }
        return flags;
    }

    /// <summary>
    /// Compiles one C or assembly source into <paramref name="objectPath"/> with <paramref name="flags"/>, writing
    /// the make-style list of the files it read (the source and every header) to <paramref name="dependencyPath"/>.
    /// Both go through temporary files and are renamed into place only when the compiler succeeded.
    /// </summary>
    /// <returns>What the compiler printed (warnings), empty when it was silent.</returns>
    /// <exception cref="FirmwareBuildException">The compiler failed; the message holds its <c>file:line</c> lines.</exception>
    public string Compile(string source, string objectPath, string dependencyPath, IReadOnlyList<string> flags, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(flags);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(objectPath))!);
        var temporaryObject = FileWriter.TemporaryPathBeside(objectPath);
        var temporaryDependencies = FileWriter.TemporaryPathBeside(dependencyPath);
        try
        {
            List<string> arguments = [.. flags, "-c", source, "-MD", "-MF", temporaryDependencies, "-o", temporaryObject];
            var output = Run(arguments, objectPath, timeout, Path.GetDirectoryName(Path.GetFullPath(objectPath))!);
            File.Move(temporaryDependencies, dependencyPath, overwrite: true);
            File.Move(temporaryObject, objectPath, overwrite: true);
            return output;
        }
        finally
        {
            File.Delete(temporaryObject);
            File.Delete(temporaryDependencies);
        }
    }

    /// <summary>
    /// Links <paramref name="objects"/> with <paramref name="flags"/> into <paramref name="elfPath"/>, through a
    /// temporary file renamed into place only when the linker succeeded.
    /// </summary>
    /// <returns>What the linker printed (warnings), empty when it was silent.</returns>
    /// <exception cref="FirmwareBuildException">The linker failed; the message holds its lines.</exception>
    public string Link(IReadOnlyList<string> objects, string elfPath, IReadOnlyList<string> flags, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(flags);
        var directory = Path.GetDirectoryName(Path.GetFullPath(elfPath))!;
        Directory.CreateDirectory(directory);
        var temporary = FileWriter.TemporaryPathBeside(elfPath);
        try
        {
            var output = Run([.. flags, .. objects, "-o", temporary], elfPath, timeout, directory);
            File.Move(temporary, elfPath, overwrite: true);
            return output;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string Run(IReadOnlyList<string> arguments, string outputPath, TimeSpan timeout, string workingDirectory)
    {
        var result = ProcessRunner.Run(GccPath, arguments, workingDirectory: workingDirectory, timeout: timeout);
        if (result.TimedOut)
            throw new FirmwareBuildException(
                $"{Path.GetFileName(GccPath)} did not finish building {outputPath} within {timeout.TotalSeconds:0} s", [], result.Output);
        if (!result.Succeeded)
            throw Failure(outputPath, result);
        return result.Output;
    }

    /// <summary>The <c>objdump -d</c> listing of <paramref name="elfPath"/>, or null when no disassembler is installed.</summary>
    public string? Disassemble(string elfPath)
    {
        if (ObjdumpPath is not { } objdump)
            return null;
        var result = ProcessRunner.Run(objdump, ["-d", Path.GetFullPath(elfPath)], timeout: TimeSpan.FromMinutes(1));
        return result.Succeeded ? result.Stdout : null;
    }

    private static FirmwareBuildException Failure(string elfPath, ProcessResult result)
    {
        var output = result.Output;
        var diagnostics = output.Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => DiagnosticLine().IsMatch(l))
            .ToArray();
        var details = diagnostics.Length > 0 ? string.Join(Environment.NewLine, diagnostics) : output;
        var message = $"{elfPath}: the firmware build failed (compiler exit code {result.ExitCode}):{Environment.NewLine}{details}";
        return new FirmwareBuildException(message, diagnostics, output);
    }

    /// <summary><c>path:line:</c> or <c>path:line:column:</c> at the start of a compiler, assembler or linker message.</summary>
    [GeneratedRegex(@"^[^:\s][^:]*:\d+(:\d+)?:\s")]
    private static partial Regex DiagnosticLine();
}
