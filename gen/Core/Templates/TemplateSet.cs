using System.Collections.Concurrent;
using System.Reflection;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace HwGen.Gen.Templates;

/// <summary>
/// Scriban templates stored as embedded resources. Every generated text file is rendered through one
/// of these; <c>include "name.sbn"</c> inside a template loads a sibling resource.
/// </summary>
public sealed class TemplateSet : ITemplateLoader
{
    private readonly Assembly _assembly;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, Template> _cache = new(StringComparer.Ordinal);

    /// <param name="assembly">The assembly holding the templates.</param>
    /// <param name="prefix">The resource name prefix, e.g. <c>HwGen.Gen.Templates.Verilog/</c>.</param>
    public TemplateSet(Assembly assembly, string prefix)
    {
        _assembly = assembly;
        _prefix = prefix;
    }

    /// <summary>Renders template <paramref name="name"/> with the members of <paramref name="model"/> as globals.</summary>
    public string Render(string name, object model)
    {
        var template = Load(name);
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        var context = new TemplateContext
        {
            TemplateLoader = this,
            MemberRenamer = StandardMemberRenamer.Default,
            StrictVariables = true,
            LoopLimit = 0,
            RecursiveLimit = 0,
            EnableRelaxedMemberAccess = false,
        };
        context.PushGlobal(globals);
        var text = template.Render(context);
        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private Template Load(string name) => _cache.GetOrAdd(name, n =>
    {
        var text = ReadResource(n);
        var template = Template.Parse(text, n);
        if (template.HasErrors)
            throw new InvalidOperationException($"template {n}: {string.Join("; ", template.Messages)}");
        return template;
    });

    private string ReadResource(string name)
    {
        var resource = _prefix + name;
        using var stream = _assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"template resource '{resource}' not found in {_assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    string ITemplateLoader.GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => ReadResource(templatePath);

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(ReadResource(templatePath));
}
