using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Pex;

/// <summary>The PEX's map: its RAM, the tag-control registers at the offsets of the contract, and their C macros.</summary>
[TestFixture]
public sealed class PexMemoryMapTests
{
    [Test]
    public void TheMapHasTheRamTagControlAndConsole()
    {
        var map = PexMemoryMap.Default;
        map.Validate(alignedForDecoder: true);
        Assert.Multiple(() =>
        {
            Assert.That(map.Regions.Select(r => r.Name), Is.EqualTo(new[] { "UART", "TAGCTL", "RAM" }));
            Assert.That(map.RamBase, Is.EqualTo(0x8000_0000u));
            Assert.That(map.RamSize, Is.EqualTo(32u << 10));
            Assert.That(map.ResetVector, Is.EqualTo(0x8000_0000u));
            Assert.That(map.Region("TAGCTL").Base, Is.EqualTo(0x3000_0000u));
            Assert.That(map.Region("TAGCTL").Widths, Is.EqualTo(AccessWidths.Word));
        });
    }

    [Test]
    public void TheTagControlRegistersAreAtTheirOffsets()
    {
        string[] names =
        [
            "STATUS", "MISS_OPGROUP", "MISS_PC_TAG", "MISS_CI_TAG", "MISS_RS1_TAG", "MISS_RS2_TAG", "MISS_MEM_TAG",
            "MISS_PC", "MISS_INSN", "MISS_ADDR", "ALLOW", "DENY", "TAG_ADDR", "TAG_DATA",
            "OPGROUP", "CARE", "DEVICE_TAG", "CALL_RESULT_TAG", "FLUSH", "AP_CONTROL", "LOOKUPS", "HITS", "MISSES",
            "EVICTIONS", "MISS_CYCLES", "CALL_OP", "CALL_ARG0", "CALL_ARG1", "CALL_CALLER_TAG", "CALL_RESULT",
        ];
        var registers = PexMemoryMap.Default.Region("TAGCTL").Registers;
        Assert.That(registers.Select(r => (r.Name, r.Offset)), Is.EqualTo(names.Select((n, i) => (n, (uint)(4 * i)))));
    }

    [Test]
    public void TheHeaderHasTheTagControlMacros()
    {
        var header = SocHeader.Render(PexMemoryMap.Default);
        Assert.Multiple(() =>
        {
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_BASE 0x30000000"));
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_STATUS 0x30000000"));
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_STATUS_CALL 0x00000002"));
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_TAG_DATA 0x30000034"));
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_ALLOW_RESULT_TAG 0xFFFF0000"));
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_OPGROUP_INDEX 0x00003FF0"));
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_AP_CONTROL_RESET 0x00000001"));
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_CALL_RESULT 0x30000074"));
            Assert.That(header, Does.Contain("#define HWGEN_UART_DATA 0x10000000"));
            Assert.That(header, Does.Contain("#define HWGEN_RAM_BASE 0x80000000"));
        });
    }

    [Test]
    public void TheReadmePexMemoryMapIsTheGeneratedOne()
    {
        var readme = File.ReadAllText(FirmwareTestSupport.InRepository("README.md")).Replace("\r\n", "\n");
        const string begin = "<!-- pex-memory-map:begin -->\n", end = "<!-- pex-memory-map:end -->";
        int from = readme.IndexOf(begin, StringComparison.Ordinal);
        int to = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0).And.LessThan(to), "the README has no PEX memory-map section");
        Assert.That(readme[(from + begin.Length)..to], Is.EqualTo(MemoryMapDocument.Render(PexMemoryMap.Default)),
            "README.md's PEX memory map differs from PexMemoryMap.Default: paste the output of MemoryMapDocument.Render between the markers");
    }

    [Test]
    public void TheApMapHasTheCallPortRegisters()
    {
        var call = MemoryMap.Simulation.PexCall;
        Assert.That(call.Registers.Select(r => (r.Name, r.Offset)), Is.EqualTo(new[] { ("OP", 0x0u), ("ARG0", 0x4u), ("ARG1", 0x8u), ("RESULT", 0xCu) }));
    }
}
