using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// A wide equality compare built from <see cref="Lut4"/> instances: two bit pairs a LUT on the first level (each LUT
/// says "some pair differs"), then the OR of four such a LUT, the last LUT inverting. 80 bit pairs take 40 + 10 + 3 + 1
/// = 54 LUTs; Yosys' mapping of the same <c>==</c> takes about 90 (ABC trades area for depth there). Bits that must be
/// 1 as well (a valid bit) take one LUT input each, in the gaps the pairs leave.
/// </summary>
public static class LutCompare
{
    /// <summary>
    /// 1 when <paramref name="a"/> equals <paramref name="b"/> bit for bit and every one of <paramref name="ones"/> is
    /// 1: a tree of <see cref="Lut4"/> instances named <paramref name="name"/> and their level and number, inside the
    /// module being built.
    /// </summary>
    public static Expr Equal(Expr a, Expr b, IReadOnlyList<Expr> ones, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(ones);
        if (a.Width != b.Width)
            throw new HdlException($"{name}: compares {a.Width} bits with {b.Width}");
        if (ones.Any(o => o.Width != 1))
            throw new HdlException($"{name}: a bit that must be 1 is one bit wide");

        // The first level: each LUT takes whole pairs and then single bits, up to four inputs; its output is 1 when
        // some pair differs or some single bit is 0.
        var items = new List<Expr[]>();
        for (int i = 0; i < a.Width; i++)
            items.Add([a[i], b[i]]);
        items.AddRange(ones.Select(o => new[] { o }));
        var groups = new List<List<Expr[]>>();
        foreach (var item in items)
        {
            if (groups.Count == 0 || groups[^1].Sum(g => g.Length) + item.Length > 4)
                groups.Add([]);
            groups[^1].Add(item);
        }
        if (groups.Count == 1)
            return Lut(groups[0], firstLevel: true, invert: true, $"{name}_l0_0");
        var mismatches = groups.Select((g, i) => Lut(g, firstLevel: true, invert: false, $"{name}_l0_{i}")).ToList();

        // Then ORs of four, until four or fewer are left for the last LUT, which says "none differs".
        int level = 1;
        while (mismatches.Count > 4)
        {
            mismatches = [.. mismatches.Chunk(4).Select((c, i) => Lut([.. c.Select(m => new[] { m })], firstLevel: false, invert: false, $"{name}_l{level}_{i}"))];
            level++;
        }
        return Lut([.. mismatches.Select(m => new[] { m })], firstLevel: false, invert: true, $"{name}_l{level}_0");
    }

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
