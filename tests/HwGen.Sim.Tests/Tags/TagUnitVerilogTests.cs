using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HwGen.Designs;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Gen.Verilog;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The tag unit is built only into a tagged core: the untagged core and SoC emit the same Verilog as before the tag
/// unit existed (source locations aside, which move with the C# lines), and have no tag port.
/// </summary>
[TestFixture]
public sealed partial class TagUnitVerilogTests
{
    /// <summary>
    /// SHA-256 of the untagged core's Verilog without comments, as it was emitted before the tag unit. A change to the
    /// untagged core that is meant changes this value: update it with the value the failure prints.
    /// </summary>
    private const string UntaggedCore = "2c045339926e6b8c1ddf1e2db7fa961a8340603ecaac6980eb702661df3c3856";

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex Comment();

    private static string Fingerprint(EmitResult emitted)
    {
        var text = new StringBuilder();
        foreach (var file in emitted.VerilogFiles.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            text.Append("== ").Append(file.RelativePath).Append('\n');
            foreach (var line in Comment().Replace(file.Content.Replace("\r\n", "\n"), "").Split('\n'))
                text.Append(line.TrimEnd()).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [Test]
    public void TheUntaggedCoreIsUnchanged() =>
        Assert.That(Fingerprint(VerilogEmitter.Emit(DesignCatalog.Create("core"))), Is.EqualTo(UntaggedCore));

    [TestCase("core")]
    [TestCase("soc")]
    public void TheUntaggedDesignHasNoTagPort(string design)
    {
        var emitted = VerilogEmitter.Emit(DesignCatalog.Create(design));
        Assert.That(string.Concat(emitted.VerilogFiles.Select(f => f.Content)), Does.Not.Contain("Pex_").And.Not.Contain("TagLoader").And.Not.Contain("tagRegisters"));
    }

    [Test]
    public void TheTaggedCoreHasTheTagPorts()
    {
        var core = new Core(CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k) with { Tags = TagConfig.ForMemoryMap(MemoryMap.Ice40Up5k) });
        var top = VerilogEmitter.Emit(core).VerilogFiles.Single(f => f.Content.Contains("module Core", StringComparison.Ordinal)).Content;
        foreach (var port in new[] { "Pex_MissValid", "Pex_Resolve", "TagLoader_Valid", "CommitCiTag", "Trace_PcTag", "Trace_Denied" })
            Assert.That(top, Does.Contain(port));
    }
}
