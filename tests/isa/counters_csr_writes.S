/*
 * counters_csr_writes.S: mcycle counts the cycles of CSR writes too
 *
 * Across a run of CSR writes (to registers other than the counters) and other single-cycle instructions, mcycle
 * advances at least as much as minstret: every cycle counts, also one in which a CSR is written. A counter that
 * skips the cycle of a write to another register (its write select decoding too few address bits) falls behind.
 */
#include "test_macros.h"

/* a4 = 1 when mcycle advanced at least as much as minstret across `code` (mcycle's reads outside minstret's). */
#define CYCLES_AT_LEAST_INSTRUCTIONS(n, code...)                                \
    TEST_NUM(n);                                                                \
    csrr a2, mcycle; csrr a1, minstret;                                         \
    code;                                                                       \
    csrr a5, minstret; csrr a3, mcycle;                                         \
    sub a3, a3, a2; sub a5, a5, a1;                                             \
    sltu a4, a3, a5; xori a4, a4, 1;                                            \
    TEST_CHECK(a4, 1)

#define WRITES(csr)                                                             \
    csrw csr, x0; csrw csr, a0; csrs csr, a0; csrc csr, a0;                     \
    csrwi csr, 5; csrsi csr, 3; csrci csr, 1; csrw csr, x0

TEST_CODE_BEGIN

    li a0, 0x55aa
    CYCLES_AT_LEAST_INSTRUCTIONS(1, nop; nop; nop; nop; nop; nop; nop; nop)
    CYCLES_AT_LEAST_INSTRUCTIONS(2, WRITES(mscratch); WRITES(mscratch))
    CYCLES_AT_LEAST_INSTRUCTIONS(3, WRITES(mtval); WRITES(mepc))
    CYCLES_AT_LEAST_INSTRUCTIONS(4, WRITES(mcause); WRITES(mscratch))
    CYCLES_AT_LEAST_INSTRUCTIONS(5, WRITES(minstreth); WRITES(mscratch))
    CYCLES_AT_LEAST_INSTRUCTIONS(6, WRITES(mscratch); nop; WRITES(mtval); nop; WRITES(mepc))

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
