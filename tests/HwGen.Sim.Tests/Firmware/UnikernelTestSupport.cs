using System.Collections.Concurrent;
using HwGen.Designs.Soc;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Firmware;

/// <summary>Unikernel images built once per test run with <see cref="UnikernelBuilder"/>, and runs of them on the golden model.</summary>
internal static class UnikernelTestSupport
{
    private static readonly ConcurrentDictionary<string, Lazy<UnikernelBuildResult>> s_builds = new(StringComparer.Ordinal);

    /// <summary>The test applications' tree: tests/firmware (apps/kernel-check).</summary>
    public static UnikernelTree TestTree => UnikernelTree.FromDirectory(FirmwareTestSupport.InRepository("tests/firmware"));

    /// <summary>A fresh folder under the temporary directory.</summary>
    public static string Scratch(string name) =>
        Path.Combine(Path.GetTempPath(), "hwgen-unikernel-tests", name + "-" + Guid.NewGuid().ToString("N"));

    /// <summary>The bundled application <paramref name="app"/> (or one of tests/firmware), built once for the simulator's SoC.</summary>
    public static UnikernelBuildResult Built(string app) =>
        s_builds.GetOrAdd(app, name => new Lazy<UnikernelBuildResult>(() => UnikernelBuilder.Build(
            new UnikernelBuildOptions(name, Scratch(name)) { Trees = [TestTree, UnikernelTree.Bundled] }))).Value;

    /// <summary>Deletes the images <see cref="Built"/> made (when every fixture of this namespace is done).</summary>
    public static void DeleteBuilds()
    {
        foreach (var build in s_builds.Values.Where(b => b.IsValueCreated))
        {
            var folder = Path.GetDirectoryName(build.Value.ElfPath)!;
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        s_builds.Clear();
    }

    /// <summary>Runs <paramref name="build"/> on the golden model with <paramref name="uartInput"/> waiting on the UART.</summary>
    public static IssRunResult RunOnGoldenModel(UnikernelBuildResult build, string uartInput = "", long maxInstructions = 5_000_000)
    {
        var map = MemoryMap.Simulation;
        var iss = new Rv32Iss(map);
        iss.Load(ElfImage.Load(build.ElfPath, map));
        iss.EnqueueUartInput(System.Text.Encoding.Latin1.GetBytes(uartInput));
        return iss.Run(maxInstructions);
    }
}

/// <summary>Deletes the shared unikernel builds once the namespace's tests are done.</summary>
[SetUpFixture]
public sealed class UnikernelBuildsCleanup
{
    [OneTimeTearDown]
    public void DeleteBuilds() => UnikernelTestSupport.DeleteBuilds();
}
