using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using HwGen.Designs.Soc;
using HwGen.Sim.Model;
using CsrAddress = HwGen.Sim.Model.Csr;
using HwGen.Sim.Model.Elf;
using static HwGen.Sim.Tests.RandomPrograms.Rv32Encoder;

namespace HwGen.Sim.Tests.RandomPrograms;

/// <summary>How <see cref="MachineCodeProgram.Generate"/> shapes a program.</summary>
public sealed record MachineCodeProgramOptions
{
    /// <summary>Items in the program body; an item is one instruction, a short dependent sequence, a forward branch or jump, or a small loop.</summary>
    public int BodyItems { get; init; } = 400;

    /// <summary>Bytes of the data window that loads and stores reach (a multiple of 4, at most 2048).</summary>
    public int DataWindowBytes { get; init; } = 512;

    /// <summary>Largest iteration count of a backward loop.</summary>
    public int MaxLoopIterations { get; init; } = 5;

    /// <summary>
    /// Arm the machine timer (in four programs out of five) to interrupt once, after a random number of cycles
    /// up to this many; 0 never arms it.
    /// </summary>
    public int MaxTimerDelay { get; init; } = 4000;

    /// <summary>
    /// The ELF tells code from data, as a compiler's would: the jump and the trap handler (<c>.text</c>) and the code
    /// (<c>.text.main</c>) executable, with the functions <c>trap_handler</c> and <c>main</c>; <c>tohost</c>, the
    /// window and the register dump a writable <c>.data</c> (false: one executable <c>.text</c>).
    /// </summary>
    public bool DataSection { get; init; }

    /// <summary>The M extension's operations among the register-register ones (true); false: RV32I programs, for a core without M.</summary>
    public bool WithM { get; init; } = true;
}

/// <summary>
/// A constrained-random RV32IM program written directly as machine code (no assembler): an image for the
/// RAM base of a memory map and the ELF that holds it, ready for <see cref="ElfImage.Parse"/>, so that
/// thousands of programs run through one simulation model quickly.
/// </summary>
/// <remarks>
/// <para>The image, from the RAM base: a jump to the code; the trap handler (using only <c>tp</c>: an
/// exception is skipped, mepc += 4; the timer interrupt clears mie.MTIE so that it comes once; then mret);
/// <c>tohost</c>; the data window, filled with random words by the image itself; the register dump; then
/// the code.</para>
/// <para>The code: a prologue that sets mtvec, usually arms the timer to interrupt once at a random cycle
/// (where it lands depends on the RTL's timing; lockstep makes the golden model take it at the same
/// instruction), points <c>s0</c> at the window, gives every register and
/// mscratch a random value; a body of every RV32IM operation on random registers, chains of dependent
/// instructions and load-use pairs, loads and stores of every size inside the window (through <c>s0</c>
/// or through a base computed just before), forward branches and jumps (jal, and jalr through an auipc
/// base), bounded backward loops counted in <c>s1</c>, CSR traffic (mscratch in all six forms, reads of
/// minstret, mcause, mepc, mtval), and expected traps (ecall, ebreak, misaligned loads and stores, which
/// the handler skips); an epilogue that turns interrupts off, loads every word of the window (so that lockstep compares the
/// memory's final state), stores every register into the dump and ends through <c>tohost</c> with code 0.</para>
/// <para>Every load reads bytes that the image loaded or the program stored, and nothing depends on time,
/// so the program's behaviour is fully determined by the seed.</para>
/// </remarks>
public sealed class MachineCodeProgram
{
    private const int HandlerOffset = 0x04;
    private const int TohostOffset = 0x40;
    private const int WindowOffset = 0x100;
    private const int RegisterDumpBytes = 128;

    private const int Tp = 4, S0 = 8, S1 = 9, T0 = 5, T1 = 6;
    private const uint MieMtie = 1u << 7;

