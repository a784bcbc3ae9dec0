using System.Runtime.CompilerServices;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Ice40;

/// <summary>What an output half of <see cref="Mac16"/> carries (<c>TOPOUTPUT_SELECT</c>, <c>BOTOUTPUT_SELECT</c>).</summary>
public enum Mac16Output
{
    /// <summary>0: the adder/subtractor (or load) result, unregistered.</summary>
    AddSub = 0,

    /// <summary>1: the output (accumulator) register.</summary>
    Register = 1,

    /// <summary>2: the 8 x 8 product of this half (F on top, G at the bottom).</summary>
    Product8x8 = 2,

    /// <summary>3: this half of the 16 x 16 product (H[31:16] on top, H[15:0] at the bottom).</summary>
    Product16x16 = 3,
}

/// <summary>The lower operand of an adder of <see cref="Mac16"/> (<c>TOPADDSUB_LOWERINPUT</c>, <c>BOTADDSUB_LOWERINPUT</c>).</summary>
public enum Mac16AdderInput
{
    /// <summary>0: the A input (top) or B input (bottom).</summary>
    Input = 0,

    /// <summary>1: the 8 x 8 product (F or G).</summary>
    Product8x8 = 1,

    /// <summary>2: this half of the 16 x 16 product.</summary>
    Product16x16 = 2,

    /// <summary>3: sign extension (top: of the bottom adder's input; bottom: of <c>SIGNEXTIN</c>).</summary>
    SignExtension = 3,
}

/// <summary>The upper operand of an adder of <see cref="Mac16"/> (<c>TOPADDSUB_UPPERINPUT</c>, <c>BOTADDSUB_UPPERINPUT</c>).</summary>
public enum Mac16AdderUpper
{
    /// <summary>0: the output register (accumulate).</summary>
    Accumulator = 0,

    /// <summary>1: the C input (top) or D input (bottom).</summary>
    Input = 1,
}

/// <summary>The carry into an adder of <see cref="Mac16"/> (<c>TOPADDSUB_CARRYSELECT</c>, <c>BOTADDSUB_CARRYSELECT</c>).</summary>
public enum Mac16Carry
{
    /// <summary>0: constant 0.</summary>
    Zero = 0,

    /// <summary>1: constant 1.</summary>
    One = 1,

    /// <summary>2: top: the bottom adder's carry out; bottom: <c>ACCUMCI</c> (cascade from the block below).</summary>
    Cascade = 2,

    /// <summary>3: top: the bottom adder's carry out corrected for subtraction; bottom: <c>CI</c>.</summary>
    CascadeOrCarryIn = 3,
}

/// <summary>
/// The configuration of a <see cref="Mac16"/>: every parameter of <c>SB_MAC16</c>, with the primitive's
/// defaults (all registers bypassed, unsigned, both outputs the unregistered adders). See the iCE40 DSP
/// function usage guide (TN1295).
/// </summary>
public sealed record Mac16Options
{
    /// <summary><c>NEG_TRIGGER</c>: the registers load on the falling clock edge.</summary>
    public bool NegativeEdge { get; init; }

    /// <summary><c>C_REG</c>: register the C input.</summary>
    public bool CRegister { get; init; }

    /// <summary><c>A_REG</c>: register the A input.</summary>
    public bool ARegister { get; init; }

    /// <summary><c>B_REG</c>: register the B input.</summary>
    public bool BRegister { get; init; }

    /// <summary><c>D_REG</c>: register the D input.</summary>
    public bool DRegister { get; init; }

    /// <summary><c>TOP_8x8_MULT_REG</c>: register the top 8 x 8 product F.</summary>
    public bool Top8x8ProductRegister { get; init; }

    /// <summary><c>BOT_8x8_MULT_REG</c>: register the bottom 8 x 8 product G.</summary>
    public bool Bottom8x8ProductRegister { get; init; }

    /// <summary><c>PIPELINE_16x16_MULT_REG1</c>: register the cross products J and K of the 16 x 16 multiplier.</summary>
    public bool Pipeline16x16Register1 { get; init; }

    /// <summary><c>PIPELINE_16x16_MULT_REG2</c>: register the 32-bit 16 x 16 product H.</summary>
    public bool Pipeline16x16Register2 { get; init; }

    /// <summary><c>TOPOUTPUT_SELECT</c>: what <c>O[31:16]</c> carries.</summary>
    public Mac16Output TopOutput { get; init; }

    /// <summary><c>TOPADDSUB_LOWERINPUT</c>.</summary>
    public Mac16AdderInput TopAdderLowerInput { get; init; }

