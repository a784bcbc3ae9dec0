using System.CommandLine;

namespace HwGen.Cli.Commands;

/// <summary><c>hwgen verilog --config NAME|FILE [--out DIR]</c>: emit a design's Verilog and its manifest.</summary>
internal static class VerilogCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<string>("--config")
        {
            Description = "A design name from the catalog, or a JSON file { \"design\": NAME, \"parameters\": { ... } }.",
            HelpName = "NAME|FILE",
            Required = true,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Output directory, replaced as a whole once every file is written [default: out/verilog/<config name>].",
            HelpName = "DIR",
        };
        var command = new Command("verilog", "Emit a design's Verilog and its manifest.")
        {
            config,
            output,
        };
        HwGenCommandLine.SetHandler(command, result => Run(context, result.GetRequiredValue(config), result.GetValue(output)));
        return command;
    }

    private static ExitCode Run(CliContext context, string configValue, string? output)
    {
        var config = DesignEmission.Resolve(configValue);
        var design = DesignEmission.Emit(config);
        foreach (var warning in design.Result.Warnings)
            context.Error.WriteLine(warning.ToString());

        var directory = output ?? Path.Combine("out", "verilog", config.Name);
        if (string.IsNullOrWhiteSpace(directory))
            throw new UsageException("--out is empty; give a directory");
        DesignEmission.Write(design, directory);

        var files = design.Result.Files;
        context.Out.WriteLine(
            $"{config.Name}: wrote {files.Count} file(s) to {directory} ({string.Join(", ", files.Select(f => f.RelativePath))}); " +
            $"top module {design.Top}, {design.Result.Warnings.Count} warning(s)");
        return ExitCode.Success;
    }
}
