using HwGen.Gen.Tools;

namespace HwGen.Cli.Commands.Demo;

/// <summary>Lints every emitted design with <c>verilator --lint-only -Wall</c>: any warning fails it.</summary>
internal sealed class VerilatorLintStep : IDemoStep
{
    public string Title => "verilator lint";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        foreach (var design in context.Designs)
        {
            context.Status($"Linting {design.Name} with Verilator");
            string[] arguments = ["--lint-only", "-Wall", "--top-module", design.Emitted.Top, .. design.Emitted.VerilogFiles];
            var result = ProcessRunner.Run(ExternalTools.Verilator.Command, arguments, design.Directory, TimeSpan.FromMinutes(2));
            yield return result.Succeeded
                ? new DemoResult(design.Name, true, "no warnings")
                : new DemoResult(design.Name, false, ToolOutput.FirstProblem(result, "%Error", "%Warning"), result.Output);
        }
    }
}
