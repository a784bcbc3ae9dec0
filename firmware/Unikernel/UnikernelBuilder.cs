using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;

namespace HwGen.Firmware.Unikernel;

/// <summary>What <see cref="UnikernelBuilder.Build"/> builds, and for which SoC.</summary>
/// <param name="Application">The application's name (<c>apps/NAME/app.json</c>).</param>
/// <param name="OutputDirectory">Where the products go: <c>APP.elf</c>, <c>APP.hex</c>, <c>APP.bin</c>, <c>APP.flash</c>,
/// <c>manifest.json</c>; the intermediate files (objects, generated linker script and header, the bundled sources) go to
/// its <c>build/</c> folder.</param>
public sealed record UnikernelBuildOptions(string Application, string OutputDirectory)
{
    /// <summary>The memory map the linker script and <c>hwgen_soc.h</c> are generated from.</summary>
    public MemoryMap MemoryMap { get; init; } = MemoryMap.Simulation;

    /// <summary>The board the image is for (named in the manifest), or null for the simulator's SoC.</summary>
    public string? Board { get; init; }

    /// <summary>Preprocessor definitions for every source: <c>-DNAME</c> when the value is null, else <c>-DNAME=VALUE</c>.</summary>
    public IReadOnlyDictionary<string, string?> Defines { get; init; } = new Dictionary<string, string?>();

    /// <summary>The source trees, searched in order for the application and each micro-library (the bundled tree last).</summary>
    public IReadOnlyList<UnikernelTree> Trees { get; init; } = [UnikernelTree.Bundled];

    /// <summary>
    /// The policy the image runs under, or null for none: the build then also writes the initial tag image
    /// (<c>APP.tags</c>, <see cref="TagImageFile"/>) and the PEX firmware for the policy and that image
    /// (<c>APP.pex.elf</c>, <c>APP.pex.hex</c>).
    /// </summary>
    public Composite? Policy { get; init; }

    /// <summary>How long one compiler or linker run may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>One allocated section of the built image.</summary>
/// <param name="Name">The section's name, e.g. <c>.text</c>.</param>
/// <param name="Address">Its first address.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Loaded">True when its bytes are in the image (false for <c>.bss</c> and the other NOLOAD sections).</param>
public sealed record ImageSection(string Name, uint Address, uint Size, bool Loaded);

/// <summary>The outcome of a successful build.</summary>
/// <param name="Application">The application built.</param>
/// <param name="Libraries">The micro-libraries linked, dependencies first.</param>
/// <param name="Compiled">The sources compiled by this build (<c>kernel/console/console.c</c>); empty when every object was up to date.</param>
/// <param name="Linked">False when the ELF was up to date and not linked again.</param>
/// <param name="Files">The products by kind: <c>elf</c>, <c>hex</c>, <c>bin</c>, <c>flash</c>, <c>manifest</c> and, under a policy,
/// <c>tags</c>, <c>pex-elf</c>, <c>pex-hex</c> (full paths).</param>
/// <param name="Entry">The entry point.</param>
/// <param name="Symbols">The addresses of the symbols the simulator and the tools use (<c>tohost</c>, <c>_end</c>, …) that the image defines.</param>
/// <param name="Sections">The allocated sections, by address.</param>
/// <param name="RamBase">The base of RAM.</param>
/// <param name="RamSize">The size of RAM in bytes.</param>
/// <param name="CompilerOutput">What the compiler and linker printed (warnings) while building, empty when they were silent.</param>
public sealed record UnikernelBuildResult(
    string Application,
    IReadOnlyList<string> Libraries,
    IReadOnlyList<string> Compiled,
    bool Linked,
    IReadOnlyDictionary<string, string> Files,
    uint Entry,
    IReadOnlyDictionary<string, uint> Symbols,
    IReadOnlyList<ImageSection> Sections,
    uint RamBase,
    uint RamSize,
    string CompilerOutput)
{
    /// <summary>The policy the tag products are for, or null when the build had none.</summary>
    public Composite? Policy { get; init; }

    /// <summary>The initial tag image under <see cref="Policy"/>, or null.</summary>
    public InitialTagImage? TagImage { get; init; }

    /// <summary>The linked program.</summary>
    public string ElfPath => Files["elf"];

    /// <summary>Bytes of RAM the program occupies: from the RAM base to <c>_end</c> (code, data, .bss).</summary>
    public uint ProgramBytes => Symbols.TryGetValue("_end", out var end) ? end - RamBase : 0;
}

/// <summary>The image does not fit the RAM: the section that overflows it and by how many bytes.</summary>
public sealed class ImageDoesNotFitException(string message, string section, long overflowBytes) : Exception(message)
{
    /// <summary>The section the linker could not place (<c>.bss</c>, or <c>.stack_reserve</c> when only the stack's minimum is missing).</summary>
    public string Section { get; } = section;

