// Self-checking test bench for the Counter example (hdl/Designs/Examples/Counter.cs).
// Runs unchanged under Icarus Verilog (-g2012) and Verilator (--binary --timing).
// Compares Count and Wrap every cycle with a reference model: reset, holding, counting,
// Clear taking priority over Enable, wrapping from the maximum to zero, then random stimulus.
// Ends with "PASS counter", or prints "FAIL counter: ..." and stops with $fatal.
`timescale 1ns / 1ps
`default_nettype none

module Counter_tb;
    parameter integer WIDTH = 8; // at least 3: the directed phase counts to 5

    localparam [WIDTH-1:0] MAX = {WIDTH{1'b1}};
    localparam [WIDTH-1:0] ONE = {{(WIDTH - 1){1'b0}}, 1'b1};

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg Enable = 1'b0;
    reg Clear = 1'b0;
    wire [WIDTH-1:0] Count;
    wire Wrap;

    Counter dut (
        .clk(clk),
        .rst(rst),
        .Enable(Enable),
        .Clear(Clear),
        .Count(Count),
        .Wrap(Wrap)
    );

    always #5 clk = ~clk;

    reg [WIDTH-1:0] model = {WIDTH{1'b0}};
    reg [31:0] random_state = 32'h2545_F491;
    integer cycle = 0;
    integer wraps = 0;
    integer clears = 0;
    reg clear;
    integer i;

    task fail;
        begin
            $display("FAIL counter: cycle %0d: Enable=%b Clear=%b rst=%b Count=%0d Wrap=%b, expected Count=%0d",
                     cycle, Enable, Clear, rst, Count, Wrap, model);
            $fatal(1, "counter test bench failed");
        end
    endtask

    // xorshift32: the same stimulus under every simulator.
    task next_random;
        begin
            random_state = random_state ^ (random_state << 13);
            random_state = random_state ^ (random_state >> 17);
            random_state = random_state ^ (random_state << 5);
        end
    endtask

    // One clock cycle with the given inputs. Checks Wrap (combinational) before the rising edge
    // and Count (registered) before and after it.
    task run_cycle(input enable, input clear);
        reg expected_wrap;
        begin
            Enable = enable;
            Clear = clear;
            #1;
            expected_wrap = !rst && enable && !clear && model == MAX;
            if (Count !== model) begin
                $display("FAIL counter: Count is %0d before the clock edge, expected the value it took at the previous edge", Count);
                fail;
            end
            if (Wrap !== expected_wrap) begin
                $display("FAIL counter: Wrap is %b, expected %b", Wrap, expected_wrap);
                fail;
            end
            @(posedge clk);
            if (rst || clear)
                model = {WIDTH{1'b0}};
            else if (enable)
                model = model + ONE;
            if (expected_wrap)
                wraps = wraps + 1;
            #1;
            cycle = cycle + 1;
            if (Count !== model)
                fail;
        end
    endtask

    task expect_count(input [WIDTH-1:0] expected);
        begin
            if (Count !== expected || model !== expected) begin
                $display("FAIL counter: Count is %0d, expected %0d", Count, expected);
                fail;
            end
        end
    endtask

    initial begin
        // Reset holds the count at zero even with Enable set.
        @(posedge clk);
        #1;
        for (i = 0; i < 3; i = i + 1)
            run_cycle(1'b1, 1'b0);
        expect_count({WIDTH{1'b0}});
        rst = 1'b0;

        // Hold, count five, hold, clear.
        for (i = 0; i < 3; i = i + 1)
            run_cycle(1'b0, 1'b0);
        expect_count({WIDTH{1'b0}});
        for (i = 0; i < 5; i = i + 1)
            run_cycle(1'b1, 1'b0);
        expect_count(5);
        for (i = 0; i < 2; i = i + 1)
            run_cycle(1'b0, 1'b0);
        expect_count(5);
        run_cycle(1'b1, 1'b1);
        expect_count({WIDTH{1'b0}});

        // The whole range: 2^WIDTH increments come back to zero with exactly one Wrap pulse.
        for (i = 0; i < (1 << WIDTH) - 1; i = i + 1)
            run_cycle(1'b1, 1'b0);
        expect_count(MAX);
        if (wraps != 0) begin
            $display("FAIL counter: Wrap pulsed before the count reached its maximum");
            fail;
        end
        run_cycle(1'b1, 1'b0);
        expect_count({WIDTH{1'b0}});
        if (wraps != 1) begin
            $display("FAIL counter: %0d Wrap pulses over the whole range, expected 1", wraps);
            fail;
        end

        // At the maximum: holding gives no Wrap, Clear wins over Enable and gives no Wrap.
        for (i = 0; i < (1 << WIDTH) - 1; i = i + 1)
            run_cycle(1'b1, 1'b0);
        expect_count(MAX);
        run_cycle(1'b0, 1'b0);
        expect_count(MAX);
        run_cycle(1'b1, 1'b1);
        expect_count({WIDTH{1'b0}});
        if (wraps != 1) begin
            $display("FAIL counter: Wrap pulsed while holding or clearing at the maximum");
            fail;
        end

        // Random Enable (3 in 4) and Clear (1 in 4 * 2^WIDTH, rare enough to let the count wrap).
        for (i = 0; i < 20 * (1 << WIDTH); i = i + 1) begin
            next_random;
            clear = random_state[31:4] % (1 << WIDTH) == 0 && random_state[3:2] == 2'b00;
            if (clear)
                clears = clears + 1;
            run_cycle(random_state[1:0] != 2'b00, clear);
        end
        if (wraps < 3 || clears < 2) begin
            $display("FAIL counter: the random phase wrapped %0d times and cleared %0d times, too few", wraps - 1, clears);
            fail;
        end

        // Reset in the middle of counting.
        for (i = 0; i < 3; i = i + 1)
            run_cycle(1'b1, 1'b0);
        rst = 1'b1;
        run_cycle(1'b1, 1'b0);
        expect_count({WIDTH{1'b0}});
        rst = 1'b0;
        run_cycle(1'b1, 1'b0);
        expect_count(ONE);

        $display("counter: %0d wraps, %0d random clears", wraps, clears);
        $display("PASS counter");
        $finish;
    end
endmodule

`default_nettype wire
