using HwGen.Gen.Tools;

namespace HwGen.Cli.Commands.Demo;

/// <summary>
/// Reads every emitted design into Yosys and checks its hierarchy and netlist
/// (<c>hierarchy -check; proc; check -assert</c>).
/// </summary>
internal sealed class YosysCheckStep : IDemoStep
{
    public string Title => "yosys check";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        foreach (var design in context.Designs)
        {
            context.Status($"Checking {design.Name} with Yosys");
            var script = $"read_verilog {string.Join(' ', design.Emitted.VerilogFiles)}; " +
                $"hierarchy -check -top {design.Emitted.Top}; proc; check -assert";
            var result = ProcessRunner.Run(ExternalTools.Yosys.Command, ["-q", "-p", script], design.Directory, TimeSpan.FromMinutes(2));
            yield return result.Succeeded
                ? new DemoResult(design.Name, true, "hierarchy and netlist checks pass")
                : new DemoResult(design.Name, false, ToolOutput.FirstProblem(result, "ERROR", "Warning"), result.Output);
        }
    }
}