    /// <summary>How many bytes RAM would need beyond its size.</summary>
    public long OverflowBytes { get; } = overflowBytes;
}

/// <summary>
/// Builds a unikernel image: the application and the micro-libraries it declares (dependencies resolved), compiled
/// with the RISC-V GCC and picolibc against a linker script and header generated from the memory map, linked, and
/// written as an ELF, a <c>$readmemh</c> hex file, a raw binary, the boot loader's flash image and a manifest.
/// </summary>
/// <remarks>
/// Builds are incremental and keyed on content: an object is compiled again only when the compiler's flags or the
/// content of a file it read last time (the source and every header, from GCC's dependency list) changed; the
/// ELF is linked again only when an object, the linker script or the flags changed.
/// </remarks>
public static partial class UnikernelBuilder
{
    /// <summary>The flags every source is compiled with, after the architecture's.</summary>
    public static IReadOnlyList<string> CompileFlags { get; } = ["-O2", "-g", "-Wall", "-Wextra", "-ffunction-sections", "-fdata-sections", PicolibcIntegerStdio];

    /// <summary>
    /// Selects picolibc's integer-only printf and scanf, at compile and at link time: the core has no floating-point
    /// unit, and the full printf would bring some 10 KiB of software floating point into every image.
    /// </summary>
    public const string PicolibcIntegerStdio = "-DPICOLIBC_INTEGER_PRINTF_SCANF";

    /// <summary>The symbols the manifest reports when the image defines them.</summary>
    public static IReadOnlyList<string> ManifestSymbols { get; } =
        ["_start", "main", "tohost", "fromhost", "__global_pointer$", "__tls_base", "__bss_start", "__bss_end", "_end", "__heap_start", "__heap_end", "__stack_top", "trap_entry"];

    private const string KeyVersion = "hwgen-unikernel-1";

    /// <summary>Builds <paramref name="options"/>' application.</summary>
    /// <exception cref="FirmwareConfigException">Unknown application or micro-library, a dependency cycle, or a malformed manifest.</exception>
    /// <exception cref="FirmwareBuildException">The compiler or the linker failed (their messages are in it).</exception>
    /// <exception cref="ImageDoesNotFitException">The image does not fit the RAM.</exception>
    /// <exception cref="RiscvToolchainNotFoundException">The compiler or picolibc is not installed.</exception>
    public static UnikernelBuildResult Build(UnikernelBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputDirectory);
        var application = FindApplication(options.Trees, options.Application);
        var libraries = ResolveLibraries(options.Trees, application);

        var toolchain = RiscvToolchain.Find();
        var specs = ExternalTools.Picolibc.Locate()
            ?? throw new RiscvToolchainNotFoundException(
                $"picolibc was not found ({ExternalTools.Picolibc.InstalledFile}); it is {ExternalTools.Picolibc.Purpose}. Install it with: {ExternalTools.InstallCommand([ExternalTools.Picolibc.DebianPackage])}");

