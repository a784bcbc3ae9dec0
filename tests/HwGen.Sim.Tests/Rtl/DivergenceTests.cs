using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Co-simulation finds a real difference: a core generated without the M extension traps on <c>mul</c>, where the
/// golden model is given a program that computes the product.
/// </summary>
[TestFixture]
public sealed class DivergenceTests
{
    [Test]
    public void ACoreWithoutMDivergesAtTheFirstMultiplyWithAReportAndAWaveform()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-divergence-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(directory);
            string Build(string name, string product)
            {
                var source = Path.Combine(directory, name + ".S");
                File.WriteAllText(source, $$"""
                    .section .text.init
                    .globl _start
                    _start:
                        li a0, 6
                        li a1, 7
                        {{product}}
                        la t0, tohost
                        li t1, 1
                        sw t1, 0(t0)
                    1:  j 1b
                    .section .tohost, "aw", @progbits
                    .align 3
                    .globl tohost
                    tohost: .dword 0
                    """);
                return FirmwareTestSupport.Toolchain.Build(new BuildRequest([source], Path.Combine(directory, name + ".elf")) { IncludeRuntime = false }).ElfPath;
            }
            // The golden model follows the core's configuration (RV32I here): it is given the product as an RV32IM hart
            // computes it, where the core meets an illegal instruction.
            var elf = Build("mul", "mul a2, a0, a1");
            var golden = Build("golden", "li a2, 42");
            var wave = Path.Combine(directory, "divergence.vcd");
            var result = SimRunner.Run(new SimOptions(elf)
            {
                Cosim = true,
                Core = CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { WithM = false },
                MaxCycles = 10_000,
                GoldenImage = HwGen.Sim.Model.Elf.ElfImage.Load(golden, MemoryMap.Simulation),
                DivergenceWavePath = wave,
            });

            Assert.That(result.Status, Is.EqualTo(SimStatus.Divergence));
            var report = result.Divergence!;
            Assert.Multiple(() =>
            {
                Assert.That(report.Order, Is.EqualTo(2), report.Describe());
                Assert.That(report.Difference.Field, Is.EqualTo("insn"), "the first field that differs, in the trace table's order (the word, before the trap)\n" + report.Describe());
                Assert.That(report.RtlHistory[^1].ToString(), Does.Contain("mul a2, a0, a1").And.Contain("illegal instruction"));
                Assert.That(report.ModelHistory[^1].ToString(), Does.Contain("a2=0x0000002a"));
                Assert.That(report.Describe(), Does.Contain("divergence at instruction #2").And.Contain("gtkwave"));
                Assert.That(File.ReadAllText(wave), Does.Contain("$enddefinitions").And.Contain("Trace_Insn"));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The golden model runs a program that, after a handled ecall, loads another constant into a2: the run reports the
    /// cycle and count of that instruction, counted from the program's first cycle, and no trap (the ecall was handled).
    /// </summary>
    [Test]
    public void TheReportIsTheStateAtTheDivergingInstructionWithoutAHandledTrap()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-divergence-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(directory);
            string Build(string name, int value)
            {
                var source = Path.Combine(directory, name + ".S");
                File.WriteAllText(source, $$"""
                    .section .text.init
                    .globl _start
                    _start:
                        la t0, handler
                        csrw mtvec, t0
                        ecall
                        li a2, {{value}}
                        la t0, tohost
                        li t1, 1
                        sw t1, 0(t0)
                    1:  j 1b
                    .align 2
                    handler:
                        csrr t1, mepc
                        addi t1, t1, 4
                        csrw mepc, t1
                        mret
                    .data
                    .fill 4096, 4, 0x5a5a5a5a
                    .section .tohost, "aw", @progbits
                    .align 3
                    .globl tohost
                    tohost: .dword 0
                    """);
                return FirmwareTestSupport.Toolchain.Build(new BuildRequest([source], Path.Combine(directory, name + ".elf")) { IncludeRuntime = false }).ElfPath;
            }
            var rtl = Build("rtl", 5);
            var golden = Build("golden", 6);
            var result = SimRunner.Run(new SimOptions(rtl)
            {
                Cosim = true,
                MaxCycles = 10_000,
                GoldenImage = HwGen.Sim.Model.Elf.ElfImage.Load(golden, MemoryMap.Simulation),
                DivergenceWavePath = "",
            });

            Assert.That(result.Status, Is.EqualTo(SimStatus.Divergence));
            var report = result.Divergence!;
            Assert.Multiple(() =>
            {
                Assert.That(report.RtlHistory[^1].ToString(), Does.Contain("a2=0x00000005"), report.Describe());
                Assert.That(result.Instret, Is.EqualTo(2 + 1 + 4 + 1), "la, csrw, the handler's four, and the li itself; the ecall is a trap");
                Assert.That(result.Cycles, Is.EqualTo(report.Cycle));
                Assert.That(result.Cycles, Is.InRange(result.Instret + 2, result.Instret + 40), "counted from the first cycle, not from loading the 16 KiB");
                Assert.That(result.Trap, Is.Null, "the ecall was handled before the divergence");
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
