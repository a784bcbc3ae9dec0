using HwGen.Designs.Ice40;
using HwGen.Designs.Riscv;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Ice40;

/// <summary>
/// Each simulation model of <see cref="Ice40Models"/> against the same primitive in Yosys' <c>cells_sim.v</c>
/// (<see cref="YosysReference.Prove"/>), and the same check failing for a deliberately broken model.
/// </summary>
[TestFixture]
public sealed class ModelEquivalenceTests
{
    // ---- SB_SPRAM256KA: a proof for every input sequence, on a 4-word memory ----------------------

    /// <summary>The address narrowed to 2 bits, so that a 4-word memory (see <see cref="FourWords"/>) is exact.</summary>
    private const string SpramWrapper = """
        module TOP(input CLOCK, input [1:0] ADDRESS, input [15:0] DATAIN, input [3:0] MASKWREN,
                   input WREN, input CHIPSELECT, input STANDBY, input SLEEP, input POWEROFF, output [15:0] DATAOUT);
            PRIM ram(.ADDRESS({12'd0, ADDRESS}), .DATAIN(DATAIN), .MASKWREN(MASKWREN), .WREN(WREN),
                     .CHIPSELECT(CHIPSELECT), .CLOCK(CLOCK), .STANDBY(STANDBY), .SLEEP(SLEEP),
                     .POWEROFF(POWEROFF), .DATAOUT(DATAOUT));
        endmodule
        """;

    /// <summary>Both memories cut from 16384 words to 4 (the only change to either text), so the proof stays small.</summary>
    private static string FourWords(string text)
    {
        Assert.That(text, Does.Contain("16383"), "the memory bound to narrow");
        return text.Replace("16383", "3", StringComparison.Ordinal);
    }

    /// <summary>10 steps: five clock cycles, any mix of writes, reads, masks, standby, sleep and power-off.</summary>
    private const int SpramSteps = 10;

    [Test]
    public void SpramModelMatchesYosysForEveryInputSequence()
    {
        using var scratch = new ScratchDirectory("equiv-spram");
        var run = YosysReference.Prove("SB_SPRAM256KA", Ice40Models.Text("SB_SPRAM256KA"), scratch.Path, SpramSteps, SpramWrapper, adjust: FourWords);
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");
        scratch.Complete();
    }

    [Test]
    public void SpramCheckFailsForAModelWithTwoMaskBitsSwapped()
    {
        const string right = "{4{MASKWREN[1]}}, {4{MASKWREN[0]}}";
        var model = Ice40Models.Text("SB_SPRAM256KA");
        Assert.That(model, Does.Contain(right));
        var broken = model.Replace(right, "{4{MASKWREN[0]}}, {4{MASKWREN[1]}}", StringComparison.Ordinal);

        using var scratch = new ScratchDirectory("equiv-spram-broken");
        var run = YosysReference.Prove("SB_SPRAM256KA", broken, scratch.Path, SpramSteps, SpramWrapper, adjust: FourWords);
        Assert.That(run.Succeeded, Is.False, "the proof passed for a broken model:\n" + run);
        Assert.That(run.Output, Does.Contain("proof did fail"), run.ToString());
        scratch.Complete();
    }

    // ---- SB_LUT4 and SB_CARRY: a proof for every input ------------------------------------------------

    /// <summary>Truth tables: none, all, two corners, an arbitrary one and the counter's (<see cref="LoadableCounter.BitTable"/>).</summary>
    private static IEnumerable<ushort> Lut4Tables() => [0x0000, 0xFFFF, 0x8001, 0x5A3C, LoadableCounter.BitTable];

    private static ToolRun ProveLut4(string model, ushort init, string directory) =>
        YosysReference.Prove("SB_LUT4", model, directory, steps: 1, parameters: new Dictionary<string, int> { ["LUT_INIT"] = init });

    [TestCaseSource(nameof(Lut4Tables))]
    public void Lut4ModelMatchesYosysForEveryInput(ushort init)
    {
        using var scratch = new ScratchDirectory("equiv-lut4");
        var run = ProveLut4(Ice40Models.Text("SB_LUT4"), init, scratch.Path);
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");
        scratch.Complete();
    }

