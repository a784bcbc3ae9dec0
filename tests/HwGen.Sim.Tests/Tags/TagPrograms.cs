using HwGen.Firmware;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Tests.Isa;
using HwGen.Sim.Tests.Policy;

namespace HwGen.Sim.Tests.Tags;

/// <summary>The programs of tests/HwGen.Sim.Tests/Tags/Programs (with the frame of tests/policies), built once per test run.</summary>
internal static class TagPrograms
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, ElfImage> s_built = [];

    /// <summary>Programs/NAME.S, built for the simulation map and loaded (the build's folder is removed).</summary>
    public static ElfImage Build(string name)
    {
        lock (s_lock)
        {
            if (s_built.TryGetValue(name, out var image))
                return image;
            var directory = Directory.CreateTempSubdirectory("hwgen-tag-program-").FullName;
            try
            {
                var build = FirmwareTestSupport.Toolchain.Build(new BuildRequest(
                    [FirmwareTestSupport.InRepository($"tests/HwGen.Sim.Tests/Tags/Programs/{name}.S")], Path.Combine(directory, name + ".elf"))
                {
                    MemoryMap = PolicyPrograms.Map,
                    IncludeRuntime = false,
                    IncludeDirectories = [FirmwareTestSupport.InRepository("tests/policies")],
                });
                image = ElfImage.Load(build.ElfPath, PolicyPrograms.Map);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
            s_built[name] = image;
            return image;
        }
    }
}
