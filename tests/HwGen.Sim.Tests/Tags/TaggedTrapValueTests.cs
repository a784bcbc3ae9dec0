using HwGen.Designs.Tags;
using NUnit.Framework;
using TrapCause = HwGen.Designs.Riscv.TrapCause;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The trap values (mtval) of a tagged core, in lockstep with the golden model: <c>ebreak</c> and a faulted fetch
/// give their pc (from the target adder), an illegal instruction and an unimplemented CSR their word (from the word
/// the memory stage keeps), a misaligned load its address, <c>ecall</c> 0.
/// </summary>
[TestFixture]
public sealed class TaggedTrapValueTests
{
    /// <summary>An address no region of the simulation map takes: a fetch there faults.</summary>
    private const uint Unmapped = 0x3000_0000;

    /// <summary>
    /// Each trap in turn; the handler logs mcause, mtval and mepc and returns past the instruction (after the faulted
    /// fetch, to the address in s11).
    /// </summary>
    private static readonly string Program = $$"""
            .section .text.init, "ax", @progbits
            .globl _start
        _start:
            la t0, handler
            csrw mtvec, t0
            la s3, log
            la s0, word
            .globl at_ebreak
        at_ebreak:
            ebreak
            .globl at_illegal
        at_illegal:
            .word 0xffffffff
            .globl at_csr
        at_csr:
            csrr a1, 0x7c0
            .globl at_load
        at_load:
            lw a1, 1(s0)
            la s11, back
            li t4, {{Unmapped}}
            .globl at_jump
        at_jump:
            jalr zero, 0(t4)
        back:
            .globl at_ecall
        at_ecall:
            ecall
            li a0, 1
            la t0, tohost
            sw zero, 4(t0)
            sw a0, 0(t0)
        1:  j 1b
        handler:
            csrr t3, mcause
            csrr t4, mtval
            csrr t5, mepc
            sw t3, 0(s3)
            sw t4, 4(s3)
            sw t5, 8(s3)
            addi s3, s3, 12
            addi t5, t5, 4
            li t6, 1
            bne t3, t6, 2f
            mv t5, s11
        2:  csrw mepc, t5
            mret
            .data
            .balign 16
            .globl word
        word: .word 0x1234
            .globl log
        log: .space 96
            .balign 64
            .globl tohost
        tohost: .dword 0
        """;

    [Test]
    public void EveryTrapRecordsItsValue()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-tagunit-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "trap-values.S");
        File.WriteAllText(path, Program);
        var image = TagUnitRun.Build([path], includeDirectories: []);
        uint Symbol(string name) => image.TryGetSymbol(name, out uint address) ? address : throw new AssertionException($"no symbol {name}");

        var result = TagUnitRun.Run(image, TagUnitRun.Config(), TagUnitRun.Mixing);
        Assert.That(result.Divergence, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.TagMismatch, Is.Null, () => result.Describe(TagTraceFields.Table));
        Assert.That(result.ExitCode, Is.EqualTo(0), () => result.Describe(TagTraceFields.Table));

        uint log = Symbol("log");
        var expected = new (TrapCause Cause, uint Value, uint Pc)[]
        {
            (TrapCause.Breakpoint, Symbol("at_ebreak"), Symbol("at_ebreak")),
            (TrapCause.IllegalInstruction, 0xffffffff, Symbol("at_illegal")),
            (TrapCause.IllegalInstruction, 0x7c0025f3 /* csrr a1, 0x7c0 */, Symbol("at_csr")),
            (TrapCause.LoadAddressMisaligned, Symbol("word") + 1, Symbol("at_load")),
            (TrapCause.InstructionAccessFault, Unmapped, Unmapped),
            (TrapCause.MachineEcall, 0, Symbol("at_ecall")),
        };
        var logged = result.Trace.Where(r => r.MemWmask == 0xF && r.MemAddr >= log && r.MemAddr < log + 96).Select(r => r.MemWdata).ToList();
        Assert.That(logged, Has.Count.EqualTo(3 * expected.Length), () => result.Describe(TagTraceFields.Table));
        for (int c = 0; c < expected.Length; c++)
        {
            Assert.That(logged[3 * c], Is.EqualTo((uint)expected[c].Cause), $"mcause of trap {c}");
            Assert.That(logged[3 * c + 1], Is.EqualTo(expected[c].Value), $"mtval of trap {c} ({expected[c].Cause})");
            Assert.That(logged[3 * c + 2], Is.EqualTo(expected[c].Pc), $"mepc of trap {c}");
        }
    }
}