    /// <summary><c>TOPADDSUB_UPPERINPUT</c>.</summary>
    public Mac16AdderUpper TopAdderUpperInput { get; init; }

    /// <summary><c>TOPADDSUB_CARRYSELECT</c>.</summary>
    public Mac16Carry TopAdderCarry { get; init; }

    /// <summary><c>BOTOUTPUT_SELECT</c>: what <c>O[15:0]</c> carries.</summary>
    public Mac16Output BottomOutput { get; init; }

    /// <summary><c>BOTADDSUB_LOWERINPUT</c>.</summary>
    public Mac16AdderInput BottomAdderLowerInput { get; init; }

    /// <summary><c>BOTADDSUB_UPPERINPUT</c>.</summary>
    public Mac16AdderUpper BottomAdderUpperInput { get; init; }

    /// <summary><c>BOTADDSUB_CARRYSELECT</c>.</summary>
    public Mac16Carry BottomAdderCarry { get; init; }

    /// <summary><c>MODE_8x8</c>: two independent 8 x 8 multipliers (lower power; J, K and H do not load).</summary>
    public bool Mode8x8 { get; init; }

    /// <summary><c>A_SIGNED</c>: A is two's complement.</summary>
    public bool ASigned { get; init; }

    /// <summary><c>B_SIGNED</c>: B is two's complement.</summary>
    public bool BSigned { get; init; }

    /// <summary>
    /// A 16 x 16 multiplier with the 32-bit product on <c>O</c>: signed or unsigned operands; optionally the A/B
    /// input registers, the pipeline registers (J/K and H) and the product registers. With every register
    /// enabled the product appears three clocks after its operands.
    /// </summary>
    public static Mac16Options Multiply16x16(bool signed, bool inputRegisters = false, bool pipelineRegisters = false) => new()
    {
        ASigned = signed,
        BSigned = signed,
        ARegister = inputRegisters,
        BRegister = inputRegisters,
        Pipeline16x16Register1 = pipelineRegisters,
        Top8x8ProductRegister = pipelineRegisters,
        Bottom8x8ProductRegister = pipelineRegisters,
        Pipeline16x16Register2 = pipelineRegisters,
        TopOutput = Mac16Output.Product16x16,
        BottomOutput = Mac16Output.Product16x16,
    };

    /// <summary>The Verilog parameters of <c>SB_MAC16</c>, by name.</summary>
    public IReadOnlyDictionary<string, int> ToParameters() => new SortedDictionary<string, int>(StringComparer.Ordinal)
    {
        ["NEG_TRIGGER"] = Bit(NegativeEdge),
        ["C_REG"] = Bit(CRegister),
        ["A_REG"] = Bit(ARegister),
        ["B_REG"] = Bit(BRegister),
        ["D_REG"] = Bit(DRegister),
        ["TOP_8x8_MULT_REG"] = Bit(Top8x8ProductRegister),
        ["BOT_8x8_MULT_REG"] = Bit(Bottom8x8ProductRegister),
        ["PIPELINE_16x16_MULT_REG1"] = Bit(Pipeline16x16Register1),
        ["PIPELINE_16x16_MULT_REG2"] = Bit(Pipeline16x16Register2),
        ["TOPOUTPUT_SELECT"] = (int)TopOutput,
        ["TOPADDSUB_LOWERINPUT"] = (int)TopAdderLowerInput,
        ["TOPADDSUB_UPPERINPUT"] = (int)TopAdderUpperInput,
        ["TOPADDSUB_CARRYSELECT"] = (int)TopAdderCarry,
        ["BOTOUTPUT_SELECT"] = (int)BottomOutput,
        ["BOTADDSUB_LOWERINPUT"] = (int)BottomAdderLowerInput,
        ["BOTADDSUB_UPPERINPUT"] = (int)BottomAdderUpperInput,
        ["BOTADDSUB_CARRYSELECT"] = (int)BottomAdderCarry,
        ["MODE_8x8"] = Bit(Mode8x8),
        ["A_SIGNED"] = Bit(ASigned),
        ["B_SIGNED"] = Bit(BSigned),
    };

    private static int Bit(bool value) => value ? 1 : 0;
}

/// <summary>
/// <c>SB_MAC16</c>, the DSP block of the iCE40 UltraPlus (eight on the UP5K): a 16 x 16 multiplier (or two
/// 8 x 8) with input, pipeline and output registers, and two 16-bit adder/accumulators. Configure it with
/// <see cref="Mac16Options"/>; simulate it with <see cref="Ice40Models"/>. Every input must be connected:
/// <see cref="ConnectIdle"/> ties the controls to their inactive values. Yosys's DSP inference (<c>synth_ice40 -dsp</c>)
/// would rewrite an instance as a multiplier of its own; the FPGA flow's synthesis keeps it as configured.
/// </summary>
public sealed class Mac16 : BlackBox
{
    /// <summary>A DSP block configured by <paramref name="options"/>.</summary>
    public Mac16(Mac16Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        foreach (var (name, value) in options.ToParameters())
            VerilogParameters[name] = value;
    }

