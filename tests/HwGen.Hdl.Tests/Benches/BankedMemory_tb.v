// Self-checking test bench for the BankedMemory example (hdl/Designs/Examples/BankedMemory.cs): a MemoryBus
// declared once, In(...) at the top, through a splitter to two banks, one Connect per level.
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// Writes every word, in an order that alternates the banks, then reads every word back in another order,
// checking that each request is answered the next cycle (Ready) with the word last written (ReadData), that no
// answer comes without a request, and that the two banks do not alias.
// Ends with "PASS banked-memory", or prints "FAIL banked-memory: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module BankedMemory_tb;
    parameter integer ADDRESS_WIDTH = 6;
    parameter integer DATA_WIDTH = 8;

    localparam integer WORDS = 1 << ADDRESS_WIDTH;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg Bus_Valid = 1'b0;
    reg Bus_Write = 1'b0;
    reg [ADDRESS_WIDTH-1:0] Bus_Address = {ADDRESS_WIDTH{1'b0}};
    reg [DATA_WIDTH-1:0] Bus_WriteData = {DATA_WIDTH{1'b0}};
    wire [DATA_WIDTH-1:0] Bus_ReadData;
    wire Bus_Ready;

    BankedMemory dut (
        .clk(clk),
        .rst(rst),
        .Bus_Valid(Bus_Valid),
        .Bus_Write(Bus_Write),
        .Bus_Address(Bus_Address),
        .Bus_WriteData(Bus_WriteData),
        .Bus_ReadData(Bus_ReadData),
        .Bus_Ready(Bus_Ready)
    );

    always #5 clk = ~clk;

    reg [DATA_WIDTH-1:0] model [0:WORDS-1];
    integer requests = 0;
    integer i;

    task fail;
        begin
            $display("FAIL banked-memory: after %0d requests: Valid=%b Write=%b Address=%0d WriteData=%h ReadData=%h Ready=%b",
                     requests, Bus_Valid, Bus_Write, Bus_Address, Bus_WriteData, Bus_ReadData, Bus_Ready);
            $fatal(1, "banked-memory test bench failed");
        end
    endtask

    function [DATA_WIDTH-1:0] pattern(input integer n);
        reg [31:0] value;
        begin
            value = n * 37 + 11;
            pattern = value[DATA_WIDTH-1:0];
        end
    endfunction

    function [ADDRESS_WIDTH-1:0] address_of(input integer n);
        reg [31:0] value;
        begin
            value = n;
            address_of = value[ADDRESS_WIDTH-1:0];
        end
    endfunction

    // One request in one cycle, then its answer checked in the next (inputs change at the falling edge).
    task request(input write, input [ADDRESS_WIDTH-1:0] address, input [DATA_WIDTH-1:0] data);
        begin
            Bus_Valid = 1'b1;
            Bus_Write = write;
            Bus_Address = address;
            Bus_WriteData = data;
            @(negedge clk);
            Bus_Valid = 1'b0;
            Bus_Write = 1'b0;
            requests = requests + 1;
            if (Bus_Ready !== 1'b1) begin
                $display("FAIL banked-memory: no answer the cycle after the request");
                fail;
            end
            if (write) begin
                model[address] = data;
            end else if (Bus_ReadData !== model[address]) begin
                $display("FAIL banked-memory: read %h from address %0d, expected %h", Bus_ReadData, address, model[address]);
                fail;
            end
        end
    endtask

    task idle;
        begin
            @(negedge clk);
            if (Bus_Ready !== 1'b0) begin
                $display("FAIL banked-memory: an answer without a request");
                fail;
            end
        end
    endtask

    initial begin
        @(negedge clk);
        @(negedge clk);
        rst = 1'b0;
        idle;

        // Every word, alternating the banks: 0, WORDS/2, 1, WORDS/2 + 1, ...
        for (i = 0; i < WORDS; i = i + 1)
            request(1'b1, address_of((i % 2) * (WORDS / 2) + i / 2), pattern(i));
        idle;

        // Every word back, in another order (stride 13 is coprime with a power of two).
        for (i = 0; i < WORDS; i = i + 1)
            request(1'b0, address_of(i * 13), {DATA_WIDTH{1'b0}});

        // The same word position in both banks holds different values: no aliasing.
        request(1'b1, address_of(3), pattern(1000));
        request(1'b1, address_of(WORDS / 2 + 3), pattern(2001));
        request(1'b0, address_of(3), {DATA_WIDTH{1'b0}});
        request(1'b0, address_of(WORDS / 2 + 3), {DATA_WIDTH{1'b0}});
        idle;
        idle;

        $display("%0d requests answered", requests);
        $display("PASS banked-memory");
        $finish;
    end
endmodule

`default_nettype wire
