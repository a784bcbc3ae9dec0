using System.Text;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Sim.Model;
using HwGen.Sim.Tests.Isa;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Programs;

/// <summary>The bare-metal runtime (crt0.S, console.c) and the firmware builder, through small C programs.</summary>
[TestFixture]
public sealed class RuntimeTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "hwgen-firmware-tests", "runtime-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void TheReturnValueOfMainIsTheExitCode()
    {
        var run = RunC("int main(void) { return 42; }\n");

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Failed), run.Describe);
            Assert.That(run.Result.ExitCode, Is.EqualTo(42), run.Describe);
        });
    }

    [Test]
    public void BssIsZeroedAndDataIsInitialised()
    {
        var run = RunC("""
            #include <stdint.h>
            static volatile uint32_t zeroes[300];
            static volatile uint32_t small_zero;
            static volatile uint32_t initialised[3] = { 7, 8, 9 };
            int main(void)
            {
                for (int i = 0; i < 300; i++)
                    if (zeroes[i] != 0)
                        return 1;
                if (small_zero != 0)
                    return 2;
                if (initialised[0] + initialised[1] + initialised[2] != 24)
                    return 3;
                return 0;
            }
            """);

        Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
    }

    [Test]
    public void ConsolePrintsNumbersAndStrings()
    {
        var run = RunC("""
            #include "console.h"
            int main(void)
            {
                print_dec(-2147483647 - 1); putchar(' ');
                print_dec(0); putchar(' ');
                print_dec(1234); putchar(' ');
                print_udec(4294967295u); putchar(' ');
                print_hex(0xdeadbeef); putchar(' ');
                print_str("no newline");
                puts("!");
                return 0;
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
            Assert.That(run.Result.UartOutput, Is.EqualTo("-2147483648 0 1234 4294967295 0xdeadbeef no newline!\n"), run.Describe);
        });
    }

    [Test]
    public void ConsoleReadsTheUart()
    {
        var run = RunC("""
            #include "console.h"
            int main(void)
            {
                int c;
                while ((c = getchar()) != '\n')
                    putchar(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
                putchar('\n');
                return console_try_getchar() == -1 ? 0 : 1;
            }
            """, uartInput: Encoding.ASCII.GetBytes("hello, uart\n"));

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
            Assert.That(run.Result.UartOutput, Is.EqualTo("HELLO, UART\n"), run.Describe);
        });
    }

    [Test]
    public void AnUnexpectedTrapEndsTheProgramWithItsCause()
    {
        var run = RunC("""
            int main(void)
            {
                __asm__ volatile ("ebreak");
                return 0;
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Failed), run.Describe);
            Assert.That(run.Result.ExitCode, Is.EqualTo(0x100 | 3), run.Describe);
            Assert.That(run.Result.UartOutput, Does.Contain("unexpected trap: mcause 0x00000003"), run.Describe);
        });
    }

    [Test]
    public void RunsWithTheIce40MemoryMap()
    {
        var run = FirmwareTestSupport.BuildAndRun(
            [FirmwareTestSupport.InRepository("tests/programs/hello.c")], includeRuntime: true, maxInstructions: 100_000,
            map: MemoryMap.Ice40Up5k);

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(IssStatus.Passed), run.Describe);
            Assert.That(run.Result.UartOutput, Is.EqualTo("Hello from HwGen!\n"), run.Describe);
            Assert.That(LinkerScript.Render(MemoryMap.Ice40Up5k), Does.Contain("LENGTH = 0x00010000"));
        });
    }

    [Test]
    public void ACompileErrorNamesTheFileAndLine()
    {
        var source = Write("broken.c", "int main(void)\n{\n    return undeclared_name;\n}\n");

        var error = Assert.Throws<FirmwareBuildException>(() => FirmwareTestSupport.Toolchain.Build(
            new BuildRequest([source], Path.Combine(_directory, "broken.elf"))));

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("broken.c:3:"));
            Assert.That(error.Message, Does.Contain("undeclared_name"));
            Assert.That(error.Diagnostics, Has.Some.Contains("broken.c:3:"));
            Assert.That(File.Exists(Path.Combine(_directory, "broken.elf")), Is.False);
        });
    }

    [Test]
    public void AnAssemblerErrorNamesTheFileAndLine()
    {
        var source = Write("broken.S", "    .text\n    .globl main\nmain:\n    addi a0, a0, 5000\n    ret\n");

        var error = Assert.Throws<FirmwareBuildException>(() => FirmwareTestSupport.Toolchain.Build(
            new BuildRequest([source], Path.Combine(_directory, "broken.elf"))));

        Assert.That(error.Message, Does.Contain("broken.S:4:"));
    }

    [Test]
    public void AMissingSourceIsNamed()
    {
        var missing = Path.Combine(_directory, "absent.c");

        var error = Assert.Throws<ArgumentException>(() => FirmwareTestSupport.Toolchain.Build(
            new BuildRequest([missing], Path.Combine(_directory, "absent.elf"))));

        Assert.That(error.Message, Does.Contain(missing));
    }

    [Test]
    public void GeneratedFilesFollowTheMemoryMap()
    {
        var map = new MemoryMap(RamBase: 0x4000_0000, RamSize: 128u << 10) { UartBase = 0x3000_0000, ClintBase = 0x0300_0000 };

        var header = SocHeader.Render(map);
        var script = LinkerScript.Render(map);

        Assert.Multiple(() =>
        {
            Assert.That(header, Does.Contain("#define HWGEN_RAM_BASE 0x40000000"));
            Assert.That(header, Does.Contain("#define HWGEN_RAM_SIZE 0x00020000"));
            Assert.That(header, Does.Contain("#define HWGEN_UART_DATA 0x30000000"));
            Assert.That(header, Does.Contain("#define HWGEN_UART_STATUS 0x30000004"));
            Assert.That(header, Does.Contain("#define HWGEN_CLINT_MTIME 0x0300BFF8"));
            Assert.That(header, Does.Contain("#define HWGEN_CLINT_MTIMECMP 0x03004000"));
            Assert.That(header, Does.Contain("#define HWGEN_GPIO_BASE 0x10001000"));
            Assert.That(header, Does.Contain("#define HWGEN_PEXCALL_BASE 0x20000000"));
            Assert.That(header, Does.Contain("generated from the C# SoC description").IgnoreCase);
            Assert.That(script, Does.Contain("RAM (rwx) : ORIGIN = 0x40000000, LENGTH = 0x00020000"));
            Assert.That(script, Does.Contain("ENTRY(_start)"));
            Assert.That(script, Does.Contain("__stack_top = ORIGIN(RAM) + LENGTH(RAM)"));
            Assert.That(SocHeader.UnmappedAddress(map), Is.Zero);
        });
    }

    [Test]
    public void TheUnmappedAddressSkipsARegionAtZero()
    {
        var map = new MemoryMap(RamBase: 0, RamSize: 64u << 10);

        Assert.That(SocHeader.UnmappedAddress(map), Is.EqualTo(0x0001_0000u));
    }

    private FirmwareRun RunC(string text, byte[]? uartInput = null) =>
        FirmwareTestSupport.BuildAndRun([Write("program.c", text)], includeRuntime: true, maxInstructions: 1_000_000, uartInput: uartInput, workDirectory: _directory);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
