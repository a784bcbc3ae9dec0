// Serial line monitor for board simulations: decodes 8N1 frames on `rx` and prints each byte as a
// character as soon as its stop bit has been checked ($write("%c") followed by $fflush), so the console
// output of the simulated board appears on the simulator's stdout.
//
// CLOCKS_PER_BIT is the bit time measured in `clk` cycles (the monitor's own clock; it need not be the
// clock of the design that drives `rx`). A start bit is taken on a falling edge of the idle line and
// checked again at the middle of the bit; each bit is sampled at its middle. A frame whose stop bit is 0
// is a framing error: it is reported on stderr and not printed. For benches, every frame is also
// signalled on the outputs: `valid` is 1 for one cycle with the byte in `data` (for good frames), and
// the counters hold the number of bytes received and of framing errors seen.
// Runs under Icarus Verilog (-g2012) and Verilator (--binary --timing); lint-clean with -Wall.
`timescale 1ns / 1ps
`default_nettype none

module uart_monitor #(
    parameter integer CLOCKS_PER_BIT = 104,
    // 1: print each byte on stdout; 0: only the outputs.
    parameter integer PRINT = 1
) (
    input wire clk,
    input wire rx,
    output reg [7:0] data,
    output reg valid,
    output reg [31:0] bytes_received,
    output reg [31:0] framing_errors
);
    localparam integer STDERR = 32'h8000_0002;
    localparam integer HALF = CLOCKS_PER_BIT / 2;

    reg [1:0] line = 2'b11;       // two-flop synchroniser; line[1] is the synchronised level
    reg busy = 1'b0;
    reg [3:0] bit_index = 4'd0;   // 0 start, 1-8 data, 9 stop
    integer count = 0;            // cycles until the next sample
    reg [7:0] shifter = 8'h00;

    initial begin
        data = 8'h00;
        valid = 1'b0;
        bytes_received = 32'd0;
        framing_errors = 32'd0;
    end

    always @(posedge clk) begin
        line <= {line[0], rx};
        valid <= 1'b0;
        if (!busy) begin
            if (line[1] == 1'b0) begin
                busy <= 1'b1;
                bit_index <= 4'd0;
                count <= HALF - 1;
            end
        end else if (count != 0) begin
            count <= count - 1;
        end else begin
            count <= CLOCKS_PER_BIT - 1;
            bit_index <= bit_index + 4'd1;
            if (bit_index == 4'd0) begin
                if (line[1] != 1'b0)
                    busy <= 1'b0;  // a glitch, not a start bit
            end else if (bit_index != 4'd9) begin
                shifter <= {line[1], shifter[7:1]};
            end else begin
                busy <= 1'b0;
                if (line[1] == 1'b1) begin
                    data <= shifter;
                    valid <= 1'b1;
                    bytes_received <= bytes_received + 32'd1;
                    if (PRINT != 0) begin
                        $write("%c", shifter);
                        $fflush;
                    end
                end else begin
                    framing_errors <= framing_errors + 32'd1;
                    $fwrite(STDERR, "uart_monitor: framing error at %0t: byte %02h has a stop bit of 0\n", $time, shifter);
                end
            end
        end
    end
endmodule

`default_nettype wire
