using System.Runtime.CompilerServices;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Dsl;

/// <summary>
/// The helpers that build values (Mux, Cat, U, S, Clock, Reset) record the caller's line: their errors point at it,
/// and the Verilog names it beside the statement that uses the value.
/// </summary>
[TestFixture]
public sealed class ExpressionLocationTests
{
    private const string ThisFile = "tests/HwGen.Hdl.Tests/Dsl/ExpressionLocationTests.cs";

    private static int Here([CallerLineNumber] int line = 0) => line;

    private sealed class Values
    {
        public readonly Signal A = Wire(8);
        public readonly Signal B = Wire(4);
        public readonly Signal C = Wire(1);
        public readonly Signal Wide = Wire(3);
    }

    private static void AssertAt(SourceLocation location, int line)
    {
        Assert.That(location.File, Is.EqualTo(ThisFile));
        Assert.That(location.Line, Is.EqualTo(line));
    }

    [Test]
    public void TheBuildersRecordTheCallersLine()
    {
        var v = new Values();
        var mux = Mux(v.C, v.A, v.B); int muxLine = Here();
        var pair = Cat(v.A, v.B); int pairLine = Here();
        var many = Cat([v.A, v.B, v.C, v.A, v.B, v.C, v.A, v.B, v.C]); int manyLine = Here();
        var constant = U(5, 8); int constantLine = Here();
        var signed = S(-1, 4); int signedLine = Here();
        var clock = Clock(); int clockLine = Here();
        var reset = Reset(); int resetLine = Here();
        Assert.Multiple(() =>
        {
            AssertAt(mux.Location, muxLine);
            AssertAt(pair.Location, pairLine);
            AssertAt(many.Location, manyLine);
            AssertAt(constant.Location, constantLine);
            AssertAt(signed.Location, signedLine);
            AssertAt(clock.Location, clockLine);
            AssertAt(reset.Location, resetLine);
            // Operators cannot take the caller's line: their place is the statement that uses them.
            Assert.That((v.A + v.B).Location.IsKnown, Is.False);
        });
    }

    [Test]
    public void EveryArityOfCatRecordsTheLine()
    {
        var v = new Values();
        Expr[] parts = [v.A, v.B, v.C, v.A, v.B, v.C, v.A, v.B];
        int line = Here();
        Expr[] made =
        [
            Cat(parts[0], parts[1]),
            Cat(parts[0], parts[1], parts[2]),
            Cat(parts[0], parts[1], parts[2], parts[3]),
            Cat(parts[0], parts[1], parts[2], parts[3], parts[4]),
            Cat(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]),
            Cat(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]),
            Cat(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7]),
            Cat(parts),
        ];
        for (int i = 0; i < made.Length; i++)
            Assert.That(made[i].Location.Line, Is.EqualTo(line + 3 + i), $"Cat of {made[i].Width} bits");
    }

    [Test]
    public void ErrorsOfMuxAndCatPointAtTheirLine()
    {
        var v = new Values();
        int conditionLine = 0, catLine = 0, mixedLine = 0;
        var badCondition = Assert.Throws<HdlException>(() => { conditionLine = Here(); _ = Mux(v.Wide, v.A, v.B); })!;
        var literal = Assert.Throws<HdlException>(() => { catLine = Here(); _ = Cat(v.A, 3); })!;
        var mixed = Assert.Throws<HdlException>(() => { mixedLine = Here(); _ = Mux(v.C, v.A, v.A.AsSigned()); })!;
        Assert.Multiple(() =>
        {
            Assert.That(badCondition.Message, Does.Contain("Mux must be 1 bit"));
            Assert.That(badCondition.Location.Line, Is.EqualTo(conditionLine));
            Assert.That(literal.Location.Line, Is.EqualTo(catLine));
            Assert.That(literal.Location.File, Is.EqualTo(ThisFile));
            // The signedness error comes from the shared operand rules; the Mux still places it.
            Assert.That(mixed.Message, Does.Contain("'Mux' mixes"));
            Assert.That(mixed.Location.Line, Is.EqualTo(mixedLine));
        });
    }

    private sealed class Picker : Module
    {
        public readonly Signal Select = In(1);
        public readonly Signal A = In(8);
        public readonly Signal B = In(8);
        public readonly Signal Y = Out(8);
        public readonly Signal Middle = Out(4);
        public int MuxLine;
        public int SetLine;
        public int CatLine;

        protected override void Build()
        {
            var picked = Mux(Select, A, B); MuxLine = Here();
            var both = Cat(A, B); CatLine = Here();
            Y.Set(picked); SetLine = Here();
            Middle.Set(both[9, 6]);
        }
    }

    [Test]
    public void TheVerilogNamesTheLinesThatBuiltAValue()
    {
        var picker = new Picker();
        var result = VerilogEmitter.Emit(picker);
        var text = result.VerilogFiles.Single().Content;
        Assert.Multiple(() =>
        {
            // The assignment carries its own line, then the line of the Mux it assigns.
            Assert.That(text, Does.Contain($"assign Y = Select ? A : B;  // @[{ThisFile}:{picker.SetLine},{picker.MuxLine}]"));
            // The helper wire that holds the Cat (so that its bits can be selected) is placed at the Cat.
            Assert.That(text, Does.Match($@"wire \[15:0\] +Middle_t0;  // Cat\('A', 'B'\) @\[{ThisFile}:{picker.CatLine}\]"));
        });
        VerilogToolChecks.AssertClean(result);
    }
}
