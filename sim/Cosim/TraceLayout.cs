using HwGen.Sim.Model;

namespace HwGen.Sim.Cosim;

/// <summary>
/// Where each trace field sits in a record of the harness's run loop, and the conversion of a record
/// into the golden model's <see cref="RetireRecord"/>. Fields are found by name (<c>Trace_Order</c>,
/// <c>Trace_RdWdata</c>, …); a record carries one more slot after the fields: the cycle it retired in.
/// </summary>
public sealed class TraceLayout
{
    /// <summary>The RTL's trace fields compared with the golden model, by their bundle member names.</summary>
    public static IReadOnlyList<string> ComparedFields { get; } =
    [
        "Order", "Insn", "Trap", "Intr", "Cause", "Rs1Addr", "Rs2Addr", "Rs1Rdata", "Rs2Rdata", "RdAddr", "RdWdata",
        "PcRdata", "PcWdata", "MemAddr", "MemRmask", "MemWmask", "MemRdata", "MemWdata",
    ];

    private readonly int[] _slot;

    public TraceLayout(IReadOnlyList<string> portNames, string prefix)
    {
        PortNames = portNames;
        Prefix = prefix;
        var index = portNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        _slot = ComparedFields.Select(f => index.TryGetValue(prefix + f, out var i) ? i
            : throw new ArgumentException($"the trace has no field '{prefix + f}'", nameof(portNames))).ToArray();
    }

    /// <summary>The trace ports in slot order.</summary>
    public IReadOnlyList<string> PortNames { get; }

    public string Prefix { get; }

    /// <summary>Slots per record: the fields and the retirement cycle.</summary>
    public int Stride => PortNames.Count + 1;

    public ulong Cycle(ReadOnlySpan<ulong> record) => record[PortNames.Count];

    public RetireRecord ToRecord(ReadOnlySpan<ulong> r) => new()
    {
        Order = r[_slot[0]],
        Insn = (uint)r[_slot[1]],
        Trap = r[_slot[2]] != 0,
        Intr = r[_slot[3]] != 0,
        Cause = (uint)r[_slot[4]],
        Rs1Addr = (byte)r[_slot[5]],
        Rs2Addr = (byte)r[_slot[6]],
        Rs1Rdata = (uint)r[_slot[7]],
        Rs2Rdata = (uint)r[_slot[8]],
        RdAddr = (byte)r[_slot[9]],
        RdWdata = (uint)r[_slot[10]],
        PcRdata = (uint)r[_slot[11]],
        PcWdata = (uint)r[_slot[12]],
        MemAddr = (uint)r[_slot[13]],
        MemRmask = (byte)r[_slot[14]],
        MemWmask = (byte)r[_slot[15]],
        MemRdata = (uint)r[_slot[16]],
        MemWdata = (uint)r[_slot[17]],
    };

    /// <summary>The first field in which two records differ, with both values; null when they agree.</summary>
    public static FieldDifference? Compare(in RetireRecord rtl, in RetireRecord model)
    {
        if (rtl.Order != model.Order) return new("order", rtl.Order, model.Order);
        if (rtl.PcRdata != model.PcRdata) return new("pc_rdata", rtl.PcRdata, model.PcRdata);
        if (rtl.Insn != model.Insn) return new("insn", rtl.Insn, model.Insn);
        if (rtl.Trap != model.Trap) return new("trap", rtl.Trap ? 1UL : 0, model.Trap ? 1UL : 0);
        if (rtl.Trap && rtl.Cause != model.Cause) return new("cause", rtl.Cause, model.Cause);
        if (rtl.Intr != model.Intr) return new("intr", rtl.Intr ? 1UL : 0, model.Intr ? 1UL : 0);
        if (rtl.Rs1Addr != model.Rs1Addr) return new("rs1_addr", rtl.Rs1Addr, model.Rs1Addr);
        if (rtl.Rs2Addr != model.Rs2Addr) return new("rs2_addr", rtl.Rs2Addr, model.Rs2Addr);
        if (rtl.Rs1Rdata != model.Rs1Rdata) return new("rs1_rdata", rtl.Rs1Rdata, model.Rs1Rdata);
        if (rtl.Rs2Rdata != model.Rs2Rdata) return new("rs2_rdata", rtl.Rs2Rdata, model.Rs2Rdata);
        if (rtl.RdAddr != model.RdAddr) return new("rd_addr", rtl.RdAddr, model.RdAddr);
        if (rtl.RdWdata != model.RdWdata) return new("rd_wdata", rtl.RdWdata, model.RdWdata);
        if (rtl.PcWdata != model.PcWdata) return new("pc_wdata", rtl.PcWdata, model.PcWdata);
        if (rtl.MemAddr != model.MemAddr) return new("mem_addr", rtl.MemAddr, model.MemAddr);
        if (rtl.MemRmask != model.MemRmask) return new("mem_rmask", rtl.MemRmask, model.MemRmask);
        if (rtl.MemWmask != model.MemWmask) return new("mem_wmask", rtl.MemWmask, model.MemWmask);
        if (rtl.MemRdata != model.MemRdata) return new("mem_rdata", rtl.MemRdata, model.MemRdata);
        if (rtl.MemWdata != model.MemWdata) return new("mem_wdata", rtl.MemWdata, model.MemWdata);
        return null;
    }
}

/// <summary>A trace field whose values differ between the RTL and the golden model.</summary>
public sealed record FieldDifference(string Field, ulong Rtl, ulong Model)
{
    public override string ToString() => $"{Field}: RTL 0x{Rtl:x8}, golden model 0x{Model:x8}";
}
