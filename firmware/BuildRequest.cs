using HwGen.Designs.Soc;

namespace HwGen.Firmware;

/// <summary>What <see cref="RiscvToolchain.Build"/> compiles and links into one ELF.</summary>
/// <param name="Sources">C (<c>.c</c>) and assembly (<c>.S</c>, <c>.s</c>) files.</param>
/// <param name="OutputPath">The ELF to write. The linker script and <c>hwgen_soc.h</c> are written into its folder.</param>
public sealed record BuildRequest(IReadOnlyList<string> Sources, string OutputPath)
{
    /// <summary>The memory map the linker script and the header are generated from.</summary>
    public MemoryMap MemoryMap { get; init; } = MemoryMap.Simulation;

    /// <summary>
    /// Link the runtime (crt0.S and console.c). Turn it off for bare assembly programs that provide
    /// their own <c>_start</c> in <c>.text.init</c>; the runtime headers stay on the include path.
    /// </summary>
    public bool IncludeRuntime { get; init; } = true;

    /// <summary>Preprocessor definitions: <c>-DNAME</c> when the value is null, else <c>-DNAME=VALUE</c>.</summary>
    public IReadOnlyDictionary<string, string?> Defines { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra include folders, searched after the generated header's and the runtime's.</summary>
    public IReadOnlyList<string> IncludeDirectories { get; init; } = [];

    /// <summary>Extra compiler or linker flags, appended after the standard ones (so <c>-O0</c> overrides <c>-O2</c>).</summary>
    public IReadOnlyList<string> ExtraFlags { get; init; } = [];

    /// <summary>How long the compiler may take before the build is abandoned.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>The outcome of a successful build.</summary>
/// <param name="ElfPath">The linked program.</param>
/// <param name="LinkerScriptPath">The generated linker script it was linked with.</param>
/// <param name="HeaderPath">The generated <c>hwgen_soc.h</c>.</param>
/// <param name="CommandLine">The compiler and its arguments, as run.</param>
/// <param name="CompilerOutput">What the compiler printed (warnings), empty when it was silent.</param>
public sealed record BuildResult(
    string ElfPath,
    string LinkerScriptPath,
    string HeaderPath,
    IReadOnlyList<string> CommandLine,
    string CompilerOutput);

/// <summary>The compiler, assembler or linker rejected a firmware build.</summary>
public sealed class FirmwareBuildException : Exception
{
    public FirmwareBuildException(string message, IReadOnlyList<string> diagnostics, string compilerOutput)
        : base(message)
    {
        Diagnostics = diagnostics;
        CompilerOutput = compilerOutput;
    }

    /// <summary>The <c>file:line: …</c> lines the compiler, assembler and linker printed.</summary>
    public IReadOnlyList<string> Diagnostics { get; }

    /// <summary>Everything the compiler printed.</summary>
    public string CompilerOutput { get; }
}

/// <summary>The RISC-V cross compiler is not installed.</summary>
public sealed class RiscvToolchainNotFoundException(string message) : Exception(message);
