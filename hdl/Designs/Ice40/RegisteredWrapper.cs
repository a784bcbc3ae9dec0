using System.Collections;
using System.Reflection;
using HwGen.Hdl;
using Module = HwGen.Hdl.Module;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// A module alone on an FPGA, for measuring it: every input of the inner module comes from a register and every
/// output goes into one, so place and route times the module's own register-to-register paths, not the pins.
/// Three pins suffice: <c>CLK</c> clocks everything (and the inner module) directly; <c>UART_RX</c> feeds a shift
/// chain whose bits drive the inner module's inputs and its reset (flip-flops only, no LUTs); the captured
/// outputs are folded by a pipelined XOR tree into <c>UART_TX</c>, so synthesis keeps all the logic behind them.
/// </summary>
/// <remarks>
/// The inner module's ports are found by reflection: its public <see cref="Signal"/> fields, <see cref="Bundle"/>
/// fields and vectors of either whose signals are inputs or outputs, in declaration order. Ports named in
/// <c>unconnected</c> are left alone: an output there is not captured (synthesis removes what only it needs, as
/// for a trace port), an input there is tied to 0. The wrapper adds no LUTs on the input side and about one
/// LUT4 per three output bits for the fold: measure it with a trivial inner module of the same widths.
/// The port names are those of the board files' pcf (<c>CLK</c>, <c>UART_RX</c>, <c>UART_TX</c>).
/// </remarks>
public sealed class RegisteredWrapper : Module
{
    /// <summary>
    /// The inner module and its port signals, in a record: held in fields of their own, the elaborator would take
    /// the module for a child named after the field and the signals for this module's own.
    /// </summary>
    private sealed record Connections(Module Inner, string Name, Signal[] Inputs, Signal[] Outputs, Signal[] TiedOff);

    private readonly Connections inner;

    /// <param name="inner">The module to measure, not yet instantiated anywhere.</param>
    /// <param name="instanceName">The inner module's instance name (<c>core</c>).</param>
    /// <param name="unconnected">Names of the inner module's port fields to leave unconnected (<c>Trace</c>).</param>
    /// <exception cref="ArgumentException">A name in <paramref name="unconnected"/> is not a port of <paramref name="inner"/>,
    /// or the inner module has no output left to capture.</exception>
    public RegisteredWrapper(Module inner, string instanceName, IEnumerable<string>? unconnected = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(instanceName);
        var ports = Ports(inner);
        var skip = (unconnected ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var name in skip.Where(n => !ports.Any(p => p.Field == n)))
            throw new ArgumentException($"{inner.ModuleName} has no port '{name}' to leave unconnected; its ports: {string.Join(", ", ports.Select(p => p.Field).Distinct())}", nameof(unconnected));
        var inputs = ports.Where(p => !skip.Contains(p.Field) && p.Signal.Kind == SignalKind.Input).Select(p => p.Signal).ToArray();
        var outputs = ports.Where(p => !skip.Contains(p.Field) && p.Signal.Kind == SignalKind.Output).Select(p => p.Signal).ToArray();
        var tiedOff = ports.Where(p => skip.Contains(p.Field) && p.Signal.Kind == SignalKind.Input).Select(p => p.Signal).ToArray();
        this.inner = new Connections(inner, instanceName, inputs, outputs, tiedOff);
        if (outputs.Length == 0)
            throw new ArgumentException($"{inner.ModuleName} has no output to capture", nameof(inner));

        InputBits = inputs.Sum(s => s.Width);
        OutputBits = outputs.Sum(s => s.Width);
        // One more bit than the inputs take: the last one is the inner module's reset.
        chain = Reg(InputBits + 1);
        captured = Reg(OutputBits);
        var widths = new List<int>();
        for (int bits = OutputBits; bits > 1;)
        {
            bits = (bits + 3) / 4;
            widths.Add(bits);
        }
        fold = widths.Count == 0 ? null : Vector(widths.Count, i => Reg(widths[i]));
    }

    public override string ModuleName => "RegisteredWrapper";

    /// <summary>The inner module's class.</summary>
    [Parameter]
    public string Inner => inner.Inner.ModuleName;

    /// <summary>Bits of the inner module's inputs, each driven by a flip-flop of the chain.</summary>
    [Parameter]
    public int InputBits { get; }

    /// <summary>Bits of the inner module's outputs, each captured in a flip-flop.</summary>
    [Parameter]
    public int OutputBits { get; }

    /// <summary>The clock pin: clocks the chain, the capture, the fold and the inner module.</summary>
    public readonly Signal CLK = In(1);

    /// <summary>The one input: shifted into the chain.</summary>
    public readonly Signal UART_RX = In(1);

    /// <summary>The one output: the XOR of every captured output bit, a few cycles late.</summary>
    public readonly Signal UART_TX = Out(1);

    /// <summary>A shift register fed from <see cref="UART_RX"/>: bit 0 is the newest.</summary>
    private readonly Signal chain;

    /// <summary>The inner module's outputs, one cycle late.</summary>
    private readonly Signal captured;

    /// <summary>The XOR tree, one register per level, each bit the parity of four bits of the level before.</summary>
    private readonly Vec<Signal>? fold;

    protected override void Build()
    {
        DriveDomain(ClockDomain.Default, CLK, reset: chain[InputBits]);
        Instance(inner.Inner, inner.Name);
        chain.Set(InputBits == 0 ? UART_RX : Cat(chain[InputBits - 1, 0], UART_RX));

        int bit = 0;
        foreach (var input in inner.Inputs)
        {
            Expr slice = chain[bit + input.Width - 1, bit];
            input.Set(input.Signed ? slice.AsSigned() : slice);
            bit += input.Width;
        }
        foreach (var input in inner.TiedOff)
            input.Set(input.Signed ? S(0, input.Width) : U(0, input.Width));

        captured.Set(inner.Outputs.Length == 1 ? inner.Outputs[0].AsUnsigned() : Cat([.. inner.Outputs.Select(o => o.AsUnsigned())]));

        Expr last = captured;
        if (fold is not null)
        {
            foreach (var level in fold)
            {
                var below = last;
                level.Set(Cat([.. Enumerable.Range(0, level.Width).Reverse()
                    .Select(i => below[Math.Min(below.Width - 1, 4 * i + 3), 4 * i].Parity())]));
                last = level;
            }
        }
        UART_TX.Set(last);
    }

    /// <summary>The port signals of <paramref name="module"/> by the field that holds them, in declaration order.</summary>
    private static List<(string Field, Signal Signal)> Ports(Module module)
    {
        var fields = new List<FieldInfo>();
        for (var t = module.GetType(); t is not null && t != typeof(Module); t = t.BaseType)
            fields.InsertRange(0, t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly).OrderBy(f => f.MetadataToken));
        var ports = new List<(string, Signal)>();
        foreach (var field in fields)
        {
            foreach (var signal in Signals(field.GetValue(module)))
                if (signal.Kind is SignalKind.Input or SignalKind.Output)
                    ports.Add((field.Name, signal));
        }
        return ports;
    }

    private static IEnumerable<Signal> Signals(object? value) => value switch
    {
        Signal s => [s],
        Bundle b => b.Signals,
        IEnumerable items and not string => items.Cast<object?>().SelectMany(Signals),
        _ => [],
    };
}
