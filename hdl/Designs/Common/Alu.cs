using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Common;

/// <summary>The operations of <see cref="Alu"/>, numbered as RV32's funct3 with bit 3 from funct7[5].</summary>
public enum AluOp
{
    Add = 0b0000,
    Sub = 0b1000,
    Sll = 0b0001,
    Slt = 0b0010,
    Sltu = 0b0011,
    Xor = 0b0100,
    Srl = 0b0101,
    Sra = 0b1101,
    Or = 0b0110,
    And = 0b0111,
}

/// <summary>A combinational integer ALU with the RV32I register-register operations.</summary>
public sealed class Alu : Module
{
    public Alu(int width = 32)
    {
        if (width < 2 || (width & (width - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(width), width, "the width must be a power of two of at least 2");
        Width = width;
        A = In(width);
        B = In(width);
        Result = Out(width);
    }

    [Parameter]
    public int Width { get; }

    public readonly Signal A;
    public readonly Signal B;
    public readonly Signal Op = In(4);
    public readonly Signal Result;
    public readonly Signal Zero = Out(1);

    protected override void Build()
    {
        int shiftBits = Shape.BitsFor((ulong)Width);
        var shamt = B.Low(shiftBits).Named("shamt");
        Switch(Op)
            .Case((int)AluOp.Add, () => Result.Set(A + B))
            .Case((int)AluOp.Sub, () => Result.Set(A - B))
            .Case((int)AluOp.Sll, () => Result.Set(A.Shl(shamt)))
            .Case((int)AluOp.Slt, () => Result.Set((A.AsSigned() < B.AsSigned()).ZeroExtend(Width)))
            .Case((int)AluOp.Sltu, () => Result.Set((A < B).ZeroExtend(Width)))
            .Case((int)AluOp.Xor, () => Result.Set(A ^ B))
            .Case((int)AluOp.Srl, () => Result.Set(A.Shr(shamt)))
            .Case((int)AluOp.Sra, () => Result.Set(A.AsSigned().Shr(shamt).AsUnsigned()))
            .Case((int)AluOp.Or, () => Result.Set(A | B))
            .Case((int)AluOp.And, () => Result.Set(A & B))
            .Default(() => Result.Set(0));
        Zero.Set(~Result.Any());
    }
}
