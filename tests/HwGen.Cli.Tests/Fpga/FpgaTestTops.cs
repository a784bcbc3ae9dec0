using System.CommandLine;
using System.Runtime.CompilerServices;
using HwGen.Cli.Commands;
using HwGen.Designs.Boards;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Cli.Tests.Fpga;

/// <summary>
/// A small board top for the FPGA tests: a counter on the LEDs and an LFSR on the serial pin. With its
/// clock and reset its ports are <c>clk</c>, <c>rst</c>, <c>LED[1:0]</c> and <c>UART_TX</c>.
/// </summary>
internal sealed class BlinkyTop : Module
{
    public readonly Signal LED = Out(2);
    public readonly Signal UART_TX = Out(1);

    private readonly Signal counter = Reg(24, reset: 0); public static readonly int CounterLine = Here();
    private readonly Signal lfsr = Reg(16, reset: 1);

    public override string ModuleName => "BlinkyTop";

    protected override void Build()
    {
        counter.Set(counter + 1);
        lfsr.Set(Cat(lfsr[14, 0], lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10]));
        LED.Set(counter.High(2));
        UART_TX.Set(lfsr[0] & counter[0]);
    }

    public static int Here([CallerLineNumber] int line = 0) => line;
}

/// <summary>Ten 16 x 16 multipliers in a ring: more DSP blocks than the eight of an iCE40UP5K.</summary>
internal sealed class MultiplierTop : Module
{
    public const int Count = 10;

    public readonly Signal LED = Out(2);
    public readonly Signal UART_TX = Out(1);

    private readonly Vec<Signal> product = Vector(Count, i => Reg(16, reset: (ulong)i + 1));

    protected override void Build()
    {
        Expr all = product[0];
        for (int i = 0; i < Count; i++)
        {
            product[i].Set((product[i] * product[(i + 1) % Count]).Low(16) + (i + 1));
            if (i > 0)
                all = all ^ product[i];
        }
        LED.Set(all.High(2));
        UART_TX.Set(all.Parity());
    }
}

/// <summary>A board file and its pcf in a test folder, and <c>hwgen fpga</c> runs with a test top as the design.</summary>
internal static class FpgaCli
{
    /// <summary>The pins of <see cref="BlinkyTop"/> on an iCEBreaker.</summary>
    public const string BlinkyPcf = """
        # test board: the pins of BlinkyTop
        set_io -nowarn clk 35
        set_io rst 10

        set_io LED[0] 11
        set_io LED[1] 37
        set_io UART_TX 9
        """;

    /// <summary>Writes <c>NAME.json</c> (an iCE40UP5K-SG48 board with a 12 MHz clock) and <c>NAME.pcf</c>; returns the board file.</summary>
    public static string WriteBoard(TempDirectory folder, string pcf, string name = "testboard")
    {
        folder.WriteFile(name + ".pcf", pcf);
        return folder.WriteFile(name + ".json", $$"""
            {
              "name": "{{name}}",
              "title": "test board (iCE40UP5K-SG48)",
              "device": "up5k",
              "package": "sg48",
              "pcf": "{{name}}.pcf",
              "oscillatorMHz": 12,
              "frequencyMHz": 12,
              "ram": "spram",
              "ramBytes": 65536,
              "bootRomBytes": 2048,
              "uartBaud": 115200,
              "leds": { "count": 2, "activeLow": true },
              "buttons": { "count": 0, "activeLow": true },
              "flash": { "bytes": 16777216, "firmwareOffset": 1048576 },
              "programmer": { "board": "ice40_generic" }
            }
            """);
    }

    /// <summary>A design factory that builds <typeparamref name="T"/> at the requested clock, or the board's.</summary>
    public static Func<Board, double?, BoardTop> Design<T>()
        where T : Module, new() =>
        (board, mhz) => new BoardTop(new T(), mhz ?? board.FrequencyMHz, $"{board.OscillatorMHz} MHz oscillator, undivided");

    /// <summary>Runs <c>hwgen ARGS</c> with the fpga group built on <paramref name="design"/>, as <see cref="Program.Run"/> does.</summary>
    public static CliRun Run(Func<Board, double?, BoardTop> design, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = CliContext.Create(stdout, stderr);
        var root = new RootCommand("hwgen") { FpgaCommand.Create(context, design) };
        var result = root.Parse(args);
        int code;
        if (result.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            context.WriteError(HwGenCommandLine.DescribeParseError(result));
            code = (int)ExitCode.UsageError;
        }
        else
        {
            try
            {
                code = result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            }
            catch (Exception ex)
            {
                code = (int)Program.Report(context, ex);
            }
        }
        return new CliRun(code, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
    }
}
