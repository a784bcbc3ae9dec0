using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HwGen.Firmware.Unikernel;

/// <summary>Whether a component is an application (<c>apps/NAME/app.json</c>) or a micro-library (<c>kernel/NAME/library.json</c>).</summary>
public enum ComponentKind
{
    Application,
    Library,
}

/// <summary>
/// An application or a micro-library of the unikernel: a folder with a manifest (name, description, sources,
/// depends) and its C, assembly and header files. The folder is on the include path of every build that links it.
/// </summary>
/// <param name="Kind">Application or micro-library.</param>
/// <param name="Name">The folder's name, which the manifest repeats.</param>
/// <param name="Description">One line for listings.</param>
/// <param name="Sources">The files compiled, relative to the folder.</param>
/// <param name="Depends">The micro-libraries it needs, by name.</param>
/// <param name="Flags">Extra compiler flags for its own sources (e.g. <c>-fno-builtin</c> for the allocator, which GCC
/// would otherwise let call itself by turning malloc and memset into calloc).</param>
/// <param name="Folder">The folder in its tree, e.g. <c>kernel/console</c>.</param>
/// <param name="Tree">The tree it comes from.</param>
public sealed record UnikernelComponent(
    ComponentKind Kind,
    string Name,
    string Description,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Depends,
    IReadOnlyList<string> Flags,
    string Folder,
    UnikernelTree Tree)
{
    /// <summary>The manifest's path as messages name it: the tree's origin and the folder (<c>firmware/apps/hello/app.json</c>).</summary>
    public string ManifestPath => Tree.Describe(Folder + "/" + UnikernelTree.ManifestName(Kind));
}

/// <summary>A firmware source tree was not understood: a manifest is missing, malformed or inconsistent.</summary>
public sealed class FirmwareConfigException(string message) : Exception(message);

/// <summary>
/// A tree of unikernel sources: micro-libraries under <c>kernel/NAME/</c> (with <c>library.json</c>) and
/// applications under <c>apps/NAME/</c> (with <c>app.json</c>). The bundled tree travels inside this assembly
/// (firmware/kernel and firmware/apps); a tree on disk (<c>hwgen firmware build --source DIR</c>) adds
/// applications and micro-libraries of the user's, and replaces bundled ones of the same name.
/// </summary>
/// <remarks>
/// A manifest is JSON: <c>{ "name": "console", "description": "…", "sources": ["console.c"], "depends": ["start"] }</c>,
/// and optionally <c>"flags"</c>: compiler flags for the component's own sources.
/// </remarks>
public sealed class UnikernelTree
{
    private const string ResourcePrefix = "HwGen.Firmware.Tree.";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<UnikernelTree> s_bundled = new(LoadBundled);

    private readonly IReadOnlyDictionary<string, Func<string>> _files;

    private UnikernelTree(string origin, string? directory, IReadOnlyDictionary<string, Func<string>> files)
    {
        Origin = origin;
        Directory = directory;
        _files = files;
        Applications = Components(ComponentKind.Application);
        Libraries = Components(ComponentKind.Library);
    }

    /// <summary>The tree inside this assembly: firmware/kernel and firmware/apps.</summary>
    public static UnikernelTree Bundled => s_bundled.Value;

    /// <summary>How messages name the tree's root: <c>firmware</c> for the bundled one, else its folder.</summary>
    public string Origin { get; }

    /// <summary>The folder of a tree on disk, or null for the bundled tree (whose files are written out to build them).</summary>
    public string? Directory { get; }

    /// <summary>The applications, by name.</summary>
    public IReadOnlyDictionary<string, UnikernelComponent> Applications { get; }

    /// <summary>The micro-libraries, by name.</summary>
    public IReadOnlyDictionary<string, UnikernelComponent> Libraries { get; }

