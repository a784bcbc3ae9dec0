using HwGen.Designs.Soc;
using HwGen.Sim.Cosim;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.RandomPrograms;
using HwGen.Sim.Verilator;
using NUnit.Framework;
using static HwGen.Sim.Tests.RandomPrograms.Rv32Encoder;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// The random co-simulation can fail: a random program whose RTL image differs from the golden model's in one
/// word (an instruction of the body, or a word of the data window) must give a divergence at that word.
/// </summary>
[TestFixture]
public sealed class LockstepSensitivityTests
{
    private static readonly int[] s_seeds = [1, 2, 3, 4, 5];

    [TestCaseSource(nameof(s_seeds))]
    public void AnInstructionChangedOnTheRtlSideOnlyDiverges(int seed)
    {
        var program = MachineCodeProgram.Generate(seed, MemoryMap.Simulation);
        // The body's first word runs exactly once; x31 = x31 ^ 0x555 there differs in the instruction and the result.
        uint address = program.BodyStart;
        var changed = program.WithWord(address, Immediate("xori", 31, 31, 0x555));

        var report = MismatchedLockstep.Run(changed.ToElfImage("changed.elf"), program.ToElfImage("original.elf"));

        Assert.That(report, Is.Not.Null, "the RTL ran a different instruction, yet lockstep found no divergence");
        Assert.Multiple(() =>
        {
            Assert.That(report!.RtlHistory[^1].PcRdata, Is.EqualTo(address), report.Describe);
            Assert.That(report.Difference.Field, Is.EqualTo("insn"), report.Describe);
        });
    }

    [TestCaseSource(nameof(s_seeds))]
    public void AWindowWordChangedOnTheRtlSideOnlyDivergesAtItsFirstLoad(int seed)
    {
        var program = MachineCodeProgram.Generate(seed, MemoryMap.Simulation);
        // A window word that the program loads before it stores to it (the epilogue loads every word, so there is one).
        uint address = FirstWordLoadedBeforeStored(program);
        var changed = program.WithWord(address, ~program.Word(address));

        var report = MismatchedLockstep.Run(changed.ToElfImage("changed.elf"), program.ToElfImage("original.elf"));

        Assert.That(report, Is.Not.Null, "the RTL's data differed, yet lockstep found no divergence");
        var record = report!.RtlHistory[^1];
        Assert.Multiple(() =>
        {
            Assert.That(record.MemAddr, Is.EqualTo(address), report.Describe);
            Assert.That(record.MemRmask, Is.Not.Zero, report.Describe);
            Assert.That(report.Difference.Field, Is.EqualTo("rd_wdata").Or.EqualTo("mem_rdata"), report.Describe);
        });
    }

    [Test]
    public void TheSameImageOnBothSidesDoesNotDiverge()
    {
        var program = MachineCodeProgram.Generate(1, MemoryMap.Simulation);

        var report = MismatchedLockstep.Run(program.ToElfImage(), program.ToElfImage());

        Assert.That(report, Is.Null, () => report!.Describe());
    }

    /// <summary>The window word whose first access, on the golden model, is a load.</summary>
    private static uint FirstWordLoadedBeforeStored(MachineCodeProgram program)
    {
        var iss = new Rv32Iss(program.Map);
        iss.Load(program.ToElfImage());
        var stored = new HashSet<uint>();
        for (int step = 0; step < 1_000_000 && !iss.Halted; step++)
        {
            iss.Step(out var record);
            bool inWindow = record.MemAddr - program.WindowStart < (uint)program.WindowBytes;
            if (inWindow && record.MemRmask != 0 && !stored.Contains(record.MemAddr))
                return record.MemAddr;
            if (inWindow && record.MemWmask != 0)
                stored.Add(record.MemAddr);
        }
        throw new InvalidOperationException($"seed {program.Seed}: no window word is loaded before it is stored to");
    }
}

/// <summary>
/// Lockstep co-simulation where the RTL and the golden model are given different images (which
/// <see cref="SimMachine.Run"/> never does), to show that the comparison notices.
/// </summary>
internal static class MismatchedLockstep
{
    /// <summary>The first divergence, or null when the RTL reached <c>tohost</c> (or the cycle limit) in step with the model.</summary>
    public static DivergenceReport? Run(ElfImage rtlImage, ElfImage goldenImage, ulong maxCycles = 1_000_000) =>
        SimMachine.Get(MemoryMap.Simulation).Run(rtlImage, new SimOptions(rtlImage.Path)
        {
            Cosim = true,
            GoldenImage = goldenImage,
            MaxCycles = maxCycles,
            DivergenceWavePath = "",
        }).Divergence;
}