        var output = Path.GetFullPath(options.OutputDirectory);
        var build = Path.Combine(output, "build");
        Directory.CreateDirectory(build);
        var generated = Path.Combine(build, "include");
        Directory.CreateDirectory(generated);
        var linkerScript = Path.Combine(generated, LinkerScript.FileName);
        FileWriter.WriteIfChanged(linkerScript, LinkerScript.Render(options.MemoryMap));
        FileWriter.WriteIfChanged(Path.Combine(generated, SocHeader.FileName), SocHeader.Render(options.MemoryMap));
        FileWriter.WriteIfChanged(Path.Combine(generated, PolicyHeader.FileName), PolicyHeader.Render());

        var components = libraries.Append(application).ToArray();
        var folders = components.ToDictionary(c => c, c => c.Tree.FolderOnDisk(c, Path.Combine(build, "src")));
        var flags = new List<string> { "--specs=" + specs };
        flags.AddRange(RiscvToolchain.ArchitectureFlags);
        flags.AddRange(CompileFlags);
        flags.Add("-I" + generated);
        flags.AddRange(components.Select(c => "-I" + folders[c]));
        flags.AddRange(RiscvToolchain.DefineFlags(options.Defines));

        var warnings = new StringBuilder();
        var compiled = new List<string>();
        var objects = new List<string>();
        foreach (var component in components)
        {
            foreach (var source in component.Sources)
            {
                var sourcePath = Path.Combine(folders[component], source);
                var objectPath = Path.Combine(build, "obj", component.Folder, source + ".o");
                objects.Add(objectPath);
                if (CompileIfChanged(toolchain, sourcePath, objectPath, [.. flags, .. component.Flags], options.Timeout, warnings))
                    compiled.Add(component.Folder + "/" + source);
            }
        }

        var elfBuild = Path.Combine(build, options.Application + ".elf");
        List<string> linkFlags = ["--specs=" + specs, .. RiscvToolchain.LibraryArchitectureFlags, "-static", "-nostartfiles", "-T", linkerScript, PicolibcIntegerStdio, "-Wl,--gc-sections", "-Wl,--no-warn-rwx-segments"];
        bool linked = LinkIfChanged(toolchain, objects, elfBuild, linkFlags, File.ReadAllText(linkerScript), options, warnings);

        var products = UnikernelImage.Create(options, elfBuild, [.. libraries.Select(l => l.Name)]);
        var tags = options.Policy is null ? null : TagProducts.Create(options.Policy, products.Elf, options.MemoryMap);
        var files = products.Write(output, tags);
        return new UnikernelBuildResult(
            options.Application, [.. libraries.Select(l => l.Name)], compiled, linked, files,
            products.Elf.Entry, products.Symbols, products.Sections, options.MemoryMap.RamBase, options.MemoryMap.RamSize, warnings.ToString())
        {
            Policy = options.Policy,
            TagImage = tags?.Image,
        };
    }

