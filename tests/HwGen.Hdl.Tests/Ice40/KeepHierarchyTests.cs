using HwGen.Designs.Common;
using HwGen.Designs.Riscv;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary><see cref="Module.KeepHierarchy"/>: the module is emitted with Yosys's <c>keep_hierarchy</c> right before its header.</summary>
[TestFixture]
public sealed class KeepHierarchyTests
{
    [Test]
    public void AKeptModuleCarriesTheAttributeAndOthersDoNot()
    {
        string Text(Module module) => VerilogEmitter.Emit(module).VerilogFiles.Single(f => f.RelativePath == module.ModuleName + ".v").Content;
        Assert.Multiple(() =>
        {
            Assert.That(Text(new OperandSelect()), Does.Contain("(* keep_hierarchy *)\nmodule OperandSelect ("));
            Assert.That(Text(new ResultSelect()), Does.Contain("(* keep_hierarchy *)\nmodule ResultSelect ("));
            Assert.That(Text(new RegisterFile()), Does.Not.Contain("keep_hierarchy"));
        });
        VerilogToolChecks.AssertClean(VerilogEmitter.Emit(new OperandSelect()));
    }
}
