using HwGen.Sim.Verilator;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Verilator;

/// <summary>Models are compiled with -march=native, so the model cache keys on the processor.</summary>
[TestFixture]
public sealed class NativeTargetTests
{
    private const string Processor0 = """
        processor	: 0
        vendor_id	: AuthenticAMD
        cpu family	: 25
        model		: 1
        model name	: AMD EPYC 7B13
        cpu MHz		: 2450.000
        flags		: fpu sse2 avx2 bmi2

        """;

    private const string Processor1 = """
        processor	: 1
        vendor_id	: AuthenticAMD
        flags		: fpu sse2 avx2 bmi2 avx512f

        """;

    [Test]
    public void TheFirstProcessorsIdentityAndFeaturesDescribeTheTarget()
    {
        var text = Describe(Processor0 + "\n" + Processor1);
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("vendor_id=AuthenticAMD|cpu family=25|model=1|model name=AMD EPYC 7B13|flags=fpu sse2 avx2 bmi2"));
            Assert.That(Describe(Processor0.Replace("2450.000", "3100.000")), Is.EqualTo(text), "the clock of the moment is no part of it");
            Assert.That(Describe(Processor0.Replace("bmi2", "bmi2 avx512f")), Is.Not.EqualTo(text), "another feature set is another target");
            Assert.That(Describe(Processor0.Replace("model\t\t: 1", "model\t\t: 17")), Is.Not.EqualTo(text), "another model is another target");
        });
    }

    [Test]
    public void WithoutCpuinfoTheArchitectureStandsForTheProcessor()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"hwgen-no-cpuinfo-{Guid.NewGuid():N}");
        Assert.That(VerilatorBuild.DescribeProcessor(missing), Is.EqualTo(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString()));
    }

    [Test]
    public void ThisMachinesTargetIsItsOwnProcessor()
    {
        Assert.That(VerilatorBuild.NativeTarget, Is.EqualTo(VerilatorBuild.DescribeProcessor("/proc/cpuinfo")).And.Not.Empty);
    }

    private static string Describe(string cpuinfo)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hwgen-cpuinfo-{Guid.NewGuid():N}");
        File.WriteAllText(path, cpuinfo.Replace("\r\n", "\n"));
        try
        {
            return VerilatorBuild.DescribeProcessor(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
