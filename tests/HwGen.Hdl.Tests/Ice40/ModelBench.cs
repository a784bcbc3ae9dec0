using HwGen.Designs.Ice40;
using HwGen.Gen.Tools;
using HwGen.Hdl.Tests.Simulation;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// Runs a bench (Verilog text whose top module is <c>benchModule</c>) with the iCE40 models of
/// <see cref="Ice40Models"/> and other sources, under Verilator (<c>--binary --timing</c>) or Icarus (<c>-g2012</c>).
/// </summary>
internal static class ModelBench
{
    public static SimulationResult Run(Simulator simulator, string benchModule, string benchText, IReadOnlyList<string> sources, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var benchPath = Path.Combine(workDirectory, benchModule + ".v");
        File.WriteAllText(benchPath, benchText);
        var models = Ice40Models.WriteTo(Path.Combine(workDirectory, "models"));
        string[] files = [benchPath, .. sources, .. models];
        if (simulator == Simulator.Verilator)
        {
            var objectDirectory = Path.Combine(workDirectory, "obj_dir");
            var build = ToolRunner.Run(ExternalTools.Verilator,
            [
                "--binary", "--timing", "-Wno-fatal", "--top-module", benchModule, "-Mdir", objectDirectory, "-o", benchModule, "-j", "2",
                "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0", .. files,
            ], workDirectory, TimeSpan.FromMinutes(10));
            if (!build.Succeeded)
                return new SimulationResult(simulator, benchModule, [build], Simulated: false);
            var run = ToolRunner.Run(Path.Combine(objectDirectory, benchModule), [], workDirectory, TimeSpan.FromMinutes(2));
            return new SimulationResult(simulator, benchModule, [build, run], Simulated: true);
        }
        var image = Path.Combine(workDirectory, benchModule + ".vvp");
        var compile = ToolRunner.Run(ExternalTools.Iverilog, ["-g2012", "-s", benchModule, "-o", image, .. files], workDirectory, TimeSpan.FromMinutes(5));
        if (!compile.Succeeded)
            return new SimulationResult(simulator, benchModule, [compile], Simulated: false);
        var vvp = ToolRunner.Run(ExternalTools.Vvp, ["-n", image], workDirectory, TimeSpan.FromMinutes(2));
        return new SimulationResult(simulator, benchModule, [compile, vvp], Simulated: true);
    }
}
