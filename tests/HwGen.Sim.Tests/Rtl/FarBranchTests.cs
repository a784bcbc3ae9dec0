using System.Globalization;
using System.Text;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.RandomPrograms;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Conditional branches 2 to 4 KiB away, forward and backward, taken and not taken, with each branch predictor, in
/// lockstep: every bit of the B-type immediate matters, bit 11 (which only offsets of 2 KiB and more set forward, and
/// clear backward) included. The branches are written as machine words (<see cref="Rv32Encoder.Branch"/>) so that
/// their offsets are exactly the ones named; the bytes between a branch and its target are illegal words.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class FarBranchTests
{
    /// <summary>Offsets in bytes: around 2 KiB on both sides of bit 11, and the largest ones a branch reaches.</summary>
    private static readonly int[] ForwardOffsets = [2044, 2048, 3000, 4092];
    private static readonly int[] BackwardOffsets = [-2048, -2052, -3000, -4096];

    /// <summary>Registers the cases compare: a1 = 1, a2 = -1, a3 = 5.</summary>
    private static readonly (string Op, int Rs1, int Rs2, bool Taken)[] Conditions =
    [
        ("beq", 13, 13, true), ("bne", 11, 12, true), ("blt", 12, 11, true), ("bge", 13, 11, true), ("bltu", 11, 12, true), ("bgeu", 12, 13, true),
        ("beq", 11, 12, false), ("bne", 13, 13, false), ("blt", 11, 12, false), ("bge", 12, 11, false), ("bltu", 12, 11, false), ("bgeu", 11, 13, false),
    ];

    public static IEnumerable<TestCaseData> Cases() =>
        from kind in new[] { BranchPredictorKind.None, BranchPredictorKind.StaticBackwardTaken, BranchPredictorKind.Btb }
        from forward in new[] { true, false }
        select new TestCaseData(kind, forward).SetName($"{(forward ? "Forward" : "Backward")}BranchesOf2To4KiB({kind})");

    /// <summary>
    /// Every offset with a taken and a not-taken condition, the whole sequence run twice (so that a branch target
    /// buffer also predicts the far targets it learnt); s9 counts the cases that ended where they should.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void FarBranchesLandOnTheirTargets(BranchPredictorKind kind, bool forward)
    {
        var offsets = forward ? ForwardOffsets : BackwardOffsets;
        var body = new StringBuilder("""
                li a1, 1
                li a2, -1
                li a3, 5
                li s9, 0
                li s8, 2
            far_branches_pass:

            """);
        int cases = 0;
        for (int i = 0; i < offsets.Length; i++)
        {
            foreach (bool taken in new[] { true, false })
            {
                var condition = Conditions.Where(c => c.Taken == taken).ElementAt((i + (taken ? 0 : 3)) % 6);
                body.Append(forward ? Forward(offsets[i], condition) : Backward(offsets[i], condition));
                cases++;
            }
        }
        body.Append("""
                addi s8, s8, -1
                beqz s8, far_branches_done
                j far_branches_pass
            far_branches_done:

            """);
        var config = CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { BranchPredictor = kind, BtbEntries = 64 };

        var run = MeasuringProgram.Run(body.ToString(), ["s9"], config);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.That(run.Values, Is.EqualTo(new[] { (uint)(2 * cases) }), run.Describe);
    }

    /// <summary>
    /// A branch <paramref name="offset"/> bytes forward. Taken: it skips illegal words to the count. Not taken: it falls
    /// through to the count and jumps over the words and the target (an illegal word).
    /// </summary>
    private static string Forward(int offset, (string Op, int Rs1, int Rs2, bool Taken) c)
    {
        var branch = Word(Rv32Encoder.Branch(c.Op, c.Rs1, c.Rs2, offset), $"{c.Op} x{c.Rs1}, x{c.Rs2}, . + {offset}");
        return c.Taken
            ? $"""
                {branch}
                .fill {(offset - 4) / 4}, 4, 0
                addi s9, s9, 1

            """
            : $"""
                {branch}
                addi s9, s9, 1
                j 1f
                .fill {(offset - 12) / 4}, 4, 0
                .word 0
            1:

            """;
    }

    /// <summary>
    /// A branch <paramref name="offset"/> bytes backward, reached by a jump over its target. Taken: the target counts and
    /// jumps past the branch. Not taken: the target is an illegal word and the branch falls through to the count.
    /// </summary>
    private static string Backward(int offset, (string Op, int Rs1, int Rs2, bool Taken) c)
    {
        var branch = Word(Rv32Encoder.Branch(c.Op, c.Rs1, c.Rs2, offset), $"{c.Op} x{c.Rs1}, x{c.Rs2}, . - {-offset}");
        return c.Taken
            ? $"""
                j 2f
            1:  addi s9, s9, 1
                j 3f
                .fill {(-offset - 8) / 4}, 4, 0
            2:  {branch}
                .word 0
            3:

            """
            : $"""
                j 2f
                .word 0
                .fill {(-offset - 4) / 4}, 4, 0
            2:  {branch}
                addi s9, s9, 1

            """;
    }

    private static string Word(uint word, string comment) =>
        string.Create(CultureInfo.InvariantCulture, $".word 0x{word:x8}  /* {comment} */");
}
