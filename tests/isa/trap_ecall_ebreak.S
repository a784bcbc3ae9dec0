/*
 * trap_ecall_ebreak.S: ecall and ebreak
 *
 * ecall raises mcause 11 (environment call from machine mode) with mtval 0; ebreak raises
 * mcause 3 with mtval 0 or its own address; mepc is the instruction's address, and registers
 * are preserved across the trap and mret.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    TEST_TRAP(1, CAUSE_MACHINE_ECALL, x0, ecall)
    TEST_TRAP(2, CAUSE_MACHINE_ECALL, x0, ecall)

    TEST_TRAP_SETUP(3, CAUSE_BREAKPOINT)
    mv s6, s9
    TEST_TRAP_AT(ebreak)

    /* registers survive the trap */
    TEST_NUM(4)
    li a0, 0x11111111
    li a1, 0x22222222
    li a7, 0x77777777
    TEST_TRAP(4, CAUSE_MACHINE_ECALL, x0, ecall)
    TEST_CHECK(a0, 0x11111111)
    TEST_CHECK(a1, 0x22222222)
    TEST_CHECK(a7, 0x77777777)

    /* after mret, mepc holds what the handler wrote (the ecall's address + 4), mcause and mtval what the trap wrote */
    TEST_NUM(5)
    la a5, 1f
    la t0, return_after_trap
    csrw mtvec, t0
1:  ecall
    la t0, test_unexpected_trap
    csrw mtvec, t0
    csrr a4, mepc
    addi a5, a5, 4
    TEST_CHECK_REG(a4, a5)
    csrr a4, mcause
    TEST_CHECK(a4, CAUSE_MACHINE_ECALL)
    csrr a4, mtval
    TEST_CHECK(a4, 0)

    /* instructions right before and after the trap complete exactly once */
    TEST_NUM(6)
    li a4, 0
    addi a4, a4, 1
    TEST_TRAP(6, CAUSE_MACHINE_ECALL, x0, ecall)
    addi a4, a4, 1
    TEST_CHECK(a4, 2)

TEST_CODE_END

    .text
    .balign 4
return_after_trap:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret

TEST_DATA_BEGIN
TEST_DATA_END
