using HwGen.Sim.Model;
using NUnit.Framework;

namespace HwGen.Sim.Tests.Model;

/// <summary>The RVFI-style retirement records produced by <see cref="Rv32Iss.Step"/>.</summary>
[TestFixture]
public sealed class Rv32IssTraceTests
{
    /// <summary>Steps through the whole program and returns its records.</summary>
    private static List<RetireRecord> Trace(Rv32Iss iss, int limit = 10_000)
    {
        var records = new List<RetireRecord>();
        while (!iss.Halted && records.Count < limit)
        {
            iss.Step(out var r);
            records.Add(r);
        }
        Assert.That(iss.Halted, Is.True, "the program halted");
        return records;
    }

    private static RetireRecord Find(List<RetireRecord> records, string disassemblyPrefix) =>
        records.First(r => Disassembler.Disassemble(r.Insn, r.PcRdata).StartsWith(disassemblyPrefix, StringComparison.Ordinal));

    [Test]
    public void StoreLanesAndMasks()
    {
        var iss = TestPrograms.Load("""
            la t0, buffer
            li t1, 0x11223344
            sb t1, 0(t0)
            sb t1, 1(t0)
            sb t1, 2(t0)
            sb t1, 3(t0)
            sh t1, 4(t0)
            sh t1, 6(t0)
            sw t1, 8(t0)
            EXIT 0
            .data
            .balign 16
            buffer: .space 16
            """);
        var records = Trace(iss);
        var stores = records.Where(r => r.MemWmask != 0 && !r.Halt).ToArray();
        Assert.That(iss.ReadWord(stores[0].MemAddr), Is.EqualTo(0x4444_4444));
        uint buffer = stores[0].MemAddr;
        Assert.That(stores.Select(s => (s.MemAddr - buffer, s.MemWmask, s.MemWdata)), Is.EqualTo(new (uint, byte, uint)[]
        {
            (0, 0x1, 0x0000_0044),
            (0, 0x2, 0x0000_4400),
            (0, 0x4, 0x0044_0000),
            (0, 0x8, 0x4400_0000),
            (4, 0x3, 0x0000_3344),
            (4, 0xC, 0x3344_0000),
            (8, 0xF, 0x1122_3344),
        }));
        Assert.That(stores.All(s => s.MemRmask == 0 && s.MemRdata == 0 && s.RdAddr == 0 && s.RdWdata == 0), Is.True);
        Assert.That(stores.All(s => s.Rs1Addr == 5 && s.Rs2Addr == 6 && s.Rs2Rdata == 0x1122_3344 && s.Rs1Rdata == buffer), Is.True);
    }

    [Test]
    public void LoadLanesAndMasks()
    {
        var iss = TestPrograms.Load("""
            la t0, data
            lb a0, 3(t0)
            lbu a1, 1(t0)
            lh a2, 2(t0)
            lhu a3, 0(t0)
            lw a4, 4(t0)
            EXIT 0
            .data
            .balign 8
            data: .word 0x8899aabb, 0xcafef00d
            """);
        var loads = Trace(iss).Where(r => r.MemRmask != 0).ToArray();
        uint data = loads[0].MemAddr;
        Assert.That(loads.Select(l => (l.MemAddr - data, l.MemRmask, l.MemRdata, l.RdWdata)), Is.EqualTo(new (uint, byte, uint, uint)[]
        {
            (0, 0x8, 0x8800_0000, 0xFFFF_FF88),
            (0, 0x2, 0x0000_AA00, 0x0000_00AA),
            (0, 0xC, 0x8899_0000, 0xFFFF_8899),
            (0, 0x3, 0x0000_AABB, 0x0000_AABB),
            (4, 0xF, 0xCAFE_F00D, 0xCAFE_F00D),
        }));
        Assert.That(loads.All(l => l.MemWmask == 0 && l.MemWdata == 0 && l.Rs2Addr == 0 && l.Rs1Addr == 5), Is.True);
        Assert.That(loads.Select(l => l.RdAddr), Is.EqualTo(new byte[] { 10, 11, 12, 13, 14 }));
    }

