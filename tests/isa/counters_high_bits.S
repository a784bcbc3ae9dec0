/*
 * counters_high_bits.S: every bit of the counters' high halves holds what is written
 *
 * minstreth and mcycleh written with all ones, all zeros and the two alternating patterns and read back at once:
 * their low halves are far from a carry, so each read gives the word written, and a bit of a high half that is
 * stuck, inverted or taken from another bit shows.
 */
#include "test_macros.h"

#define HIGH_HALF(n, csr, value)                                                \
    TEST_CASE(n, a4, value, csrw minstret, x0; csrw mcycle, x0; li a1, value; csrw csr, a1; csrr a4, csr)

TEST_CODE_BEGIN

    HIGH_HALF(1, minstreth, 0xffffffff)
    HIGH_HALF(2, minstreth, 0x00000000)
    HIGH_HALF(3, minstreth, 0x55555555)
    HIGH_HALF(4, minstreth, 0xaaaaaaaa)
    HIGH_HALF(5, mcycleh, 0xffffffff)
    HIGH_HALF(6, mcycleh, 0x00000000)
    HIGH_HALF(7, mcycleh, 0x55555555)
    HIGH_HALF(8, mcycleh, 0xaaaaaaaa)
    /* the views read the same */
    TEST_CASE(9, a4, 0x5a5a5a5a, li a1, 0x5a5a5a5a; csrw minstreth, a1; csrr a4, instreth)
    TEST_CASE(10, a4, 0xa5a5a5a5, li a1, 0xa5a5a5a5; csrw mcycleh, a1; csrr a4, cycleh)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
