using HwGen.Designs.Riscv;

namespace HwGen.Sim.Model;

/// <summary>
/// The control and status registers <see cref="Rv32Iss"/> implements (machine mode only), with
/// their architectural addresses and names. Any address not listed here raises an
/// illegal-instruction trap when accessed.
/// </summary>
public static class Csr
{
    public const uint Mstatus = 0x300;
    public const uint Misa = 0x301;
    public const uint Mie = 0x304;
    public const uint Mtvec = 0x305;
    public const uint Menvcfg = 0x30A;
    public const uint Mstatush = 0x310;
    public const uint Menvcfgh = 0x31A;
    public const uint Mcountinhibit = 0x320;
    public const uint Mscratch = 0x340;
    public const uint Mepc = 0x341;
    public const uint Mcause = 0x342;
    public const uint Mtval = 0x343;
    public const uint Mip = 0x344;
    public const uint Mcycle = 0xB00;
    public const uint Minstret = 0xB02;
    public const uint Mcycleh = 0xB80;
    public const uint Minstreth = 0xB82;
    public const uint Cycle = 0xC00;
    public const uint Time = 0xC01;
    public const uint Instret = 0xC02;
    public const uint Cycleh = 0xC80;
    public const uint Timeh = 0xC81;
    public const uint Instreth = 0xC82;
    public const uint Mvendorid = 0xF11;
    public const uint Marchid = 0xF12;
    public const uint Mimpid = 0xF13;
    public const uint Mhartid = 0xF14;
    public const uint Mconfigptr = 0xF15;

    /// <summary>mstatus.MIE: machine interrupts enabled.</summary>
    public const uint MstatusMie = 1u << 3;
    /// <summary>mstatus.MPIE: MIE before the last trap.</summary>
    public const uint MstatusMpie = 1u << 7;
    /// <summary>mstatus.MPP: always 11 (machine), the only mode.</summary>
    public const uint MstatusMpp = 3u << 11;

    /// <summary>mie/mip bit 3: machine software interrupt.</summary>
    public const uint Msi = 1u << 3;
    /// <summary>mie/mip bit 7: machine timer interrupt.</summary>
    public const uint Mti = 1u << 7;
    /// <summary>mie/mip bit 11: machine external interrupt.</summary>
    public const uint Mei = 1u << 11;

    /// <summary>misa: MXL = 1 (32-bit), extensions I and M.</summary>
    public const uint MisaValue = (1u << 30) | (1u << ('I' - 'A')) | (1u << ('M' - 'A'));

    /// <summary>misa of an RV32I hart (<see cref="IssOptions.WithM"/> false): MXL = 1, extension I.</summary>
    public const uint MisaValueWithoutM = (1u << 30) | (1u << ('I' - 'A'));

    private static readonly Dictionary<uint, string> s_names = new()
    {
        [Mstatus] = "mstatus",
        [Misa] = "misa",
        [Mie] = "mie",
        [Mtvec] = "mtvec",
        [Menvcfg] = "menvcfg",
        [Mstatush] = "mstatush",
        [Menvcfgh] = "menvcfgh",
        [Mcountinhibit] = "mcountinhibit",
        [Mscratch] = "mscratch",
        [Mepc] = "mepc",
        [Mcause] = "mcause",
        [Mtval] = "mtval",
        [Mip] = "mip",
        [Mcycle] = "mcycle",
        [Minstret] = "minstret",
        [Mcycleh] = "mcycleh",
        [Minstreth] = "minstreth",
        [Cycle] = "cycle",
        [Time] = "time",
        [Instret] = "instret",
        [Cycleh] = "cycleh",
        [Timeh] = "timeh",
        [Instreth] = "instreth",
        [Mvendorid] = "mvendorid",
        [Marchid] = "marchid",
        [Mimpid] = "mimpid",
        [Mhartid] = "mhartid",
        [Mconfigptr] = "mconfigptr",
    };

    /// <summary>Addresses of every implemented CSR, in ascending order.</summary>
    public static IReadOnlyList<uint> Implemented { get; } = s_names.Keys.Order().ToArray();

    public static bool IsImplemented(uint address) => s_names.ContainsKey(address);

    /// <summary>The counters and their read-only views (illegal without <see cref="IssOptions.Counters"/>).</summary>
    public static IReadOnlyList<uint> Counters { get; } = [Mcycle, Mcycleh, Minstret, Minstreth, Cycle, Cycleh, Instret, Instreth, Time, Timeh];

    /// <summary>The registers of a trap-only hart (<see cref="CsrSet.TrapOnly"/>): what a trap handler needs.</summary>
    public static IReadOnlyList<uint> TrapOnly { get; } = [Mtvec, Mepc, Mcause, Mtval];

    /// <summary>
    /// The bits of mcause a hart configured by <paramref name="options"/> keeps (mcause is WLRL): bit 31 and the
    /// exception code's low bits, those of the core's CSR unit (<see cref="ControlStatusRegisters.McauseBits"/>; a
    /// trap-only hart is untagged): 4 with <see cref="CsrSet.TrapOnly"/>, else 5.
    /// </summary>
    public static uint McauseMask(IssOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ControlStatusRegisters.McauseBits(options.Csrs, tagged: false);
    }

    /// <summary>
    /// Whether a hart configured by <paramref name="options"/> implements <paramref name="address"/>: with
    /// <see cref="CsrSet.TrapOnly"/> only <see cref="TrapOnly"/>, with <see cref="CsrSet.None"/> none; else every implemented address, without
    /// <see cref="Counters"/> when <see cref="IssOptions.Counters"/> is false.
    /// </summary>
    public static bool IsImplemented(uint address, IssOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Csrs switch
        {
            CsrSet.TrapOnly => TrapOnly.Contains(address),
            CsrSet.None => false,
            _ => IsImplemented(address) && (options.Counters || !Counters.Contains(address)),
        };
    }

    /// <summary>True when the address is in a read-only range (bits [11:10] == 11).</summary>
    public static bool IsReadOnly(uint address) => ((address >> 10) & 3) == 3;

    /// <summary>The CSR's name, or null for an address the simulator does not implement.</summary>
    public static string? Name(uint address) => s_names.GetValueOrDefault(address);

    /// <summary>The name, or the address as <c>0x…</c> when unknown (objdump style).</summary>
    public static string Format(uint address) => Name(address) ?? $"0x{address:x}";
}
