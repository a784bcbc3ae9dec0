namespace HwGen.Sim.Model.Elf;

/// <summary>
/// An ELF file that HwGen cannot run. The message is one line naming the file and the cause,
/// e.g. <c>prog.elf: not an RV32 program: ELFCLASS64 (HwGen runs RV32 programs (ELFCLASS32))</c>.
/// </summary>
public sealed class ElfFormatException : Exception
{
    public ElfFormatException(string message)
        : base(message)
    {
    }

    public ElfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ElfFormatException()
        : base("invalid ELF file")
    {
    }
}
