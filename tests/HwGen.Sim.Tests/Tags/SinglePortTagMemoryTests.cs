using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Model;
using HwGen.Sim.Tests.Pex;
using NUnit.Framework;
using static HwGen.Sim.Tests.Policy.PolicyPrograms;

namespace HwGen.Sim.Tests.Tags;

/// <summary>
/// The tagged SoC with the board's tag memory, one port arbitrated between the CI read, the data read, the store's
/// write, the PEX and the loader (<see cref="TagMemoryKind.SinglePort"/>), in lockstep with the golden model under the
/// composite policy: the policy programs deny what they should at the same pc and run their allowed neighbours, and
/// an application runs to its end. A fetch read lost without the pipeline waiting would give an instruction a wrong
/// CI tag (no Code: denied under nxd-nwc), a lost data read or write a wrong memory tag: the lockstep finds either.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SinglePortTagMemoryTests
{
    private const string All = "nxd-nwc+taint+heap+ret+cfi";

    private static SimOptions Options(string elfPath, string spec, TagMemoryKind memory) =>
        TaggedSimTests.Options(elfPath, spec) with
        {
            Core = CoreConfig.ForMemoryMap(Map) with { Tags = TagConfig.ForMemoryMap(Map) with { Memory = memory } },
        };

    /// <summary>
    /// The instruction right behind a load or store (it is in decode while they take the port) is the one tagged 9,
    /// which the PEX (tests/pex/serve.S) denies: its CI tag must be its own, not the one the port gave last.
    /// </summary>
    [TestCase("lw t1, 0(a2)")]
    [TestCase("sw t1, 0(a2)")]
    [TestCase("lw t1, 0(a2); lw t1, 4(a2)")]
    [TestCase("sw t1, 0(a2); sw t1, 4(a2)")]
    [TestCase("sw t1, 0(a2); lw t1, 0(a2)")]
    public void TheInstructionBehindALoadOrStoreHasItsOwnCiTag(string before)
    {
        string program = $$"""
                la t0, handler
                csrw mtvec, t0
                la a2, words
                li a1, 0
                li t1, 5
                {{before.Replace("; ", "\n    ")}}
            forbidden:
                addi a1, zero, 1
                EXIT 2
            handler:
                csrr t0, mcause
                li t1, 24
                bne t0, t1, 1f
                csrr t0, mepc
                la t1, forbidden
                bne t0, t1, 1f
                bnez a1, 1f
                EXIT 0
            1:  EXIT 1
                .balign 4
            words:
                .word 0, 0
            """;
        var map = MemoryMap.Ice40Up5k;
        var elf = TestPrograms.Assemble(program);
        Assert.That(ElfImage.Load(elf, map).TryGetSymbol("forbidden", out uint forbidden));
        var result = SimRunner.Run(new SimOptions(elf)
        {
            Map = map,
            Core = CoreConfig.ForMemoryMap(map) with { Tags = TagConfig.ForMemoryMap(map) with { Memory = TagMemoryKind.SinglePort } },
            PexImage = PexPrograms.Build("serve.S"),
            TagImage = [(forbidden, 9)],
            MaxCycles = 100_000,
        });
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, "exit code 1: a wrong trap; 2: the instruction tagged 9 was not denied");
            Assert.That(result.Violations, Has.Count.EqualTo(1));
            Assert.That(result.Violations[0].Pc, Is.EqualTo(forbidden));
        });
    }

    /// <summary>
    /// A multiplication or division right behind a store into the tagged memory: while the store is at the commit point
    /// the port is kept for its write and decode waits, so the multiplication or division goes to execute first as a
    /// bubble; that bubble still reads the rule cache and the store's flags move on with it, or the port stays reserved
    /// for a store long gone and the program never ends.
    /// </summary>
    [TestCase("sw t1, 0(a2)", "divu a3, a4, a5")]
    [TestCase("sw t1, 0(a2)", "mul a3, a4, a5")]
    [TestCase("sw t1, 0(a2); sw t1, 4(a2)", "remu a3, a4, a5")]
    public void AMultiplicationOrDivisionBehindAStoreMovesOn(string stores, string unit)
    {
        string program = $$"""
                la a2, words
                li a1, 0
                li t0, 4
                li a4, 100
                li a5, 7
            1:  addi t1, t0, 1
                {{stores.Replace("; ", "\n    ")}}
                {{unit}}
                add a1, a1, a3
                addi t0, t0, -1
                bnez t0, 1b
                lw t1, 0(a2)
                add a1, a1, t1
                li a0, {{ExpectedSum(unit)}}
                bne a0, a1, 2f
                EXIT 0
            2:  EXIT 1
                .balign 4
            words:
                .word 0, 0
            """;
        var map = MemoryMap.Ice40Up5k;
        var result = SimRunner.Run(new SimOptions(TestPrograms.Assemble(program))
        {
            Map = map,
            Core = CoreConfig.ForMemoryMap(map) with { Tags = TagConfig.ForMemoryMap(map) with { Memory = TagMemoryKind.SinglePort } },
            PexImage = PexPrograms.Build("serve.S"),
            MaxCycles = 100_000,
        });
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => $"{result.Status}, exit code {result.ExitCode} (1: a wrong result)");
    }

    /// <summary>What a1 holds at the end of <see cref="AMultiplicationOrDivisionBehindAStoreMovesOn"/>: four results and the last word stored (2).</summary>
    private static int ExpectedSum(string unit) => 4 * (unit.StartsWith("mul", StringComparison.Ordinal) ? 700 : unit.StartsWith("divu", StringComparison.Ordinal) ? 14 : 2) + 2;

    [TestCase("nwc_store_to_code", "nxd-nwc", "write to code")]
    [TestCase("taint_address", "taint", "tainted address")]
    [TestCase("heap_use_after_free", "heap", "pointer colour does not match")]
    [TestCase("ret_overwritten", "ret", "return to a non-return address")]
    [TestCase("cfi_jump_out", "cfi", "indirect jump out of its function")]
    public void TheForbiddenInstructionIsDeniedAtItsPcInLockstep(string file, string policy, string reason)
    {
        var image = Build(file, forbidden: true);
        var result = SimRunner.Run(Options(image.Path, All, TagMemoryKind.SinglePort));

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SimStatus.Violation), result.Uart);
            Assert.That(result.Violations, Has.Count.GreaterThanOrEqualTo(1));
            Assert.That(result.Violations[0].Pc, Is.EqualTo(Symbol(image, "forbidden")), $"0x{result.Violations[0].Pc:x8}");
            Assert.That(result.Violations[0].Policy, Is.EqualTo(policy));
            Assert.That(result.Violations[0].Reason, Is.EqualTo(reason));
        });
    }

    [TestCase("nwc_store_to_code")]
    [TestCase("heap_overflow")]
    [TestCase("heap_refused")]
    [TestCase("ret_way_forwarding")]
    [TestCase("cfi_call_non_entry")]
    public void TheAllowedNeighbourRunsInLockstep(string file)
    {
        var image = Build(file, forbidden: false);
        var result = SimRunner.Run(Options(image.Path, All, TagMemoryKind.SinglePort));

        Assert.That(result.Divergence, Is.Null, () => result.Divergence!.Describe());
        Assert.That(result.Status, Is.EqualTo(SimStatus.Passed), () => $"{result.Uart} {string.Join("; ", result.Violations)}");
        Assert.That(result.Violations, Is.Empty);
    }

    /// <summary>
    /// Applications under the composite of the policies they keep (the unikernel's hello returns through addresses
    /// <c>ret</c> does not know): hello, with its threads and timer, prints what it prints with a read port per reader
    /// (its timer interrupts make the instruction counts differ, and its sleeps its cycle counts); bench, which
    /// computes without sleeping, pays cycles for the single port (a load waits one, a store into the tagged memory
    /// two), but not twice as many.
    /// </summary>
    [Test]
    public void AnApplicationRunsInLockstepAndPaysForTheSharedPort()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hwgen-single-port-tags-" + Guid.NewGuid().ToString("N"));
        try
        {
            var build = UnikernelBuilder.Build(new UnikernelBuildOptions("hello", folder));
            var bench = UnikernelBuilder.Build(new UnikernelBuildOptions("bench", folder));
            const string spec = "nxd-nwc+taint+heap+cfi";
            var single = SimRunner.Run(Options(build.ElfPath, spec, TagMemoryKind.SinglePort));
            var multi = SimRunner.Run(Options(build.ElfPath, spec, TagMemoryKind.MultiPort));
            var benchSingle = SimRunner.Run(Options(bench.ElfPath, spec, TagMemoryKind.SinglePort));
            var benchMulti = SimRunner.Run(Options(bench.ElfPath, spec, TagMemoryKind.MultiPort));

            Assert.That(single.Divergence, Is.Null, () => single.Divergence!.Describe());
            Assert.That(benchSingle.Divergence, Is.Null, () => benchSingle.Divergence!.Describe());
            Assert.Multiple(() =>
            {
                Assert.That(single.Status, Is.EqualTo(SimStatus.Passed), () => $"{single.Uart} {string.Join("; ", single.Violations)}");
                Assert.That(single.Uart, Is.EqualTo(multi.Uart));
                Assert.That(benchSingle.Status, Is.EqualTo(SimStatus.Passed), () => $"{benchSingle.Uart} {string.Join("; ", benchSingle.Violations)}");
                Assert.That(benchMulti.Status, Is.EqualTo(SimStatus.Passed), () => $"{benchMulti.Uart} {string.Join("; ", benchMulti.Violations)}");
                Assert.That(benchSingle.Cycles, Is.GreaterThan(benchMulti.Cycles), "loads and stores wait for the port");
                Assert.That(benchSingle.Cycles, Is.LessThan(2 * benchMulti.Cycles));
            });
            TestContext.Progress.WriteLine($"bench under {spec}: {benchMulti.Cycles} cycles with a read port per reader, {benchSingle.Cycles} with one port ({benchSingle.Instret} instructions)");
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
