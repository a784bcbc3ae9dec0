using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Dsl;

/// <summary>
/// <c>==</c> and <c>!=</c> between hardware values build the hardware comparison; they never fall back to C#'s
/// reference equality (which, through the bool-to-constant conversion, would have become a constant).
/// </summary>
[TestFixture]
public sealed class EqualityTests
{
    private sealed class Values
    {
        public readonly Signal A = Wire(8).Named("A");
        public readonly Signal B = Wire(8).Named("B");
        public readonly Signal S = Wire(Shape.S(8));
    }

    [Test]
    public void EqualsAndNotEqualsBuildOneBitComparisons()
    {
        var v = new Values();
        Assert.Multiple(() =>
        {
            Assert.That(v.A == v.B, Is.InstanceOf<BinaryExpr>().With.Property(nameof(BinaryExpr.Op)).EqualTo(BinaryOp.Eq));
            Assert.That(v.A != v.B, Is.InstanceOf<BinaryExpr>().With.Property(nameof(BinaryExpr.Op)).EqualTo(BinaryOp.Ne));
            Assert.That((v.A == v.B).Width, Is.EqualTo(1));
            // The operands are the signals themselves, not a constant made from a C# bool.
            Assert.That(((BinaryExpr)(v.A == v.B)).Left, Is.SameAs(v.A));
            Assert.That(((BinaryExpr)(v.A == v.B)).Right, Is.SameAs(v.B));
            // Literals adapt to the other operand, on either side.
            Assert.That(Expr.Describe(v.A == 3), Is.EqualTo("('A' == 3.ZeroExtend(8))"));
            Assert.That(Expr.Describe(3 != v.A), Is.EqualTo("(3.ZeroExtend(8) != 'A')"));
            Assert.That(Expr.Describe(v.A == v.B), Is.EqualTo("('A' == 'B')"));
        });
    }

    [Test]
    public void ComparingASignalWithItselfIsStillHardware()
    {
        var v = new Values();
#pragma warning disable CS1718 // comparison made to the same variable: the point of the test
        var same = v.A == v.A;
#pragma warning restore CS1718
        Assert.That(same, Is.InstanceOf<BinaryExpr>(), "a == a must not be folded into C#'s true");
    }

    [Test]
    public void MixedSignednessIsRefusedAsForTheOtherComparisons()
    {
        var v = new Values();
        var ex = Assert.Throws<HdlException>(() => _ = v.A == v.S)!;
        Assert.That(ex.Message, Does.Contain("'=='").And.Contain("AsSigned"));
    }

    [Test]
    public void IdentityStaysTheCSharpEqualitySoSignalsRemainDictionaryKeys()
    {
        var v = new Values();
        var names = new Dictionary<Signal, string> { [v.A] = "a", [v.B] = "b" };
        Assert.Multiple(() =>
        {
            Assert.That(v.A.Equals(v.A), Is.True);
            Assert.That(v.A.Equals(v.B), Is.False);
            Assert.That(names[v.A], Is.EqualTo("a"));
            Assert.That(names[v.B], Is.EqualTo("b"));
            Assert.That(new HashSet<Expr> { v.A, v.A, v.B }, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void ANullOperandIsRefusedWithAHint()
    {
        var v = new Values();
        Signal? missing = null;
        var ex = Assert.Throws<HdlException>(() => _ = v.A == missing!)!;
        Assert.That(ex.Message, Does.Contain("is null"));
    }

    private sealed class Comparator : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal B = In(8);
        public readonly Signal Same = Out(1);
        public readonly Signal Differ = Out(1);
        public readonly Signal IsFive = Out(1);

        protected override void Build()
        {
            Same.Set(A == B);
            Differ.Set(A != B);
            When(A == 5, () => IsFive.Set(1)).Otherwise(() => IsFive.Set(0));
        }
    }

    [Test]
    public void TheComparisonsReachTheVerilog()
    {
        var result = VerilogEmitter.Emit(new Comparator());
        var text = result.VerilogFiles.Single().Content;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("assign Same = A == B;"));
            Assert.That(text, Does.Contain("assign Differ = A != B;"));
            Assert.That(text, Does.Contain("if (A == 8'd5)"));
        });
        VerilogToolChecks.AssertClean(result);
    }

    // ---- what the C# compiler accepts --------------------------------------------------------------

    /// <summary>Compiles a method body that sees two signals <c>a</c>, <c>b</c> and returns the compiler's errors.</summary>
    private static IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> Compile(string body)
    {
        var source = $$"""
            using HwGen.Hdl;
            using static HwGen.Hdl.Hw;

            public static class Snippet
            {
                public static object Run(Signal a, Signal b)
                {
                    {{body}}
                }
            }
            """;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(Expr).Assembly.Location).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    [Test]
    public void TheSnippetCompilerAcceptsCorrectHardwareCode()
    {
        // Without this, the refusals below could come from a broken snippet rather than from the DSL.
        var errors = Compile("Expr same = a == b; Expr differ = a != 3; return same & differ;");
        Assert.That(errors, Is.Empty, string.Join("\n", errors));
    }

    [TestCase("if (a == b) return 1; return 0;", "CS0029")]
    [TestCase("bool same = a == b; return same;", "CS0029")]
    [TestCase("return a != b ? 1 : 0;", "CS0029")]
    [TestCase("return a == b && a != b;", "CS0218")]
    public void UsingAHardwareComparisonAsACSharpBoolDoesNotCompile(string body, string code)
    {
        var errors = Compile(body);
        Assert.That(errors.Select(e => e.Id), Does.Contain(code), string.Join("\n", errors));
    }
}
