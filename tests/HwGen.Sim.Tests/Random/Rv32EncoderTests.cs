using System.Globalization;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;
using static HwGen.Sim.Tests.RandomPrograms.Rv32Encoder;
using CsrAddress = HwGen.Sim.Model.Csr;

namespace HwGen.Sim.Tests.RandomPrograms;

/// <summary><see cref="Rv32Encoder"/> against the GNU assembler, and <see cref="MinimalElfWriter"/> against the ELF reader.</summary>
[TestFixture]
public sealed class Rv32EncoderTests
{
    /// <summary>Every encoding the random programs use, with edge-case operands, and the same instruction as assembly text.</summary>
    private static IEnumerable<(uint Word, string Assembly)> Cases()
    {
        foreach (var op in RegisterOps.Keys)
        {
            yield return (Register(op, 1, 2, 3), $"{op} x1, x2, x3");
            yield return (Register(op, 31, 0, 17), $"{op} x31, x0, x17");
        }
        foreach (var op in ImmediateOps.Keys)
        {
            yield return (Immediate(op, 5, 6, -2048), $"{op} x5, x6, -2048");
            yield return (Immediate(op, 30, 31, 2047), $"{op} x30, x31, 2047");
            yield return (Immediate(op, 7, 8, -1), $"{op} x7, x8, -1");
        }
        foreach (var op in ShiftImmediateOps.Keys)
        {
            yield return (ShiftImmediate(op, 9, 10, 0), $"{op} x9, x10, 0");
            yield return (ShiftImmediate(op, 11, 12, 31), $"{op} x11, x12, 31");
        }
        foreach (var op in Loads.Keys)
        {
            yield return (Load(op, 13, 14, -2048), $"{op} x13, -2048(x14)");
            yield return (Load(op, 15, 8, 2047), $"{op} x15, 2047(x8)");
        }
        foreach (var op in Stores.Keys)
        {
            yield return (Store(op, 16, 17, -2048), $"{op} x16, -2048(x17)");
            yield return (Store(op, 18, 8, 2047), $"{op} x18, 2047(x8)");
            yield return (Store(op, 19, 20, -33), $"{op} x19, -33(x20)");
        }
        foreach (var op in Branches.Keys)
        {
            yield return (Branch(op, 21, 22, -4096), $"{op} x21, x22, . - 4096");
            yield return (Branch(op, 23, 24, 4094), $"{op} x23, x24, . + 4094");
            yield return (Branch(op, 9, 0, -12), $"{op} x9, x0, . - 12");
            yield return (Branch(op, 25, 26, 2050), $"{op} x25, x26, . + 2050");
        }
        yield return (Jal(1, -(1 << 20)), "jal x1, . - 1048576");
        yield return (Jal(0, (1 << 20) - 2), "jal x0, . + 1048574");
        yield return (Jal(27, 2052), "jal x27, . + 2052");
        yield return (Jalr(28, 29, -2048), "jalr x28, -2048(x29)");
        yield return (Jalr(0, 1, 12), "jalr x0, 12(x1)");
        yield return (Lui(30, 0xfffff), "lui x30, 0xfffff");
        yield return (Auipc(31, 0x80000), "auipc x31, 0x80000");
        yield return (Auipc(5, 0), "auipc x5, 0");
        foreach (var op in CsrOps.Keys)
        {
            bool immediate = op.EndsWith('i');
            yield return (CsrInstruction(op, 6, CsrAddress.Mscratch, immediate ? 31 : 7), $"{op} x6, mscratch, {(immediate ? "31" : "x7")}");
            yield return (CsrInstruction(op, 0, CsrAddress.Minstreth, immediate ? 0 : 0), $"{op} x0, minstreth, {(immediate ? "0" : "x0")}");
        }
        yield return (Ecall, "ecall");
        yield return (Ebreak, "ebreak");
        yield return (Mret, "mret");
        yield return (Nop, "nop");
        yield return (Fence, "fence iorw, iorw");
    }

