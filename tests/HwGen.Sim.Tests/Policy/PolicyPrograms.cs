using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Policy;

/// <summary>The programs of tests/policies, built once per test run (with and without <c>FORBIDDEN</c>) and loaded under a policy.</summary>
internal static class PolicyPrograms
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<(string, bool), ElfImage> s_built = [];
    private static string? s_directory;

    public static MemoryMap Map => MemoryMap.Simulation;

    /// <summary>Every policy but <c>none</c>, composed.</summary>
    public const string All = "nxd-nwc+taint+heap+ret+cfi";

    /// <summary>The programs whose FORBIDDEN variant a policy denies: the file, the denying policy and its reason.</summary>
    public static IReadOnlyList<(string File, string Policy, string Reason)> ForbiddenCases { get; } =
    [
        ("nwc_store_to_code", "nxd-nwc", "write to code"),
        ("nxd_execute_data", "nxd-nwc", "execute non-code"),
        ("taint_address", "taint", "tainted address"),
        ("taint_device_store", "taint", "tainted address"),
        ("taint_jump", "taint", "tainted jump target"),
        ("heap_overflow", "heap", "pointer colour does not match"),
        ("heap_use_after_free", "heap", "pointer colour does not match"),
        ("ret_overwritten", "ret", "return to a non-return address"),
        ("cfi_call_non_entry", "cfi", "indirect call to a non-entry"),
        ("cfi_jump_out", "cfi", "indirect jump out of its function"),
    ];

    /// <summary>The programs whose allowed variant runs under every policy.</summary>
    public static IReadOnlyList<string> AllowedFiles { get; } =
    [
        "nwc_store_to_code", "nxd_execute_data", "taint_address", "taint_device_store", "taint_jump", "heap_overflow",
        "heap_use_after_free", "heap_refused", "ret_overwritten", "cfi_call_non_entry", "cfi_jump_out",
    ];

    /// <summary>The program <paramref name="name"/> (tests/policies/NAME.S), its forbidden or its allowed variant.</summary>
    public static ElfImage Build(string name, bool forbidden)
    {
        lock (s_lock)
        {
            if (s_built.TryGetValue((name, forbidden), out var image))
                return image;
            s_directory ??= Directory.CreateTempSubdirectory("hwgen-policy-tests-").FullName;
            var folder = FirmwareTestSupport.InRepository("tests/policies");
            var output = Path.Combine(s_directory, $"{name}{(forbidden ? "-forbidden" : "")}", "program.elf");
            var build = FirmwareTestSupport.Toolchain.Build(new BuildRequest([Path.Combine(folder, name + ".S")], output)
            {
                MemoryMap = Map,
                IncludeRuntime = false,
                IncludeDirectories = [folder],
                Defines = forbidden ? new Dictionary<string, string?> { ["FORBIDDEN"] = null } : new Dictionary<string, string?>(),
            });
            image = ElfImage.Load(build.ElfPath, Map);
            s_built[(name, forbidden)] = image;
            return image;
        }
    }

    /// <summary>A simulator with <paramref name="image"/> loaded and a tag engine for <paramref name="spec"/> attached.</summary>
    public static (Rv32Iss Iss, TagEngine Engine) Load(ElfImage image, string spec)
    {
        var iss = new Rv32Iss(Map);
        iss.Load(image);
        var engine = TagEngine.Attach(iss, image, Composite.Parse(spec));
        return (iss, engine);
    }

    public static uint Symbol(ElfImage image, string name)
    {
        Assert.That(image.TryGetSymbol(name, out uint address), Is.True, $"{image.Path}: symbol {name}");
        return address;
    }

    public static void DeleteBuilds()
    {
        lock (s_lock)
        {
            if (s_directory is not null && Directory.Exists(s_directory))
                Directory.Delete(s_directory, recursive: true);
            s_directory = null;
            s_built.Clear();
        }
    }
}

[SetUpFixture]
public sealed class PolicyTestsCleanup
{
    [OneTimeTearDown]
    public void DeleteBuilds() => PolicyPrograms.DeleteBuilds();
}
