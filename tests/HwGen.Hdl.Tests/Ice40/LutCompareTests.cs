using HwGen.Designs.Ice40;
using HwGen.Gen.Tools;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// <see cref="LutCompare"/>: the tree of <c>SB_LUT4</c> instances proved equal to a generic <c>==</c> (and the bits
/// that must be 1) for every input by Yosys' SAT solver with the LUT's model, the same proof failing where the generic
/// side leaves one bit out; its LUT count after Yosys; its Verilog lint-clean with the models.
/// </summary>
[TestFixture]
public sealed class LutCompareTests
{
    /// <summary>
    /// The compare from LUTs (<c>Cells</c>) and, <paramref name="generic"/>, the same compare in generic Verilog from
    /// the same inputs (<c>Generic</c>), leaving bit <paramref name="skippedBit"/> out when it is 0 or more.
    /// </summary>
    private sealed class ComparePair : Module
    {
        private readonly int skippedBit;

        private readonly int late;

        public ComparePair(int width, int ones, bool generic = true, int skippedBit = -1, int late = 0)
        {
            this.skippedBit = skippedBit;
            this.late = late;
            A = In(width);
            B = In(width);
            Ones = ones > 0 ? In(ones) : null;
            Generic = generic ? Out(1) : null;
        }

        public readonly Signal A;
        public readonly Signal B;
        public readonly Signal? Ones;
        public readonly Signal Cells = Out(1);
        public readonly Signal? Generic;

        protected override void Build()
        {
            var ones = Ones is null ? [] : Enumerable.Range(0, Ones.Width).Select(i => (Expr)Ones[i]).ToArray();
            Cells.Set(LutCompare.Equal(A, B, ones, "compare", late));
            if (Generic is null)
                return;
            Expr same = U(1, 1);
            for (int i = 0; i < A.Width; i++)
            {
                if (i != skippedBit)
                    same &= A[i].Eq(B[i]);
            }
            foreach (var one in ones)
                same &= one;
            Generic.Set(same);
        }
    }

    /// <summary>Yosys' SAT solver on the pair with the LUT's model: Cells equals Generic for every input.</summary>
    private static ToolRun Prove(ComparePair pair, ScratchDirectory scratch)
    {
        var design = EmittedDesign.Emit(pair, scratch.Combine("rtl"));
        string[] files = [.. design.VerilogPaths, .. Ice40Models.WriteTo(scratch.Combine("models")).Where(f => f.EndsWith("SB_LUT4.v", StringComparison.Ordinal))];
        var script = $"read_verilog -sv {string.Join(' ', files)}; hierarchy -top {design.TopModule}; proc; flatten; opt_clean; " +
            "sat -verify -prove Cells Generic -show-inputs";
        return ToolRunner.Run(ExternalTools.Yosys, ["-q", "-l", "prove.log", "-p", script], scratch.Path, TimeSpan.FromMinutes(2));
    }

    [TestCase(1, 0)]
    [TestCase(2, 0)]
    [TestCase(3, 1)]
    [TestCase(16, 0)]
    [TestCase(17, 3)]
    [TestCase(79, 2)]
    [TestCase(79, 2, 16)]
    [TestCase(20, 0, 6)]
    [TestCase(17, 3, 17)]
    [TestCase(1, 0, 1)]
    public void EqualsTheGenericCompareForEveryInput(int width, int ones, int late = 0)
    {
        using var scratch = new ScratchDirectory($"lutcompare-prove-{width}-{ones}-{late}");
        var run = Prove(new ComparePair(width, ones, late: late), scratch);
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");
        scratch.Complete();
    }

    [TestCase(79, 2, 0, 0)]
    [TestCase(79, 2, 78, 0)]
    [TestCase(3, 1, 1, 0)]
    [TestCase(79, 2, 70, 16)]
    [TestCase(79, 2, 10, 16)]
    public void TheProofFailsWhereTheGenericSideLeavesABitOut(int width, int ones, int skipped, int late)
    {
        using var scratch = new ScratchDirectory($"lutcompare-prove-broken-{width}-{skipped}-{late}");
        var run = Prove(new ComparePair(width, ones, skippedBit: skipped, late: late), scratch);
        Assert.That(run.Succeeded, Is.False, "the proof passed with bit " + skipped + " left out:\n" + run);
        Assert.That(File.ReadAllText(Path.Combine(scratch.Path, "prove.log")), Does.Contain("proof did fail"), run.ToString());
        scratch.Complete();
    }

    /// <summary>
    /// Two bit pairs a LUT, then ORs of four: 79 pairs and 2 bits that must be 1 take 40 + 10 + 2 + 1 LUTs; with the
    /// top 16 pairs late, 32 + 8 + 2 + 1 for the others, 8 + 2 for the late ones and the last LUT.
    /// </summary>
    [TestCase(79, 2, 53)]
    [TestCase(16, 0, 11)]
    [TestCase(2, 0, 1)]
    [TestCase(1, 2, 1)]
    [TestCase(79, 2, 54, 16)]
    public void TakesTheLutsOfTheTree(int width, int ones, int luts, int late = 0)
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new ComparePair(width, ones, generic: false, late: late), $"lutcompare-synth-{width}-{ones}-{late}");
        Assert.That(cells.GetValueOrDefault("SB_LUT4"), Is.EqualTo(luts), report);
        Assert.That(cells.Keys.Where(k => k != "SB_LUT4"), Is.Empty, report);
    }

    [Test]
    public void TheVerilogIsLintCleanWithTheModels() =>
        Ice40ModuleChecks.AssertLintClean(new ComparePair(17, 3), "lint-lutcompare");

    [Test]
    public void ComparingUnequalWidthsIsAnError()
    {
        var pair = new UnequalWidths();
        Assert.That(() => Elaborate(pair), Throws.InstanceOf<Exception>().With.Message.Contains("compares 3 bits with 4"));
    }

    private sealed class UnequalWidths : Module
    {
        public readonly Signal A = In(3);
        public readonly Signal B = In(4);
        public readonly Signal Y = Out(1);

        protected override void Build() => Y.Set(LutCompare.Equal(A, B, [], "compare"));
    }

    private static void Elaborate(Module module) => Elaborator.Elaborate(module);
}
