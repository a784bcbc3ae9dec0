/*
 * jalr.S: jalr
 *
 * jalr jumps to (rs1 + offset) with bit 0 cleared and writes the address of the next
 * instruction to rd; rs1 is read before rd is written when they are the same register.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    TEST_JALR(1, ra, a1, 0)
    TEST_JALR(2, a4, a1, 4)
    TEST_JALR(3, a4, a1, -4)
    TEST_JALR(4, a4, a1, 2047)
    TEST_JALR(5, a4, a1, -2048)
    TEST_JALR(6, t0, t1, 16)

    /* rd == rs1: the jump uses the old value */
    TEST_JALR(7, a1, a1, 0)
    TEST_JALR(8, a1, a1, -12)

    /* bit 0 of the target is cleared */
    TEST_NUM(9)
    la a1, 1f
    jalr x0, 1(a1)
    TEST_FAIL_HERE
1:
    TEST_NUM(10)
    la a1, 1f
    addi a1, a1, 1
    jalr x0, 0(a1)
    TEST_FAIL_HERE
1:

    /* call and return */
    TEST_NUM(11)
    li a4, 0
    la a1, double_a5
    li a5, 21
    jalr ra, 0(a1)
    TEST_CHECK(a4, 42)

    /* the target register is produced right before the jalr */
    TEST_NUM(12)
    la a1, 1f
    jalr x0, 0(a1)
    TEST_FAIL_HERE
1:
    TEST_NUM(13)
    la a1, 1f
    nop
    jalr x0, 0(a1)
    TEST_FAIL_HERE
1:
    TEST_NUM(14)
    la a1, jump_table
    lw a2, 4(a1)
    jalr x0, 0(a2)
    TEST_FAIL_HERE
table_target_1:

    /* the instructions in the shadow of the jump do not execute */
    TEST_CASE(15, a4, 0x00000003, li a4, 3; la a1, 1f; jalr x0, 0(a1); addi a4, a4, 1; addi a4, a4, 1; 1: nop)

    /* the link value is used by the instruction at the target */
    TEST_CASE(16, a4, 0x00000000, la a1, 1f; jalr a2, 0(a1); 2: nop; 1: addi a3, a2, 0; la a5, 2b; sub a4, a3, a5)

TEST_CODE_END

    .text
/* a4 = a5 * 2 */
double_a5:
    add a4, a5, a5
    ret

TEST_DATA_BEGIN
jump_table:
    .word 0
    .word table_target_1
TEST_DATA_END
