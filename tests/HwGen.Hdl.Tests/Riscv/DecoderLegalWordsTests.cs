using System.Globalization;
using StringBuilder = System.Text.StringBuilder;
using HwGen.Designs.Riscv;
using HwGen.Hdl.Tests.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;
using static HwGen.Hdl.Hw;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// <see cref="Decoder"/> built with <c>controlsForLegalWordsOnly</c> (the multi-cycle core's): for every word of the
/// table (each row's pattern with random bits where it looks at none) its controls are those of the full decoder, and
/// for any word its <c>Illegal</c> is; and its rows are matched on fewer bits, so it is smaller after Yosys.
/// </summary>
[TestFixture]
public sealed class DecoderLegalWordsTests
{
    /// <summary>The PEX core's table (RV32I, ecall, ebreak, fence; no CSR instruction, no mret) and the AP's.</summary>
    private static readonly IReadOnlyList<DecoderRow> s_pexRows = DecoderTable.For(new CoreConfig(0x8000_0000)
    {
        Microarchitecture = CoreMicroarchitecture.MultiCycle,
        WithM = false,
        Counters = false,
        Csrs = CsrSet.None,
    });

    private static readonly IReadOnlyList<DecoderRow> s_allRows = [.. DecoderTable.Rv32I, .. DecoderTable.Machine, .. DecoderTable.Rv32M];

    /// <summary>Both decoders on one word: their controls side by side, and their Illegal.</summary>
    private sealed class DecoderPair : Module
    {
        public readonly Signal Word = In(32);
        public readonly Signal Full = Out(Width);
        public readonly Signal Legal = Out(Width);
        public readonly Signal FullIllegal = Out(1);
        public readonly Signal LegalIllegal = Out(1);
        private readonly Decoder full;
        private readonly Decoder legal;

        public DecoderPair(IReadOnlyList<DecoderRow> rows)
        {
            full = new Decoder(rows);
            legal = new Decoder(rows, controlsForLegalWordsOnly: true);
        }

        /// <summary>The width of the controls, as <see cref="Controls"/> concatenates them.</summary>
        public const int Width = 4 + 2 + 1 + 3 + 2 + 1 + 1 + 3 + 1 + 1 + 1 + 32 + 5 + 5 + 5 + 3;

        private static Expr Controls(DecodedInstruction d) =>
            Cat(d.AluOp, d.OperandA, d.UseImmediate, d.Result, d.Transfer, d.Load, d.Store, d.System, d.ReadsRs1, d.ReadsRs2,
                d.WritesRd, d.Immediate, d.Rs1, d.Rs2, d.Rd, d.Funct3);

        protected override void Build()
        {
            full.Instruction.Set(Word);
            legal.Instruction.Set(Word);
            Full.Set(Controls(full.Decoded));
            Legal.Set(Controls(legal.Decoded));
            FullIllegal.Set(full.Decoded.Illegal);
            LegalIllegal.Set(legal.Decoded.Illegal);
        }
    }

    /// <summary>
    /// Each row's pattern 40 times with random bits outside its mask (its words), then random words (mostly illegal);
    /// the table's words must decode alike and be legal, every word must be as legal in both. Prints <c>PASS decoders</c>.
    /// </summary>
    private static string Bench(IReadOnlyList<DecoderRow> rows)
    {
        var random = new Random(20261130);
        var words = new StringBuilder();
        int count = 0;
        foreach (var row in rows)
        {
            for (int i = 0; i < 40; i++)
            {
                uint fill = (uint)random.NextInt64(0, 1L << 32);
                uint word = (row.Match & row.Mask) | (fill & ~row.Mask);
                words.Append(CultureInfo.InvariantCulture, $"        words[{count++}] = 32'h{word:X8}; // {row.Mnemonic}\n");
            }
        }
        int legalWords = count;
        for (int i = 0; i < 2000; i++)
            words.Append(CultureInfo.InvariantCulture, $"        words[{count++}] = 32'h{(uint)random.NextInt64(0, 1L << 32):X8};\n");
        return $$"""
            `timescale 1ns / 1ps
            `default_nettype none
            module Decoders_tb;
                reg [31:0] Word = 0;
                wire [{{DecoderPair.Width - 1}}:0] Full;
                wire [{{DecoderPair.Width - 1}}:0] Legal;
                wire FullIllegal;
                wire LegalIllegal;
                reg [31:0] words [0:{{count - 1}}];
                integer i;
                integer errors = 0;

                TOP dut(.Word(Word), .Full(Full), .Legal(Legal), .FullIllegal(FullIllegal), .LegalIllegal(LegalIllegal));

                initial begin
            {{words}}
                    for (i = 0; i < {{count}}; i = i + 1) begin
                        Word = words[i];
                        #1;
                        if (FullIllegal !== LegalIllegal) begin
                            $display("FAIL decoders: word %h: illegal %b, with controls for legal words %b", Word, FullIllegal, LegalIllegal);
                            errors = errors + 1;
                        end
                        if (i < {{legalWords}} && (FullIllegal !== 1'b0 || Full !== Legal)) begin
                            $display("FAIL decoders: word %h (illegal %b): controls %h, for legal words %h", Word, FullIllegal, Full, Legal);
                            errors = errors + 1;
                        end
                    end
                    if (errors == 0) $display("PASS decoders");
                    else $fatal(1, "FAIL decoders: %0d errors", errors);
                    $finish;
                end
            endmodule
            """;
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var simulator in new[] { Simulator.Verilator, Simulator.Icarus })
        {
            yield return new TestCaseData(simulator, "pex").SetName($"TheTablesWordsDecodeAlike(pex, {simulator})");
            yield return new TestCaseData(simulator, "all").SetName($"TheTablesWordsDecodeAlike(all, {simulator})");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void TheTablesWordsDecodeAlike(Simulator simulator, string table)
    {
        var rows = table == "pex" ? s_pexRows : s_allRows;
        Ice40ModuleChecks.AssertBenchPasses(simulator, new DecoderPair(rows), "Decoders_tb", Bench(rows), "PASS decoders", "bench-decoders-" + table);
    }

    [Test]
    public void EcallAndEbreakAreToldApartByBit20()
    {
        var ecall = s_pexRows.Single(r => r.Mnemonic == "ecall");
        var ebreak = s_pexRows.Single(r => r.Mnemonic == "ebreak");
        var lw = s_pexRows.Single(r => r.Mnemonic == "lw");
        var notLoads = s_pexRows.Where(r => r.Memory != MemoryOp.Load).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Decoder.DistinguishingMask(ecall, [ebreak]) & (1u << 20), Is.Not.Zero);
            // A load is told from the other rows by its opcode alone.
            Assert.That(Decoder.DistinguishingMask(lw, notLoads) & ~0x7Fu, Is.Zero);
        });
    }

    [Test]
    public void YosysMapsTheDecoderForLegalWordsToFewerLuts()
    {
        var (full, fullReport) = Ice40ModuleChecks.Synthesize(new Decoder(s_pexRows), "synth-decoder-full");
        var (legal, legalReport) = Ice40ModuleChecks.Synthesize(new Decoder(s_pexRows, controlsForLegalWordsOnly: true), "synth-decoder-legal");
        Assert.That(legal.GetValueOrDefault("SB_LUT4"), Is.LessThan(full.GetValueOrDefault("SB_LUT4") - 10), $"{legalReport}\n{fullReport}");
    }
}
