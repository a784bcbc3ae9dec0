using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Run;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Rtl;

/// <summary>A run of a <see cref="MeasuringProgram"/>: the simulation's outcome, the words the program reported, its listing.</summary>
internal sealed record MeasuredRun(SimResult Result, string Elf, IReadOnlyList<uint> Values, string? Listing)
{
    /// <summary>The outcome, the reported words and the program's listing.</summary>
    public string Describe()
    {
        var values = string.Join(", ", Values.Select(v => string.Create(CultureInfo.InvariantCulture, $"0x{v:x8} ({v})")));
        return RtlRun.Describe(Result, Elf) + "\nreported: " + values + (Listing is null ? "" : "\n" + Listing);
    }
}

/// <summary>
/// Assembly programs that measure themselves: a body run from the reset vector with nothing before it, then the
/// words in the registers it names sent to the UART (four bytes each, least significant first), then the end
/// through <c>tohost</c>. The body owns every register and every cycle; it must not use <c>ra</c>, <c>a0</c> or
/// <c>t0</c>-<c>t2</c> for values it reports (the report routine uses them). The RTL runs in lockstep with the
/// golden model. The build folder is kept only after a divergence (with its waveform) or a timeout.
/// </summary>
internal static class MeasuringProgram
{
    private const string Frame = """
        #include "hwgen_soc.h"
            .option arch, +zifencei
            .section .text.init, "ax", @progbits
            .globl _start
        _start:
        #body
        #report
            la t1, tohost
            li t0, 1
            sw zero, 4(t1)
            sw t0, 0(t1)
        1:  j 1b

        /* a0: a word, sent to the UART as four bytes, least significant first. Clobbers a0, t0-t2. */
        report_word:
            li t2, 4
        1:  li t0, HWGEN_UART_STATUS
        2:  lw t1, 0(t0)
            andi t1, t1, HWGEN_UART_STATUS_TX_READY
            beqz t1, 2b
            li t0, HWGEN_UART_DATA
            sw a0, 0(t0)
            srli a0, a0, 8
            addi t2, t2, -1
            bnez t2, 1b
            ret
        """;

    /// <summary>
    /// Builds <paramref name="body"/> (and <paramref name="tail"/>, code or data placed after the frame's code), runs it
    /// on the core configured by <paramref name="core"/> (the default core when null) in lockstep, and returns the
    /// values of <paramref name="reported"/> at the end of the body. <paramref name="map"/> and <paramref name="parts"/>
    /// give another SoC than the simulator's default.
    /// </summary>
    public static MeasuredRun Run(string body, IReadOnlyList<string> reported, CoreConfig? core = null, string tail = "",
        MemoryMap? map = null, SocParts? parts = null)
    {
        map ??= MemoryMap.Simulation;
        var report = string.Concat(reported.Select(r => $"    mv a0, {r}\n    jal ra, report_word\n"));
        var source = Frame.Replace("#body", body, StringComparison.Ordinal).Replace("#report", report, StringComparison.Ordinal) + "\n" + tail + "\n";
        var directory = Path.Combine(Path.GetTempPath(), "hwgen-measuring-programs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "program.S");
        File.WriteAllText(path, source);
        var elf = FirmwareTestSupport.Toolchain.Build(new BuildRequest([path], Path.Combine(directory, "program.elf"))
        {
            MemoryMap = map,
            IncludeRuntime = false,
        }).ElfPath;
        var result = SimRunner.Run(new SimOptions(elf)
        {
            Cosim = true,
            Core = core,
            Map = map,
            Parts = parts,
            MaxCycles = 1_000_000,
            Progress = TestContext.Progress.WriteLine,
        });
        var bytes = Encoding.Latin1.GetBytes(result.Uart);
        var values = new uint[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4 * i));
        var listing = FirmwareTestSupport.Toolchain.Disassemble(elf);
        if (result.Divergence is null && result.Status is SimStatus.Passed or SimStatus.Failed)
            Directory.Delete(directory, recursive: true);
        return new MeasuredRun(result, elf, values, listing);
    }
}
