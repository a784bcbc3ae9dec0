using System.Numerics;
using HwGen.Designs.Tags;
using Bench = HwGen.Sim.Testbench.Testbench;

namespace HwGen.Sim.Tests.Tags;

/// <summary>A rule cache in Verilator driven a cycle at a time with <see cref="RuleCacheInputs"/>.</summary>
internal sealed class RuleCacheBench : IDisposable
{
    private readonly Bench _tb;

    public RuleCacheBench(TagConfig config)
    {
        Config = config;
        Dut = new RuleCache(config);
        _tb = Bench.Create(Dut);
        _tb.Reset();
        // Reset clears the valid bits a set a cycle: wait for it, as for a flush.
        ResetCycles = WaitForFlush();
    }

    /// <summary>The cycles Flushing was 1 after reset.</summary>
    public int ResetCycles { get; }

    public TagConfig Config { get; }

    public RuleCache Dut { get; }

    public Bench Testbench => _tb;

    /// <summary>Pokes <paramref name="input"/>, reads the outputs, then steps one clock.</summary>
    public RuleCacheOutputs Cycle(RuleCacheInputs input)
    {
        var d = Dut;
        var lookupMask = (UInt128.One << d.LookupKeyWidth) - 1;
        _tb.Poke(d.ReadEnable, input.ReadEnable);
        _tb.Poke(d.Reread, input.Reread);
        _tb.Poke(d.ReadKey, (BigInteger)(input.ReadKey & lookupMask));
        _tb.Poke(d.MatchKey, (BigInteger)input.MatchKey);
        _tb.Poke(d.InstallValid, input.InstallValid);
        _tb.Poke(d.InstallPcTag, input.InstallPcTag);
        _tb.Poke(d.InstallResultTag, input.InstallResultTag);
        _tb.Poke(d.Flush, input.Flush);
        _tb.Poke(d.CountLookup, input.CountLookup);
        _tb.Poke(d.CountHit, input.CountHit);
        _tb.Poke(d.CountMiss, input.CountMiss);
        _tb.Poke(d.CountMissCycle, input.CountMissCycle);
        var outputs = new RuleCacheOutputs(_tb.Peek(d.Hit) != 0, (uint)_tb.Peek(d.PcTagOut), (uint)_tb.Peek(d.ResultTagOut),
            _tb.Peek(d.Evicted) != 0, (uint)_tb.Peek(d.SpeculativePcTag), (uint)_tb.Peek(d.SpeculativeResultTag), _tb.Peek(d.Flushing) != 0);
        _tb.Step();
        return outputs;
    }

    /// <summary>Reads the set of <paramref name="key"/>; the next cycle matches it: (hit, pc tag, result tag).</summary>
    public (bool Hit, uint PcTag, uint ResultTag) Lookup(UInt128 key)
    {
        Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = key });
        var o = Cycle(new RuleCacheInputs { MatchKey = key });
        return (o.Hit, o.PcTag, o.ResultTag);
    }

    /// <summary>
    /// Installs <paramref name="key"/> → (<paramref name="pcTag"/>, <paramref name="resultTag"/>) as the tag unit does
    /// after a miss: its set read, then the install with the key held; returns Evicted as it is after the edge.
    /// </summary>
    public bool Install(UInt128 key, uint pcTag, uint resultTag)
    {
        Cycle(new RuleCacheInputs { ReadEnable = true, ReadKey = key });
        Cycle(new RuleCacheInputs { InstallValid = true, MatchKey = key, InstallPcTag = pcTag, InstallResultTag = resultTag });
        return _tb.Peek(Dut.Evicted) != 0;
    }

    /// <summary>Pulses Flush and waits until the valid bits are clear; returns the cycles Flushing was 1.</summary>
    public int Flush()
    {
        Cycle(new RuleCacheInputs { Flush = true });
        return 1 + WaitForFlush();
    }

    private int WaitForFlush()
    {
        int cycles = 0;
        while (_tb.Peek(Dut.Flushing) != 0)
        {
            if (++cycles > Config.RuleCacheSets + 1)
                throw new InvalidOperationException($"the flush took more than {Config.RuleCacheSets + 1} cycles");
            Cycle(new RuleCacheInputs());
        }
        return cycles;
    }

    public ulong Peek(HwGen.Hdl.Signal signal) => _tb.Peek(signal);

    public void Dispose() => _tb.Dispose();
}
