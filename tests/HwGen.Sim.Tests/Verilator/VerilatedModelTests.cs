using HwGen.Designs.Examples;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Sim.Verilator;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Verilator;

[TestFixture]
public sealed class VerilatedModelTests
{
    private static (string Library, HarnessBinding Binding) BuildCounter(WaveFormat wave = WaveFormat.None, int width = 8)
    {
        var design = Elaborator.Elaborate(new Counter(width));
        var emitted = VerilogEmitter.Emit(design);
        var binding = HarnessBinding.For(design, emitted.TopModule);
        return (VerilatorBuild.Build(emitted, binding, wave), binding);
    }

    [Test]
    public void ACounterCountsHoldsAndClearsInProcess()
    {
        var (library, binding) = BuildCounter();
        using var model = new VerilatedModel(library, binding);
        model.Set("rst", 1);
        model.Tick(2);
        model.Set("rst", 0);
        model.Set("Enable", 1);
        model.Tick(5);
        Assert.That(model.Get("Count"), Is.EqualTo(5));
        model.Set("Enable", 0);
        model.Tick(3);
        Assert.That(model.Get("Count"), Is.EqualTo(5));
        model.Set("Enable", 1);
        model.Tick(300);
        Assert.That(model.Get("Count"), Is.EqualTo((5 + 300) % 256));
        model.Set("Clear", 1);
        model.Tick();
        Assert.That(model.Get("Count"), Is.EqualTo(0));
        Assert.That(model.Cycles, Is.EqualTo(2 + 5 + 3 + 300 + 1));
    }

    [Test]
    public void AnUnchangedDesignIsTakenFromTheCache()
    {
        var (first, _) = BuildCounter(width: 6);
        var stamp = File.GetLastWriteTimeUtc(first);
        var (second, _) = BuildCounter(width: 6);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(File.GetLastWriteTimeUtc(second), Is.EqualTo(stamp));
        var (other, _) = BuildCounter(width: 7);
        Assert.That(other, Is.Not.EqualTo(first), "a different design is a different model");
    }

    [Test]
    public void AWaveformIsWrittenAsVcd()
    {
        var (library, binding) = BuildCounter(WaveFormat.Vcd);
        var path = Path.Combine(Path.GetTempPath(), $"hwgen-wave-{Guid.NewGuid():N}.vcd");
        try
        {
            using (var model = new VerilatedModel(library, binding, path))
            {
                model.Wave(true);
                model.Set("Enable", 1);
                model.Tick(20);
            }
            var text = File.ReadAllText(path);
            Assert.That(text, Does.Contain("$enddefinitions").And.Contain("Count"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
