using HwGen.Designs.Soc;
using HwGen.Sim.Model.Elf;
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
            var machine = SimMachine.Get(MemoryMap.Simulation, progress: context.Status);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = machine.Run(ElfImage.Load(elf, MemoryMap.Simulation), new SimOptions(elf) { Map = MemoryMap.Simulation, Cosim = true, Progress = context.Status });
            var seconds = clock.Elapsed.TotalSeconds;
            var uart = result.Uart.Trim();
            if (result.Status == SimStatus.Passed)
            {
                context.KeyFigures.Add(($"{program} on the RV32IM core, in lockstep",
                    $"{result.Instret:N0} instructions, CPI {result.Cpi:F3}, {result.Instret / seconds / 1e6:F2} M instructions/s"));
            }
            yield return result.Status == SimStatus.Passed
                ? new DemoResult(program, true,
                    $"{result.Instret:N0} instructions in lockstep, no divergence, CPI {result.Cpi:F3}; UART: {uart}")
                : new DemoResult(program, false, $"{result.Status}: exit code {result.ExitCode}",
                    result.Divergence?.Describe() ?? result.Uart);
        }
    }
}
