using System.Collections.Concurrent;
using System.Reflection;
using Scriban;
using Scriban.Runtime;

namespace HwGen.Firmware;

/// <summary>
/// The Scriban templates embedded in this assembly (firmware/Templates/**/*.sbn), parsed once and
/// rendered with snake_case member names (<c>RamBase</c> is <c>ram_base</c> in a template).
/// </summary>
internal static class FirmwareTemplates
{
    private const string ResourcePrefix = "HwGen.Firmware.Templates.";

    private static readonly ConcurrentDictionary<string, Template> s_parsed = new(StringComparer.Ordinal);

    /// <summary>Renders the template <paramref name="relativePath"/> (e.g. <c>linker.ld.sbn</c>) with <paramref name="model"/>.</summary>
    public static string Render(string relativePath, object model)
    {
        var template = s_parsed.GetOrAdd(relativePath, Parse);
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        var context = new TemplateContext
        {
            StrictVariables = true,
            MemberRenamer = StandardMemberRenamer.Default,
            LoopLimit = 0,
        };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException ex)
        {
            throw new InvalidOperationException($"firmware/Templates/{relativePath}: {ex.Message}", ex);
        }
    }

    private static Template Parse(string relativePath)
    {
        var assembly = typeof(FirmwareTemplates).Assembly;
        var resourceName = ResourcePrefix + relativePath;
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"firmware/Templates/{relativePath}: no embedded resource '{resourceName}' in {assembly.GetName().Name} " +
                $"(embedded templates: {string.Join(", ", TemplateNames(assembly))})");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), "firmware/Templates/" + relativePath);
        if (template.HasErrors)
            throw new InvalidOperationException(string.Join(Environment.NewLine, template.Messages.Select(m => m.ToString())));
        return template;
    }

    private static IEnumerable<string> TemplateNames(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..]);
}
