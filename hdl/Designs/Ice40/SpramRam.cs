using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>
/// RAM of 32-bit words with byte write enables, built from <c>SB_SPRAM256KA</c> blocks (<see cref="Spram256ka"/>):
/// 64 KiB (16K words) is two blocks side by side, one for each half-word; 128 KiB adds a second bank of two,
/// chosen by the top address bit. One port; a read's word is on <see cref="Rdata"/> the cycle after the read
/// and stays there until the next read (after a write it is undefined, as the primitive's output is).
/// Apart from the bank select of the 128 KiB version there is no logic outside the blocks.
/// </summary>
public sealed class SpramRam : Module
{
    /// <summary>A RAM of <paramref name="kibibytes"/> KiB: 64 (two blocks) or 128 (four blocks, the whole UP5K).</summary>
    public SpramRam(int kibibytes = 64)
    {
        if (kibibytes is not (64 or 128))
            throw new ArgumentOutOfRangeException(nameof(kibibytes), kibibytes, "an SPRAM RAM is 64 KiB (2 blocks) or 128 KiB (4 blocks)");
        KiB = kibibytes;
        Banks = kibibytes / 64;
        Address = In(Banks == 1 ? 14 : 15);
        if (Banks > 1)
            bank = Reg(1);
    }

    /// <summary>The size in KiB (64 or 128).</summary>
    [Parameter]
    public int KiB { get; }

    /// <summary>Banks of two blocks (1 or 2).</summary>
    public int Banks { get; }

    /// <summary>Word index (14 bits for 64 KiB, 15 for 128 KiB).</summary>
    public readonly Signal Address;

    /// <summary>1: an access (read or write) this cycle.</summary>
    public readonly Signal Enable = In(1);

    /// <summary>1: the access is a write.</summary>
    public readonly Signal Write = In(1);

    /// <summary>Byte enables of a write: bit <c>i</c> writes <c>Wdata[8i+7:8i]</c>.</summary>
    public readonly Signal Mask = In(4);

    /// <summary>The word to write.</summary>
    public readonly Signal Wdata = In(32);

    /// <summary>The word read, valid the cycle after a read.</summary>
    public readonly Signal Rdata = Out(32);

    // The bank of the last read (128 KiB only), which selects the blocks' output.
    private readonly Signal? bank;

    protected override void Build()
    {
        var reads = new List<Expr>();
        for (int b = 0; b < Banks; b++)
        {
            var select = Banks == 1 ? (Expr)Enable : (Enable & Address[14].Eq(b)).Named($"select{b}");
            var low = Instance(new Spram256ka(), Banks == 1 ? "low" : $"low{b}");
            var high = Instance(new Spram256ka(), Banks == 1 ? "high" : $"high{b}");
            Connect(low, select, Wdata[15, 0], Cat(Mask[1], Mask[1], Mask[0], Mask[0]));
            Connect(high, select, Wdata[31, 16], Cat(Mask[3], Mask[3], Mask[2], Mask[2]));
            reads.Add(Cat(high.DATAOUT, low.DATAOUT));
        }
        if (bank is null)
        {
            Rdata.Set(reads[0]);
        }
        else
        {
            When(Enable & ~Write, () => bank.Set(Address[14]));
            Rdata.Set(Mux(bank, reads[1], reads[0]));
        }
    }

    private void Connect(Spram256ka block, Expr select, Expr data, Expr nibbles)
    {
        block.ADDRESS.Set(Address[13, 0]);
        block.DATAIN.Set(data);
        block.MASKWREN.Set(nibbles);
        block.WREN.Set(Write);
        block.CHIPSELECT.Set(select);
        block.CLOCK.Set(Clock());
        block.PowerOn();
    }
}
