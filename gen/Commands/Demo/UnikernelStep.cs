using HwGen.Firmware.Unikernel;

namespace HwGen.Cli.Commands.Demo;

/// <summary>Builds the unikernel's applications the later stages run (<c>hello</c>, <c>attacks</c>) into <c>out/demo/firmware/APP</c>.</summary>
internal sealed class UnikernelStep : IDemoStep
{
    /// <summary>The applications built, in order.</summary>
    public static IReadOnlyList<string> Applications { get; } = [TaggedHelloStep.Application, AttackSet.Application];

    public string Title => "unikernel";

    public IEnumerable<DemoResult> Run(DemoContext context)
    {
        foreach (var application in Applications)
        {
            context.Status($"building the unikernel with {application}");
            var result = FirmwareCommand.BuildImage(context.Cli, new UnikernelBuildOptions(application, Path.Combine(context.OutputRoot, "firmware", application)));
            context.Images[application] = result.ElfPath;
            long bytes = result.Sections.Sum(s => (long)s.Size);
            yield return new DemoResult(application, true,
                $"{Path.GetRelativePath(Environment.CurrentDirectory, result.ElfPath)}: {bytes:N0} bytes of {result.RamSize / 1024:N0} KiB RAM, libraries {string.Join(", ", result.Libraries)}");
        }
    }
}
