using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The retirement trace: one record per retired (or trapping) instruction, in the style of the RISC-V
/// Formal Interface (RVFI). The golden model's <c>RetireRecord</c> documents the exact meaning of every
/// field; co-simulation compares them one by one. Later units add their fields here (tags, the policy
/// decision) and they flow through the harness and the comparison by name.
/// </summary>
public sealed class RetirementTrace : Bundle
{
    /// <summary>1 in the cycle a record is presented.</summary>
    public readonly Signal Valid = Bool(reset: 0);
    /// <summary>The record's number, counting from 0.</summary>
    public readonly Signal Order = UInt(64);
    public readonly Signal Insn = UInt(32);
    public readonly Signal Trap = Bool();
    /// <summary>1 on the first instruction of a handler entered through an interrupt.</summary>
    public readonly Signal Intr = Bool();
    /// <summary>The mcause written by a trapping instruction.</summary>
    public readonly Signal Cause = UInt(32);
    public readonly Signal Rs1Addr = UInt(5);
    public readonly Signal Rs2Addr = UInt(5);
    public readonly Signal Rs1Rdata = UInt(32);
    public readonly Signal Rs2Rdata = UInt(32);
    public readonly Signal RdAddr = UInt(5);
    public readonly Signal RdWdata = UInt(32);
    public readonly Signal PcRdata = UInt(32);
    public readonly Signal PcWdata = UInt(32);
    /// <summary>The word-aligned address of a load or store.</summary>
    public readonly Signal MemAddr = UInt(32);
    public readonly Signal MemRmask = UInt(4);
    public readonly Signal MemWmask = UInt(4);
    public readonly Signal MemRdata = UInt(32);
    public readonly Signal MemWdata = UInt(32);
}
