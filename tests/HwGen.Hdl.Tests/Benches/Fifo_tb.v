// Self-checking test bench for the Fifo example (hdl/Designs/Examples/Fifo.cs).
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// A monitor keeps a reference queue of every accepted push (WriteEnable while not Full) and every
// accepted pop (ReadEnable while not Empty). At every clock edge it checks that Level equals the
// number of entries held, that ReadData is the oldest entry whenever Empty is 0, that an entry is
// presented one cycle after it is waiting, and that Full never comes before DEPTH entries are held.
// Directed phases cover order, full and empty, more pushes than the depth, simultaneous push and
// pop (also when full and when empty) and reset; a random phase follows.
// Ends with "PASS fifo", or prints "FAIL fifo: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module Fifo_tb;
    parameter integer WIDTH = 8;
    parameter integer DEPTH = 16;

    localparam integer LEVEL_BITS = $clog2(DEPTH) + 1;
    localparam integer QUEUE_SIZE = 8192;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg WriteEnable = 1'b0;
    reg [WIDTH-1:0] WriteData = {WIDTH{1'b0}};
    reg ReadEnable = 1'b0;
    wire [WIDTH-1:0] ReadData;
    wire Empty;
    wire Full;
    wire [LEVEL_BITS-1:0] Level;
    wire [31:0] level = {{(32 - LEVEL_BITS){1'b0}}, Level};

    Fifo dut (
        .clk(clk),
        .rst(rst),
        .WriteEnable(WriteEnable),
        .WriteData(WriteData),
        .ReadEnable(ReadEnable),
        .ReadData(ReadData),
        .Empty(Empty),
        .Full(Full),
        .Level(Level)
    );

    always #5 clk = ~clk;

    // The reference queue: entries head .. tail-1, never wrapped (QUEUE_SIZE bounds the pushes).
    reg [WIDTH-1:0] queue [0:QUEUE_SIZE-1];
    integer head = 0;
    integer tail = 0;
    integer cycle = 0;
    integer pushes = 0;
    integer pops = 0;
    integer discarded = 0;
    integer full_cycles = 0;
    integer both_cycles = 0;
    integer accepted;
    integer level_before;
    integer i;
    reg [31:0] random_state = 32'h9E37_79B9;

    task fail;
        begin
            $display("FAIL fifo: cycle %0d: WriteEnable=%b ReadEnable=%b Empty=%b Full=%b Level=%0d ReadData=%h; reference holds %0d entries, oldest %h",
                     cycle, WriteEnable, ReadEnable, Empty, Full, Level, ReadData, tail - head,
                     tail > head ? queue[head] : {WIDTH{1'b0}});
            $fatal(1, "fifo test bench failed");
        end
    endtask

    task next_random;
        begin
            random_state = random_state ^ (random_state << 13);
            random_state = random_state ^ (random_state >> 17);
            random_state = random_state ^ (random_state << 5);
        end
    endtask

    // The monitor: at every rising edge, before the design's registers take their new values
    // (the inputs change 1 ns after the edge), checks the outputs against the reference queue,
    // then records what this edge accepts.
    reg started = 1'b0;
    reg waiting = 1'b0;
    reg push;
    reg pop;
    always @(posedge clk) begin
        if (started) begin
            if (level !== tail - head) begin
                $display("FAIL fifo: Level is %0d, expected %0d", Level, tail - head);
                fail;
            end
            if (Empty !== 1'b0 && Empty !== 1'b1 || Full !== 1'b0 && Full !== 1'b1) begin
                $display("FAIL fifo: Empty or Full is not 0 or 1");
                fail;
            end
            if (!Empty && ReadData !== queue[head]) begin
                $display("FAIL fifo: ReadData is %h, expected the oldest entry %h", ReadData, queue[head]);
                fail;
            end
            if (tail == head && !Empty) begin
                $display("FAIL fifo: Empty is 0 while nothing is held");
                fail;
            end
            if (waiting && Empty) begin
                $display("FAIL fifo: an entry waited more than one cycle to appear on ReadData");
                fail;
            end
            if (Full && tail - head < DEPTH) begin
                $display("FAIL fifo: Full with only %0d entries held, the depth is %0d", tail - head, DEPTH);
                fail;
            end
            if (tail - head > DEPTH + 1) begin
                $display("FAIL fifo: %0d entries accepted, more than the depth %0d plus the output register", tail - head, DEPTH);
                fail;
            end
        end
        if (rst) begin
            started = 1'b1;
            waiting = 1'b0;
            discarded = discarded + tail - head;
            head = 0;
            tail = 0;
        end else begin
            push = WriteEnable && !Full;
            pop = ReadEnable && !Empty;
            waiting = Empty && tail != head;
            if (Full)
                full_cycles = full_cycles + 1;
            if (push && pop)
                both_cycles = both_cycles + 1;
            if (pop) begin
                head = head + 1;
                pops = pops + 1;
            end
            if (push) begin
                if (tail == QUEUE_SIZE) begin
                    $display("FAIL fifo: the test bench's reference queue is too small");
                    fail;
                end
                queue[tail] = WriteData;
                tail = tail + 1;
                pushes = pushes + 1;
            end
        end
        cycle = cycle + 1;
    end

    // One clock cycle with the given inputs; the monitor checks it.
    task run_cycle(input write, input [WIDTH-1:0] data, input read);
        begin
            WriteEnable = write;
            WriteData = data;
            ReadEnable = read;
            @(posedge clk);
            #1;
        end
    endtask

    function [WIDTH-1:0] pattern(input integer n);
        reg [31:0] value;
        begin
            value = n * 37 + 11;
            pattern = value[WIDTH-1:0];
        end
    endfunction

    task drain;
        begin
            while (tail != head)
                run_cycle(1'b0, {WIDTH{1'b0}}, 1'b1);
            run_cycle(1'b0, {WIDTH{1'b0}}, 1'b1);
            if (!Empty || level !== 0 || Full) begin
                $display("FAIL fifo: not empty after draining");
                fail;
            end
        end
    endtask

    initial begin
        // Reset.
        @(posedge clk);
        #1;
        run_cycle(1'b0, {WIDTH{1'b0}}, 1'b0);
        run_cycle(1'b1, pattern(99), 1'b1);
        rst = 1'b0;
        run_cycle(1'b0, {WIDTH{1'b0}}, 1'b0);
        if (Empty !== 1'b1 || Full !== 1'b0 || level !== 0) begin
            $display("FAIL fifo: after reset Empty=%b Full=%b Level=%0d, expected 1 0 0", Empty, Full, Level);
            fail;
        end

        // One entry in, out.
        run_cycle(1'b1, pattern(1), 1'b0);
        run_cycle(1'b0, {WIDTH{1'b0}}, 1'b0);
        if (Empty || ReadData !== pattern(1) || level !== 1) begin
            $display("FAIL fifo: a single entry is not presented on ReadData");
            fail;
        end
        run_cycle(1'b0, {WIDTH{1'b0}}, 1'b1);
        if (!Empty || level !== 0) begin
            $display("FAIL fifo: not empty after popping the only entry");
            fail;
        end

        // More pushes than the depth, no reads: the extra ones are refused while Full.
        for (i = 0; i < DEPTH + 4; i = i + 1)
            run_cycle(1'b1, pattern(100 + i), 1'b0);
        accepted = tail - head;
        if (!Full || accepted < DEPTH) begin
            $display("FAIL fifo: after %0d pushes Full=%b with %0d accepted, expected Full with at least %0d", DEPTH + 4, Full, accepted, DEPTH);
            fail;
        end
        // Full: a push with a pop in the same cycle takes the pop only.
        run_cycle(1'b1, pattern(1000), 1'b1);
        if (tail - head != accepted - 1 || level !== accepted - 1) begin
            $display("FAIL fifo: pushing and popping while Full should only pop");
            fail;
        end
        // Not full: a push with a pop in the same cycle keeps the level.
        level_before = tail - head;
        for (i = 0; i < 2 * DEPTH; i = i + 1)
            run_cycle(1'b1, pattern(200 + i), 1'b1);
        if (level !== level_before) begin
            $display("FAIL fifo: simultaneous push and pop changed Level from %0d to %0d", level_before, Level);
            fail;
        end
        drain;

        // Simultaneous push and pop from empty: the first pop has nothing to take.
        for (i = 0; i < 2 * DEPTH; i = i + 1)
            run_cycle(1'b1, pattern(300 + i), 1'b1);
        if (level !== 1 && level !== 2) begin
            $display("FAIL fifo: streaming through an empty queue holds %0d entries, expected 1 or 2", Level);
            fail;
        end
        drain;

        // Random traffic in three moods: mostly writing, balanced, mostly reading.
        for (i = 0; i < 1500; i = i + 1) begin
            next_random;
            if (i < 500)
                run_cycle(random_state[2:0] != 3'b000, random_state[31:24], random_state[5:3] == 3'b000);
            else if (i < 1000)
                run_cycle(random_state[0], random_state[31:24], random_state[1]);
            else
                run_cycle(random_state[2:0] == 3'b000, random_state[31:24], random_state[5:3] != 3'b000);
        end
        if (full_cycles < 10 || both_cycles < 10) begin
            $display("FAIL fifo: the stimulus was Full in %0d cycles and pushed and popped together in %0d, too few", full_cycles, both_cycles);
            fail;
        end

        // Reset while holding entries empties the queue; it works normally afterwards.
        for (i = 0; i < 3; i = i + 1)
            run_cycle(1'b1, pattern(400 + i), 1'b0);
        rst = 1'b1;
        run_cycle(1'b0, {WIDTH{1'b0}}, 1'b0);
        rst = 1'b0;
        run_cycle(1'b0, {WIDTH{1'b0}}, 1'b0);
        if (!Empty || Full || level !== 0) begin
            $display("FAIL fifo: reset did not empty the queue");
            fail;
        end
        run_cycle(1'b1, pattern(500), 1'b0);
        run_cycle(1'b1, pattern(501), 1'b0);
        drain;
        if (pops + discarded != pushes) begin
            $display("FAIL fifo: %0d pushes, but %0d pops and %0d entries discarded by reset", pushes, pops, discarded);
            fail;
        end

        $display("PASS fifo");
        $finish;
    end
endmodule

`default_nettype wire