    /// <summary>The tree in <paramref name="directory"/>, which must hold <c>apps/</c> or <c>kernel/</c> (or both).</summary>
    /// <exception cref="FirmwareConfigException">The folder is missing, holds neither, or a manifest is malformed.</exception>
    public static UnikernelTree FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
            throw new FirmwareConfigException($"{directory}: no such firmware source folder");
        var files = new Dictionary<string, Func<string>>(StringComparer.Ordinal);
        foreach (var top in new[] { "apps", "kernel" })
        {
            var folder = Path.Combine(root, top);
            if (!System.IO.Directory.Exists(folder))
                continue;
            foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                files[relative] = () => File.ReadAllText(file);
            }
        }
        if (files.Count == 0)
            throw new FirmwareConfigException($"{directory}: neither apps/NAME/app.json nor kernel/NAME/library.json is there");
        return new UnikernelTree(directory.TrimEnd('/', '\\'), root, files);
    }

    /// <summary>The manifest's file name for <paramref name="kind"/>.</summary>
    public static string ManifestName(ComponentKind kind) => kind == ComponentKind.Application ? "app.json" : "library.json";

    /// <summary><paramref name="relativePath"/> as messages name it, under <see cref="Origin"/>.</summary>
    public string Describe(string relativePath) => Origin + "/" + relativePath;

    /// <summary>The files of <paramref name="component"/>'s folder, relative to the folder, sorted.</summary>
    public IReadOnlyList<string> FilesOf(UnikernelComponent component) =>
        _files.Keys.Where(k => k.StartsWith(component.Folder + "/", StringComparison.Ordinal))
            .Select(k => k[(component.Folder.Length + 1)..])
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// The folder on disk that holds <paramref name="component"/>'s files: its own folder for a tree on disk; for
    /// the bundled tree, a copy written under <paramref name="scratch"/> (files rewritten only when they changed).
    /// </summary>
    public string FolderOnDisk(UnikernelComponent component, string scratch)
    {
        if (Directory is not null)
            return Path.Combine(Directory, component.Folder);
        var target = Path.Combine(scratch, component.Folder);
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in FilesOf(component))
        {
            var path = Path.Combine(target, file);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            FileWriter.WriteIfChanged(path, _files[component.Folder + "/" + file]());
        }
        return target;
    }

    private Dictionary<string, UnikernelComponent> Components(ComponentKind kind)
    {
        var top = kind == ComponentKind.Application ? "apps" : "kernel";
        var manifest = ManifestName(kind);
        var components = new Dictionary<string, UnikernelComponent>(StringComparer.Ordinal);
        foreach (var path in _files.Keys.Order(StringComparer.Ordinal))
        {
            var parts = path.Split('/');
            if (parts.Length != 3 || parts[0] != top || parts[2] != manifest)
                continue;
            var component = Parse(kind, parts[1], top + "/" + parts[1], _files[path]());
            components[component.Name] = component;
        }
        return components;
    }

    private UnikernelComponent Parse(ComponentKind kind, string folderName, string folder, string text)
    {
        var where = Describe(folder + "/" + ManifestName(kind));
        ManifestJson? json;
        try
        {
            json = JsonSerializer.Deserialize<ManifestJson>(text, s_json);
        }
        catch (JsonException ex)
        {
            throw new FirmwareConfigException($"{where}: not a valid manifest: {ex.Message}");
        }
        if (json is null)
            throw new FirmwareConfigException($"{where}: the manifest is empty");
        if (json.Name != folderName)
            throw new FirmwareConfigException($"{where}: \"name\" is '{json.Name}', but the folder is '{folderName}'; they must agree");
        var sources = json.Sources ?? [];
        if (sources.Count == 0)
            throw new FirmwareConfigException($"{where}: \"sources\" lists no file to compile");
        foreach (var source in sources)
        {
            if (!_files.ContainsKey(folder + "/" + source))
                throw new FirmwareConfigException($"{where}: source '{source}' is not in {Describe(folder)}");
            if (!(source.EndsWith(".c", StringComparison.Ordinal) || source.EndsWith(".S", StringComparison.Ordinal) || source.EndsWith(".s", StringComparison.Ordinal)))
                throw new FirmwareConfigException($"{where}: source '{source}' is neither C (.c) nor assembly (.S, .s)");
        }
        return new UnikernelComponent(kind, folderName, json.Description ?? "", sources, json.Depends ?? [], json.Flags ?? [], folder, this);
    }

    private static UnikernelTree LoadBundled()
    {
        var assembly = typeof(UnikernelTree).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(
                n => n[ResourcePrefix.Length..].Replace('\\', '/'),
                n => (Func<string>)(() =>
                {
                    using var stream = assembly.GetManifestResourceStream(n)!;
                    using var reader = new StreamReader(stream, Encoding.UTF8);
                    return reader.ReadToEnd();
                }),
                StringComparer.Ordinal);
        return new UnikernelTree("firmware", null, files);
    }

    private sealed record ManifestJson(string? Name, string? Description, IReadOnlyList<string>? Sources, IReadOnlyList<string>? Depends, IReadOnlyList<string>? Flags);
}
