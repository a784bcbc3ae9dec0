// Behavioural simulation model of the iCE40 PLL SB_PLL40_PAD, for Verilator (--binary --timing, or a
// model build) and Icarus Verilog (-g2012). The frequency is NOT modelled: PLLOUTCORE and PLLOUTGLOBAL
// follow PACKAGEPIN (DIVR, DIVF, DIVQ and FILTER_RANGE are accepted and ignored), so a design simulates
// at the reference clock's rate. LOCK rises on the fourth rising edge of PACKAGEPIN after RESETB
// goes to 1, and falls at once when RESETB is 0; while RESETB is 0 the outputs are 0. With BYPASS=1 the
// outputs are PACKAGEPIN itself. Only the SIMPLE feedback path is meant: EXTFEEDBACK, DYNAMICDELAY,
// LATCHINPUTVALUE and the SPI test port (SDI, SCLK, SDO) are accepted; SDO is 0.
`timescale 1ns / 1ps
`default_nettype none

module SB_PLL40_PAD (
    input wire PACKAGEPIN,
    output wire PLLOUTCORE,
    output wire PLLOUTGLOBAL,
    /* verilator lint_off UNUSEDSIGNAL */
    input wire EXTFEEDBACK,
    input wire [7:0] DYNAMICDELAY,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire LOCK,
    input wire BYPASS,
    input wire RESETB,
    /* verilator lint_off UNUSEDSIGNAL */
    input wire LATCHINPUTVALUE,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire SDO,
    /* verilator lint_off UNUSEDSIGNAL */
    input wire SDI,
    input wire SCLK
    /* verilator lint_on UNUSEDSIGNAL */
);
    /* verilator lint_off UNUSEDPARAM */
    parameter FEEDBACK_PATH = "SIMPLE";
    parameter DELAY_ADJUSTMENT_MODE_FEEDBACK = "FIXED";
    parameter DELAY_ADJUSTMENT_MODE_RELATIVE = "FIXED";
    parameter SHIFTREG_DIV_MODE = 1'b0;
    parameter FDA_FEEDBACK = 4'b0000;
    parameter FDA_RELATIVE = 4'b0000;
    parameter PLLOUT_SELECT = "GENCLK";
    parameter DIVR = 4'b0000;
    parameter DIVF = 7'b0000000;
    parameter DIVQ = 3'b000;
    parameter FILTER_RANGE = 3'b000;
    parameter ENABLE_ICEGATE = 1'b0;
    parameter TEST_MODE = 1'b0;
    parameter EXTERNAL_DIVIDE_FACTOR = 1;
    /* verilator lint_on UNUSEDPARAM */

    // Rising edges of the reference clock seen since RESETB went to 1, saturating at 4.
    reg [2:0] edges = 3'd0;
    always @(posedge PACKAGEPIN or negedge RESETB) begin
        if (!RESETB) edges <= 3'd0;
        else if (edges != 3'd4) edges <= edges + 3'd1;
    end

    assign LOCK = RESETB & (edges == 3'd4);
    wire out = BYPASS ? PACKAGEPIN : RESETB & PACKAGEPIN;
    assign PLLOUTCORE = out;
    assign PLLOUTGLOBAL = out;
    assign SDO = 1'b0;
endmodule
