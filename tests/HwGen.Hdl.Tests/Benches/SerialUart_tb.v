// Self-checking test bench for the console UART on serial lines (hdl/Designs/Soc/SerialUart.cs), with the
// board's serial monitor (sim/Board/uart_monitor.v, appended by the test) listening on Tx.
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// Transmit: the status register says ready, bytes written back to back leave as contiguous frames whose
//   every bit lasts exactly CLOCKS_PER_BIT cycles, a write while the queue is full is dropped, and the
//   monitor decodes and prints the same bytes ("U*Hw" and a newline).
// Receive: frames sent at the nominal rate and 2.5% slow and fast arrive in order; a frame with a stop bit
//   of 0 is dropped and flagged in status bit 2 until the status is read; a low glitch shorter than half a bit
//   starts nothing; bytes beyond the FIFO's depth are dropped and the first ones kept.
// Prints "PASS <scenario>" for each, then "PASS serial-uart"; or "FAIL <scenario>: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module SerialUart_tb;
    parameter integer CLOCKS_PER_BIT = 16;
    parameter integer RX_FIFO_DEPTH = 16;
    parameter integer DATA_OFFSET = 0;
    parameter integer STATUS_OFFSET = 4;

    localparam real CLOCK_NS = 10.0;
    localparam integer FRAME_CYCLES = 10 * CLOCKS_PER_BIT;
    localparam integer TX_LENGTH = 5;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg Select = 1'b0;
    reg Write = 1'b0;
    reg [11:0] Offset = 12'd0;
    reg [31:0] Wdata = 32'd0;
    wire [31:0] Rdata;
    wire Tx;
    reg Rx = 1'b1;

    SerialUart dut (
        .clk(clk),
        .rst(rst),
        .Select(Select),
        .Write(Write),
        .Offset(Offset),
        .Wdata(Wdata),
        .Rdata(Rdata),
        .Tx(Tx),
        .Rx(Rx)
    );

    wire [7:0] monitor_data;
    wire monitor_valid;
    wire [31:0] monitor_bytes;
    wire [31:0] monitor_errors;
    uart_monitor #(.CLOCKS_PER_BIT(CLOCKS_PER_BIT), .PRINT(1)) monitor (
        .clk(clk),
        .rx(Tx),
        .data(monitor_data),
        .valid(monitor_valid),
        .bytes_received(monitor_bytes),
        .framing_errors(monitor_errors)
    );

    always #5 clk = ~clk;

    integer cycle = 0;
    always @(posedge clk) begin
        cycle <= cycle + 1;
        if (cycle > 400 * FRAME_CYCLES) begin
            $display("FAIL timeout: after %0d cycles", cycle);
            $fatal(1, "serial-uart test bench failed");
        end
    end

    reg [8*24-1:0] scenario = "reset";
    task fail;
        begin
            $display("FAIL %0s: at cycle %0d", scenario, cycle);
            $fatal(1, "serial-uart test bench failed");
        end
    endtask

    // ---- processor side: one access per call; a read's data is taken in the cycle after the access ----
    task bus_write(input integer offset, input [31:0] value);
        begin
            @(negedge clk);
            Select = 1'b1;
            Write = 1'b1;
            Offset = offset[11:0];
            Wdata = value;
            @(negedge clk);
            Select = 1'b0;
            Write = 1'b0;
            Wdata = 32'hDEAD_BEEF;
        end
    endtask

    task bus_read(input integer offset, output [31:0] value);
        begin
            @(negedge clk);
            Select = 1'b1;
            Write = 1'b0;
            Offset = offset[11:0];
            @(posedge clk);
            #1;
            Select = 1'b0;
            value = Rdata;
        end
    endtask

    task expect_read(input integer offset, input [31:0] expected, input [8*48-1:0] what);
        reg [31:0] value;
        begin
            bus_read(offset, value);
            if (value !== expected) begin
                $display("FAIL %0s: %0s read %h, expected %h", scenario, what, value, expected);
                fail;
            end
        end
    endtask

    task wait_cycles(input integer n);
        integer k;
        begin
            for (k = 0; k < n; k = k + 1)
                @(posedge clk);
        end
    endtask

    // ---- transmit checker: every frame bit by bit, with the cycle its start bit began ----
    reg [7:0] tx_expected [0:TX_LENGTH-1];
    integer tx_start [0:TX_LENGTH-1];
    integer tx_received = 0;
    integer slot;
    integer k;
    reg [9:0] frame;
    initial begin
        @(negedge rst);
        forever begin
            @(posedge clk);
            #2;
            if (Tx === 1'b0) begin
                if (tx_received < TX_LENGTH)
                    tx_start[tx_received] = cycle;
                for (slot = 0; slot < 10; slot = slot + 1) begin
                    frame[slot] = Tx;
                    for (k = 0; k < CLOCKS_PER_BIT; k = k + 1) begin
                        if (Tx !== frame[slot]) begin
                            $display("FAIL tx-timing: bit %0d of frame %0d lasted %0d cycles, expected %0d", slot, tx_received, k, CLOCKS_PER_BIT);
                            $fatal(1, "serial-uart test bench failed");
                        end
                        if (k < CLOCKS_PER_BIT - 1 || slot < 9) begin
                            @(posedge clk);
                            #2;
                        end
                    end
                end
                if (frame[0] !== 1'b0 || frame[9] !== 1'b1 || tx_received >= TX_LENGTH || frame[8:1] !== tx_expected[tx_received]) begin
                    $display("FAIL tx-frames: frame %0d is %b (data %h), expected start 0, stop 1 and data %h",
                             tx_received, frame, frame[8:1], tx_received < TX_LENGTH ? tx_expected[tx_received] : 8'hxx);
                    $fatal(1, "serial-uart test bench failed");
                end
                tx_received = tx_received + 1;
            end else if (Tx !== 1'b1) begin
                $display("FAIL tx-idle: Tx is %b between frames", Tx);
                $fatal(1, "serial-uart test bench failed");
            end
        end
    end

    // ---- receive side: frames driven on Rx with a bit time of bit_ns ----
    task send_frame(input [7:0] value, input real bit_ns, input stop);
        integer b;
        begin
            Rx = 1'b0;
            #(bit_ns);
            for (b = 0; b < 8; b = b + 1) begin
                Rx = value[b];
                #(bit_ns);
            end
            Rx = stop;
            #(bit_ns);
            Rx = 1'b1;
        end
    endtask

    real nominal_ns;
    real slow_ns;
    real fast_ns;
    integer i;
    reg [31:0] status;
    initial begin
        nominal_ns = CLOCKS_PER_BIT * CLOCK_NS;
        slow_ns = nominal_ns * 1.025;
        fast_ns = nominal_ns * 0.975;
        tx_expected[0] = "U";
        tx_expected[1] = "*";
        tx_expected[2] = "H";
        tx_expected[3] = "w";
        tx_expected[4] = 8'h0A;

        wait_cycles(3);
        #1;
        rst = 1'b0;
        if (Tx !== 1'b1) begin
            $display("FAIL reset: Tx is %b after reset, expected the idle line", Tx);
            fail;
        end

        // ---- transmit ----
        scenario = "tx-status";
        expect_read(STATUS_OFFSET, 32'h1, "status after reset");
        expect_read(DATA_OFFSET, 32'h0, "data with nothing received");

        scenario = "tx-back-to-back";
        bus_write(DATA_OFFSET, {24'hABCDEF, tx_expected[0]});   // goes to the shifter at once
        bus_write(DATA_OFFSET, {24'h123456, tx_expected[1]});   // waits in the holding register
        expect_read(STATUS_OFFSET, 32'h0, "status with the queue full");
        bus_write(DATA_OFFSET, 32'h0000_00EE);                   // dropped: the queue is full
        status = 0;
        while (status[0] !== 1'b1)
            bus_read(STATUS_OFFSET, status);
        bus_write(DATA_OFFSET, {24'h0, tx_expected[2]});
        while (tx_received < 3)
            @(posedge clk);
        if (tx_start[1] - tx_start[0] != FRAME_CYCLES || tx_start[2] - tx_start[1] != FRAME_CYCLES) begin
            $display("FAIL %0s: frames started at cycles %0d, %0d, %0d; queued frames follow each other every %0d cycles",
                     scenario, tx_start[0], tx_start[1], tx_start[2], FRAME_CYCLES);
            fail;
        end
        // (PASS printed once the monitor has printed the last byte, a newline.)

        scenario = "tx-after-idle";
        wait_cycles(FRAME_CYCLES);
        expect_read(STATUS_OFFSET, 32'h1, "status when idle");
        bus_write(DATA_OFFSET, {24'h0, tx_expected[3]});
        bus_write(DATA_OFFSET, {24'h0, tx_expected[4]});
        while (tx_received < TX_LENGTH)
            @(posedge clk);
        if (tx_start[4] - tx_start[3] != FRAME_CYCLES) begin
            $display("FAIL %0s: the last frame started %0d cycles after the one before, expected %0d", scenario, tx_start[4] - tx_start[3], FRAME_CYCLES);
            fail;
        end
        wait_cycles(2 * CLOCKS_PER_BIT);
        if (monitor_bytes != TX_LENGTH || monitor_errors != 0 || monitor_data !== tx_expected[TX_LENGTH - 1]) begin
            $display("FAIL monitor: uart_monitor decoded %0d bytes (last %h) with %0d framing errors, expected %0d bytes",
                     monitor_bytes, monitor_data, monitor_errors, TX_LENGTH);
            fail;
        end
        $display("PASS tx-back-to-back");
        $display("PASS tx-after-idle");

        // ---- receive ----
        scenario = "rx-nominal";
        send_frame(8'h41, nominal_ns, 1'b1);
        send_frame(8'h00, nominal_ns, 1'b1);
        send_frame(8'hFF, nominal_ns, 1'b1);
        send_frame(8'hA5, nominal_ns, 1'b1);
        wait_cycles(CLOCKS_PER_BIT);
        expect_read(STATUS_OFFSET, 32'h3, "status with bytes received");
        expect_read(DATA_OFFSET, 32'h41, "byte 0");
        expect_read(DATA_OFFSET, 32'h00, "byte 1");
        expect_read(DATA_OFFSET, 32'hFF, "byte 2");
        expect_read(STATUS_OFFSET, 32'h3, "status with one byte left");
        expect_read(DATA_OFFSET, 32'hA5, "byte 3");
        expect_read(STATUS_OFFSET, 32'h1, "status with the FIFO empty");
        expect_read(DATA_OFFSET, 32'h0, "data with the FIFO empty");
        $display("PASS rx-nominal");

        scenario = "rx-slow";
        send_frame(8'h96, slow_ns, 1'b1);
        send_frame(8'h01, slow_ns, 1'b1);
        send_frame(8'h80, slow_ns, 1'b1);
        send_frame(8'h7E, slow_ns, 1'b1);
        wait_cycles(CLOCKS_PER_BIT);
        expect_read(DATA_OFFSET, 32'h96, "byte 0");
        expect_read(DATA_OFFSET, 32'h01, "byte 1");
        expect_read(DATA_OFFSET, 32'h80, "byte 2");
        expect_read(DATA_OFFSET, 32'h7E, "byte 3");
        expect_read(STATUS_OFFSET, 32'h1, "status after the bytes");
        $display("PASS rx-slow");

        scenario = "rx-fast";
        send_frame(8'h69, fast_ns, 1'b1);
        send_frame(8'hFE, fast_ns, 1'b1);
        send_frame(8'h7F, fast_ns, 1'b1);
        send_frame(8'h81, fast_ns, 1'b1);
        wait_cycles(CLOCKS_PER_BIT);
        expect_read(DATA_OFFSET, 32'h69, "byte 0");
        expect_read(DATA_OFFSET, 32'hFE, "byte 1");
        expect_read(DATA_OFFSET, 32'h7F, "byte 2");
        expect_read(DATA_OFFSET, 32'h81, "byte 3");
        expect_read(STATUS_OFFSET, 32'h1, "status after the bytes");
        $display("PASS rx-fast");

        scenario = "rx-framing-error";
        send_frame(8'h3C, nominal_ns, 1'b0);
        #(nominal_ns);
        send_frame(8'hC3, nominal_ns, 1'b1);
        wait_cycles(CLOCKS_PER_BIT);
        expect_read(STATUS_OFFSET, 32'h7, "status after a framing error");
        expect_read(STATUS_OFFSET, 32'h3, "status read again");
        expect_read(DATA_OFFSET, 32'hC3, "the byte after the bad frame");
        expect_read(STATUS_OFFSET, 32'h1, "status after taking it");
        $display("PASS rx-framing-error");

        scenario = "rx-glitch";
        #3.3;
        Rx = 1'b0;
        #(nominal_ns / 2.0 - CLOCK_NS);
        Rx = 1'b1;
        wait_cycles(2 * FRAME_CYCLES);
        expect_read(STATUS_OFFSET, 32'h1, "status after a glitch");
        send_frame(8'h5A, nominal_ns, 1'b1);
        wait_cycles(CLOCKS_PER_BIT);
        expect_read(STATUS_OFFSET, 32'h3, "status after a byte");
        expect_read(DATA_OFFSET, 32'h5A, "the byte after the glitch");
        $display("PASS rx-glitch");

        scenario = "rx-overrun";
        for (i = 0; i < RX_FIFO_DEPTH + 3; i = i + 1)
            send_frame(8'h30 + i[7:0], nominal_ns, 1'b1);
        wait_cycles(CLOCKS_PER_BIT);
        for (i = 0; i < RX_FIFO_DEPTH; i = i + 1)
            expect_read(DATA_OFFSET, 32'h30 + i, "a byte that fitted");
        expect_read(STATUS_OFFSET, 32'h1, "status after taking the bytes that fitted");
        expect_read(DATA_OFFSET, 32'h0, "data after taking the bytes that fitted");
        $display("PASS rx-overrun");

        if (tx_received != TX_LENGTH) begin
            scenario = "tx-frames";
            $display("FAIL %0s: %0d frames sent, expected %0d", scenario, tx_received, TX_LENGTH);
            fail;
        end
        $display("PASS serial-uart");
        $finish;
    end
endmodule

`default_nettype wire
