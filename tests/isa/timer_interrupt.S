/*
 * timer_interrupt.S: the machine timer interrupt
 *
 * mtime counts up; while mtime >= mtimecmp the timer interrupt is pending (mip.MTIP). It is taken
 * when mie.MTIE and mstatus.MIE are both set, with mcause 0x80000007, MIE cleared and MPIE set in
 * the handler, and mepc the instruction that had not run yet. The test only assumes that mtime
 * is monotonic: every wait is a loop with a bound.
 */
#include "test_macros.h"

/* Iterations a wait may take before the case fails. */
#define WAIT_BOUND 200000

/* t1:t0 = mtime, read consistently (high, low, high again). */
#define READ_MTIME                                                              \
    li t2, HWGEN_CLINT_MTIME;                                                   \
1:  lw t1, 4(t2); lw t0, 0(t2); lw t3, 4(t2); bne t1, t3, 1b

/* mtimecmp = mtime + delta, written so that it never passes through a smaller value. */
#define SET_TIMER_IN(delta)                                                     \
    READ_MTIME;                                                                 \
    li t3, delta; add t3, t0, t3; sltu t4, t3, t0; add t1, t1, t4;              \
    li t2, HWGEN_CLINT_MTIMECMP; li t4, -1;                                     \
    sw t4, 0(t2); sw t1, 4(t2); sw t3, 0(t2)

/* mtimecmp = the largest value: no interrupt. */
#define STOP_TIMER                                                              \
    li t2, HWGEN_CLINT_MTIMECMP; li t4, -1; sw t4, 0(t2); sw t4, 4(t2)

TEST_CODE_BEGIN

    csrw mie, x0
    csrci mstatus, MSTATUS_MIE
    STOP_TIMER
    la t0, timer_handler
    csrw mtvec, t0
    li s7, 0

    /* nothing is pending while mtimecmp is in the far future */
    TEST_CASE(1, a4, 0x00000000, csrr a4, mip; andi a4, a4, MIP_MTIP)

    /* mtime advances */
    TEST_NUM(2)
    READ_MTIME
    mv a1, t0
    li a5, WAIT_BOUND
2:  READ_MTIME
    bne t0, a1, 3f
    addi a5, a5, -1
    bnez a5, 2b
    TEST_FAIL_HERE
3:

    /* mip.MTIP becomes set when mtime reaches mtimecmp; with mstatus.MIE clear nothing is taken */
    TEST_NUM(3)
    li a1, MIE_MTIE
    csrw mie, a1
    SET_TIMER_IN(50)
    li a5, WAIT_BOUND
2:  csrr a4, mip
    andi a4, a4, MIP_MTIP
    bnez a4, 3f
    addi a5, a5, -1
    bnez a5, 2b
    TEST_FAIL_HERE
3:  TEST_CHECK(s7, 0)

    /* setting mstatus.MIE takes the pending interrupt before the next instruction */
    TEST_NUM(4)
    la a5, 1f
    csrsi mstatus, MSTATUS_MIE
1:  nop
    TEST_CHECK(s7, 1)
    TEST_CHECK(s8, CAUSE_MACHINE_TIMER_INTERRUPT)
    TEST_CHECK_REG(s9, a5)
    /* in the handler MIE was 0 and MPIE 1; after mret MIE is 1 again */
    andi a4, s10, MSTATUS_MIE | MSTATUS_MPIE
    TEST_CHECK(a4, MSTATUS_MPIE)
    csrr a4, mstatus
    andi a4, a4, MSTATUS_MIE | MSTATUS_MPIE
    TEST_CHECK(a4, MSTATUS_MIE | MSTATUS_MPIE)

    /* the handler moved mtimecmp away: nothing is pending any more */
    TEST_CASE(5, a4, 0x00000000, csrr a4, mip; andi a4, a4, MIP_MTIP)

    /* interrupts enabled, the timer set: wait for the handler */
    TEST_NUM(6)
    li s7, 0
    SET_TIMER_IN(200)
    li a5, WAIT_BOUND
2:  bnez s7, 3f
    addi a5, a5, -1
    bnez a5, 2b
    TEST_FAIL_HERE
3:  TEST_CHECK(s7, 1)
    TEST_CHECK(s8, CAUSE_MACHINE_TIMER_INTERRUPT)

    /* with mie.MTIE clear a pending timer is not taken, even with mstatus.MIE set */
    TEST_NUM(7)
    li s7, 0
    csrw mie, x0
    SET_TIMER_IN(20)
    li a5, WAIT_BOUND
2:  csrr a4, mip
    andi a4, a4, MIP_MTIP
    bnez a4, 3f
    addi a5, a5, -1
    bnez a5, 2b
    TEST_FAIL_HERE
3:  TEST_NOPS(8)
    TEST_CHECK(s7, 0)

    /* enabling it takes the interrupt at once */
    TEST_NUM(8)
    la a5, 1f
    li a1, MIE_MTIE
    csrs mie, a1
1:  nop
    TEST_CHECK(s7, 1)
    TEST_CHECK_REG(s9, a5)

    csrci mstatus, MSTATUS_MIE
    csrw mie, x0
    STOP_TIMER
    la t0, test_unexpected_trap
    csrw mtvec, t0

TEST_CODE_END

    .text
    .balign 4
/* Counts the trap in s7, records mcause, mepc and mstatus in s8, s9, s10, and stops the timer. */
timer_handler:
    addi s7, s7, 1
    csrr s8, mcause
    csrr s9, mepc
    csrr s10, mstatus
    STOP_TIMER
    mret

TEST_DATA_BEGIN
TEST_DATA_END
