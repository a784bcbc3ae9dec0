using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Examples;

/// <summary>An up-counter with enable, synchronous clear and a wrap pulse.</summary>
public sealed class Counter : Module
{
    public Counter(int width = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        Width = width;
        Count = Out(width);
        value = Reg(width, reset: 0);
    }

    [Parameter]
    public int Width { get; }

    public readonly Signal Enable = In(1);
    public readonly Signal Clear = In(1);
    public readonly Signal Count;
    /// <summary>1 in the cycle where the counter wraps from its maximum to zero.</summary>
    public readonly Signal Wrap = Out(1);

    private readonly Signal value;

    protected override void Build()
    {
        When(Clear, () => value.Set(0))
            .ElseWhen(Enable, () => value.Set(value + 1));
        Count.Set(value);
        Wrap.Set(Enable & ~Clear & value.All());
    }
}
