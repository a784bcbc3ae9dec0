namespace HwGen.Cli.Commands.Demo;

/// <summary>The stages of <c>hwgen demo</c>, in the order they run.</summary>
internal static class DemoSteps
{
    public static IReadOnlyList<IDemoStep> Create() =>
    [
        new EmitDesignsStep(),
        new VerilatorLintStep(),
        new YosysCheckStep(),
        new CounterSimulationStep(),
        new CoreProgramStep(),
        new UnikernelStep(),
        new TaggedHelloStep(),
        new AttackSetStep(),
    ];
}
