namespace HwGen.Sim.Model;

/// <summary>mcause values raised by <see cref="Rv32Iss"/> (privileged specification, table "Machine cause register values").</summary>
public static class TrapCause
{
    public const uint InstructionAddressMisaligned = 0;
    public const uint InstructionAccessFault = 1;
    public const uint IllegalInstruction = 2;
    public const uint Breakpoint = 3;
    public const uint LoadAddressMisaligned = 4;
    public const uint LoadAccessFault = 5;
    public const uint StoreAddressMisaligned = 6;
    public const uint StoreAccessFault = 7;
    public const uint EcallFromM = 11;

    /// <summary>
    /// The commit check (<see cref="ICommitCheck"/>) denied the instruction; mtval holds the check's reason. A
    /// placeholder: 24 is the first cause the privileged specification leaves for custom use, reserved here for the
    /// tag unit's violation trap until the tag design fixes its number.
    /// </summary>
    public const uint PolicyViolation = 24;

    /// <summary>mcause bit 31: the trap is an interrupt.</summary>
    public const uint InterruptBit = 0x8000_0000;

    public const uint MachineSoftwareInterrupt = InterruptBit | 3;
    public const uint MachineTimerInterrupt = InterruptBit | 7;
    public const uint MachineExternalInterrupt = InterruptBit | 11;

    /// <summary>A short description of an mcause value, for traces and reports.</summary>
    public static string Describe(uint mcause) => mcause switch
    {
        InstructionAddressMisaligned => "instruction address misaligned",
        InstructionAccessFault => "instruction access fault",
        IllegalInstruction => "illegal instruction",
        Breakpoint => "breakpoint",
        LoadAddressMisaligned => "load address misaligned",
        LoadAccessFault => "load access fault",
        StoreAddressMisaligned => "store address misaligned",
        StoreAccessFault => "store access fault",
        EcallFromM => "environment call from M-mode",
        PolicyViolation => "policy violation",
        MachineSoftwareInterrupt => "machine software interrupt",
        MachineTimerInterrupt => "machine timer interrupt",
        MachineExternalInterrupt => "machine external interrupt",
        _ when (mcause & InterruptBit) != 0 => $"interrupt {mcause & ~InterruptBit}",
        _ => $"exception {mcause}",
    };
}
