// Behavioural simulation model of the iCE40 look-up table SB_LUT4, for Verilator and Icarus Verilog (-g2012).
// O is bit {I3, I2, I1, I0} of LUT_INIT, as in Yosys' ice40/cells_sim.v, against which a test proves it equivalent.
`timescale 1ns / 1ps
`default_nettype none

module SB_LUT4 (
    output wire O,
    input wire I0,
    input wire I1,
    input wire I2,
    input wire I3
);
    parameter [15:0] LUT_INIT = 16'h0000;

    assign O = LUT_INIT[{I3, I2, I1, I0}];
endmodule
