/*
 * csr_kept_across_traps.S: what a trap writes, and what it leaves alone
 *
 * mscratch holds all ones, all zeros or an alternating pattern while an exception (ecall, an illegal instruction)
 * or the timer interrupt is taken and returned from: it reads back unchanged. mtval, written with the same
 * pattern before the interrupt, reads 0 in the handler (an interrupt writes mtval 0), and mepc is the instruction
 * that had not run. A bit of a register that a trap changes, or that the interrupt writes from another bit, shows.
 */
#include "test_macros.h"

/* Iterations the wait for the pending timer may take before the case fails. */
#define WAIT_BOUND 200000

/* mscratch = `value` across an ecall and an illegal instruction (cases n, n + 1). */
#define KEPT_ACROSS_EXCEPTIONS(n, value)                                        \
    li a1, value; csrw mscratch, a1;                                            \
    TEST_TRAP(n, CAUSE_MACHINE_ECALL, x0, ecall);                               \
    TEST_TRAP_ILLEGAL(n + 1, .word 0);                                          \
    csrr a4, mscratch; TEST_CHECK(a4, value)

/* mscratch and mtval = `value`; the timer made pending (mtimecmp 0) and taken when mstatus.MIE is set (case n). */
#define KEPT_ACROSS_INTERRUPT(n, value)                                         \
    TEST_NUM(n); li s7, 0; li s10, -1;                                          \
    la t0, timer_handler; csrw mtvec, t0;                                       \
    li a1, value; csrw mscratch, a1; csrw mtval, a1;                            \
    li a2, MIE_MTIE; csrw mie, a2;                                              \
    li t2, HWGEN_CLINT_MTIMECMP; sw x0, 4(t2); sw x0, 0(t2);                    \
    li a5, WAIT_BOUND;                                                          \
2:  csrr a4, mip; andi a4, a4, MIP_MTIP; bnez a4, 3f;                          \
    addi a5, a5, -1; bnez a5, 2b; TEST_FAIL_HERE;                               \
3:  la a5, 1f; csrsi mstatus, MSTATUS_MIE;                                      \
1:  nop;                                                                        \
    csrci mstatus, MSTATUS_MIE; csrw mie, x0;                                   \
    TEST_CHECK(s7, 1);                                                          \
    TEST_CHECK(s8, CAUSE_MACHINE_TIMER_INTERRUPT);                              \
    TEST_CHECK_REG(s9, a5);                                                     \
    TEST_CHECK(s10, 0);                                                         \
    csrr a4, mscratch; TEST_CHECK(a4, value)

TEST_CODE_BEGIN

    csrw mie, x0
    csrci mstatus, MSTATUS_MIE

    KEPT_ACROSS_EXCEPTIONS(1, 0xffffffff)
    KEPT_ACROSS_EXCEPTIONS(3, 0x00000000)
    KEPT_ACROSS_EXCEPTIONS(5, 0x55555555)
    KEPT_ACROSS_EXCEPTIONS(7, 0xaaaaaaaa)

    KEPT_ACROSS_INTERRUPT(9, 0xffffffff)
    KEPT_ACROSS_INTERRUPT(10, 0x00000000)
    KEPT_ACROSS_INTERRUPT(11, 0x55555555)
    KEPT_ACROSS_INTERRUPT(12, 0xaaaaaaaa)

    la t0, test_unexpected_trap
    csrw mtvec, t0

TEST_CODE_END

    .text
    .balign 4
/* Counts the interrupt in s7, records mcause, mepc and mtval in s8, s9, s10, and stops the timer. */
timer_handler:
    addi s7, s7, 1
    csrr s8, mcause
    csrr s9, mepc
    csrr s10, mtval
    li t2, HWGEN_CLINT_MTIMECMP
    li t4, -1
    sw t4, 0(t2)
    sw t4, 4(t2)
    mret

TEST_DATA_BEGIN
TEST_DATA_END
