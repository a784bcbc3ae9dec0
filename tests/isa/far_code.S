/*
 * far_code.S: code run from far in the RAM, where the pc's high bits are set
 *
 * A small loop is copied to addresses where each of the pc's bits 18 to 21 is set, beside bits above bit 12, and
 * called there: its backward branch is taken many times, so the branch predictor learns it and predicts it, and its
 * target's high bits go through the predictor's table, the fetch address and the pipeline. A bit that is lost or
 * taken from another on that way sends the loop elsewhere, or mispredicts it every time (the cycles show that).
 */
#include "test_macros.h"

/* Copies the loop to `address` and calls it with a0 = count; a4 = 1 + 2 + ... + count. */
#define FAR_CALL(n, address, count)                                             \
    TEST_NUM(n);                                                                \
    li a1, address; la a2, far_loop; la a3, far_loop_end;                       \
1:  lw t0, 0(a2); sw t0, 0(a1); addi a2, a2, 4; addi a1, a1, 4;                 \
    bltu a2, a3, 1b;                                                            \
    fence;                                                                      \
    li a0, count; li a4, -1; li t1, address;                                    \
    jalr ra, 0(t1);                                                             \
    TEST_CHECK(a4, (count) * ((count) + 1) / 2)

TEST_CODE_BEGIN

    /* the loop where it was linked */
    TEST_CASE(1, a4, 210, li a0, 20; jal ra, far_loop)

    FAR_CALL(2, HWGEN_RAM_BASE + (1 << 18) + 0x1100, 40)
    FAR_CALL(3, HWGEN_RAM_BASE + (1 << 19) + 0x2200, 40)
    FAR_CALL(4, HWGEN_RAM_BASE + (1 << 20) + 0x4400, 40)
    FAR_CALL(5, HWGEN_RAM_BASE + (1 << 21) + 0x8800, 40)
    FAR_CALL(6, HWGEN_RAM_BASE + (1 << 21) + (1 << 20) + (1 << 19) + (1 << 18) + 0xfff0, 40)

TEST_CODE_END

    .text
    .balign 4
/* a4 = a0 + (a0 - 1) + ... + 1, for a0 >= 1; position-independent, returns through ra. */
far_loop:
    li a4, 0
1:  add a4, a4, a0
    addi a0, a0, -1
    bnez a0, 1b
    jalr x0, 0(ra)
far_loop_end:

TEST_DATA_BEGIN
TEST_DATA_END
