/*
 * counters_carry_across_writes.S: a counter's carry into its high half is not lost to a write of another CSR
 *
 * A low half written a few counts below its wrap (all ones minus k, k = 0 to 15) under a high half of 0, then four
 * instructions later a write of another CSR (the other counter's low or high half, or mscratch), then a few more
 * instructions: read back as a pair (high, low, high again until both highs agree), the high half is 1 exactly when
 * the low half wrapped (it reads less than the value written), else 0. One k of each sweep puts the low half's wrap in
 * the cycle right after the other write commits, which a counter whose carry is dropped by a write to another register
 * (a write select that decodes too few address bits in the carry's own copy of it) gets wrong there; the counter whose
 * carry comes a cycle early or late gets it wrong for another k.
 */
#include "test_macros.h"

/* a3 = the high half, a2 = the low half of counter `csr`/`csrh`, read as a pair: the high half did not change between. */
#define READ_PAIR(csr, csrh)                                                    \
1:  csrr a3, csrh;                                                              \
    csrr a2, csr;                                                               \
    csrr a5, csrh;                                                              \
    bne a3, a5, 1b

/*
 * Case n: `csr` written with all ones minus k under `csrh` 0, `other` written four instructions later; afterwards
 * `csrh` is 1 when `csr` wrapped, else 0.
 */
#define CARRY(n, csr, csrh, other, k)                                           \
    TEST_NUM(n);                                                                \
    li a1, 0xffffffff - (k);                                                    \
    li a0, 0x1234;                                                              \
    csrw csrh, x0;                                                              \
    csrw csr, a1;                                                               \
    nop; nop; nop; nop;                                                         \
    csrw other, a0;                                                             \
    nop; nop; nop; nop;                                                         \
    READ_PAIR(csr, csrh);                                                       \
    sltu a4, a2, a1;                                                            \
    TEST_CHECK_REG(a3, a4)

/* Cases n to n + 15: k from 0 to 15. */
#define SWEEP(n, csr, csrh, other)                                              \
    CARRY((n) + 0, csr, csrh, other, 0);   CARRY((n) + 1, csr, csrh, other, 1);   \
    CARRY((n) + 2, csr, csrh, other, 2);   CARRY((n) + 3, csr, csrh, other, 3);   \
    CARRY((n) + 4, csr, csrh, other, 4);   CARRY((n) + 5, csr, csrh, other, 5);   \
    CARRY((n) + 6, csr, csrh, other, 6);   CARRY((n) + 7, csr, csrh, other, 7);   \
    CARRY((n) + 8, csr, csrh, other, 8);   CARRY((n) + 9, csr, csrh, other, 9);   \
    CARRY((n) + 10, csr, csrh, other, 10); CARRY((n) + 11, csr, csrh, other, 11); \
    CARRY((n) + 12, csr, csrh, other, 12); CARRY((n) + 13, csr, csrh, other, 13); \
    CARRY((n) + 14, csr, csrh, other, 14); CARRY((n) + 15, csr, csrh, other, 15)

TEST_CODE_BEGIN

    /* minstret's carry across a write of mcycle, mcycleh, mscratch */
    SWEEP(1, minstret, minstreth, mcycle)
    SWEEP(17, minstret, minstreth, mcycleh)
    SWEEP(33, minstret, minstreth, mscratch)
    /* mcycle's carry across a write of minstret, minstreth, mscratch */
    SWEEP(49, mcycle, mcycleh, minstret)
    SWEEP(65, mcycle, mcycleh, minstreth)
    SWEEP(81, mcycle, mcycleh, mscratch)

    /* leave the counters small */
    csrw mcycleh, x0
    csrw minstreth, x0

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
