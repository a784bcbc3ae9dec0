using System.Collections.Concurrent;
using HwGen.Designs.Soc;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;

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
