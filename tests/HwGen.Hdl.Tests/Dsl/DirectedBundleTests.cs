using System.Runtime.CompilerServices;
using HwGen.Gen.Verilog;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Dsl;

/// <summary>
/// Bundles with directions: an interface declared once, <c>Out(...)</c> at the sending end and <c>In(...)</c> at the
/// receiving end with its flipped members reversed, joined by one <c>Connect</c> per level.
/// </summary>
[TestFixture]
public sealed class DirectedBundleTests
{
    private const string ThisFile = "tests/HwGen.Hdl.Tests/Dsl/DirectedBundleTests.cs";

    private static int s_marked;

    private static void Mark([CallerLineNumber] int line = 0) => s_marked = line;

    /// <summary>A request goes out (valid, write, address, data), a response comes back (read data, ready).</summary>
    private sealed class Bus : Bundle
    {
        public readonly Signal Valid = Bool();
        public readonly Signal Write = Bool();
        public readonly Signal Address = UInt(4);
        public readonly Signal WriteData = UInt(8);
        public readonly Signal ReadData = Flipped(UInt(8));
        public readonly Signal Ready = Flipped(Bool());
    }

    /// <summary>Sends a request each cycle from its inputs and shows the response.</summary>
    private sealed class Master : Module
    {
        public readonly Signal Go = In(1);
        public readonly Signal Store = In(1);
        public readonly Signal Where = In(4);
        public readonly Signal What = In(8);
        public readonly Signal Seen = Out(8);
        public readonly Signal Done = Out(1);
        public readonly Bus Bus = Out(new Bus());

        protected override void Build()
        {
            Bus.Valid.Set(Go);
            Bus.Write.Set(Store);
            Bus.Address.Set(Where);
            Bus.WriteData.Set(What);
            Seen.Set(Bus.ReadData);
            Done.Set(Bus.Ready);
        }
    }

    /// <summary>Sixteen bytes of registers; answers in the same cycle.</summary>
    private sealed class Ram : Module
    {
        public readonly Bus Bus = In(new Bus());
        private readonly Vec<Signal> cells = Vector(16, _ => Reg(8, reset: 0));

        protected override void Build()
        {
            When(Bus.Valid & Bus.Write, () => cells.At(Bus.Address).Set(Bus.WriteData));
            Bus.ReadData.Set(cells.At(Bus.Address));
            Bus.Ready.Set(Bus.Valid);
        }
    }

    // ---- directions -------------------------------------------------------------------------------

    [Test]
    public void OutMakesMembersOutputsAndFlippedMembersInputs_InTheReverse()
    {
        var sender = Out(new Bus());
        var receiver = In(new Bus());
        Assert.Multiple(() =>
        {
            Assert.That(sender.Valid.Kind, Is.EqualTo(SignalKind.Output));
            Assert.That(sender.ReadData.Kind, Is.EqualTo(SignalKind.Input));
            Assert.That(sender.ReadData.IsFlipped, Is.True);
            Assert.That(receiver.Address.Kind, Is.EqualTo(SignalKind.Input));
            Assert.That(receiver.Ready.Kind, Is.EqualTo(SignalKind.Output));
        });
    }

    private sealed class Response : Bundle
    {
        public readonly Signal Data = UInt(8);
        public readonly Signal Error = Bool();
        public readonly Signal Accept = Flipped(Bool());
    }

    private sealed class SplitBus : Bundle
    {
        public readonly Signal Address = UInt(4);
        public readonly Response Resp = Flipped(new Response());
        public readonly Vec<Signal> Strobes = Vector(2, _ => Flipped(Bool()));
    }

    [Test]
    public void FlipsOfNestedBundlesAndVectorsCompose()
    {
        var port = Out(new SplitBus());
        var flippedPort = Out(Flipped(new SplitBus()));
        Assert.Multiple(() =>
        {
            Assert.That(port.Address.Kind, Is.EqualTo(SignalKind.Output));
            Assert.That(port.Resp.Data.Kind, Is.EqualTo(SignalKind.Input));
            Assert.That(port.Resp.Error.Kind, Is.EqualTo(SignalKind.Input));
            // Flipped inside a flipped bundle: back with the port.
            Assert.That(port.Resp.Accept.Kind, Is.EqualTo(SignalKind.Output));
            Assert.That(port.Strobes.Select(s => s.Kind), Is.All.EqualTo(SignalKind.Input));
            // Out(Flipped(b)) is In(b).
            Assert.That(flippedPort.Address.Kind, Is.EqualTo(SignalKind.Input));
            Assert.That(flippedPort.Resp.Accept.Kind, Is.EqualTo(SignalKind.Input));
            Assert.That(flippedPort.Resp.Data.Kind, Is.EqualTo(SignalKind.Output));
        });
    }

