// Behavioural simulation model of the iCE40 UltraPlus single-port RAM SB_SPRAM256KA (16K x 16),
// for Verilator (--binary --timing, or a model build) and Icarus Verilog (-g2012).
// Ports and behaviour follow Yosys' ice40/cells_sim.v, against which a test proves it equivalent:
// - a read (CHIPSELECT=1, WREN=0) gives DATAOUT = mem[ADDRESS] after the clock edge;
// - a write (CHIPSELECT=1, WREN=1) writes the nibbles whose MASKWREN bit is 1;
// - DATAOUT holds its value when CHIPSELECT is 0, during a write and in STANDBY (the primitive leaves
//   it undefined after a write and in standby: a design must not rely on it);
// - SLEEP=1 or POWEROFF=0 (POWEROFF is active low: 1 = powered) clears DATAOUT at once and ignores
//   the clock. The model keeps the contents across POWEROFF (the primitive loses them).
`timescale 1ns / 1ps
`default_nettype none

module SB_SPRAM256KA (
    input wire [13:0] ADDRESS,
    input wire [15:0] DATAIN,
    input wire [3:0] MASKWREN,
    input wire WREN,
    input wire CHIPSELECT,
    input wire CLOCK,
    input wire STANDBY,
    input wire SLEEP,
    input wire POWEROFF,
    output reg [15:0] DATAOUT
);
    reg [15:0] mem [0:16383];
    wire off = SLEEP | ~POWEROFF;
    wire [15:0] bits = {{4{MASKWREN[3]}}, {4{MASKWREN[2]}}, {4{MASKWREN[1]}}, {4{MASKWREN[0]}}};
    wire access = CHIPSELECT & ~STANDBY;

    initial DATAOUT = 16'd0;

    always @(posedge CLOCK or posedge off) begin
        if (off) begin
            DATAOUT <= 16'd0;
        end else if (access) begin
            if (WREN) begin
                mem[ADDRESS] <= (mem[ADDRESS] & ~bits) | (DATAIN & bits);
            end else begin
                DATAOUT <= mem[ADDRESS];
            end
        end
    end
endmodule
