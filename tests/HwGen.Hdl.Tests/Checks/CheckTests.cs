using System.Runtime.CompilerServices;
using HwGen.Hdl;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Checks;

/// <summary>
/// Each check of the elaborator, driven by a deliberately wrong module. The offending C# line calls
/// <see cref="Mark"/> on the same line, so the test knows which line the diagnostic must name.
/// </summary>
[TestFixture]
public sealed class CheckTests
{
    private static int s_marked;

    /// <summary>Records the line it is called from.</summary>
    private static void Mark([CallerLineNumber] int line = 0) => s_marked = line;

    private static int Here([CallerLineNumber] int line = 0) => line;

    private static IReadOnlyList<Diagnostic> Errors(Module top)
    {
        var ex = Assert.Throws<ElaborationException>(() => Elaborator.Elaborate(top))!;
        return ex.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
    }

    private static void AssertSingle(IReadOnlyList<Diagnostic> errors, string code, int line, params string[] fragments)
    {
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        var d = errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(d.Code, Is.EqualTo(code), d.ToString());
            Assert.That(d.Location.File, Does.EndWith("tests/HwGen.Hdl.Tests/Checks/CheckTests.cs"), d.ToString());
            Assert.That(d.Location.Line, Is.EqualTo(line), d.ToString());
            foreach (var f in fragments)
                Assert.That(d.Message, Does.Contain(f), d.ToString());
            Assert.That(d.ToString(), Does.StartWith($"tests/HwGen.Hdl.Tests/Checks/CheckTests.cs({line}): error {code}: "));
        });
    }

    // ---- width ----------------------------------------------------------------------------------

    private sealed class Truncation : Module
    {
        public readonly Signal A = In(32);
        public readonly Signal B = In(32);
        public readonly Signal Sum = Out(32);

        protected override void Build()
        {
            var sum = A.AddWide(B).Named("sum");
            Sum.Set(sum); Mark();
        }
    }

    [Test]
    public void WidthMismatchNamesTheTargetTheValueAndTheLine()
    {
        var errors = Errors(new Truncation());
        AssertSingle(errors, DiagnosticCodes.WidthMismatch, s_marked, "32-bit 'Sum'", "33-bit 'sum'", "Resize(32)");
    }

    private sealed class WideLiteral : Module
    {
        public readonly Signal Y = Out(4);

        protected override void Build()
        {
            Mark(); Y.Set(300);
        }
    }

    [Test]
    public void LiteralTooWideForTheTargetIsAnError()
    {
        var errors = Errors(new WideLiteral());
        AssertSingle(errors, DiagnosticCodes.Usage, s_marked, "300", "4");
    }

    private sealed class SliceOutOfRange : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(4);

        protected override void Build()
        {
            Mark(); Y.Set(A[11, 8]);
        }
    }

    [Test]
    public void SliceOutsideTheValueIsLocatedAtTheExpression()
    {
        var errors = Errors(new SliceOutOfRange());
        AssertSingle(errors, DiagnosticCodes.Usage, s_marked, "[11:8]", "8-bit");
    }

    private sealed class MixedSigns : Module
    {
        public readonly Signal A = In(Shape.S(8));
        public readonly Signal B = In(8);
        public readonly Signal Y = Out(1);

        protected override void Build()
        {
            Mark(); Y.Set(A < B);
        }
    }

    [Test]
    public void MixingSignedAndUnsignedOperandsIsAnError()
    {
        var errors = Errors(new MixedSigns());
        AssertSingle(errors, DiagnosticCodes.Usage, s_marked, "AsSigned()");
    }

    // ---- drivers ----------------------------------------------------------------------------------

    private sealed class DrivenTwice : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            Y.Set(A);
            Y.Set(~A); Mark();
        }
    }

    [Test]
    public void TwoUnconditionalDriversAreReportedWithBothSites()
    {
        var errors = Errors(new DrivenTwice());
        AssertSingle(errors, DiagnosticCodes.MultipleDrivers, s_marked, "'Y'", $"CheckTests.cs({s_marked - 1})", $"CheckTests.cs({s_marked})");
    }

    [Test]
    public void ADefaultFollowedByConditionalOverridesIsNotAMultipleDriver()
    {
        Assert.DoesNotThrow(() => Elaborator.Elaborate(new DefaultThenOverride()));
    }

    private sealed class DefaultThenOverride : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal C = In(1);
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            Y.Set(A);
            When(C, () => Y.Set(0));
        }
    }

    private sealed class Passthrough : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);

        protected override void Build() => Y.Set(A);
    }

    private sealed class DrivesChildOutput : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);
        private readonly Passthrough inner = new();

        protected override void Build()
        {
            inner.A.Set(A);
            inner.Y.Set(A); Mark();
            Y.Set(inner.Y);
        }
    }

    [Test]
    public void DrivingAnOutputOfASubmoduleIsAMultipleDriver()
    {
        var errors = Errors(new DrivesChildOutput());
        AssertSingle(errors, DiagnosticCodes.MultipleDrivers, s_marked, "output of instance 'inner'");
    }

    private sealed class DrivesOwnInput : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            A.Set(0); Mark();
            Y.Set(A);
        }
    }

    [Test]
    public void DrivingAnInputInsideItsModuleIsAMultipleDriver()
    {
        var errors = Errors(new DrivesOwnInput());
        AssertSingle(errors, DiagnosticCodes.MultipleDrivers, s_marked, "input 'A'");
    }

    // ---- undriven ---------------------------------------------------------------------------------

    private sealed class UndrivenOutput : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);
        public readonly Signal Z = Out(8); public readonly int ZLine = Here();

        protected override void Build() => Y.Set(A);
    }

    [Test]
    public void UndrivenOutputIsReportedAtItsDeclaration()
    {
        var top = new UndrivenOutput();
        var errors = Errors(top);
        AssertSingle(errors, DiagnosticCodes.Undriven, top.ZLine, "output 'Z'", "never driven");
    }

    private sealed class UndrivenWire : Module
    {
        public readonly Signal Y = Out(8);
        private readonly Signal floating = Wire(8); public readonly int WireLine = Here();

        protected override void Build() => Y.Set(floating);
    }

    [Test]
    public void UndrivenWireIsReportedAtItsDeclaration()
    {
        var top = new UndrivenWire();
        AssertSingle(Errors(top), DiagnosticCodes.Undriven, top.WireLine, "wire 'floating'");
    }

    private sealed class UnconnectedInput : Module
    {
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            var inner = Instance(new Passthrough(), "inner"); Mark();
            Y.Set(inner.Y);
        }
    }

    [Test]
    public void UnconnectedSubmoduleInputIsReportedAtTheInstance()
    {
        AssertSingle(Errors(new UnconnectedInput()), DiagnosticCodes.UnconnectedInput, s_marked, "input 'A' of instance 'inner'");
    }

    private sealed class ReadsUninstantiated : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            var forgotten = new Passthrough();
            Y.Set(forgotten.Y); Mark();
        }
    }

    [Test]
    public void ReadingAnOutputOfAModuleThatIsNotInstantiatedIsAnError()
    {
        var errors = Errors(new ReadsUninstantiated());
        Assert.That(errors.Select(e => e.Code), Does.Contain(DiagnosticCodes.NotInstantiated), string.Join("\n", errors));
        var d = errors.First(e => e.Code == DiagnosticCodes.NotInstantiated);
        Assert.That(d.Location.Line, Is.EqualTo(s_marked));
        Assert.That(d.Message, Does.Contain("not instantiated").And.Contain("Instance("));
    }

    private sealed class DeadRegister : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);
        private readonly Signal kept = Reg(8); public readonly int KeptLine = Here();

        protected override void Build()
        {
            // A feature switched off at elaboration time leaves a condition that is constant 0.
            When(U(0, 1), () => kept.Set(A));
            Y.Set(kept);
        }
    }

    [Test]
    public void ARegisterAssignedOnlyUnderAConstantZeroConditionIsUndriven()
    {
        var top = new DeadRegister();
        AssertSingle(Errors(top), DiagnosticCodes.Undriven, top.KeptLine, "register 'kept'", "never assigned");
    }

    // ---- latches ------------------------------------------------------------------------------------

    private sealed class Latch : Module
    {
        public readonly Signal C = In(1);
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            When(C, () => Y.Set(A)); Mark();
        }
    }

    [Test]
    public void ASignalNotAssignedOnEveryPathIsALatch()
    {
        AssertSingle(Errors(new Latch()), DiagnosticCodes.Latch, s_marked, "latch", "'Y'", "Otherwise");
    }

    private sealed class SwitchLatch : Module
    {
        public readonly Signal Sel = In(2);
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            Switch(Sel)
                .Case(0, () => Y.Set(1)) // first assignment: the latch is reported here
                .Case(1, () => Y.Set(2))
                .Case(2, () => Y.Set(3));
        }
    }

    [Test]
    public void AnIncompleteSwitchWithoutDefaultIsALatch()
    {
        var errors = Errors(new SwitchLatch());
        Assert.That(errors.Single().Code, Is.EqualTo(DiagnosticCodes.Latch));
    }

    private sealed class FullSwitch : Module
    {
        public readonly Signal Sel = In(2);
        public readonly Signal Y = Out(8);

        protected override void Build()
        {
            Switch(Sel)
                .Case(0, () => Y.Set(1))
                .Case(1, () => Y.Set(2))
                .Cases([2, 3], () => Y.Set(3));
        }
    }

    [Test]
    public void ASwitchCoveringEveryValueNeedsNoDefault()
    {
        Assert.DoesNotThrow(() => Elaborator.Elaborate(new FullSwitch()));
    }

    private sealed class DefaultValue : Module
    {
        public readonly Signal C = In(1);
        public readonly Signal Y = Out(8, @default: 7);

        protected override void Build() => When(C, () => Y.Set(1));
    }

    [Test]
    public void ASignalWithADefaultValueIsNoLatch()
    {
        Assert.DoesNotThrow(() => Elaborator.Elaborate(new DefaultValue()));
    }

    // ---- loops ----------------------------------------------------------------------------------------

    private sealed class Loop : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);
        private readonly Signal first = Wire(8);
        private readonly Signal second = Wire(8);

        protected override void Build()
        {
            first.Set(second + A); Mark();
            second.Set(first ^ 1);
            Y.Set(second);
        }
    }

    [Test]
    public void ACombinationalLoopListsEverySignalOnIt()
    {
        var errors = Errors(new Loop());
        AssertSingle(errors, DiagnosticCodes.CombinationalLoop, s_marked, "'first'", "'second'", $"CheckTests.cs({s_marked})", $"CheckTests.cs({s_marked + 1})");
    }

    private sealed class LoopThroughInstance : Module
    {
        public readonly Signal Y = Out(8);
        private readonly Passthrough inner = new();

        protected override void Build()
        {
            inner.A.Set(inner.Y + 1); Mark();
            Y.Set(inner.Y);
        }
    }

    [Test]
    public void ALoopThroughASubmoduleIsFound()
    {
        var errors = Errors(new LoopThroughInstance());
        AssertSingle(errors, DiagnosticCodes.CombinationalLoop, s_marked, "'inner_A'", "'inner_Y'");
    }

    private sealed class RegisterBreaksLoop : Module
    {
        public readonly Signal Y = Out(8);
        private readonly Signal state = Reg(8, reset: 0);

        protected override void Build()
        {
            state.Set(state + 1);
            Y.Set(state);
        }
    }

    [Test]
    public void ARegisterInTheFeedbackIsNoLoop()
    {
        Assert.DoesNotThrow(() => Elaborator.Elaborate(new RegisterBreaksLoop()));
    }

    // ---- unused and collection -----------------------------------------------------------------------

    private sealed class Unused : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal Y = Out(8);
        private readonly Signal spare = Wire(8); public readonly int SpareLine = Here();

        protected override void Build()
        {
            spare.Set(A);
            Y.Set(A);
        }
    }

    [Test]
    public void AnUnusedSignalIsAWarningNotAnError()
    {
        var top = new Unused();
        var design = Elaborator.Elaborate(top);
        var w = design.Warnings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(w.Code, Is.EqualTo(DiagnosticCodes.Unused));
            Assert.That(w.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(w.Location.Line, Is.EqualTo(top.SpareLine));
            Assert.That(w.Message, Does.Contain("'spare'"));
        });
    }

    private sealed class ManyErrors : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal C = In(1);
        public readonly Signal Narrow = Out(4);
        public readonly Signal Latched = Out(8);
        public readonly Signal Missing = Out(8);

        protected override void Build()
        {
            Narrow.Set(A);
            When(C, () => Latched.Set(A));
        }
    }

    [Test]
    public void AllErrorsAreReportedTogether()
    {
        var errors = Errors(new ManyErrors());
        Assert.That(errors.Select(e => e.Code), Is.EquivalentTo(new[] { DiagnosticCodes.WidthMismatch, DiagnosticCodes.Latch, DiagnosticCodes.Undriven }),
            string.Join("\n", errors));
    }

    [Test]
    public void AStatementOutsideBuildIsRejectedAtOnce()
    {
        var wire = new Passthrough().Y;
        var ex = Assert.Throws<HdlException>(() => wire.Set(0));
        Assert.That(ex!.Message, Does.Contain("inside a module's Build()"));
    }

    private sealed class Thrower : Module
    {
        public readonly Signal Y = Out(1);

        protected override void Build()
        {
            Y.Set(1);
            throw new InvalidOperationException("bad configuration"); // the location of a failure in user code
        }
    }

    [Test]
    public void AnExceptionInBuildBecomesALocatedDiagnostic()
    {
        var errors = Errors(new Thrower());
        Assert.That(errors.Single().Code, Is.EqualTo(DiagnosticCodes.ConstructionFailed));
        Assert.That(errors.Single().Message, Does.Contain("bad configuration").And.Contain("Thrower"));
        Assert.That(errors.Single().Location.File, Does.EndWith("CheckTests.cs"));
    }
}
