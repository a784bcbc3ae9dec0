// Behavioural simulation model of the iCE40 UltraPlus DSP block SB_MAC16, for Verilator (--binary
// --timing, or a model build) and Icarus Verilog (-g2012). It follows the block diagram of the iCE40
// DSP function usage guide (TN1295) and Yosys' ice40/cells_sim.v, against which a test proves it
// equivalent: the 16 x 16 multiplier is four 8 x 8 products (F = Ah*Bh, J = Al*Bh, K = Ah*Bl, G = Al*Bl)
// summed into the 32-bit H, each with its optional register, and the two 16-bit output stages
// (adder/subtractor or accumulator, loadable, with an output register) select what O carries.
// Every parameter of the primitive is modelled, with the primitive's defaults. The parameters are
// untyped so that an integer override (what HwGen emits) is clean under verilator -Wall.
`timescale 1ns / 1ps
`default_nettype none

module SB_MAC16 (
    input wire CLK,
    input wire CE,
    input wire [15:0] C,
    input wire [15:0] A,
    input wire [15:0] B,
    input wire [15:0] D,
    input wire AHOLD,
    input wire BHOLD,
    input wire CHOLD,
    input wire DHOLD,
    input wire IRSTTOP,
    input wire IRSTBOT,
    input wire ORSTTOP,
    input wire ORSTBOT,
    input wire OLOADTOP,
    input wire OLOADBOT,
    input wire ADDSUBTOP,
    input wire ADDSUBBOT,
    input wire OHOLDTOP,
    input wire OHOLDBOT,
    input wire CI,
    input wire ACCUMCI,
    input wire SIGNEXTIN,
    output wire [31:0] O,
    output wire CO,
    output wire ACCUMCO,
    output wire SIGNEXTOUT
);
    parameter NEG_TRIGGER = 0;
    parameter C_REG = 0;
    parameter A_REG = 0;
    parameter B_REG = 0;
    parameter D_REG = 0;
    parameter TOP_8x8_MULT_REG = 0;
    parameter BOT_8x8_MULT_REG = 0;
    parameter PIPELINE_16x16_MULT_REG1 = 0;
    parameter PIPELINE_16x16_MULT_REG2 = 0;
    parameter TOPOUTPUT_SELECT = 0;
    parameter TOPADDSUB_LOWERINPUT = 0;
    parameter TOPADDSUB_UPPERINPUT = 0;
    parameter TOPADDSUB_CARRYSELECT = 0;
    parameter BOTOUTPUT_SELECT = 0;
    parameter BOTADDSUB_LOWERINPUT = 0;
    parameter BOTADDSUB_UPPERINPUT = 0;
    parameter BOTADDSUB_CARRYSELECT = 0;
    parameter MODE_8x8 = 0;
    parameter A_SIGNED = 0;
    parameter B_SIGNED = 0;

    wire clock = CLK ^ (NEG_TRIGGER != 0);

    // ---- input registers: C and A reset by IRSTTOP, B and D by IRSTBOT -------------------------
    reg [15:0] c_q, a_q, b_q, d_q;
    always @(posedge clock or posedge IRSTTOP) begin
        if (IRSTTOP) begin
            c_q <= 16'h0000;
            a_q <= 16'h0000;
        end else if (CE) begin
            if (!CHOLD) c_q <= C;
            if (!AHOLD) a_q <= A;
        end
    end
    always @(posedge clock or posedge IRSTBOT) begin
        if (IRSTBOT) begin
            b_q <= 16'h0000;
            d_q <= 16'h0000;
        end else if (CE) begin
            if (!BHOLD) b_q <= B;
            if (!DHOLD) d_q <= D;
        end
    end
    wire [15:0] c_in = (C_REG != 0) ? c_q : C;
    wire [15:0] a_in = (A_REG != 0) ? a_q : A;
    wire [15:0] b_in = (B_REG != 0) ? b_q : B;
    wire [15:0] d_in = (D_REG != 0) ? d_q : D;

    // ---- multiplier: four 8 x 8 products ------------------------------------------------------
    // The high bytes carry the sign of a signed operand; the low bytes are unsigned except in 8 x 8 mode.
    wire [15:0] a_hi = {(A_SIGNED != 0) ? {8{a_in[15]}} : 8'h00, a_in[15:8]};
    wire [15:0] a_lo = {((A_SIGNED != 0) & (MODE_8x8 != 0)) ? {8{a_in[7]}} : 8'h00, a_in[7:0]};
    wire [15:0] b_hi = {(B_SIGNED != 0) ? {8{b_in[15]}} : 8'h00, b_in[15:8]};
    wire [15:0] b_lo = {((B_SIGNED != 0) & (MODE_8x8 != 0)) ? {8{b_in[7]}} : 8'h00, b_in[7:0]};
    wire [15:0] f_mul = a_hi * b_hi;
    wire [15:0] j_mul = {8'h00, a_lo[7:0]} * b_hi;
    wire [15:0] k_mul = a_hi * {8'h00, b_lo[7:0]};
    wire [15:0] g_mul = a_lo * b_lo;

    // F and J reset by IRSTTOP, K, G and H by IRSTBOT; J, K and H do not load in 8 x 8 mode.
    reg [15:0] f_q, j_q, k_q, g_q;
    reg [31:0] h_q;
    always @(posedge clock or posedge IRSTTOP) begin
        if (IRSTTOP) begin
            f_q <= 16'h0000;
            j_q <= 16'h0000;
        end else if (CE) begin
            f_q <= f_mul;
            if (MODE_8x8 == 0) j_q <= j_mul;
        end
    end
    always @(posedge clock or posedge IRSTBOT) begin
        if (IRSTBOT) begin
            k_q <= 16'h0000;
            g_q <= 16'h0000;
        end else if (CE) begin
            if (MODE_8x8 == 0) k_q <= k_mul;
            g_q <= g_mul;
        end
    end
    wire [15:0] f = (TOP_8x8_MULT_REG != 0) ? f_q : f_mul;
    wire [15:0] j = (PIPELINE_16x16_MULT_REG1 != 0) ? j_q : j_mul;
    wire [15:0] k = (PIPELINE_16x16_MULT_REG1 != 0) ? k_q : k_mul;
    wire [15:0] g = (BOT_8x8_MULT_REG != 0) ? g_q : g_mul;

    // The cross products K (sign of A) and J (sign of B) weigh 2^8, F weighs 2^16.
    wire [31:0] product = {16'h0000, g}
        + {{8{(A_SIGNED != 0) & k[15]}}, k, 8'h00}
        + {{8{(B_SIGNED != 0) & j[15]}}, j, 8'h00}
        + {f, 16'h0000};
    always @(posedge clock or posedge IRSTBOT) begin
        if (IRSTBOT) h_q <= 32'h0000_0000;
        else if (CE && MODE_8x8 == 0) h_q <= product;
    end
    wire [31:0] h = (PIPELINE_16x16_MULT_REG2 != 0) ? h_q : product;

    // ---- output stages: an adder/subtractor (or accumulator) and a register each -----------------
    reg [15:0] q_top, q_bot;
    wire lo_carry;
    wire [15:0] z_bot = BOTADDSUB_LOWERINPUT == 0 ? b_in
                      : BOTADDSUB_LOWERINPUT == 1 ? g
                      : BOTADDSUB_LOWERINPUT == 2 ? h[15:0]
                      : {16{SIGNEXTIN}};
    wire [15:0] x_top = TOPADDSUB_LOWERINPUT == 0 ? a_in
                      : TOPADDSUB_LOWERINPUT == 1 ? f
                      : TOPADDSUB_LOWERINPUT == 2 ? h[31:16]
                      : {16{z_bot[15]}};
    wire [15:0] w_top = (TOPADDSUB_UPPERINPUT != 0) ? c_in : q_top;
    wire [15:0] y_bot = (BOTADDSUB_UPPERINPUT != 0) ? d_in : q_bot;

    wire carry_bot = BOTADDSUB_CARRYSELECT == 0 ? 1'b0
                   : BOTADDSUB_CARRYSELECT == 1 ? 1'b1
                   : BOTADDSUB_CARRYSELECT == 2 ? ACCUMCI
                   : CI;
    wire [16:0] sum_bot = {1'b0, z_bot} + {1'b0, y_bot ^ {16{ADDSUBBOT}}} + {16'h0000, carry_bot};
    assign lo_carry = sum_bot[16];
    wire carry_top = TOPADDSUB_CARRYSELECT == 0 ? 1'b0
                   : TOPADDSUB_CARRYSELECT == 1 ? 1'b1
                   : TOPADDSUB_CARRYSELECT == 2 ? lo_carry
                   : lo_carry ^ ADDSUBBOT;
    wire [16:0] sum_top = {1'b0, x_top} + {1'b0, w_top ^ {16{ADDSUBTOP}}} + {16'h0000, carry_top};

    wire [15:0] r_bot = OLOADBOT ? d_in : sum_bot[15:0] ^ {16{ADDSUBBOT}};
    wire [15:0] p_top = OLOADTOP ? c_in : sum_top[15:0] ^ {16{ADDSUBTOP}};
    // The output registers' resets are asynchronous, as the block's are; a design may drive them from its
    // synchronous reset (a register's output, which changes with the clock), which Verilator would point out.
    /* verilator lint_off SYNCASYNCNET */
    always @(posedge clock or posedge ORSTTOP) begin
        if (ORSTTOP) q_top <= 16'h0000;
        else if (CE && !OHOLDTOP) q_top <= p_top;
    end
    always @(posedge clock or posedge ORSTBOT) begin
        if (ORSTBOT) q_bot <= 16'h0000;
        else if (CE && !OHOLDBOT) q_bot <= r_bot;
    end
    /* verilator lint_on SYNCASYNCNET */

    wire [15:0] o_top = TOPOUTPUT_SELECT == 0 ? p_top
                      : TOPOUTPUT_SELECT == 1 ? q_top
                      : TOPOUTPUT_SELECT == 2 ? f
                      : h[31:16];
    wire [15:0] o_bot = BOTOUTPUT_SELECT == 0 ? r_bot
                      : BOTOUTPUT_SELECT == 1 ? q_bot
                      : BOTOUTPUT_SELECT == 2 ? g
                      : h[15:0];
    assign O = {o_top, o_bot};
    assign ACCUMCO = sum_top[16];
    assign CO = sum_top[16] ^ ADDSUBTOP;
    assign SIGNEXTOUT = x_top[15];
endmodule
