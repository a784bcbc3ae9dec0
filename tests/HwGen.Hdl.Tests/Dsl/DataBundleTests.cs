using HwGen.Gen.Verilog;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Dsl;

/// <summary>
/// A bundle whose members come from data rather than from fields (as the retirement trace's come from its table):
/// they are named, ordered and connected like declared members.
/// </summary>
[TestFixture]
public sealed class DataBundleTests
{
    /// <summary>One member per (name, width) pair, in the order given.</summary>
    private sealed class Record : Bundle
    {
        private readonly (string Name, Signal Signal)[] _members;

        public Record(params (string Name, int Width)[] members) =>
            _members = [.. members.Select(m => (m.Name, m.Width == 1 ? Bool() : UInt(m.Width)))];

        public Signal this[string name] => _members.Single(m => m.Name == name).Signal;

        protected override IEnumerable<(string Name, object Value)> DeclaredMembers() =>
            _members.Select(m => (m.Name, (object)m.Signal));
    }

    private static Record Shape() => new(("Zeta", 8), ("Alpha", 1), ("Mid", 12));

    /// <summary>Drives a record from its inputs, and passes it through a child.</summary>
    private sealed class Top : Module
    {
        public readonly Signal A = In(8);
        public readonly Record Out = Out(Shape());
        private readonly Child child = new();

        protected override void Build()
        {
            child.Input["Zeta"].Set(A);
            child.Input["Alpha"].Set(A[0]);
            child.Input["Mid"].Set(A.ZeroExtend(12));
            Out.Set(child.Output);
        }
    }

    private sealed class Child : Module
    {
        public readonly Record Input = In(Shape());
        public readonly Record Output = Out(Shape());

        protected override void Build() => Output.Set(Input);
    }

    [Test]
    public void MembersFromDataBecomePortsInTheirOrderWithTheirNames()
    {
        var design = Elaborator.Elaborate(new Top());
        Assert.That(design.Top.Ports.Where(p => p.Name!.StartsWith("Out_", StringComparison.Ordinal)).Select(p => (p.Name, p.Width)),
            Is.EqualTo(new[] { ("Out_Zeta", 8), ("Out_Alpha", 1), ("Out_Mid", 12) }));
        var verilog = string.Concat(VerilogEmitter.Emit(design).VerilogFiles.Select(f => f.Content));
        Assert.That(verilog, Does.Contain("Input_Mid").And.Contain("Output_Zeta"));
    }
}
