using System.Collections.Concurrent;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Policy;

/// <summary>The unikernel's applications, built by the firmware builder, run on the golden model under the policies without a violation.</summary>
[TestFixture]
public sealed class UnikernelPolicyTests
{
    private static readonly ConcurrentDictionary<string, Lazy<(ElfImage Image, string Folder)>> s_builds = new(StringComparer.Ordinal);

    [OneTimeTearDown]
    public void DeleteBuilds()
    {
        foreach (var build in s_builds.Values.Where(b => b.IsValueCreated))
        {
            if (Directory.Exists(build.Value.Folder))
                Directory.Delete(build.Value.Folder, recursive: true);
        }
        s_builds.Clear();
    }

    [TestCase("hello", "none")]
    [TestCase("hello", "nxd-nwc")]
    [TestCase("hello", "taint")]
    [TestCase("hello", "heap")]
    [TestCase("hello", "cfi")]
    [TestCase("hello", "nxd-nwc+taint+heap+cfi")]
    [TestCase("bench", "nxd-nwc")]
    [TestCase("bench", "taint")]
    [TestCase("bench", "heap")]
    [TestCase("bench", "ret")]
    [TestCase("bench", "cfi")]
    [TestCase("bench", "nxd-nwc+taint+heap+ret+cfi")]
    public void AnApplicationRunsUnderThePolicy(string app, string spec)
    {
        var (image, _) = Build(app);
        var iss = new Rv32Iss(PolicyPrograms.Map);
        iss.Load(image);
        var engine = TagEngine.Attach(iss, image, Composite.Parse(spec));
        var result = iss.Run(5_000_000);
        Assert.That(engine.Violations, Is.Empty, () => string.Join("; ", engine.Violations.Take(3)));
        Assert.That(result.Status, Is.EqualTo(IssStatus.Passed), result.UartOutput);
        Assert.That(engine.DistinctRules, Is.LessThan(engine.Lookups / 100), "the rules a program needs are few");
    }

    private static (ElfImage Image, string Folder) Build(string app) =>
        s_builds.GetOrAdd(app, name => new Lazy<(ElfImage, string)>(() =>
        {
            var folder = Path.Combine(Path.GetTempPath(), "hwgen-policy-tests-apps", name + "-" + Guid.NewGuid().ToString("N"));
            var build = UnikernelBuilder.Build(new UnikernelBuildOptions(name, folder));
            return (ElfImage.Load(build.ElfPath, PolicyPrograms.Map), folder);
        })).Value;
}
