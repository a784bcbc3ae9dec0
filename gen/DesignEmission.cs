using HwGen.Designs;
using HwGen.Gen.Verilog;

namespace HwGen.Cli;

/// <summary>A design built from its configuration and emitted as Verilog.</summary>
/// <param name="Config">What was built.</param>
/// <param name="Result">The generated files and the elaboration warnings.</param>
internal sealed record EmittedDesign(DesignConfig Config, EmitResult Result)
{
    /// <summary>The Verilog name of the top module.</summary>
    public string Top => Result.TopModule;

    /// <summary>The relative paths of the Verilog files, children first.</summary>
    public IReadOnlyList<string> VerilogFiles => Result.VerilogFiles.Select(f => f.RelativePath).ToArray();
}

/// <summary>Builds designs from the catalog and emits them.</summary>
internal static class DesignEmission
{
    /// <summary>The names of the designs in the catalog.</summary>
    public static IReadOnlyList<string> Catalog => DesignCatalog.Names;

    /// <summary>Resolves <c>--config NAME|FILE</c> against the catalog.</summary>
    public static DesignConfig Resolve(string nameOrFile) => DesignConfig.Resolve(nameOrFile, Catalog);

    /// <summary>Builds and emits <paramref name="config"/>.</summary>
    /// <exception cref="UsageException">The design rejected its parameters.</exception>
    /// <exception cref="HwGen.Hdl.ElaborationException">The description has errors.</exception>
    public static EmittedDesign Emit(DesignConfig config)
    {
        HwGen.Hdl.Module top;
        try
        {
            top = DesignCatalog.Create(config.Design, config.Parameters);
        }
        catch (DesignConfigException ex)
        {
            throw new UsageException(config.SourceFile is null ? ex.Message : $"{config.SourceFile}: {ex.Message}", ex);
        }
        return new EmittedDesign(config, VerilogEmitter.Emit(top));
    }

    /// <summary>
    /// Makes the module <paramref name="typeName"/> of the user's assembly with the constructor arguments
    /// <paramref name="parameters"/> (<c>NAME=VALUE</c>) and emits it; the configuration is named after the type.
    /// </summary>
    /// <exception cref="UsageException">No such module, an unknown parameter, or the constructor threw.</exception>
    /// <exception cref="HwGen.Hdl.ElaborationException">The description has errors.</exception>
    public static EmittedDesign EmitUser(string assemblyPath, string typeName, IReadOnlyList<string> parameters)
    {
        var top = UserDesign.Create(assemblyPath, typeName, parameters);
        var type = top.GetType();
        return new EmittedDesign(new DesignConfig(type.Name, type.FullName ?? type.Name, null, assemblyPath), VerilogEmitter.Emit(top));
    }

    /// <summary>Writes the files of <paramref name="design"/> as the directory <paramref name="directory"/>.</summary>
    public static string Write(EmittedDesign design, string directory)
    {
        try
        {
            return VerilogEmitter.WriteTo(design.Result, directory);
        }
        catch (HwGen.Gen.Output.OutputPathException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
    }
}
