// Self-checking test bench for the machine timer (hdl/Designs/Soc/Clint.cs).
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// After reset mtime counts from 0 and mtimecmp reads all ones; both read back what is written, half by half.
// Every cycle a checker compares mtime with the bench's own count and writes, and TimerInterrupt with the bench's own
// comparison of the cycle before (mtime >= mtimecmp, registered; 0 for the comparison of the cycle after a write of
// mtimecmp, whose block RAM gives the word written a cycle later, or after a read of its high half, for which the low
// half's block RAM reads a copy of the high half), while mtime runs through the boundaries: mtimecmp equal to mtime,
// one above, one below, and across a carry from the low half into the high half in both directions; the high half is
// also read while the comparison holds. A read of mtime gives the count of the cycle its word comes back in; a read of
// an offset with no register gives 0 and, like a read of mtimecmp's high half, drops the comparison after it.
// The words kept for another device (KeptHigh_*, KeptLow_*, in mtimecmp's halves' block RAMs) are written with the
// memories' write data (MemoryWdata) and read back in the cycle after their read, held for cycles on end, while mtimecmp
// keeps its own words: the comparison is dropped in the cycle after each cycle of their reads, and only then.
// Ends with "PASS clint", or prints "FAIL clint: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module Clint_tb;
    parameter integer MTIME_OFFSET = 32'hBFF8;
    parameter integer MTIMECMP_OFFSET = 32'h4000;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg Select = 1'b0;
    reg Write = 1'b0;
    reg [15:0] Offset = 16'd0;
    reg [31:0] Wdata = 32'd0;
    // A read the bus may make: every read, and the cycles where the bench presents one that does not go (Select 0).
    reg WantedOnly = 1'b0;
    wire ReadWanted = (Select && !Write) || WantedOnly;
    wire [31:0] Rdata;
    wire TimerInterrupt;
    wire [63:0] Mtime;
    // The memories write the bus's data but where a kept word's write gives another (as the AP's system does).
    wire [31:0] MemoryWdata = Wdata;
    reg KeptHigh_Write = 1'b0;
    reg KeptHigh_Read = 1'b0;
    wire [31:0] KeptHigh_Word;
    reg KeptLow_Write = 1'b0;
    reg KeptLow_Read = 1'b0;
    wire [31:0] KeptLow_Word;

    Clint dut (
        .clk(clk), .rst(rst), .Select(Select), .Write(Write), .ReadWanted(ReadWanted), .Offset(Offset), .Wdata(Wdata), .Rdata(Rdata),
        .TimerInterrupt(TimerInterrupt), .Mtime(Mtime), .MemoryWdata(MemoryWdata),
        .KeptHigh_Write(KeptHigh_Write), .KeptHigh_Read(KeptHigh_Read), .KeptHigh_Word(KeptHigh_Word),
        .KeptLow_Write(KeptLow_Write), .KeptLow_Read(KeptLow_Read), .KeptLow_Word(KeptLow_Word)
    );

    always #5 clk = ~clk;

    integer cycle = 0;
    always @(posedge clk)
        cycle <= cycle + 1;

    task fail;
        begin
            $display("FAIL clint: at cycle %0d", cycle);
            $fatal(1, "clint test bench failed");
        end
    endtask

    localparam [31:0] MTIMECMP_HIGH_OFFSET = MTIMECMP_OFFSET + 4;
    localparam [15:0] MTIMECMP_LOW = MTIMECMP_OFFSET[15:0];
    localparam [15:0] MTIMECMP_HIGH = MTIMECMP_HIGH_OFFSET[15:0];
    localparam [31:0] MTIME_HIGH_OFFSET = MTIME_OFFSET + 4;
    localparam [15:0] MTIME_LOW = MTIME_OFFSET[15:0];
    localparam [15:0] MTIME_HIGH = MTIME_HIGH_OFFSET[15:0];
    // The bench's mtimecmp, as written; the checker's comparison of the previous cycle; mtimecmp written or its high half
    // read in the cycle before.
    reg [63:0] compare = 64'hFFFF_FFFF_FFFF_FFFF;
    reg expected = 1'b0;
    reg compare_stale = 1'b0;
    reg checking = 1'b0;
    integer raised = 0;
    always @(posedge clk) begin
        if (checking && TimerInterrupt !== expected) begin
            $display("FAIL clint: TimerInterrupt %b, expected %b (mtime %h, mtimecmp %h a cycle earlier)", TimerInterrupt, expected, Mtime - 64'd1, compare);
            fail;
        end
        expected <= Mtime >= compare && !compare_stale;
        compare_stale <= (Select && Write && (Offset == MTIMECMP_LOW || Offset == MTIMECMP_HIGH))
            || (ReadWanted && Offset != MTIMECMP_LOW && Offset != MTIME_LOW && Offset != MTIME_HIGH) || KeptHigh_Read || KeptLow_Read;
        if (TimerInterrupt)
            raised = raised + 1;
    end

    // The bench's mtime, checked every cycle: it counts up by one, and a write of either half replaces that cycle's
    // count, the half written taking the data and the other half keeping its value.
    reg [63:0] model_mtime = 64'd0;
    always @(posedge clk) begin
        if (!rst && Mtime !== model_mtime) begin
            $display("FAIL clint: mtime %h, expected %h", Mtime, model_mtime);
            fail;
        end
        if (rst)
            model_mtime <= 64'd0;
        else if (Select && Write && Offset == MTIME_LOW)
            model_mtime <= {model_mtime[63:32], Wdata};
        else if (Select && Write && Offset == MTIME_HIGH)
            model_mtime <= {Wdata, model_mtime[31:0]};
        else
            model_mtime <= model_mtime + 64'd1;
    end

    // A write's cycle on the bus; Select stays high after it, for the caller to drop or to read with.
    task write_request(input integer offset, input [31:0] value);
        begin
            @(negedge clk);
            Select = 1'b1;
            Write = 1'b1;
            Offset = offset[15:0];
            Wdata = value;
            @(negedge clk);
            Write = 1'b0;
            Wdata = 32'hDEAD_BEEF;
            if (offset == MTIMECMP_OFFSET)
                compare[31:0] = value;
            if (offset == MTIMECMP_OFFSET + 4)
                compare[63:32] = value;
        end
    endtask

    task bus_write(input integer offset, input [31:0] value);
        begin
            write_request(offset, value);
            Select = 1'b0;
        end
    endtask

    task bus_read(input integer offset, output [31:0] value);
        begin
            @(negedge clk);
            Select = 1'b1;
            Write = 1'b0;
            Offset = offset[15:0];
            @(posedge clk);
            #1;
            Select = 1'b0;
            value = Rdata;
        end
    endtask

    task expect_read(input integer offset, input [31:0] expected_value, input [8*40-1:0] what);
        reg [31:0] value;
        begin
            bus_read(offset, value);
            if (value !== expected_value) begin
                $display("FAIL clint: %0s read %h, expected %h", what, value, expected_value);
                fail;
            end
        end
    endtask

    // A read of a half of mtime: the word is that half of the count in the cycle it comes back in.
    task expect_mtime_read(input integer high, input [8*40-1:0] what);
        reg [31:0] value;
        begin
            bus_read(high != 0 ? MTIME_OFFSET + 4 : MTIME_OFFSET, value);
            if (value !== (high != 0 ? model_mtime[63:32] : model_mtime[31:0])) begin
                $display("FAIL clint: %0s read %h, the count %h", what, value, model_mtime);
                fail;
            end
        end
    endtask

    // A write and, in the very next cycle, a read of the same offset (the read answers with the word written).
    task write_then_read(input integer offset, input [31:0] value, input [8*40-1:0] what);
        begin
            write_request(offset, value);
            @(posedge clk);
            #1;
            Select = 1'b0;
            if (Rdata !== value) begin
                $display("FAIL clint: %0s read %h in the cycle after writing %h", what, Rdata, value);
                fail;
            end
        end
    endtask

    // A read of `offset` wanted for `cycles` cycles on end that never goes (Select stays 0): the low half's port reads
    // the word such a read would, so the comparisons of the cycles after are dropped (the checker says when).
    task wanted_without_read(input integer offset, input integer cycles);
        begin
            @(negedge clk);
            WantedOnly = 1'b1;
            Offset = offset[15:0];
            repeat (cycles) @(negedge clk);
            WantedOnly = 1'b0;
        end
    endtask

    // mtimecmp set to mtime + delta (delta may be negative) as the write of its low half lands, high half first
    // (to all ones, so that no comparison of a half-written value holds). Waits until mtime has passed it by 4.
    task boundary(input integer delta);
        reg [63:0] target;
        begin
            bus_write(MTIMECMP_OFFSET + 4, 32'hFFFF_FFFF);
            bus_write(MTIMECMP_OFFSET, 32'hFFFF_FFFF);
            // The low half's write is presented at the next negedge and lands at the posedge after it.
            @(negedge clk);
            target = Mtime + 64'd21 + {{32{delta[31]}}, delta[31:0]};
            bus_write(MTIMECMP_OFFSET + 4, target[63:32]);
            bus_write(MTIMECMP_OFFSET, target[31:0]);
            while (Mtime < target + 64'd4)
                @(posedge clk);
        end
    endtask

    // A kept word (high: 1, low: 0) written, as another device's store does (no select of the CLINT's own).
    task kept_write(input integer high, input [31:0] value);
        begin
            @(negedge clk);
            KeptHigh_Write = high != 0;
            KeptLow_Write = high == 0;
            Wdata = value;
            @(negedge clk);
            KeptHigh_Write = 1'b0;
            KeptLow_Write = 1'b0;
            Wdata = 32'hDEAD_BEEF;
        end
    endtask

    // After `cycles` cycles, the timer interrupt must be `expected`; `what` says when, for the failure's message.
    task expect_interrupt(input integer cycles, input expected, input [8*64-1:0] what);
        begin
            repeat (cycles) @(posedge clk);
            #1;
            if (TimerInterrupt !== expected) begin
                $display("FAIL clint: interrupt %b, expected %b (%0s): mtimecmp %h, mtime %h", TimerInterrupt, expected, what, compare, Mtime);
                fail;
            end
        end
    endtask

    // Both kept words read for `cycles` cycles on end: from the cycle after the first, every cycle gives them.
    task expect_kept(input integer cycles, input [31:0] expected_high, input [31:0] expected_low, input [8*40-1:0] what);
        integer i;
        begin
            @(negedge clk);
            KeptHigh_Read = 1'b1;
            KeptLow_Read = 1'b1;
            for (i = 0; i < cycles; i = i + 1) begin
                @(posedge clk);
                #1;
                if (KeptHigh_Word !== expected_high || KeptLow_Word !== expected_low) begin
                    $display("FAIL clint: %0s read %h and %h, expected %h and %h", what, KeptHigh_Word, KeptLow_Word, expected_high, expected_low);
                    fail;
                end
            end
            @(negedge clk);
            KeptHigh_Read = 1'b0;
            KeptLow_Read = 1'b0;
        end
    endtask

    reg [31:0] value;
    initial begin
        repeat (3) @(posedge clk);
        #1;
        rst = 1'b0;
        expect_read(MTIMECMP_OFFSET, 32'hFFFF_FFFF, "mtimecmp after reset");
        expect_read(MTIMECMP_OFFSET + 4, 32'hFFFF_FFFF, "mtimecmph after reset");
        expect_read(MTIME_OFFSET + 4, 32'h0, "mtimeh after reset");
        expect_read(MTIMECMP_OFFSET + 8, 32'h0, "an offset with no register");
        checking = 1'b1;

        // Read back, half by half.
        bus_write(MTIMECMP_OFFSET, 32'h1234_5678);
        bus_write(MTIMECMP_OFFSET + 4, 32'h9ABC_DEF0);
        expect_read(MTIMECMP_OFFSET, 32'h1234_5678, "mtimecmp");
        expect_read(MTIMECMP_OFFSET + 4, 32'h9ABC_DEF0, "mtimecmph");
        write_then_read(MTIMECMP_OFFSET, 32'h0F1E_2D3C, "mtimecmp");
        write_then_read(MTIMECMP_OFFSET + 4, 32'hC3D2_E1F0, "mtimecmph");
        expect_read(MTIMECMP_OFFSET, 32'h0F1E_2D3C, "mtimecmp after mtimecmph");
        // The kept words beside mtimecmp's halves (and the high half's copy): each keeps its own.
        kept_write(1, 32'h5EED_0001);
        kept_write(0, 32'h5EED_0002);
        expect_read(MTIMECMP_OFFSET + 4, 32'hC3D2_E1F0, "mtimecmph after the kept words' writes");
        expect_read(MTIMECMP_OFFSET, 32'h0F1E_2D3C, "mtimecmp after the kept words' writes");
        expect_kept(1, 32'h5EED_0001, 32'h5EED_0002, "the kept words");
        bus_write(MTIMECMP_OFFSET + 4, 32'h8765_4321);
        bus_write(MTIMECMP_OFFSET, 32'h1111_2222);
        expect_kept(5, 32'h5EED_0001, 32'h5EED_0002, "the kept words after mtimecmp's writes");
        expect_read(MTIMECMP_OFFSET + 4, 32'h8765_4321, "mtimecmph after the kept words' reads");
        expect_read(MTIMECMP_OFFSET, 32'h1111_2222, "mtimecmp after the kept words' reads");
        kept_write(1, 32'hA5A5_0F0F);
        kept_write(0, 32'h0F0F_A5A5);
        expect_kept(2, 32'hA5A5_0F0F, 32'h0F0F_A5A5, "the kept words written again");
        bus_write(MTIMECMP_OFFSET + 4, 32'hC3D2_E1F0);
        bus_write(MTIMECMP_OFFSET, 32'h0F1E_2D3C);
        bus_write(MTIME_OFFSET + 4, 32'h0000_0007);
        expect_read(MTIME_OFFSET + 4, 32'h0000_0007, "mtimeh");
        bus_write(MTIME_OFFSET, 32'h0000_0100);
        bus_read(MTIME_OFFSET, value);
        if (value < 32'h0000_0100 || value > 32'h0000_0104) begin
            $display("FAIL clint: mtime read %h just after writing 100", value);
            fail;
        end
        expect_read(MTIME_OFFSET + 4, 32'h0000_0007, "mtimeh after a write of mtime");
        // A half written while the other half would carry into it or out of it (the model above checks each cycle):
        // the low half written while it holds all ones, the high half written while the low half holds all ones (a
        // write takes two cycles, so all ones is the value written less one).
        bus_write(MTIME_OFFSET, 32'hFFFF_FFFE);
        bus_write(MTIME_OFFSET, 32'h0000_0005);
        expect_read(MTIME_OFFSET + 4, 32'h0000_0007, "mtimeh after mtime written at all ones");
        bus_write(MTIME_OFFSET, 32'hFFFF_FFFE);
        bus_write(MTIME_OFFSET + 4, 32'h0000_0003);
        expect_read(MTIME_OFFSET + 4, 32'h0000_0004, "mtimeh after the low half carried");
        // Each half read against the count, back to back, and around offsets with no register (which read 0 while
        // mtimecmp's halves hold other words).
        bus_write(MTIME_OFFSET + 4, 32'h5A5A_C3C3);
        bus_write(MTIME_OFFSET, 32'h0F0F_1234);
        expect_mtime_read(0, "mtime");
        expect_mtime_read(1, "mtimeh");
        expect_mtime_read(0, "mtime after mtimeh");
        expect_read(0, 32'h0, "offset 0 (no register)");
        expect_mtime_read(1, "mtimeh after offset 0");
        expect_read(MTIMECMP_OFFSET + 8, 32'h0, "an offset with no register after mtimeh");
        expect_read(MTIME_OFFSET - 4, 32'h0, "the offset below mtime");
        expect_read(MTIMECMP_OFFSET, 32'h0F1E_2D3C, "mtimecmp after offsets with no register");

        // The comparison at its boundaries, in the low half.
        boundary(0);
        boundary(1);
        boundary(-1);
        boundary(-40);
        // Across a carry into the high half: mtime runs from ...1_FFFF_FFF0 past ...2_0000_0000.
        bus_write(MTIME_OFFSET + 4, 32'h0000_0001);
        bus_write(MTIME_OFFSET, 32'hFFFF_FFF0);
        boundary(0);
        bus_write(MTIME_OFFSET, 32'hFFFF_FFE0);
        bus_write(MTIME_OFFSET + 4, 32'h0000_0001);
        boundary(15);
        // mtimecmp's high half below mtime's and its low half above: pending at once.
        bus_write(MTIMECMP_OFFSET, 32'hFFFF_FFFF);
        bus_write(MTIMECMP_OFFSET + 4, 32'h0000_0000);
        expect_interrupt(3, 1'b1, "mtimecmp below mtime");
        // Both halves read while the comparison holds (the checker drops the one after the high half's read), twice
        // each, back to back.
        expect_read(MTIMECMP_OFFSET + 4, 32'h0000_0000, "mtimecmph while pending");
        expect_read(MTIMECMP_OFFSET + 4, 32'h0000_0000, "mtimecmph again");
        expect_read(MTIMECMP_OFFSET, 32'hFFFF_FFFF, "mtimecmp while pending");
        expect_read(MTIMECMP_OFFSET + 4, 32'h0000_0000, "mtimecmph after mtimecmp");
        expect_read(MTIMECMP_OFFSET, 32'hFFFF_FFFF, "mtimecmp after mtimecmph");
        // Reads wanted and not made, of mtimecmp's high half and of an offset with no register: dropped, then pending again.
        wanted_without_read(MTIMECMP_OFFSET + 4, 3);
        wanted_without_read(MTIMECMP_OFFSET + 8, 2);
        wanted_without_read(MTIMECMP_OFFSET, 2);
        expect_interrupt(2, 1'b1, "after reads wanted and not made");
        // The kept word read while the comparison holds: the comparisons of its reads are dropped, the next ones hold.
        expect_kept(6, 32'hA5A5_0F0F, 32'h0F0F_A5A5, "the kept words while pending");
        expect_interrupt(2, 1'b1, "after reads of the kept word");
        expect_interrupt(2, 1'b1, "after reads of mtimecmp");
        // Back above: the request drops.
        bus_write(MTIMECMP_OFFSET + 4, 32'hFFFF_FFFF);
        expect_interrupt(3, 1'b0, "mtimecmp above mtime");
        if (raised == 0) begin
            $display("FAIL clint: the interrupt was never raised");
            fail;
        end

        $display("PASS clint");
        $finish;
    end
endmodule

`default_nettype wire
