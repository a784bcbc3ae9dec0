/*
 * wfi.S: wfi
 *
 * wfi may return at once (a no-op) or wait until an interrupt that mie enables becomes pending,
 * whatever mstatus.MIE says; either way execution continues after it, and with mstatus.MIE clear
 * no trap is taken. The test sets the timer before every wfi, so it passes in both readings.
 */
#include "test_macros.h"

#define WAIT_BOUND 200000

#define SET_TIMER_IN(delta)                                                     \
    li t2, HWGEN_CLINT_MTIME;                                                   \
1:  lw t1, 4(t2); lw t0, 0(t2); lw t3, 4(t2); bne t1, t3, 1b;                 \
    li t3, delta; add t3, t0, t3; sltu t4, t3, t0; add t1, t1, t4;              \
    li t2, HWGEN_CLINT_MTIMECMP; li t4, -1;                                     \
    sw t4, 0(t2); sw t1, 4(t2); sw t3, 0(t2)

#define STOP_TIMER                                                              \
    li t2, HWGEN_CLINT_MTIMECMP; li t4, -1; sw t4, 0(t2); sw t4, 4(t2)

TEST_CODE_BEGIN

    csrci mstatus, MSTATUS_MIE
    STOP_TIMER
    la t0, wfi_handler
    csrw mtvec, t0
    li a1, MIE_MTIE
    csrw mie, a1
    li s7, 0

    /* wfi continues with the next instruction and changes no register */
    TEST_NUM(1)
    li a4, 7
    SET_TIMER_IN(100)
    wfi
    addi a4, a4, 1
    TEST_CHECK(a4, 8)
    TEST_CHECK(s7, 0)

    /* once the timer is pending, wfi returns at once; still no trap with MIE clear */
    TEST_NUM(2)
    li a5, WAIT_BOUND
2:  csrr a4, mip
    andi a4, a4, MIP_MTIP
    bnez a4, 3f
    addi a5, a5, -1
    bnez a5, 2b
    TEST_FAIL_HERE
3:  wfi
    wfi
    TEST_CHECK(s7, 0)

    /* enabling interrupts takes the pending one */
    TEST_NUM(3)
    csrsi mstatus, MSTATUS_MIE
    nop
    TEST_CHECK(s7, 1)
    TEST_CHECK(s8, CAUSE_MACHINE_TIMER_INTERRUPT)

    /* wfi with interrupts enabled: the interrupt ends the wait */
    TEST_NUM(4)
    li s7, 0
    SET_TIMER_IN(100)
    wfi
    li a5, WAIT_BOUND
2:  bnez s7, 3f
    addi a5, a5, -1
    bnez a5, 2b
    TEST_FAIL_HERE
3:  TEST_CHECK(s8, CAUSE_MACHINE_TIMER_INTERRUPT)

    /* wfi retires like any instruction: minstret counts it */
    csrci mstatus, MSTATUS_MIE
    SET_TIMER_IN(50)
    TEST_CASE(5, a4, 0x00000002, csrr a1, minstret; wfi; csrr a2, minstret; sub a4, a2, a1)

    csrci mstatus, MSTATUS_MIE
    csrw mie, x0
    la t0, test_unexpected_trap
    csrw mtvec, t0

TEST_CODE_END

    .text
    .balign 4
wfi_handler:
    addi s7, s7, 1
    csrr s8, mcause
    STOP_TIMER
    mret

TEST_DATA_BEGIN
TEST_DATA_END