    [Test]
    public void EveryEncodingEqualsTheAssemblers()
    {
        var cases = Cases().ToArray();
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-firmware-tests", "encoder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, "encodings.S");
        // Far branch and jump targets need room around the list: 1 MiB of padding on either side.
        File.WriteAllText(source,
            "    .section .text.init, \"ax\", @progbits\n    .globl _start\n_start:\n    .option norvc\n    .skip 1048576\nencodings:\n" +
            string.Concat(cases.Select(c => "    " + c.Assembly + "\n")) +
            "    .skip 1048576\n");
        var build = FirmwareTestSupport.Toolchain.Build(new BuildRequest([source], Path.Combine(directory, "encodings.elf"))
        {
            MemoryMap = MemoryMap.Simulation,
            IncludeRuntime = false,
        });
        var image = ElfImage.Load(build.ElfPath, MemoryMap.Simulation);
        uint start = image.FindSymbol("encodings")!.Value;
        var segment = image.Segments.Single(s => start - s.Address < (uint)s.Data.Length);

        Assert.Multiple(() =>
        {
            for (int i = 0; i < cases.Length; i++)
            {
                int offset = (int)(start - segment.Address) + 4 * i;
                uint assembled = BitConverter.ToUInt32(segment.Data, offset);
                Assert.That(cases[i].Word, Is.EqualTo(assembled), string.Create(CultureInfo.InvariantCulture, $"{cases[i].Assembly}: 0x{cases[i].Word:x8}, the assembler gives 0x{assembled:x8}"));
            }
        });
        Directory.Delete(directory, recursive: true);
    }

    [TestCase(0u)]
    [TestCase(1u)]
    [TestCase(0x7ffu)]
    [TestCase(0x800u)]
    [TestCase(0xfffff800u)]
    [TestCase(0x12345678u)]
    [TestCase(0x80000fffu)]
    [TestCase(0xffffffffu)]
    [TestCase(0x7ffff800u)]
    public void LoadImmediateGivesTheValue(uint value)
    {
        // lui then addi: the sum of the upper part and the sign-extended lower part.
        var words = LoadImmediate(10, value);
        uint result = 0;
        foreach (var word in words)
        {
            if ((word & 0x7f) == 0x37)
                result = word & 0xfffff000;
            else
                result = (words.Length == 1 ? 0 : result) + (uint)((int)word >> 20);
        }
        Assert.That(result, Is.EqualTo(value));
    }

    [Test]
    public void AnOperandOutOfRangeIsNamed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Immediate("addi", 1, 2, 2048))!.ParamName, Is.EqualTo("imm"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Branch("beq", 1, 2, 3))!.ParamName, Is.EqualTo("offset"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Register("add", 32, 2, 3))!.ParamName, Is.EqualTo("rd"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Register("addx", 1, 2, 3))!.ParamName, Is.EqualTo("op"));
        });
    }

    [Test]
    public void TheElfWriterOutputLoadsWithItsSymbolsAndSegment()
    {
        var program = MachineCodeProgram.Generate(3, MemoryMap.Simulation);

        var image = program.ToElfImage();

        Assert.Multiple(() =>
        {
            Assert.That(image.Entry, Is.EqualTo(MemoryMap.Simulation.RamBase));
            Assert.That(image.Tohost, Is.EqualTo(program.Tohost));
            Assert.That(image.FindSymbol("_start")?.Value, Is.EqualTo(MemoryMap.Simulation.RamBase));
            Assert.That(image.Segments, Has.Count.EqualTo(1));
            Assert.That(image.Segments[0].Address, Is.EqualTo(MemoryMap.Simulation.RamBase));
            Assert.That(image.Segments[0].Data, Is.EqualTo(program.Image));
            Assert.That(image.FindSection(".text")?.Size, Is.EqualTo((uint)program.Image.Length));
        });
    }
}
