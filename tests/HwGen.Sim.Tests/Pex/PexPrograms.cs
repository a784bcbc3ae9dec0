using HwGen.Designs.Pex;
using HwGen.Firmware;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;
using HwGen.Sim.Tests.Model;

namespace HwGen.Sim.Tests.Pex;

/// <summary>Programs for the PEX (tests/pex), built with the project's GCC against the PEX's generated header.</summary>
internal static class PexPrograms
{
    private static readonly Lazy<string> s_include = new(() =>
    {
        var dir = Directory.CreateDirectory(Path.Combine(TestPrograms.Directory, "pex-include")).FullName;
        File.WriteAllText(Path.Combine(dir, SocHeader.FileName), SocHeader.Render(PexMemoryMap.Default));
        return dir;
    });

    /// <summary>Builds tests/pex/<paramref name="name"/> and loads its image for the PEX's map.</summary>
    public static ElfImage Build(string name)
    {
        var source = File.ReadAllText(FirmwareTestSupport.InRepository("tests/pex/" + name));
        var elf = TestPrograms.Build(source, Path.GetExtension(name), ["-march=rv32i_zicsr", "-I", s_include.Value]);
        return ElfImage.Load(elf, PexMemoryMap.Default);
    }

    /// <summary>The image's words by RAM word index.</summary>
    public static IEnumerable<(int Index, ulong[] Words)> RamWords(ElfImage image)
    {
        foreach (var segment in image.Segments)
        {
            var words = new ulong[(segment.Data.Length + 3) / 4];
            for (int i = 0; i < segment.Data.Length; i++)
                words[i / 4] |= (ulong)segment.Data[i] << (8 * (i % 4));
            yield return ((int)((segment.Address - PexMemoryMap.RamBase) / 4), words);
        }
    }
}
