/*
 * counters_csr_writes.S: mcycle counts the cycles of CSR writes too
 *
 * Across a run of CSR writes to registers other than mcycle (mscratch, mtval, mepc, mcause, mstatus, mie, minstret,
 * minstreth), mcycle advances at least once per instruction: every cycle counts, also one in which another CSR is
 * written. A counter that stops in the cycle of a write to a register whose address is one bit away from its own
 * (a write select that decodes too few address bits) falls behind.
 */
#include "test_macros.h"

/* a4 = 1 when mcycle advanced at least `count` + 1 across `code`, which is `count` instructions long. */
#define CYCLES_AT_LEAST(n, count, code...)                                      \
    TEST_NUM(n);                                                                \
    csrr a2, mcycle;                                                            \
    code;                                                                       \
    csrr a3, mcycle;                                                            \
    sub a3, a3, a2;                                                             \
    sltiu a4, a3, (count) + 1; xori a4, a4, 1;                                  \
    TEST_CHECK(a4, 1)

/* Eight writes of `csr` with the bits of `value`. */
#define WRITES(csr, value)                                                      \
    csrw csr, x0; csrw csr, value; csrs csr, value; csrc csr, value;            \
    csrw csr, value; csrc csr, value; csrs csr, value; csrw csr, x0

TEST_CODE_BEGIN

    li a0, 0x55aa
    li a1, 0x1880          /* mstatus: MPP and MPIE, never MIE */
    li a5, MIE_MTIE        /* mie: the timer, which is never due here (mstatus.MIE stays 0) */
    CYCLES_AT_LEAST(1, 8, nop; nop; nop; nop; nop; nop; nop; nop)
    CYCLES_AT_LEAST(2, 16, WRITES(mscratch, a0); WRITES(mtval, a0))
    CYCLES_AT_LEAST(3, 16, WRITES(mepc, a0); WRITES(mcause, a0))
    CYCLES_AT_LEAST(4, 16, WRITES(mstatus, a1); WRITES(mie, a5))
    CYCLES_AT_LEAST(5, 16, WRITES(minstret, a0); WRITES(minstreth, a0))
    CYCLES_AT_LEAST(6, 19, WRITES(mscratch, a0); nop; WRITES(mstatus, a1); nop; nop; csrw mie, x0)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
