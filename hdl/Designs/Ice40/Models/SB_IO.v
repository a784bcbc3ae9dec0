// Behavioural simulation model of the iCE40 I/O cell SB_IO, for Verilator (--binary --timing, or a
// model build) and Icarus Verilog (-g2012). It follows Yosys' ice40/cells_sim.v, against which a test
// checks it, for these PIN_TYPE settings:
// - input, PIN_TYPE[1:0]: 01 the pin itself (PIN_INPUT), 00 registered on INPUT_CLK; D_IN_1 is the pin
//   registered on the falling edge (DDR). The input latch (PIN_TYPE[1] with LATCH_INPUT_VALUE) is not
//   modelled: LATCH_INPUT_VALUE is ignored.
// - output, PIN_TYPE[3:2]: 10 D_OUT_0 itself, 01 D_OUT_0 registered on OUTPUT_CLK, 11 the same
//   inverted, 00 DDR (D_OUT_0 while OUTPUT_CLK is high, D_OUT_1 while it is low, no glitch model);
// - output enable, PIN_TYPE[5:4]: 00 never driven, 01 always driven, 10 driven while OUTPUT_ENABLE is 1,
//   11 driven while OUTPUT_ENABLE registered on OUTPUT_CLK is 1; an undriven pin floats (z).
// CLOCK_ENABLE must be connected (the primitive pulls an unconnected one to 1). NEG_TRIGGER swaps the
// clock edges. PULLUP and IO_STANDARD are accepted and not modelled (a floating pin reads as z).
// Common settings: 6'b000001 PIN_INPUT, 6'b011001 PIN_OUTPUT, 6'b101001 PIN_OUTPUT_TRISTATE.
`timescale 1ns / 1ps
`default_nettype none

module SB_IO (
    inout wire PACKAGE_PIN,
    /* verilator lint_off UNUSEDSIGNAL */
    input wire LATCH_INPUT_VALUE,
    /* verilator lint_on UNUSEDSIGNAL */
    input wire CLOCK_ENABLE,
    input wire INPUT_CLK,
    input wire OUTPUT_CLK,
    input wire OUTPUT_ENABLE,
    input wire D_OUT_0,
    input wire D_OUT_1,
    output wire D_IN_0,
    output wire D_IN_1
);
    parameter PIN_TYPE = 6'b000000;
    parameter NEG_TRIGGER = 1'b0;
    /* verilator lint_off UNUSEDPARAM */
    parameter PULLUP = 1'b0;
    parameter IO_STANDARD = "SB_LVCMOS";
    /* verilator lint_on UNUSEDPARAM */

    localparam [5:0] TYPE = PIN_TYPE[5:0];
    wire in_clock = INPUT_CLK ^ (NEG_TRIGGER != 0);
    wire out_clock = OUTPUT_CLK ^ (NEG_TRIGGER != 0);

    // Which registers and values are used depends on PIN_TYPE.
    /* verilator lint_off UNUSEDSIGNAL */
    reg in_q0 = 1'b0, in_q1 = 1'b0, in_enable1 = 1'b0;
    reg out_q0 = 1'b0, out_q1 = 1'b0, out_enable1 = 1'b0, enable_q = 1'b0;
    always @(posedge in_clock) begin
        in_enable1 <= CLOCK_ENABLE;
        if (CLOCK_ENABLE) in_q0 <= PACKAGE_PIN;
    end
    always @(negedge in_clock) begin
        if (in_enable1) in_q1 <= PACKAGE_PIN;
    end
    always @(posedge out_clock) begin
        out_enable1 <= CLOCK_ENABLE;
        if (CLOCK_ENABLE) begin
            out_q0 <= D_OUT_0;
            enable_q <= OUTPUT_ENABLE;
        end
    end
    always @(negedge out_clock) begin
        if (out_enable1) out_q1 <= D_OUT_1;
    end

    assign D_IN_0 = TYPE[0] ? PACKAGE_PIN : in_q0;
    assign D_IN_1 = in_q1;

    wire dout = TYPE[3:2] == 2'b10 ? D_OUT_0
              : TYPE[3:2] == 2'b01 ? out_q0
              : TYPE[3:2] == 2'b11 ? ~out_q0
              : out_clock ? out_q0 : out_q1;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (TYPE[5:4] == 2'b01) begin : always_driven
            assign PACKAGE_PIN = dout;
        end else if (TYPE[5:4] == 2'b10) begin : enabled
            assign PACKAGE_PIN = OUTPUT_ENABLE ? dout : 1'bz;
        end else if (TYPE[5:4] == 2'b11) begin : enabled_registered
            assign PACKAGE_PIN = enable_q ? dout : 1'bz;
        end
    endgenerate
endmodule
