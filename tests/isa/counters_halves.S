/*
 * counters_halves.S: each half of mcycle and minstret holds its own bits, whatever the other half holds
 *
 * A low half written and read back at once gives the word written (minstret exactly, mcycle within a few cycles),
 * with all ones, all zeros or an alternating pattern in its high half; a high half written and read back gives the
 * word written, with alternating patterns and near-carry values in its low half (far enough from the carry not to
 * reach it). A bit of one half that is stuck, inverted, or inverted when a bit of the other half is set shows.
 */
#include "test_macros.h"

/* minstret written with `low` under minstreth `high`: read back at once, exactly `low`. */
#define INSTRET_LOW(n, high, low)                                               \
    TEST_CASE(n, a4, low, li a1, high; li a2, low; csrw minstreth, a1; csrw minstret, a2; csrr a4, minstret)

/* mcycle written with `low` under mcycleh `high`: read back at once, less than 64 cycles later. */
#define CYCLE_LOW(n, high, low)                                                 \
    TEST_CASE(n, a4, 1, li a1, high; li a2, low; csrw mcycleh, a1; csrw mcycle, a2; csrr a3, mcycle; sub a3, a3, a2; sltiu a4, a3, 64)

/* A high half written with `high` over its low half written with `low`: read back at once, exactly `high`. */
#define HIGH_OVER(n, csrh, csr, high, low)                                      \
    TEST_CASE(n, a4, high, li a1, high; li a2, low; csrw csr, a2; csrw csrh, a1; csrr a4, csrh)

TEST_CODE_BEGIN

    INSTRET_LOW(1, 0xffffffff, 0x00000000)
    INSTRET_LOW(2, 0xffffffff, 0x55555550)
    INSTRET_LOW(3, 0x55555555, 0xaaaaaaa0)
    INSTRET_LOW(4, 0xaaaaaaaa, 0x55555550)
    INSTRET_LOW(5, 0x00000000, 0xfffff000)
    INSTRET_LOW(6, 0x00001000, 0x00000000)

    CYCLE_LOW(7, 0xffffffff, 0x00000000)
    CYCLE_LOW(8, 0xffffffff, 0x55555550)
    CYCLE_LOW(9, 0x55555555, 0xaaaaaaa0)
    CYCLE_LOW(10, 0xaaaaaaaa, 0x55555550)
    CYCLE_LOW(11, 0x00000000, 0xfffff000)
    CYCLE_LOW(12, 0x00001000, 0x00000000)

    HIGH_OVER(13, minstreth, minstret, 0x00000000, 0x7fffff00)
    HIGH_OVER(14, minstreth, minstret, 0x55555555, 0xaaaaaaaa)
    HIGH_OVER(15, minstreth, minstret, 0xaaaaaaaa, 0x55555555)
    HIGH_OVER(16, minstreth, minstret, 0x00000000, 0xffff0000)
    HIGH_OVER(17, mcycleh, mcycle, 0x00000000, 0x7fffff00)
    HIGH_OVER(18, mcycleh, mcycle, 0x55555555, 0xaaaaaaaa)
    HIGH_OVER(19, mcycleh, mcycle, 0xaaaaaaaa, 0x55555555)
    HIGH_OVER(20, mcycleh, mcycle, 0x00000000, 0xffff0000)

    /* leave the counters small */
    csrw mcycleh, x0
    csrw minstreth, x0

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
