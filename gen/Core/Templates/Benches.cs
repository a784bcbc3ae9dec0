namespace HwGen.Gen.Templates;

/// <summary>Test benches that HwGen writes for its own flows (the demo, smoke simulations).</summary>
public static class Benches
{
    private static readonly TemplateSet Templates = new(typeof(Benches).Assembly, "HwGen.Gen.Templates.Benches/");

    /// <summary>Renders bench template <paramref name="name"/> (e.g. <c>counter_demo.v.sbn</c>) with <paramref name="model"/>.</summary>
    public static string Render(string name, object model) => Templates.Render(name, model);
}
