/*
 * divide.S: the iterative divider and its neighbours
 *
 * A division's result read by the next instructions (from each stage), as store data, as a load
 * address, as branch operands; a division followed by a load-use pair; a loaded value fed straight
 * into a division; dependent divisions back to back; multiplications around them; a division into x0;
 * divisions on the wrong path.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    la s0, divide_data

    /* 1-3: the quotient read at once, one and two instructions later */
    TEST_CASE(1, a4, 0x0000000f, li a1, 100; li a2, 7; div a3, a1, a2; addi a4, a3, 1)
    TEST_CASE(2, a4, 0x00000003, li a1, 100; li a2, 7; rem a3, a1, a2; nop; addi a4, a3, 1)
    TEST_CASE(3, a4, 0x0000000f, li a1, 100; li a2, 7; divu a3, a1, a2; nop; nop; addi a4, a3, 1)
    /* 4: both sources of the next instruction are divider results */
    TEST_CASE(4, a5, 0x00000064, li a1, 100; li a2, 7; div a3, a1, a2; rem a4, a1, a2; mul a3, a3, a2; add a5, a3, a4)
    /* 5: the operands of the division computed by the instructions just before */
    TEST_CASE(5, a3, 0xfffffffa, li a1, 10; addi a1, a1, 10; li a2, -3; div a3, a1, a2)
    /* 6: a chain of dependent divisions */
    TEST_CASE(6, a3, 0x00000001, li a1, 1000; li a2, 3; divu a3, a1, a2; divu a3, a3, a2; divu a3, a3, a2; divu a3, a3, a2; divu a3, a3, a2; divu a3, a3, a2)
    /* 7: a quotient as store data, stored at once */
    TEST_CASE(7, a4, 0x00000021, li a1, 100; li a2, 3; div a3, a1, a2; sw a3, 0(s0); lw a4, 0(s0))
    /* 8: a quotient as a load address offset */
    TEST_CASE(8, a4, 0x00000021, li a1, 4; li a2, 4; divu a3, a1, a2; slli a3, a3, 2; add a3, a3, s0; lw a4, -4(a3))
    /* 9: a remainder as the base of a store right after it */
    TEST_CASE(9, a4, 0x00000055, li a1, 0x55; li a2, 8; remu a3, s0, a2; add a3, a3, s0; sw a1, 4(a3); lw a4, 4(s0))

    /* 10-11: branch operands from the divider, taken and not taken */
    TEST_NUM(10)
    li a1, 81
    li a2, 9
    div a3, a1, a2
    beq a3, a2, 1f
    TEST_FAIL_HERE
1:  TEST_NUM(11)
    rem a3, a1, a2
    bnez a3, 2f
    j 1f
2:  TEST_FAIL_HERE
1:

    /* 12-13: a division followed by a load-use pair; a load-use pair followed by a dependent division */
    TEST_CASE(12, a6, 0x00000062, li a1, 99; li a2, 3; li a3, 0x41; sw a3, 8(s0); div a4, a1, a2; lw a5, 8(s0); add a6, a5, a4)
    TEST_CASE(13, a4, 0x00000005, li a1, 15; sw a1, 8(s0); lw a2, 8(s0); li a3, 3; divu a4, a2, a3)
    TEST_CASE(14, a4, 0x00000005, li a1, 3; sw a1, 8(s0); li a2, 15; lw a3, 8(s0); divu a4, a2, a3)
    /* 15: a division whose divisor is the value just loaded (load-use into the divider) */
    TEST_CASE(15, a4, 0x00000007, li a1, 6; sw a1, 12(s0); li a2, 42; lw a3, 12(s0); div a4, a2, a3)

    /* 16-18: multiplications and divisions back to back, each reading the one before */
    TEST_CASE(16, a3, 0x00000024, li a1, 6; mul a2, a1, a1; div a3, a2, a1; mul a3, a3, a1)
    TEST_CASE(17, a3, 0x00000000, li a1, 6; div a2, a1, a1; rem a3, a2, a2)
    /* 18: division by zero and overflow, results used at once */
    TEST_CASE(18, a4, 0x80000000, li a1, 0x80000000; li a2, -1; div a3, a1, a2; li a2, 0; divu a4, a3, a2; and a4, a4, a3)

    /* 19-20: a division into x0 changes nothing and is not forwarded */
    TEST_CASE(19, a3, 0x00000000, li a1, 100; li a2, 3; div x0, a1, a2; add a3, x0, x0)
    TEST_CASE(20, a3, 0x00000021, li a1, 100; li a2, 3; div a3, a1, a2; div x0, a1, a2; mv a3, a3)

    /* 21: a division in the shadow of a taken branch is dropped, the branch target runs at once */
    TEST_NUM(21)
    li a3, 1
    li a1, 100
    j 1f
    div a3, a1, a1
    rem a3, a1, a1
1:  TEST_CHECK(a3, 1)
    /* 22: a division right before a taken branch that reads its result */
    TEST_NUM(22)
    li a1, 8
    li a2, 2
    div a3, a1, a2
    bgeu a3, a2, 1f
    TEST_FAIL_HERE
1:  TEST_CHECK(a3, 4)
    /* 23: a division started in the cycle its branch redirects fetch is dropped; the division at the target
       gets its own quotient, at once, not the dropped one's */
    TEST_NUM(23)
    li a1, 100
    li a2, 7
    li a4, 1000
    li a5, 10
    beqz zero, 1f
    divu a3, a1, a2
1:  divu a3, a4, a5
    TEST_CHECK(a3, 100)

TEST_CODE_END

TEST_DATA_BEGIN
divide_data:
    .word 0x21, 0, 0, 0, 0, 0, 0, 0
TEST_DATA_END
