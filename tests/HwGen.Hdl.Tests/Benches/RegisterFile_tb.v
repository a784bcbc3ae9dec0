// Self-checking test bench for the RegisterFile example (hdl/Designs/Examples/RegisterFile.cs).
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// The read ports are synchronous: the addresses presented at a rising edge select what
// ReadData1/ReadData2 show after it, until the next edge. A monitor keeps a reference array of
// the writes and checks the read data at every edge.
// Checks: register 0 reads as zero and ignores writes; every register written and read back on
// both ports at once; a read of the register written at the same edge returns the new value
// (on one port or both); WriteEnable 0 writes nothing; a masked port reads zero (Mask1, Mask2);
// then random traffic with random masks.
// Ends with "PASS regfile", or prints "FAIL regfile: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module RegisterFile_tb;
    parameter integer WIDTH = 32;
    parameter integer COUNT = 32;

    localparam integer ADDRESS_BITS = $clog2(COUNT);
    localparam [ADDRESS_BITS-1:0] X0 = {ADDRESS_BITS{1'b0}};

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg [ADDRESS_BITS-1:0] ReadAddress1 = X0;
    reg [ADDRESS_BITS-1:0] ReadAddress2 = X0;
    wire [WIDTH-1:0] ReadData1;
    wire [WIDTH-1:0] ReadData2;
    reg WriteEnable = 1'b0;
    reg [ADDRESS_BITS-1:0] WriteAddress = X0;
    reg [WIDTH-1:0] WriteData = {WIDTH{1'b0}};
    reg Mask1 = 1'b0;
    reg Mask2 = 1'b0;

    RegisterFile dut (
        .clk(clk),
        .rst(rst),
        .ReadAddress1(ReadAddress1),
        .ReadAddress2(ReadAddress2),
        .ReadData1(ReadData1),
        .ReadData2(ReadData2),
        .WriteEnable(WriteEnable),
        .WriteAddress(WriteAddress),
        .WriteData(WriteData),
        .Mask1(Mask1),
        .Mask2(Mask2)
    );

    always #5 clk = ~clk;

    reg [WIDTH-1:0] registers [0:COUNT-1];
    reg [WIDTH-1:0] expected1 = {WIDTH{1'b0}};
    reg [WIDTH-1:0] expected2 = {WIDTH{1'b0}};
    reg [31:0] random_state = 32'h1B87_3593;
    integer cycle = 0;
    integer bypasses = 0;
    integer x0_writes = 0;
    integer i;

    task fail;
        begin
            $display("FAIL regfile: cycle %0d: ReadAddress1=%0d ReadAddress2=%0d WriteEnable=%b WriteAddress=%0d WriteData=%h",
                     cycle, ReadAddress1, ReadAddress2, WriteEnable, WriteAddress, WriteData);
            $display("FAIL regfile: ReadData1=%h ReadData2=%h, expected %h and %h", ReadData1, ReadData2, expected1, expected2);
            $fatal(1, "regfile test bench failed");
        end
    endtask

    task next_random;
        begin
            random_state = random_state ^ (random_state << 13);
            random_state = random_state ^ (random_state >> 17);
            random_state = random_state ^ (random_state << 5);
        end
    endtask

    function [WIDTH-1:0] pattern(input integer n);
        reg [63:0] value;
        begin
            value = {n[15:0] ^ 16'hA5C3, n[15:0], ~n[15:0], n[15:0] + 16'h1234};
            pattern = value[WIDTH-1:0];
        end
    endfunction

    function [WIDTH-1:0] read_value(input [ADDRESS_BITS-1:0] address, input write,
                                    input [ADDRESS_BITS-1:0] write_address, input [WIDTH-1:0] data);
        begin
            if (address == X0)
                read_value = {WIDTH{1'b0}};
            else if (write && write_address == address)
                read_value = data;
            else
                read_value = registers[address];
        end
    endfunction

    // The monitor: at every rising edge, before the design's registers take their new values
    // (the inputs change 1 ns after the edge), checks that the read data still shows what the
    // previous edge selected, then works out what this edge selects and records the write.
    reg started = 1'b0;
    reg [ADDRESS_BITS-1:0] last_read1;
    reg [ADDRESS_BITS-1:0] last_read2;
    reg last_write;
    reg [ADDRESS_BITS-1:0] last_write_address;
    always @(posedge clk) begin
        if (started && (ReadData1 !== expected1 || ReadData2 !== expected2)) begin
            $display("FAIL regfile: wrong read data one cycle after the edge with ReadAddress1=%0d ReadAddress2=%0d WriteEnable=%b WriteAddress=%0d",
                     last_read1, last_read2, last_write, last_write_address);
            fail;
        end
        started = 1'b1;
        last_read1 = ReadAddress1;
        last_read2 = ReadAddress2;
        last_write = WriteEnable;
        last_write_address = WriteAddress;
        if (rst) begin
            expected1 = {WIDTH{1'b0}};
            expected2 = {WIDTH{1'b0}};
        end else begin
            expected1 = Mask1 ? {WIDTH{1'b0}} : read_value(ReadAddress1, WriteEnable, WriteAddress, WriteData);
            expected2 = Mask2 ? {WIDTH{1'b0}} : read_value(ReadAddress2, WriteEnable, WriteAddress, WriteData);
            if (WriteEnable && WriteAddress != X0 && (WriteAddress == ReadAddress1 || WriteAddress == ReadAddress2))
                bypasses = bypasses + 1;
            if (WriteEnable && WriteAddress == X0)
                x0_writes = x0_writes + 1;
            if (WriteEnable && WriteAddress != X0)
                registers[WriteAddress] = WriteData;
        end
        cycle = cycle + 1;
    end

    // One clock cycle with the given addresses and write; the monitor checks it.
    task run_cycle(input [ADDRESS_BITS-1:0] read1, input [ADDRESS_BITS-1:0] read2,
                   input write, input [ADDRESS_BITS-1:0] write_address, input [WIDTH-1:0] data);
        begin
            ReadAddress1 = read1;
            ReadAddress2 = read2;
            WriteEnable = write;
            WriteAddress = write_address;
            WriteData = data;
            @(posedge clk);
            #1;
        end
    endtask

    // After an edge: the read data shows what the edge selected.
    task expect_data(input [WIDTH-1:0] data1, input [WIDTH-1:0] data2);
        begin
            if (ReadData1 !== data1 || ReadData2 !== data2 || expected1 !== data1 || expected2 !== data2) begin
                $display("FAIL regfile: expected %h and %h here", data1, data2);
                fail;
            end
        end
    endtask

    initial begin
        for (i = 0; i < COUNT; i = i + 1)
            registers[i] = {WIDTH{1'b0}};

        // Reset, then register 0 on both ports.
        @(posedge clk);
        #1;
        run_cycle(X0, X0, 1'b0, X0, {WIDTH{1'b0}});
        run_cycle(X0, X0, 1'b0, X0, {WIDTH{1'b0}});
        rst = 1'b0;
        run_cycle(X0, X0, 1'b0, X0, {WIDTH{1'b0}});
        expect_data({WIDTH{1'b0}}, {WIDTH{1'b0}});

        // Write every register, reading register 0 meanwhile.
        for (i = 1; i < COUNT; i = i + 1)
            run_cycle(X0, X0, 1'b1, i[ADDRESS_BITS-1:0], pattern(i));
        expect_data({WIDTH{1'b0}}, {WIDTH{1'b0}});

        // Read them back: port 1 upwards, port 2 downwards, in the same cycles.
        for (i = 0; i < COUNT; i = i + 1) begin
            run_cycle(i[ADDRESS_BITS-1:0], ~i[ADDRESS_BITS-1:0], 1'b0, X0, {WIDTH{1'b0}});
            expect_data(i == 0 ? {WIDTH{1'b0}} : pattern(i), i == COUNT - 1 ? {WIDTH{1'b0}} : pattern(COUNT - 1 - i));
        end

        // Register 0 ignores writes, also while it is being read.
        run_cycle(X0, 1, 1'b1, X0, pattern(1000));
        expect_data({WIDTH{1'b0}}, pattern(1));
        run_cycle(X0, X0, 1'b0, X0, {WIDTH{1'b0}});
        expect_data({WIDTH{1'b0}}, {WIDTH{1'b0}});

        // A read of the register written at the same edge returns the new value: both ports,
        // then port 1 only, then port 2 only, then the value stays.
        run_cycle(7, 7, 1'b1, 7, pattern(2000));
        expect_data(pattern(2000), pattern(2000));
        run_cycle(7, 8, 1'b1, 7, pattern(2001));
        expect_data(pattern(2001), pattern(8));
        run_cycle(8, 7, 1'b1, 7, pattern(2002));
        expect_data(pattern(8), pattern(2002));
        run_cycle(7, 7, 1'b0, 7, pattern(2003));
        expect_data(pattern(2002), pattern(2002));

        // WriteEnable 0 writes nothing.
        run_cycle(9, 9, 1'b0, 9, pattern(3000));
        expect_data(pattern(9), pattern(9));
        run_cycle(9, 9, 1'b0, X0, {WIDTH{1'b0}});
        expect_data(pattern(9), pattern(9));

        // A masked port reads zero, the other its register; also while that register is written.
        Mask1 = 1'b1;
        run_cycle(9, 9, 1'b0, X0, {WIDTH{1'b0}});
        expect_data({WIDTH{1'b0}}, pattern(9));
        Mask1 = 1'b0;
        Mask2 = 1'b1;
        run_cycle(9, 9, 1'b1, 9, pattern(4000));
        expect_data(pattern(4000), {WIDTH{1'b0}});
        Mask2 = 1'b0;
        run_cycle(9, 9, 1'b0, X0, {WIDTH{1'b0}});
        expect_data(pattern(4000), pattern(4000));

        // Random traffic; the read addresses often equal the write address; a port is masked one time in eight.
        for (i = 0; i < 2000; i = i + 1) begin
            next_random;
            Mask1 = random_state[29:27] == 3'b000;
            Mask2 = random_state[31:29] == 3'b000;
            run_cycle(random_state[1:0] == 2'b00 ? random_state[ADDRESS_BITS+7:8] : random_state[ADDRESS_BITS+15:16],
                      random_state[3:2] == 2'b00 ? random_state[ADDRESS_BITS+7:8] : random_state[ADDRESS_BITS+23:24],
                      random_state[4],
                      random_state[6:5] == 2'b00 ? X0 : random_state[ADDRESS_BITS+7:8],
                      pattern(random_state ^ i));
        end
        if (bypasses < 100 || x0_writes < 50) begin
            $display("FAIL regfile: the random traffic read the written register %0d times and wrote register 0 %0d times, too few",
                     bypasses, x0_writes);
            fail;
        end

        $display("PASS regfile");
        $finish;
    end
endmodule

`default_nettype wire