    /// <inheritdoc />
    public override string ModuleName => "SB_MAC16";

    /// <summary>The configuration.</summary>
    public Mac16Options Options { get; }

    /// <summary>The clock of every register (connect <c>Clock()</c>).</summary>
    public readonly Signal CLK = In(1);

    /// <summary>Clock enable of every register.</summary>
    public readonly Signal CE = In(1);

    /// <summary>Operand C, 16 bits (the top adder's direct input, or the top load value).</summary>
    public readonly Signal C = In(16);

    /// <summary>Multiplier operand A, 16 bits.</summary>
    public readonly Signal A = In(16);

    /// <summary>Multiplier operand B, 16 bits.</summary>
    public readonly Signal B = In(16);

    /// <summary>Operand D, 16 bits (the bottom adder's direct input, or the bottom load value).</summary>
    public readonly Signal D = In(16);

    /// <summary>1: the A input register keeps its value.</summary>
    public readonly Signal AHOLD = In(1);

    /// <summary>1: the B input register keeps its value.</summary>
    public readonly Signal BHOLD = In(1);

    /// <summary>1: the C input register keeps its value.</summary>
    public readonly Signal CHOLD = In(1);

    /// <summary>1: the D input register keeps its value.</summary>
    public readonly Signal DHOLD = In(1);

    /// <summary>Asynchronous reset of the top input and product registers (C, A, F, J).</summary>
    public readonly Signal IRSTTOP = In(1);

    /// <summary>Asynchronous reset of the bottom input and product registers (B, D, K, G, H).</summary>
    public readonly Signal IRSTBOT = In(1);

    /// <summary>Asynchronous reset of the top output register.</summary>
    public readonly Signal ORSTTOP = In(1);

    /// <summary>Asynchronous reset of the bottom output register.</summary>
    public readonly Signal ORSTBOT = In(1);

    /// <summary>1: the top output stage loads C instead of the adder's result.</summary>
    public readonly Signal OLOADTOP = In(1);

    /// <summary>1: the bottom output stage loads D instead of the adder's result.</summary>
    public readonly Signal OLOADBOT = In(1);

    /// <summary>1: the top adder subtracts.</summary>
    public readonly Signal ADDSUBTOP = In(1);

    /// <summary>1: the bottom adder subtracts.</summary>
    public readonly Signal ADDSUBBOT = In(1);

    /// <summary>1: the top output register keeps its value.</summary>
    public readonly Signal OHOLDTOP = In(1);

    /// <summary>1: the bottom output register keeps its value.</summary>
    public readonly Signal OHOLDBOT = In(1);

    /// <summary>Carry in from the fabric (bottom adder, with <see cref="Mac16Carry.CascadeOrCarryIn"/>).</summary>
    public readonly Signal CI = In(1);

    /// <summary>Carry in from the block below (bottom adder, with <see cref="Mac16Carry.Cascade"/>).</summary>
    public readonly Signal ACCUMCI = In(1);

    /// <summary>Sign extension in from the block below.</summary>
    public readonly Signal SIGNEXTIN = In(1);

    /// <summary>The result, 32 bits: <c>O[31:16]</c> from the top half, <c>O[15:0]</c> from the bottom.</summary>
    public readonly Signal O = Out(32);

    /// <summary>Carry (or borrow) out of the top adder.</summary>
    public readonly Signal CO = Out(1);

    /// <summary>Carry out of the top adder, to the block above.</summary>
    public readonly Signal ACCUMCO = Out(1);

    /// <summary>Sign extension out, to the block above.</summary>
    public readonly Signal SIGNEXTOUT = Out(1);

    /// <summary>
    /// Ties every control input to its inactive value (no hold, no reset, no load, add, no carry in) and C and
    /// D to 0; the clock, <c>CE</c>, A and B are left to the caller. Call it from the parent's <c>Build</c>.
    /// </summary>
    public void ConnectIdle([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        foreach (var input in new[] { C, D, AHOLD, BHOLD, CHOLD, DHOLD, IRSTTOP, IRSTBOT, ORSTTOP, ORSTBOT,
                     OLOADTOP, OLOADBOT, ADDSUBTOP, ADDSUBBOT, OHOLDTOP, OHOLDBOT, CI, ACCUMCI, SIGNEXTIN })
            input.Set(0, file, line);
    }
}
