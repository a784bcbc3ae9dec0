/*
 * trap_misaligned_fetch.S: instruction-address-misaligned exceptions
 *
 * Without compressed instructions a jump or taken branch to an address that is not a multiple of
 * 4 raises mcause 0. The exception is reported on the jump or branch (mepc is its address, and
 * it does not write its link register); mtval is the target. A branch that is not taken does not
 * trap, whatever its target.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* jalr to a 2-aligned target */
    TEST_TRAP_SETUP(1, CAUSE_MISALIGNED_FETCH)
    la a1, landing
    addi a1, a1, 2
    mv s10, a1
    mv s6, a1
    li a4, 0x55
    TEST_TRAP_AT(jalr a4, 0(a1))
    TEST_CHECK(a4, 0x55)

    /* the offset makes it misaligned */
    TEST_TRAP_SETUP(2, CAUSE_MISALIGNED_FETCH)
    la a1, landing
    addi s10, a1, 6
    mv s6, s10
    li a4, 0x66
    TEST_TRAP_AT(jalr a4, 6(a1))
    TEST_CHECK(a4, 0x66)

    /* bit 0 is cleared first: rs1 + 3 becomes rs1 + 2, still misaligned */
    TEST_TRAP_SETUP(3, CAUSE_MISALIGNED_FETCH)
    la a1, landing
    addi s10, a1, 2
    mv s6, s10
    TEST_TRAP_AT(jalr x0, 3(a1))

    /* jal a4, . + 6 */
    TEST_TRAP_SETUP(4, CAUSE_MISALIGNED_FETCH)
    addi s10, s9, 6
    mv s6, s10
    li a4, 0x77
    TEST_TRAP_AT(.word 0x0060076f)
    TEST_CHECK(a4, 0x77)

    /* jal x0, . - 2 */
    TEST_TRAP_SETUP(5, CAUSE_MISALIGNED_FETCH)
    addi s10, s9, -2
    mv s6, s10
    TEST_TRAP_AT(.word 0xfffff06f)

    /* beq x0, x0, . + 6: taken */
    TEST_TRAP_SETUP(6, CAUSE_MISALIGNED_FETCH)
    addi s10, s9, 6
    mv s6, s10
    TEST_TRAP_AT(.word 0x00000363)

    /* bne x0, x0, . + 6: not taken, so no trap */
    TEST_NUM(7)
    li a4, 0
    .word 0x00001363
    addi a4, a4, 1
    TEST_CHECK(a4, 1)

    /* bltu a1, a2, . + 10 with a1 >= a2: not taken */
    TEST_NUM(8)
    li a1, 5
    li a2, 4
    li a4, 0
    .word 0x00c5e563
    addi a4, a4, 1
    addi a4, a4, 1
    addi a4, a4, 1
    TEST_CHECK(a4, 3)

    /* mret to a misaligned mepc is impossible: mepc's low bits read 0 */
    TEST_NUM(9)
    la a1, 1f
    addi a2, a1, 2
    csrw mepc, a2
    csrr a4, mepc
    TEST_CHECK_REG(a4, a1)
    mret
    TEST_FAIL_HERE
1:

TEST_CODE_END

    .text
    .balign 16
/* Never reached: every jump to it is misaligned. */
landing:
    TEST_FAIL_HERE
    TEST_FAIL_HERE
    TEST_FAIL_HERE

TEST_DATA_BEGIN
TEST_DATA_END
