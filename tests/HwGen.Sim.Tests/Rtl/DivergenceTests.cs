using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Co-simulation finds a real difference: a core generated without the M extension traps on <c>mul</c>,
/// which the golden model (RV32IM) executes.
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
            var source = Path.Combine(directory, "mul.S");
            Directory.CreateDirectory(directory);
            File.WriteAllText(source, """
                .section .text.init
                .globl _start
                _start:
                    li a0, 6
                    li a1, 7
                    mul a2, a0, a1
                    la t0, tohost
                    li t1, 1
                    sw t1, 0(t0)
                1:  j 1b
                .section .tohost, "aw", @progbits
                .align 3
                .globl tohost
                tohost: .dword 0
                """);
            var elf = FirmwareTestSupport.Toolchain.Build(new BuildRequest([source], Path.Combine(directory, "mul.elf")) { IncludeRuntime = false }).ElfPath;
            var wave = Path.Combine(directory, "divergence.vcd");
            var result = SimRunner.Run(new SimOptions(elf)
            {
                Cosim = true,
                Core = CoreConfig.ForMemoryMap(MemoryMap.Simulation) with { WithM = false },
                MaxCycles = 10_000,
                DivergenceWavePath = wave,
            });

            Assert.That(result.Status, Is.EqualTo(SimStatus.Divergence));
            var report = result.Divergence!;
            Assert.Multiple(() =>
            {
                Assert.That(report.Order, Is.EqualTo(2), report.Describe());
                Assert.That(report.Difference.Field, Is.EqualTo("trap"), report.Describe());
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
}
