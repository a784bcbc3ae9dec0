using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>A program assembled for a memory map: its words from the RAM base up, and its disassembly.</summary>
internal sealed record RiscvImage(uint[] Words, string Listing);

/// <summary>The external tools of the core's tests, and assembling small RV32 programs with the RISC-V GCC.</summary>
internal static class RiscvTools
{
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Fails the calling test, with the command that installs them, when tools it needs are missing.</summary>
    public static void Require(params ExternalTool[] tools)
    {
        var missing = tools.Where(t => !t.IsInstalled).ToArray();
        if (missing.Length > 0)
        {
            Assert.Fail($"{string.Join(", ", missing.Select(t => t.Command))} not installed; install with: " +
                ExternalTools.InstallCommand(ExternalTools.MissingPackages(missing)));
        }
    }

    /// <summary>
    /// Assembles <paramref name="source"/> (GNU assembler syntax, C preprocessor allowed) linked at the RAM base of
    /// <paramref name="map"/>; the program must define <c>_start</c>, first in <c>.text</c>.
    /// </summary>
    public static RiscvImage Assemble(string source, MemoryMap map, string directory)
    {
        Require(ExternalTools.RiscvGcc);
        var gcc = ExternalTools.RiscvGcc.Locate()!;
        var prefix = gcc[..^"gcc".Length];
        File.WriteAllText(Path.Combine(directory, "program.S"), source);
        Run(gcc, ["-march=rv32im_zicsr_zifencei", "-mabi=ilp32", "-nostdlib", "-nostartfiles", "-static",
            string.Create(CultureInfo.InvariantCulture, $"-Wl,-Ttext=0x{map.RamBase:x8}"), "-Wl,--no-relax", "-o", "program.elf", "program.S"], directory);
        Run(prefix + "objcopy", ["-O", "binary", "program.elf", "program.bin"], directory);
        var listing = Run(prefix + "objdump", ["-d", "program.elf"], directory);

        var bytes = File.ReadAllBytes(Path.Combine(directory, "program.bin"));
        var words = new uint[(bytes.Length + 3) / 4];
        Array.Resize(ref bytes, words.Length * 4);
        for (int i = 0; i < words.Length; i++)
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        return new RiscvImage(words, listing);
    }

    private static string Run(string executable, string[] arguments, string directory)
    {
        var result = ProcessRunner.Run(executable, arguments, directory, s_toolTimeout);
        if (!result.Succeeded)
            Assert.Fail($"{Path.GetFileName(executable)} {string.Join(' ', arguments)} failed (exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}):\n{result.Output}");
        return result.Stdout;
    }
}
