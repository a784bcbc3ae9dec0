// Self-checking test bench for the LEDs and buttons device (hdl/Designs/Soc/Gpio.cs).
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// LEDs: off after reset; a write drives Leds with the low LED_COUNT bits and reads back the same; a write to
//   the buttons register or a read leaves them alone. Buttons: a change is read back through exactly two
//   flip-flops (two reads in a row still see the old value, the third the new one); with BUTTON_COUNT 0 the
//   device has no Buttons port and the register reads 0.
// Ends with "PASS gpio", or prints "FAIL gpio: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module Gpio_tb;
    parameter integer LED_COUNT = 5;
    parameter integer BUTTON_COUNT = 3;
    parameter integer LEDS_OFFSET = 0;
    parameter integer BUTTONS_OFFSET = 4;

    localparam integer BUTTON_BITS = BUTTON_COUNT > 0 ? BUTTON_COUNT : 1;
    localparam [31:0] LED_MASK = LED_COUNT >= 32 ? 32'hFFFF_FFFF : (32'd1 << LED_COUNT) - 32'd1;
    localparam [31:0] BUTTON_MASK = BUTTON_COUNT >= 32 ? 32'hFFFF_FFFF : (32'd1 << BUTTON_COUNT) - 32'd1;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg Select = 1'b0;
    reg Write = 1'b0;
    reg [11:0] Offset = 12'd0;
    reg [31:0] Wdata = 32'd0;
    wire [31:0] Rdata;
    wire [LED_COUNT-1:0] Leds;
    reg [BUTTON_BITS-1:0] Buttons = {BUTTON_BITS{1'b0}};

    // The test defines GPIO_NO_BUTTONS for a device built without buttons (it has no Buttons port).
`ifdef GPIO_NO_BUTTONS
    Gpio dut (
        .clk(clk), .rst(rst), .Select(Select), .Write(Write), .Offset(Offset), .Wdata(Wdata), .Rdata(Rdata),
        .Leds(Leds)
    );
`else
    Gpio dut (
        .clk(clk), .rst(rst), .Select(Select), .Write(Write), .Offset(Offset), .Wdata(Wdata), .Rdata(Rdata),
        .Leds(Leds), .Buttons(Buttons)
    );
`endif

    always #5 clk = ~clk;

    integer cycle = 0;
    always @(posedge clk)
        cycle <= cycle + 1;

    task fail;
        begin
            $display("FAIL gpio: at cycle %0d", cycle);
            $fatal(1, "gpio test bench failed");
        end
    endtask

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

    task expect_read(input integer offset, input [31:0] expected, input [8*40-1:0] what);
        reg [31:0] value;
        begin
            bus_read(offset, value);
            if (value !== expected) begin
                $display("FAIL gpio: %0s read %h, expected %h", what, value, expected);
                fail;
            end
        end
    endtask

    task expect_leds(input [31:0] expected);
        begin
            if ({{(32 - LED_COUNT){1'b0}}, Leds} !== (expected & LED_MASK)) begin
                $display("FAIL gpio: Leds is %b, expected %b", Leds, expected[LED_COUNT-1:0]);
                fail;
            end
        end
    endtask

    reg [31:0] pattern;
    initial begin
        repeat (3) @(posedge clk);
        #1;
        rst = 1'b0;
        expect_leds(32'h0);
        expect_read(LEDS_OFFSET, 32'h0, "the LEDs after reset");
        expect_read(BUTTONS_OFFSET, 32'h0, "the buttons after reset");

        // LEDs: written, driven and read back; only the low LED_COUNT bits exist.
        pattern = 32'hFFFF_FFF5;
        bus_write(LEDS_OFFSET, pattern);
        expect_leds(pattern);
        expect_read(LEDS_OFFSET, pattern & LED_MASK, "the LEDs after a write");
        bus_write(LEDS_OFFSET, 32'h0000_000A);
        expect_leds(32'h0000_000A);
        expect_read(LEDS_OFFSET, 32'h0000_000A & LED_MASK, "the LEDs after a second write");
        bus_write(BUTTONS_OFFSET, 32'hFFFF_FFFF);
        expect_leds(32'h0000_000A);
        expect_read(LEDS_OFFSET, 32'h0000_000A & LED_MASK, "the LEDs after a write to the buttons");

        // Buttons: through two flip-flops.
        if (BUTTON_COUNT > 0) begin
            @(posedge clk);
            #1;
            pattern = 32'h0000_0005 & BUTTON_MASK;
            Buttons = pattern[BUTTON_BITS-1:0];
            expect_read(BUTTONS_OFFSET, 32'h0, "the buttons in the cycle they change");
            expect_read(BUTTONS_OFFSET, 32'h0, "the buttons one cycle later");
            expect_read(BUTTONS_OFFSET, 32'h5 & BUTTON_MASK, "the buttons two cycles later");
            Buttons = {BUTTON_BITS{1'b1}};
            repeat (3) @(posedge clk);
            expect_read(BUTTONS_OFFSET, BUTTON_MASK, "all buttons pressed");
            Buttons = {BUTTON_BITS{1'b0}};
            repeat (3) @(posedge clk);
            expect_read(BUTTONS_OFFSET, 32'h0, "all buttons released");
        end
        expect_read(BUTTONS_OFFSET + 8, 32'h0, "an offset with no register");
        expect_leds(32'h0000_000A);

        $display("PASS gpio");
        $finish;
    end
endmodule

`default_nettype wire