    [Test]
    public void RegisterFieldsFollowWhatTheInstructionReadsAndWrites()
    {
        var iss = TestPrograms.Load("""
            li a0, 5
            lui a5, 0xfffff
            addi a1, a0, -1
            add a2, a0, a1
            addi zero, a0, 1
            add zero, a0, a1
            csrrwi a3, mscratch, 31
            csrrw a4, mscratch, a0
            jal ra, 1f
            1:  beq a0, a1, 1f
            1:  fence
            EXIT 0
            """);
        var records = Trace(iss);

        var lui = Find(records, "lui a5");
        Assert.That((lui.Rs1Addr, lui.Rs1Rdata, lui.Rs2Addr, lui.Rs2Rdata), Is.EqualTo((0, 0u, 0, 0u)), "lui reads no register although bits 19:15 and 24:20 are set");
        Assert.That((lui.RdAddr, lui.RdWdata), Is.EqualTo((15, 0xFFFF_F000u)));

        var addi = Find(records, "addi a1");
        Assert.That((addi.Rs1Addr, addi.Rs1Rdata, addi.Rs2Addr, addi.Rs2Rdata), Is.EqualTo((10, 5u, 0, 0u)), "addi does not read rs2");
        Assert.That((addi.RdAddr, addi.RdWdata), Is.EqualTo((11, 4u)));

        var add = Find(records, "add a2");
        Assert.That((add.Rs1Addr, add.Rs1Rdata, add.Rs2Addr, add.Rs2Rdata, add.RdAddr, add.RdWdata), Is.EqualTo((10, 5u, 11, 4u, 12, 9u)));

        var toZero = Find(records, "addi zero");
        Assert.That((toZero.RdAddr, toZero.RdWdata), Is.EqualTo((0, 0u)), "a write to x0 writes nothing");
        var addToZero = Find(records, "add zero");
        Assert.That((addToZero.RdAddr, addToZero.RdWdata, addToZero.Rs2Addr), Is.EqualTo((0, 0u, 11)));

        var csrImm = Find(records, "csrrwi a3");
        Assert.That((csrImm.Rs1Addr, csrImm.Rs1Rdata, csrImm.RdAddr), Is.EqualTo((0, 0u, 13)), "the immediate CSR forms read no register");
        var csrReg = Find(records, "csrrw a4");
        Assert.That((csrReg.Rs1Addr, csrReg.Rs1Rdata, csrReg.RdAddr, csrReg.RdWdata), Is.EqualTo((10, 5u, 14, 31u)));

        var jal = Find(records, "jal ra");
        Assert.That((jal.RdAddr, jal.RdWdata, jal.PcWdata), Is.EqualTo((1, jal.PcRdata + 4, jal.PcRdata + 4)));
        var beq = Find(records, "beq");
        Assert.That((beq.Rs1Addr, beq.Rs2Addr, beq.RdAddr, beq.PcWdata), Is.EqualTo((10, 11, 0, beq.PcRdata + 4)));
        var fence = Find(records, "fence");
        Assert.That((fence.Rs1Addr, fence.Rs2Addr, fence.RdAddr), Is.EqualTo((0, 0, 0)));

        Assert.That(records.Select(r => r.Order), Is.EqualTo(Enumerable.Range(0, records.Count).Select(i => (ulong)i)));
        Assert.That(records.Zip(records.Skip(1)).All(p => p.First.PcWdata == p.Second.PcRdata), Is.True, "each record continues at the previous one's next pc");
        Assert.That(records.Any(r => r.Trap || r.Intr || r.Nondeterministic), Is.False);
    }

    [Test]
    public void TrapRecords()
    {
        var (iss, image) = Rv32IssTrapTests.Build("""
            la t0, handler
            csrw mtvec, t0
            la t1, handler
            lw a0, 2(t1)
            .balign 4
            handler:
            EXIT 0
            """);
        var records = Trace(iss);
        var trap = records.Single(r => r.Trap);
        uint handler = Rv32IssTrapTests.Symbol(image, "handler");
        Assert.That(trap.Cause, Is.EqualTo(TrapCause.LoadAddressMisaligned));
        Assert.That(trap.PcWdata, Is.EqualTo(handler));
        Assert.That((trap.RdAddr, trap.RdWdata, trap.MemRmask, trap.MemWmask, trap.MemAddr), Is.EqualTo((0, 0u, 0, 0, 0u)));
        Assert.That((trap.Rs1Addr, trap.Rs1Rdata), Is.EqualTo((6, handler)), "the misaligned load read its base register");
        Assert.That(trap.Insn, Is.EqualTo(iss.ReadWord(trap.PcRdata)));
        var next = records[records.IndexOf(trap) + 1];
        Assert.That((next.PcRdata, next.Intr, next.Order), Is.EqualTo((handler, false, trap.Order + 1)));
    }

