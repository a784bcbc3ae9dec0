using HwGen.Gen.Templates;

namespace HwGen.Firmware;

/// <summary>
/// The Scriban templates embedded in this assembly (firmware/Templates/*.sbn), rendered with snake_case
/// member names (<c>RamBase</c> is <c>ram_base</c> in a template).
/// </summary>
internal static class FirmwareTemplates
{
    private static readonly TemplateSet Templates = new(typeof(FirmwareTemplates).Assembly, "HwGen.Firmware.Templates.");

    /// <summary>Renders the template <paramref name="relativePath"/> (e.g. <c>linker.ld.sbn</c>) with <paramref name="model"/>.</summary>
    public static string Render(string relativePath, object model) => Templates.Render(relativePath, model);
}
