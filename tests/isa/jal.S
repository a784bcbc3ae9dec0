/*
 * jal.S: jal
 *
 * jal jumps by a signed offset from its own address and writes the address of the next
 * instruction to rd; the instructions after it are not executed.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* the link register holds the address after the jal */
    TEST_JAL(1, ra)
    TEST_JAL(2, t0)
    TEST_JAL(3, a4)
    TEST_JAL(4, s11)
    TEST_JAL(5, t6)

    /* jal x0 (j) jumps without linking */
    TEST_NUM(6)
    j 1f
    TEST_FAIL_HERE
1:

    /* backwards */
    TEST_NUM(7)
    j 2f
1:  j 3f
2:  j 1b
    TEST_FAIL_HERE
3:

    /* the instructions in the shadow of the jump do not execute */
    TEST_CASE(8, a4, 0x00000005, li a4, 5; jal x0, 1f; addi a4, a4, 1; addi a4, a4, 1; 1: nop)

    /* the link value is used by the instruction at the target */
    TEST_CASE(9, a4, 0x00000000, jal a1, 1f; 2: nop; 1: addi a2, a1, 0; la a3, 2b; sub a4, a2, a3)

    /* a far target in another section, and back through the link */
    TEST_NUM(10)
    li a4, 0
    jal ra, far_routine
2:  la a5, 2b
    TEST_CHECK_REG(a6, a5)
    TEST_CHECK(a4, 0x00000007)

    /* a loop closed by a backward jal */
    TEST_CASE(11, a4, 0x0000000a, li a4, 0; li a5, 10; 1: addi a4, a4, 1; bge a4, a5, 2f; jal x0, 1b; 2: nop)

TEST_CODE_END

    .text
/* Returns with a6 = the link it was called with and a4 = 7. */
far_routine:
    mv a6, ra
    li a4, 7
    ret

TEST_DATA_BEGIN
TEST_DATA_END
