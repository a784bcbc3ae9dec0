using HwGen.Designs.Tags;

namespace HwGen.Sim.Tests.Tags;

/// <summary>The inputs of the rule cache in one cycle.</summary>
internal sealed record RuleCacheInputs
{
    public bool ReadEnable { get; init; }
    /// <summary>Read the set held again (over <see cref="ReadEnable"/>).</summary>
    public bool Reread { get; init; }
    /// <summary>A full key: the lookup key is its low bits.</summary>
    public UInt128 ReadKey { get; init; }
    /// <summary>A key of the set read (its lookup part that read's), matched and installed.</summary>
    public UInt128 MatchKey { get; init; }
    public bool InstallValid { get; init; }
    public uint InstallPcTag { get; init; }
    public uint InstallResultTag { get; init; }
    public bool Flush { get; init; }
    public bool CountLookup { get; init; }
    public bool CountHit { get; init; }
    public bool CountMiss { get; init; }
    public bool CountMissCycle { get; init; }
}

/// <summary>What the rule cache shows in a cycle, before its clock edge.</summary>
internal sealed record RuleCacheOutputs(bool Hit, uint PcTag, uint ResultTag, bool Evicted,
    uint? SpeculativePcTag, uint? SpeculativeResultTag, bool Flushing = false);

/// <summary>
/// A reference model of <see cref="RuleCache"/> as its documentation describes it, cycle by cycle: the set index of
/// <see cref="RuleCache.SetOf"/>, an install into the set read, into its lowest way invalid now (as read, or written
/// since) else one round-robin counter, an eviction told in the next cycle, a lookup that reads a snapshot of its set
/// (the way written in the same cycle invalid for it), a flush that clears a set a cycle, missing and dropping installs
/// until it is done, a re-read of the set held that sees the installs since. Starts after the reset's walk (the bench waits it out).
/// </summary>
internal sealed class RuleCacheModel
{
    private sealed record Entry(UInt128 Key, uint PcTag, uint ResultTag);

    private readonly TagConfig _config;
    /// <summary>The RAM's valid entries (null: invalid; a flush clears them).</summary>
    private readonly Entry?[,] _ram;
    private int _heldSet;
    /// <summary>The set held as read: null where invalid or undefined.</summary>
    private readonly Entry?[] _held;
    private readonly bool[] _heldReadable;
    private readonly bool[] _heldWritten;
    private int _roundRobin;
    private bool _evictedBefore;
    private bool _flushing;
    private int _flushSet;

    public RuleCacheModel(TagConfig config)
    {
        _config = config;
        _ram = new Entry?[config.RuleCacheSets, config.RuleCacheWays];
        _held = new Entry?[config.RuleCacheWays];
        _heldReadable = new bool[config.RuleCacheWays];
        _heldWritten = new bool[config.RuleCacheWays];
    }

    public uint Lookups { get; private set; }
    public uint Hits { get; private set; }
    public uint Misses { get; private set; }
    public uint Evictions { get; private set; }
    public uint MissCycles { get; private set; }

    /// <summary>The outputs before the edge, then the state after it.</summary>
    public RuleCacheOutputs Cycle(RuleCacheInputs input)
    {
        int ways = _config.RuleCacheWays;
        // Combinational outputs: from the held snapshot.
        bool hit = false;
        uint pc = 0, result = 0;
        for (int w = 0; w < ways; w++)
        {
            if (_heldReadable[w] && _held[w] is { } e && e.Key == input.MatchKey)
            {
                hit = true;
                pc = e.PcTag;
                result = e.ResultTag;
            }
        }
        bool clearing = input.Flush || _flushing;
        bool install = input.InstallValid && !clearing;
        var setValid = Enumerable.Range(0, ways).Select(w => (_heldReadable[w] && _held[w] is not null) || _heldWritten[w]).ToArray();
        int victim = -1;
        if (install)
        {
            victim = Array.IndexOf(setValid, false);
            if (victim < 0)
                victim = ways == 1 ? 0 : _roundRobin;
        }
        bool evicted = install && setValid[victim];
        var way0 = _heldReadable[0] ? _held[0] : null;
        var outputs = new RuleCacheOutputs(hit, pc, result, _evictedBefore, way0?.PcTag, way0?.ResultTag, clearing);

        // The edge: the read sees the RAM before this cycle's writes.
        if (input.ReadEnable || input.Reread)
        {
            int readSet = input.Reread ? _heldSet : RuleCache.SetOf(_config, input.ReadKey);
            bool collision = readSet == _heldSet;
            for (int w = 0; w < ways; w++)
            {
                bool written = collision && install && victim == w;
                _held[w] = _flushing && readSet == _flushSet || written ? null : _ram[readSet, w];
                _heldReadable[w] = !clearing && !written;
                _heldWritten[w] = !clearing && written;
            }
            int installSet = _heldSet;
            _heldSet = readSet;
            if (install)
                _ram[installSet, victim] = new Entry(input.MatchKey, input.InstallPcTag, input.InstallResultTag);
        }
        else
        {
            for (int w = 0; w < ways; w++)
            {
                if (clearing)
                    _heldReadable[w] = _heldWritten[w] = false;
                else if (install && victim == w)
                    _heldWritten[w] = true;
            }
            if (install)
                _ram[_heldSet, victim] = new Entry(input.MatchKey, input.InstallPcTag, input.InstallResultTag);
        }
        if (_flushing)
        {
            for (int w = 0; w < ways; w++)
                _ram[_flushSet, w] = null;
        }
        if (input.Flush)
        {
            _flushing = true;
            _flushSet = 0;
        }
        else if (_flushing)
        {
            _flushing = _flushSet != _config.RuleCacheSets - 1;
            _flushSet = (_flushSet + 1) % _config.RuleCacheSets;
        }
        if (evicted)
            _roundRobin = (_roundRobin + 1) % ways;
        if (_config.Statistics)
        {
            Lookups += input.CountLookup ? 1u : 0;
            Hits += input.CountHit ? 1u : 0;
            Misses += input.CountMiss ? 1u : 0;
            MissCycles += input.CountMissCycle ? 1u : 0;
            Evictions += _evictedBefore ? 1u : 0;
        }
        _evictedBefore = evicted;
        return outputs;
    }
}
