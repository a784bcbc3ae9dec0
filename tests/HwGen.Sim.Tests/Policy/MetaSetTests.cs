using HwGen.Sim.Policy;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Policy;

[TestFixture]
public sealed class MetaSetTests
{
    [Test]
    public void FlagsAreTheirBitsAndSlotsHoldOneNumberEach()
    {
        var set = MetaSet.Of(Flag.Code, Flag.Taint).With(Slot.Function, 3).With(Slot.Colour, 7).With(Slot.Colour, 9);
        Assert.Multiple(() =>
        {
            Assert.That(set.Flags, Is.EqualTo(0b101u));
            Assert.That(set.Has(Flag.Code) && set.Has(Flag.Taint) && !set.Has(Flag.Entry), Is.True);
            Assert.That(set.Get(Slot.Colour), Is.EqualTo(9), "a slot holds one number: the last set");
            Assert.That(set.Get(Slot.Function), Is.EqualTo(3));
            Assert.That(set.Get(Slot.Region), Is.Zero);
            Assert.That(set.Get(Slot.Spare), Is.Zero);
            Assert.That(set.Without(Flag.Code).Has(Flag.Code), Is.False);
            Assert.That(set.ToString(), Is.EqualTo("{Code, Taint, Colour=9, Function=3}"));
            Assert.That(MetaSet.Empty.IsEmpty && !set.IsEmpty, Is.True);
        });
    }

    [Test]
    public void EqualSetsAreEqualWhateverTheOrderTheyWereBuiltIn()
    {
        var a = MetaSet.Of(Flag.Entry).With(Slot.Function, 2).With(Flag.Code);
        var b = MetaSet.Empty.With(Slot.Function, 2).With(Flag.Code).With(Flag.Entry);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        Assert.That(a, Is.Not.EqualTo(b.With(Slot.Spare, 1)));
        Assert.That(a, Is.Not.EqualTo(b.With(Slot.Function, 3)));
    }

    [Test]
    public void UnionOrsTheFlagsAndTakesEachSlotFromWhicheverSetHasIt()
    {
        var a = MetaSet.Of(Flag.Taint).With(Slot.Colour, 4);
        var b = MetaSet.Of(Flag.ReturnAddr).With(Slot.Region, 6).With(Slot.Colour, 8);
        var u = a.Union(b);
        Assert.Multiple(() =>
        {
            Assert.That(u.Flags, Is.EqualTo(MetaSet.Of(Flag.Taint, Flag.ReturnAddr).Flags));
            Assert.That(u.Get(Slot.Colour), Is.EqualTo(4), "the first set's number wins when both have one");
            Assert.That(u.Get(Slot.Region), Is.EqualTo(6));
            Assert.That(b.Union(a).Get(Slot.Colour), Is.EqualTo(8));
            Assert.That(MetaSet.Empty.Union(b), Is.EqualTo(b));
        });
    }

    [Test]
    public void TheSerialisedFormIsFlagsThenSlotsLittleEndian()
    {
        var set = new MetaSet(0x8000_0103, 0x0201, 0x0403, 0x0605, 0x0807);
        var bytes = new byte[MetaSet.Bytes];
        set.WriteTo(bytes);
        Assert.That(bytes, Is.EqualTo(new byte[] { 0x03, 0x01, 0x00, 0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 }));
        Assert.That(MetaSet.ReadFrom(bytes), Is.EqualTo(set));
        Assert.That(set.Get(Slot.Colour), Is.EqualTo(0x0201));
        Assert.That(set.Get(Slot.Spare), Is.EqualTo(0x0807));
    }
}

[TestFixture]
public sealed class TagInternerTests
{
    [Test]
    public void TagsAreGivenInOrderOfFirstInterningAndZeroIsTheEmptySet()
    {
        var interner = new TagInterner();
        var code = MetaSet.Of(Flag.Code);
        var entry = MetaSet.Of(Flag.Code, Flag.Entry);
        Assert.Multiple(() =>
        {
            Assert.That(interner.Intern(MetaSet.Empty), Is.Zero);
            Assert.That(interner.Intern(entry), Is.EqualTo(1));
            Assert.That(interner.Intern(code), Is.EqualTo(2));
            Assert.That(interner.Intern(entry), Is.EqualTo(1), "a set interned again keeps its tag");
            Assert.That(interner.Count, Is.EqualTo(2));
            Assert.That(interner[0], Is.EqualTo(MetaSet.Empty));
            Assert.That(interner[1], Is.EqualTo(entry));
            Assert.That(interner[2], Is.EqualTo(code));
            Assert.That(interner.TryGetTag(code, out ushort tag) && tag == 2, Is.True);
            Assert.That(interner.TryGetTag(MetaSet.Of(Flag.Taint), out _), Is.False);
            Assert.That(() => interner[3], Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void TheSnapshotIsTheSetsOfTagsOneToNTwelveBytesEach()
    {
        var interner = new TagInterner();
        interner.Intern(MetaSet.Of(Flag.Taint));
        interner.Intern(MetaSet.Empty.With(Slot.Region, 0xFFFF));
        var snapshot = interner.Snapshot();
        Assert.That(snapshot, Is.EqualTo(new byte[]
        {
            0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0,
        }));
        var copy = TagInterner.FromSnapshot(snapshot);
        Assert.That(copy.Sets, Is.EqualTo(interner.Sets));
        Assert.That(() => TagInterner.FromSnapshot(snapshot.AsSpan(0, 13)), Throws.ArgumentException);
        Assert.That(() => TagInterner.FromSnapshot([.. snapshot[..12], .. snapshot[..12]]), Throws.ArgumentException.With.Message.Contains("repeats"));
    }

    [Test]
    public void ACloneInternsOnItsOwn()
    {
        var interner = new TagInterner();
        interner.Intern(MetaSet.Of(Flag.Code));
        var clone = interner.Clone();
        Assert.That(clone.Intern(MetaSet.Of(Flag.Taint)), Is.EqualTo(2));
        Assert.That(interner.Count, Is.EqualTo(1));
    }

    [Test]
    public void RunningOutOfTagsIsAnErrorNamingTheWidth()
    {
        var interner = new TagInterner(tagWidth: 2);
        interner.Intern(MetaSet.Of(Flag.Code));
        interner.Intern(MetaSet.Of(Flag.Entry));
        interner.Intern(MetaSet.Of(Flag.Taint));
        Assert.That(() => interner.Intern(MetaSet.Of(Flag.ReturnAddr)),
            Throws.InvalidOperationException.With.Message.Contains("every 2-bit tag"));
        Assert.That(interner.Intern(MetaSet.Of(Flag.Entry)), Is.EqualTo(2), "known sets still intern");
    }
}
