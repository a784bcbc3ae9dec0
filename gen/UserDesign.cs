using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using HwGen.Gen.Tools;
using Module = HwGen.Hdl.Module;

namespace HwGen.Cli;

/// <summary>
/// A module of the user's own, from their project (built with <c>dotnet build</c>) or their assembly: the type named by
/// <c>--design</c>, made with the constructor arguments of <c>--param NAME=VALUE</c>. Every failure is a
/// <see cref="UsageException"/> of one line.
/// </summary>
internal static class UserDesign
{
    /// <summary>Builds <paramref name="project"/> and returns the path of its assembly.</summary>
    public static string BuildProject(string project)
    {
        var full = Path.GetFullPath(project);
        if (Directory.Exists(full))
            throw new UsageException($"--project {project}: is a directory; give the .csproj file");
        if (!File.Exists(full))
            throw new UsageException($"--project {project}: project file not found");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var result = ProcessRunner.Run(dotnet, ["build", full, "--nologo", "-v", "q", "-t:Build", "-getProperty:TargetPath"],
            Path.GetDirectoryName(full), TimeSpan.FromMinutes(10));
        if (!result.Succeeded)
        {
            var errors = result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
            var first = errors.Count > 0 ? errors[0] : result.Output.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no output";
            throw new UsageException($"--project {project}: dotnet build failed ({(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}): {first}" +
                (errors.Count > 1 ? $" (and {errors.Count - 1} more error(s))" : ""));
        }
        var target = result.Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        if (target is null || !File.Exists(target))
            throw new UsageException($"--project {project}: dotnet build did not name the assembly it built: {result.Output.ReplaceLineEndings(" ")}");
        return target;
    }

