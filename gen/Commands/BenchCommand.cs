using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using HwGen.Designs.Soc;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;
using HwGen.Sim.Testbench;
using Spectre.Console;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen bench [--runs N] [--json]</c>: the performance figures, each measured several times on the bundled
/// CRC32 benchmark (about 20 million RV32I instructions): golden-model speed, the core's CPI, and the
/// Verilated SoC's speed with and without co-simulation.
/// </summary>
internal static class BenchCommand
{
    private const string Program = "crc32";

    public static Command Create(CliContext context)
    {
        var runs = new Option<int>("--runs") { Description = "Measurements per figure.", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print one JSON array of figures on stdout." };
        var command = new Command("bench", "Measure the performance figures.") { runs, json };
        HwGenCommandLine.SetHandler(command, r => Run(context, r.GetValue(runs), r.GetValue(json)));
        return command;
    }

    private sealed record Figure(string Name, string Unit, string Description, List<double> Samples)
    {
        public double Median => Sorted[Sorted.Length / 2];

        public double Min => Sorted[0];

        public double Max => Sorted[^1];

        private double[] Sorted => [.. Samples.Order()];
    }

    private static ExitCode Run(CliContext context, int runs, bool json)
    {
        if (runs < 1)
            throw new UsageException("--runs must be at least 1");
        var elf = ProgramResolver.Resolve(Program, context);
        var map = MemoryMap.Simulation;
        var image = ElfImage.Load(elf, map);

        var iss = new Figure("iss.speed", "MIPS", "golden model, fast path", []);
        var cpi = new Figure("rtl.cpi", "cycles/instruction", "AP core on the CRC32 loop", []);
        var sim = new Figure("verilator.speed", "MIPS", "Verilated SoC, no co-simulation", []);
        var cosim = new Figure("verilator.cosim.speed", "MIPS", "Verilated SoC in lockstep with the golden model", []);
        var testbench = new Figure("testbench.speed", "M cycles/s", "Counter driven from a C# testbench: a poke, a step, a peek a cycle", []);
        Figure[] figures = [iss, cpi, sim, cosim, testbench];

        void Measure(Action<string> status)
        {
            status("building the SoC model");
            var machine = SimMachine.Get(map, progress: json ? null : status);
            for (int i = 0; i < runs; i++)
            {
                status($"golden model, run {i + 1} of {runs}");
                var model = new Rv32Iss(map);
                model.Load(image);
                var clock = Stopwatch.StartNew();
                var result = model.Run(long.MaxValue);
                iss.Samples.Add(result.Instret / clock.Elapsed.TotalSeconds / 1e6);
                Check(result.Status == IssStatus.Passed, "the golden model");

                foreach (var (figure, lockstep) in new[] { (sim, false), (cosim, true) })
                {
                    status($"{figure.Description}, run {i + 1} of {runs}");
                    clock.Restart();
                    var run = machine.Run(image, new SimOptions(elf) { Cosim = lockstep, DivergenceWavePath = "" });
                    figure.Samples.Add(run.Instret / clock.Elapsed.TotalSeconds / 1e6);
                    Check(run.Status == SimStatus.Passed, figure.Description + $" ({run.Status})");
                    if (!lockstep)
                        cpi.Samples.Add(run.Cpi);
                }

                status($"{testbench.Description}, run {i + 1} of {runs}");
                testbench.Samples.Add(TestbenchSpeed.CounterCyclesPerSecond() / 1e6);
            }
        }

        if (json)
        {
            Measure(_ => { });
            var entries = figures.Select(f => new { name = f.Name, value = Math.Round(f.Median, 4), unit = f.Unit, median = Math.Round(f.Median, 4), min = Math.Round(f.Min, 4), max = Math.Round(f.Max, 4), runs = f.Samples.Count });
            context.Out.WriteLine(JsonSerializer.Serialize(entries));
            return ExitCode.Success;
        }

        context.Console.Status().Start("measuring", ctx => Measure(s => ctx.Status(Markup.Escape(s))));
        var table = new Table().Title($"HwGen performance ({Program}, {runs} run(s) each)");
        table.AddColumns("figure", "median", "min", "max", "unit", "what");
        foreach (var f in figures)
            table.AddRow(f.Name, $"{f.Median:F3}", $"{f.Min:F3}", $"{f.Max:F3}", f.Unit, f.Description);
        context.Console.Write(table);
        return ExitCode.Success;
    }

    private static void Check(bool passed, string what)
    {
        if (!passed)
            throw new InvalidOperationException($"{what} did not run {Program} to success; the figures would mean nothing");
    }
}
