// Behavioural model of a SPI NOR flash (Winbond W25Q style) for board simulations, SPI mode 0:
// MOSI is sampled on the rising edge of SCK, MISO changes on the falling edge, most significant bit first.
//
// Commands (the first byte after CS# falls):
//   0x03 READ            24-bit address, then bytes from that address for as long as CS# stays low,
//                        the address incrementing and wrapping at SIZE_BYTES.
//   0x9F JEDEC ID        the manufacturer and two device ID bytes (EF 40 18 for a W25Q128JV), repeated.
//   0xAB release power-down / device ID: wakes the flash when CS# rises after the command byte; when
//                        the clock goes on, three dummy bytes and then the device ID (DEVICE_ID) repeated.
//   0xB9 power-down      the flash sleeps from the rise of CS#: then every command but 0xAB is ignored
//                        (MISO stays idle).
// Other commands are ignored until CS# rises. The model starts awake unless START_POWERED_DOWN is 1
// (as a real flash would be when the FPGA's configuration left it in deep power-down).
//
// Contents: every byte is 0xFF (erased), then the file named by the plusarg +flash=FILE (or, without it,
// by the INIT_FILE parameter) is read with $readmemh: one byte per line, @address lines allowed; bytes it
// does not list stay 0xFF. MISO drives 1 where a real flash would float its output (while CS# is high and
// while a command or address is being shifted in), as if pulled up, so that nothing reads as X.
// Runs under Icarus Verilog (-g2012) and Verilator (--binary --timing); lint-clean with -Wall.
`timescale 1ns / 1ps
`default_nettype none

module spi_flash_model #(
    // Bytes of flash: a power of two (16 MiB for the W25Q128JV of the iCEBreaker; smaller ones simulate faster).
    parameter integer SIZE_BYTES = 16777216,
    parameter INIT_FILE = "",
    parameter [7:0] MANUFACTURER_ID = 8'hEF,
    parameter [15:0] JEDEC_DEVICE_ID = 16'h4018,
    parameter [7:0] DEVICE_ID = 8'h17,
    parameter integer START_POWERED_DOWN = 0
) (
    input wire sck,
    input wire ss_n,
    input wire mosi,
    output wire miso
);
    localparam [2:0] COMMAND = 3'd0, ADDRESS = 3'd1, READ = 3'd2, JEDEC = 3'd3, RELEASE = 3'd4, IGNORE = 3'd5;

    reg [7:0] memory [0:SIZE_BYTES-1];
    reg powered_down = START_POWERED_DOWN != 0;

    reg [2:0] state = COMMAND;
    reg [7:0] command = 8'h00;      // the command of this CS# low period
    reg [2:0] bit_count = 3'd0;     // bits of the current byte shifted in
    reg [6:0] shift_in = 7'd0;      // the bits of the current byte so far
    reg [1:0] byte_count = 2'd0;    // address or dummy bytes so far
    reg [23:0] address = 24'd0;     // only the low ADDRESS_BITS select a byte: reads wrap at SIZE_BYTES
    reg [7:0] out_byte = 8'hFF;     // the byte being shifted out
    reg out_active = 1'b0;
    reg miso_q = 1'b1;

    assign miso = miso_q;

    reg [8*1024-1:0] file_name;
    integer i;
    initial begin
        for (i = 0; i < SIZE_BYTES; i = i + 1)
            memory[i] = 8'hFF;
        if ($value$plusargs("flash=%s", file_name))
            $readmemh(file_name, memory);
        else if (INIT_FILE != "")
            $readmemh(INIT_FILE, memory);
    end

    function automatic [7:0] jedec_byte(input [1:0] index);
        case (index)
            2'd0: jedec_byte = MANUFACTURER_ID;
            2'd1: jedec_byte = JEDEC_DEVICE_ID[15:8];
            default: jedec_byte = JEDEC_DEVICE_ID[7:0];
        endcase
    endfunction

    localparam integer ADDRESS_BITS = $clog2(SIZE_BYTES);

    // The byte completed by the bit sampled on this rising edge, and the address it completes.
    wire [7:0] in_byte = {shift_in, mosi};
    wire [23:0] full_address = {address[15:0], in_byte};

    always @(posedge sck or posedge ss_n) begin
        if (ss_n) begin
            // End of a command: power-down and release take effect now.
            if (command == 8'hAB)
                powered_down <= 1'b0;
            else if (command == 8'hB9 && bit_count == 3'd0)
                powered_down <= 1'b1;
            state <= COMMAND;
            command <= 8'h00;
            bit_count <= 3'd0;
            byte_count <= 2'd0;
            out_active <= 1'b0;
        end else begin
            bit_count <= bit_count + 3'd1;
            shift_in <= {shift_in[5:0], mosi};
            if (bit_count == 3'd7) begin
                case (state)
                    COMMAND: begin
                        command <= in_byte;
                        if (powered_down)
                            state <= IGNORE;
                        else if (in_byte == 8'h03)
                            state <= ADDRESS;
                        else if (in_byte == 8'h9F) begin
                            state <= JEDEC;
                            out_byte <= jedec_byte(2'd0);
                            out_active <= 1'b1;
                            byte_count <= 2'd1;
                        end else if (in_byte == 8'hAB)
                            state <= RELEASE;
                        else
                            state <= IGNORE;
                    end
                    ADDRESS: begin
                        address <= {address[15:0], in_byte};
                        byte_count <= byte_count + 2'd1;
                        if (byte_count == 2'd2) begin
                            state <= READ;
                            out_byte <= memory[full_address[ADDRESS_BITS-1:0]];
                            address <= full_address + 24'd1;
                            out_active <= 1'b1;
                        end
                    end
                    READ: begin
                        out_byte <= memory[address[ADDRESS_BITS-1:0]];
                        address <= address + 24'd1;
                    end
                    JEDEC: begin
                        out_byte <= jedec_byte(byte_count);
                        byte_count <= byte_count == 2'd2 ? 2'd0 : byte_count + 2'd1;
                    end
                    RELEASE: begin
                        // Three dummy bytes, then the device ID for as long as the clock runs.
                        if (byte_count == 2'd2) begin
                            out_byte <= DEVICE_ID;
                            out_active <= 1'b1;
                        end else
                            byte_count <= byte_count + 2'd1;
                    end
                    default: ;
                endcase
            end
        end
    end

    always @(negedge sck or posedge ss_n) begin
        if (ss_n)
            miso_q <= 1'b1;
        else
            miso_q <= out_active ? out_byte[3'd7 - bit_count] : 1'b1;
    end
endmodule

`default_nettype wire
