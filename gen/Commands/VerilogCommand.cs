using System.CommandLine;

namespace HwGen.Cli.Commands;

/// <summary>
/// <c>hwgen verilog --config NAME|FILE [--predictor none|static|btb] [--btb-entries N] [--no-m] [--out DIR]</c>: emit a
/// design's Verilog and its manifest; the core options set the parameters of a design with a core over its own.
/// <c>hwgen verilog --project CSPROJ|--assembly DLL --design TYPE [--param NAME=VALUE …] [--out DIR]</c>: the same for
/// a module of the user's own, made with the constructor arguments given.
/// </summary>
internal static class VerilogCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<string>("--config")
        {
            Description = "A design name from the catalog, or a JSON file { \"design\": NAME, \"parameters\": { ... } }.",
            HelpName = "NAME|FILE",
        };
        var project = new Option<string?>("--project")
        {
            Description = "Your design project: it is built with dotnet build and --design is taken from its assembly.",
            HelpName = "CSPROJ",
        };
        var assembly = new Option<string?>("--assembly")
        {
            Description = "Your built assembly, to take --design from.",
            HelpName = "DLL",
        };
        var designType = new Option<string?>("--design")
        {
            Description = "The module class (its name or full name) in --project or --assembly.",
            HelpName = "TYPE",
        };
        var parameters = new Option<string[]>("--param")
        {
            Description = "A constructor argument of --design; repeat for several.",
            HelpName = "NAME=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Output directory, replaced as a whole once every file is written [default: out/verilog/<config name or TYPE>].",
            HelpName = "DIR",
        };
        var core = new CoreOptions();
        var command = new Command("verilog", "Emit a design's Verilog and its manifest.")
        {
            config,
            project,
            assembly,
            designType,
            parameters,
            output,
        };
        foreach (var option in core.All)
            command.Add(option);
        HwGenCommandLine.SetHandler(command, result => Run(context,
            new Source(result.GetValue(config), result.GetValue(project), result.GetValue(assembly), result.GetValue(designType), result.GetValue(parameters) ?? []),
            core.Read(result), result.GetValue(output)));
        return command;
    }

    /// <summary>Where the design comes from: a catalog configuration, or a type in the user's project or assembly.</summary>
    private sealed record Source(string? Config, string? Project, string? Assembly, string? Design, string[] Parameters);

    private static ExitCode Run(CliContext context, Source source, CoreChoice core, string? output)
    {
        var given = new[] { ("--config", source.Config), ("--project", source.Project), ("--assembly", source.Assembly) }.Where(g => g.Item2 is not null).ToList();
        if (given.Count != 1)
            throw new UsageException(given.Count == 0
                ? "give the design: --config NAME|FILE, or --project CSPROJ or --assembly DLL with --design TYPE"
                : $"{string.Join(" and ", given.Select(g => g.Item1))}: give only one of them");
        EmittedDesign design;
        if (source.Config is { } configValue)
        {
            if (source.Design is not null || source.Parameters.Length > 0)
                throw new UsageException($"{(source.Design is not null ? "--design" : "--param")}: goes with --project or --assembly; a catalog design takes its parameters from --config FILE");
            var config = DesignEmission.Resolve(configValue);
            if (core.Any)
            {
                if (!HwGen.Designs.DesignCatalog.HasCore(config.Design))
                    throw new UsageException($"{core.FirstOption}: design '{config.Design}' has no core; the core options apply to " +
                        string.Join(" and ", DesignEmission.Catalog.Where(HwGen.Designs.DesignCatalog.HasCore)));
                config = config with { Parameters = core.Over(config.Parameters) };
            }
            design = DesignEmission.Emit(config);
        }
        else
        {
            if (core.Any)
                throw new UsageException($"{core.FirstOption}: the core options apply to the catalog's designs (--config)");
            if (string.IsNullOrWhiteSpace(source.Design))
                throw new UsageException($"{given[0].Item1}: give the module class with --design TYPE");
            var assemblyPath = source.Project is { } projectFile ? UserDesign.BuildProject(projectFile) : source.Assembly!;
            design = DesignEmission.EmitUser(assemblyPath, source.Design, source.Parameters);
        }
        var name = design.Config.Name;
        foreach (var warning in design.Result.Warnings)
            context.Error.WriteLine(warning.ToString());

        var directory = output ?? Path.Combine("out", "verilog", name);
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
            $"{name}: wrote {files.Count} file(s) to {directory} ({string.Join(", ", files.Select(f => f.RelativePath))}); " +
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
