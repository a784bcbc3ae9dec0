using HwGen.Designs;
using HwGen.Gen.Verilog;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Simulation;

/// <summary>Emitting a design twice, from two fresh module objects, gives byte-identical files.</summary>
[TestFixture]
public sealed class EmitterDeterminismTests
{
    [Test]
    public void EmittingTwiceGivesIdenticalFiles()
    {
        using var scratch = new ScratchDirectory("determinism");
        // The second round runs in the opposite order, so no state carried from one design to the
        // next (counters, caches) can go unnoticed.
        foreach (var name in DesignCatalog.Names)
            VerilogEmitter.WriteTo(VerilogEmitter.Emit(DesignCatalog.Create(name)), scratch.Combine("first", name));
        foreach (var name in DesignCatalog.Names.Reverse())
            VerilogEmitter.WriteTo(VerilogEmitter.Emit(DesignCatalog.Create(name)), scratch.Combine("second", name));

        foreach (var name in DesignCatalog.Names)
        {
            var first = Files(scratch.Combine("first", name));
            var second = Files(scratch.Combine("second", name));
            Assert.That(first.Keys, Is.Not.Empty, name);
            Assert.That(second.Keys, Is.EqualTo(first.Keys), $"{name}: the two emissions wrote different files");
            foreach (var (file, bytes) in first)
                Assert.That(second[file], Is.EqualTo(bytes), $"{name}/{file} differs between the two emissions (kept in {scratch.Path})");
        }
        scratch.Complete();
    }

    [Test]
    public void SameParametersGiveSameText()
    {
        foreach (var design in BenchDesign.All)
        {
            var first = VerilogEmitter.Emit(design.Create()).Files;
            var second = VerilogEmitter.Emit(design.Create()).Files;
            Assert.That(second, Is.EqualTo(first), design.Name);
        }
    }

    private static SortedDictionary<string, byte[]> Files(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .ToDictionary(p => Path.GetRelativePath(directory, p).Replace('\\', '/'), File.ReadAllBytes),
            StringComparer.Ordinal);
}
