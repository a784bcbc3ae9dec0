using System.Globalization;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The pipelined core whose code is confined to the RAM (<see cref="CoreConfig.CodeConfined"/>) keeps only the pc bits
/// that vary inside it (<see cref="CoreConfig.CodeBits"/>, 22 for the simulator's 4 MiB) down the pipeline and in mtvec,
/// in lockstep with the golden model: mtvec is WARL to the range, code at the top of the range sees its own pc, and a
/// fetch outside the range traps with the full pc in mepc, mtval and the retirement record.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CodeRangeTests
{
    private static readonly CoreConfig Confined = CoreConfig.ForMemoryMap(MemoryMap.Simulation);

    private static string Hex(uint word) => string.Create(CultureInfo.InvariantCulture, $"0x{word:x8}");

    /// <summary>The handler: s4 = mcause, s5 = mepc, s6 = mtval, s3 counts the traps; it returns to s11.</summary>
    private const string Handler = """
            .balign 4
        80: csrr s4, mcause
            csrr s5, mepc
            csrr s6, mtval
            addi s3, s3, 1
            csrw mepc, s11
            mret
        """;

    [Test]
    public void TheSimulatorsCoreKeepsTheRamsBits()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Confined.CodeConfined, Is.True);
            Assert.That(Confined.CodeBits, Is.EqualTo(22));
        });
    }

    [Test]
    public void MtvecKeepsTheBitsOfTheCodeRangeAndATrapLandsThere()
    {
        var body = """
                csrr s1, mtvec
                li t4, -1
                csrw mtvec, t4
                csrr s2, mtvec
                la s7, 80f
                li t4, 0x70000001
                or t4, t4, s7
                csrw mtvec, t4
                csrr s8, mtvec
                li s3, 0
                la s11, 21f
            20: ecall
            21: la t4, 20b
                sub s5, s5, t4
            """;

        var run = MeasuringProgram.Run(body, ["s1", "s2", "s8", "s7", "s3", "s4", "s5"], core: Confined, tail: Handler);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        var values = run.Values;
        Assert.Multiple(() =>
        {
            Assert.That(values[0], Is.EqualTo(0x8000_0000u), "after reset mtvec reads the code range's base");
            Assert.That(values[1], Is.EqualTo(0x803F_FFFCu), "all ones: the range's bits, direct mode");
            Assert.That(values[2], Is.EqualTo(values[3]), "the handler's address with bits 30..28 and the mode bit set reads the handler's address");
            Assert.That(values[2], Is.EqualTo(Confined.LegalMtvec(values[3] | 0x7000_0001)));
            Assert.That(values.Skip(4), Is.EqualTo(new uint[] { 1, 11, 0 }), "the ecall trapped once, to the handler");
        });
    }

    [Test]
    public void CodeAtTheTopOfTheRangeSeesItsOwnPc()
    {
        // At the last three words of the RAM: auipc s1, 0; ecall; jalr x0, 0(s11).
        const uint top = 0x803F_FFF4;
        var body = $"""
                la t3, 80f
                csrw mtvec, t3
                li s3, 0
                li t4, {Hex(top)}
                li t5, 0x00000497
                sw t5, 0(t4)
                li t5, 0x00000073
                sw t5, 4(t4)
                li t5, 0x000d8067
                sw t5, 8(t4)
                fence.i
                la s11, 21f
                la s10, 22f
                jalr ra, 0(t4)
            21: mv s11, s10
                jr s11
            22: nop
            """;

        var run = MeasuringProgram.Run(body, ["s1", "s3", "s4", "s5", "s6"], core: Confined, tail: Handler);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        // auipc there gives its pc; the ecall traps with mepc its pc (mtval 0); the handler returns to the jalr's
        // successor, s11, which jumps back here.
        Assert.That(run.Values, Is.EqualTo(new uint[] { top, 1, 11, top + 4, 0 }), run.Describe);
    }

    [TestCase(0xC000_0100u)]
    [TestCase(0x7FFF_FFF0u)]
    [TestCase(0x003F_FF00u)]
    public void AFetchOutsideTheRangeTrapsWithItsFullPc(uint target)
    {
        var body = $"""
                la t3, 80f
                csrw mtvec, t3
                li s3, 0
                la s11, 21f
                li t4, {Hex(target)}
            20: jalr s10, 0(t4)
            21: nop
            """;

        var run = MeasuringProgram.Run(body, ["s3", "s4", "s5", "s6"], core: Confined, tail: Handler);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.That(run.Values, Is.EqualTo(new uint[] { 1, 1, target, target }), run.Describe);
    }
}
