/*
 * order_past_2_21.S: more than 2^21 instructions retired in one run
 *
 * A loop of 1,100,000 iterations of two instructions: the retirement trace's order counts past 2^21, so a bit of
 * the counter that carries wrongly, or that another bit up to bit 21 changes, shows in lockstep. Longer than the
 * ISA suite's programs by three orders of magnitude: it runs apart from them.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    TEST_NUM(1)
    li t0, 1100000
1:  addi t0, t0, -1
    bnez t0, 1b
    TEST_CHECK(t0, 0)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
