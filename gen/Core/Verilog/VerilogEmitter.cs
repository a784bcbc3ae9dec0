using System.Reflection;
using Module = HwGen.Hdl.Module;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using HwGen.Gen.Output;
using HwGen.Gen.Templates;
using HwGen.Hdl;
using HwGen.Hdl.Ir;

namespace HwGen.Gen.Verilog;

/// <summary>A file produced by an emitter, relative to the output folder.</summary>
public sealed record GeneratedFile(string RelativePath, string Content);

/// <summary>The Verilog files (one per module) and <c>manifest.json</c>, plus the elaboration warnings.</summary>
public sealed record EmitResult(IReadOnlyList<GeneratedFile> Files, IReadOnlyList<Diagnostic> Warnings)
{
    /// <summary>The name of the top module in the Verilog.</summary>
    public required string TopModule { get; init; }

    /// <summary>The Verilog files only, in dependency order (children first).</summary>
    public IEnumerable<GeneratedFile> VerilogFiles => Files.Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal));
}

/// <summary>
/// Renders an elaborated design as Verilog-2005 through the Scriban templates in
/// <c>gen/Core/Templates/Verilog</c>. A pure function of the IR: the same design gives byte-identical files.
/// </summary>
public static class VerilogEmitter
{
    private static readonly TemplateSet Templates = new(typeof(VerilogEmitter).Assembly, "HwGen.Gen.Templates.Verilog/");

    /// <summary>The generator name and version written into every file header.</summary>
    public static string Generator { get; } = "HwGen " +
        (typeof(VerilogEmitter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    /// <summary>Elaborates, checks and renders <paramref name="top"/>. Throws <see cref="ElaborationException"/> on errors.</summary>
    public static EmitResult Emit(Module top) => Emit(Elaborator.Elaborate(top));

    public static EmitResult Emit(IrDesign design)
    {
        var names = new Dictionary<IrModule, string>();
        var files = new List<GeneratedFile>();
        var textsByName = new Dictionary<string, List<(string Body, string Name)>>(StringComparer.Ordinal);
        var manifestModules = new List<ManifestModule>();
        const string placeholder = "__HWGEN_MODULE_NAME__";

        foreach (var ir in design.Modules)
        {
            if (ir.IsBlackBox)
            {
                names[ir] = ir.Name;
                continue;
            }
            // Render with a placeholder name; identical texts share one module definition.
            var view = new ModuleViewBuilder(ir, m => names[m]).Build(placeholder, Generator);
            var text = Templates.Render("module.sbn", view);
            if (!textsByName.TryGetValue(ir.Name, out var variants))
                textsByName[ir.Name] = variants = [];
            var same = variants.FirstOrDefault(v => v.Body == text);
            if (same.Name is not null)
            {
                names[ir] = same.Name;
                continue;
            }
            var name = variants.Count == 0 ? ir.Name : $"{ir.Name}_{variants.Count}";
            variants.Add((text, name));
            names[ir] = name;
            files.Add(new GeneratedFile(name + ".v", text.Replace(placeholder, name, StringComparison.Ordinal)));
            manifestModules.Add(new ManifestModule(
                name, ir.SourceClass, ir.Location.File, ir.Location.Line, name + ".v",
                ir.Ports.Select(p => new ManifestPort(p.Name!, p.Kind == SignalKind.Input ? "input" : "output", p.Width, p.Signed)).ToList(),
                ir.Parameters.ToDictionary(p => p.Key, p => p.Value),
                ir.Instances.Select(i => new ManifestInstance(i.Name, names[i.Module])).ToList()));
        }

        var sources = design.Modules.Select(m => m.Location.File)
            .Concat(design.Modules.SelectMany(m => m.Ports.Concat(m.Signals)).Select(s => s.Location.File))
            .Where(f => f.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        var manifest = new Manifest(Generator, names[design.Top], design.Top.SourceClass, manifestModules, sources,
            design.Warnings.Select(w => w.ToString()).ToList());
        files.Add(new GeneratedFile("manifest.json", JsonSerializer.Serialize(manifest, ManifestJson.Options) + "\n"));
        return new EmitResult(files, design.Warnings) { TopModule = names[design.Top] };
    }

    /// <summary>
    /// Writes <paramref name="result"/> as the folder <paramref name="directory"/>, all or nothing
    /// (see <see cref="OutputDirectory.Replace"/>). Returns the folder's full path. A non-empty folder without a
    /// <c>manifest.json</c> (not an earlier emission) is refused.
    /// </summary>
    public static string WriteTo(EmitResult result, string directory) =>
        OutputDirectory.Replace(directory, result.Files.Select(f => (f.RelativePath, f.Content)), marker: "manifest.json");
}

internal sealed record Manifest(string Generator, string Top, string TopClass, IReadOnlyList<ManifestModule> Modules,
    IReadOnlyList<string> SourceFiles, IReadOnlyList<string> Warnings);

internal sealed record ManifestModule(string Name, string SourceClass, string SourceFile, int SourceLine, string File,
    IReadOnlyList<ManifestPort> Ports, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<ManifestInstance> Instances);

internal sealed record ManifestPort(string Name, string Direction, int Width, bool Signed);

internal sealed record ManifestInstance(string Name, string Module);

internal static class ManifestJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
