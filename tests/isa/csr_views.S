/*
 * csr_views.S: every CSR reads its own register while all the others hold values of their own
 *
 * The writable registers are given distinct values (mscratch, mtvec, mepc, mcause, mtval, mie, the counters' high
 * halves), then each is read back, and so are the read-only views: timeh equals the CLINT's mtimeh, time lies
 * between two reads of its mtime, cycleh and instreth read what mcycleh and minstreth were given. A read that takes
 * another register's bits too (a select that also fires for a neighbouring address) shows.
 */
#include "test_macros.h"

/* t1 = mtimeh, t0 = mtime, read consistently (high, low, high again). */
#define READ_MTIME                                                              \
    li t2, HWGEN_CLINT_MTIME;                                                   \
1:  lw t1, 4(t2); lw t0, 0(t2); lw t3, 4(t2); bne t1, t3, 1b

/* The registers given their values. */
#define FILL                                                                    \
    li a1, 0x13579bdf; csrw mscratch, a1;                                       \
    li a1, 0x80000100; csrw mtvec, a1;                                          \
    li a1, 0x2468ace0; csrw mepc, a1;                                           \
    li a1, 0x0000000b; csrw mcause, a1;                                         \
    li a1, 0xfdb97531; csrw mtval, a1;                                          \
    li a1, MIE_MTIE; csrw mie, a1;                                              \
    li a1, 0x5a5a5a5a; csrw mcycleh, a1;                                        \
    li a1, 0x3c3c3c3c; csrw minstreth, a1

TEST_CODE_BEGIN

    csrci mstatus, MSTATUS_MIE
    FILL
    TEST_CASE(1, a4, 0x13579bdf, csrr a4, mscratch)
    TEST_CASE(2, a4, 0x80000100, csrr a4, mtvec)
    TEST_CASE(3, a4, 0x2468ace0, csrr a4, mepc)
    TEST_CASE(4, a4, 0x0000000b, csrr a4, mcause)
    TEST_CASE(5, a4, 0xfdb97531, csrr a4, mtval)
    TEST_CASE(6, a4, MIE_MTIE, csrr a4, mie)
    TEST_CASE(7, a4, 0x5a5a5a5a, csrr a4, mcycleh)
    TEST_CASE(8, a4, 0x5a5a5a5a, csrr a4, cycleh)
    TEST_CASE(9, a4, 0x3c3c3c3c, csrr a4, minstreth)
    TEST_CASE(10, a4, 0x3c3c3c3c, csrr a4, instreth)
    TEST_CASE(11, a4, 0, csrr a4, mvendorid)
    TEST_CASE(12, a4, 0, csrr a4, mhartid)

    /* timeh is mtimeh */
    TEST_NUM(13)
    FILL
    READ_MTIME
    csrr a4, timeh
    TEST_CHECK_REG(a4, t1)

    /* time lies between two reads of mtime (mtimeh unchanged between them) */
    TEST_NUM(14)
    FILL
    li a1, 0xf0f0f0f0; csrw mcycle, a1
    READ_MTIME
    mv a2, t0; mv a3, t1
    csrr a4, time
    READ_MTIME
    bne a3, t1, 2f
    sltu a5, a4, a2
    TEST_CHECK(a5, 0)
    sltu a5, t0, a4
    TEST_CHECK(a5, 0)
2:

    /* leave the counters small and the trap registers as the frame wants them */
    csrw mcycleh, x0
    csrw minstreth, x0
    csrw mie, x0
    la t0, test_unexpected_trap
    csrw mtvec, t0

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
