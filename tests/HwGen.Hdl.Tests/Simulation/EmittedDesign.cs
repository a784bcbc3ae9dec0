using HwGen.Gen.Verilog;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>A design whose Verilog has been written into a folder.</summary>
public sealed class EmittedDesign
{
    private EmittedDesign(EmitResult result, string directory)
    {
        Result = result;
        Directory = directory;
        VerilogFiles = result.VerilogFiles.Select(f => f.RelativePath).ToArray();
        if (VerilogFiles.Count == 0)
            throw new InvalidOperationException($"emitting {result.TopModule} produced no Verilog file");
    }

    public EmitResult Result { get; }

    /// <summary>The folder holding the files.</summary>
    public string Directory { get; }

    public string TopModule => Result.TopModule;

    /// <summary>The Verilog files, relative to <see cref="Directory"/>, children first.</summary>
    public IReadOnlyList<string> VerilogFiles { get; }

    /// <summary>The Verilog files with their full paths.</summary>
    public IEnumerable<string> VerilogPaths => VerilogFiles.Select(f => Path.Combine(Directory, f));

    /// <summary>Elaborates and emits <paramref name="top"/> into <paramref name="directory"/>.</summary>
    public static EmittedDesign Emit(Module top, string directory) => Write(VerilogEmitter.Emit(top), directory);

    /// <summary>Writes an emitted design into <paramref name="directory"/>.</summary>
    public static EmittedDesign Write(EmitResult result, string directory)
    {
        VerilogEmitter.WriteTo(result, directory);
        return new EmittedDesign(result, Path.GetFullPath(directory));
    }
}
