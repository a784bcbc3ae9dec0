// Self-checking test bench for the 32-bit Alu example (hdl/Designs/Examples/Alu.cs).
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// First a table of known answers (overflow, shifts by 0 and 31, shift amounts with high bits set,
// signed comparisons of negative numbers), then every one of the 16 Op codes on every pair of a
// set of edge values, then random operands. Result and Zero (and the comparison outputs Less,
// LessUnsigned and Equal, the adder's Sum and Others, the result without it) are compared with a reference
// written here in terms that differ from the design's (subtraction as addition of the complement,
// signed compare from the sign bits, arithmetic shift from a logical one); unused Op codes give 0.
// Ends with "PASS alu", or prints "FAIL alu: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module Alu_tb;
    localparam [3:0] ADD = 4'b0000;
    localparam [3:0] SUB = 4'b1000;
    localparam [3:0] SLL = 4'b0001;
    localparam [3:0] SLT = 4'b0010;
    localparam [3:0] SLTU = 4'b0011;
    localparam [3:0] XOR = 4'b0100;
    localparam [3:0] SRL = 4'b0101;
    localparam [3:0] SRA = 4'b1101;
    localparam [3:0] OR = 4'b0110;
    localparam [3:0] AND = 4'b0111;
    localparam integer EDGES = 18;
    localparam integer KNOWN_MAX = 64;

    reg [31:0] A = 32'd0;
    reg [31:0] B = 32'd0;
    reg [3:0] Op = 4'd0;
    wire [31:0] Result;
    wire [31:0] Sum;
    wire [31:0] Others;
    wire Zero;
    wire Less;
    wire LessUnsigned;
    wire Equal;
    wire Subtract = Op == SUB || Op == SLT || Op == SLTU;

    Alu dut (
        .A(A),
        .B(B),
        .Op(Op),
        .Subtract(Subtract),
        .Result(Result),
        .Sum(Sum),
        .Others(Others),
        .Zero(Zero),
        .Less(Less),
        .LessUnsigned(LessUnsigned),
        .Equal(Equal)
    );

    reg [31:0] edges [0:EDGES-1];
    reg [3:0] known_op [0:KNOWN_MAX-1];
    reg [31:0] known_a [0:KNOWN_MAX-1];
    reg [31:0] known_b [0:KNOWN_MAX-1];
    reg [31:0] known_result [0:KNOWN_MAX-1];
    integer known_count = 0;
    reg [31:0] random_state = 32'hC0FF_EE11;
    integer checks = 0;
    integer op;
    integer i;
    integer j;

    function [31:0] reference(input [3:0] operation, input [31:0] a, input [31:0] b);
        reg [4:0] amount;
        begin
            amount = b[4:0];
            case (operation)
                ADD: reference = a + b;
                SUB: reference = a + ~b + 32'd1;
                SLL: reference = a << amount;
                SLT: reference = a[31] != b[31] ? {31'd0, a[31]} : {31'd0, a[30:0] < b[30:0]};
                SLTU: reference = {31'd0, a < b};
                XOR: reference = a ^ b;
                SRL: reference = a >> amount;
                SRA: reference = (a >> amount) | (a[31] ? ~(32'hFFFF_FFFF >> amount) : 32'd0);
                OR: reference = a | b;
                AND: reference = a & b;
                default: reference = 32'd0;
            endcase
        end
    endfunction

    task fail(input [31:0] expected);
        begin
            $display("FAIL alu: Op=%b A=%h B=%h: Result=%h Zero=%b, expected Result=%h Zero=%b",
                     Op, A, B, Result, Zero, expected, expected == 32'd0);
            $fatal(1, "alu test bench failed");
        end
    endtask

    task apply(input [3:0] operation, input [31:0] a, input [31:0] b, input [31:0] expected);
        begin
            Op = operation;
            A = a;
            B = b;
            #1;
            checks = checks + 1;
            if (Result !== expected || Zero !== (expected == 32'd0))
                fail(expected);
            // Sum is the adder's whatever the op; Others is Result without it (0 for add and sub).
            if (Sum !== (Subtract ? a + ~b + 32'd1 : a + b) ||
                    Others !== (operation == ADD || operation == SUB ? 32'd0 : expected)) begin
                $display("FAIL alu: Op=%b A=%h B=%h: Sum=%h Others=%h", Op, A, B, Sum, Others);
                $fatal(1, "alu test bench failed");
            end
            // The comparison outputs: equality for every op, less-than whenever the ALU subtracts.
            if (Equal !== (a == b) || ((operation == SUB || operation == SLT || operation == SLTU) &&
                    (Less !== (reference(SLT, a, b) != 32'd0) || LessUnsigned !== (reference(SLTU, a, b) != 32'd0)))) begin
                $display("FAIL alu: Op=%b A=%h B=%h: Less=%b LessUnsigned=%b Equal=%b", Op, A, B, Less, LessUnsigned, Equal);
                $fatal(1, "alu test bench failed");
            end
        end
    endtask

    // Known answers: each checks the design and the reference alike.
    task add_known(input [3:0] operation, input [31:0] a, input [31:0] b, input [31:0] result);
        begin
            if (known_count == KNOWN_MAX) begin
                $display("FAIL alu: more than %0d known answers: raise KNOWN_MAX", KNOWN_MAX);
                $fatal(1, "alu test bench failed");
            end
            known_op[known_count] = operation;
            known_a[known_count] = a;
            known_b[known_count] = b;
            known_result[known_count] = result;
            known_count = known_count + 1;
        end
    endtask

    task next_random;
        begin
            random_state = random_state ^ (random_state << 13);
            random_state = random_state ^ (random_state >> 17);
            random_state = random_state ^ (random_state << 5);
        end
    endtask

    initial begin
        add_known(ADD, 32'd2, 32'd3, 32'd5);
        add_known(ADD, 32'hFFFF_FFFF, 32'd1, 32'd0);
        add_known(ADD, 32'h7FFF_FFFF, 32'd1, 32'h8000_0000);
        add_known(ADD, 32'h8000_0000, 32'h8000_0000, 32'd0);
        add_known(SUB, 32'd5, 32'd5, 32'd0);
        add_known(SUB, 32'd0, 32'd1, 32'hFFFF_FFFF);
        add_known(SUB, 32'h8000_0000, 32'd1, 32'h7FFF_FFFF);
        add_known(SUB, 32'd3, 32'hFFFF_FFFE, 32'd5);
        add_known(SLL, 32'h1234_5678, 32'd0, 32'h1234_5678);
        add_known(SLL, 32'd1, 32'd31, 32'h8000_0000);
        add_known(SLL, 32'hFFFF_FFFF, 32'd31, 32'h8000_0000);
        add_known(SLL, 32'd3, 32'd32, 32'd3);
        add_known(SLL, 32'd1, 32'hFFFF_FFFC, 32'h1000_0000);
        add_known(SLL, 32'h8000_0001, 32'd1, 32'd2);
        add_known(SRL, 32'h8000_0000, 32'd31, 32'd1);
        add_known(SRL, 32'h8000_0000, 32'd0, 32'h8000_0000);
        add_known(SRL, 32'hF000_000F, 32'd4, 32'h0F00_0000);
        add_known(SRL, 32'hFFFF_FFFF, 32'h0000_0021, 32'h7FFF_FFFF);
        add_known(SRA, 32'h8000_0000, 32'd31, 32'hFFFF_FFFF);
        add_known(SRA, 32'h8000_0000, 32'd0, 32'h8000_0000);
        add_known(SRA, 32'h7FFF_FFFF, 32'd31, 32'd0);
        add_known(SRA, 32'hF000_000F, 32'd4, 32'hFF00_0000);
        add_known(SRA, 32'h7000_000F, 32'd4, 32'h0700_0000);
        add_known(SRA, 32'h8000_0000, 32'hFFFF_FFE1, 32'hC000_0000);
        add_known(SLT, 32'hFFFF_FFFF, 32'd1, 32'd1);
        add_known(SLT, 32'd1, 32'hFFFF_FFFF, 32'd0);
        add_known(SLT, 32'h8000_0000, 32'h7FFF_FFFF, 32'd1);
        add_known(SLT, 32'h7FFF_FFFF, 32'h8000_0000, 32'd0);
        add_known(SLT, 32'hFFFF_FFFE, 32'hFFFF_FFFF, 32'd1);
        add_known(SLT, 32'hFFFF_FFFF, 32'hFFFF_FFFE, 32'd0);
        add_known(SLT, 32'hFFFF_FFFF, 32'hFFFF_FFFF, 32'd0);
        add_known(SLT, 32'd0, 32'd0, 32'd0);
        add_known(SLTU, 32'hFFFF_FFFF, 32'd1, 32'd0);
        add_known(SLTU, 32'd1, 32'hFFFF_FFFF, 32'd1);
        add_known(SLTU, 32'h7FFF_FFFF, 32'h8000_0000, 32'd1);
        add_known(SLTU, 32'd7, 32'd7, 32'd0);
        add_known(XOR, 32'hF0F0_F0F0, 32'hFF00_FF00, 32'h0FF0_0FF0);
        add_known(XOR, 32'hDEAD_BEEF, 32'hDEAD_BEEF, 32'd0);
        add_known(OR, 32'hF0F0_F0F0, 32'hFF00_FF00, 32'hFFF0_FFF0);
        add_known(OR, 32'd0, 32'd0, 32'd0);
        add_known(AND, 32'hF0F0_F0F0, 32'hFF00_FF00, 32'hF000_F000);
        add_known(AND, 32'hAAAA_AAAA, 32'h5555_5555, 32'd0);
        add_known(4'b1001, 32'hFFFF_FFFF, 32'hFFFF_FFFF, 32'd0);
        add_known(4'b1111, 32'd1, 32'd1, 32'd0);
        for (i = 0; i < known_count; i = i + 1) begin
            if (reference(known_op[i], known_a[i], known_b[i]) !== known_result[i]) begin
                $display("FAIL alu: the test bench's reference gives %h for Op=%b A=%h B=%h, expected %h",
                         reference(known_op[i], known_a[i], known_b[i]), known_op[i], known_a[i], known_b[i], known_result[i]);
                $fatal(1, "alu test bench failed");
            end
            apply(known_op[i], known_a[i], known_b[i], known_result[i]);
        end

        edges[0] = 32'h0000_0000;
        edges[1] = 32'h0000_0001;
        edges[2] = 32'h0000_0002;
        edges[3] = 32'h0000_001F;
        edges[4] = 32'h0000_0020;
        edges[5] = 32'h0000_0021;
        edges[6] = 32'h7FFF_FFFE;
        edges[7] = 32'h7FFF_FFFF;
        edges[8] = 32'h8000_0000;
        edges[9] = 32'h8000_0001;
        edges[10] = 32'hFFFF_FFFE;
        edges[11] = 32'hFFFF_FFFF;
        edges[12] = 32'hFFFF_FFE0;
        edges[13] = 32'h1234_5678;
        edges[14] = 32'h8765_4321;
        edges[15] = 32'h5555_5555;
        edges[16] = 32'hAAAA_AAAA;
        edges[17] = 32'h0000_FFFF;
        for (op = 0; op < 16; op = op + 1)
            for (i = 0; i < EDGES; i = i + 1)
                for (j = 0; j < EDGES; j = j + 1)
                    apply(op[3:0], edges[i], edges[j], reference(op[3:0], edges[i], edges[j]));

        for (i = 0; i < 4000; i = i + 1) begin
            next_random;
            A = random_state;
            next_random;
            // Small shift amounts and equal operands are likelier than chance would make them.
            B = random_state[31:30] == 2'b00 ? {27'd0, random_state[4:0]} : random_state[31:30] == 2'b01 ? A : random_state;
            next_random;
            apply(random_state[3:0], A, B, reference(random_state[3:0], A, B));
        end

        $display("alu: %0d checks", checks);
        $display("PASS alu");
        $finish;
    end
endmodule

`default_nettype wire
