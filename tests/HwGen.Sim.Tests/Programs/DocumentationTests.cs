using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Programs;

/// <summary>The documentation says what the C# description says.</summary>
[TestFixture]
public sealed class DocumentationTests
{
    [Test]
    public void TheReadmeMemoryMapIsTheGeneratedOne()
    {
        var readme = File.ReadAllText(FirmwareTestSupport.InRepository("README.md")).Replace("\r\n", "\n");
        const string begin = "<!-- memory-map:begin -->\n", end = "<!-- memory-map:end -->";
        int from = readme.IndexOf(begin, StringComparison.Ordinal);
        int to = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0).And.LessThan(to), "the README has no memory-map section");
        var documented = readme[(from + begin.Length)..to];
        Assert.That(documented, Is.EqualTo(MemoryMapDocument.Render(MemoryMap.Simulation)),
            "README.md's memory map differs from MemoryMap.Simulation: paste the output of MemoryMapDocument.Render between the markers");
    }
}