    [Test]
    public void Lut4CheckFailsForAModelWithTwoInputsSwapped()
    {
        const string right = "LUT_INIT[{I3, I2, I1, I0}]";
        var model = Ice40Models.Text("SB_LUT4");
        Assert.That(model, Does.Contain(right));
        var broken = model.Replace(right, "LUT_INIT[{I3, I2, I0, I1}]", StringComparison.Ordinal);

        using var scratch = new ScratchDirectory("equiv-lut4-broken");
        var run = ProveLut4(broken, LoadableCounter.BitTable, scratch.Path);
        Assert.That(run.Succeeded, Is.False, "the proof passed for a broken model:\n" + run);
        scratch.Complete();
    }

    [Test]
    public void CarryModelMatchesYosysForEveryInput()
    {
        using var scratch = new ScratchDirectory("equiv-carry");
        var run = YosysReference.Prove("SB_CARRY", Ice40Models.Text("SB_CARRY"), scratch.Path, steps: 1);
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");
        scratch.Complete();
    }

    [Test]
    public void CarryCheckFailsForAModelThatIgnoresTheCarryIn()
    {
        const string right = "(I0 & I1) | (CI & (I0 | I1))";
        var model = Ice40Models.Text("SB_CARRY");
        Assert.That(model, Does.Contain(right));
        var broken = model.Replace(right, "(I0 & I1)", StringComparison.Ordinal);

        using var scratch = new ScratchDirectory("equiv-carry-broken");
        var run = YosysReference.Prove("SB_CARRY", broken, scratch.Path, steps: 1);
        Assert.That(run.Succeeded, Is.False, "the proof passed for a broken model:\n" + run);
        scratch.Complete();
    }

    // ---- SB_MAC16: every configuration the designs use, random operands and controls ----------------

    private static IEnumerable<TestCaseData> Mac16Configurations()
    {
        yield return Case("defaults", new Mac16Options());
        yield return Case("unsigned 16x16", Mac16Options.Multiply16x16(signed: false));
        yield return Case("signed 16x16", Mac16Options.Multiply16x16(signed: true));
        yield return Case("signed 16x16 input registers", Mac16Options.Multiply16x16(signed: true, inputRegisters: true));
        yield return Case("unsigned 16x16 all registers", Mac16Options.Multiply16x16(signed: false, inputRegisters: true, pipelineRegisters: true));
        yield return Case("signed 16x16 all registers", Mac16Options.Multiply16x16(signed: true, inputRegisters: true, pipelineRegisters: true));
        yield return Case("32-bit multiply-accumulate", new Mac16Options
        {
            ASigned = true, BSigned = true, ARegister = true, BRegister = true, Pipeline16x16Register2 = true,
            TopAdderLowerInput = Mac16AdderInput.Product16x16, BottomAdderLowerInput = Mac16AdderInput.Product16x16,
            TopAdderCarry = Mac16Carry.Cascade, TopOutput = Mac16Output.Register, BottomOutput = Mac16Output.Register,
        });
        yield return Case("two 8x8 with C and D", new Mac16Options
        {
            Mode8x8 = true, ASigned = true, CRegister = true, DRegister = true, Top8x8ProductRegister = true,
            TopAdderUpperInput = Mac16AdderUpper.Input, BottomAdderUpperInput = Mac16AdderUpper.Input,
            TopAdderLowerInput = Mac16AdderInput.Product8x8, BottomAdderLowerInput = Mac16AdderInput.SignExtension,
            BottomAdderCarry = Mac16Carry.CascadeOrCarryIn, TopAdderCarry = Mac16Carry.CascadeOrCarryIn,
            TopOutput = Mac16Output.AddSub, BottomOutput = Mac16Output.Product8x8,
        });
        yield return Case("negative edge", Mac16Options.Multiply16x16(signed: false, inputRegisters: true) with { NegativeEdge = true });
        yield return Case("the multiplier's middle sum", Multiplier.MiddleOptions);
        yield return Case("the multiplier's low word", Multiplier.LowOptions);
        yield return Case("the CSR unit's counter half", Mac16Counter.Options);

        static TestCaseData Case(string name, Mac16Options options) => new TestCaseData(options).SetArgDisplayNames(name);
    }

