using System.Globalization;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.RandomPrograms;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// A store immediately followed by <c>fence.i</c>, the store writing the word right behind the <c>fence.i</c>: the
/// instruction that runs after the <c>fence.i</c> is the stored one (Zifencei: <c>fence.i</c> makes every older store
/// visible to the fetches after it). The store writes memory in the cycle in which the <c>fence.i</c>, one stage
/// behind it, asks fetch for that very word; the new word must be the one fetched.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SelfModifyingCodeTests
{
    private const int S9 = 25;

    private static string Hex(uint word) => string.Create(CultureInfo.InvariantCulture, $"0x{word:x8}");

    [Test]
    public void AStoreRightBeforeFenceIChangesTheInstructionAfterIt()
    {
        var body = $"""
                la s6, 5f
                li s7, {Hex(Rv32Encoder.Addi(S9, S9, 42))}
                li s9, 0
                sw s7, 0(s6)
                fence.i
            5:  addi s9, s9, 1
            """;

        AssertS9(body, 42);
    }

    [Test]
    public void AHalfwordStoreRightBeforeFenceIChangesTheInstructionAfterIt()
    {
        var body = $"""
                la s6, 5f
                li s7, {Hex(Rv32Encoder.Addi(S9, S9, 42) >> 16)}
                li s9, 0
                sh s7, 2(s6)
                fence.i
            5:  addi s9, s9, 1
            """;

        AssertS9(body, 42);
    }

    private static void AssertS9(string body, uint expected)
    {
        var run = MeasuringProgram.Run(body, ["s9"]);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.That(run.Values, Is.EqualTo(new[] { expected }), "s9\n" + run.Describe());
    }
}
