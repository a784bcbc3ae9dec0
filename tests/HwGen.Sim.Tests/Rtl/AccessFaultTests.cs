using System.Globalization;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Sim.Run;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>
/// Access faults from the buses' error responses, in lockstep, without and with wait states: loads and stores to
/// an address no region takes, a store to the read-only boot ROM, a byte store to a word-only device, a jump to a
/// region that is not executable and to one that does not exist. Each traps at the access's pc with the right
/// mcause and mtval, leaves its rd and memory unchanged, and the program goes on after the handler; a store behind
/// a trap (on the path the trap leaves) changes nothing.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AccessFaultTests
{
    /// <summary>The simulator's map with a boot ROM, whose words are all 0 (the golden model's ROM reads 0 too).</summary>
    private static readonly MemoryMap RomMap = MemoryMap.Simulation with { BootRomSize = 256 };

    /// <summary>The core starts in RAM, where the program is, not at the ROM's reset vector.</summary>
    private static readonly CoreConfig InRam = CoreConfig.ForMemoryMap(MemoryMap.Simulation);

    private static readonly SocParts Plain = new() { BootRom = new ulong[64] };
    private static readonly SocParts Slow = Plain with { WaitStates = new WaitStates(StallOneIn: 2, MaxResponseDelay: 3, Seed: 7) };

    private static string Hex(uint word) => string.Create(CultureInfo.InvariantCulture, $"0x{word:x8}");

    private const uint Unmapped = 0x3000_0000;

    /// <summary>
    /// The handler: s3 = mcause, s4 = mepc, s5 = mtval, s2 counts the traps; it returns past the instruction (two
    /// past an ecall, so the store behind it is skipped), and after a fetch fault to the address in s11.
    /// </summary>
    private const string Handler = """
            .balign 4
        80: csrr s3, mcause
            csrr s4, mepc
            csrr s5, mtval
            addi s2, s2, 1
            addi t5, s4, 4
            li t6, 11
            bne s3, t6, 81f
            addi t5, s4, 8
        81: li t6, 1
            bne s3, t6, 82f
            mv t5, s11
        82: csrw mepc, t5
            mret
            .balign 4
        70: .word 0
        """;

    [TestCase(false)]
    [TestCase(true)]
    public void ADataAccessNoRegionTakesTrapsWithMemoryAndRdUnchanged(bool waitStates)
    {
        var rom = RomMap.BootRom.Base;
        var clint = RomMap.Clint.AddressOf("MTIMECMP");
        var body = $"""
                la t3, 80f
                csrw mtvec, t3
                li s2, 0
                la s6, 70f
                li t4, 0x11111111
                sw t4, 0(s6)
                li s8, {Hex(Unmapped)}
                li s9, 0x22222222
                li s10, 0x55
            11: sw s9, 0(s8)
                mv a1, s3
                la t4, 11b
                sub a2, s4, t4
                mv a3, s5
            12: lw s10, 4(s8)
                mv a4, s3
                la t4, 12b
                sub a5, s4, t4
                mv a6, s5
                mv a7, s10
                li s8, {Hex(rom)}
            13: sw s9, 8(s8)
                mv gp, s3
                la t4, 13b
                sub tp, s4, t4
                mv sp, s5
                lw s0, 8(s8)
                li s8, {Hex(clint)}
            14: sb s9, 0(s8)
                mv s1, s3
                mv s7, s5
                ecall
                sw s9, 0(s6)
                lw s11, 0(s6)
            """;

        var run = MeasuringProgram.Run(body, ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "gp", "tp", "sp", "s0", "s1", "s7", "s11", "s2"],
            core: InRam, tail: Handler, map: RomMap, parts: waitStates ? Slow : Plain);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        Assert.That(run.Values, Is.EqualTo(new uint[]
        {
            7, 0, Unmapped,                 // the store to no region: store access fault at its pc, mtval its address
            5, 0, Unmapped + 4, 0x55,       // the load: load access fault, rd unchanged
            7, 0, rom + 8,                  // the store to the boot ROM
            0,                              // the ROM word is unchanged
            7, clint,                       // a byte store to a word-only device (the CLINT)
            0x11111111,                     // the store behind the ecall did not happen
            5,                              // four access faults and the ecall
        }), run.Describe);
    }

    [TestCase(false, 0x1000_0000u)]
    [TestCase(false, Unmapped)]
    [TestCase(true, 0x1000_0000u)]
    [TestCase(true, Unmapped)]
    public void AJumpWhereNothingIsExecutableTrapsWithAnInstructionAccessFault(bool waitStates, uint target)
    {
        var body = $"""
                la t3, 80f
                csrw mtvec, t3
                li s2, 0
                la s11, 21f
                li t4, {Hex(target)}
                li s10, 0x55
            20: jalr s10, 0(t4)
            21: la t4, 20b
                sub s10, s10, t4
            """;

        var run = MeasuringProgram.Run(body, ["s3", "s4", "s5", "s2", "s10"], core: InRam, tail: Handler, map: RomMap, parts: waitStates ? Slow : Plain);

        Assert.That(run.Result.Status, Is.EqualTo(SimStatus.Passed), run.Describe);
        // The jump itself retires (its link is pc + 4); the fetch at the target traps with mepc = mtval = the target.
        Assert.That(run.Values, Is.EqualTo(new uint[] { 1, target, target, 1, 4 }), run.Describe);
    }
}
