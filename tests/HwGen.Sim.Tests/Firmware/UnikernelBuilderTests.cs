using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using HwGen.Designs.Boards;
using HwGen.Designs.Soc;
using HwGen.Firmware;
using HwGen.Firmware.Unikernel;
using HwGen.Sim.Model.Elf;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Firmware;

/// <summary>The firmware builder: dependency resolution, its errors, incremental rebuilds and its products.</summary>
[TestFixture]
public sealed class UnikernelBuilderTests
{
    private string _work = "";

    [SetUp]
    public void CreateWorkFolder() => _work = UnikernelTestSupport.Scratch("builder");

    [TearDown]
    public void DeleteWorkFolder()
    {
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }

    [Test]
    public void LibrariesComeAfterTheirDependenciesAndOnlyTheDeclaredOnesAreLinked()
    {
        var bundled = UnikernelTree.Bundled;

        var hello = UnikernelBuilder.ResolveLibraries([bundled], bundled.Applications["hello"]).Select(l => l.Name).ToArray();
        var bench = UnikernelBuilder.ResolveLibraries([bundled], bundled.Applications["bench"]).Select(l => l.Name).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(hello, Is.EquivalentTo(new[] { "start", "console", "trap", "timer", "pex", "heap", "thread" }));
            Assert.That(bench, Is.EqualTo(new[] { "start", "console" }));
            foreach (var library in hello)
            {
                foreach (var dependency in bundled.Libraries[library].Depends)
                    Assert.That(Array.IndexOf(hello, dependency), Is.LessThan(Array.IndexOf(hello, library)), $"{dependency} before {library}");
            }
        });
    }

    [Test]
    public void UnknownApplicationIsNamedWithTheKnownOnes()
    {
        var error = Assert.Throws<FirmwareConfigException>(() => UnikernelBuilder.Build(new UnikernelBuildOptions("helo", _work)));

        Assert.That(error!.Message, Is.EqualTo("unknown application 'helo' (known: attacks, bench, hello)"));
        Assert.That(Directory.Exists(_work), Is.False, "nothing written");
    }

    [Test]
    public void UnknownMicroLibraryIsNamedWithTheManifestThatAsksForIt()
    {
        var source = WriteTree(("apps/app/app.json", Manifest("app", ["app.c"], ["console", "netwrok"])), ("apps/app/app.c", "int main(void) { return 0; }\n"));

        var error = Assert.Throws<FirmwareConfigException>(() => Build(source, "app"));

        Assert.That(error!.Message, Does.StartWith($"{source}/apps/app/app.json: unknown micro-library 'netwrok' (known: console, heap, "));
    }

    [Test]
    public void DependencyCycleIsNamedMemberByMember()
    {
        var source = WriteTree(
            ("apps/app/app.json", Manifest("app", ["app.c"], ["alpha"])),
            ("apps/app/app.c", "int main(void) { return 0; }\n"),
            ("kernel/alpha/library.json", Manifest("alpha", ["alpha.c"], ["start", "beta"])),
            ("kernel/alpha/alpha.c", "int alpha;\n"),
            ("kernel/beta/library.json", Manifest("beta", ["beta.c"], ["gamma"])),
            ("kernel/beta/beta.c", "int beta;\n"),
            ("kernel/gamma/library.json", Manifest("gamma", ["gamma.c"], ["alpha"])),
            ("kernel/gamma/gamma.c", "int gamma;\n"));

        var error = Assert.Throws<FirmwareConfigException>(() => Build(source, "app"));

        Assert.That(error!.Message, Is.EqualTo("dependency cycle among micro-libraries: alpha -> beta -> gamma -> alpha"));
    }

    [Test]
    public void MalformedManifestsAreNamed()
    {
        var source = WriteTree(("apps/app/app.json", """{ "name": "other", "sources": ["app.c"] }"""), ("apps/app/app.c", ""));
        var missing = WriteTree(("apps/app/app.json", Manifest("app", ["gone.c"], [])));

        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<FirmwareConfigException>(() => UnikernelTree.FromDirectory(source))!.Message,
                Is.EqualTo($"{source}/apps/app/app.json: \"name\" is 'other', but the folder is 'app'; they must agree"));
            Assert.That(Assert.Throws<FirmwareConfigException>(() => UnikernelTree.FromDirectory(missing))!.Message,
                Is.EqualTo($"{missing}/apps/app/app.json: source 'gone.c' is not in {missing}/apps/app"));
        });
    }

    [Test]
    public void CompileErrorCarriesGccsMessageAtTheLine()
    {
        var source = WriteTree(
            ("apps/app/app.json", Manifest("app", ["app.c"], ["console"])),
            ("apps/app/app.c", "#include <stdio.h>\nint main(void)\n{\n    printf(\"%d\\n\", undeclared);\n    return 0;\n}\n"));

        var error = Assert.Throws<FirmwareBuildException>(() => Build(source, "app"));

        Assert.That(error!.Diagnostics, Has.Some.Contains($"{source}/apps/app/app.c:4:").And.Contains("error: 'undeclared' undeclared"));
        Assert.That(File.Exists(Path.Combine(_work, "app.elf")), Is.False);
    }

    [Test]
    public void ImageTooLargeForTheRamNamesTheSectionAndTheBytes()
    {
        var board = Board.Load("icebreaker");
        var source = WriteTree(
            ("apps/big/app.json", Manifest("big", ["big.c"], ["start"])),
            ("apps/big/big.c", "#ifndef BIG\n#define BIG 70000\n#endif\nchar big[BIG];\nint main(void) { big[BIG - 1] = 1; return big[0]; }\n"));
        UnikernelBuildOptions Options(int bytes, string output) => new("big", output)
        {
            MemoryMap = board.MemoryMap,
            Board = "icebreaker",
            Trees = [UnikernelTree.FromDirectory(source), UnikernelTree.Bundled],
            Defines = new Dictionary<string, string?> { ["BIG"] = bytes.ToString(CultureInfo.InvariantCulture) },
        };

        var error = Assert.Throws<ImageDoesNotFitException>(() => UnikernelBuilder.Build(Options(70000, Path.Combine(_work, "a"))));
        var larger = Assert.Throws<ImageDoesNotFitException>(() => UnikernelBuilder.Build(Options(70000 + 64, Path.Combine(_work, "b"))));
        // Room for the array, but not for the stack's minimum above it.
        var stack = Assert.Throws<ImageDoesNotFitException>(() => UnikernelBuilder.Build(Options(65536 - 4096 - 256, Path.Combine(_work, "c"))));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Section, Is.EqualTo(".bss"));
            Assert.That(error.Message, Is.EqualTo("big: the image does not fit the 65536 bytes of RAM at 0x80000000 of board 'icebreaker': section .bss " +
                $"reaches past its end, and the program with its 4096-byte stack reserve is {error.OverflowBytes} bytes too large"));
            Assert.That(error.OverflowBytes, Is.GreaterThan(70000 + 4096 - 65536));
            // tohost, after .bss, is aligned to 64 bytes: 64 more bytes of array move it by exactly 64.
            Assert.That(larger!.OverflowBytes - error.OverflowBytes, Is.EqualTo(64), "64 more bytes of array, 64 more bytes over");
            Assert.That(stack!.Section, Is.EqualTo(".stack_reserve"));
            Assert.That(stack.OverflowBytes, Is.InRange(1, 4096));
            Assert.That(stack.Message, Does.EndWith($": the program leaves {4096 - stack.OverflowBytes} bytes for the stack, {stack.OverflowBytes} fewer than the 4096 it needs at least"));
            Assert.That(Directory.GetFiles(Path.Combine(_work, "a")), Is.Empty, "no product written");
        });
    }

    [Test]
    public void SecondBuildCompilesNothingAndAChangedSourceRecompilesOnlyItsLibrary()
    {
        // The console library from the bundled tree, copied so that it can be changed, beside an application using it and the heap.
        var bundled = UnikernelTree.Bundled;
        var consoleFolder = bundled.FolderOnDisk(bundled.Libraries["console"], Path.Combine(_work, "bundled"));
        var source = WriteTree(
            ("apps/app/app.json", Manifest("app", ["app.c"], ["console", "heap"])),
            ("apps/app/app.c", "#include <stdio.h>\n#include <stdlib.h>\nint main(void) { char *p = malloc(4); printf(\"%p\\n\", p); return 0; }\n"),
            ("kernel/console/library.json", File.ReadAllText(Path.Combine(consoleFolder, "library.json"))),
            ("kernel/console/console.h", File.ReadAllText(Path.Combine(consoleFolder, "console.h"))),
            ("kernel/console/console.c", File.ReadAllText(Path.Combine(consoleFolder, "console.c"))));
        var output = Path.Combine(_work, "out");

        var first = Build(source, "app", output);
        var second = Build(source, "app", output);
        File.AppendAllText(Path.Combine(source, "kernel/console/console.c"), "\nint console_changed(void) { return 1; }\n");
        var third = Build(source, "app", output);
        File.AppendAllText(Path.Combine(source, "kernel/console/console.h"), "\n/* a changed header */\n");
        var fourth = Build(source, "app", output);

        Assert.Multiple(() =>
        {
            Assert.That(first.Compiled, Is.EquivalentTo(new[]
            {
                "kernel/start/start.S", "kernel/console/console.c", "kernel/pex/pex.c", "kernel/heap/heap.c", "apps/app/app.c",
            }));
            Assert.That(first.Linked, Is.True);
            Assert.That(second.Compiled, Is.Empty);
            Assert.That(second.Linked, Is.False);
            Assert.That(third.Compiled, Is.EqualTo(new[] { "kernel/console/console.c" }));
            Assert.That(third.Linked, Is.True);
            // console.h is read by console.c alone.
            Assert.That(fourth.Compiled, Is.EqualTo(new[] { "kernel/console/console.c" }));
        });
    }

    [Test]
    public void ABuildForAnotherMemoryMapRecompilesWhatReadsTheHeader()
    {
        var output = Path.Combine(_work, "out");
        var simulator = UnikernelBuilder.Build(new UnikernelBuildOptions("bench", output));
        var icebreaker = Board.Load("icebreaker");
        var board = UnikernelBuilder.Build(new UnikernelBuildOptions("bench", output) { MemoryMap = icebreaker.MemoryMap, Board = "icebreaker" });
        var flash = FlashImage.Parse(File.ReadAllBytes(board.Files["flash"]), "bench.flash");

        Assert.Multiple(() =>
        {
            Assert.That(simulator.Compiled, Is.EquivalentTo(new[] { "kernel/start/start.S", "kernel/console/console.c", "apps/bench/bench.c" }));
            // start.S and console.c include hwgen_soc.h, whose addresses changed; bench.c does not.
            Assert.That(board.Compiled, Is.EquivalentTo(new[] { "kernel/start/start.S", "kernel/console/console.c" }));
            Assert.That(board.Linked, Is.True);
            Assert.That(board.RamSize, Is.EqualTo(65536u));
            // The boot loader of the board takes the flash image: it fits below its stack, the entry is inside it.
            Assert.That(() => flash.Validate(icebreaker.MemoryMap, "bench.flash"), Throws.Nothing);
            Assert.That(flash.Payload.ToArray(), Is.EqualTo(FlashImage.FromElf(board.ElfPath, icebreaker.MemoryMap).Payload.ToArray()));
        });
    }

    [Test]
    public void ProductsAgreeWithTheElf()
    {
        var output = Path.Combine(_work, "out");
        var result = UnikernelBuilder.Build(new UnikernelBuildOptions("hello", output));
        var map = MemoryMap.Simulation;
        var elf = ElfImage.Load(result.ElfPath, map);

        var bin = File.ReadAllBytes(result.Files["bin"]);
        var hexLines = File.ReadAllLines(result.Files["hex"]);
        var flash = FlashImage.Parse(File.ReadAllBytes(result.Files["flash"]), "hello.flash");
        using var manifest = JsonDocument.Parse(File.ReadAllText(result.Files["manifest"]));
        var root = manifest.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "hello.elf", "hello.hex", "hello.bin", "hello.flash", "manifest.json" }));
            // Every loaded byte of the ELF is in the raw image at its offset from the RAM base.
            foreach (var segment in elf.Segments.Where(s => s.FileSize > 0))
            {
                var offset = (int)(segment.Address - map.RamBase);
                Assert.That(bin.AsSpan(offset, (int)segment.FileSize).ToArray(), Is.EqualTo(segment.Data.AsSpan(0, (int)segment.FileSize).ToArray()), $"segment at 0x{segment.Address:x8}");
            }
            Assert.That(bin.Length % 4, Is.Zero);
            Assert.That(hexLines[0], Does.StartWith("//"));
            Assert.That(hexLines.Skip(1).ToArray(), Is.EqualTo(Enumerable.Range(0, bin.Length / 4)
                .Select(i => BinaryPrimitives.ReadUInt32LittleEndian(bin.AsSpan(i * 4)).ToString("x8", CultureInfo.InvariantCulture)).ToArray()));
            Assert.That(flash.Payload.ToArray(), Is.EqualTo(bin));
            Assert.That(flash.EntryAddress, Is.EqualTo(elf.Entry));
            Assert.That(flash.LoadAddress, Is.EqualTo(map.RamBase));

            Assert.That(root.GetProperty("application").GetString(), Is.EqualTo("hello"));
            Assert.That(root.GetProperty("board").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("tagImage").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("entry").GetString(), Is.EqualTo($"0x{elf.Entry:X8}"));
            Assert.That(root.GetProperty("symbols").GetProperty("tohost").GetString(), Is.EqualTo($"0x{elf.Tohost:X8}"));
            Assert.That(root.GetProperty("libraries").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(result.Libraries));
            var sections = root.GetProperty("sections").EnumerateArray()
                .Select(s => (s.GetProperty("name").GetString(), s.GetProperty("address").GetString(), s.GetProperty("size").GetUInt32())).ToArray();
            Assert.That(sections, Is.EqualTo(elf.Sections.Where(s => s.IsAlloc && s.Size > 0).OrderBy(s => s.Address)
                .Select(s => (s.Name, $"0x{s.Address:X8}", s.Size)).ToArray()));
            Assert.That(root.GetProperty("ram").GetProperty("programBytes").GetUInt32(), Is.EqualTo(elf.FindSymbol("_end")!.Value - map.RamBase));
            Assert.That(root.GetProperty("ram").GetProperty("imageBytes").GetUInt32(), Is.EqualTo((uint)bin.Length));
        });
    }

    [Test]
    public void FailedBuildLeavesTheProductsOfTheLastGoodOne()
    {
        var source = WriteTree(("apps/app/app.json", Manifest("app", ["app.c"], ["start"])), ("apps/app/app.c", "int main(void) { return 0; }\n"));
        var output = Path.Combine(_work, "out");
        Build(source, "app", output);
        var before = Directory.GetFiles(output).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        File.WriteAllText(Path.Combine(source, "apps/app/app.c"), "int main(void) { return missing; }\n");
        Assert.Throws<FirmwareBuildException>(() => Build(source, "app", output));

        Assert.That(Directory.GetFiles(output).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), Is.EqualTo(before));
    }

    [Test]
    public void DependencyListsOfGccAreRead()
    {
        var files = UnikernelBuilder.DependencyFiles("/o/.x.o.tmp: /src/a.c /inc/with\\ space.h \\\n /inc/b.h\n\n/inc/b.h:\n");

        Assert.That(files, Is.EqualTo(new[] { "/src/a.c", "/inc/with space.h", "/inc/b.h" }));
    }

    private UnikernelBuildResult Build(string source, string app, string? output = null) =>
        UnikernelBuilder.Build(new UnikernelBuildOptions(app, output ?? Path.Combine(_work, "out-" + Guid.NewGuid().ToString("N")))
        {
            Trees = [UnikernelTree.FromDirectory(source), UnikernelTree.Bundled],
        });

    private string WriteTree(params (string Path, string Text)[] files)
    {
        var root = Path.Combine(_work, "src-" + Guid.NewGuid().ToString("N"));
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return root;
    }

    private static string Manifest(string name, string[] sources, string[] depends) =>
        JsonSerializer.Serialize(new { name, sources, depends });
}
