namespace HwGen.Sim.Model;

/// <summary>The memory access of an <see cref="InsnEffect"/>.</summary>
public enum MemoryAccessKind : byte
{
    None,
    Load,
    Store,
}

/// <summary>
/// What one instruction does when it commits, computed by <see cref="Rv32Iss"/> before any state changes: the next
/// pc, the register write, the memory access, the CSR write, or the trap it raises instead. The simulator computes
/// the effect, asks its <see cref="ICommitCheck"/>, and only then commits (writes the register, memory, devices,
/// CSRs and pc). A denied instruction commits nothing but a trap.
/// </summary>
public struct InsnEffect
{
    /// <summary>The instruction's address.</summary>
    public uint Pc;

    /// <summary>The instruction word.</summary>
    public uint Insn;

    /// <summary>The next pc: target, pc + 4, mepc for mret.</summary>
    public uint NextPc;

    /// <summary>The register read as rs1, or 0 when the instruction reads none.</summary>
    public byte Rs1;

    /// <summary>The register read as rs2, or 0.</summary>
    public byte Rs2;

    /// <summary>The register written, or 0 when none (a write to x0 is none).</summary>
    public byte Rd;

    public uint Rs1Value;

    public uint Rs2Value;

    /// <summary>The value written to <see cref="Rd"/>.</summary>
    public uint RdValue;

    /// <summary>A load, a store, or none.</summary>
    public MemoryAccessKind Access;

    /// <summary>Bytes accessed: 1, 2 or 4.</summary>
    public byte Size;

    /// <summary>The byte address accessed.</summary>
    public uint Address;

    /// <summary>A store's bytes, or a load's bytes before sign extension, in the low <see cref="Size"/> bytes.</summary>
    public uint Data;

    /// <summary>The device that answers <see cref="Address"/>, when it is not RAM (null for RAM).</summary>
    public IMemoryDevice? Device;

    /// <summary>True when the instruction writes a CSR (<see cref="Csr"/>, <see cref="CsrValue"/>); mret writes mstatus.</summary>
    public bool WritesCsr;

    public ushort Csr;

    /// <summary>The value written, before the CSR's own masking.</summary>
    public uint CsrValue;

    /// <summary>
    /// True when the instruction traps instead of completing (<see cref="Cause"/>, <see cref="Tval"/>, and the trap
    /// vector in <see cref="NextPc"/>); nothing else of the effect is set then. The commit check never sees a trapping effect.
    /// </summary>
    public bool Traps;

    public uint Cause;

    public uint Tval;
}

/// <summary>The answer of an <see cref="ICommitCheck"/>.</summary>
/// <param name="Allowed">True: the instruction commits its effect.</param>
/// <param name="Reason">For a denial: the check's own account of it, for reports (a tag engine gives
/// <c>(policy &lt;&lt; 16) | reason</c>); mtval is the data address of a load or store, else the instruction word.</param>
public readonly record struct CommitDecision(bool Allowed, uint Reason)
{
    public static CommitDecision Allow => new(true, 0);

    public static CommitDecision Deny(uint reason = 0) => new(false, reason);
}

/// <summary>
/// Where a policy decides whether an instruction may commit: <see cref="Rv32Iss"/> calls <see cref="Check"/> once per
/// instruction that would complete, with its effect computed and nothing changed yet. An instruction that traps by
/// itself (illegal, misaligned, access fault, ecall, ebreak) is not checked: its trap is its effect. A denied
/// instruction changes no register, memory, device or CSR and raises a precise trap with mcause
/// <see cref="TrapCause.PolicyViolation"/> and mtval = the data address of a load or store, else the instruction word.
/// The other members let a check keep state beside the machine's (a tag engine: tags of registers, memory and pc);
/// their defaults do nothing.
/// </summary>
public interface ICommitCheck
{
    CommitDecision Check(in InsnEffect effect);

    /// <summary>The instruction <see cref="Check"/> allowed has committed its effect (memory, devices, registers, CSRs).</summary>
    void Committed(in InsnEffect effect)
    {
    }

    /// <summary>
    /// A trap is being taken: an instruction's own, a denial, or an interrupt (before the handler's first
    /// instruction). <paramref name="cause"/> is the mcause.
    /// </summary>
    void TrapTaken(uint cause)
    {
    }

    /// <summary>
    /// <see cref="Rv32Iss.Step"/> only: adds the check's own trace fields to the record of the instruction just
    /// executed (committed or trapped), e.g. the tags of a tagged core's trace.
    /// </summary>
    void Annotate(ref RetireRecord record)
    {
    }
}

/// <summary>The commit checks that come with the simulator.</summary>
public static class CommitChecks
{
    /// <summary>Allows everything (the default). The simulator recognises it and skips the call altogether.</summary>
    public static ICommitCheck AllowAll { get; } = new AllowAllCheck();

    /// <summary>A check from a function.</summary>
    public static ICommitCheck From(Func<InsnEffect, CommitDecision> check) => new FunctionCheck(check);

    private sealed class AllowAllCheck : ICommitCheck
    {
        public CommitDecision Check(in InsnEffect effect) => CommitDecision.Allow;
    }

    private sealed class FunctionCheck(Func<InsnEffect, CommitDecision> check) : ICommitCheck
    {
        public CommitDecision Check(in InsnEffect effect) => check(effect);
    }
}
