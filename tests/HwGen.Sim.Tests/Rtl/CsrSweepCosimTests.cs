using System.Globalization;
using System.Text;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Model;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Every one of the 4,096 CSR addresses, read and written, on each CSR configuration of the cores, in lockstep with the
/// golden model configured the same (<see cref="CoreConfig.Csrs"/>, <see cref="CoreConfig.Counters"/>): an address is
/// illegal in both or in neither, and a write to one register changes no other. The program counts the
/// illegal-instruction traps and ends with the count less the number the golden model's definition expects, so a set
/// wrong in both models fails too.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class CsrSweepCosimTests
{
    private static readonly CoreConfig s_multiCycle = MultiCycleCoreCosimTests.Small;

    /// <summary>The configurations: a name, the core, and the golden model's options that match it.</summary>
    private static readonly (string Name, CoreConfig Core, IssOptions Options)[] s_settings =
    [
        ("pipelined", CoreConfig.ForMemoryMap(MemoryMap.Simulation), new IssOptions()),
        ("multi-cycle", s_multiCycle, new IssOptions { WithM = false }),
        ("multi-cycle without counters", s_multiCycle with { Counters = false }, new IssOptions { WithM = false, Counters = false }),
        ("multi-cycle trap-only", s_multiCycle with { Counters = false, Csrs = CsrSet.TrapOnly }, new IssOptions { WithM = false, Counters = false, Csrs = CsrSet.TrapOnly }),
    ];

    public static IEnumerable<TestCaseData> Settings() =>
        s_settings.Select((s, i) => new TestCaseData(i).SetName($"EveryCsrAddressAgrees({s.Name})"));

    [TestCaseSource(nameof(Settings))]
    public void EveryCsrAddressAgrees(int setting)
    {
        var (name, core, options) = s_settings[setting];
        var source = Path.Combine(Path.GetTempPath(), "hwgen-rtl-tests", $"csr_sweep_{Guid.NewGuid():N}.S");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllText(source, Program(options, out int expected));
        try
        {
            var (result, elf) = RtlRun.BuildAndCosim([source], includeRuntime: false, core: core, maxCycles: 3_000_000);
            Assert.That(result.Status, Is.EqualTo(SimStatus.Passed),
                () => $"{name}: {expected} illegal accesses expected, the program's count less that is the exit code\n" + RtlRun.Describe(result, elf));
        }
        finally
        {
            File.Delete(source);
        }
    }

    [Test]
    public void TheTrapOnlyHartHasTheFourTrapRegistersAlone()
    {
        var options = new IssOptions { Counters = false, Csrs = CsrSet.TrapOnly };
        var legal = Enumerable.Range(0, 4096).Where(a => Csr.IsImplemented((uint)a, options)).ToArray();
        var rtl = ControlStatusRegisters.ImplementedBy(s_multiCycle with { Counters = false, Csrs = CsrSet.TrapOnly });
        Assert.Multiple(() =>
        {
            Assert.That(legal.Select(a => Csr.Name((uint)a)), Is.EqualTo(new[] { "mtvec", "mepc", "mcause", "mtval" }));
            Assert.That(rtl, Is.EquivalentTo(legal));
            Assert.That(Csr.McauseMask(options), Is.EqualTo(ControlStatusRegisters.McauseBits(CsrSet.TrapOnly, tagged: false)));
        });
    }

    [Test]
    public void TheGoldenModelKeepsTheMcauseBitsOfTheCoresCsrUnit()
    {
        Assert.Multiple(() =>
        {
            // The full set keeps a tagged core's codes whether the core is tagged or not: the golden model does not know.
            Assert.That(Csr.McauseMask(new IssOptions()), Is.EqualTo(0x8000_001Fu));
            Assert.That(ControlStatusRegisters.McauseBits(CsrSet.Full, tagged: false), Is.EqualTo(0x8000_001Fu));
            Assert.That(ControlStatusRegisters.McauseBits(CsrSet.Full, tagged: true), Is.EqualTo(0x8000_001Fu));
            Assert.That(Csr.McauseMask(new IssOptions { Counters = false, Csrs = CsrSet.TrapOnly }), Is.EqualTo(0x8000_000Fu));
        });
    }

    /// <summary>
    /// The sweep: every address read (<c>csrrs rd, csr, x0</c>, which writes nothing); written in ascending order, each
    /// with a value of its own (mtvec with the handler's address), then every address read; written in descending
    /// order, then read again. A write that also changed another register shows in a later read of that register
    /// in one of the two orders. The handler counts the traps in s2 and skips the instruction.
    /// </summary>
    private static string Program(IssOptions options, out int expected)
    {
        int reads = Enumerable.Range(0, 4096).Count(a => !Csr.IsImplemented((uint)a, options));
        int writes = Enumerable.Range(0, 4096).Count(a => !Csr.IsImplemented((uint)a, options) || Csr.IsReadOnly((uint)a));
        expected = 3 * reads + 2 * writes;
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        void ReadAll()
        {
            for (int a = 0; a < 4096; a++)
                Line(string.Create(CultureInfo.InvariantCulture, $"    csrrs t1, 0x{a:x3}, x0"));
        }
        void Write(int a)
        {
            if (a == Csr.Mtvec)
            {
                Line("    la t2, handler");
            }
            else
            {
                uint value = (uint)a * 0x0001_0001u ^ 0xA5C3_0F78u;
                Line(string.Create(CultureInfo.InvariantCulture, $"    li t2, 0x{value:x8}"));
            }
            Line(string.Create(CultureInfo.InvariantCulture, $"    csrrw x0, 0x{a:x3}, t2"));
        }

        Line("    .section .text.init, \"ax\", @progbits");
        Line("    .globl _start");
        Line("_start:");
        Line("    la t0, handler");
        Line("    csrw mtvec, t0");
        Line("    li s2, 0");
        ReadAll();
        for (int a = 0; a < 4096; a++)
            Write(a);
        ReadAll();
        for (int a = 4095; a >= 0; a--)
            Write(a);
        ReadAll();
        Line(string.Create(CultureInfo.InvariantCulture, $"    li t0, {expected}"));
        Line("    sub a0, s2, t0");
        Line("    slli a0, a0, 1");
        Line("    ori a0, a0, 1");
        Line("    la t0, tohost");
        Line("    sw zero, 4(t0)");
        Line("    sw a0, 0(t0)");
        Line("1:  j 1b");
        Line("    .balign 4");
        Line("handler:");
        Line("    addi s2, s2, 1");
        Line("    csrr t3, mepc");
        Line("    addi t3, t3, 4");
        Line("    csrw mepc, t3");
        Line("    mret");
        return text.ToString();
    }
}
