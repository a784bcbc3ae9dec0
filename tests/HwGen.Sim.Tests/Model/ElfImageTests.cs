using System.Buffers.Binary;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

[TestFixture]
public sealed class ElfImageTests
{
    private const string Program = """
            la t0, counter
            lw t1, 0(t0)
            addi t1, t1, 1
            sw t1, 0(t0)
            call helper
            EXIT 0
        .globl helper
        .type helper, @function
        helper:
            ret
        .size helper, . - helper
        local_label:
            nop
            .data
        .globl counter
        .type counter, @object
        counter: .word 41
        .size counter, 4
            .bss
        .globl buffer
        .type buffer, @object
        buffer: .space 64
        .size buffer, 64
        """;

    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("hwgen-elf-tests-").FullName;

    [TearDown]
    public void DeleteScratch() => Directory.Delete(_scratch, recursive: true);

    private static string ValidElf() => TestPrograms.Assemble(Program);

    /// <summary>A copy of the valid ELF with <paramref name="patch"/> applied, written to the scratch directory.</summary>
    private string Patched(string name, Action<byte[]> patch)
    {
        var bytes = File.ReadAllBytes(ValidElf());
        patch(bytes);
        var path = Path.Combine(_scratch, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ElfFormatException LoadFails(string path)
    {
        var ex = Assert.Throws<ElfFormatException>(() => ElfImage.Load(path, TestPrograms.Map))!;
        Assert.That(ex.Message, Does.StartWith(path + ": "), "the message names the file");
        Assert.That(ex.Message, Does.Not.Contain('\n'), "the message is one line");
        return ex;
    }

    [Test]
    public void LoadsEntrySegmentsSectionsAndSymbols()
    {
        var path = ValidElf();
        var image = ElfImage.Load(path, TestPrograms.Map);

        Assert.That(image.Path, Is.EqualTo(path));
        Assert.That(image.TryGetSymbol("_start", out uint start), Is.True);
        Assert.That(image.Entry, Is.EqualTo(start));
        Assert.That(start, Is.EqualTo(TestPrograms.Map.RamBase));

        var text = image.Sections.Single(s => s.Name == ".text");
        Assert.That(text.Address, Is.EqualTo(start));
        Assert.That((text.IsAlloc, text.IsExec, text.IsWrite), Is.EqualTo((true, true, false)));
        Assert.That(text.Type, Is.EqualTo(ElfSectionType.ProgBits));
        var bss = image.Sections.Single(s => s.Name == ".bss");
        Assert.That((bss.IsAlloc, bss.IsExec, bss.IsWrite, bss.Type), Is.EqualTo((true, false, true, ElfSectionType.NoBits)));
        Assert.That(bss.Size, Is.EqualTo(64));
        Assert.That(image.Sections.Any(s => s.Name == ".symtab" && s.Type == ElfSectionType.SymTab && !s.IsAlloc), Is.True);

        var helper = image.Symbols.Single(s => s.Name == "helper");
        Assert.That((helper.Kind, helper.Binding, helper.IsGlobal, helper.Size), Is.EqualTo((ElfSymbolKind.Function, ElfSymbolBinding.Global, true, 4u)));
        var counter = image.Symbols.Single(s => s.Name == "counter");
        Assert.That((counter.Kind, counter.IsGlobal, counter.Size), Is.EqualTo((ElfSymbolKind.Object, true, 4u)));
        var local = image.Symbols.Single(s => s.Name == "local_label");
        Assert.That((local.Kind, local.Binding, local.IsGlobal), Is.EqualTo((ElfSymbolKind.Other, ElfSymbolBinding.Local, false)));
        Assert.That(local.Value, Is.EqualTo(helper.Value + 4));

        Assert.That(image.TryGetSymbol("tohost", out uint tohost), Is.True);
        Assert.That(image.Tohost, Is.EqualTo(tohost));
        Assert.That(image.TryGetSymbol("no_such_symbol", out _), Is.False);

        // The data word and the zero-filled .bss are in the segments, at their addresses.
        Assert.That(ReadImage(image, counter.Value, 4), Is.EqualTo(new byte[] { 41, 0, 0, 0 }));
        Assert.That(image.TryGetSymbol("buffer", out uint buffer), Is.True);
        var segment = image.Segments.Single(s => buffer - s.Address < s.Size);
        Assert.That(segment.FileSize, Is.LessThan(segment.Size), "the .bss part of the segment is not in the file");
        Assert.That(ReadImage(image, buffer, 64), Is.All.EqualTo((byte)0));
    }

    private static byte[] ReadImage(ElfImage image, uint address, int length)
    {
        var segment = image.Segments.Single(s => address - s.Address < s.Size);
        return segment.Data.AsSpan((int)(address - segment.Address), length).ToArray();
    }

    [Test]
    public void ImageWithoutTohostHasNone()
    {
        var image = ElfImage.Load(TestPrograms.Assemble("nop\nj _start", withTohost: false), TestPrograms.Map);
        Assert.That(image.Tohost, Is.Null);
    }

    [Test]
    public void MissingFile()
    {
        var path = Path.Combine(_scratch, "absent.elf");
        Assert.That(LoadFails(path).Message, Does.Contain("file not found"));
    }

    [Test]
    public void TextFileIsNotAnElf()
    {
        var path = Path.Combine(_scratch, "notes.txt");
        File.WriteAllText(path, "hello, this is not a program\n");
        Assert.That(LoadFails(path).Message, Does.Contain("not an ELF file").And.Contain("68 65 6c 6c"));
    }

    [Test]
    public void EmptyFileIsNotAnElf()
    {
        var path = Path.Combine(_scratch, "empty.elf");
        File.WriteAllBytes(path, []);
        Assert.That(LoadFails(path).Message, Does.Contain("not an ELF file").And.Contain("empty"));
    }

    [Test]
    public void HostExecutableIsElf64()
    {
        // The running .NET host is a 64-bit executable of this machine.
        var host = Environment.ProcessPath!;
        var bytes = File.ReadAllBytes(host);
        Assert.That(bytes[4], Is.EqualTo(2), "precondition: the host executable is ELFCLASS64");
        Assert.That(LoadFails(host).Message, Does.Contain("HwGen runs RV32 programs (ELFCLASS32)"));
    }

    [Test]
    public void ClassByteFlippedTo64()
    {
        var path = Patched("class64.elf", b => b[4] = 2);
        Assert.That(LoadFails(path).Message, Does.Contain("ELFCLASS64").And.Contain("HwGen runs RV32 programs (ELFCLASS32)"));
    }

    [Test]
    public void InvalidClassByte()
    {
        var path = Patched("class0.elf", b => b[4] = 0);
        Assert.That(LoadFails(path).Message, Does.Contain("invalid ELF class 0"));
    }

    [Test]
    public void BigEndian()
    {
        var path = Patched("msb.elf", b => b[5] = 2);
        Assert.That(LoadFails(path).Message, Does.Contain("big-endian"));
    }

    [TestCase((ushort)62, "x86-64")]
    [TestCase((ushort)40, "ARM")]
    [TestCase((ushort)3, "Intel 80386")]
    public void NotRiscV(ushort machine, string name)
    {
        var path = Patched($"machine{machine}.elf", b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), machine));
        Assert.That(LoadFails(path).Message, Does.Contain($"built for {name} (e_machine {machine})").And.Contain("EM_RISCV = 243"));
    }

