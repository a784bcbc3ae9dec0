using HwGen.Hdl;

namespace HwGen.Cli.Commands.Demo;

/// <summary>Emits every catalog design, with its default parameters, into <c>out/demo/NAME</c>.</summary>
internal sealed class EmitDesignsStep : IDemoStep
{
    public string Title => "emit Verilog";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        foreach (var name in DesignEmission.Catalog)
        {
            context.Status($"Emitting {name}");
            var directory = Path.Combine(context.OutputRoot, name);
            EmittedDesign? design = null;
            ElaborationException? failure = null;
            try
            {
                design = DesignEmission.Emit(DesignEmission.Resolve(name));
            }
            catch (ElaborationException ex)
            {
                failure = ex;
            }

            if (design is null)
            {
                var diagnostics = failure!.Diagnostics;
                var errors = diagnostics.Where(d => d.Severity == Severity.Error).ToArray();
                yield return new DemoResult(name, false, $"{errors.Length} elaboration error(s): {errors.FirstOrDefault()}", string.Join('\n', diagnostics));
                continue;
            }

            DesignEmission.Write(design, directory);
            context.Designs.Add(new DemoDesign(name, directory, design));
            var warnings = design.Result.Warnings;
            yield return new DemoResult(
                name,
                true,
                $"{design.Result.Files.Count} file(s) in {directory}, {warnings.Count} warning(s)",
                warnings.Count > 0 ? string.Join('\n', warnings) : null);
        }
    }
}
