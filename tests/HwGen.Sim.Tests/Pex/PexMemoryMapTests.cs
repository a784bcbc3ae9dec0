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
            // The devices' regions hold their registers and no more: their offsets are decoded from few bits.
            Assert.That(map.Region("TAGCTL").Size, Is.EqualTo(0x80u));
            Assert.That(map.Region("TAGCTL").Registers.Max(r => r.Offset), Is.LessThan(map.Region("TAGCTL").Size));
            Assert.That(map.Region("UART").Size, Is.EqualTo(8u));
            Assert.That(PexMemoryMap.Board(4096, 64u << 10).Region("SPIFLASH").Size, Is.EqualTo(8u));
            // No one sees a board PEX's console: the board's map has none.
            Assert.That(PexMemoryMap.Board(4096, 64u << 10).Find("UART"), Is.Null);
        });
    }

    [Test]
    public void ThePexCoresPcKeepsTheBitsOfItsCodeRange()
    {
        var board = PexMemoryMap.Board(4096, 64u << 10);
        var tags = new HwGen.Designs.Tags.TagConfig(0x8000_0000, 64u << 10);
        Assert.Multiple(() =>
        {
            // The board's boot ROM follows the RAM: the code lies in 64 KiB, the pc keeps 16 address bits.
            Assert.That(board.BootRomBase, Is.EqualTo(0x8000_8000u));
            Assert.That(board.ResetVector, Is.EqualTo(0x8000_8000u));
            Assert.That(PexSoc.CodeRange(board), Is.EqualTo((0x8000_0000u, 0x1_0000UL)));
            Assert.That(HwGen.Designs.Riscv.MultiCycleCore.CodeBitsFor(new PexSoc(tags, board, SocRam.Spram, board: new PexBoardParts([0x0000_006F], 2)).CoreConfig), Is.EqualTo(16));
            // Without a boot ROM the code is the RAM's 32 KiB.
            Assert.That(PexSoc.CodeRange(PexMemoryMap.Default), Is.EqualTo((0x8000_0000u, 0x8000UL)));
            Assert.That(HwGen.Designs.Riscv.MultiCycleCore.CodeBitsFor(new PexSoc(tags).CoreConfig), Is.EqualTo(15));
            // Executable regions far apart: the whole address space, a full pc.
            var apart = new MemoryMap([MemoryRegion.Rom("ROM", 0x0001_0000, 0x1000, "boot"), MemoryRegion.Ram("RAM", 0x8000_0000, 0x8000, "main")]);
            Assert.That(PexSoc.CodeRange(apart), Is.EqualTo((0u, 0UL)));
        });
    }

    [Test]
    public void TheTagControlRegistersAreAtTheirOffsets()
    {
        // A word apart each; 0x3C is free (it held the care masks, now written with the opgroup table's entries).
        string?[] names =
        [
            "STATUS", "MISS_OPGROUP", "MISS_PC_TAG", "MISS_CI_TAG", "MISS_RS1_TAG", "MISS_RS2_TAG", "MISS_MEM_TAG",
            "MISS_PC", "MISS_INSN", "MISS_ADDR", "ALLOW", "DENY", "TAG_ADDR", "TAG_DATA",
            "OPGROUP", null, "DEVICE_TAG", "CALL_RESULT_TAG", "FLUSH", "AP_CONTROL", "LOOKUPS", "HITS", "MISSES",
            "EVICTIONS", "MISS_CYCLES", "CALL_OP", "CALL_ARG0", "CALL_ARG1", "CALL_CALLER_TAG", "CALL_RESULT",
        ];
        var registers = PexMemoryMap.Default.Region("TAGCTL").Registers;
        Assert.That(registers.Select(r => (r.Name, r.Offset)),
            Is.EqualTo(names.Select((n, i) => (n, (uint)(4 * i))).Where(r => r.n is not null).Select(r => (r.n!, r.Item2))));
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
            Assert.That(header, Does.Contain("#define HWGEN_TAGCTL_OPGROUP_CARE 0x001F0000"));
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