    private static readonly (string Name, int Width)[] s_mac16Inputs =
    [
        ("CE", 1), ("C", 16), ("A", 16), ("B", 16), ("D", 16), ("AHOLD", 1), ("BHOLD", 1), ("CHOLD", 1), ("DHOLD", 1),
        ("IRSTTOP", 1), ("IRSTBOT", 1), ("ORSTTOP", 1), ("ORSTBOT", 1), ("OLOADTOP", 1), ("OLOADBOT", 1),
        ("ADDSUBTOP", 1), ("ADDSUBBOT", 1), ("OHOLDTOP", 1), ("OHOLDBOT", 1), ("CI", 1), ("ACCUMCI", 1), ("SIGNEXTIN", 1),
    ];

    /// <summary>24 steps (12 clock cycles) of random inputs: a SAT proof over symbolic 16 x 16 products is out of
    /// reach, so the operands and controls are fixed to random values (resets, holds and loads are rare, the
    /// clock enable mostly on), which makes the check a cycle-exact co-simulation of both models in Yosys.</summary>
    private const int Mac16Steps = 24;

    private static List<(int Step, string Input, ulong Value)> RandomMac16Inputs(int seed)
    {
        var random = new Random(seed);
        var inputs = new List<(int, string, ulong)>();
        for (int step = 1; step <= Mac16Steps; step++)
        {
            inputs.Add((step, "CLK", (ulong)(step % 2)));
            foreach (var (name, width) in s_mac16Inputs)
            {
                ulong value = name switch
                {
                    "CE" => random.Next(8) == 0 ? 0UL : 1UL,
                    "IRSTTOP" or "IRSTBOT" or "ORSTTOP" or "ORSTBOT" => random.Next(16) == 0 ? 1UL : 0UL,
                    "AHOLD" or "BHOLD" or "CHOLD" or "DHOLD" or "OHOLDTOP" or "OHOLDBOT" or "OLOADTOP" or "OLOADBOT" => random.Next(8) == 0 ? 1UL : 0UL,
                    _ => (ulong)random.NextInt64(1L << width),
                };
                inputs.Add((step, name, value));
            }
        }
        return inputs;
    }

    private static ToolRun ProveMac16(string model, Mac16Options options, int seed, string directory) =>
        YosysReference.Prove("SB_MAC16", model, directory, Mac16Steps,
            parameters: options.ToParameters(), inputs: RandomMac16Inputs(seed));

    [TestCaseSource(nameof(Mac16Configurations))]
    public void Mac16ModelMatchesYosysOnRandomInputs(Mac16Options options)
    {
        using var scratch = new ScratchDirectory("equiv-mac16");
        foreach (var seed in new[] { 1, 2 })
        {
            var run = ProveMac16(Ice40Models.Text("SB_MAC16"), options, seed, scratch.Combine($"seed{seed}"));
            Assert.That(run.Succeeded, Is.True, $"seed {seed}, files kept in {scratch.Path}\n{run}");
        }
        scratch.Complete();
    }

    [Test]
    public void Mac16CheckFailsForAModelThatForgetsTheSignOfA()
    {
        const string right = "{{8{(A_SIGNED != 0) & k[15]}}, k, 8'h00}";
        var model = Ice40Models.Text("SB_MAC16");
        Assert.That(model, Does.Contain(right));
        var broken = model.Replace(right, "{8'h00, k, 8'h00}", StringComparison.Ordinal);

        using var scratch = new ScratchDirectory("equiv-mac16-broken");
        var run = ProveMac16(broken, Mac16Options.Multiply16x16(signed: true), seed: 1, scratch.Path);
        Assert.That(run.Succeeded, Is.False, "the check passed for a broken model:\n" + run);
        Assert.That(run.Output, Does.Contain("proof did fail"), run.ToString());
        scratch.Complete();
    }

