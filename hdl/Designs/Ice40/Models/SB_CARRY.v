// Behavioural simulation model of the iCE40 carry logic SB_CARRY, for Verilator and Icarus Verilog (-g2012):
// CO = I0·I1 + CI·(I0 + I1), as in Yosys' ice40/cells_sim.v, against which a test proves it equivalent.
`timescale 1ns / 1ps
`default_nettype none

module SB_CARRY (
    output wire CO,
    input wire I0,
    input wire I1,
    input wire CI
);
    assign CO = (I0 & I1) | (CI & (I0 | I1));
endmodule
