using HwGen.Sim.Run;
using HwGen.Sim.Tests.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Writes to the halves of mcycle and minstret around the carry into the high half (<see cref="CounterWriteProgram"/>)
/// on the RTL, in lockstep: the exact values read after each write. Lockstep compares the minstret reads with the
/// golden model; it copies mcycle, so the values themselves are the check. A read right after a write to a counter waits
/// a cycle (<see cref="PipelineTiming.CounterWriteWait"/>, a cycle mcycle does not count: the write is applied in it)
/// and the instructions behind it are fetched again, so mcycle's last read, two instructions after such a read, sees
/// <see cref="PipelineTiming.MispredictionPenalty"/> cycles more than the straight-line count.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CounterWriteTests
{
    [TestCase("minstret")]
    [TestCase("mcycle")]
    public void AWriteOfEitherHalfReplacesTheIncrementOfTheWholeCounter(string counter)
    {
        var run = MeasuringProgram.Run(CounterWriteProgram.Body(counter), CounterWriteProgram.Results);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        var expected = CounterWriteProgram.Expected.ToArray();
        if (counter == "mcycle")
            expected[^1] += PipelineTiming.MispredictionPenalty;
        Assert.That(run.Values, Is.EqualTo(expected), $"{counter}, read into {string.Join(", ", CounterWriteProgram.Results)}\n{run.Describe()}");
    }
}