    [Test]
    public void NondeterministicValues()
    {
        var iss = TestPrograms.Load("""
            csrr a0, cycle
            csrr a1, mcycleh
            csrr a2, time
            csrr a3, mip
            csrr s2, mcycle
            csrr s3, cycleh
            csrr s4, timeh
            csrr zero, cycle
            csrr a4, minstret
            li t0, UART_STATUS
            lw a5, 0(t0)
            lw zero, 0(t0)
            li t0, GPIO_BASE
            lbu a6, 1(t0)
            la t0, tohost
            lw a7, 0(t0)
            EXIT 0
            """);
        var records = Trace(iss);
        bool Nondet(string prefix) => Find(records, prefix).Nondeterministic;
        Assert.That(Nondet("csrrs a0, cycle"), Is.True);
        Assert.That(Nondet("csrrs a1, mcycleh"), Is.True);
        Assert.That(Nondet("csrrs a2, time"), Is.True);
        Assert.That(Nondet("csrrs a3, mip"), Is.True);
        Assert.That(Nondet("csrrs s2, mcycle"), Is.True);
        Assert.That(Nondet("csrrs s3, cycleh"), Is.True);
        Assert.That(Nondet("csrrs s4, timeh"), Is.True);
        Assert.That(Nondet("csrrs zero, cycle"), Is.False, "nothing was written");
        Assert.That(Nondet("csrrs a4, minstret"), Is.False);
        Assert.That(Nondet("lw a5"), Is.True);
        Assert.That(Nondet("lw zero"), Is.False);
        Assert.That(Nondet("lbu a6"), Is.True);
        Assert.That(Nondet("lw a7"), Is.False, "a load from RAM is deterministic");

        var gpio = Find(records, "lbu a6");
        Assert.That((gpio.MemAddr, gpio.MemRmask, gpio.MemRdata), Is.EqualTo((TestPrograms.Map.GpioBase, 0x2, 0u)));
        var uart = Find(records, "lw a5");
        Assert.That((uart.MemAddr, uart.MemRmask, uart.MemRdata, uart.RdWdata), Is.EqualTo((TestPrograms.Map.UartStatus, 0xF, 1u, 1u)));
    }

    [Test]
    public void OverrideRdReplacesTheLastValue()
    {
        var iss = TestPrograms.Load("""
            csrr a0, time
            sw a0, 0(sp)
            EXIT 0
            """);
        iss.Step(out var read);
        Assert.That(read.Nondeterministic, Is.True);
        iss.OverrideRd(0x1234_5678);
        Assert.That(iss.ReadRegister(10), Is.EqualTo(0x1234_5678));

        iss.WriteRegister(2, TestPrograms.Map.RamBase + 0x1000);
        iss.Step(out var store);
        Assert.That(store.MemWdata, Is.EqualTo(0x1234_5678), "the overridden value flows on");
        Assert.That(() => iss.OverrideRd(1), Throws.InvalidOperationException.With.Message.Contains("wrote no register"));
    }

    [Test]
    public void HaltRecordAndNoStepAfterIt()
    {
        var iss = TestPrograms.Load("EXIT 3");
        var records = Trace(iss);
        var last = records[^1];
        Assert.That(last.Halt, Is.True);
        Assert.That(last.MemWmask, Is.EqualTo(0xF));
        Assert.That(last.MemWdata, Is.EqualTo((3u << 1) | 1));
        Assert.That(records.Take(records.Count - 1).Any(r => r.Halt), Is.False);
        Assert.That(iss.ExitCode, Is.EqualTo(3));
        Assert.That(() => iss.Step(out _), Throws.InvalidOperationException.With.Message.Contains("halted"));
    }

    [Test]
    public void RecordPrintsAsATraceLine()
    {
        var iss = TestPrograms.Load("li a0, 10\nEXIT 0");
        iss.Step(out var record);
        Assert.That(record.ToString(), Is.EqualTo($"#0 {TestPrograms.Map.RamBase:x8}: 00a00513 addi a0, zero, 10  a0=0x0000000a"));
    }
}
