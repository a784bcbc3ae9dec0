using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// IF: chooses the address of the next instruction and requests it from the instruction memory, whose word
/// arrives one cycle later, when the instruction is in the decode stage. While decode is stalled the same
/// address is requested again, so the memory needs no hold behaviour. Prediction is static not-taken: the
/// next address is PC + 4 unless the execute stage redirects.
/// </summary>
public sealed class FetchStage : Module
{
    public FetchStage(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ResetPc = config.ResetPc;
    }

    /// <summary>The address of the first instruction after reset.</summary>
    [Parameter]
    public uint ResetPc { get; }

    /// <summary>Keep the instruction in decode: request its address again.</summary>
    public readonly Signal Stall = In(1);
    /// <summary>A taken branch or jump in the execute stage: fetch from <see cref="RedirectPc"/>.</summary>
    public readonly Signal Redirect = In(1);
    public readonly Signal RedirectPc = In(32);

    public readonly Signal InstrReq = Out(1);
    public readonly Signal InstrAddr = Out(32);
    public readonly FetchToDecode ToDecode = Out(new FetchToDecode());

    private readonly FetchToDecode decode = Reg(new FetchToDecode());

    protected override void Build()
    {
        var pcNext = Wire(32).Named("pcNext");
        When(Redirect, () => pcNext.Set(RedirectPc))
            .ElseWhen(~decode.Valid, () => pcNext.Set(ResetPc))
            .ElseWhen(Stall, () => pcNext.Set(decode.Pc))
            .Otherwise(() => pcNext.Set(decode.Pc + 4));

        InstrReq.Set(1);
        InstrAddr.Set(pcNext);
        decode.Valid.Set(1);
        decode.Pc.Set(pcNext);
        ToDecode.Set(decode);
    }
}