    private static readonly string[] s_registerOps = [.. RegisterOps.Keys];
    /// <summary>The register-register operations of RV32I (funct7 1 is the M extension's).</summary>
    private static readonly string[] s_rv32iRegisterOps = [.. RegisterOps.Where(op => op.Value.Funct7 != 0x01).Select(op => op.Key)];
    private static readonly string[] s_immediateOps = [.. ImmediateOps.Keys];
    private static readonly string[] s_shiftOps = [.. ShiftImmediateOps.Keys];
    private static readonly string[] s_branches = [.. Branches.Keys];
    private static readonly string[] s_loads = [.. Loads.Keys];
    private static readonly string[] s_stores = [.. Stores.Keys];
    private static readonly string[] s_csrRegisterForms = ["csrrw", "csrrs", "csrrc"];
    private static readonly string[] s_csrImmediateForms = ["csrrwi", "csrrsi", "csrrci"];
    private static readonly uint[] s_readOnlyCsrs = [CsrAddress.Minstret, CsrAddress.Minstreth, CsrAddress.Instret, CsrAddress.Mcause, CsrAddress.Mepc, CsrAddress.Mtval, CsrAddress.Mstatus, CsrAddress.Misa];

    /// <summary>Registers the body may write: all but x0, sp, gp, tp (the trap handler's), s0 (the window base) and s1 (the loop counter).</summary>
    private static readonly int[] s_destinations = [1, 5, 6, 7, .. Enumerable.Range(10, 22)];

    private readonly Random _random;
    private readonly MachineCodeProgramOptions _options;
    private readonly List<uint> _code = [];
    private readonly uint _base;
    private readonly uint _window;
    private readonly uint _codeStart;

    private MachineCodeProgram(int seed, MemoryMap map, MachineCodeProgramOptions options)
    {
        if (options.DataWindowBytes <= 0 || options.DataWindowBytes % 4 != 0 || options.DataWindowBytes > 2048)
            throw new ArgumentOutOfRangeException(nameof(options), options.DataWindowBytes, "the data window must be a positive multiple of 4 of at most 2048 bytes");
        if (options.BodyItems < 0 || options.MaxLoopIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "the body item count must not be negative and loops need at least one iteration");
        Seed = seed;
        Map = map;
        _options = options;
        _random = new Random(seed);
        _base = map.RamBase;
        _window = _base + WindowOffset;
        _codeStart = (uint)(_window + options.DataWindowBytes + RegisterDumpBytes + 15) & ~15u;
    }

    public int Seed { get; }

    public MemoryMap Map { get; }

    /// <summary>The bytes loaded at <see cref="Address"/>.</summary>
    public byte[] Image { get; private set; } = [];

    /// <summary>The load address and entry point: the RAM base.</summary>
    public uint Address => _base;

    /// <summary>The address of the <c>tohost</c> word.</summary>
    public uint Tohost => _base + TohostOffset;

    /// <summary>The address of the first instruction of the prologue.</summary>
    public uint CodeStart => _codeStart;

    /// <summary>The address of the body's first word, which runs exactly once (whatever the item it starts).</summary>
    public uint BodyStart { get; private set; }

    /// <summary>The cycle (of mtime, which counts from reset) at which the timer interrupts; null when it is not armed.</summary>
    public int? TimerDelay { get; private set; }

    /// <summary>The address of the data window.</summary>
    public uint WindowStart => _window;

    public int WindowBytes => _options.DataWindowBytes;

