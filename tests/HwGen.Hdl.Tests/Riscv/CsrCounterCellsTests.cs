using System.Globalization;
using HwGen.Designs.Riscv;
using HwGen.Designs.Soc;
using HwGen.Hdl.Tests.Ice40;
using HwGen.Hdl.Tests.Simulation;
using NUnit.Framework;

namespace HwGen.Hdl.Tests.Riscv;

/// <summary>
/// The CSR unit with its counters in DSP blocks (<see cref="CoreConfig.Ice40Cells"/>, simulated with the models) reads
/// and loads its counters as the generic unit does, cycle by cycle under Verilator and Icarus, through writes of each half
/// and carries from a low half into its high half. The generic unit is the one the lockstep co-simulation checks against
/// the golden model.
/// </summary>
[TestFixture]
public sealed class CsrCounterCellsTests
{
    private static readonly CoreConfig s_config = CoreConfig.ForMemoryMap(MemoryMap.Ice40Up5k);

    /// <summary>
    /// Every cycle one of mcycle, minstret and their high halves is read (the choice changes one cycle in sixteen); one
    /// cycle in 32 a CSR write of one of them, of a low half three times in four, mostly of a value just below all ones,
    /// so that a low half soon carries;
    /// an instruction retires two cycles in three. Both units' reads and CounterLoading are compared every cycle, and a
    /// high half seen to change without a write to it counts as a carry. Prints <c>PASS csr</c>.
    /// </summary>
    private const string Bench = """
        `timescale 1ns / 1ps
        `default_nettype none
        module CsrCounters_tb;
            reg clk = 1'b0;
            reg rst = 1'b1;
            reg Access = 1'b0;
            reg [11:0] Address = 12'd0;
            reg [SELECTS-1:0] Select = 0;
            reg [31:0] Operand = 0;
            reg Retired = 1'b0;
            wire [31:0] CellsRead;
            wire [31:0] GenericRead;
            wire CellsLoading;
            wire GenericLoading;
            reg [31:0] bits;
            reg [1:0] reading = 2'd0;
            reg [1:0] writing;
            reg [31:0] lastHigh [0:3];
            reg highWritten [0:3];
            integer i;
            integer errors = 0;
            integer writes [0:3];
            integer carries = 0;
            reg [31:0] state = 32'h9E37_79B9;

            task automatic next;
                begin
                    state = state ^ (state << 13);
                    state = state ^ (state >> 17);
                    state = state ^ (state << 5);
                    bits = state;
                end
            endtask

            function automatic [11:0] address_of(input [1:0] which);
                address_of = which == 2'd0 ? 12'hB00 : which == 2'd1 ? 12'hB80 : which == 2'd2 ? 12'hB02 : 12'hB82;
            endfunction

            function automatic [SELECTS-1:0] select_of(input [1:0] which);
                select_of = which == 2'd0 ? SELECT_MCYCLE : which == 2'd1 ? SELECT_MCYCLEH : which == 2'd2 ? SELECT_MINSTRET : SELECT_MINSTRETH;
            endfunction

            wire [31:0] CellsVector;
            wire [31:0] GenericVector;

            // csrrw with a write, no trap: the cell unit's block RAM reads the slot of the select here (none of its
            // registers: 0).
            TOP dut(.clk(clk), .rst(rst), .Access(Access), .Address(Address), .Select(Select), .NextSelect(Select),
                .Stays(1'b1), .Op(2'd1), .Operand(Operand), .Write(1'b1), .Trap(1'b0), .TrapCause(4'd0),
                .TrapValue(32'd0), .Interrupt(1'b0), .Retired(Retired), .CellsRead(CellsRead), .GenericRead(GenericRead),
                .CellsVector(CellsVector), .GenericVector(GenericVector), .CellsLoading(CellsLoading), .GenericLoading(GenericLoading));

            always #5 clk = ~clk;

            initial begin
                for (i = 0; i < 4; i = i + 1) begin
                    writes[i] = 0;
                    lastHigh[i] = 0;
                    highWritten[i] = 1'b0;
                end
                @(posedge clk);
                @(posedge clk);
                #1 rst = 1'b0;
                for (i = 0; i < 10000; i = i + 1) begin
                    next;
                    if (bits[3:0] == 4'd0) reading = bits[5:4];
                    writing = {bits[7], bits[6] & bits[23]};
                    Access = bits[12:8] == 5'd0;
                    Address = Access ? address_of(writing) : address_of(reading);
                    Select = Access ? select_of(writing) : select_of(reading);
                    Operand = bits[26:25] != 2'd0 ? 32'hFFFF_FFFF - {24'd0, bits[20:13]} : state * 32'd2654435761;
                    Retired = bits[22:21] != 2'd0;
                    if (Access) begin
                        writes[writing] = writes[writing] + 1;
                        highWritten[writing] = 1'b1;
                    end
                    #1;
                    if (CellsRead !== GenericRead || CellsLoading !== GenericLoading) begin
                        $display("FAIL csr: cycle %0d: address %h: cells read %h loading %b, generic read %h loading %b",
                            i, Address, CellsRead, CellsLoading, GenericRead, GenericLoading);
                        errors = errors + 1;
                    end
                    if (!Access && reading[0]) begin
                        if (GenericRead != lastHigh[reading] && !highWritten[reading]) carries = carries + 1;
                        lastHigh[reading] = GenericRead;
                        highWritten[reading] = 1'b0;
                    end
                    @(posedge clk);
                    #1;
                end
                if (writes[0] < 20 || writes[1] < 20 || writes[2] < 20 || writes[3] < 20 || carries < 20)
                    $fatal(1, "FAIL csr: writes %0d %0d %0d %0d, %0d carries into a high half", writes[0], writes[1], writes[2], writes[3], carries);
                if (errors == 0) $display("PASS csr (writes %0d %0d %0d %0d, %0d carries into a high half)", writes[0], writes[1], writes[2], writes[3], carries);
                else $fatal(1, "FAIL csr: %0d errors", errors);
                $finish;
            end
        endmodule
        """;

    [TestCase(Simulator.Verilator)]
    [TestCase(Simulator.Icarus)]
    public void TheCountersInDspBlocksReadAndLoadAsTheGenericOnes(Simulator simulator)
    {
        int selects = ControlStatusRegisters.ReadSources.Count;
        string Select(int address) => $"{selects}'d{(1L << ControlStatusRegisters.SelectBit(address)).ToString(CultureInfo.InvariantCulture)}";
        Ice40ModuleChecks.AssertBenchPasses(simulator, new CsrUnitPair(s_config), "CsrCounters_tb", Bench, "PASS csr", "bench-csrcounters",
            bench => bench
                .Replace("SELECTS", selects.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("SELECT_MCYCLEH", Select(CsrAddress.Mcycleh), StringComparison.Ordinal)
                .Replace("SELECT_MCYCLE", Select(CsrAddress.Mcycle), StringComparison.Ordinal)
                .Replace("SELECT_MINSTRETH", Select(CsrAddress.Minstreth), StringComparison.Ordinal)
                .Replace("SELECT_MINSTRET", Select(CsrAddress.Minstret), StringComparison.Ordinal));
    }
}
