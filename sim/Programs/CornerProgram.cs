using HwGen.Gen.Templates;

namespace HwGen.Sim.Programs;

/// <summary>One case of a corner program: an instruction that must trap as illegal, or one that must run.</summary>
/// <param name="Traps">The instruction raises an illegal-instruction exception (<c>TEST_TRAP_ILLEGAL</c>); else it runs without a trap.</param>
/// <param name="Instruction">The instruction, as assembly.</param>
/// <param name="Comment">What it is (the row or register, and the bit inverted).</param>
public sealed record CornerCase(bool Traps, string Instruction, string Comment);

/// <summary>
/// The ISA programs generated from a table of the core (<see cref="DecoderCorners"/>, <see cref="CsrCorners"/>): cases
/// in the frame of <c>tests/isa/test_macros.h</c>, numbered from 1, through one template.
/// </summary>
internal static class CornerProgram
{
    private static readonly TemplateSet Templates = new(typeof(CornerProgram).Assembly, "HwGen.Sim.Templates.Programs/");

    public static string Render(string name, string title, string source, Type generator, IReadOnlyList<string> description, IEnumerable<CornerCase> cases) =>
        Templates.Render("corners.S.sbn", new
        {
            Name = name,
            Title = title,
            Source = source,
            Generator = generator.FullName,
            Description = description,
            Cases = cases.Select((c, i) => new { Number = i + 1, c.Traps, c.Instruction, c.Comment }).ToList(),
        });
}
