// Self-checking test bench for the SPI master (hdl/Designs/Soc/SpiMaster.cs) against the board's flash model
// (sim/Board/spi_flash_model.v, appended by the test), which reads its contents from flash.hex in the folder
// the simulation runs in; the bench reads the same file to know what to expect.
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// Checks: the select bit drives Ss (active low) and reads back; a transfer is busy for exactly
// 16 * CLOCKS_PER_HALF_BIT cycles with eight SCK pulses of CLOCKS_PER_HALF_BIT cycles high, MOSI changing only
// while SCK is low and SCK pulsing only while selected; a write to data while busy is ignored; the JEDEC ID,
// the release-from-power-down device ID, and READ (0x03) at two addresses (one wrapping past the end of the
// flash) return the flash's bytes; after power-down (0xB9) commands are ignored until 0xAB.
// Prints "READ <address>: <bytes>" for each read, then "PASS spi-master"; or "FAIL spi-master: ..." and $fatal.
`timescale 1ns / 1ps
`default_nettype none

module SpiMaster_tb;
    parameter integer CLOCKS_PER_HALF_BIT = 1;
    parameter integer DATA_OFFSET = 0;
    parameter integer CONTROL_OFFSET = 4;
    parameter integer FLASH_BYTES = 65536;

    localparam integer TRANSFER_CYCLES = 16 * CLOCKS_PER_HALF_BIT;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg Select = 1'b0;
    reg Write = 1'b0;
    reg [11:0] Offset = 12'd0;
    reg [31:0] Wdata = 32'd0;
    wire [31:0] Rdata;
    wire Sck;
    wire Ss;
    wire Mosi;
    wire Miso;

    SpiMaster dut (
        .clk(clk),
        .rst(rst),
        .Select(Select),
        .Write(Write),
        .Offset(Offset),
        .Wdata(Wdata),
        .Rdata(Rdata),
        .Sck(Sck),
        .Ss(Ss),
        .Mosi(Mosi),
        .Miso(Miso)
    );

    spi_flash_model #(.SIZE_BYTES(FLASH_BYTES), .INIT_FILE("flash.hex")) flash (
        .sck(Sck),
        .ss_n(Ss),
        .mosi(Mosi),
        .miso(Miso)
    );

    always #5 clk = ~clk;

    reg [7:0] image [0:FLASH_BYTES-1];
    integer i;
    initial begin
        for (i = 0; i < FLASH_BYTES; i = i + 1)
            image[i] = 8'hFF;
        $readmemh("flash.hex", image);
    end

    integer cycle = 0;
    always @(posedge clk) begin
        cycle <= cycle + 1;
        if (cycle > 100000) begin
            $display("FAIL spi-master: timed out");
            $fatal(1, "spi-master test bench failed");
        end
    end

    task fail;
        begin
            $display("FAIL spi-master: at cycle %0d", cycle);
            $fatal(1, "spi-master test bench failed");
        end
    endtask

    // ---- the SPI lines, cycle by cycle ----
    reg last_sck = 1'b0;
    reg last_mosi = 1'b0;
    integer high_cycles = 0;
    integer rises = 0;
    always @(posedge clk) begin
        #2;
        if (!rst) begin
            if (Sck === 1'b1 && Ss !== 1'b0) begin
                $display("FAIL spi-master: SCK is high while the flash is not selected");
                fail;
            end
            if (Sck === 1'b1 && last_sck === 1'b1 && Mosi !== last_mosi) begin
                $display("FAIL spi-master: MOSI changed while SCK was high (mode 0 changes it while SCK is low)");
                fail;
            end
            if (Sck === 1'b1) begin
                if (last_sck === 1'b0)
                    rises = rises + 1;
                high_cycles = high_cycles + 1;
            end else if (last_sck === 1'b1) begin
                if (high_cycles != CLOCKS_PER_HALF_BIT) begin
                    $display("FAIL spi-master: SCK was high for %0d cycles, expected %0d", high_cycles, CLOCKS_PER_HALF_BIT);
                    fail;
                end
                high_cycles = 0;
            end
            last_sck = Sck;
            last_mosi = Mosi;
        end
    end

    // ---- processor side: one access per cycle at most; a read's data is taken in the cycle after the access ----
    task bus_write(input integer offset, input [31:0] value);
        begin
            @(negedge clk);
            Select = 1'b1;
            Write = 1'b1;
            Offset = offset[11:0];
            Wdata = value;
            @(posedge clk);
            #1;
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

    task select_flash(input on);
        reg [31:0] control;
        begin
            bus_write(CONTROL_OFFSET, {31'h7FFF_FFF0, on});
            if (Ss !== !on) begin
                $display("FAIL spi-master: Ss is %b after writing select %b", Ss, on);
                fail;
            end
            bus_read(CONTROL_OFFSET, control);
            if (control !== {31'd0, on}) begin
                $display("FAIL spi-master: control reads %h after writing select %b", control, on);
                fail;
            end
        end
    endtask

    // A transfer: the write (upper bits set, to show only the low byte goes out), busy polled until it clears,
    // then the data register read; returns the byte received.
    task transfer(input [7:0] out, output [7:0] in);
        reg [31:0] value;
        integer busy_reads;
        integer rises_before;
        begin
            rises_before = rises;
            bus_write(DATA_OFFSET, {24'hA5A5A5, out});
            busy_reads = 0;
            value = 32'h2;
            while (value[1] === 1'b1) begin
                bus_read(CONTROL_OFFSET, value);
                if (value[1] === 1'b1)
                    busy_reads = busy_reads + 1;
                if (value[31:2] !== 30'd0 || value[0] !== 1'b1) begin
                    $display("FAIL spi-master: control reads %h during a transfer, expected select and busy only", value);
                    fail;
                end
            end
            if (busy_reads != TRANSFER_CYCLES) begin
                $display("FAIL spi-master: busy for %0d reads in a row after the write, expected %0d", busy_reads, TRANSFER_CYCLES);
                fail;
            end
            #3;
            if (rises - rises_before != 8 || Sck !== 1'b0) begin
                $display("FAIL spi-master: %0d rising SCK edges in a transfer (SCK now %b), expected 8 and SCK low", rises - rises_before, Sck);
                fail;
            end
            bus_read(DATA_OFFSET, value);
            if (value[31:8] !== 24'd0) begin
                $display("FAIL spi-master: data reads %h, expected a byte", value);
                fail;
            end
            in = value[7:0];
        end
    endtask

    task expect_transfer(input [7:0] out, input [7:0] expected, input [8*48-1:0] what);
        reg [7:0] in;
        begin
            transfer(out, in);
            if (in !== expected) begin
                $display("FAIL spi-master: %0s: received %h, expected %h", what, in, expected);
                fail;
            end
        end
    endtask

    task read_flash(input integer start, input integer count);
        reg [7:0] in;
        reg [23:0] address;
        integer n;
        integer at;
        begin
            address = start[23:0];
            select_flash(1'b1);
            expect_transfer(8'h03, 8'hFF, "MISO idle during READ");
            expect_transfer(address[23:16], 8'hFF, "MISO idle during the address");
            expect_transfer(address[15:8], 8'hFF, "MISO idle during the address");
            expect_transfer(address[7:0], 8'hFF, "MISO idle during the address");
            $write("READ %06h:", address);
            for (n = 0; n < count; n = n + 1) begin
                transfer(8'h00, in);
                $write(" %02h", in);
                at = (start + n) % FLASH_BYTES;
                if (in !== image[at]) begin
                    $display("");
                    $display("FAIL spi-master: byte %0d read at %h is %h, the flash holds %h", n, address, in, image[at]);
                    fail;
                end
            end
            $display("");
            select_flash(1'b0);
        end
    endtask

    reg [7:0] ignored;
    reg [31:0] value;
    initial begin
        repeat (3) @(posedge clk);
        #1;
        rst = 1'b0;
        #2;
        if (Ss !== 1'b1 || Sck !== 1'b0) begin
            $display("FAIL spi-master: after reset Ss=%b Sck=%b, expected 1 and 0", Ss, Sck);
            fail;
        end
        bus_read(CONTROL_OFFSET, value);
        if (value !== 32'h0) begin
            $display("FAIL spi-master: control reads %h after reset", value);
            fail;
        end

        // JEDEC ID, with a write during the command's transfer that must be ignored.
        select_flash(1'b1);
        bus_write(DATA_OFFSET, 32'h9F);
        bus_write(DATA_OFFSET, 32'h03);
        value = 32'h2;
        while (value[1] === 1'b1)
            bus_read(CONTROL_OFFSET, value);
        expect_transfer(8'h00, 8'hEF, "JEDEC manufacturer");
        expect_transfer(8'h00, 8'h40, "JEDEC memory type");
        expect_transfer(8'h00, 8'h18, "JEDEC capacity");
        select_flash(1'b0);

        // Release from power-down / device ID: three dummy bytes, then the ID.
        select_flash(1'b1);
        transfer(8'hAB, ignored);
        transfer(8'h00, ignored);
        transfer(8'h00, ignored);
        transfer(8'h00, ignored);
        expect_transfer(8'h00, 8'h17, "device ID");
        select_flash(1'b0);

        read_flash(32'h001230, 12);
        read_flash(FLASH_BYTES - 3, 6);

        // Power-down: commands are ignored until the release.
        select_flash(1'b1);
        transfer(8'hB9, ignored);
        select_flash(1'b0);
        select_flash(1'b1);
        expect_transfer(8'h9F, 8'hFF, "JEDEC command while powered down");
        expect_transfer(8'h00, 8'hFF, "JEDEC ID while powered down");
        select_flash(1'b0);
        select_flash(1'b1);
        transfer(8'hAB, ignored);
        select_flash(1'b0);
        select_flash(1'b1);
        transfer(8'h9F, ignored);
        expect_transfer(8'h00, 8'hEF, "JEDEC manufacturer after the release");
        select_flash(1'b0);

        $display("PASS spi-master");
        $finish;
    end
endmodule

`default_nettype wire