    [Test]
    public void RelocatableObjectIsNotAnExecutable()
    {
        var elf = ValidElf();
        // A real object file from the same source: gcc -c.
        var obj = TestPrograms.Build(File.ReadAllText(Path.ChangeExtension(elf, ".S")), ".S", ["-c"]);
        Assert.That(LoadFails(obj).Message, Does.Contain("not an executable").And.Contain("ET_REL"));
    }

    [Test]
    public void SharedObjectTypeIsNotAnExecutable()
    {
        var path = Patched("dyn.elf", b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 3));
        Assert.That(LoadFails(path).Message, Does.Contain("ET_DYN"));
    }

    [Test]
    public void TruncatedHeader()
    {
        var path = Path.Combine(_scratch, "short.elf");
        File.WriteAllBytes(path, File.ReadAllBytes(ValidElf())[..40]);
        Assert.That(LoadFails(path).Message, Does.Contain("truncated or corrupt").And.Contain("52-byte ELF32 header"));
    }

    [Test]
    public void TruncatedProgramHeaders()
    {
        var path = Path.Combine(_scratch, "short-ph.elf");
        File.WriteAllBytes(path, File.ReadAllBytes(ValidElf())[..60]);
        Assert.That(LoadFails(path).Message, Does.Contain("truncated or corrupt").And.Contain("program header table"));
    }

    [Test]
    public void TruncatedSegmentData()
    {
        int load = -1;
        var path = Patched("long-segment.elf", b =>
        {
            // Make the first PT_LOAD segment claim more file bytes than the file has.
            ushort phnum = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(44));
            uint phoff = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(28));
            load = Enumerable.Range(0, phnum).First(i => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)phoff + 32 * i)) == 1);
            var ph = b.AsSpan((int)phoff + 32 * load);
            uint filesz = BinaryPrimitives.ReadUInt32LittleEndian(ph[16..]);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[16..], filesz + (uint)b.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[20..], filesz + (uint)b.Length);
        });
        Assert.That(LoadFails(path).Message, Does.Contain("truncated or corrupt").And.Contain($"PT_LOAD segment {load}").And.Contain("extends past the end of the file"));
    }

    [Test]
    public void CorruptProgramHeaderEntrySize()
    {
        var path = Patched("phentsize.elf", b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(42), 56));
        Assert.That(LoadFails(path).Message, Does.Contain("e_phentsize is 56"));
    }

    [Test]
    public void SectionHeadersPastTheEnd()
    {
        var path = Patched("shoff.elf", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(32), (uint)b.Length - 8));
        Assert.That(LoadFails(path).Message, Does.Contain("section header table"));
    }

    [Test]
    public void SegmentOutsideRam()
    {
        var path = TestPrograms.Build(TestPrograms.Prelude + ".text\n.globl _start\n_start:\n nop\n j _start\n", ".S", [], linkAddress: "0x1000");
        var message = LoadFails(path).Message;
        var ram = TestPrograms.Map.Ram;
        Assert.That(message, Does.Contain("PT_LOAD segment 0x00001000..0x00001007 (.text)"));
        Assert.That(message, Does.Contain($"outside RAM 0x{ram.Base:x8}..0x{ram.End - 1:x8}"));
    }

    [Test]
    public void EntryPointOutsideRam()
    {
        var path = Patched("entry.elf", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), 0x1000));
        Assert.That(LoadFails(path).Message, Does.Contain("entry point 0x00001000 lies outside RAM"));
    }

    [Test]
    public void CorruptedHeadersGiveOnlyFormatErrors()
    {
        var original = File.ReadAllBytes(ValidElf());
        uint shoff = BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(32));
        var random = new Random(12345);
        int rejected = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            var bytes = (byte[])original.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                // Hit the ELF header, the program headers or the section headers.
                int offset = random.Next(3) switch
                {
                    0 => random.Next(52),
                    1 => 52 + random.Next(32 * BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(44))),
                    _ => (int)shoff + random.Next(original.Length - (int)shoff),
                };
                bytes[offset] ^= (byte)(1 << random.Next(8));
            }
            try
            {
                ElfImage.Parse($"trial{trial}.elf", bytes, TestPrograms.Map);
            }
            catch (ElfFormatException ex)
            {
                Assert.That(ex.Message, Does.StartWith($"trial{trial}.elf: "));
                rejected++;
            }
        }
        Assert.That(rejected, Is.GreaterThan(100), "most corruptions are noticed");
    }

    [Test]
    public void ParseNamesTheGivenPath()
    {
        var ex = Assert.Throws<ElfFormatException>(() => ElfImage.Parse("memory.bin", new byte[] { 1, 2, 3, 4, 5 }, TestPrograms.Map))!;
        Assert.That(ex.Message, Is.EqualTo("memory.bin: not an ELF file (bad magic: it starts with 01 02 03 04, expected 7f 45 4c 46)"));
    }
}
