using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The CSRs the board keeps in block RAM (mscratch, mtval, a copy of mtvec; see <c>ControlStatusRegisters.StorageInRam</c>), in
/// the sequences where a RAM read a cycle ahead or a cycle behind its write would go wrong, in lockstep with the golden
/// model: a read right after a write of the same register, mscratch and mtval interleaved, a swap, <c>csrw mtvec</c>
/// followed at once by <c>ecall</c> (it must reach the new vector), and a misaligned load's mtval read back by the
/// handler. The core waits the same cycles with flip-flops as with block RAM, so the run checks the waits too.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CsrStorageCosimTests
{
    private const string Body = """
            li s11, 0
            la s0, wrong
            csrw mtvec, s0
            nop
            nop
            nop
            nop
            la s0, handler
            csrw mtvec, s0
            ecall
            li s1, 0x12345678
            csrw mscratch, s1
            csrr s2, mscratch
            li s3, 0x0badf00d
            csrw mtval, s3
            csrr s4, mscratch
            csrr s5, mtval
            csrrw s6, mscratch, s3
            csrr s7, mscratch
            csrr s8, mtvec
            la s1, data
            lw s1, 2(s1)
            j done
            .balign 4
        handler:
            csrr s9, mtval
            csrr s10, mcause
            addi s11, s11, 1
            csrr t3, mepc
            addi t3, t3, 4
            csrw mepc, t3
            mret
        wrong:
            addi s11, s11, 0x100
            csrr t3, mepc
            addi t3, t3, 4
            csrw mepc, t3
            mret
            .balign 4
        data:
            .word 0
        done:
        """;

    [Test]
    public void ReadsRightAfterWritesAndATrapRightAfterAWriteOfMtvecSeeTheValuesWritten()
    {
        var run = MeasuringProgram.Run(Body, ["s2", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s1"]);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        var values = run.Values;
        Assert.That(values, Has.Count.EqualTo(10), run.Describe);
        uint handler = values[5];
        uint data = values[9];
        Assert.Multiple(() =>
        {
            Assert.That(values[0], Is.EqualTo(0x1234_5678u), "mscratch read right after its write");
            Assert.That(values[1], Is.EqualTo(0x1234_5678u), "mscratch read after a write of mtval");
            Assert.That(values[2], Is.EqualTo(0x0BAD_F00Du), "mtval read right after mscratch");
            Assert.That(values[3], Is.EqualTo(0x1234_5678u), "the swap's old mscratch");
            Assert.That(values[4], Is.EqualTo(0x0BAD_F00Du), "mscratch read right after the swap");
            Assert.That(handler & 3, Is.Zero, "mtvec reads its base");
            Assert.That(values[6], Is.EqualTo(data + 2), "the misaligned load's address, read by its handler from mtval");
            Assert.That(values[7], Is.EqualTo(4u), "mcause: load address misaligned");
            Assert.That(values[8], Is.EqualTo(2u), "two traps, both to the handler written right before the ecall (0x100: the old vector)");
        });
    }
}