    /// <summary>Loads <paramref name="assemblyPath"/> and makes the module <paramref name="typeName"/> with <paramref name="parameters"/>.</summary>
    public static Module Create(string assemblyPath, string typeName, IReadOnlyList<string> parameters)
    {
        if (!File.Exists(assemblyPath))
            throw new UsageException($"--assembly {assemblyPath}: file not found");
        Assembly assembly;
        try
        {
            assembly = new UserLoadContext(Path.GetFullPath(assemblyPath)).LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            throw new UsageException($"{assemblyPath}: not a .NET assembly: {ex.Message}", ex);
        }

        var type = FindType(assembly, typeName);
        var arguments = ParseParameters(parameters);
        var (constructor, values) = Bind(type, arguments);
        try
        {
            return (Module)constructor.Invoke(values);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
        {
            var call = $"{type.Name}({string.Join(", ", arguments.Select(a => $"{a.Name}: {a.Value}"))})";
            throw new UsageException($"{call} threw {inner.GetType().Name}: {inner.Message.ReplaceLineEndings(" ")}", inner);
        }
    }

    private static Type[] Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>().ToArray();
        }
    }

    private static Type FindType(Assembly assembly, string typeName)
    {
        var types = Types(assembly);
        var modules = types.Where(t => t.IsSubclassOf(typeof(Module)) && !t.IsAbstract && t.IsPublic).Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
        var known = modules.Count == 0 ? "it has no public module class" : "its modules: " + string.Join(", ", modules);
        var matches = types.Where(t => t.FullName == typeName).ToList();
        if (matches.Count == 0)
            matches = types.Where(t => t.Name == typeName).ToList();
        if (matches.Count == 0)
            throw new UsageException($"--design {typeName}: no such type in {assembly.GetName().Name}; {known}");
        if (matches.Count > 1)
            throw new UsageException($"--design {typeName}: ambiguous in {assembly.GetName().Name}: {string.Join(", ", matches.Select(t => t.FullName))}; give the full name");
        var type = matches[0];
        if (!type.IsSubclassOf(typeof(Module)))
            throw new UsageException($"--design {typeName}: {type.FullName} is not a module (it does not derive from HwGen.Hdl.Module); {known}");
        if (type.IsAbstract)
            throw new UsageException($"--design {typeName}: {type.FullName} is abstract; {known}");
        return type;
    }

    private static List<(string Name, string Value)> ParseParameters(IReadOnlyList<string> parameters)
    {
        var result = new List<(string Name, string Value)>();
        foreach (var p in parameters)
        {
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new UsageException($"--param {p}: expected NAME=VALUE");
            var name = p[..eq].Trim();
            if (result.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
                throw new UsageException($"--param {p}: '{name}' is given twice");
            result.Add((name, p[(eq + 1)..].Trim()));
        }
        return result;
    }

    private static (ConstructorInfo Constructor, object?[] Values) Bind(Type type, List<(string Name, string Value)> arguments)
    {
        var constructors = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).ToList();
        if (constructors.Count == 0)
            throw new UsageException($"--design {type.FullName}: the module has no public constructor");
        string Signature(ConstructorInfo c) => c.GetParameters().Length == 0
            ? "none"
            : string.Join(", ", c.GetParameters().Select(p => $"{p.Name} ({Describe(p.ParameterType)}{(p.HasDefaultValue ? $", default {Format(p.DefaultValue)}" : "")})"));

        foreach (var constructor in constructors)
        {
            var ps = constructor.GetParameters();
            if (arguments.Any(a => !ps.Any(p => string.Equals(p.Name, a.Name, StringComparison.OrdinalIgnoreCase))))
                continue;
            if (ps.Any(p => !p.HasDefaultValue && !arguments.Any(a => string.Equals(p.Name, a.Name, StringComparison.OrdinalIgnoreCase))))
                continue;
            var values = ps.Select(p =>
            {
                var given = arguments.FirstOrDefault(a => string.Equals(p.Name, a.Name, StringComparison.OrdinalIgnoreCase));
                return given.Name is null ? p.DefaultValue : Convert(type, p, given.Value);
            }).ToArray();
            return (constructor, values);
        }

        var unknown = arguments.FirstOrDefault(a => !constructors.Any(c => c.GetParameters().Any(p => string.Equals(p.Name, a.Name, StringComparison.OrdinalIgnoreCase))));
        var parameters = string.Join("; ", constructors.Select(Signature));
        if (unknown.Name is not null)
            throw new UsageException($"--param {unknown.Name}={unknown.Value}: {type.Name} has no parameter '{unknown.Name}'; its parameters: {parameters}");
        throw new UsageException($"--design {type.Name}: no constructor takes these parameters; its parameters: {parameters} (give the ones without a default with --param)");
    }

    private static object? Convert(Type type, ParameterInfo parameter, string text)
    {
        var target = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        try
        {
            if (target == typeof(string))
                return text;
            if (target == typeof(bool))
                return bool.Parse(text);
            if (target.IsEnum)
                return Enum.Parse(target, text, ignoreCase: true);
            if (target == typeof(int) || target == typeof(long) || target == typeof(uint) || target == typeof(ulong))
            {
                var number = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? System.Numerics.BigInteger.Parse("0" + text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : System.Numerics.BigInteger.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
                return System.Convert.ChangeType(number.ToString(CultureInfo.InvariantCulture), target, CultureInfo.InvariantCulture);
            }
            if (target == typeof(double))
                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new UsageException($"--param {parameter.Name}={text}: not a valid {Describe(parameter.ParameterType)} for {type.Name}" +
                (target.IsEnum ? $" (one of {string.Join(", ", Enum.GetNames(target))})" : ""), ex);
        }
        throw new UsageException($"--param {parameter.Name}: {type.Name} takes a {Describe(parameter.ParameterType)}, which the command line cannot give");
    }

    private static string Describe(Type type) =>
        type == typeof(int) ? "int" : type == typeof(bool) ? "bool" : type == typeof(string) ? "string" : type == typeof(long) ? "long"
        : type == typeof(uint) ? "uint" : type == typeof(ulong) ? "ulong" : type == typeof(double) ? "double" : type.Name;

    private static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Loads the user's assembly and its own dependencies beside it; the assemblies <c>hwgen</c> already has (the DSL
    /// above all) come from <c>hwgen</c>, so the user's modules are modules to it.
    /// </summary>
    private sealed class UserLoadContext(string assemblyPath) : AssemblyLoadContext($"hwgen-user:{assemblyPath}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);

        protected override Assembly? Load(AssemblyName name)
        {
            if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName())))
                return null;
            if (File.Exists(Path.Combine(AppContext.BaseDirectory, name.Name + ".dll")))
                return null;
            return _resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;
        }

        protected override nint LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : 0;
    }
}
