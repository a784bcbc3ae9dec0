using HwGen.Designs.Tags;

namespace HwGen.Sim.Tests.Tags;

/// <summary>The inputs of the rule cache in one cycle.</summary>
internal sealed record RuleCacheInputs
{
    public bool ReadEnable { get; init; }
    /// <summary>A full key: the lookup key is its low bits.</summary>
    public UInt128 ReadKey { get; init; }
    public UInt128 MatchKey { get; init; }
    public bool InstallValid { get; init; }
    public UInt128 InstallKey { get; init; }
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
    uint? SpeculativePcTag, uint? SpeculativeResultTag);

/// <summary>
/// A reference model of <see cref="RuleCache"/> as its documentation describes it, cycle by cycle: the set index of
/// <see cref="RuleCache.SetOf"/>, the lowest invalid way (when the install's set is the one InstallKey gave in the
/// cycle before) else one round-robin counter, an eviction told in the next cycle, a lookup that reads a snapshot of
/// its set (the way written in the same cycle invalid for it), a flush that wins over an install.
/// </summary>
internal sealed class RuleCacheModel
{
    private sealed record Entry(UInt128 Key, uint PcTag, uint ResultTag);

    private readonly TagConfig _config;
    private readonly bool[,] _valid;
    /// <summary>The RAM's words: kept by a flush (only the valid bits go), null until first written.</summary>
    private readonly Entry?[,] _ram;
    private readonly bool[] _heldValid;
    private readonly Entry?[] _held;
    /// <summary>Way 0's read word is undefined (written in the cycle of its read).</summary>
    private bool _heldUndefined = true;
    private int _roundRobin;
    private bool _evictedBefore;
    /// <summary>The set of the previous cycle's InstallKey and its valid bits after that cycle.</summary>
    private int _earlierSet;
    private readonly bool[] _earlierValid;

    public RuleCacheModel(TagConfig config)
    {
        _config = config;
        _valid = new bool[config.RuleCacheSets, config.RuleCacheWays];
        _ram = new Entry?[config.RuleCacheSets, config.RuleCacheWays];
        _heldValid = new bool[config.RuleCacheWays];
        _held = new Entry?[config.RuleCacheWays];
        _earlierValid = new bool[config.RuleCacheWays];
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
        // Combinational outputs: from the held snapshot and this cycle's install.
        bool hit = false;
        uint pc = 0, result = 0;
        for (int w = 0; w < ways; w++)
        {
            if (_heldValid[w] && _held[w]!.Key == input.MatchKey)
            {
                hit = true;
                pc |= _held[w]!.PcTag;
                result |= _held[w]!.ResultTag;
            }
        }
        bool install = input.InstallValid && !input.Flush;
        int installSet = RuleCache.SetOf(_config, input.InstallKey);
        // The lowest invalid way, known from the cycle before when InstallKey's set was the same then; else the
        // round-robin way.
        int victim = -1;
        if (install)
        {
            bool known = _config.RuleCacheSets == 1 || installSet == _earlierSet;
            for (int w = 0; w < ways && victim < 0 && known; w++)
                if (!_earlierValid[w])
                    victim = w;
            if (victim < 0)
                victim = ways == 1 ? 0 : _roundRobin;
        }
        bool evicted = install && _valid[installSet, victim];
        var way0 = _heldUndefined ? null : _held[0];
        var outputs = new RuleCacheOutputs(hit, pc, result, _evictedBefore, way0?.PcTag, way0?.ResultTag);
        for (int w = 0; w < ways; w++)
            _earlierValid[w] = !input.Flush && (_valid[installSet, w] || (install && victim == w));
        _earlierSet = installSet;

        // The edge: the read sees the state before this cycle's install.
        if (input.ReadEnable)
        {
            int readSet = RuleCache.SetOf(_config, input.ReadKey);
            for (int w = 0; w < ways; w++)
            {
                bool written = install && readSet == installSet && victim == w;
                _held[w] = written ? null : _ram[readSet, w];
                _heldValid[w] = _valid[readSet, w] && !written;
            }
            _heldUndefined = _held[0] is null;
        }
        if (input.Flush)
        {
            Array.Clear(_valid);
            Array.Clear(_heldValid);
        }
        if (install)
        {
            _valid[installSet, victim] = true;
            _ram[installSet, victim] = new Entry(input.InstallKey, input.InstallPcTag, input.InstallResultTag);
            if (evicted)
                _roundRobin = (_roundRobin + 1) % ways;
        }
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
