using HwGen.Designs.Common;
using System.Text.Json;
using HwGen.Designs.Examples;
using HwGen.Designs.Pex;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Hdl;

namespace HwGen.Designs;

/// <summary>A design name or parameter that <see cref="DesignCatalog"/> cannot accept.</summary>
public sealed class DesignConfigException(string message) : Exception(message);

/// <summary>The designs that <c>hwgen verilog --config NAME</c> knows, each made from optional JSON parameters.</summary>
public static class DesignCatalog
{
    private sealed record Entry(string Description, Func<Parameters, Module> Create, bool HasCore = false);

    private static readonly SortedDictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["counter"] = new("up-counter with enable and clear", p => new Counter(p.Int("width", 8))),
        ["fifo"] = new("first-in first-out queue in block RAM", p => new Fifo(p.Int("width", 8), p.Int("depth", 16))),
        ["uart-tx"] = new("UART transmitter, 8N1", p => new UartTx(p.Int("clocksPerBit", 104))),
        ["alu"] = new("RV32I integer ALU", p => new Alu(p.Int("width", 32))),
        ["regfile"] = new("register file in block RAM, 2 read ports", p => new Common.RegisterFile(p.Int("width", 32), p.Int("count", 32))),
        ["core"] = new("RV32IM+Zicsr five-stage pipeline (the application processor)",
            p => new Core(CoreFrom(p, MemoryMap.Ice40Up5k)), HasCore: true),
        ["soc"] = new("the AP system: core, RAM, UART, timer, for the iCE40 UP5K memory map",
            p => new ApSoc(MemoryMap.Ice40Up5k, CoreFrom(p, MemoryMap.Ice40Up5k)), HasCore: true),
        ["pex"] = new("the policy coprocessor's system: a core without M, its RAM, the tag-control device, a console",
            p => new PexSoc(TagsFrom(p))),
        ["tagged-soc"] = new("the tagged system: the AP system with a tagged core and the policy coprocessor's system, for the iCE40 UP5K memory map",
            p => new TaggedSoc(MemoryMap.Ice40Up5k, TagsFrom(p), CoreFrom(p, MemoryMap.Ice40Up5k)), HasCore: true),
        ["rulecache"] = new("the tag unit's rule cache in block RAM (hashed sets, full-key compare)", p => new RuleCache(TagsFrom(p), p.Bool("cells", false))),
        ["tagmemory"] = new("tag memory: a tag per word of the RAM of the iCE40 UP5K memory map", p => new TagMemory(TagsFrom(p))),
        ["opgrouptable"] = new("the opgroup table with its care masks (1024 x 9, block RAM)", _ => new OpgroupTable()),
    };

    /// <summary>The tag configuration (<see cref="TagConfig"/>) of a tag design, for the RAM of the iCE40 UP5K memory map.</summary>
    private static TagConfig TagsFrom(Parameters p)
    {
        var defaults = TagConfig.ForMemoryMap(MemoryMap.Ice40Up5k);
        var config = defaults with
        {
            TagWidth = p.Int("tagWidth", defaults.TagWidth),
            RuleCacheEntries = p.Int("entries", defaults.RuleCacheEntries),
            RuleCacheWays = p.Int("ways", defaults.RuleCacheWays),
            Statistics = p.Bool("statistics", defaults.Statistics),
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            // Name the JSON parameter, not the configuration's property.
            var name = ex.ParamName switch
            {
                nameof(TagConfig.TagWidth) => "tagWidth",
                nameof(TagConfig.RuleCacheEntries) => "entries",
                nameof(TagConfig.RuleCacheWays) => "ways",
                _ => ex.ParamName,
            };
            throw new ArgumentException(ex.Message.Split(" (Parameter")[0], name, ex);
        }
        return config;
    }

    /// <summary>The core's parameters (<see cref="CoreParameters"/>) of a design that has a core, for <paramref name="map"/>.</summary>
    private static CoreConfig CoreFrom(Parameters p, MemoryMap map) =>
        CoreParameters.Apply(CoreConfig.ForMemoryMap(map),
            branchPredictor: p.String(CoreParameters.BranchPredictor),
            btbEntries: p.Int(CoreParameters.BtbEntries),
            withM: p.Bool(CoreParameters.WithM));

    /// <summary>True when design <paramref name="name"/> has a core and takes the <see cref="CoreParameters"/>.</summary>
    public static bool HasCore(string name) => Entries.TryGetValue(name, out var e) && e.HasCore;

    public static IReadOnlyList<string> Names { get; } = Entries.Keys.ToArray();

    public static string Describe(string name) => Entries.TryGetValue(name, out var e) ? e.Description : "";

    /// <summary>Builds design <paramref name="name"/>; <paramref name="parameters"/> is a JSON object of constructor arguments.</summary>
    public static Module Create(string name, JsonElement? parameters = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new DesignConfigException($"unknown design '{name}'; known designs: {string.Join(", ", Names)}");
        var p = new Parameters(name, parameters);
        Module module;
        try
        {
            module = entry.Create(p);
        }
        catch (ArgumentException ex)
        {
            var param = ex.ParamName is { } n ? $"parameter '{n}'" : "a parameter";
            throw new DesignConfigException($"design '{name}': {param} is invalid: {ex.Message.Split(" (Parameter")[0]}");
        }
        p.RejectUnused();
        return module;
    }

    private sealed class Parameters(string design, JsonElement? json)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public int Int(string key, int fallback)
        {
            _used.Add(key);
            if (json is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(key, out var value))
                return fallback;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var result))
                throw new DesignConfigException($"design '{design}': parameter '{key}' must be an integer, not {value.GetRawText()}");
            return result;
        }

        public int? Int(string key) => Has(key) ? Int(key, 0) : null;

        public bool? Bool(string key) => Has(key) ? Bool(key, false) : null;

        /// <summary>A string parameter, or null when it is not given.</summary>
        public string? String(string key)
        {
            _used.Add(key);
            if (json is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(key, out var value))
                return null;
            if (value.ValueKind != JsonValueKind.String)
                throw new DesignConfigException($"design '{design}': parameter '{key}' must be a string, not {value.GetRawText()}");
            return value.GetString();
        }

        private bool Has(string key)
        {
            _used.Add(key);
            return json is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(key, out _);
        }

        public bool Bool(string key, bool fallback)
        {
            _used.Add(key);
            if (json is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(key, out var value))
                return fallback;
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new DesignConfigException($"design '{design}': parameter '{key}' must be true or false, not {value.GetRawText()}"),
            };
        }

        public void RejectUnused()
        {
            if (json is null || json.Value.ValueKind == JsonValueKind.Null)
                return;
            if (json.Value.ValueKind != JsonValueKind.Object)
                throw new DesignConfigException($"design '{design}': parameters must be a JSON object");
            foreach (var property in json.Value.EnumerateObject())
                if (!_used.Contains(property.Name))
                    throw new DesignConfigException($"design '{design}' has no parameter '{property.Name}'; it has: {string.Join(", ", _used.Order(StringComparer.Ordinal))}");
        }
    }
}
