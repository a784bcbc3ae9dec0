using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// A wide equality compare built from <see cref="Lut4"/> instances: two bit pairs a LUT on the first level (each LUT
/// says "some pair differs"), then the OR of four such a LUT, the last LUT inverting. 80 bit pairs take 40 + 10 + 2 + 1
/// = 53 LUTs; Yosys' mapping of the same <c>==</c> takes about 90 (ABC trades area for depth there). Bits that must be
/// 1 as well (a valid bit) take one LUT input each, in the gaps the pairs leave.
/// </summary>
public static class LutCompare
{
    /// <summary>
    /// 1 when <paramref name="a"/> equals <paramref name="b"/> bit for bit and every one of <paramref name="ones"/> is
    /// 1: a tree of <see cref="Lut4"/> instances named <paramref name="name"/> and their level and number, inside the
    /// module being built. The top <paramref name="late"/> bit pairs arrive late in the cycle: they take a tree of
    /// their own, joined with the others' only in the last LUT, so that they pass as few LUTs as their count allows
    /// (two for up to six pairs beside the others, three for up to 24); the others pass one LUT more than without.
    /// </summary>
    public static Expr Equal(Expr a, Expr b, IReadOnlyList<Expr> ones, string name, int late = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(ones);
        if (a.Width != b.Width)
            throw new HdlException($"{name}: compares {a.Width} bits with {b.Width}");
        if (ones.Any(o => o.Width != 1))
            throw new HdlException($"{name}: a bit that must be 1 is one bit wide");
        if (late < 0 || late > a.Width)
            throw new HdlException($"{name}: {late} late bit pairs of {a.Width}");

        // A pair is two LUT inputs (a mismatch when its bits differ), a bit that must be 1 one (a mismatch when 0).
        var early = Enumerable.Range(0, a.Width - late).Select(i => new[] { a[i], b[i] })
            .Concat(ones.Select(o => new[] { o })).ToList();
        var latePairs = Enumerable.Range(a.Width - late, late).Select(i => new[] { a[i], b[i] }).ToList();
        if (late == 0)
        {
            var groups = Groups(early);
            if (groups.Count == 1)
                return Lut(groups[0], firstLevel: true, invert: true, $"{name}_l0_0");
            var (mismatches, level) = Reduce(FirstLevel(groups, name), fit: 4, name);
            return Lut([.. mismatches.Select(m => new[] { m })], firstLevel: false, invert: true, $"{name}_l{level}_0");
        }
        var (earlyMismatch, _) = early.Count == 0 ? ([], 0) : Reduce(FirstLevel(Groups(early), name + "_early"), fit: 1, name + "_early");
        var (lateMismatches, lateLevel) = Reduce(FirstLevel(Groups(latePairs), name + "_late"), fit: 4 - earlyMismatch.Count, name + "_late");
        return Lut([.. lateMismatches.Concat(earlyMismatch).Select(m => new[] { m })], firstLevel: false, invert: true, $"{name}_l{lateLevel}_0");
    }

    /// <summary>The first level's inputs: whole pairs, then single bits, up to four inputs a LUT.</summary>
    private static List<List<Expr[]>> Groups(IEnumerable<Expr[]> items)
    {
        var groups = new List<List<Expr[]>>();
        foreach (var item in items)
        {
            if (groups.Count == 0 || groups[^1].Sum(g => g.Length) + item.Length > 4)
                groups.Add([]);
            groups[^1].Add(item);
        }
        return groups;
    }

    /// <summary>The first level: a LUT a group, 1 when a pair of it differs or a single bit of it is 0.</summary>
    private static List<Expr> FirstLevel(List<List<Expr[]>> groups, string name) =>
        [.. groups.Select((g, i) => Lut(g, firstLevel: true, invert: false, $"{name}_l0_{i}"))];

    /// <summary>
    /// ORs of four mismatches a LUT, a level at a time, until <paramref name="fit"/> or fewer are left: a level that
    /// can get there ORs only as many as it must (each LUT takes four, one fewer where that suffices), the others
    /// pass on; and the next level's number.
    /// </summary>
    private static (List<Expr> Mismatches, int Level) Reduce(List<Expr> mismatches, int fit, string name)
    {
        int level = 1;
        while (mismatches.Count > fit)
        {
            int excess = mismatches.Count - fit;
            int luts = (excess + 2) / 3;
            var merged = 4 * luts <= mismatches.Count
                ? Split(mismatches.Take(excess + luts).ToList(), luts)
                : [.. mismatches.Chunk(4).Select(c => c.ToList())];
            int taken = merged.Sum(g => g.Count);
            mismatches = [.. merged.Select((c, i) => Lut([.. c.Select(m => new[] { m })], firstLevel: false, invert: false, $"{name}_l{level}_{i}")),
                .. mismatches.Skip(taken)];
            level++;
        }
        return (mismatches, level);
    }

    /// <summary><paramref name="items"/> in <paramref name="groups"/> groups of four, the last one smaller.</summary>
    private static List<List<Expr>> Split(List<Expr> items, int groups) =>
        [.. Enumerable.Range(0, groups).Select(g => items.Skip(4 * g).Take(4).ToList())];

    /// <summary>
    /// A LUT over <paramref name="items"/> (four inputs at most): a pair counts when its bits differ; a single bit on
    /// the <paramref name="firstLevel"/> when it is 0 (a bit that must be 1), on a later level when it is 1 (a mismatch
    /// below). The output is whether any counts, or with <paramref name="invert"/> whether none does.
    /// </summary>
    private static Expr Lut(IReadOnlyList<Expr[]> items, bool firstLevel, bool invert, string name)
    {
        var inputs = items.SelectMany(i => i).ToArray();
        if (inputs.Length is 0 or > 4)
            throw new HdlException($"{name}: a LUT takes 1 to 4 inputs, not {inputs.Length}");
        ushort table = Lut4.Table((i0, i1, i2, i3) =>
        {
            bool[] bits = [i0, i1, i2, i3];
            bool any = false;
            int at = 0;
            foreach (var item in items)
            {
                any |= item.Length == 2 ? bits[at] != bits[at + 1] : (firstLevel ? !bits[at] : bits[at]);
                at += item.Length;
            }
            return invert ? !any : any;
        });
        var lut = Instance(new Lut4(table), name);
        var pins = new[] { lut.I0, lut.I1, lut.I2, lut.I3 };
        for (int i = 0; i < 4; i++)
            pins[i].Set(i < inputs.Length ? inputs[i] : U(0, 1));
        return lut.O;
    }
}