    // ---- SB_IO: each supported PIN_TYPE, every input sequence ---------------------------------------

    /// <summary>
    /// Every input mode with every output mode that always or never drives the pin. The tristate modes are left
    /// out: Yosys' SAT engine has no floating value, and a pin read back while undriven does not compare.
    /// </summary>
    private static IEnumerable<TestCaseData> IoModes() =>
        from output in Enum.GetValues<IoOutputMode>()
        where output is not (IoOutputMode.Tristate or IoOutputMode.TristateRegistered)
        from input in Enum.GetValues<IoInputMode>()
        select new TestCaseData(output, input).SetArgDisplayNames(output.ToString(), input.ToString());

    /// <summary>
    /// cells_sim.v takes an unconnected (z) CLOCK_ENABLE as 1 with <c>CLOCK_ENABLE === 1'bz</c>, which Yosys' SAT
    /// engine does not evaluate as a simulator does; the wrapper always connects it, so plain <c>CLOCK_ENABLE</c> is the same.
    /// </summary>
    private static string ConnectedClockEnable(string text) =>
        text.Replace("CLOCK_ENABLE || CLOCK_ENABLE === 1'bz", "CLOCK_ENABLE", StringComparison.Ordinal);

    [TestCaseSource(nameof(IoModes))]
    public void IoModelMatchesYosysForEveryInputSequence(IoOutputMode output, IoInputMode input)
    {
        using var scratch = new ScratchDirectory("equiv-io");
        var run = ProveIo(Ice40Models.Text("SB_IO"), output, input, scratch.Path);
        Assert.That(run.Succeeded, Is.True, $"files kept in {scratch.Path}\n{run}");
        scratch.Complete();
    }

    [Test]
    public void IoCheckFailsForAModelThatSwapsTheInputModes()
    {
        const string right = "assign D_IN_0 = TYPE[0] ? PACKAGE_PIN : in_q0;";
        var model = Ice40Models.Text("SB_IO");
        Assert.That(model, Does.Contain(right));
        var broken = model.Replace(right, "assign D_IN_0 = TYPE[0] ? in_q0 : PACKAGE_PIN;", StringComparison.Ordinal);

        using var scratch = new ScratchDirectory("equiv-io-broken");
        var run = ProveIo(broken, IoOutputMode.Direct, IoInputMode.Direct, scratch.Path);
        Assert.That(run.Succeeded, Is.False, "the proof passed for a broken model:\n" + run);
        Assert.That(run.Output, Does.Contain("proof did fail"), run.ToString());
        scratch.Complete();
    }

    private static ToolRun ProveIo(string model, IoOutputMode output, IoInputMode input, string directory)
    {
        int pinType = new IoCell(output, input).PinType;
        // The pin is the wrapper's input when the cell never drives it, its output otherwise.
        string pinPort = output != IoOutputMode.None ? "output PIN" : "input PIN";
        var wrapper = $$"""
            module TOP({{pinPort}}, input INPUT_CLK, input OUTPUT_CLK, input CLOCK_ENABLE, input OUTPUT_ENABLE,
                       input D_OUT_0, input D_OUT_1, output D_IN_0, output D_IN_1);
                PRIM #(.PIN_TYPE({{pinType}})) io(.PACKAGE_PIN(PIN), .LATCH_INPUT_VALUE(1'b0), .CLOCK_ENABLE(CLOCK_ENABLE),
                    .INPUT_CLK(INPUT_CLK), .OUTPUT_CLK(OUTPUT_CLK), .OUTPUT_ENABLE(OUTPUT_ENABLE),
                    .D_OUT_0(D_OUT_0), .D_OUT_1(D_OUT_1), .D_IN_0(D_IN_0), .D_IN_1(D_IN_1));
            endmodule
            """;
        return YosysReference.Prove("SB_IO", model, directory, steps: 10, wrapper, adjust: ConnectedClockEnable, removeOpenLatches: true);
    }
}
