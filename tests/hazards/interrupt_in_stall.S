/*
 * interrupt_in_stall.S: the timer interrupt arriving while the pipeline is stalled
 *
 * mtimecmp is set a few cycles ahead (mtime counts cycles on the RTL) and a sequence of divisions
 * and load-use pairs runs; the delay is swept one cycle at a time, so the interrupt becomes pending
 * at every point of the sequence, inside the divider's stall and the load-use interlock among them.
 * The handler checks mcause and that mepc lies in the sequence or the wait after it, stops the timer
 * and returns; the main code checks every result of the sequence after each interrupt, and that the
 * interrupt hit the sequence itself (not only the wait after it) many times.
 */
#include "test_macros.h"

#define FIRST_DELAY 4
#define LAST_DELAY 180
#define WAIT_BOUND 100000
/* Interrupts that must land inside the sequence itself over the whole sweep. */
#define MIN_HITS_IN_SEQUENCE 100

/* t1:t0 = mtime, read consistently (high, low, high again). */
#define READ_MTIME                                                              \
    li t2, HWGEN_CLINT_MTIME;                                                   \
1:  lw t1, 4(t2); lw t0, 0(t2); lw t3, 4(t2); bne t1, t3, 1b

/* mtimecmp = mtime + reg, written so that it never passes through a smaller value. */
#define SET_TIMER_AFTER(reg)                                                    \
    READ_MTIME;                                                                 \
    add t3, t0, reg; sltu t4, t3, t0; add t1, t1, t4;                           \
    li t2, HWGEN_CLINT_MTIMECMP; li t4, -1;                                     \
    sw t4, 0(t2); sw t1, 4(t2); sw t3, 0(t2)

TEST_CODE_BEGIN

    csrw mie, x0
    csrci mstatus, MSTATUS_MIE
    li t2, HWGEN_CLINT_MTIMECMP
    li t4, -1
    sw t4, 0(t2)
    sw t4, 4(t2)
    la t0, stall_handler
    csrw mtvec, t0
    li t0, MIE_MTIE
    csrw mie, t0
    la s0, stall_data
    li s1, 0                      /* interrupts taken inside the sequence */
    li s2, FIRST_DELAY

stall_round:
    TEST_NUM(1)
    li s7, 0
    li s9, 0
    li a0, 0; li a3, 0; li a4, 0; li a5, 0; li a6, 0; li a7, 0; li s3, 0; li s4, 0
    SET_TIMER_AFTER(s2)
    csrsi mstatus, MSTATUS_MIE
stall_begin:
    li a1, 1000
    li a2, 7
    div a3, a1, a2                /* 142 */
    add a4, a3, a3                /* 284, read as soon as the divider is done */
    lw a5, 0(s0)                  /* 0x100 */
    add a6, a5, a4                /* load-use: 540 */
    rem a7, a1, a2                /* 6 */
    sw a6, 4(s0)
    lw a0, 4(s0)
    mul a0, a0, a7                /* load-use into the multiplier: 3240 */
    divu s3, a0, a2               /* 462 */
    lw s5, 0(s0)
    divu s5, s5, a2               /* load-use into the divider: 36 */
    add s4, s3, a3                /* 604 */
    add s4, s4, s5                /* 640 */
stall_end:
    li s5, WAIT_BOUND
2:  bnez s7, 3f
    addi s5, s5, -1
    bnez s5, 2b
stall_wait_end:
    TEST_FAIL_HERE
3:  csrci mstatus, MSTATUS_MIE

    /* the results, whatever instruction the interrupt came before */
    TEST_NUM(2)
    TEST_CHECK(s7, 1)
    TEST_NUM(3)
    TEST_CHECK(a3, 142)
    TEST_CHECK(a4, 284)
    TEST_CHECK(a6, 540)
    TEST_CHECK(a7, 6)
    TEST_CHECK(a0, 3240)
    TEST_CHECK(s3, 462)
    TEST_CHECK(s4, 640)
    lw a1, 4(s0)
    TEST_CHECK(a1, 540)

    /* count the interrupts that came inside the sequence */
    la a1, stall_begin
    la a2, stall_end
    bltu s9, a1, 4f
    bgeu s9, a2, 4f
    addi s1, s1, 1
4:  addi s2, s2, 1
    li a1, LAST_DELAY
    bleu s2, a1, stall_round

    TEST_NUM(4)
    li a1, MIN_HITS_IN_SEQUENCE
    bgeu s1, a1, 5f
    addi sp, sp, -16
    sw s1, 0(sp)
    sw a1, 4(sp)
    jal TESTLINK, test_fail
5:  csrw mie, x0
    la t0, test_unexpected_trap
    csrw mtvec, t0

TEST_CODE_END

    .text
    .balign 4
/* Checks mcause and mepc (in s8, s9), counts the interrupt in s7, stops the timer and returns. */
stall_handler:
    addi s7, s7, 1
    csrr s8, mcause
    TEST_CHECK(s8, CAUSE_MACHINE_TIMER_INTERRUPT)
    csrr s9, mepc
    la s10, stall_begin
    bltu s9, s10, 1f
    la s10, stall_wait_end
    bgeu s9, s10, 1f
    li s10, HWGEN_CLINT_MTIMECMP
    li s11, -1
    sw s11, 0(s10)
    sw s11, 4(s10)
    mret
1:  TEST_FAIL_HERE

TEST_DATA_BEGIN
stall_data:
    .word 0x100, 0
TEST_DATA_END
