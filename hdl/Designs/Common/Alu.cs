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
/// <remarks>
/// Built for a LUT4 FPGA: one carry chain serves <c>add</c>, <c>sub</c>, <c>slt</c> and <c>sltu</c> (the comparisons
/// read the subtraction's sign, overflow and carry), and one rotator serves all three shifts (a left shift
/// rotates the other way; a mask of the amount keeps the bits the shift keeps, the others take the fill).
/// </remarks>
public sealed class Alu : Module
{
    /// <param name="width">The operand width, a power of two of at least 2.</param>
    /// <param name="compareResult">
    /// Whether <c>slt</c> and <c>sltu</c> put their answer on <see cref="Result"/>; without it they give 0 there and a
    /// pipeline takes the answer from <see cref="Less"/> and <see cref="LessUnsigned"/> (registered: off the result's path).
    /// </param>
    /// <param name="addendInput">
    /// Whether the adder's second operand comes from the <see cref="Addend"/> input, formed by the caller (B, or ~B
    /// when subtracting), rather than from B here: a pipeline that forms it from registered values saves the
    /// complement's logic level in front of the carry chain.
    /// </param>
    /// <param name="shifts">
    /// Whether the shifts put their answer on <see cref="Result"/>; without it they give 0 there, and a pipeline
    /// forms them itself with <see cref="Rotate"/> and <see cref="ShiftResult"/> (over two stages).
    /// </param>
    public Alu(int width = 32, bool compareResult = true, bool addendInput = false, bool shifts = true)
    {
        if (width < 2 || (width & (width - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(width), width, "the width must be a power of two of at least 2");
        Width = width;
        CompareResult = compareResult;
        Shifts = shifts;
        A = In(width);
        B = In(width);
        Result = Out(width);
        Sum = Out(width);
        Others = Out(width);
        Logic = Out(width);
        if (addendInput)
            Addend = In(width);
    }

    [Parameter]
    public int Width { get; }

    /// <summary><c>slt</c> and <c>sltu</c> answer on <see cref="Result"/> (see the constructor).</summary>
    [Parameter]
    public bool CompareResult { get; }

    /// <summary>The shifts answer on <see cref="Result"/> (see the constructor).</summary>
    [Parameter]
    public bool Shifts { get; }

    public readonly Signal A;
    public readonly Signal B;
    public readonly Signal Op = In(4);
    /// <summary>
    /// 1 when <see cref="Op"/> is <c>sub</c>, <c>slt</c> or <c>sltu</c> (<see cref="IsSubtraction"/>): the adder adds the
    /// complement of B plus one. The caller decodes it ahead, so that it comes from a register: it feeds every bit of the adder.
    /// </summary>
    public readonly Signal Subtract = In(1);
    /// <summary>
    /// With <c>addendInput</c> only: the adder's second operand, B when adding and ~B when subtracting. B then serves
    /// the shifts, the logic operations and <see cref="Equal"/> only, and need not be B itself when subtracting.
    /// </summary>
    public readonly Signal? Addend;
    public readonly Signal Result;
    /// <summary>The adder's sum (A + B, or A - B), whatever the op.</summary>
    public readonly Signal Sum;
    /// <summary><see cref="Result"/> but for the adder's term: 0 for <c>add</c> and <c>sub</c>.</summary>
    public readonly Signal Others;
    /// <summary>
    /// The logic operation of <see cref="Op"/>'s bits 1..0, whatever the op (xor for 00 and 01, or for 10, and for 11):
    /// one LUT a bit, for a user that ORs it into its own result with its own select (<see cref="IsLogic"/>).
    /// </summary>
    public readonly Signal Logic;
    public readonly Signal Zero = Out(1);
    /// <summary>The comparisons of A with B, valid when <see cref="Op"/> subtracts (<c>sub</c>, <c>slt</c>, <c>sltu</c>): signed and unsigned less-than, and equality (for any op).</summary>
    public readonly Signal Less = Out(1);
    public readonly Signal LessUnsigned = Out(1);
    public readonly Signal Equal = Out(1);

    protected override void Build()
    {
        int shiftBits = Shape.BitsFor((ulong)Width);

        // A + B, or A - B = A + ~B + 1: the carry-in rides below the operands' lowest bit ({A, 1} + {~B, 1}).
        var addend = (Addend ?? Mux(Subtract, ~B, B)).Named("addend");
        var wide = (Cat(U(0, 1), A, U(1, 1)) + Cat(U(0, 1), addend, Subtract)).Named("wide");
        var sum = wide[Width, 1].Named("sum");
        var carry = wide[Width + 1];
        // A < B unsigned: the subtraction borrows (no carry out). Signed: the signs differ and A is negative, or they
        // agree and the difference is negative.
        var lessUnsigned = (~carry).Named("lessUnsigned");
        // B's sign is the addend's, complemented when subtracting.
        var lessSigned = Mux(A.Msb ^ addend.Msb ^ Subtract, A.Msb, sum.Msb).Named("lessSigned");

        // One rotator serves the three shifts (see Rotate and ShiftResult).
        Expr? shifted = null;
        if (Shifts)
        {
            var shamt = B.Low(shiftBits).Named("shamt");
            var left = Op.Eq((int)AluOp.Sll).Named("left");
            var fill = (Op.Eq((int)AluOp.Sra) & A.Msb).Named("fill");
            var rotated = Rotate(A, ShiftRotation(shamt, left).Named("rotation"), 0, shiftBits).Named("rotated");
            shifted = ShiftResult(rotated, shamt, left, fill).Named("shifted");
        }

        // The result: one AND-OR of the sources (the selects decode the op alone, so they are ready early). The
        // three logic operations share one LUT per bit: op bits 1..0 choose xor (00), or (10), and (11).
        Expr Is(params AluOp[] ops)
        {
            Expr any = U(0, 1);
            foreach (var op in ops)
                any |= Op.Eq((int)op);
            return any;
        }
        var logic = Mux(Op[1], Mux(Op[0], A & B, A | B), A ^ B).Named("logic");
        var compare = Mux(Is(AluOp.Slt), lessSigned, 0) | Mux(Is(AluOp.Sltu), lessUnsigned, 0);
        var others = (shifted is null ? U(0, Width) : Mux(Is(AluOp.Sll, AluOp.Srl, AluOp.Sra), shifted, 0))
            | Mux(IsLogic(Op), logic, 0);
        var withCompare = CompareResult ? others | compare.ZeroExtend(Width) : others;
        Sum.Set(sum);
        Others.Set(withCompare);
        Logic.Set(logic);
        Result.Set(Mux(IsAddition(Op), sum, 0) | withCompare);
        Zero.Set(~Result.Any());
        Less.Set(lessSigned);
        LessUnsigned.Set(lessUnsigned);
        Equal.Set(~(A ^ B).Any());
    }

    /// <summary>
    /// The right rotation that a shift by <paramref name="amount"/> starts with: the amount itself, or for a left
    /// shift (<paramref name="left"/>) its negation.
    /// </summary>
    public static Expr ShiftRotation(Expr amount, Expr left) => Mux(left, -amount, amount);

    /// <summary>
    /// <paramref name="value"/> rotated right by 2^k for each bit k of <paramref name="rotation"/> from
    /// <paramref name="first"/> on, <paramref name="count"/> of them: one level of 2:1 multiplexers each.
    /// </summary>
    public static Expr Rotate(Expr value, Expr rotation, int first, int count)
    {
        int width = value.Width;
        for (int k = first; k < first + count; k++)
        {
            int by = 1 << k;
            value = Mux(rotation[k], Cat(value[by - 1, 0], value[width - 1, by]), value);
        }
        return value;
    }

    /// <summary>
    /// A shift by <paramref name="amount"/> from its fully <paramref name="rotated"/> operand (see
    /// <see cref="ShiftRotation"/>): a mask that depends on the amount alone keeps the bits the shift keeps, the
    /// others take <paramref name="fill"/> (the operand's sign for an arithmetic shift, else 0).
    /// </summary>
    public static Expr ShiftResult(Expr rotated, Expr amount, Expr left, Expr fill)
    {
        int width = rotated.Width;
        var ones = U(ulong.MaxValue >> (64 - width), width);
        var keep = Mux(left, ones.Shl(amount), ones.Shr(amount));
        return (rotated & keep) | (~keep & fill.Replicate(width));
    }

    /// <summary>Whether <paramref name="op"/> (an <see cref="AluOp"/>) gives the adder's sum (<c>add</c>, <c>sub</c>).</summary>
    public static Expr IsAddition(Expr op) => op.Eq((int)AluOp.Add) | op.Eq((int)AluOp.Sub);

    /// <summary>Whether <paramref name="op"/> (an <see cref="AluOp"/>) gives <see cref="Logic"/> (<c>xor</c>, <c>or</c>, <c>and</c>).</summary>
    public static Expr IsLogic(Expr op) => op.Eq((int)AluOp.Xor) | op.Eq((int)AluOp.Or) | op.Eq((int)AluOp.And);

    /// <summary>Whether <paramref name="op"/> (an <see cref="AluOp"/>) subtracts: the value <see cref="Subtract"/> must have.</summary>
    public static Expr IsSubtraction(Expr op) => op.Eq((int)AluOp.Sub) | op.Eq((int)AluOp.Slt) | op.Eq((int)AluOp.Sltu);
}
