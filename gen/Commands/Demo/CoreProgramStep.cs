using HwGen.Designs.Soc;
using HwGen.Sim.Run;

namespace HwGen.Cli.Commands.Demo;

/// <summary>
/// Runs the bundled programs on the Verilated AP SoC in lockstep with the golden model: the RV32IM pipeline
/// generated from C#, checked instruction by instruction.
/// </summary>
internal sealed class CoreProgramStep : IDemoStep
{
    public string Title => "RV32IM core";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        foreach (var program in new[] { "crc32" })
        {
            context.Status($"building {program} and the SoC model (the first build takes a minute)");
            var elf = ProgramResolver.Resolve(program, context.Cli);
            context.Status($"running {program} on the Verilated SoC in lockstep with the golden model");
            var result = SimRunner.Run(new SimOptions(elf) { Map = MemoryMap.Simulation, Cosim = true, Progress = context.Status });
            var uart = result.Uart.Trim();
            yield return result.Status == SimStatus.Passed
                ? new DemoResult(program, true,
                    $"{result.Instret:N0} instructions in lockstep, no divergence, CPI {result.Cpi:F3}; UART: {uart}")
                : new DemoResult(program, false, $"{result.Status}: exit code {result.ExitCode}",
                    result.Divergence?.Describe() ?? result.Uart);
        }
    }
}
