using System.Globalization;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Hdl.Tests.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// The CSR unit with mscratch, mtval and mtvec in block RAM (<see cref="ControlStatusRegisters.StorageInRam"/>, the board's
/// pipelined core) reads them, and gives the trap vector, as the unit with flip-flops does, cycle by cycle under Verilator
/// and Icarus, driven as the memory stage drives it: the select of the instruction coming next a cycle ahead, the
/// instruction here staying while it waits (a CSR read after a write to mscratch, mtval or mtvec), traps right after
/// a write to mtvec taking the new vector, traps and the interrupt recording mtval, and a reset that clears mtvec.
/// </summary>
[TestFixture]
public sealed class CsrStorageCellsTests
{
    private static readonly CoreConfig s_config = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k);

    /// <summary>
    /// 20,000 cycles of a memory stage: each cycle the instruction in execute is drawn (a bubble one in sixteen, else a
    /// CSR instruction three times in four, on mscratch, mtval, mtvec, mepc, mcause, mstatus or mie, with csrrw, csrrs or
    /// csrrc, reading or not, writing or not; else another instruction, which traps one time in eight or is interrupted
    /// one time in 64); a trap or the interrupt leaves three bubbles, and a reset in the middle leaves mtvec 0. The
    /// instruction here waits as the memory stage makes it (CounterLoading for a CSR read). Every read committed and every trap vector a trap may take are compared, and so are the waits;
    /// the bench also counts reads that waited for a write, traps right after a write to mtvec, and
    /// reads of an mtval a trap wrote. Prints <c>PASS csr-storage</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module CsrStorage_tb;
            reg clk = 1'b0;
            reg rst = 1'b1;
            reg Access = 1'b0;
            reg [11:0] Address = 12'd0;
            reg [SELECTS-1:0] Select = 0;
            reg [SELECTS-1:0] NextSelect = 0;
            reg Stays = 1'b0;
            reg [1:0] Op = 2'd1;
            reg [31:0] Operand = 32'd0;
            reg Write = 1'b0;
            reg Trap = 1'b0;
            reg [3:0] TrapCause = 4'd0;
            reg [31:0] TrapValue = 32'd0;
            reg Interrupt = 1'b0;
            wire [31:0] CellsRead;
            wire [31:0] GenericRead;
            wire [31:0] CellsVector;
            wire [31:0] GenericVector;
            wire CellsLoading;
            wire GenericLoading;
            reg [31:0] bits;
            reg [31:0] state = 32'hC0FF_EE11;
            reg hereValid = 1'b0;
            reg hereCsr = 1'b0;
            reg hereReads = 1'b0;
            reg hereWrite = 1'b0;
            reg [2:0] hereWhich = 3'd0;
            reg [1:0] hereOp = 2'd1;
            reg [31:0] hereOperand = 32'd0;
            reg nextValid = 1'b0;
            reg nextCsr = 1'b0;
            reg nextReads = 1'b0;
            reg nextWrite = 1'b0;
            reg [2:0] nextWhich = 3'd0;
            reg [1:0] nextOp = 2'd1;
            reg [31:0] nextOperand = 32'd0;
            reg vectorWritten = 1'b0;
            reg vectorWriting = 1'b0;
            reg mtvalByTrap = 1'b0;
            integer bubbles = 0;
            integer i;
            integer errors = 0;
            integer reads [0:6];
            integer waitedReads = 0;
            integer trapsAfterVectorWrite = 0;
            integer trappedMtvalReads = 0;

            XORSHIFT32_NEXT

            function automatic [11:0] address_of(input [2:0] which);
                case (which)
                    3'd0: address_of = 12'h340;
                    3'd1: address_of = 12'h343;
                    3'd2: address_of = 12'h305;
                    3'd3: address_of = 12'h341;
                    3'd4: address_of = 12'h342;
                    3'd5: address_of = 12'h300;
                    default: address_of = 12'h304;
                endcase
            endfunction

            function automatic [SELECTS-1:0] select_of(input [2:0] which);
                case (which)
                    3'd0: select_of = SELECT_MSCRATCH;
                    3'd1: select_of = SELECT_MTVAL;
                    3'd2: select_of = SELECT_MTVEC;
                    3'd3: select_of = SELECT_MEPC;
                    3'd4: select_of = SELECT_MCAUSE;
                    3'd5: select_of = SELECT_MSTATUS;
                    default: select_of = SELECT_MIE;
                endcase
            endfunction

            TOP dut(.clk(clk), .rst(rst), .Access(Access), .Address(Address), .Select(Select), .NextSelect(NextSelect),
                .Stays(Stays), .Op(Op), .Operand(Operand), .Write(Write), .Trap(Trap), .TrapCause(TrapCause),
                .TrapValue(TrapValue), .Interrupt(Interrupt), .Retired(1'b1), .CellsRead(CellsRead), .GenericRead(GenericRead),
                .CellsVector(CellsVector), .GenericVector(GenericVector), .CellsLoading(CellsLoading),
                .GenericLoading(GenericLoading));

            always #5 clk = ~clk;

            initial begin
                for (i = 0; i < 7; i = i + 1) reads[i] = 0;
                @(posedge clk);
                @(posedge clk);
                #1 rst = 1'b0;
                for (i = 0; i < 20000; i = i + 1) begin
                    rst = i == 10000 || i == 10001;
                    Access = 1'b0;
                    Write = 1'b0;
                    Trap = 1'b0;
                    Interrupt = 1'b0;
                    Stays = 1'b0;
                    Address = address_of(hereWhich);
                    Select = select_of(hereWhich);
                    Op = hereOp;
                    Operand = hereOperand;
                    next;
                    TrapValue = bits;
                    TrapCause = bits[31:28];
                    if (rst) begin
                        bubbles = 3;
                    end else if (hereValid && hereCsr) begin
                        if (hereReads && CellsLoading) begin
                            Stays = 1'b1;
                            waitedReads = waitedReads + 1;
                        end else begin
                            Access = 1'b1;
                            Write = hereWrite;
                        end
                    end else if (hereValid) begin
                        // Every third instruction right after a write to mtvec traps, so that the new vector is taken.
                        Trap = bits[2:0] == 3'd0 || (vectorWritten && bits[4:3] == 2'd0);
                        Interrupt = !Trap && bits[10:5] == 6'd0;
                        if (Trap || Interrupt) begin
                            bubbles = 3;
                            mtvalByTrap = 1'b1;
                            if (Trap && vectorWritten) trapsAfterVectorWrite = trapsAfterVectorWrite + 1;
                        end
                    end
                    #1;
                    if (CellsLoading !== GenericLoading) begin
                        $display("FAIL csr-storage: cycle %0d: cells loading %b, generic %b", i, CellsLoading, GenericLoading);
                        errors = errors + 1;
                    end
                    if (Access && hereReads) begin
                        // Icarus starts mscratch and mtval unknown in the flip-flops (they have no reset) until written.
                        if ((^GenericRead) !== 1'bx && CellsRead !== GenericRead) begin
                            $display("FAIL csr-storage: cycle %0d: read of %h: cells %h, generic %h", i, Address, CellsRead, GenericRead);
                            errors = errors + 1;
                        end
                        reads[hereWhich] = reads[hereWhich] + 1;
                        if (hereWhich == 3'd1 && mtvalByTrap) trappedMtvalReads = trappedMtvalReads + 1;
                    end
                    if (Access && hereWrite && hereWhich == 3'd1) mtvalByTrap = 1'b0;
                    vectorWriting = Access && hereWrite && hereWhich == 3'd2;
                    if (!rst && hereValid && CellsVector !== GenericVector) begin
                        $display("FAIL csr-storage: cycle %0d: trap vector: cells %h, generic %h", i, CellsVector, GenericVector);
                        errors = errors + 1;
                    end
                    // The instruction in execute.
                    next;
                    nextValid = bits[3:0] != 4'd0;
                    nextCsr = bits[5:4] != 2'd0;
                    nextWhich = bits[8:6] == 3'd7 ? 3'd0 : bits[8:6];
                    nextOp = bits[10:9] == 2'd0 ? 2'd1 : bits[10:9];
                    nextReads = nextOp != 2'd1 || bits[11];
                    nextWrite = nextOp == 2'd1 || bits[12];
                    NextSelect = select_of(nextWhich);
                    next;
                    nextOperand = bits;
                    @(posedge clk);
                    #1;
                    vectorWritten = vectorWriting;
                    if (!Stays) begin
                        if (bubbles > 0) begin
                            hereValid = 1'b0;
                            bubbles = bubbles - 1;
                        end else begin
                            hereValid = nextValid;
                            hereCsr = nextCsr;
                            hereWhich = nextWhich;
                            hereOp = nextOp;
                            hereReads = nextReads;
                            hereWrite = nextWrite;
                            hereOperand = nextOperand;
                        end
                    end
                end
                if (errors != 0) $fatal(1, "FAIL csr-storage: %0d errors", errors);
                if (reads[0] < 200 || reads[1] < 200 || reads[2] < 200 || waitedReads < 50 || trapsAfterVectorWrite < 10 || trappedMtvalReads < 20)
                    $fatal(1, "FAIL csr-storage: reads %0d %0d %0d, %0d waited, %0d traps after a write to mtvec, %0d reads of a trap's mtval",
                        reads[0], reads[1], reads[2], waitedReads, trapsAfterVectorWrite, trappedMtvalReads);
                $display("PASS csr-storage (reads of mscratch %0d, mtval %0d, mtvec %0d; %0d waited for a write; %0d traps after a write to mtvec; %0d reads of a trap's mtval)",
                    reads[0], reads[1], reads[2], waitedReads, trapsAfterVectorWrite, trappedMtvalReads);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void TheRegistersInBlockRamReadAsTheFlipFlops(Simulator simulator)
    {
        int selects = ControlStatusRegisters.ReadSources.Count;
        string Select(int address) => $"{selects}'d{(1L << ControlStatusRegisters.SelectBit(address)).ToString(CultureInfo.InvariantCulture)}";
        Ice40ModuleChecks.AssertBenchPasses(simulator, new CsrUnitPair(s_config), "CsrStorage_tb", Bench, "PASS csr-storage", "bench-csrstorage",
            bench => bench
                .Replace("SELECTS", selects.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("SELECT_MSCRATCH", Select(CsrAddress.Mscratch), StringComparison.Ordinal)
                .Replace("SELECT_MTVAL", Select(CsrAddress.Mtval), StringComparison.Ordinal)
                .Replace("SELECT_MTVEC", Select(CsrAddress.Mtvec), StringComparison.Ordinal)
                .Replace("SELECT_MEPC", Select(CsrAddress.Mepc), StringComparison.Ordinal)
                .Replace("SELECT_MCAUSE", Select(CsrAddress.Mcause), StringComparison.Ordinal)
                .Replace("SELECT_MSTATUS", Select(CsrAddress.Mstatus), StringComparison.Ordinal)
                .Replace("SELECT_MIE", Select(CsrAddress.Mie), StringComparison.Ordinal));
    }

    /// <summary>
    /// The storage in block RAM takes two RAMs (the 16-bit halves of mscratch, mtval and mtvec's copy); mtvec for the
    /// traps stays in flip-flops.
    /// </summary>
    [Test]
    public void TheStorageIsTwoBlockRams()
    {
        var (cells, report) = Ice40ModuleChecks.Synthesize(new ControlStatusRegisters(s_config with { Ice40Cells = true }), "synth-csr-storage");
        Assert.That(cells.GetValueOrDefault("SB_RAM40_4K"), Is.EqualTo(2), report);
    }
}
