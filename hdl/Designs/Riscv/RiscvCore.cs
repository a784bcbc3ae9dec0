using HwGen.Designs.Tags;
using HwGen.Hdl;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The ports every core of the generator has, whatever its <see cref="CoreConfig.Microarchitecture"/>: an SoC holds
/// its core through this interface and wires the same buses, timer and trace to either kind.
/// </summary>
public interface IRiscvCore
{
    /// <summary>The configuration the core was built from.</summary>
    CoreConfig Config { get; }

    /// <summary>The core as a module, to instantiate.</summary>
    Module Module { get; }

    /// <summary>The instruction bus.</summary>
    SystemBus Instr { get; }

    /// <summary>The data bus.</summary>
    SystemBus Data { get; }

    /// <summary>The machine timer's interrupt request.</summary>
    Signal TimerInterrupt { get; }

    /// <summary>The machine timer's count (the time CSR).</summary>
    Signal Mtime { get; }

    /// <summary>The retirement trace.</summary>
    RetirementTrace Trace { get; }

    /// <summary>A tagged core's link to the PEX (<see cref="Core.Pex"/>); null for an untagged core.</summary>
    PexPort? Pex => null;

    /// <summary>A tagged core's tag loader (<see cref="Core.TagLoader"/>); null for an untagged core.</summary>
    TagLoaderPort? TagLoader => null;

    /// <summary>A tagged core's <see cref="Core.CommitCiTag"/>; null for an untagged core.</summary>
    Signal? CommitCiTag => null;

    /// <summary>A tagged core's <see cref="Core.DataRefused"/>; null for an untagged core.</summary>
    Signal? DataRefused => null;

    /// <summary>A tagged core's <see cref="Core.DataIntent"/>; null for an untagged core.</summary>
    Signal? DataIntent => null;

    /// <summary>A tagged core's <see cref="Core.DataEarlyValid"/>; null for an untagged core.</summary>
    Signal? DataEarlyValid => null;

    /// <summary>A tagged core's <see cref="Core.DataTaggedPending"/>; null for an untagged core.</summary>
    Signal? DataTaggedPending => null;

    /// <summary>A tagged core's <see cref="Core.DataHit"/>; null for an untagged core.</summary>
    Signal? DataHit => null;
}

/// <summary>The core generator's entry point: the core a <see cref="CoreConfig"/> describes.</summary>
public static class RiscvCore
{
    /// <summary>
    /// A <see cref="Core"/> (<see cref="CoreMicroarchitecture.Pipelined"/>) or a <see cref="MultiCycleCore"/>
    /// (<see cref="CoreMicroarchitecture.MultiCycle"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The configuration cannot be built (see <see cref="CoreConfig.Validate"/>).</exception>
    public static IRiscvCore Create(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return config.Microarchitecture == CoreMicroarchitecture.MultiCycle ? new MultiCycleCore(config) : new Core(config);
    }
}