    /// <summary>The image's word at <paramref name="address"/>.</summary>
    public uint Word(uint address)
    {
        if (address % 4 != 0 || address - _base >= (uint)Image.Length)
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:x8} is not a word of the image 0x{_base:x8}..0x{_base + (uint)Image.Length - 1:x8}");
        return BinaryPrimitives.ReadUInt32LittleEndian(Image.AsSpan((int)(address - _base)));
    }

    /// <summary>The program for <paramref name="seed"/>: the same seed, map and options always give the same image.</summary>
    public static MachineCodeProgram Generate(int seed, MemoryMap map, MachineCodeProgramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        var program = new MachineCodeProgram(seed, map, options ?? new MachineCodeProgramOptions());
        program.Write();
        return program;
    }

    /// <summary>
    /// The program as an ELF executable (one PT_LOAD at the RAM base, symbols <c>_start</c> and <c>tohost</c>; the
    /// sections of <see cref="MachineCodeProgramOptions.DataSection"/>).
    /// </summary>
    public byte[] ToElf()
    {
        List<ElfWriterSymbol> symbols =
        [
            new ElfWriterSymbol("_start", _base, HandlerOffset, IsFunction: true),
            new ElfWriterSymbol("tohost", Tohost, 8, IsFunction: false),
        ];
        if (!_options.DataSection)
            return MinimalElfWriter.Write(_base, Image, _base, symbols);
        int code = (int)(_codeStart - _base);
        symbols.Add(new ElfWriterSymbol("trap_handler", _base + HandlerOffset, TohostOffset - HandlerOffset, IsFunction: true));
        symbols.Add(new ElfWriterSymbol("main", _codeStart, (uint)(Image.Length - code), IsFunction: true));
        return MinimalElfWriter.Write(_base, Image, _base, symbols,
        [
            new ElfWriterSection(".text", 0, TohostOffset, Executable: true),
            new ElfWriterSection(".data", TohostOffset, code - TohostOffset, Executable: false),
            new ElfWriterSection(".text.main", code, Image.Length - code, Executable: true),
        ]);
    }

    /// <summary>The program parsed as the simulators load it; <paramref name="name"/> appears in messages.</summary>
    public ElfImage ToElfImage(string? name = null) =>
        ElfImage.Parse(name ?? string.Create(CultureInfo.InvariantCulture, $"random-{Seed}.elf"), ToElf(), Map);

    /// <summary>A copy of this program with the word at <paramref name="address"/> replaced.</summary>
    public MachineCodeProgram WithWord(uint address, uint word)
    {
        _ = Word(address);
        var copy = (MachineCodeProgram)MemberwiseClone();
        copy.Image = (byte[])Image.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.Image.AsSpan((int)(address - _base)), word);
        return copy;
    }

    /// <summary>The code as an address, word and disassembly per line.</summary>
    public string Listing()
    {
        var text = new StringBuilder();
        for (uint address = _codeStart; address < _base + (uint)Image.Length; address += 4)
        {
            uint word = Word(address);
            text.Append(CultureInfo.InvariantCulture, $"{address:x8}: {word:x8}  {Disassembler.Disassemble(word, address)}\n");
        }
        return text.ToString();
    }

    private void Write()
    {
        // prologue
        Emit(LoadImmediate(T0, _base + HandlerOffset));
        Emit(CsrInstruction("csrrw", 0, CsrAddress.Mtvec, T0));
        if (_options.MaxTimerDelay > 0 && _random.Next(5) != 0)
        {
            TimerDelay = 1 + _random.Next(_options.MaxTimerDelay);
            Emit(LoadImmediate(T0, Map.Mtimecmp));
            Emit(Store("sw", 0, T0, 4));
            Emit(LoadImmediate(T1, (uint)TimerDelay));
            Emit(Store("sw", T1, T0, 0));
            Emit(Addi(T1, 0, (int)MieMtie));
            Emit(CsrInstruction("csrrs", 0, CsrAddress.Mie, T1));
            Emit(CsrInstruction("csrrsi", 0, CsrAddress.Mstatus, (int)CsrAddress.MstatusMie));
        }
        for (int register = 1; register < 32; register++)
            Emit(LoadImmediate(register, NextWord()));
        Emit(LoadImmediate(S0, _window));
        Emit(Addi(S1, 0, 0));
        Emit(CsrInstruction("csrrw", 0, CsrAddress.Mscratch, Destination()));

        BodyStart = _codeStart + 4 * (uint)_code.Count;
        for (int item = 0; item < _options.BodyItems; item++)
            BodyItem();

        // epilogue, with interrupts off (it uses tp, which the handler changes): every window word loaded
        // (lockstep compares the memory), every register stored, tohost
        Emit(CsrInstruction("csrrci", 0, CsrAddress.Mstatus, (int)CsrAddress.MstatusMie));
        for (int offset = 0; offset < _options.DataWindowBytes; offset += 4)
            Emit(Load("lw", Destination(), S0, offset));
        Emit(LoadImmediate(Tp, _window + (uint)_options.DataWindowBytes));
        for (int register = 1; register < 32; register++)
            Emit(Store("sw", register, Tp, register * 4));
        Emit(LoadImmediate(T0, Tohost));
        Emit(Addi(T1, 0, 1));
        Emit(Store("sw", 0, T0, 4));
        Emit(Store("sw", T1, T0, 0));
        Emit(Jal(0, 0));

        var image = new byte[_codeStart - _base + 4 * (uint)_code.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(image, Jal(0, (int)(_codeStart - _base)));
        uint[] handler =
        [
            CsrInstruction("csrrs", Tp, CsrAddress.Mcause, 0),
            Branch("blt", Tp, 0, 20),                      // an interrupt: to the last three words
            CsrInstruction("csrrs", Tp, CsrAddress.Mepc, 0),
            Addi(Tp, Tp, 4),
            CsrInstruction("csrrw", 0, CsrAddress.Mepc, Tp),
            Mret,
            Addi(Tp, 0, (int)MieMtie),
            CsrInstruction("csrrc", 0, CsrAddress.Mie, Tp),
            Mret,
        ];
        for (int i = 0; i < handler.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(HandlerOffset + 4 * i), handler[i]);
        for (int offset = 0; offset < _options.DataWindowBytes; offset += 4)
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(WindowOffset + offset), NextWord());
        for (int i = 0; i < _code.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)(_codeStart - _base) + 4 * i), _code[i]);
        Image = image;
    }

    private void BodyItem()
    {
        int roll = _random.Next(100);
        if (roll < 30)
            AluInstruction();
        else if (roll < 36)
            DependentChain();
        else if (roll < 46)
            LoadItem();
        else if (roll < 50)
            LoadUse();
        else if (roll < 59)
            StoreItem();
        else if (roll < 67)
            ForwardBranch();
        else if (roll < 72)
            Loop();
        else if (roll < 75)
            ForwardJal();
        else if (roll < 78)
            ForwardJalr();
        else if (roll < 83)
            UpperImmediate();
        else if (roll < 91)
            CsrAccess();
        else if (roll < 97)
            ExpectedTrap();
        else
            Emit(_random.Next(2) == 0 ? Fence : Nop);
    }

    private void AluInstruction() => AluInstruction(Destination(), Source(), Source());

    private void AluInstruction(int rd, int rs1, int rs2)
    {
        int roll = _random.Next(10);
        if (roll < 5)
            Emit(Register(Pick(_options.WithM ? s_registerOps : s_rv32iRegisterOps), rd, rs1, rs2));
        else if (roll < 8)
            Emit(Immediate(Pick(s_immediateOps), rd, rs1, _random.Next(-2048, 2048)));
        else
            Emit(ShiftImmediate(Pick(s_shiftOps), rd, rs1, _random.Next(32)));
    }

    /// <summary>Two to five operations, each reading the result of the one before (forwarding from every stage).</summary>
    private void DependentChain()
    {
        int previous = Destination();
        AluInstruction(previous, Source(), Source());
        int length = 1 + _random.Next(4);
        for (int i = 0; i < length; i++)
        {
            int rd = _random.Next(3) == 0 ? previous : Destination();
            if (_random.Next(2) == 0)
                AluInstruction(rd, previous, Source());
            else
                AluInstruction(rd, Source(), previous);
            previous = rd;
        }
    }

    private void UpperImmediate()
    {
        uint upper = (uint)_random.Next(1 << 20);
        Emit(_random.Next(2) == 0 ? Lui(Destination(), upper) : Auipc(Destination(), upper));
    }

    /// <summary>A load inside the window, through s0 or through a base register computed just before.</summary>
    private int LoadItem()
    {
        var op = Pick(s_loads);
        int rd = Destination();
        Access(op, Loads[op].Size, (@base, offset) => Emit(Rv32Encoder.Load(op, rd, @base, offset)));
        return rd;
    }

    /// <summary>A load whose value the next instruction reads (the load-use interlock), as an operand or as store data.</summary>
    private void LoadUse()
    {
        int loaded = LoadItem();
        switch (_random.Next(4))
        {
            case 0:
                var branch = Pick(s_branches);
                var skipped = Block(() => AluInstruction());
                Emit(Branch(branch, loaded, Source(), 4 * (skipped.Count + 1)));
                Emit(skipped);
                break;
            case 1:
                var store = Pick(s_stores);
                Emit(Rv32Encoder.Store(store, loaded, S0, AlignedOffset(Stores[store].Size)));
                break;
            default:
                if (_random.Next(2) == 0)
                    AluInstruction(Destination(), loaded, Source());
                else
                    AluInstruction(Destination(), Source(), loaded);
                break;
        }
    }

    private void StoreItem()
    {
        var op = Pick(s_stores);
        int source = Source();
        Access(op, Stores[op].Size, (@base, offset) => Emit(Rv32Encoder.Store(op, source, @base, offset)));
    }

    /// <summary>
    /// An access of <paramref name="size"/> bytes at an aligned window offset: mostly through s0, sometimes through a
    /// base computed by an addi right before (its result forwarded into the address).
    /// </summary>
    private void Access(string op, int size, Action<int, int> emit)
    {
        int offset = AlignedOffset(size);
        if (_random.Next(4) != 0)
        {
            emit(S0, offset);
            return;
        }
        int @base = Destination();
        int displacement = size * _random.Next(-8, 9);
        if (offset - displacement < 0 || offset - displacement >= _options.DataWindowBytes)
            displacement = 0;
        Emit(Addi(@base, S0, offset - displacement));
        emit(@base, displacement);
    }

    private void CsrAccess()
    {
        switch (_random.Next(4))
        {
            case 0:
                Emit(CsrInstruction(Pick(s_csrRegisterForms), Destination(), CsrAddress.Mscratch, Source()));
                break;
            case 1:
                Emit(CsrInstruction(Pick(s_csrImmediateForms), Destination(), CsrAddress.Mscratch, _random.Next(32)));
                break;
            case 2:
                // a write immediately read back, the read result used at once
                int value = Destination();
                AluInstruction(value, Source(), Source());
                Emit(CsrInstruction("csrrw", 0, CsrAddress.Mscratch, value));
                int read = Destination();
                Emit(CsrInstruction("csrrs", read, CsrAddress.Mscratch, 0));
                AluInstruction(Destination(), read, Source());
                break;
            default:
                Emit(CsrInstruction("csrrs", Destination(), s_readOnlyCsrs[_random.Next(s_readOnlyCsrs.Length)], 0));
                break;
        }
    }

    /// <summary>An instruction the handler skips: ecall, ebreak, or a misaligned load or store inside the window.</summary>
    private void ExpectedTrap()
    {
        switch (_random.Next(4))
        {
            case 0:
                Emit(Ecall);
                break;
            case 1:
                Emit(Ebreak);
                break;
            case 2:
                var load = _random.Next(3) switch { 0 => "lh", 1 => "lhu", _ => "lw" };
                Emit(Rv32Encoder.Load(load, Destination(), S0, MisalignedOffset(Loads[load].Size)));
                break;
            default:
                var store = _random.Next(2) == 0 ? "sh" : "sw";
                Emit(Rv32Encoder.Store(store, Source(), S0, MisalignedOffset(Stores[store].Size)));
                break;
        }
        // the trap's CSRs read back, sometimes
        if (_random.Next(3) == 0)
            Emit(CsrInstruction("csrrs", Destination(), _random.Next(2) == 0 ? CsrAddress.Mcause : CsrAddress.Mtval, 0));
    }

    /// <summary>A conditional branch over a few straight-line instructions.</summary>
    private void ForwardBranch()
    {
        var op = Pick(s_branches);
        int rs1 = Source(), rs2 = Source();
        var skipped = StraightLine(1 + _random.Next(4));
        Emit(Branch(op, rs1, rs2, 4 * (skipped.Count + 1)));
        Emit(skipped);
    }

    /// <summary>A jal over a few instructions, linking into a random register or x0.</summary>
    private void ForwardJal()
    {
        int link = _random.Next(4) == 0 ? 0 : Destination();
        var skipped = StraightLine(1 + _random.Next(3));
        Emit(Jal(link, 4 * (skipped.Count + 1)));
        Emit(skipped);
    }

    /// <summary><c>auipc rT, 0; jalr rL, offset(rT)</c> over a few instructions: the base forwarded into the jump.</summary>
    private void ForwardJalr()
    {
        int target = Destination();
        int link = _random.Next(4) == 0 ? 0 : Destination();
        var skipped = StraightLine(1 + _random.Next(3));
        Emit(Auipc(target, 0));
        Emit(Jalr(link, target, 4 * (skipped.Count + 2)));
        Emit(skipped);
    }

    /// <summary>A loop of a few instructions run a bounded number of times (counted in s1).</summary>
    private void Loop()
    {
        Emit(Addi(S1, 0, 1 + _random.Next(_options.MaxLoopIterations)));
        var body = StraightLine(1 + _random.Next(6));
        Emit(body);
        Emit(Addi(S1, S1, -1));
        Emit(Branch("bne", S1, 0, -4 * (body.Count + 1)));
    }

    /// <summary>Code that runs from its first word to its last (branches in it only skip forward inside it), generated aside so that its length is known.</summary>
    private List<uint> StraightLine(int items) => Block(() =>
    {
        for (int i = 0; i < items; i++)
        {
            switch (_random.Next(8))
            {
                case 0: LoadItem(); break;
                case 1: StoreItem(); break;
                case 2: LoadUse(); break;
                case 3: DependentChain(); break;
                case 4 when _random.Next(4) == 0: ExpectedTrap(); break;
                case 5 when _random.Next(2) == 0: CsrAccess(); break;
                default: AluInstruction(); break;
            }
        }
    });

    /// <summary>The words <paramref name="write"/> emits, taken out of the code.</summary>
    private List<uint> Block(Action write)
    {
        int start = _code.Count;
        write();
        var block = _code.GetRange(start, _code.Count - start);
        _code.RemoveRange(start, block.Count);
        return block;
    }

    private int AlignedOffset(int size) => size * _random.Next(_options.DataWindowBytes / size);

    /// <summary>An offset inside the window that is not a multiple of <paramref name="size"/> (2 or 4).</summary>
    private int MisalignedOffset(int size)
    {
        int offset = AlignedOffset(size) + 1 + _random.Next(size - 1);
        return offset + size <= _options.DataWindowBytes ? offset : offset - size;
    }

    private int Destination() => s_destinations[_random.Next(s_destinations.Length)];

    /// <summary>Any register, the reserved ones included (reading them is harmless).</summary>
    private int Source() => _random.Next(32);

    private uint NextWord() => _random.Next(8) switch
    {
        0 => 0,
        1 => 0xffff_ffff,
        2 => 0x8000_0000,
        3 => 0x7fff_ffff,
        4 => (uint)_random.Next(-16, 16),
        _ => (uint)_random.NextInt64(0, 1L << 32),
    };

    private string Pick(string[] choices) => choices[_random.Next(choices.Length)];

    private void Emit(uint word) => _code.Add(word);

    private void Emit(IEnumerable<uint> words) => _code.AddRange(words);
}
