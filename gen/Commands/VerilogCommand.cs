using System.CommandLine;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen verilog --config NAME|FILE [--predictor none|static|btb] [--btb-entries N] [--no-m] [--out DIR]</c>: emit a
/// design's Verilog and its manifest; the core options set the parameters of a design with a core over its own.
/// </summary>
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
        var core = new CoreOptions();
        var command = new Command("verilog", "Emit a design's Verilog and its manifest.")
        {
            config,
            output,
        };
        foreach (var option in core.All)
            command.Add(option);
        HwGenCommandLine.SetHandler(command, result => Run(context, result.GetRequiredValue(config), core.Read(result), result.GetValue(output)));
        return command;
    }

    private static ExitCode Run(CliContext context, string configValue, CoreChoice core, string? output)
    {
        var config = DesignEmission.Resolve(configValue);
        if (core.Any)
        {
            if (!HwGen.Designs.DesignCatalog.HasCore(config.Design))
                throw new UsageException($"{core.FirstOption}: design '{config.Design}' has no core; the core options apply to " +
                    string.Join(" and ", DesignEmission.Catalog.Where(HwGen.Designs.DesignCatalog.HasCore)));
            config = config with { Parameters = core.Over(config.Parameters) };
        }
        var design = DesignEmission.Emit(config);
        foreach (var warning in design.Result.Warnings)
            context.Error.WriteLine(warning.ToString());

        var directory = output ?? Path.Combine("out", "verilog", config.Name);
        if (string.IsNullOrWhiteSpace(directory))
            throw new UsageException("--out is empty; give a directory");
        try
        {
            DesignEmission.Write(design, directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {directory}: cannot write the folder: {WriteFailure(directory, ex)}", ex);
        }

        var files = design.Result.Files;
        context.Out.WriteLine(
            $"{config.Name}: wrote {files.Count} file(s) to {directory} ({string.Join(", ", files.Select(f => f.RelativePath))}); " +
            $"top module {design.Top}, {design.Result.Warnings.Count} warning(s)");
        return ExitCode.Success;
    }

    /// <summary>Why <paramref name="directory"/> could not be written, without the staging folder's name.</summary>
    private static string WriteFailure(string directory, Exception ex)
    {
        for (var path = Path.GetFullPath(directory); path is not null; path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
                return $"{path} is a file, not a folder";
        }
        if (ex is UnauthorizedAccessException)
            return "permission denied";
        // The system's message names the staging folder beside the target: keep only its cause.
        var message = ex.Message;
        int quote = message.IndexOf(" : '", StringComparison.Ordinal);
        return quote > 0 ? message[..quote] : message;
    }
}
