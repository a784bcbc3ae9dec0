using System.Text.Json;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Firmware;

/// <summary>A build under a policy writes the initial tag image and the PEX firmware beside the image, named in the manifest.</summary>
[TestFixture]
public sealed class TagProductsTests
{
    [Test]
    public void TheTagImageFileHoldsEveryCodeWordAndNothingElse()
    {
        var folder = UnikernelTestSupport.Scratch("tags");
        try
        {
            var policy = Composite.Parse("cfi+heap+nxd-nwc");
            var build = UnikernelBuilder.Build(new UnikernelBuildOptions("hello", folder) { Policy = policy });
            var map = MemoryMap.Simulation;
            var elf = ElfImage.Load(build.ElfPath, map);
            var expected = InitialTagImage.Build(elf, policy, TagConfig.ForMemoryMap(map));

            var words = TagImageFile.ParseWords(File.ReadAllText(build.Files["tags"]));
            Assert.That(words, Is.EqualTo(expected.Words));

            // Word by word against the section table: every word of an executable section has Code (and, in a function
            // with an indirect jump in it, that function's number: no other function can be left by one), every other
            // word of the image no tag; malloc's words are the allocator's.
            var code = elf.Sections.Where(s => s.IsExec && s.IsAlloc && s.Size > 0).ToArray();
            uint Word(uint address) => elf.Segments.Where(g => address - g.Address < g.Size)
                .Select(g => BitConverter.ToUInt32(g.Data, (int)(address - g.Address))).First();
            static bool IndirectJump(uint insn) => (insn & 0x707F) == 0x67 && ((insn >> 7) & 31) == 0 && ((insn >> 15) & 31) is not (1 or 5);
            var jumping = elf.Symbols.Where(f => f.Kind == ElfSymbolKind.Function && f.Size > 0)
                .Where(f => Enumerable.Range(0, (int)(f.Size / 4)).Any(i => IndirectJump(Word(f.Value + 4 * (uint)i))))
                .ToArray();
            Assert.That(jumping, Is.Not.Empty, "hello has a function with an indirect jump (its switch or a call through a register)");
            foreach (var section in elf.Sections.Where(s => s.IsAlloc && s.Size > 0))
            {
                for (uint address = section.Address & ~3u; address < section.Address + section.Size; address += 4)
                {
                    bool isCode = code.Contains(section);
                    Assert.That(words.TryGetValue(address, out ushort tag), Is.EqualTo(isCode), $"{section.Name} 0x{address:x8}");
                    if (isCode)
                    {
                        Assert.That(expected.Interner[tag].Has(Flag.Code), $"0x{address:x8}");
                        bool inJumping = jumping.Any(f => address - f.Value < f.Size);
                        Assert.That(expected.Interner[tag].Get(Slot.Function) != 0, Is.EqualTo(inJumping), $"0x{address:x8}");
                    }
                }
            }
            uint malloc = elf.FindSymbol("malloc")!.Value & ~3u;
            Assert.That(expected.Interner[words[malloc]].Has(Flag.Allocator) && expected.Interner[words[malloc]].Has(Flag.Entry));
            uint main = elf.FindSymbol("main")!.Value & ~3u;
            Assert.That(expected.Interner[words[main]].Has(Flag.Allocator), Is.False);

            using var manifest = JsonDocument.Parse(File.ReadAllText(build.Files["manifest"]));
            Assert.That(manifest.RootElement.GetProperty("policy").GetString(), Is.EqualTo("nxd-nwc+heap+cfi"));
            Assert.That(manifest.RootElement.GetProperty("tagImage").GetString(), Is.EqualTo("hello.tags"));
            var files = manifest.RootElement.GetProperty("files");
            Assert.That(files.GetProperty("pex-hex").GetString(), Is.EqualTo("hello.pex.hex"));
            Assert.That(File.ReadAllText(build.Files["pex-hex"]), Is.Not.Empty);
            Assert.That(TagImageFile.Summary(expected).Sum(s => s.Words), Is.EqualTo(words.Count));

            // Built again without a policy, the tag products go and the manifest names none.
            var plain = UnikernelBuilder.Build(new UnikernelBuildOptions("hello", folder));
            Assert.That(plain.Files.ContainsKey("tags"), Is.False);
            Assert.That(File.Exists(Path.Combine(folder, "hello.tags")), Is.False);
            using var again = JsonDocument.Parse(File.ReadAllText(plain.Files["manifest"]));
            Assert.That(again.RootElement.GetProperty("tagImage").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AMalformedRangeIsRefusedWithItsLine()
    {
        var ex = Assert.Throws<FormatException>(() => TagImageFile.ParseWords("# x\nset 1 {Code}\n0x80000000 0x80000002 1\n"));
        Assert.That(ex!.Message, Does.Contain("line 3"));
    }
}
