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
    /// <summary>
    /// Where the kernel has transparent huge pages of 2 MiB for a process that asks (<c>always</c> or <c>madvise</c> in
    /// <c>/sys/kernel/mm/transparent_hugepage/enabled</c>), the harness must have put the model's state and its text on
    /// them; where it has none (<c>never</c>, another kernel or system), on neither. The expectation is read from the
    /// kernel's own setting here, so the test runs everywhere and skips nothing.
    /// </summary>
    [Test]
    public void TheStateAndTheTextAreOnHugePagesWhereTheKernelHasThem()
    {
        var (library, binding) = BuildCounter();
        using var model = new VerilatedModel(library, binding);
        using var second = new VerilatedModel(library, binding);
        // HWGEN_HUGE_PAGES (none, state, text; unset or all for both) narrows what the harness places.
        var wanted = Environment.GetEnvironmentVariable("HWGEN_HUGE_PAGES") switch
        {
            null or "" or "all" => ModelHugePages.State | ModelHugePages.Text,
            "state" => ModelHugePages.State,
            "text" => ModelHugePages.Text,
            _ => ModelHugePages.None,
        };
        var expected = KernelHasHugePages() ? wanted : ModelHugePages.None;
        Assert.That(model.HugePages, Is.EqualTo(expected));
        Assert.That(second.HugePages, Is.EqualTo(expected), "each instance has a region of its own");
        foreach (var instance in new[] { model, second })
        {
            instance.Set("rst", 1);
            instance.Tick(2);
            instance.Set("rst", 0);
        }
        model.Set("Enable", 1);
        model.Tick(40);
        second.Tick(3);
        Assert.That(model.Get("Count"), Is.EqualTo(40));
        Assert.That(second.Get("Count"), Is.EqualTo(0), "the instances share no state");
    }

    private static bool KernelHasHugePages()
    {
        const string root = "/sys/kernel/mm/transparent_hugepage";
        if (!OperatingSystem.IsLinux() || !File.Exists(Path.Combine(root, "enabled")) || !File.Exists(Path.Combine(root, "hpage_pmd_size")))
            return false;
        var enabled = File.ReadAllText(Path.Combine(root, "enabled"));
        var size = File.ReadAllText(Path.Combine(root, "hpage_pmd_size")).Trim();
        return (enabled.Contains("[always]", StringComparison.Ordinal) || enabled.Contains("[madvise]", StringComparison.Ordinal)) && size == "2097152";
    }
}
