using System.Globalization;
using System.Text;
using HwGen.Designs.Pex;
using HwGen.Designs.Soc;
using HwGen.Designs.Tags;
using HwGen.Firmware.Pex;
using HwGen.Sim.Model.Elf;
using HwGen.Sim.Policy;
using HwGen.Sim.Run;

namespace HwGen.Firmware.Unikernel;

/// <summary>
/// One attack of the attack set (the application <c>attacks</c>): its name (the UART command), the policy meant to stop
/// it, the symbol of the instruction it must be stopped at, the denial's reason, and the symbol whose address follows
/// the name on the UART line (the taint attacks read their pointer or jump target from the UART), if any.
/// </summary>
public sealed record Attack(string Name, string Description, string Policy, string StopSymbol, string Reason, string? InputSymbol = null)
{
    /// <summary>The UART line that makes this attack in a build of <c>attacks</c>.</summary>
    public string Command(ElfImage elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        return InputSymbol is null ? Name + "\n" : string.Create(CultureInfo.InvariantCulture, $"{Name} {AttackSet.Symbol(elf, InputSymbol):x8}\n");
    }
}

/// <summary>One row of the attack table: an attack under a policy, stopped (where, by which policy, why) or not.</summary>
/// <param name="Attack">The attack's name.</param>
/// <param name="Policy">The policy it ran under.</param>
/// <param name="Stopped">True when a policy denied an instruction.</param>
/// <param name="Pc">The denied instruction's pc (stopped), else null.</param>
/// <param name="StoppedBy">The denying policy and its reason (stopped), else null.</param>
/// <param name="Succeeded">True when the program reported the attack's success (exit <see cref="AttackSet.SucceededExitCode"/>).</param>
/// <param name="AtAttackingInstruction">True when stopped at the attack's own instruction by the expected policy and reason.</param>
/// <param name="ExitCode">The program's exit code.</param>
public sealed record AttackOutcome(string Attack, string Policy, bool Stopped, uint? Pc, string? StoppedBy, bool Succeeded, bool AtAttackingInstruction, int ExitCode)
{
    /// <summary>"stopped at 0x80000123 by heap: ..." or "succeeded" (or what else happened).</summary>
    public string Describe() =>
        Stopped ? string.Create(CultureInfo.InvariantCulture, $"stopped at 0x{Pc:x8} by {StoppedBy}")
        : Succeeded ? "succeeded"
        : string.Create(CultureInfo.InvariantCulture, $"neither stopped nor succeeded (exit 0x{ExitCode:x})");
}

/// <summary>
/// The attack set: the attacks of the <c>attacks</c> application, and runs of them on the tagged SoC (the RTL, optionally in
/// lockstep with the golden model) under a policy, giving the attack table (attack, policy, stopped at pc and reason, or succeeded).
/// </summary>
public static class AttackSet
{
    /// <summary>The application that makes the attacks.</summary>
    public const string Application = "attacks";

    /// <summary>The exit code of an attack that got through (<c>ATTACK_SUCCEEDED_EXIT</c> of attacks.h).</summary>
    public const int SucceededExitCode = 0x5a;

    /// <summary>The composite of every policy.</summary>
    public const string AllPolicies = "nxd-nwc+taint+heap+ret+cfi";

    /// <summary>The attacks, each with the policy that stops it.</summary>
    public static IReadOnlyList<Attack> Attacks { get; } =
    [
        new("code-injection", "execute instructions written into a data buffer", "nxd-nwc", "injected_code", "execute non-code"),
        new("code-overwrite", "overwrite a function's first instruction", "nxd-nwc", "attack_store_at", "write to code"),
        new("taint-pointer", "load through an address read from the UART", "taint", "attack_load_at", "tainted address", "vault_secret"),
        new("taint-jump", "call an address read from the UART", "taint", "attack_call_at", "tainted jump target", "unlock_granted"),
        new("heap-overflow", "write past a block's end into the next block", "heap", "attack_store_at", "pointer colour does not match"),
        new("use-after-free", "write through a pointer to a freed (and reused) block", "heap", "attack_store_at", "pointer colour does not match"),
        new("return-overwrite", "overflow a stack buffer over the saved return address", "ret", "attack_ret_at", "return to a non-return address"),
        new("jmpbuf-overwrite", "overflow a buffer over a saved context's return address, then restore the context and return", "ret", "attack_longjmp_at", "return to a non-return address"),
        new("call-mid-function", "call a function past its password check", "cfi", "unlock_granted", "indirect call to a non-entry"),
        new("jump-table-overwrite", "overflow a buffer over a jump table's entry, then jump through it into another function", "cfi", "unlock_granted", "indirect jump out of its function"),
    ];

    /// <summary>The UART line of the benign run: every attack's legitimate neighbour.</summary>
    public const string BenignCommand = "benign\n";

    /// <summary>The address of <paramref name="name"/> in <paramref name="elf"/>.</summary>
    public static uint Symbol(ElfImage elf, string name)
    {
        ArgumentNullException.ThrowIfNull(elf);
        return elf.FindSymbol(name)?.Value ?? throw new FirmwareConfigException($"{elf.Path}: no symbol '{name}'");
    }

    /// <summary>The run options of <paramref name="elfPath"/> on the tagged SoC under <paramref name="spec"/>, with the PEX firmware built for it.</summary>
    public static SimOptions Options(string elfPath, string spec, MemoryMap map, string uartInput, bool cosim)
    {
        var composite = Composite.Parse(spec);
        var tags = TagConfig.ForMemoryMap(map);
        return new SimOptions(elfPath)
        {
            Map = map,
            Cosim = cosim,
            MaxCycles = 20_000_000,
            DivergenceWavePath = "",
            UartInput = Encoding.Latin1.GetBytes(uartInput),
            Policy = PexFirmware.SimPolicy(composite, tags),
        };
    }

    /// <summary>Runs <paramref name="attack"/> from the built <paramref name="elfPath"/> under <paramref name="spec"/> and says what happened.</summary>
    /// <exception cref="InvalidOperationException">The co-simulation diverged (the report in the message).</exception>
    public static AttackOutcome Run(Attack attack, string elfPath, string spec, MemoryMap map, bool cosim = true)
    {
        ArgumentNullException.ThrowIfNull(attack);
        var elf = ElfImage.Load(elfPath, map);
        var result = SimRunner.Run(Options(elfPath, spec, map, attack.Command(elf), cosim));
        if (result.Divergence is not null)
            throw new InvalidOperationException($"{attack.Name} under {spec}: the RTL and the golden model diverged: {result.Divergence.Describe()}");
        var first = result.Violations.Count > 0 ? result.Violations[0] : null;
        bool at = first is not null && first.Pc == Symbol(elf, attack.StopSymbol) && first.Policy == attack.Policy && first.Reason == attack.Reason;
        return new AttackOutcome(attack.Name, Composite.Parse(spec).Name, first is not null, first?.Pc,
            first is null ? null : $"{first.Policy}: {first.Reason}", result.ExitCode == SucceededExitCode && first is null, at, result.ExitCode);
    }

    /// <summary>
    /// The attack table: every attack under no policy, under its own and under <see cref="AllPolicies"/>, run on the
    /// tagged SoC (in lockstep with the golden model when <paramref name="cosim"/>), from a build of <see cref="Application"/>.
    /// </summary>
    public static IReadOnlyList<AttackOutcome> Table(string elfPath, MemoryMap map, bool cosim = true) =>
        [.. Attacks.SelectMany(a => new[] { "none", a.Policy, AllPolicies }.Select(p => Run(a, elfPath, p, map, cosim)))];
}
