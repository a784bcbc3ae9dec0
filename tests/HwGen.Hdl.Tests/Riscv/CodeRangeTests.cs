using System.Text.RegularExpressions;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Verilog;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// The code range the core's pc copies and mtvec keep (<see cref="CoreConfig.CodeConfined"/>, <see cref="CoreConfig.CodeBits"/>):
/// from the memory map, the legal values of mtvec, and the widths of the registers in the emitted Verilog.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CodeRangeTests
{
    [Test]
    public void TheMapsRamAloneConfinesTheCode()
    {
        var board = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k);
        var simulation = CoreConfig.ForMemoryMap(MemoryMap.Simulation);
        var withRom = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k with { BootRomSize = 2048 });
        Assert.Multiple(() =>
        {
            Assert.That((board.CodeConfined, board.CodeBits), Is.EqualTo((true, 16)), "64 KiB of RAM");
            Assert.That((simulation.CodeConfined, simulation.CodeBits), Is.EqualTo((true, 22)), "4 MiB of RAM");
            Assert.That((withRom.CodeConfined, withRom.CodeBits), Is.EqualTo((false, 32)), "a boot ROM far from the RAM is code too");
            Assert.That(new CoreConfig(0x8000_0000).CodeBits, Is.EqualTo(32), "no range given");
            Assert.That((simulation with { CodeSize = 3u << 20 }).CodeBits, Is.EqualTo(32), "a range that is no power of two");
            Assert.That((simulation with { CodeBase = 0x8010_0000 }).CodeBits, Is.EqualTo(32), "a range not aligned to its size");
        });
    }

    [TestCase(0xFFFF_FFFFu, 0x8000_FFFCu)]
    [TestCase(0x1234_5679u, 0x8000_5678u)]
    [TestCase(0x8000_0100u, 0x8000_0100u)]
    [TestCase(0u, 0x8000_0000u)]
    public void MtvecKeepsTheRangesBitsOnTheBoard(uint written, uint legal)
    {
        Assert.That(CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k).LegalMtvec(written), Is.EqualTo(legal));
    }

    [Test]
    public void MtvecKeepsEveryBitButTheModeWithoutARange()
    {
        Assert.That(new CoreConfig(0x8000_0000).LegalMtvec(0x1234_567B), Is.EqualTo(0x1234_5678u));
    }

    [Test]
    public void AConfinedCoreMustResetInsideItsRange()
    {
        var config = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k) with { ResetPc = 0x0001_0000 };
        var ex = Assert.Throws<ArgumentException>(config.Validate);
        Assert.That(ex!.ParamName, Is.EqualTo(nameof(CoreConfig.CodeConfined)));
        Assert.DoesNotThrow((config with { CodeConfined = false }).Validate);
    }

    /// <summary>The board's core keeps 14 bits of the pc in its retirement fields and mtvec; one whose code is not confined keeps 30.</summary>
    [TestCase(true, 13)]
    [TestCase(false, 29)]
    public void TheRetirementPcAndMtvecKeepTheRangesBits(bool confined, int msb)
    {
        var config = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k) with { Ice40Cells = true, CodeConfined = confined };
        var files = VerilogEmitter.Emit(new Core(config)).VerilogFiles.ToDictionary(f => Path.GetFileNameWithoutExtension(f.RelativePath), f => f.Content);
        string Declared(string module, string name) =>
            Regex.Match(files[module], $@"reg\s+\[(\d+):0\]\s+{name}\b") is { Success: true } m ? m.Groups[1].Value : "none";
        Assert.Multiple(() =>
        {
            Assert.That(Declared("ExecuteStage", "memory_Retire_Pc"), Is.EqualTo(msb.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Declared("MemoryStage", "writeback_Retire_Pc"), Is.EqualTo(msb.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Declared("ControlStatusRegisters", "mtvec"), Is.EqualTo(msb.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }
}