    [Test]
    public void FlippingTwiceCancelsOut()
    {
        var member = Flipped(Flipped(UInt(3)));
        Assert.That(member.IsFlipped, Is.False);
    }

    [Test]
    public void TheVerilogPortsHaveTheDirectionsOfTheirMembers()
    {
        var ram = VerilogEmitter.Emit(new Ram()).VerilogFiles.Single().Content;
        var master = VerilogEmitter.Emit(new Master()).VerilogFiles.Single().Content;
        Assert.Multiple(() =>
        {
            Assert.That(ram, Does.Match(@"input  wire \[3:0\] +Bus_Address,"));
            Assert.That(ram, Does.Match(@"input  wire +Bus_Valid,"));
            Assert.That(ram, Does.Match(@"output (wire|reg ) \[7:0\] +Bus_ReadData,"));
            Assert.That(ram, Does.Match(@"output wire +Bus_Ready"));
            Assert.That(master, Does.Match(@"output wire \[3:0\] +Bus_Address,"));
            Assert.That(master, Does.Match(@"input  wire \[7:0\] +Bus_ReadData,"));
            Assert.That(master, Does.Match(@"input  wire +Bus_Ready"));
        });
    }

    // ---- connecting -------------------------------------------------------------------------------

    /// <summary>The bus passes through a level that only forwards it: one Connect per level and direction of travel.</summary>
    private sealed class Level : Module
    {
        public readonly Bus Bus = In(new Bus());
        private readonly Ram ram = new();

        protected override void Build() => ram.Bus.Connect(Bus);
    }

    private sealed class Pair : Module
    {
        public readonly Signal Go = In(1);
        public readonly Signal Store = In(1);
        public readonly Signal Where = In(4);
        public readonly Signal What = In(8);
        public readonly Signal Seen = Out(8);
        public readonly Signal Done = Out(1);
        private readonly Master master = new();
        private readonly Level level = new();
        private readonly bool _reversed;

        public Pair(bool reversed = false) => _reversed = reversed;

        protected override void Build()
        {
            master.Go.Set(Go);
            master.Store.Set(Store);
            master.Where.Set(Where);
            master.What.Set(What);
            Seen.Set(master.Seen);
            Done.Set(master.Done);
            if (_reversed)
                master.Bus.Connect(level.Bus);
            else
                level.Bus.Connect(master.Bus);
        }
    }

