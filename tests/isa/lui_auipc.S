/*
 * lui_auipc.S: lui, auipc
 *
 * lui places a 20-bit immediate in the upper bits and clears the lower 12; auipc adds the same
 * to its own address, wrapping modulo 2^32.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* lui */
    TEST_CASE(1, a4, 0x00000000, lui a4, 0x00000)
    TEST_CASE(2, a4, 0x00001000, lui a4, 0x00001)
    TEST_CASE(3, a4, 0xfffff000, lui a4, 0xfffff)
    TEST_CASE(4, a4, 0x7ffff000, lui a4, 0x7ffff)
    TEST_CASE(5, a4, 0x80000000, lui a4, 0x80000)
    TEST_CASE(6, a4, 0x12345000, lui a4, 0x12345)
    TEST_CASE(7, a4, 0xfffff800, lui a4, 0x80000; srai a4, a4, 20)
    TEST_CASE(8, a4, 0x000007ff, lui a4, 0x7ffff; srli a4, a4, 20)
    TEST_CASE(9, a4, 0x12345678, li a4, -1; lui a4, 0x12345; addi a4, a4, 0x678)
    TEST_CASE(10, x0, 0, lui x0, 0x80000)

    /* auipc: the result minus the instruction's own address is the shifted immediate */
    TEST_CASE(11, a4, 0x00000000, 1: auipc a4, 0x00000; la a5, 1b; sub a4, a4, a5)
    TEST_CASE(12, a4, 0x00002000, 1: auipc a4, 0x00002; la a5, 1b; sub a4, a4, a5)
    TEST_CASE(13, a4, 0xfffff000, 1: auipc a4, 0xfffff; la a5, 1b; sub a4, a4, a5)
    TEST_CASE(14, a4, 0x80000000, 1: auipc a4, 0x80000; la a5, 1b; sub a4, a4, a5)
    TEST_CASE(15, a4, 0x7ffff000, 1: auipc a4, 0x7ffff; la a5, 1b; sub a4, a4, a5)

    /* auipc sees the pc, as the link of a jal does */
    TEST_CASE(16, a4, 0x00000000, jal a5, 1f; 1: auipc a4, 0; sub a4, a4, a5)
    TEST_CASE(17, a4, 0x00000004, 1: auipc a4, 0; auipc a5, 0; sub a4, a5, a4)
    TEST_CASE(18, x0, 0, auipc x0, 0x12345)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
