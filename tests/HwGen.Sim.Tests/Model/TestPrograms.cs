using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HwGen.Designs.Soc;
using HwGen.Gen.Tools;
using HwGen.Sim.Model;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>
/// Builds small RV32 test programs with the Debian RISC-V GCC into a temporary directory (one per
/// test run, cached by source text). Every program gets a prelude with the memory map's addresses
/// as assembler symbols and macros to end the program through <c>tohost</c>.
/// </summary>
internal static class TestPrograms
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, string> s_cache = new(StringComparer.Ordinal);
    private static string? s_directory;

    public static MemoryMap Map => MemoryMap.Simulation;

    /// <summary>The directory this run builds in (removed when the run ends, see <see cref="ModelTestsCleanup"/>).</summary>
    public static string Directory
    {
        get
        {
            lock (s_lock)
                return s_directory ??= System.IO.Directory.CreateTempSubdirectory("hwgen-iss-tests-").FullName;
        }
    }

    internal static void DeleteDirectory()
    {
        lock (s_lock)
        {
            if (s_directory is not null && System.IO.Directory.Exists(s_directory))
                System.IO.Directory.Delete(s_directory, recursive: true);
            s_directory = null;
            s_cache.Clear();
        }
    }

    public static string Gcc
    {
        get
        {
            var gcc = ExternalTools.RiscvGcc.Locate();
            if (gcc is null)
                Assert.Fail($"{ExternalTools.RiscvGcc.Command} is not installed: {ExternalTools.InstallCommand([ExternalTools.RiscvGcc.DebianPackage])}");
            return gcc!;
        }
    }

    /// <summary>Assembler symbols for the memory map, and the EXIT macro.</summary>
    public static string Prelude => string.Create(CultureInfo.InvariantCulture, $"""
        .equ RAM_BASE, 0x{Map.RamBase:x}
        .equ RAM_SIZE, 0x{Map.RamSize:x}
        .equ UART_DATA, 0x{Map.UartData:x}
        .equ UART_STATUS, 0x{Map.UartStatus:x}
        .equ MTIME, 0x{Map.Mtime:x}
        .equ MTIMECMP, 0x{Map.Mtimecmp:x}
        .equ GPIO_BASE, 0x{Map.GpioBase:x}
        .equ PEXCALL_BASE, 0x{Map.PexCallBase:x}
        .equ CLINT_BASE, 0x{Map.ClintBase:x}
        .macro EXIT code
            li t6, ((\code) << 1) | 1
            la t5, tohost
            sw t6, 0(t5)
        99: j 99b
        .endm

        """);

    /// <summary>
    /// Assembles <paramref name="body"/> (GNU as syntax, <c>_start</c> is its first line, at the RAM
    /// base) with a <c>tohost</c> word, and returns the ELF's path.
    /// </summary>
    public static string Assemble(string body, bool withTohost = true)
    {
        var source = new StringBuilder(Prelude);
        source.AppendLine("    .text");
        source.AppendLine("    .globl _start");
        source.AppendLine("_start:");
        source.AppendLine(body);
        if (withTohost)
        {
            source.AppendLine("    .data");
            source.AppendLine("    .balign 8");
            source.AppendLine("    .globl tohost");
            source.AppendLine("tohost: .word 0, 0");
        }
        return Build(source.ToString(), ".S", []);
    }

    /// <summary>Compiles a C or assembly file with extra GCC arguments and returns the ELF's path.</summary>
    public static string Build(string source, string extension, IReadOnlyList<string> extraArguments, string? linkAddress = null)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source + extension + string.Join(' ', extraArguments) + linkAddress)))[..16];
        lock (s_lock)
        {
            if (s_cache.TryGetValue(key, out var cached))
                return cached;
        }
        string dir = Directory;
        string input = Path.Combine(dir, key + extension);
        string output = Path.Combine(dir, key + ".elf");
        File.WriteAllText(input, source);
        string address = linkAddress ?? $"0x{Map.RamBase:x}";
        string script = Path.Combine(dir, $"link-{address}.ld");
        File.WriteAllText(script, $$"""
            ENTRY(_start)
            SECTIONS
            {
                . = {{address}};
                .text : { *(.text.start) *(.text .text.*) }
                .rodata : { *(.rodata .rodata.* .srodata .srodata.*) }
                .data : ALIGN(8) { *(.data .data.* .sdata .sdata.*) }
                .bss : ALIGN(8) { *(.sbss .sbss.* .bss .bss.* COMMON) }
            }
            """);
        var args = new List<string>
        {
            "-march=rv32im_zicsr", "-mabi=ilp32", "-nostdlib", "-nostartfiles", "-T", script,
            // No crt0 sets gp, so the linker must not relax accesses into gp-relative ones.
            "-mno-relax", "-Wl,--no-relax",
        };
        args.AddRange(extraArguments);
        args.AddRange(["-o", output, input]);
        var result = ProcessRunner.Run(Gcc, args, workingDirectory: dir, timeout: TimeSpan.FromMinutes(1));
        if (!result.Succeeded)
            Assert.Fail($"riscv64-unknown-elf-gcc failed on {input}:\n{result.Output}");
        lock (s_lock)
            s_cache[key] = output;
        return output;
    }

    /// <summary>Assembles <paramref name="body"/> and returns a simulator with it loaded.</summary>
    public static Rv32Iss Load(string body, IssOptions? options = null)
    {
        var image = ElfImage.Load(Assemble(body), Map);
        var iss = new Rv32Iss(Map, options);
        iss.Load(image);
        return iss;
    }

    /// <summary>Runs <paramref name="body"/> to its end and checks that it halted through tohost.</summary>
    public static Rv32Iss RunToHalt(string body, long limit = 100_000)
    {
        var iss = Load(body);
        var result = iss.Run(limit);
        Assert.That(result.Status, Is.Not.EqualTo(IssStatus.Timeout), $"the program did not halt within {limit} instructions (pc 0x{iss.Pc:x8})");
        return iss;
    }

    /// <summary>Steps until a record satisfies <paramref name="predicate"/>, or fails after <paramref name="limit"/> steps.</summary>
    public static RetireRecord StepUntil(Rv32Iss iss, Func<RetireRecord, bool> predicate, int limit = 10_000)
    {
        for (int i = 0; i < limit && !iss.Halted; i++)
        {
            iss.Step(out var record);
            if (predicate(record))
                return record;
        }
        Assert.Fail($"no matching record within {limit} steps (pc 0x{iss.Pc:x8})");
        return default;
    }
}

/// <summary>Removes the programs built by <see cref="TestPrograms"/> when the model tests end.</summary>
[SetUpFixture]
public sealed class ModelTestsCleanup
{
    [OneTimeTearDown]
    public void DeleteBuiltPrograms() => TestPrograms.DeleteDirectory();
}