    /// <summary>The application <paramref name="name"/> from the first tree that has it.</summary>
    /// <exception cref="FirmwareConfigException">No tree has it.</exception>
    public static UnikernelComponent FindApplication(IReadOnlyList<UnikernelTree> trees, string name)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var tree in trees)
        {
            if (tree.Applications.TryGetValue(name, out var application))
                return application;
        }
        var known = trees.SelectMany(t => t.Applications.Keys).Distinct().Order(StringComparer.Ordinal);
        throw new FirmwareConfigException($"unknown application '{name}' (known: {string.Join(", ", known)})");
    }

    /// <summary>
    /// The micro-libraries <paramref name="application"/> needs, directly or through others, each after every library
    /// it depends on (a depth-first order, ties in the order the manifests list them).
    /// </summary>
    /// <exception cref="FirmwareConfigException">An unknown micro-library, or a dependency cycle (every member named).</exception>
    public static IReadOnlyList<UnikernelComponent> ResolveLibraries(IReadOnlyList<UnikernelTree> trees, UnikernelComponent application)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentNullException.ThrowIfNull(application);
        var order = new List<UnikernelComponent>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        void Visit(UnikernelComponent from, string name)
        {
            if (done.Contains(name))
                return;
            int at = path.IndexOf(name);
            if (at >= 0)
                throw new FirmwareConfigException($"dependency cycle among micro-libraries: {string.Join(" -> ", path.Skip(at).Append(name))}");
            var library = trees.Select(t => t.Libraries.GetValueOrDefault(name)).FirstOrDefault(l => l is not null)
                ?? throw new FirmwareConfigException(
                    $"{from.ManifestPath}: unknown micro-library '{name}' (known: {string.Join(", ", trees.SelectMany(t => t.Libraries.Keys).Distinct().Order(StringComparer.Ordinal))})");
            path.Add(name);
            foreach (var dependency in library.Depends)
                Visit(library, dependency);
            path.RemoveAt(path.Count - 1);
            done.Add(name);
            order.Add(library);
        }

        foreach (var dependency in application.Depends)
            Visit(application, dependency);
        return order;
    }

    /// <summary>Compiles <paramref name="source"/> unless its object is up to date; true when it compiled.</summary>
    private static bool CompileIfChanged(RiscvToolchain toolchain, string source, string objectPath, IReadOnlyList<string> flags, TimeSpan timeout, StringBuilder warnings)
    {
        var dependencyPath = objectPath + ".d";
        var keyPath = objectPath + ".key";
        string commandKey = string.Join('\0', [KeyVersion, toolchain.GccPath, .. flags, source]);
        if (File.Exists(objectPath) && File.Exists(keyPath) && File.Exists(dependencyPath)
            && ObjectKey(commandKey, dependencyPath) is { } current && current == File.ReadAllText(keyPath))
        {
            return false;
        }
        AppendLines(warnings, toolchain.Compile(source, objectPath, dependencyPath, flags, timeout));
        FileWriter.WriteIfChanged(keyPath, ObjectKey(commandKey, dependencyPath) ?? "");
        return true;
    }

    /// <summary>The hash of the command and of every file GCC's dependency list names, or null when one of them is gone.</summary>
    private static string? ObjectKey(string commandKey, string dependencyPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(commandKey));
        foreach (var file in DependencyFiles(File.ReadAllText(dependencyPath)))
        {
            if (!File.Exists(file))
                return null;
            hash.AppendData(Encoding.UTF8.GetBytes("\0" + file + "\0"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The prerequisites of a make rule as GCC's <c>-MD</c> writes it (<c>target: a.c b.h \</c>), spaces escaped as <c>\ </c>.</summary>
    public static IReadOnlyList<string> DependencyFiles(string rule)
    {
        var text = rule.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        var colon = ColonAfterTarget().Match(text);
        if (!colon.Success)
            return [];
        var files = new List<string>();
        var current = new StringBuilder();
        var rest = text[(colon.Index + colon.Length)..];
        for (int i = 0; i < rest.Length; i++)
        {
            if (rest[i] == '\\' && i + 1 < rest.Length && rest[i + 1] == ' ')
            {
                current.Append(' ');
                i++;
            }
            else if (char.IsWhiteSpace(rest[i]))
            {
                if (current.Length > 0)
                    files.Add(current.ToString());
                current.Clear();
                // GCC writes one rule; anything after a blank line (phony targets with -MP) is not ours.
                if (rest[i] == '\n' && i + 1 < rest.Length && rest[i + 1] == '\n')
                    break;
            }
            else
            {
                current.Append(rest[i]);
            }
        }
        if (current.Length > 0)
            files.Add(current.ToString());
        return files;
    }

    /// <summary>Links <paramref name="objects"/> unless the ELF is up to date; true when it linked.</summary>
    private static bool LinkIfChanged(RiscvToolchain toolchain, IReadOnlyList<string> objects, string elfPath, IReadOnlyList<string> flags, string linkerScript, UnikernelBuildOptions options, StringBuilder warnings)
    {
        var keyPath = elfPath + ".key";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\0', [KeyVersion, toolchain.GccPath, .. flags, linkerScript])));
        foreach (var objectPath in objects)
        {
            hash.AppendData(Encoding.UTF8.GetBytes("\0" + objectPath + "\0"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(objectPath)));
        }
        var key = Convert.ToHexString(hash.GetHashAndReset());
        if (File.Exists(elfPath) && File.Exists(keyPath) && File.ReadAllText(keyPath) == key)
            return false;
        try
        {
            AppendLines(warnings, toolchain.Link(objects, elfPath, flags, options.Timeout));
        }
        catch (FirmwareBuildException ex) when (SectionWillNotFit().IsMatch(ex.CompilerOutput))
        {
            throw MeasureOverflow(toolchain, objects, elfPath, flags, options);
        }
        FileWriter.WriteIfChanged(keyPath, key);
        return true;
    }

    private static void AppendLines(StringBuilder text, string lines)
    {
        if (lines.Length > 0)
            text.AppendLine(lines);
    }

    /// <summary>
    /// Why the image does not fit: it is linked once more for a RAM that reaches to the end of the address space, and
    /// the first section that ends past the real RAM, and how far the program with its stack reserve goes past it, are
    /// read from that ELF (the linker's own "overflowed by" counts only what it could not place).
    /// </summary>
    private static ImageDoesNotFitException MeasureOverflow(RiscvToolchain toolchain, IReadOnlyList<string> objects, string elfPath, IReadOnlyList<string> flags, UnikernelBuildOptions options)
    {
        var map = options.MemoryMap;
        var ram = map.Ram;
        ulong ramEnd = (ulong)ram.Base + ram.Size;
        var roomy = map.With(ram with { Size = (uint)(Math.Min(0xFFFF_F000UL, (1UL << 32) - ram.Base) & ~3UL) });
        var folder = Path.Combine(Path.GetDirectoryName(elfPath)!, "measure");
        Directory.CreateDirectory(folder);
        var script = Path.Combine(folder, LinkerScript.FileName);
        FileWriter.WriteIfChanged(script, LinkerScript.Render(roomy));
        var measured = Path.Combine(folder, Path.GetFileName(elfPath));
        var scriptAt = flags.ToList().IndexOf("-T") + 1;
        toolchain.Link(objects, measured, [.. flags.Take(scriptAt), script, .. flags.Skip(scriptAt + 1)], options.Timeout);
        var sections = ElfImage.Load(measured, roomy).Sections.Where(s => s.IsAlloc && s.Size > 0).OrderBy(s => s.Address).ToArray();
        var first = sections.First(s => (ulong)s.Address + s.Size > ramEnd);
        long overflow = (long)(sections.Max(s => (ulong)s.Address + s.Size) - ramEnd);
        var where = options.Board is null ? "the simulator's SoC" : $"board '{options.Board}'";
        var reason = first.Name == ".stack_reserve"
            ? $"the program leaves {LinkerScript.MinimumStackBytes - overflow} bytes for the stack, {overflow} fewer than the {LinkerScript.MinimumStackBytes} it needs at least"
            : $"section {first.Name} reaches past its end, and the program with its {LinkerScript.MinimumStackBytes}-byte stack reserve is {overflow} bytes too large";
        return new ImageDoesNotFitException(
            $"{options.Application}: the image does not fit the {map.RamSize} bytes of RAM at {Hex.Word(map.RamBase)} of {where}: {reason}", first.Name, overflow);
    }

    /// <summary>The target's colon in a make rule: the first colon followed by white space or the end.</summary>
    [GeneratedRegex(@":(?=\s|$)")]
    private static partial Regex ColonAfterTarget();

    [GeneratedRegex(@"section `(?<section>[^']+)' will not fit in region `[^']+'")]
    private static partial Regex SectionWillNotFit();
}
