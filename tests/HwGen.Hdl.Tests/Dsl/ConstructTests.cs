using HwGen.Gen.Tools;
using HwGen.Gen.Verilog;
using HwGen.Hdl;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Dsl;

/// <summary>The constructs beyond the example designs: bundles, vectors, instances, domains, black boxes.</summary>
[TestFixture]
public sealed class ConstructTests
{
    private sealed class Stage : Bundle
    {
        public readonly Signal Valid = Bool(reset: 0);
        public readonly Signal Pc = UInt(32);
        public readonly Signal Imm = SInt(12);
    }

    private sealed class Adder : Module
    {
        public readonly Signal A = In(8);
        public readonly Signal B = In(8);
        public readonly Signal Sum = Out(9);

        protected override void Build() => Sum.Set(A.AddWide(B));
    }

    private sealed class Showcase : Module
    {
        public readonly Signal Valid = In(1);
        public readonly Signal Pc = In(32);
        public readonly Signal Imm = In(12);
        public readonly Signal Select = In(2);
        public readonly Signal WriteIndex = In(2);
        public readonly Signal WriteValue = In(8);
        public readonly Signal Target = Out(32);
        public readonly Signal Picked = Out(8);
        public readonly Signal Sums = Out(18);
        public readonly Signal SlowCount = Out(4);

        private readonly Stage decode = Wire(new Stage());
        private readonly Stage execute = Reg(new Stage());
        private readonly Vec<Signal> slots = Vector(4, i => Reg(8, reset: i));
        private readonly Adder low = new();
        private readonly Adder high = new();
        private readonly ClockDomain slow = new("slow");
        private readonly Signal slowCounter;

        public Showcase() => slowCounter = Reg(4, reset: 0, domain: slow);

        protected override void Build()
        {
            decode.Valid.Set(Valid);
            decode.Pc.Set(Pc);
            decode.Imm.Set(Imm.AsSigned());
            execute.Set(decode);
            Target.Set(Mux(execute.Valid, execute.Pc + execute.Imm.SignExtend(32).AsUnsigned(), 0));

            When(Valid, () => slots.At(WriteIndex).Set(WriteValue));
            Picked.Set(slots.At(Select));

            low.A.Set(Pc[7, 0]);
            low.B.Set(Pc[15, 8]);
            high.A.Set(Pc[23, 16]);
            high.B.Set(Pc[31, 24]);
            Sums.Set(Cat(high.Sum, low.Sum));

            slowCounter.Set(slowCounter + 1);
            SlowCount.Set(slowCounter);
        }
    }

    [Test]
    public void BundlesVectorsInstancesAndDomainsEmitLintCleanVerilog()
    {
        var result = VerilogEmitter.Emit(new Showcase());
        var top = result.Files.Single(f => f.RelativePath == "Showcase.v").Content;
        Assert.Multiple(() =>
        {
            // Identical instances share one definition.
            Assert.That(result.VerilogFiles.Select(f => f.RelativePath), Is.EquivalentTo(new[] { "Adder.v", "Showcase.v" }));
            // Names come from the C# fields; bundle members are prefixed; domains get their own ports.
            Assert.That(top, Does.Contain("reg          execute_Valid;"));
            Assert.That(top, Does.Contain("wire [31:0]  decode_Pc;"));
            Assert.That(top, Does.Contain("input  wire         slow_clk,"));
            Assert.That(top, Does.Contain("always @(posedge slow_clk)"));
            Assert.That(top, Does.Contain("Adder low (").And.Contain("Adder high ("));
            Assert.That(top, Does.Contain(".A(low_A)"));
            Assert.That(result.Warnings, Is.Empty);
        });
        VerilogToolChecks.AssertClean(result);
    }

    private sealed class WithPrimitive : Module
    {
        public readonly Signal Address = In(14);
        public readonly Signal Data = In(16);
        public readonly Signal Write = In(1);
        public readonly Signal Q = Out(16);
        private readonly HwGen.Designs.Ice40.Spram256ka ram = new();

        protected override void Build()
        {
            ram.ADDRESS.Set(Address);
            ram.DATAIN.Set(Data);
            ram.MASKWREN.Set(0b1111);
            ram.WREN.Set(Write);
            ram.CHIPSELECT.Set(1);
            ram.CLOCK.Set(Clock());
            ram.STANDBY.Set(0);
            ram.SLEEP.Set(0);
            ram.POWEROFF.Set(1);
            Q.Set(ram.DATAOUT);
        }
    }

    [Test]
    public void ABlackBoxIsInstantiatedButNotDefinedAndYosysMapsIt()
    {
        var result = VerilogEmitter.Emit(new WithPrimitive());
        Assert.That(result.VerilogFiles.Select(f => f.RelativePath), Is.EqualTo(new[] { "WithPrimitive.v" }));
        var text = result.VerilogFiles.Single().Content;
        Assert.That(text, Does.Contain("SB_SPRAM256KA ram (").And.Contain(".CLOCK(ram_CLOCK)").And.Contain("assign ram_CLOCK = clk;"));

        using var dir = new ScratchDirectory("blackbox");
        VerilogEmitter.WriteTo(result, dir.Path);
        var run = ProcessRunner.Run("yosys", ["-q", "-p", "read_verilog -lib +/ice40/cells_sim.v; read_verilog WithPrimitive.v; synth_ice40 -top WithPrimitive; stat"], dir.Path);
        Assert.That(run.Succeeded, Is.True, run.Output);
        dir.Complete();
    }

    [Test]
    public void WidthRulesFollowTheDocumentedTable()
    {
        var a = new TestValues();
        Assert.Multiple(() =>
        {
            Assert.That((a.U8 + a.U4).Width, Is.EqualTo(8));
            Assert.That(a.U8.AddWide(a.U4).Width, Is.EqualTo(9));
            Assert.That((a.U8 * a.U4).Width, Is.EqualTo(12));
            Assert.That((a.U8 << 3).Width, Is.EqualTo(8));
            Assert.That(a.U8.Eq(a.U4).Width, Is.EqualTo(1));
            Assert.That(Cat(a.U8, a.U4).Width, Is.EqualTo(12));
            Assert.That(a.U8[6, 2].Width, Is.EqualTo(5));
            Assert.That(a.U4.SignExtend(8).Signed, Is.True);
            Assert.That(a.U8.Resize(3).Width, Is.EqualTo(3));
            Assert.That(Mux(a.U4[0], a.U8, a.U4).Width, Is.EqualTo(8));
            Assert.That((a.S8 >> 1) is BinaryExpr { Op: BinaryOp.Sra }, Is.True);
            Assert.That((a.U8 >> 1) is BinaryExpr { Op: BinaryOp.Shr }, Is.True);
        });
    }

    private sealed class TestValues
    {
        public readonly Signal U8 = Wire(8);
        public readonly Signal U4 = Wire(4);
        public readonly Signal S8 = Wire(Shape.S(8));
    }

    [Test]
    public void EmissionIsDeterministicAcrossFreshElaborations()
    {
        var first = VerilogEmitter.Emit(new Showcase()).Files;
        var second = VerilogEmitter.Emit(new Showcase()).Files;
        Assert.That(second.Select(f => f.RelativePath), Is.EqualTo(first.Select(f => f.RelativePath)));
        for (int i = 0; i < first.Count; i++)
            Assert.That(second[i].Content, Is.EqualTo(first[i].Content), first[i].RelativePath);
    }
}
