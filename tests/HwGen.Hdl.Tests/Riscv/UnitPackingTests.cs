using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Gen.Fpga;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// Units whose registers are built to share logic cells, synthesised for the iCE40 as the FPGA flow does
/// (<see cref="FpgaFlow.Synthesize"/>): few flip-flops take a logic cell without logic (<see cref="LoneFlipFlops"/>).
/// No functional test sees such a cell: the multiplier's operands, if anything but the products read them, stay in
/// 64 of them beside the DSP blocks' input registers; the CLINT's mtimecmp, inverted by one LUT for both halves, in 64.
/// </summary>
[TestFixture]
public sealed class UnitPackingTests
{
    private static IEnumerable<TestCaseData> Units()
    {
        yield return new TestCaseData((Func<Hdl.Module>)(() => new Multiplier()), 8).SetArgDisplayNames("multiplier");
        // The middle sum's carry out, from its DSP block, takes a cell of its own.
        yield return new TestCaseData((Func<Hdl.Module>)(() => new Multiplier(cells: true)), 9).SetArgDisplayNames("multiplier with its middle sum in a DSP block");
        yield return new TestCaseData((Func<Hdl.Module>)(() => new Clint(MemoryMap.Ice40Up5k)), 4).SetArgDisplayNames("clint");
    }

    [TestCaseSource(nameof(Units))]
    public void FewFlipFlopsTakeACellOfTheirOwn(Func<Hdl.Module> create, int most)
    {
        using var scratch = new ScratchDirectory("pack-unit");
        var design = EmittedDesign.Write(VerilogEmitter.Emit(create()), scratch.Combine("rtl"));
        var synth = scratch.Combine("synth");
        FpgaFlow.Synthesize(design.Directory, design.TopModule, synth);
        var lone = LoneFlipFlops.Read(File.ReadAllText(Path.Combine(synth, "design.json")), design.TopModule);

        Assert.That(lone.Alone, Is.LessThanOrEqualTo(most),
            $"{design.TopModule}: {lone.Alone} of {lone.FlipFlops} flip-flops alone in a cell: {string.Join(", ", lone.Registers)}");
        scratch.Complete();
    }
}
