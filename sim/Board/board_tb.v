// board_tb.v: the board SoC on a simulated board. The oscillator runs at the board's frequency, the SPI
// configuration flash is a behavioural model loaded from +flash=FILE ($readmemh bytes, '@' addresses), the
// serial console is decoded by a UART monitor that prints each byte on stdout, and every change of the LEDs
// is reported on stderr as "led <bits> at <cycle>". The run lasts +cycles=N oscillator cycles.
// The buttons rest at their idle level (BUTTONS_IDLE: all ones on a board whose buttons are active low).
// Part of HwGen's board simulation (HwGen.Sim.Boards.BoardSimulation); the design under test is the board SoC's Verilog.
`timescale 1ns / 1ps
`default_nettype none

module board_tb #(
    parameter integer OSC_HALF_PERIOD_PS = 41667,
    parameter integer UART_OSC_CLOCKS_PER_BIT = 104,
    parameter integer LEDS = 2,
    parameter integer BUTTONS = 1,
    parameter integer FLASH_BYTES = 16777216,
    parameter integer BUTTONS_IDLE = 0
);
    reg clk = 1'b0;
    wire uart_tx;
    wire [LEDS-1:0] led;
    wire flash_sck;
    wire flash_ss;
    wire flash_mosi;
    wire flash_miso;
    reg [63:0] cycle = 64'd0;
    reg [63:0] cycles = 64'd0;
    reg [LEDS-1:0] last_led;

    BoardSoc dut (
        .CLK(clk),
        .UART_RX(1'b1),
        .UART_TX(uart_tx),
        .LED(led),
`ifdef BOARD_HAS_BUTTONS
        .BTN(BUTTONS_IDLE[BUTTONS-1:0]),
`endif
        .FLASH_SCK(flash_sck),
        .FLASH_SS(flash_ss),
        .FLASH_MOSI(flash_mosi),
        .FLASH_MISO(flash_miso)
    );

    spi_flash_model #(.SIZE_BYTES(FLASH_BYTES)) flash (
        .sck(flash_sck),
        .ss_n(flash_ss),
        .mosi(flash_mosi),
        .miso(flash_miso)
    );

    wire [7:0] console_data_unused;
    wire console_valid_unused;
    wire [31:0] console_bytes_unused;
    wire [31:0] console_framing_unused;
    uart_monitor #(.CLOCKS_PER_BIT(UART_OSC_CLOCKS_PER_BIT)) console (
        .clk(clk),
        .rx(uart_tx),
        .data(console_data_unused),
        .valid(console_valid_unused),
        .bytes_received(console_bytes_unused),
        .framing_errors(console_framing_unused)
    );

    always #(OSC_HALF_PERIOD_PS / 1000.0) clk = ~clk;

    initial begin
        if (!$value$plusargs("cycles=%d", cycles))
            cycles = 64'd1000000;
        last_led = led;
    end

    always @(posedge clk) begin
        cycle <= cycle + 64'd1;
        if (led !== last_led) begin
            $fwrite(32'h8000_0002, "led %b at %0d\n", led, cycle);
            last_led = led;
        end
        if (cycle == cycles) begin
            $fflush(32'h8000_0001);
            $finish;
        end
    end
endmodule

`default_nettype wire
