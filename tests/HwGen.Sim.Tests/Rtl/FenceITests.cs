using System.Globalization;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.RandomPrograms;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Self-modifying code: a program stores a new instruction over one a few words ahead, executes <c>fence.i</c>, then
/// executes the new instruction, in lockstep and checked by the value it computes. The word right behind the
/// <c>fence.i</c> has been fetched before the store wrote it when at most one instruction separates the store from
/// the <c>fence.i</c>: only the refetch that <c>fence.i</c> causes brings the new word. With none between them, the
/// store commits in the cycle before the <c>fence.i</c> redirects fetch to that very word (Zifencei: every older
/// store is visible to the fetches after it).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class FenceITests
{
    private const int S9 = 25;

    /// <summary>The word stored: <c>addi s9, s9, 42</c> over <c>addi s9, s9, 1</c>.</summary>
    private static readonly uint Patch = Rv32Encoder.Addi(S9, S9, 42);

    private static string Hex(uint word) => string.Create(CultureInfo.InvariantCulture, $"0x{word:x8}");

    /// <param name="between">The instructions between the store and the <c>fence.i</c>.</param>
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void TheStoredInstructionRunsAfterFenceI(int between)
    {
        var body = $"""
                la s6, 5f
                li s7, {Hex(Patch)}
                li s9, 0
                sw s7, 0(s6)
            {string.Concat(Enumerable.Repeat("    nop\n", between))}
                fence.i
            5:  addi s9, s9, 1
            """;

        AssertS9(body, 42);
    }

    /// <summary>A halfword store changes the immediate of the instruction behind the <c>fence.i</c>.</summary>
    [TestCase(0)]
    [TestCase(1)]
    public void AHalfwordStoredIntoAnInstructionTakesEffectAfterFenceI(int between)
    {
        var body = $"""
                la s6, 5f
                li s7, {Hex(Patch >> 16)}
                li s9, 0
                sh s7, 2(s6)
            {string.Concat(Enumerable.Repeat("    nop\n", between))}
                fence.i
            5:  addi s9, s9, 1
            """;

        AssertS9(body, 42);
    }

    /// <summary>A loop rewrites the same instruction with a new immediate on every pass (3, 2, then 1) and runs it.</summary>
    [Test]
    public void AnInstructionRewrittenOnEveryPassOfALoopRunsItsNewWord()
    {
        var body = $"""
                la s6, 5f
                li s7, {Hex(Rv32Encoder.Addi(S9, S9, 0))}
                li s9, 0
                li s8, 3
            6:  slli t3, s8, 20
                add t3, s7, t3
                sw t3, 0(s6)
                nop
                fence.i
            5:  addi s9, s9, 100
                addi s8, s8, -1
                bnez s8, 6b
            """;

        AssertS9(body, 3 + 2 + 1);
    }

    private static void AssertS9(string body, uint expected)
    {
        var run = MeasuringProgram.Run(body, ["s9"]);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.That(run.Values, Is.EqualTo(new[] { expected }), "s9\n" + run.Describe());
    }
}
