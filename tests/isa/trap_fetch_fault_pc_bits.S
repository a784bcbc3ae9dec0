/*
 * trap_fetch_fault_pc_bits.S: instruction access faults at addresses that set and clear every bit of the pc
 *
 * Jumps to addresses outside every region: all ones but one bit, and one bit beside the RAM's base (above the RAM's
 * end, or the RAM's base with one high bit more). Each fetch faults with mcause 1 and mepc and mtval the target, and
 * the trace records the target as the trapping instruction's pc: a bit of the pc's way through fetch, the pipeline
 * and the trap that is stuck or taken from another shows, also a bit that code in the RAM never sets.
 */
#include "test_macros.h"

/* A jump to `address`, which must fault on fetch; its link register written. */
#define FETCH_FAULT(n, address)                                                 \
    TEST_TRAP_SETUP(n, CAUSE_FETCH_ACCESS);                                     \
    li a1, address; mv s9, a1; mv s10, a1; mv s6, a1;                           \
    li a4, 0; la a5, 1f;                                                        \
    TEST_TRAP_AT(jalr a4, 0(a1));                                               \
    addi a5, a5, 4; TEST_CHECK_REG(a4, a5)

TEST_CODE_BEGIN

    /* all ones but one bit (and the two low bits, which a jump clears or faults on) */
    FETCH_FAULT(1, ~3 & ~(1 << 2))
    FETCH_FAULT(2, ~3 & ~(1 << 3))
    FETCH_FAULT(3, ~3 & ~(1 << 4))
    FETCH_FAULT(4, ~3 & ~(1 << 5))
    FETCH_FAULT(5, ~3 & ~(1 << 6))
    FETCH_FAULT(6, ~3 & ~(1 << 7))
    FETCH_FAULT(7, ~3 & ~(1 << 8))
    FETCH_FAULT(8, ~3 & ~(1 << 9))
    FETCH_FAULT(9, ~3 & ~(1 << 10))
    FETCH_FAULT(10, ~3 & ~(1 << 11))
    FETCH_FAULT(11, ~3 & ~(1 << 12))
    FETCH_FAULT(12, ~3 & ~(1 << 13))
    FETCH_FAULT(13, ~3 & ~(1 << 14))
    FETCH_FAULT(14, ~3 & ~(1 << 15))
    FETCH_FAULT(15, ~3 & ~(1 << 16))
    FETCH_FAULT(16, ~3 & ~(1 << 17))
    FETCH_FAULT(17, ~3 & ~(1 << 18))
    FETCH_FAULT(18, ~3 & ~(1 << 19))
    FETCH_FAULT(19, ~3 & ~(1 << 20))
    FETCH_FAULT(20, ~3 & ~(1 << 21))
    FETCH_FAULT(21, ~3 & ~(1 << 22))
    FETCH_FAULT(22, ~3 & ~(1 << 23))
    FETCH_FAULT(23, ~3 & ~(1 << 24))
    FETCH_FAULT(24, ~3 & ~(1 << 25))
    FETCH_FAULT(25, ~3 & ~(1 << 26))
    FETCH_FAULT(26, ~3 & ~(1 << 27))
    FETCH_FAULT(27, ~3 & ~(1 << 28))
    FETCH_FAULT(28, ~3 & ~(1 << 29))
    FETCH_FAULT(29, ~3 & ~(1 << 30))
    FETCH_FAULT(30, ~3 & ~(1 << 31))
    /* one bit set beyond the RAM's end */
    FETCH_FAULT(31, HWGEN_RAM_END | (1 << 2))
    FETCH_FAULT(32, HWGEN_RAM_END | (1 << 3))
    FETCH_FAULT(33, HWGEN_RAM_END | (1 << 4))
    FETCH_FAULT(34, HWGEN_RAM_END | (1 << 5))
    FETCH_FAULT(35, HWGEN_RAM_END | (1 << 6))
    FETCH_FAULT(36, HWGEN_RAM_END | (1 << 7))
    FETCH_FAULT(37, HWGEN_RAM_END | (1 << 8))
    FETCH_FAULT(38, HWGEN_RAM_END | (1 << 9))
    FETCH_FAULT(39, HWGEN_RAM_END | (1 << 10))
    FETCH_FAULT(40, HWGEN_RAM_END | (1 << 11))
    FETCH_FAULT(41, HWGEN_RAM_END | (1 << 12))
    FETCH_FAULT(42, HWGEN_RAM_END | (1 << 13))
    FETCH_FAULT(43, HWGEN_RAM_END | (1 << 14))
    FETCH_FAULT(44, HWGEN_RAM_END | (1 << 15))
    FETCH_FAULT(45, HWGEN_RAM_END | (1 << 16))
    FETCH_FAULT(46, HWGEN_RAM_END | (1 << 17))
    FETCH_FAULT(47, HWGEN_RAM_END | (1 << 18))
    FETCH_FAULT(48, HWGEN_RAM_END | (1 << 19))
    FETCH_FAULT(49, HWGEN_RAM_END | (1 << 20))
    FETCH_FAULT(50, HWGEN_RAM_END | (1 << 21))
    /* the RAM's base with one high bit more, and bit 30 alone */
    FETCH_FAULT(51, HWGEN_RAM_BASE | (1 << 22))
    FETCH_FAULT(52, HWGEN_RAM_BASE | (1 << 23))
    FETCH_FAULT(53, HWGEN_RAM_BASE | (1 << 24))
    FETCH_FAULT(54, HWGEN_RAM_BASE | (1 << 25))
    FETCH_FAULT(55, HWGEN_RAM_BASE | (1 << 26))
    FETCH_FAULT(56, HWGEN_RAM_BASE | (1 << 27))
    FETCH_FAULT(57, HWGEN_RAM_BASE | (1 << 28))
    FETCH_FAULT(58, HWGEN_RAM_BASE | (1 << 29))
    FETCH_FAULT(59, HWGEN_RAM_BASE | (1 << 30))
    FETCH_FAULT(60, 1 << 30)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
