// Self-checking test bench for the UartTx example (hdl/Designs/Examples/UartTx.cs).
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// A sender hands the bytes of a short message to the transmitter with the Valid/Ready handshake,
// back to back and with gaps, changing Data as soon as a byte is taken. A receiver decodes the
// serial line bit by bit: every bit must last exactly CLOCKS_PER_BIT cycles, the start bit must
// be 0 and the stop bit 1, Ready must be 0 during a frame, and the line must stay idle (1) after
// the last frame. The decoded bytes must be the message.
// Ends with "PASS uart-tx", or prints "FAIL uart-tx: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module UartTx_tb;
    parameter integer CLOCKS_PER_BIT = 104;

    localparam integer LENGTH = 10;
    localparam integer FRAME_CYCLES = 10 * CLOCKS_PER_BIT;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg [7:0] Data = 8'h00;
    reg Valid = 1'b0;
    wire Ready;
    wire Tx;

    UartTx dut (
        .clk(clk),
        .rst(rst),
        .Data(Data),
        .Valid(Valid),
        .Ready(Ready),
        .Tx(Tx)
    );

    always #5 clk = ~clk;

    reg [7:0] message [0:LENGTH-1];
    integer sent = 0;
    integer received = 0;
    integer cycle = 0;
    integer watchdog = 0;

    always @(posedge clk) begin
        cycle <= cycle + 1;
        if (cycle > (LENGTH + 4) * (FRAME_CYCLES + 40)) begin
            $display("FAIL uart-tx: timed out after %0d cycles with %0d bytes taken and %0d received", cycle, sent, received);
            $fatal(1, "uart-tx test bench failed");
        end
    end

    task fail;
        begin
            $display("FAIL uart-tx: cycle %0d: byte %0d of %0d, Tx=%b Ready=%b", cycle, received, LENGTH, Tx, Ready);
            $fatal(1, "uart-tx test bench failed");
        end
    endtask

    // Sender: bytes 0-3 back to back, then a gap before every other byte.
    integer s;
    integer gap;
    reg taken;
    initial begin
        message[0] = "H";
        message[1] = "w";
        message[2] = "G";
        message[3] = "e";
        message[4] = "n";
        message[5] = 8'h00;
        message[6] = 8'hFF;
        message[7] = 8'h55;
        message[8] = 8'h80;
        message[9] = 8'h01;

        repeat (3) @(posedge clk);
        #1;
        if (Tx !== 1'b1 || Ready !== 1'b1) begin
            $display("FAIL uart-tx: in reset Tx=%b Ready=%b, expected the idle line (1) and Ready", Tx, Ready);
            fail;
        end
        rst = 1'b0;
        repeat (5) begin
            @(posedge clk);
            #1;
            if (Tx !== 1'b1 || Ready !== 1'b1) begin
                $display("FAIL uart-tx: not idle after reset");
                fail;
            end
        end

        for (s = 0; s < LENGTH; s = s + 1) begin
            if (s >= 4 && s % 2 == 0) begin
                Valid = 1'b0;
                Data = ~message[s];
                for (gap = 0; gap < 3 * CLOCKS_PER_BIT + s; gap = gap + 1) begin
                    @(posedge clk);
                    #1;
                end
            end
            Data = message[s];
            Valid = 1'b1;
            taken = 1'b0;
            while (!taken) begin
                #1;
                taken = Ready;
                @(posedge clk);
                #1;
            end
            sent = sent + 1;
            // The byte was taken at the edge: what Data holds from now on must not matter.
            Valid = 1'b0;
            Data = ~message[s] ^ 8'h5A;
        end
    end

    // Receiver: samples the line one cycle at a time.
    integer slot;
    integer k;
    reg [9:0] frame;
    integer idle;
    initial begin
        @(negedge rst);
        while (received < LENGTH) begin
            // Wait for the start bit.
            @(posedge clk);
            #2;
            while (Tx !== 1'b0) begin
                if (Tx !== 1'b1) begin
                    $display("FAIL uart-tx: Tx is %b between frames", Tx);
                    fail;
                end
                @(posedge clk);
                #2;
            end
            // Ten bits of CLOCKS_PER_BIT cycles each: start, eight data bits LSB first, stop.
            for (slot = 0; slot < 10; slot = slot + 1) begin
                frame[slot] = Tx;
                for (k = 0; k < CLOCKS_PER_BIT; k = k + 1) begin
                    if (Tx !== frame[slot]) begin
                        $display("FAIL uart-tx: bit %0d of the frame lasted %0d cycles, expected %0d", slot, k, CLOCKS_PER_BIT);
                        fail;
                    end
                    if (Ready !== 1'b0) begin
                        $display("FAIL uart-tx: Ready is %b during bit %0d of a frame", Ready, slot);
                        fail;
                    end
                    if (k < CLOCKS_PER_BIT - 1 || slot < 9) begin
                        @(posedge clk);
                        #2;
                    end
                end
            end
            if (frame[0] !== 1'b0 || frame[9] !== 1'b1) begin
                $display("FAIL uart-tx: frame %b has start bit %b and stop bit %b, expected 0 and 1", frame, frame[0], frame[9]);
                fail;
            end
            if (frame[8:1] !== message[received]) begin
                $display("FAIL uart-tx: received %h, expected %h", frame[8:1], message[received]);
                fail;
            end
            received = received + 1;
        end

        // After the last frame the line stays idle and the transmitter is ready.
        for (idle = 0; idle < 2 * FRAME_CYCLES; idle = idle + 1) begin
            @(posedge clk);
            #2;
            if (Tx !== 1'b1) begin
                $display("FAIL uart-tx: Tx is %b after the last frame, expected the idle line", Tx);
                fail;
            end
        end
        if (Ready !== 1'b1 || sent != LENGTH) begin
            $display("FAIL uart-tx: Ready=%b with %0d of %0d bytes taken after the last frame", Ready, sent, LENGTH);
            fail;
        end

        $display("PASS uart-tx");
        $finish;
    end
endmodule

`default_nettype wire
