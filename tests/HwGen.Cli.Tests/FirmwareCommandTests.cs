using System.Globalization;
using System.Text.Json;
using HwGen.Gen.Tools;
using NUnit.Framework;

namespace HwGen.Cli.Tests;

/// <summary><c>hwgen firmware build</c>: the section table, the products, incremental rebuilds and every bad input.</summary>
[TestFixture]
public sealed class FirmwareCommandTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void CreateTemp() => _temp = new TempDirectory();

    [TearDown]
    public void DeleteTemp() => _temp.Dispose();

    [Test]
    public void BuildsHelloAndPrintsEverySectionAgainstTheRam()
    {
        var output = _temp.Combine("hello");

        var run = Cli.Run("firmware", "build", "hello", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var lines = run.Stdout.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("hello for the simulator's SoC: start, console, pex, trap, timer, heap, thread; "));
            foreach (var section in manifest.RootElement.GetProperty("sections").EnumerateArray())
            {
                var name = section.GetProperty("name").GetString()!;
                var size = section.GetProperty("size").GetUInt32();
                var row = lines.SingleOrDefault(l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal));
                Assert.That(row, Is.Not.Null, $"a row for {name}:\n{run.Stdout}");
                Assert.That(row, Does.Contain(section.GetProperty("address").GetString()!.ToLowerInvariant()));
                Assert.That(row, Does.Contain(" " + size.ToString("N0", CultureInfo.InvariantCulture) + " "));
                Assert.That(row, Does.Contain((100.0 * size / 4194304).ToString("0.00", CultureInfo.InvariantCulture) + "%"));
            }
            var program = manifest.RootElement.GetProperty("ram").GetProperty("programBytes").GetUInt32();
            Assert.That(lines, Has.Some.Match(@"^\s*program\s+0x80000000\s+" + program.ToString("N0", CultureInfo.InvariantCulture) + @"\s"));
            Assert.That(lines, Has.Some.Match(@"^\s*RAM\s+0x80000000\s+4,194,304\s+100\.00%"));
            Assert.That(run.Stdout, Does.Contain("entry 0x80000000, tohost 0x"));
            foreach (var file in (string[])["hello.elf", "hello.hex", "hello.bin", "hello.flash", "manifest.json"])
                Assert.That(File.Exists(Path.Combine(output, file)), Is.True, file);
        });
    }

    [Test]
    public void UnderAPolicyWritesTheTagImageAndThePexFirmwareAndPrintsTheWordsPerTag()
    {
        var output = _temp.Combine("tagged");

        var run = Cli.Run("firmware", "build", "bench", "--policy", "ret+nxd-nwc", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var tags = File.ReadAllText(Path.Combine(output, "bench.tags"));
        var codeWords = manifest.RootElement.GetProperty("sections").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString()!.StartsWith(".text", StringComparison.Ordinal))
            .Sum(s => (s.GetProperty("size").GetUInt32() + 3) / 4);
        Assert.Multiple(() =>
        {
            Assert.That(manifest.RootElement.GetProperty("policy").GetString(), Is.EqualTo("nxd-nwc+ret"));
            Assert.That(manifest.RootElement.GetProperty("tagImage").GetString(), Is.EqualTo("bench.tags"));
            Assert.That(File.Exists(Path.Combine(output, "bench.pex.hex")) && File.Exists(Path.Combine(output, "bench.pex.elf")));
            // nxd-nwc+ret gives every code word one set, {Code}: one tag, one row.
            Assert.That(tags, Does.Contain("\nset 1 {Code}\n"));
            Assert.That(run.Stdout, Does.Contain($"initial tags under nxd-nwc+ret: {codeWords} tagged words, 1 sets"));
            Assert.That(run.Stdout.Split('\n'), Has.Some.Match(@"^\s*1\s+\{Code\}\s+" + codeWords.ToString("N0", CultureInfo.InvariantCulture) + @"\s*$"));
            Assert.That(run.Stdout, Does.Contain("tags     "));
        });
    }

    [Test]
    public void AnUnknownPolicyIsAUsageError()
    {
        var run = Cli.Run("firmware", "build", "bench", "--policy", "ret+nope", "--out", _temp.Combine("bad"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--policy ret+nope").And.Contain("nope"));
        Assert.That(Directory.Exists(_temp.Combine("bad")), Is.False);
    }

    [Test]
    public void SecondBuildIsUpToDate()
    {
        var output = _temp.Combine("bench");
        var first = Cli.Run("firmware", "build", "bench", "--out", output);

        var second = Cli.Run("firmware", "build", "bench", "--out", output);

        Assert.Multiple(() =>
        {
            Assert.That(first.Stdout, Does.StartWith("bench for the simulator's SoC: start, console; 3 compiled, linked\n"), first.ToString());
            Assert.That(second.Stdout, Does.StartWith("bench for the simulator's SoC: start, console; up to date\n"), second.ToString());
        });
    }

    [Test]
    public void BoardBuildUsesTheBoardsRam()
    {
        var output = _temp.Combine("board");

        var run = Cli.Run("firmware", "build", "hello", "--board", "icebreaker", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.StartWith("hello for board icebreaker: "));
            Assert.That(run.Stdout, Does.Contain("65,536"));
            Assert.That(manifest.RootElement.GetProperty("board").GetString(), Is.EqualTo("icebreaker"));
            Assert.That(manifest.RootElement.GetProperty("ram").GetProperty("size").GetUInt32(), Is.EqualTo(65536u));
        });
    }

    [Test]
    public void UnknownApplication()
    {
        var run = Cli.Run("firmware", "build", "helo", "--out", _temp.Combine("x"));

        AssertUsageError(run, "hwgen: unknown application 'helo' (known: attacks, bench, hello)");
    }

    [Test]
    public void UnknownMicroLibrary()
    {
        var source = Tree(("apps/app/app.json", """{ "name": "app", "sources": ["app.c"], "depends": ["consol"] }"""), ("apps/app/app.c", "int main(void) { return 0; }\n"));

        var run = Cli.Run("firmware", "build", "app", "--source", source, "--out", _temp.Combine("x"));

        AssertUsageError(run, $"hwgen: {source}/apps/app/app.json: unknown micro-library 'consol' (known: console, heap, pex, start, thread, timer, trap)");
    }

    [Test]
    public void DependencyCycle()
    {
        var source = Tree(
            ("apps/app/app.json", """{ "name": "app", "sources": ["app.c"], "depends": ["one"] }"""),
            ("apps/app/app.c", "int main(void) { return 0; }\n"),
            ("kernel/one/library.json", """{ "name": "one", "sources": ["one.c"], "depends": ["two"] }"""),
            ("kernel/one/one.c", "int one;\n"),
            ("kernel/two/library.json", """{ "name": "two", "sources": ["two.c"], "depends": ["one"] }"""),
            ("kernel/two/two.c", "int two;\n"));

        var run = Cli.Run("firmware", "build", "app", "--source", source, "--out", _temp.Combine("x"));

        AssertUsageError(run, "hwgen: dependency cycle among micro-libraries: one -> two -> one");
    }

    [Test]
    public void CompileErrorShowsGccsMessage()
    {
        var source = Tree(
            ("apps/app/app.json", """{ "name": "app", "sources": ["app.c"], "depends": ["console"] }"""),
            ("apps/app/app.c", "int main(void)\n{\n    return undeclared;\n}\n"));

        var run = Cli.Run("firmware", "build", "app", "--source", source, "--out", _temp.Combine("x"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Stderr, Does.Contain($"{source}/apps/app/app.c:3:12: error: 'undeclared' undeclared"));
            Assert.That(run.ErrorLines[^1], Does.StartWith($"hwgen: app: the build failed: {source}/apps/app/app.c:3:12: error: 'undeclared' undeclared"));
            Assert.That(File.Exists(_temp.Combine("x", "app.elf")), Is.False);
        });
    }

    [Test]
    public void ImageLargerThanTheRam()
    {
        var source = Tree(
            ("apps/big/app.json", """{ "name": "big", "sources": ["big.c"], "depends": ["start"] }"""),
            ("apps/big/big.c", "char big[100000];\nint main(void) { return big[99999]; }\n"));

        var run = Cli.Run("firmware", "build", "big", "--source", source, "--board", "icebreaker", "--out", _temp.Combine("x"));

        AssertUsageError(run, "hwgen: big: the image does not fit the 65536 bytes of RAM at 0x80000000 of board 'icebreaker': section .bss reaches past its end");
        Assert.That(run.ErrorLines[^1], Does.Match(@"the program with its 4096-byte stack reserve is \d+ bytes too large$"));
        Assert.That(Directory.GetFiles(_temp.Combine("x")), Is.Empty);
    }

    [Test]
    public void MissingSourceFolderAndUnknownBoard()
    {
        var source = Cli.Run("firmware", "build", "hello", "--source", _temp.Combine("nowhere"), "--out", _temp.Combine("x"));
        var board = Cli.Run("firmware", "build", "hello", "--board", "nosuchboard", "--out", _temp.Combine("x"));

        AssertUsageError(source, $"hwgen: {_temp.Combine("nowhere")}: no such firmware source folder");
        Assert.That(board.ExitCode, Is.EqualTo(2), board.ToString());
        Assert.That(board.ErrorLines, Has.Length.EqualTo(1).And.All.StartsWith("hwgen: ").And.All.Contain("nosuchboard"));
    }

    [Test]
    public void PicolibcIsInTheToolTableAndFoundByItsFile()
    {
        var missing = ExternalTools.Picolibc with { InstalledFile = _temp.Combine("picolibc.specs") };

        Assert.Multiple(() =>
        {
            Assert.That(ExternalTools.Simulation, Does.Contain(ExternalTools.Picolibc));
            Assert.That(ExternalTools.Picolibc.DebianPackage, Is.EqualTo("picolibc-riscv64-unknown-elf"));
            Assert.That(missing.Locate(), Is.Null);
        });
        File.WriteAllText(missing.InstalledFile!, "");
        Assert.That(missing.Locate(), Is.EqualTo(missing.InstalledFile));
    }

    private static void AssertUsageError(CliRun run, string start)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.ErrorLines.FirstOrDefault(), Does.StartWith(start), run.ToString());
        });
    }

    private string Tree(params (string Path, string Text)[] files)
    {
        var root = _temp.Combine("src-" + Guid.NewGuid().ToString("N"));
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return root;
    }
}