    [Test]
    public void ConnectJoinsParentAndChildAndTwoChildrenBothWays()
    {
        var result = VerilogEmitter.Emit(new Pair());
        var top = result.VerilogFiles.Single(f => f.RelativePath == "Pair.v").Content;
        var level = result.VerilogFiles.Single(f => f.RelativePath == "Level.v").Content;
        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings, Is.Empty);
            // Between the children: the request from the master to the level, the response back.
            Assert.That(top, Does.Contain("assign level_Bus_Address = master_Bus_Address;"));
            Assert.That(top, Does.Contain("assign master_Bus_ReadData = level_Bus_ReadData;"));
            Assert.That(top, Does.Contain("assign master_Bus_Ready = level_Bus_Ready;"));
            // Through the level: its input port to the child's input, the child's output to its output port.
            Assert.That(level, Does.Contain("assign ram_Bus_Valid = Bus_Valid;"));
            Assert.That(level, Does.Contain("assign Bus_ReadData = ram_Bus_ReadData;"));
        });
        VerilogToolChecks.AssertClean(result);
    }

    [Test]
    public void ConnectIsTheSameWhicheverSideIsWrittenFirst()
    {
        // The same Verilog but for the line numbers in the comments (the two Connects are on different lines).
        static string[] Emit(bool reversed) => VerilogEmitter.Emit(new Pair(reversed)).VerilogFiles
            .Select(f => System.Text.RegularExpressions.Regex.Replace(f.Content, @"\.cs:\d+", ".cs")).ToArray();
        Assert.That(Emit(reversed: true), Is.EqualTo(Emit(reversed: false)));
    }

    /// <summary>A register slice: the bus is registered in both directions between the port and the child.</summary>
    private sealed class Sliced : Module
    {
        public readonly Bus Bus = In(new Bus());
        private readonly Bus slice = Reg(new Bus(), resetToZero: true);
        private readonly Ram ram = new();

        protected override void Build()
        {
            slice.Connect(Bus);
            ram.Bus.Connect(slice);
        }
    }

    [Test]
    public void ARegisteredBundleTakesItsDirectionFromThePortsOnEitherSide()
    {
        var sliced = new Sliced();
        var result = VerilogEmitter.Emit(sliced);
        var text = result.VerilogFiles.Single(f => f.RelativePath == "Sliced.v").Content;
        Assert.Multiple(() =>
        {
            Assert.That(sliced.Bus.ReadData.Kind, Is.EqualTo(SignalKind.Output));
            Assert.That(new[] { "slice_Valid", "slice_ReadData", "slice_Ready" }.Select(n => text.Contains($"reg          {n};") || text.Contains($"reg  [7:0]   {n};")), Is.All.True, text);
            Assert.That(text, Does.Contain("slice_Address <= Bus_Address;"));
            Assert.That(text, Does.Contain("slice_ReadData <= ram_Bus_ReadData;"));
            Assert.That(text, Does.Contain("assign Bus_ReadData = slice_ReadData;"));
            Assert.That(text, Does.Contain("assign ram_Bus_Address = slice_Address;"));
        });
        VerilogToolChecks.AssertClean(result);
    }

    /// <summary>Set assigns from a sender to a receiver: the members forward, the flipped members back.</summary>
    private sealed class SetThrough : Module
    {
        public readonly Bus Bus = In(new Bus());
        private readonly Bus between = Wire(new Bus());
        private readonly Ram ram = new();

        protected override void Build()
        {
            between.Set(Bus);
            ram.Bus.Set(between);
        }
    }

    [Test]
    public void SetSendsMembersForwardAndFlippedMembersBack()
    {
        var text = VerilogEmitter.Emit(new SetThrough()).VerilogFiles.Single(f => f.RelativePath == "SetThrough.v").Content;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("assign between_Write = Bus_Write;"));
            Assert.That(text, Does.Contain("assign ram_Bus_Write = between_Write;"));
            Assert.That(text, Does.Contain("assign between_ReadData = ram_Bus_ReadData;"));
            Assert.That(text, Does.Contain("assign Bus_ReadData = between_ReadData;"));
        });
    }

    private sealed class MadeInBuild : Module
    {
        public readonly Bus Bus = In(new Bus());

        protected override void Build()
        {
            var ram = Instance(new Ram(), "ram");
            ram.Bus.Connect(Bus);
        }
    }

    [Test]
    public void ConnectReachesAnInstanceMadeInBuild()
    {
        var text = VerilogEmitter.Emit(new MadeInBuild()).VerilogFiles.Single(f => f.RelativePath == "MadeInBuild.v").Content;
        Assert.That(text, Does.Contain("assign ram_Bus_Address = Bus_Address;").And.Contain("assign Bus_Ready = ram_Bus_Ready;"));
    }

    // ---- mistakes ---------------------------------------------------------------------------------

    private static Diagnostic SingleError(Module top)
    {
        var ex = Assert.Throws<ElaborationException>(() => Elaborator.Elaborate(top))!;
        var errors = ex.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        var d = errors[0];
        Assert.That(d.Location.File, Is.EqualTo(ThisFile), d.ToString());
        Assert.That(d.Location.Line, Is.EqualTo(s_marked), d.ToString());
        return d;
    }

    private sealed class SenderToSender : Module
    {
        public readonly Bus Bus = Out(new Bus());
        private readonly Ram ram = new();

        protected override void Build()
        {
            Mark(); ram.Bus.Connect(Bus);
        }
    }

    [Test]
    public void ConnectingAnOutPortToAChildsInPortIsReportedAtTheConnect()
    {
        var d = SingleError(new SenderToSender());
        Assert.Multiple(() =>
        {
            Assert.That(d.Code, Is.EqualTo(DiagnosticCodes.Usage));
            Assert.That(d.Message, Does.Contain("member Valid of Bus the wrong way round"));
            Assert.That(d.Message, Does.Contain("input 'Bus_Valid' of instance 'ram'"));
            Assert.That(d.Message, Does.Contain("output 'Bus_Valid' of SenderToSender"));
            Assert.That(d.Message, Does.Contain("both receive it and nothing drives it"));
            Assert.That(d.Message, Does.Contain("declared Out(...) at DirectedBundleTests.cs("));
        });
    }

    private sealed class TwoMasters : Module
    {
        private readonly Master first = new();
        private readonly Master second = new();

        protected override void Build()
        {
            foreach (var m in new[] { first, second })
            {
                m.Go.Set(0);
                m.Store.Set(0);
                m.Where.Set(0);
                m.What.Set(0);
            }
            Mark(); first.Bus.Connect(second.Bus);
        }
    }

    [Test]
    public void ConnectingTwoSendersIsReported()
    {
        var d = SingleError(new TwoMasters());
        Assert.That(d.Message, Does.Contain("both drive it and nothing receives it"));
    }

    private sealed class TwoWires : Module
    {
        public readonly Bus Bus = In(new Bus());
        private readonly Bus a = Wire(new Bus());
        private readonly Bus b = Wire(new Bus());

        protected override void Build()
        {
            Mark(); a.Connect(b);
        }
    }

    [Test]
    public void ConnectingTwoWiresAsksForSet()
    {
        var d = SingleError(new TwoWires());
        Assert.That(d.Message, Does.Contain("both wires or registers").And.Contain("receiver.Set(sender)"));
    }

    private sealed class DrivesItsInput : Module
    {
        public readonly Bus Bus = In(new Bus());

        protected override void Build()
        {
            Bus.ReadData.Set(0);
            Bus.Ready.Set(1);
            Bus.Address.Set(3); Mark();
        }
    }

    [Test]
    public void DrivingAnInputMemberInsideNamesTheBundlesDirection()
    {
        var d = SingleError(new DrivesItsInput());
        Assert.Multiple(() =>
        {
            Assert.That(d.Code, Is.EqualTo(DiagnosticCodes.MultipleDrivers));
            Assert.That(d.Message, Does.Contain("input 'Bus_Address' of DrivesItsInput is driven from outside"));
            Assert.That(d.Message, Does.Contain("member Address of a Bus declared In(...) at DirectedBundleTests.cs("));
            Assert.That(d.Message, Does.Contain("In(...) makes a bundle's members inputs and its flipped members outputs"));
        });
    }

    private sealed class DrivesTheResponse : Module
    {
        public readonly Bus Bus = Out(new Bus());

        protected override void Build()
        {
            Bus.Valid.Set(0);
            Bus.Write.Set(0);
            Bus.Address.Set(0);
            Bus.WriteData.Set(0);
            Bus.ReadData.Set(7); Mark();
        }
    }

    [Test]
    public void DrivingAFlippedMemberOfASendingPortIsReported()
    {
        var d = SingleError(new DrivesTheResponse());
        Assert.That(d.Message, Does.Contain("input 'Bus_ReadData'").And.Contain("flipped member ReadData of a Bus declared Out(...)"));
    }

    private sealed class DrivesAChildsResponse : Module
    {
        public readonly Bus Bus = In(new Bus());
        private readonly Ram ram = new();

        protected override void Build()
        {
            ram.Bus.Connect(Bus);
            ram.Bus.Ready.Set(1); Mark();
        }
    }

    [Test]
    public void DrivingAChildsFlippedOutputIsReported()
    {
        var ex = Assert.Throws<ElaborationException>(() => Elaborator.Elaborate(new DrivesAChildsResponse()))!;
        var d = ex.Diagnostics.Single(x => x.Location.Line == s_marked);
        Assert.That(d.Message, Does.Contain("'Bus_Ready' is an output of instance 'ram'").And.Contain("flipped member Ready of a Bus declared In(...)"));
    }

    private sealed class SetTheWrongWay : Module
    {
        public readonly Bus Bus = In(new Bus());
        private readonly Ram ram = new();

        protected override void Build()
        {
            Bus.Set(ram.Bus); Mark();
        }
    }

    [Test]
    public void SetFromTheReceiverIsReportedAtTheSet()
    {
        var ex = Assert.Throws<ElaborationException>(() => Elaborator.Elaborate(new SetTheWrongWay()))!;
        var errors = ex.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.That(errors, Is.Not.Empty);
        Assert.That(errors.Where(d => d.Code == DiagnosticCodes.MultipleDrivers).Select(d => d.Location.Line), Is.All.EqualTo(s_marked), string.Join("\n", errors));
        Assert.That(errors.Select(d => d.Message), Has.Some.Contains("input 'Bus_Valid' of SetTheWrongWay is driven from outside"));
    }

    private sealed class FlippedPort : Module
    {
        public readonly Signal A = In(1);
        public readonly Signal Y = Out(1);

        protected override void Build()
        {
            Y.Set(A);
            Mark(); _ = Flipped(A);
        }
    }

    [Test]
    public void FlippedIsOnlyForBundleMembers()
    {
        var d = SingleError(new FlippedPort());
        Assert.That(d.Message, Does.Contain("Flipped(...) marks a bundle member"));
    }

    private sealed class OtherBus : Bundle
    {
        public readonly Signal Valid = Bool();
    }

    private sealed class Mismatch : Module
    {
        public readonly Bus Bus = In(new Bus());
        public readonly OtherBus Other = Out(new OtherBus());

        protected override void Build()
        {
            Bus.ReadData.Set(0);
            Bus.Ready.Set(0);
            Mark(); Other.Connect(Bus);
        }
    }

    [Test]
    public void ConnectingBundlesOfDifferentTypesIsReported()
    {
        var d = SingleError(new Mismatch());
        Assert.That(d.Message, Does.Contain("cannot connect a OtherBus and a Bus"));
    }
}
