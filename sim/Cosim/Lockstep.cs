using HwGen.Designs.Riscv;
using HwGen.Sim.Model;

namespace HwGen.Sim.Cosim;

/// <summary>
/// The first difference between the RTL and the golden model: the field, both values, the cycle, and the
/// instructions that led there on both sides.
/// </summary>
public sealed record DivergenceReport(
    ulong Cycle,
    ulong Order,
    FieldDifference Difference,
    IReadOnlyList<RetireRecord> RtlHistory,
    IReadOnlyList<RetireRecord> ModelHistory)
{
    /// <summary>A waveform of the cycles around the divergence, when one could be written.</summary>
    public string? WavePath { get; init; }

    /// <summary>The trace's fields, for printing the histories (the standard table unless the trace has more).</summary>
    public TraceTable Table { get; init; } = RetirementFields.Table;

    /// <summary>A report a person reads: what differs, then the last instructions of both sides.</summary>
    public string Describe()
    {
        var lines = new List<string>
        {
            $"divergence at instruction #{Order} (cycle {Cycle}): {Difference}",
            "",
            $"last {RtlHistory.Count} instructions retired by the RTL:",
        };
        lines.AddRange(RtlHistory.Select(r => "  " + r.ToString(Table)));
        lines.Add("");
        lines.Add($"the golden model, for the same instructions:");
        lines.AddRange(ModelHistory.Select(r => "  " + r.ToString(Table)));
        if (WavePath is not null)
        {
            lines.Add("");
            lines.Add($"waveform around the divergence: {WavePath} (open with gtkwave)");
        }
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>
/// Steps the golden model once per instruction the RTL retires and compares the two records. Values the
/// RTL may legally choose differently (counters, device registers) are copied from the RTL into the model;
/// an interrupt the RTL took is taken by the model at the same instruction.
/// </summary>
public sealed class Lockstep
{
    public const int HistoryLength = 20;

    private const uint MachineTimerInterrupt = 7;

    private readonly Rv32Iss _model;

    // The last HistoryLength records of both sides, written in place (the model's by Step itself): a record is copied
    // once an instruction, not queued and dequeued.
    private readonly RetireRecord[] _rtlHistory = new RetireRecord[HistoryLength];
    private readonly RetireRecord[] _modelHistory = new RetireRecord[HistoryLength];

    public Lockstep(Rv32Iss model, TraceLayout layout)
    {
        _model = model;
        Layout = layout;
    }

    public TraceLayout Layout { get; }

    /// <summary>Instructions compared so far.</summary>
    public ulong Compared { get; private set; }

    /// <summary>Compares the next RTL record with the golden model; returns the divergence, if any.</summary>
    public DivergenceReport? Check(in RetireRecord rtl, ulong cycle)
    {
        if (rtl.Intr)
            _model.InjectInterrupt(MachineTimerInterrupt);
        int slot = (int)(Compared % HistoryLength);
        ref var expected = ref _modelHistory[slot];
        _model.Step(out expected);
        if (expected.Nondeterministic)
        {
            if (expected.RdAddr != 0 && rtl.RdAddr == expected.RdAddr)
            {
                _model.OverrideRd(rtl.RdWdata);
                expected.RdWdata = rtl.RdWdata;
            }
            if (expected.MemRmask != 0 && rtl.MemRmask == expected.MemRmask)
                expected.MemRdata = rtl.MemRdata;
        }
        _rtlHistory[slot] = rtl;
        Compared++;
        var difference = Layout.Compare(rtl, expected);
        return difference is null ? null : new DivergenceReport(cycle, rtl.Order, difference, History(_rtlHistory), History(_modelHistory)) { Table = Layout.Table };
    }

    /// <summary>The records of a history ring, oldest first.</summary>
    private RetireRecord[] History(RetireRecord[] ring)
    {
        int count = (int)Math.Min(Compared, HistoryLength);
        var records = new RetireRecord[count];
        for (int i = 0; i < count; i++)
            records[i] = ring[(int)((Compared - (ulong)count + (ulong)i) % HistoryLength)];
        return records;
    }
}
