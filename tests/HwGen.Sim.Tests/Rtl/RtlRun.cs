using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>Builds programs and runs them on the Verilated SoC in lockstep with the golden model.</summary>
internal static class RtlRun
{
    /// <summary>Builds <paramref name="sources"/> and co-simulates the program; the build folder is deleted when it passes.</summary>
    public static (SimResult Result, string Elf) BuildAndCosim(IReadOnlyList<string> sources, bool includeRuntime,
        ulong maxCycles = 2_000_000, byte[]? uartInput = null, IReadOnlyList<string>? includeDirectories = null,
        CoreConfig? core = null, SocParts? parts = null, IReadOnlyDictionary<string, string?>? defines = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-rtl-tests", Guid.NewGuid().ToString("N"));
        var build = FirmwareTestSupport.Toolchain.Build(new BuildRequest(sources, Path.Combine(directory, "program.elf"))
        {
            MemoryMap = MemoryMap.Simulation,
            IncludeRuntime = includeRuntime,
            IncludeDirectories = includeDirectories ?? [],
            Defines = defines ?? new Dictionary<string, string?>(),
        });
        var result = SimRunner.Run(new SimOptions(build.ElfPath)
        {
            Cosim = true,
            Core = core,
            Parts = parts,
            MaxCycles = maxCycles,
            UartInput = uartInput ?? [],
            Progress = TestContext.Progress.WriteLine,
        });
        if (result.Status is SimStatus.Passed)
            Directory.Delete(directory, recursive: true);
        return (result, build.ElfPath);
    }

    /// <summary>A failure message: the status, the UART text, and the divergence report when there is one.</summary>
    public static string Describe(SimResult result, string elf) =>
        $"{Path.GetFileName(elf)}: {result.Status}, exit code {result.ExitCode}, {result.Instret} instructions in {result.Cycles} cycles\n" +
        (result.Uart.Length > 0 ? "UART output:\n" + result.Uart.TrimEnd() + "\n" : "") +
        (result.Divergence?.Describe() ?? "") + $"\nELF: {elf}";
}
